package apdu

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{appDGetChallenge, appDExtAuth, appDSelectEFCOM, appDReadBinary4, appDReadBinary18,
		"00 A4 04 0C 07 A0000002471001", "00 B0 00 00 00 0000", "00 88 00 00 00 0001 09 0000",
		"0C B0 00 00 00 0001 AA", "00 B0 00 00 00 01", "00 D6 00 00 03 0102", "00 60 00 00",
		"0C A4 02 0C 15 8709016375432908C044F68E08BF8B92D635FF24F8 00"} {
		f.Add(vectors.Unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err != nil {
			var fe *FormatError
			require.ErrorAs(t, err, &fe, "error %v is not a *FormatError", err)
			return
		}
		// Every accepted form is canonical: encoding gives the input back.
		out, err := c.Bytes()
		require.NoError(t, err, "parsed %s but cannot encode it", c)
		require.True(t, bytes.Equal(out, b), "round trip: in %X out %X", b, out)
		require.Equal(t, len(b), c.Len(), "Len %d, encoded %d", c.Len(), len(b))
		_ = c.String()
	})
}

func FuzzParseResponse(f *testing.F) {
	f.Add(vectors.Unhex(f, "60145F01 9000"))
	f.Add(vectors.Unhex(f, "6A82"))
	f.Add(vectors.Unhex(f, "990290008E08FA855A5D4C50A8ED9000"))
	f.Add([]byte{0x90})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			require.False(t, len(b) >= 2 && len(b) <= MaxResponseLen, "valid length rejected: %v", err)
			return
		}
		require.True(t, bytes.Equal(r.Bytes(), b), "round trip: in %X out %X", b, r.Bytes())
		require.False(t, (r.Err() == nil) != (r.SW == 0x9000 || r.SW == 0x6282), "Err %v for %s", r.Err(), r.SW)
		_ = r.SW.String()
		// The FCP and B1 parsers take response data.
		_, _ = ParseFCP(r.Data)
		_, _ = ParseReadBinaryOdd(r.Data)
		_, _ = ParseDynamicAuthData(r.Data)
	})
}
