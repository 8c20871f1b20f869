package dh

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseSubjectPublicKeyInfo: no panic; errors are *dh.Error; an
// accepted key has a valid public value in its group, and its encoding by
// MarshalSubjectPublicKeyInfo parses back to the same group and value.
func FuzzParseSubjectPublicKeyInfo(f *testing.F) {
	addFiles(f, "testdata/openssl/*.der")
	for id := range 3 {
		g, err := Standardized(id)
		require.NoError(f, err)
		y := g.Exp(g.G, big.NewInt(int64(12345+id)))
		der, err := MarshalSubjectPublicKeyInfo(&PublicKey{Group: g, Y: y})
		require.NoError(f, err)
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
		require.NotNil(t, k.Group, "accepted a key without group or value")
		require.NotNil(t, k.Y, "accepted a key without group or value")
		require.NoError(t, k.Group.ValidatePublic(k.Y), "accepted an invalid public value")
		again, err := MarshalSubjectPublicKeyInfo(k)
		require.NoError(t, err, "an accepted key does not marshal")
		k2, err := ParseSubjectPublicKeyInfo(again)
		require.NoError(t, err, "re-encoded key refused")
		require.True(t, k2.Group.Equal(k.Group), "round trip changed the key")
		require.Equal(t, 0, k2.Y.Cmp(k.Y), "round trip changed the key")
	})
}
