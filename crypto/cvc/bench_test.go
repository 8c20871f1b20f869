package cvc

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

func BenchmarkParse(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "openpace", "cvca.cvcert"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyChain: the two signature checks of a CVCA -> DV -> IS
// chain on brainpoolP256r1.
func BenchmarkVerifyChain(b *testing.B) {
	h, err := NewHierarchy(&HierarchyConfig{Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Rand: pkitest.SeedReader("bench")})
	if err != nil {
		b.Fatal(err)
	}
	cv, _ := h.CVCA.PublicKey.Verifier(nil)
	b.ReportAllocs()
	for b.Loop() {
		if err := h.DV.CheckSignatureFrom(cv); err != nil {
			b.Fatal(err)
		}
		dv, _ := h.DV.PublicKey.Verifier(cv.Curve())
		if err := h.IS.CheckSignatureFrom(dv); err != nil {
			b.Fatal(err)
		}
	}
}
