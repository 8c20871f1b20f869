package bac

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
)

// FuzzNewKey: no panic, typed errors, and accepted MRZ information
// rebuilds from its parts.
func FuzzNewKey(f *testing.F) {
	f.Add("L898902C<369080619406236")
	f.Add("D23145890734934071279507122")
	f.Add("L898902C<36908061940623X")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := NewKey(s)
		if err != nil {
			var e *Error
			require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
			return
		}
		n := len(s) - 15
		info, err := MRZInfo(s[:n], s[n+1:n+7], s[n+8:n+14])
		require.NoError(t, err, "MRZInfo(%q) = %q,", s, info)
		require.False(t, (info != s && n >= 9), "MRZInfo(%q) = %q, %v", s, info, err)
		require.Equal(t, 16, len(k.Seed()), "seed size")
	})
}

// FuzzChip: the chip answers any command (after a challenge) with a status
// word and never establishes a session without the right cryptogram.
func FuzzChip(f *testing.F) {
	a := loadAppD(f)
	f.Add(a.b(f, "external_authenticate"))
	f.Add(a.b(f, "get_challenge"))
	f.Add([]byte{0, 0x82, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		cmd, err := apdu.ParseCommand(b)
		if err != nil {
			return
		}
		c, err := NewChip(must(NewKey("L898902C<369080619406236")), &ChipConfig{Rand: bytes.NewReader(append(a.b(t, "rnd_icc"), a.b(t, "kicc")...))})
		require.NoError(t, err)
		_, err = c.Handle(apdu.GetChallenge(8))
		require.NoError(t, err)
		r, err := c.Handle(cmd)
		require.False(t, err == nil && r.SW != 0x9000, "status %s with error %v", r.SW, err)
		require.False(t, err != nil && r.SW == 0x9000, "status %s with error %v", r.SW, err)
		require.False(t, c.Session() != nil && !bytes.Equal(cmd.Data, a.b(t, "external_authenticate")[5:45]), "session from a forged cryptogram")
	})
}
