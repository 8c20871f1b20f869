package ec

import (
	"crypto/ecdh"
	"math/big"
	"math/rand/v2"
	"testing"
)

// loop runs f b.N times and reports, besides the wall-clock ns/op that
// the load of a shared machine inflates, the process CPU time per
// operation (cpu-ns/op).
func loop(b *testing.B, f func()) {
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		f()
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func benchCurves() []*Curve {
	return []*Curve{BrainpoolP256r1(), BrainpoolP384r1(), BrainpoolP512r1(), P256()}
}

// BenchmarkScalarMult: k*P on an arbitrary point (generic window method).
func BenchmarkScalarMult(b *testing.B) {
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			p := c.ScalarBaseMult(new(big.Int).SetBytes(randBytes(rng, c)))
			k := new(big.Int).SetBytes(randBytes(rng, c))
			loop(b, func() { p.ScalarMult(k) })
		})
	}
}

// BenchmarkScalarBaseMult: k*G with the precomputed comb.
func BenchmarkScalarBaseMult(b *testing.B) {
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			k := new(big.Int).SetBytes(randBytes(rng, c))
			c.ScalarBaseMult(k) // build the table outside the loop
			loop(b, func() { c.ScalarBaseMult(k) })
		})
	}
}

// BenchmarkECDH: PrivateKey.ECDH (crypto/ecdh for P-256, generic otherwise).
func BenchmarkECDH(b *testing.B) {
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			k1, _ := GenerateKey(c, rand.NewChaCha8([32]byte{1}))
			k2, _ := GenerateKey(c, rand.NewChaCha8([32]byte{2}))
			loop(b, func() {
				if _, err := k1.ECDH(&k2.PublicKey); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkStdlibECDHP256: crypto/ecdh alone, for reference.
func BenchmarkStdlibECDHP256(b *testing.B) {
	k1, _ := ecdh.P256().GenerateKey(nil)
	k2, _ := ecdh.P256().GenerateKey(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k1.ECDH(k2.PublicKey()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkECDSASign(b *testing.B) {
	digest := make([]byte, 32)
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			k, _ := GenerateKey(c, rand.NewChaCha8([32]byte{1}))
			loop(b, func() {
				if _, err := k.Sign(nil, digest, nil); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

func BenchmarkECDSAVerify(b *testing.B) {
	digest := make([]byte, 32)
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			k, _ := GenerateKey(c, rand.NewChaCha8([32]byte{1}))
			sig, _ := k.Sign(nil, digest, nil)
			loop(b, func() {
				if !k.PublicKey.VerifyASN1(digest, sig) {
					b.Fatal("verify failed")
				}
			})
		})
	}
}
