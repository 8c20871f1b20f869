package dh

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func addFiles(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
}

func checkErr(t *testing.T, err error) {
	var e *Error
	require.ErrorAs(t, err, &e, "error %v (%T) is not a *dh.Error", err, err)
}

// FuzzParseParameters feeds the same bytes to both parameter parsers and
// the SPKI parser: no panic, typed errors, accepted groups round trip.
func FuzzParseParameters(f *testing.F) {
	addFiles(f, "testdata/openssl/*.der")
	g, _ := Standardized(0)
	k, _ := g.NewPrivateKey([]byte{9})
	spki, _ := MarshalSubjectPublicKeyInfo(k.Public())
	f.Add(spki)
	f.Fuzz(func(t *testing.T, b []byte) {
		if g, err := ParseDomainParameters(b); err != nil {
			checkErr(t, err)
		} else {
			der, err := MarshalDomainParameters(g)
			require.NoError(t, err)
			g2, err := ParseDomainParameters(der)
			require.NoError(t, err, "round trip")
			require.True(t, g2.Equal(g), "round trip: %v", err)
		}
		if g, err := ParseDHParameter(b); err != nil {
			checkErr(t, err)
		} else {
			der, _ := MarshalDHParameter(g)
			g2, err := ParseDHParameter(der)
			require.NoError(t, err, "round trip")
			require.True(t, g2.Equal(g), "round trip: %v", err)
		}
		if pub, err := ParseSubjectPublicKeyInfo(b); err != nil {
			checkErr(t, err)
		} else {
			require.NoError(t, pub.Group.ValidatePublic(pub.Y), "accepted an invalid public value")
		}
	})
}
