package dh

import (
	"math/big"
	"testing"
)

// FuzzParseSubjectPublicKeyInfo: no panic; errors are *dh.Error; an
// accepted key has a valid public value in its group, and its encoding by
// MarshalSubjectPublicKeyInfo parses back to the same group and value.
func FuzzParseSubjectPublicKeyInfo(f *testing.F) {
	addFiles(f, "testdata/openssl/*.der")
	for id := range 3 {
		g, err := Standardized(id)
		if err != nil {
			f.Fatal(err)
		}
		y := g.Exp(g.G, big.NewInt(int64(12345+id)))
		der, err := MarshalSubjectPublicKeyInfo(&PublicKey{Group: g, Y: y})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(der)
		f.Add(der[:len(der)-1])
		bad := append([]byte(nil), der...)
		bad[len(bad)-1] ^= 1
		f.Add(bad)
	}
	f.Add([]byte{0x30, 0x00})
	f.Fuzz(func(t *testing.T, der []byte) {
		k, err := ParseSubjectPublicKeyInfo(der)
		if err != nil {
			checkErr(t, err)
			return
		}
		if k.Group == nil || k.Y == nil {
			t.Fatal("accepted a key without group or value")
		}
		if err := k.Group.ValidatePublic(k.Y); err != nil {
			t.Fatalf("accepted an invalid public value: %v", err)
		}
		again, err := MarshalSubjectPublicKeyInfo(k)
		if err != nil {
			t.Fatalf("an accepted key does not marshal: %v", err)
		}
		k2, err := ParseSubjectPublicKeyInfo(again)
		if err != nil {
			t.Fatalf("re-encoded key refused: %v", err)
		}
		if !k2.Group.Equal(k.Group) || k2.Y.Cmp(k.Y) != 0 {
			t.Fatal("round trip changed the key")
		}
	})
}
