package cvc

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseCHAT: no panic; errors are ErrMalformed; an accepted CHAT is
// encoded by Marshal to exactly the input (strict DER-like TLV, one
// encoding per template) and keeps its role and rights.
func FuzzParseCHAT(f *testing.F) {
	for _, c := range []CHAT{
		NewISCHAT(RoleCVCA, ReadDG3|ReadDG4),
		NewISCHAT(RoleDVDomestic, ReadDG3),
		NewISCHAT(RoleTerminal, 0),
		{Type: OIDInspectionSystem, Authorization: []byte{0xC3, 0x00, 0x01}},
	} {
		b, err := c.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)-1])
	}
	f.Add([]byte{0x7F, 0x4C, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCHAT(b)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		back, err := c.Marshal()
		if err != nil {
			t.Fatalf("an accepted CHAT does not marshal: %v", err)
		}
		if !bytes.Equal(back, b) {
			t.Fatalf("round trip %x, want %x", back, b)
		}
		c2, err := ParseCHAT(back)
		if err != nil || !c2.Equal(c) || c2.Role() != c.Role() {
			t.Fatalf("re-parse: %v %v", c2, err)
		}
		for dg := 1; dg <= 16; dg++ {
			if c.CanRead(dg) != c2.CanRead(dg) {
				t.Fatalf("DG%d rights changed", dg)
			}
		}
	})
}
