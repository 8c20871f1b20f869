package chip

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// checkParseError fails unless err is a *ParseError whose offset lies in
// the input.
func checkParseError(t *testing.T, err error, in []byte) {
	t.Helper()
	var pe *ParseError
	require.ErrorAs(t, err, &pe, "error %v (%T) is not a *ParseError", err, err)
	require.False(t, pe.Offset < 0, "error offset %d outside input of %d bytes", pe.Offset, len(in))
	require.False(t, pe.Offset > len(in), "error offset %d outside input of %d bytes", pe.Offset, len(in))
}

// roundTrip checks the properties every codec of this package has: a
// parsed value encodes (or is too large to), its encoding parses back to an
// equal value, and encoding that value again gives the same bytes.
func roundTrip[T interface{ Encode() ([]byte, error) }](t *testing.T, in []byte, parse func([]byte) (T, error)) {
	t.Helper()
	v, err := parse(in)
	if err != nil {
		checkParseError(t, err, in)
		return
	}
	out, err := v.Encode()
	if err != nil {
		require.ErrorIs(t, err, ErrTooLarge, "parsed value does not encode: %v", err)
		return
	}
	back, err := parse(out)
	require.NoError(t, err, "encoding %x does not parse", out)
	require.Equal(t, v, back, "round trip changed the value")
	again, err := back.Encode()
	require.NoError(t, err, "encoding is not stable: %x then %x (%v)", out, again, err)
	require.True(t, bytes.Equal(again, out), "encoding is not stable: %x then %x (%v)", out, again, err)
}

func FuzzParseCOM(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/icao9303/com_a1_case1.hex"))
	f.Add(vectors.Hex(f, "testdata/icao9303/com_a1_case2.hex"))
	f.Add(vectors.Hex(f, "testdata/synthetic/com.hex"))
	f.Add(vectors.Unhex(f, "60 1A 5F01 04 30313038 5F36 06 303430303030 5C 04 6175766C 53 02 ABCD"))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseCOM) })
}

func FuzzParseDG1(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/icao9303/dg1_a2_td1.hex"))
	f.Add(vectors.Hex(f, "testdata/synthetic/dg1.hex"))
	f.Add(vectors.Unhex(f, "61 06 5F1F 03 414243"))
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, b, ParseDG1)
		d, err := ParseDG1Lenient(b)
		if err != nil {
			checkParseError(t, err, b)
		}
		if d == nil {
			return
		}
		// Whatever the MRZ, the lenient value writes back the same text.
		out, err := d.Encode()
		if d.Text == "" {
			return
		}
		require.NoError(t, err, "lenient DG1 does not encode")
		back, err := ParseDG1Lenient(out)
		require.NotNil(t, back, "lenient DG1 text changed: %v", err)
		require.Equal(t, d.Text, back.Text, "lenient DG1 text changed: %v", err)
	})
}

func FuzzParseDG11(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/icao9303/dg11_a5.hex"))
	f.Add(vectors.Hex(f, "testdata/synthetic/dg11.hex"))
	f.Add(vectors.Unhex(f, "6B 0F 5C 02 5F0F 5F0F 04 4E3C3C41 5F0F 01 42"))
	f.Add(vectors.Unhex(f, "6B 0E 5C 00 A0 0A 02 01 01 5F0F 01 41 5F0F 00"))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDG11) })
}

func FuzzParseDG12(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/synthetic/dg12.hex"))
	f.Add(vectors.Unhex(f, `6C 51 5C 0A 5F19 5F26 5F1A 5F55 5F56 5F19 0A 424F20434F4E4720414E 5F26 04 20210915
		A0 15 02 01 01 5F1A 0F 534D4954483C3C4252454E44413C50 5F55 0E 3230323130393135313032303330 5F56 06 4D2D34303630`))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDG12) })
}

func FuzzParseDG16(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/icao9303/dg16_a6.hex"))
	f.Add(vectors.Hex(f, "testdata/synthetic/dg16.hex"))
	f.Add(vectors.Unhex(f, "70 11 02 01 01 A1 0A 5F51 04 413C3C42 5F54 00 53 00"))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDG16) })
}

func FuzzParseDG7(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/synthetic/dg7.hex"))
	f.Add(vectors.Unhex(f, "67 08 02 01 01 5F43 02 0102"))
	f.Add(vectors.Unhex(f, "67 0D 02 01 02 5F43 02 0102 5F40 01 03"))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseDG7) })
}

func FuzzParseDG14(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/synthetic/dg14.hex"))
	f.Add(append([]byte{0x6E, 0x16}, securityInfos...))
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, b, ParseDG14)
		if d, err := ParseDG14(b); err == nil {
			if _, err := d.Infos(); err != nil {
				checkParseError(t, err, b)
			}
		}
	})
}

func FuzzParseDG15(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/gmrtd/dg15_rsa1792.hex"))
	f.Add(vectors.Hex(f, "testdata/synthetic/dg15.hex"))
	f.Add(vectors.Unhex(f, "6F 18 30 16 30 0E 06 07 2A8648CE3D0201 30 03 02 01 01 03 04 00 04 01 02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip(t, b, ParseDG15)
		if d, err := ParseDG15(b); err == nil {
			_, _ = d.RSAPublicKey()
			_, _ = d.NamedCurve()
		}
	})
}

func FuzzParseSOD(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/gmrtd/sod_at.hex"))
	f.Add(vectors.Unhex(f, "77 02 30 00"))
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip(t, b, ParseSOD) })
}

func FuzzParseDocument(f *testing.F) {
	f.Add(vectors.Hex(f, "testdata/synthetic/dg2.hex"), vectors.Hex(f, "testdata/synthetic/dg13.hex"))
	f.Fuzz(func(t *testing.T, dg2, dg13 []byte) {
		doc, err := ParseDocument(map[File][]byte{EFDG2: dg2, EFDG13: dg13})
		if err != nil {
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "error %v is not a *ParseError", err)
		}
		_, _, _ = doc.FaceImage()
		if doc.DG2 != nil {
			roundTrip(t, dg2, ParseDG2)
		}
		if doc.DG13 != nil {
			roundTrip(t, dg13, ParseDG13)
		}
	})
}
