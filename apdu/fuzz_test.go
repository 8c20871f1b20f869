package apdu

import (
	"bytes"
	"errors"
	"testing"
)

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{appDGetChallenge, appDExtAuth, appDSelectEFCOM, appDReadBinary4, appDReadBinary18,
		"00 A4 04 0C 07 A0000002471001", "00 B0 00 00 00 0000", "00 88 00 00 00 0001 09 0000",
		"0C B0 00 00 00 0001 AA", "00 B0 00 00 00 01", "00 D6 00 00 03 0102", "00 60 00 00",
		"0C A4 02 0C 15 8709016375432908C044F68E08BF8B92D635FF24F8 00"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCommand(b)
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not a *FormatError", err)
			}
			return
		}
		// Every accepted form is canonical: encoding gives the input back.
		out, err := c.Bytes()
		if err != nil {
			t.Fatalf("parsed %s but cannot encode it: %v", c, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("round trip: in %X out %X", b, out)
		}
		if c.Len() != len(b) {
			t.Fatalf("Len %d, encoded %d", c.Len(), len(b))
		}
		_ = c.String()
	})
}

func FuzzParseResponse(f *testing.F) {
	f.Add(unhex(f, "60145F01 9000"))
	f.Add(unhex(f, "6A82"))
	f.Add(unhex(f, "990290008E08FA855A5D4C50A8ED9000"))
	f.Add([]byte{0x90})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := ParseResponse(b)
		if err != nil {
			if len(b) >= 2 && len(b) <= MaxResponseLen {
				t.Fatalf("valid length rejected: %v", err)
			}
			return
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatalf("round trip: in %X out %X", b, r.Bytes())
		}
		if (r.Err() == nil) != (r.SW == 0x9000 || r.SW == 0x6282) {
			t.Fatalf("Err %v for %s", r.Err(), r.SW)
		}
		_ = r.SW.String()
		// The FCP and B1 parsers take response data.
		_, _ = ParseFCP(r.Data)
		_, _ = ParseReadBinaryOdd(r.Data)
		_, _ = ParseDynamicAuthData(r.Data)
	})
}
