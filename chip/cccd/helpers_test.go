package cccd

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

// fixture reads testdata/synthetic/<name>.hex.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	return vectors.Hex(tb, filepath.Join("testdata", "synthetic", name+".hex"))
}

var fixtureNames = []string{"full", "long-residence", "absent", "no-expiry"}

// wrap builds 6D { SEQUENCE { INTEGER 1, OID utf-8, SET { fields } } } with
// the tlv package, independently of Encode.
func wrap(tb testing.TB, fields ...[]byte) []byte {
	tb.Helper()
	var b tlv.Builder
	b.AddConstructed(0x6D, func(b *tlv.Builder) {
		b.AddConstructed(0x30, func(b *tlv.Builder) {
			b.Add(0x02, []byte{1})
			b.Add(0x06, []byte{0x28, 0xD3, 0x16, 0x01, 0x00, 0x08})
			b.AddConstructed(0x31, func(b *tlv.Builder) {
				for _, f := range fields {
					b.AddRaw(f)
				}
			})
		})
	})
	out, err := b.Bytes()
	require.NoError(tb, err)
	return out
}

// field builds SEQUENCE { INTEGER n, values... } from encoded values.
func field(n int, values ...[]byte) []byte {
	var b tlv.Builder
	b.AddConstructed(0x30, func(b *tlv.Builder) {
		b.AddRaw(intTLV(nil, n))
		for _, v := range values {
			b.AddRaw(v)
		}
	})
	out, _ := b.Bytes()
	return out
}

func u8(s string) []byte { return tlv.AppendTLV(nil, 0x0C, []byte(s)) }
func ps(s string) []byte { return tlv.AppendTLV(nil, 0x13, []byte(s)) }
func sq(v ...[]byte) []byte {
	var all []byte
	for _, x := range v {
		all = append(all, x...)
	}
	return tlv.AppendTLV(nil, 0x30, all)
}
