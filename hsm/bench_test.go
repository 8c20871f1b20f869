//go:build cgo

package hsm_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/hsm/hsmtest"
)

// BenchmarkSODSignature signs EF.SOD (pki.NewSOD over the hashes of a
// CCCD's data groups: hashing, the CMS structure and one signature) with
// the Document Signer key in SoftHSM2 and, in the same run, with the same
// kind of key in process, with 1 worker and with one per CPU. It reports
// SODs per second and the hours 50 million cards would take at that rate.
//
//	go test -run '^$' -bench SODSignature -benchtime 3s ./hsm
func BenchmarkSODSignature(b *testing.B) {
	tok := hsmtest.New(b, "bench", testPIN)
	h, err := hsm.Open(hsm.Config{Module: tok.Module, Token: tok.Label, PIN: testPIN})
	require.NoError(b, err)
	b.Cleanup(func() { _ = h.Close() })
	p, err := pkitest.New(pkitest.Config{CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(b, err)
	// The data groups of a CCCD, by size: DG1, DG2 (face), DG3, DG13,
	// DG14, DG15.
	dgs := map[int][]byte{}
	for n, size := range map[int]int{1: 95, 2: 15234, 3: 19182, 13: 411, 14: 163, 15: 298} {
		dgs[n] = make([]byte, size)
		_, _ = rand.Read(dgs[n])
	}
	for _, kt := range []struct {
		name string
		hsm  hsm.KeyType
		soft func() (crypto.Signer, error)
	}{
		{"P256", hsm.P256, func() (crypto.Signer, error) { return ecdsa.GenerateKey(elliptic.P256(), rand.Reader) }},
		{"RSA2048", hsm.RSA2048, func() (crypto.Signer, error) { return rsa.GenerateKey(rand.Reader, 2048) }},
	} {
		tk, err := h.GenerateKey("ds-"+kt.name, kt.hsm)
		require.NoError(b, err)
		sk, err := kt.soft()
		require.NoError(b, err)
		for _, w := range []int{1, runtime.GOMAXPROCS(0)} {
			for _, s := range []struct {
				where  string
				signer crypto.Signer
			}{{"in-process", sk}, {"softhsm2", tk}} {
				b.Run(fmt.Sprintf("%s/%s/workers=%d", kt.name, s.where, w), func(b *testing.B) {
					// Reuse the DS certificate: NewSOD does not check
					// that it matches the key, and the benchmark is
					// about the signature.
					b.ReportAllocs()
					var next atomic.Int64
					var wg sync.WaitGroup
					start := time.Now()
					for range w {
						wg.Go(func() {
							for next.Add(1) <= int64(b.N) {
								if _, err := pki.NewSOD(crypto.SHA256, dgs, s.signer, p.DS.Cert, nil); err != nil {
									b.Error(err)
									return
								}
							}
						})
					}
					wg.Wait()
					rate := float64(b.N) / time.Since(start).Seconds()
					b.ReportMetric(rate, "SODs/s")
					b.ReportMetric(50e6/rate/3600, "h/50M-cards")
				})
			}
		}
	}
}

// BenchmarkTokenSign is one bare signature in SoftHSM2 (C_SignInit and
// C_Sign through crypto11's session pool), P-256: the token's share of
// BenchmarkSODSignature.
func BenchmarkTokenSign(b *testing.B) {
	tok := hsmtest.New(b, "bench", testPIN)
	h, err := hsm.Open(hsm.Config{Module: tok.Module, Token: tok.Label, PIN: testPIN})
	require.NoError(b, err)
	b.Cleanup(func() { _ = h.Close() })
	k, err := h.GenerateKey("k", hsm.P256)
	require.NoError(b, err)
	d := make([]byte, 32)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Sign(nil, d, crypto.SHA256); err != nil {
			b.Fatal(err)
		}
	}
}
