package tlv

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// emptyNodes is n two-byte empty objects '01 00': the input that costs
// Decode the most memory per byte.
func emptyNodes(n int) []byte { return bytes.Repeat([]byte{0x01, 0x00}, n) }

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecodeNodeBudget: 16 MiB of empty objects is refused after the node
// budget, allocating next to nothing (it was 48 times the input, 800 MB);
// a tree at the budget is decoded; MaxNodes sets another budget.
func TestDecodeNodeBudget(t *testing.T) {
	big := emptyNodes(8 << 20) // 16 MiB
	var err error
	n := allocated(func() { _, err = Lenient.Decode(big) })
	require.ErrorIs(t, err, ErrTooManyNodes)
	var e *Error
	require.True(t, errors.As(err, &e))
	require.Equal(t, 2*DefaultMaxNodes, e.Offset, "the first object past the budget")
	require.Less(t, n, uint64(64<<10), "refused before laying out any node: %d bytes allocated", n)

	nodes, err := Decode(emptyNodes(DefaultMaxNodes))
	require.NoError(t, err)
	require.Len(t, nodes, DefaultMaxNodes)

	// Nested objects count too.
	var b Builder
	b.AddConstructed(0x30, func(b *Builder) {
		for range 10 {
			b.Add(0x04, []byte{1})
		}
	})
	in, err := b.Bytes()
	require.NoError(t, err)
	_, err = Options{MaxNodes: 11}.Decode(in)
	require.NoError(t, err)
	_, err = Options{MaxNodes: 10}.Decode(in)
	require.ErrorIs(t, err, ErrTooManyNodes)
}

// BenchmarkDecodeMemoryPerByte reports what Decode allocates per input
// byte ("alloc-B/in-B") on a DG2-like file (one large value), a file of
// small nested objects, empty objects up to the budget (the worst case
// that decodes) and 16 MiB of empty objects (refused at the budget).
func BenchmarkDecodeMemoryPerByte(b *testing.B) {
	var many Builder
	many.AddConstructed(0x6D, func(bld *Builder) {
		for i := range 2000 {
			bld.AddConstructed(0x30, func(bld *Builder) {
				bld.AddByte(0x02, byte(i))
				bld.AddString(0x0C, "Nguyễn Văn An")
			})
		}
	})
	manyIn, err := many.Bytes()
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		in      []byte
		refused bool
	}{
		{"dg2-20KB", dg2Like(b, 20000), false},
		{"small-objects", manyIn, false},
		{"empty-objects-at-budget", emptyNodes(DefaultMaxNodes), false},
		{"empty-objects-16MiB", emptyNodes(8 << 20), true},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.in)))
			b.ReportAllocs()
			var total uint64
			for b.Loop() {
				total += allocated(func() {
					_, err := Lenient.Decode(c.in)
					if (err != nil) != c.refused {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(float64(total)/float64(b.N)/float64(len(c.in)), "alloc-B/in-B")
		})
	}
}
