package cccd

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func FuzzParseDG13(f *testing.F) {
	for _, name := range fixtureNames {
		b := fixture(f, name)
		f.Add(b)
		f.Add(append(append([]byte{}, b...), 0x00, 0xFF))
	}
	f.Add(wrap(f, field(13, sq(u8("CHA"), u8("MẸ"))), field(14), field(17, u8("x"))))
	f.Add(wrap(f, field(13, u8("A")), field(16, []byte{0x04, 0x01, 0xFF}), field(300, sq(sq()))))
	f.Add(vectors.Unhex(f, "6D80 0000"))
	f.Add(vectors.Unhex(f, "6D 03 30 01 00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, o := range []Options{Strict, Lenient} {
			d, err := o.ParseDG13(b)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not an *Error", err)
				}
				if e.Offset < -1 || e.Offset > len(b) {
					t.Fatalf("error offset %d outside input of %d bytes", e.Offset, len(b))
				}
				continue
			}
			// Encode gives back the object read (padding aside).
			out, err := d.Encode()
			if err != nil {
				t.Fatalf("Encode of a parsed DG13: %v", err)
			}
			if !bytes.HasPrefix(b, out) {
				t.Fatalf("Encode gave %x, input %x", out, b)
			}
			for _, c := range b[len(out):] {
				if c != 0x00 && c != 0xFF {
					t.Fatalf("non-padding byte after the object was accepted")
				}
			}
			// Parsing the encoding gives the same DG13.
			back, err := ParseDG13(out)
			if err != nil {
				t.Fatalf("parse of Encode output: %v", err)
			}
			if diff := cmp.Diff(d, back); diff != "" {
				t.Fatalf("parse(Encode(d)) differs:\n%s", diff)
			}
			// The typed view survives a rebuild.
			checkCitizenRoundTrip(t, d)
		}
	})
}
