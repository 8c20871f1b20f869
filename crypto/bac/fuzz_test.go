package bac

import (
	"bytes"
	"errors"
	"testing"

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
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			return
		}
		n := len(s) - 15
		info, err := MRZInfo(s[:n], s[n+1:n+7], s[n+8:n+14])
		if err != nil || (info != s && n >= 9) {
			t.Fatalf("MRZInfo(%q) = %q, %v", s, info, err)
		}
		if len(k.Seed()) != 16 {
			t.Fatal("seed size")
		}
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
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Handle(apdu.GetChallenge(8)); err != nil {
			t.Fatal(err)
		}
		r, err := c.Handle(cmd)
		if err == nil && r.SW != 0x9000 || err != nil && r.SW == 0x9000 {
			t.Fatalf("status %s with error %v", r.SW, err)
		}
		if c.Session() != nil && !bytes.Equal(cmd.Data, a.b(t, "external_authenticate")[5:45]) {
			t.Fatal("session from a forged cryptogram")
		}
	})
}
