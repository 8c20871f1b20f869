//go:build timing

package ec

// Timing-leak checks (dudect style, internal/dudect) on every operation of
// this package that takes a secret scalar. Run with scripts/timing; not
// part of CI.

import (
	"crypto/sha256"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/cancuoc/cancuoc/internal/dudect"
)

func timingCurves() []*Curve { return []*Curve{BrainpoolP256r1(), BrainpoolP384r1(), P256()} }

// lowScalar is the fixed class: a scalar with two bits set.
var lowScalar = big.NewInt(3)

// randomScalar draws a scalar in [1, n-1] from rng.
func timingScalar(rng *rand.ChaCha8, c *Curve) *big.Int {
	buf := make([]byte, c.OrderByteLen()+8)
	rng.Read(buf)
	k := new(big.Int).SetBytes(buf)
	k.Mod(k, new(big.Int).Sub(c.n, bigOne))
	return k.Add(k, bigOne)
}

// fixedOrRandom is the preparation of a scalar test: class 0 a fixed
// low-weight scalar, class 1 a fresh random one.
func fixedOrRandom(c *Curve, rng *rand.ChaCha8, op func(k *big.Int)) func(int) func() {
	return func(class int) func() {
		k := lowScalar
		if class == 1 {
			k = timingScalar(rng, c)
		}
		return func() { op(k) }
	}
}

func TestTimingScalarBaseMult(t *testing.T) {
	for _, c := range timingCurves() {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{1})
			c.ScalarBaseMult(bigOne)
			dudect.Check(t, dudect.Measurements(20000), fixedOrRandom(c, rng, func(k *big.Int) { c.ScalarBaseMult(k) }))
		})
	}
}

func TestTimingScalarMult(t *testing.T) {
	for _, c := range timingCurves() {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{2})
			p := c.ScalarBaseMult(timingScalar(rng, c))
			dudect.Check(t, dudect.Measurements(10000), fixedOrRandom(c, rng, func(k *big.Int) { p.ScalarMult(k) }))
		})
	}
}

// ECDH with a fixed low-weight private key against random ones.
func TestTimingECDH(t *testing.T) {
	for _, c := range timingCurves() {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{3})
			peer, err := GenerateKey(c, rng)
			if err != nil {
				t.Fatal(err)
			}
			fixed, err := NewPrivateKey(c, lowScalar.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			dudect.Check(t, dudect.Measurements(10000), func(class int) func() {
				k := fixed
				if class == 1 {
					k, _ = GenerateKey(c, rng)
				}
				return func() { k.ECDH(&peer.PublicKey) }
			})
		})
	}
}

// ECDSA signing with nonces whose 32 leading bits are zero against
// random nonces (the Minerva leak).
func TestTimingECDSASign(t *testing.T) {
	for _, c := range []*Curve{BrainpoolP256r1(), BrainpoolP384r1()} {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{4})
			key, err := GenerateKey(c, rng)
			if err != nil {
				t.Fatal(err)
			}
			digest := sha256.Sum256([]byte("timing"))
			e := hashToInt(digest[:], c.n)
			c.ScalarBaseMult(bigOne)
			dudect.Check(t, dudect.Measurements(20000), func(class int) func() {
				kk := timingScalar(rng, c)
				if class == 0 {
					kk.Rsh(kk, 32)
				}
				return func() { key.signWithNonce(kk, e) }
			})
		})
	}
}
