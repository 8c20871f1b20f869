package dh

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
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
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *dh.Error", err, err)
	}
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
			if err != nil {
				t.Fatal(err)
			}
			g2, err := ParseDomainParameters(der)
			if err != nil || !g2.Equal(g) {
				t.Fatalf("round trip: %v", err)
			}
		}
		if g, err := ParseDHParameter(b); err != nil {
			checkErr(t, err)
		} else {
			der, _ := MarshalDHParameter(g)
			g2, err := ParseDHParameter(der)
			if err != nil || !g2.Equal(g) {
				t.Fatalf("round trip: %v", err)
			}
		}
		if pub, err := ParseSubjectPublicKeyInfo(b); err != nil {
			checkErr(t, err)
		} else if pub.Group.ValidatePublic(pub.Y) != nil {
			t.Fatal("accepted an invalid public value")
		}
	})
}
