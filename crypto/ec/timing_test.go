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

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/dudect"
)

func timingCurves() []*Curve { return []*Curve{BrainpoolP256r1(), BrainpoolP384r1(), P256()} }

// lowScalar is the fixed class: a scalar with two bits set, the top one at
// bit bitlen(n)-2 and bit 0, so that the arithmetic meets a long run of
// zero windows. It has as many 64-bit words as a random scalar: a
// *big.Int keeps its words normalized, and a scalar with fewer words (3,
// say) also shows in the few nanoseconds it takes to copy them (see
// fixedBytes), a difference only scalars below 2^(64(w-1)) can have.
func lowScalar(c *Curve) *big.Int {
	k := new(big.Int).Lsh(bigOne, uint(c.n.BitLen()-2))
	return k.SetBit(k, 0, 1)
}

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
		// Both classes get a freshly allocated value, so that neither is
		// hotter in the cache than the other.
		// Both classes also allocate the same in preparation, so that the
		// garbage collector's assists fall alike on both.
		k, r := lowScalar(c), timingScalar(rng, c)
		if class == 1 {
			k = r
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
			require.NoError(t, err)
			dudect.Check(t, dudect.Measurements(10000), func(class int) func() {
				// A fresh key in both classes (see fixedOrRandom).
				k, _ := NewPrivateKey(c, lowScalar(c).Bytes())
				r, _ := GenerateKey(c, rng)
				if class == 1 {
					k = r
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
			require.NoError(t, err)
			digest := sha256.Sum256([]byte("timing"))
			e := hashToInt(digest[:], c.n)
			c.ScalarBaseMult(bigOne)
			dudect.Check(t, dudect.Measurements(20000), func(class int) func() {
				kk := timingScalar(rng, c)
				if class == 0 {
					kk.Rsh(kk, 32) // same word count, 32 leading zero bits
				}
				return func() { key.signWithNonce(kk, e) }
			})
		})
	}
}
