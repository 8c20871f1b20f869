package ec

import (
	"crypto/ecdh"
	"math/big"
	"math/rand/v2"
	"testing"
)

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
			b.ReportAllocs()
			for b.Loop() {
				p.ScalarMult(k)
			}
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
			b.ReportAllocs()
			for b.Loop() {
				c.ScalarBaseMult(k)
			}
		})
	}
}

// BenchmarkECDH: PrivateKey.ECDH (crypto/ecdh for P-256, generic otherwise).
func BenchmarkECDH(b *testing.B) {
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			k1, _ := GenerateKey(c, rand.NewChaCha8([32]byte{1}))
			k2, _ := GenerateKey(c, rand.NewChaCha8([32]byte{2}))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := k1.ECDH(&k2.PublicKey); err != nil {
					b.Fatal(err)
				}
			}
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
			b.ReportAllocs()
			for b.Loop() {
				if _, err := k.Sign(nil, digest, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkECDSAVerify(b *testing.B) {
	digest := make([]byte, 32)
	for _, c := range benchCurves() {
		b.Run(c.Name(), func(b *testing.B) {
			k, _ := GenerateKey(c, rand.NewChaCha8([32]byte{1}))
			sig, _ := k.Sign(nil, digest, nil)
			b.ReportAllocs()
			for b.Loop() {
				if !k.PublicKey.VerifyASN1(digest, sig) {
					b.Fatal("verify failed")
				}
			}
		})
	}
}
