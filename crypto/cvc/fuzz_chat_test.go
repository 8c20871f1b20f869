package cvc

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
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
		require.NoError(f, err)
		f.Add(b)
		f.Add(b[:len(b)-1])
	}
	f.Add([]byte{0x7F, 0x4C, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCHAT(b)
		if err != nil {
			require.ErrorIs(t, err, ErrMalformed, "error %v is not ErrMalformed", err)
			return
		}
		back, err := c.Marshal()
		require.NoError(t, err, "an accepted CHAT does not marshal")
		require.True(t, bytes.Equal(back, b), "round trip %x, want %x", back, b)
		c2, err := ParseCHAT(back)
		require.NoError(t, err, "re-parse: %v", c2)
		require.True(t, c2.Equal(c), "re-parse: %v %v", c2, err)
		require.Equal(t, c.Role(), c2.Role(), "re-parse: %v %v", c2, err)
		for dg := 1; dg <= 16; dg++ {
			require.Equal(t, c2.CanRead(dg), c.CanRead(dg), "DG%d rights changed", dg)
		}
	})
}
