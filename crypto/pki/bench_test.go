package pki_test

import (
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

var benchKeys = []pkitest.KeyType{pkitest.P256, pkitest.RSA2048, pkitest.BrainpoolP256r1}

// BenchmarkSignSOD: hash a CCCD-sized document and sign its EF.SOD.
func BenchmarkSignSOD(b *testing.B) {
	for _, k := range benchKeys {
		b.Run(k.String(), func(b *testing.B) {
			p := testPKI(b, k)
			dgs := cccdDataGroups()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.SignSOD(p.DS, dgs, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPassiveAuthentication: full passive authentication of a
// CCCD-sized document (DG1, DG2 of 20 KB, DG13, DG14, DG15 and EF.SOD) with
// a warm trust store (the DS -> CSCA signature and the CRL signature are
// cached after the first document; the SOD signature is verified each
// time). Reports documents per CPU-second (run with -cpu 1 for one core).
func BenchmarkPassiveAuthentication(b *testing.B) {
	for _, k := range benchKeys {
		b.Run(k.String(), func(b *testing.B) {
			p := testPKI(b, k)
			dgs := cccdDataGroups()
			sod, err := p.SignSOD(p.DS, dgs, testNow)
			if err != nil {
				b.Fatal(err)
			}
			trust := p.Trust()
			config := verifyAt(testNow.Add(time.Hour)) // a verifier keeps one
			if r := pki.Verify(sod, dgs, trust, config); !r.Valid {
				b.Fatal(r.Err())
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if !pki.Verify(sod, dgs, trust, config).Valid {
					b.Fatal("not valid")
				}
			}
			// Throughput per second of CPU time (one core), which a machine
			// shared with other work does not distort as wall time.
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "docs/cpu-s")
			}
		})
	}
}

func BenchmarkParseCertificate(b *testing.B) {
	p := testPKI(b, pkitest.P256)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pki.ParseCertificate(p.DS.Cert.Raw); err != nil {
			b.Fatal(err)
		}
	}
}
