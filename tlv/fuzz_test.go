package tlv

import (
	"bytes"
	"errors"
	"testing"
)

func FuzzDecode(f *testing.F) {
	f.Add(unhex(f, efCOM))
	f.Add(dg2Like(f, 300))
	f.Add(unhex(f, "00 FF 60 0C 5F01 81 04 30313037 00 5C 01 61 FF FF 00 00"))
	f.Add(unhex(f, "7F2E 03 010203"))
	f.Add(unhex(f, "5C 84 FFFFFFFF 00"))
	f.Add(unhex(f, "60 80 0000"))
	f.Add(unhex(f, "5F818101 00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []Options{Strict, Lenient, {Opaque: []Tag{0x7F2E}, MaxDepth: 4}} {
			nodes, err := o.Decode(b)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not an *Error", err)
				}
				if e.Offset < 0 || e.Offset > len(b) {
					t.Fatalf("error offset %d outside input of %d bytes", e.Offset, len(b))
				}
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
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			if !bytes.Equal(out, b) {
				t.Fatalf("re-encoded %x, input %x", out, b)
			}
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
		if n.Offset < 0 || n.Offset+len(n.Raw) > len(b) || !bytes.Equal(b[n.Offset:n.Offset+len(n.Raw)], n.Raw) {
			t.Fatalf("node %s offset %d does not point at its bytes", n.Tag, n.Offset)
		}
		if !bytes.HasSuffix(n.Raw, n.Value) {
			t.Fatalf("node %s value is not the end of its encoding", n.Tag)
		}
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
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tag, n, err := ParseTag(b)
		if err != nil {
			return
		}
		if n != tag.Len() || !bytes.Equal(tag.AppendTo(nil), b[:n]) || !tag.Valid() {
			t.Fatalf("tag %s from %x: n=%d", tag, b, n)
		}
		back, err := ParseTagString(tag.String())
		if err != nil || back != tag {
			t.Fatalf("tag %s does not parse back from its string: %v", tag, err)
		}
	})
}
