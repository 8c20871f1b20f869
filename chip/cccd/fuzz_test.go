package cccd

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

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
				require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
				require.False(t, e.Offset < -1, "error offset %d outside input of %d bytes", e.Offset, len(b))
				require.False(t, e.Offset > len(b), "error offset %d outside input of %d bytes", e.Offset, len(b))
				continue
			}
			// Encode gives back the object read (padding aside).
			out, err := d.Encode()
			require.NoError(t, err, "Encode of a parsed DG13")
			require.True(t, bytes.HasPrefix(b, out), "Encode gave %x, input %x", out, b)
			for _, c := range b[len(out):] {
				require.False(t, c != 0x00 && c != 0xFF, "non-padding byte after the object was accepted")
			}
			// Parsing the encoding gives the same DG13.
			back, err := ParseDG13(out)
			require.NoError(t, err, "parse of Encode output")
			require.Equal(t, d, back, "parse(Encode(d)) differs")
			// The typed view survives a rebuild.
			checkCitizenRoundTrip(t, d)
		}
	})
}
