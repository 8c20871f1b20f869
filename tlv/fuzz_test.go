package tlv

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func FuzzDecode(f *testing.F) {
	f.Add(vectors.Unhex(f, efCOM))
	f.Add(dg2Like(f, 300))
	f.Add(vectors.Unhex(f, "00 FF 60 0C 5F01 81 04 30313037 00 5C 01 61 FF FF 00 00"))
	f.Add(vectors.Unhex(f, "7F2E 03 010203"))
	f.Add(vectors.Unhex(f, "5C 84 FFFFFFFF 00"))
	f.Add(vectors.Unhex(f, "60 80 0000"))
	f.Add(vectors.Unhex(f, "5F818101 00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []Options{Strict, Lenient, {Opaque: []Tag{0x7F2E}, MaxDepth: 4}} {
			nodes, err := o.Decode(b)
			if err != nil {
				var e *Error
				require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
				require.False(t, e.Offset < 0, "error offset %d outside input of %d bytes", e.Offset, len(b))
				require.False(t, e.Offset > len(b), "error offset %d outside input of %d bytes", e.Offset, len(b))
				continue
			}
			checkNodes(t, b, nodes)
			if o.AllowPadding || o.AllowNonMinimalLength {
				continue
			}
			// Strict input is canonical: writing the tree back gives the
			// same bytes.
			var bld Builder
			reencodeOpaque(&bld, nodes)
			out, err := bld.Bytes()
			require.NoError(t, err, "re-encode")
			require.True(t, bytes.Equal(out, b), "re-encoded %x, input %x", out, b)
		}
		// The zero-allocation paths agree with the tree.
		r := NewReader(b)
		for r.Next() {
			_, _ = Find(b, r.TLV().Tag, 0x5F2E)
		}
		_, _ = ParseOne(b)
		_, _ = Lenient.ParseOne(b)
	})
}

func checkNodes(t *testing.T, b []byte, nodes []*Node) {
	for _, n := range nodes {
		require.False(t, n.Offset < 0, "node %s offset %d does not point at its bytes", n.Tag, n.Offset)
		require.False(t, n.Offset+len(n.Raw) > len(b), "node %s offset %d does not point at its bytes", n.Tag, n.Offset)
		require.True(t, bytes.Equal(b[n.Offset:n.Offset+len(n.Raw)], n.Raw), "node %s offset %d does not point at its bytes", n.Tag, n.Offset)
		require.True(t, bytes.HasSuffix(n.Raw, n.Value), "node %s value is not the end of its encoding", n.Tag)
		checkNodes(t, b, n.Children)
	}
}

func reencodeOpaque(b *Builder, nodes []*Node) {
	for _, n := range nodes {
		if n.Tag.Constructed() && n.Tag != 0x7F2E {
			b.AddConstructed(n.Tag, func(b *Builder) { reencodeOpaque(b, n.Children) })
		} else {
			b.Add(n.Tag, n.Value)
		}
	}
}

func FuzzParseTag(f *testing.F) {
	for _, s := range []string{"61", "5F1F", "7F61", "5F8101", "5F80", "5F818181"} {
		f.Add(vectors.Unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tag, n, err := ParseTag(b)
		if err != nil {
			return
		}
		require.Equal(t, tag.Len(), n, "tag %s from %x: n=%d", tag, b, n)
		require.True(t, bytes.Equal(tag.AppendTo(nil), b[:n]), "tag %s from %x: n=%d", tag, b, n)
		require.True(t, tag.Valid(), "tag %s from %x: n=%d", tag, b, n)
		back, err := ParseTagString(tag.String())
		require.NoError(t, err, "tag %s does not parse back from its string", tag)
		require.Equal(t, tag, back, "tag %s does not parse back from its string: %v", tag, err)
	})
}
