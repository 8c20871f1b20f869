//go:build timing

package pace

// Timing-leak checks (dudect style, internal/dudect) on PACE's secrets:
// the nonce s in the Generic Mapping, the terminal's ephemeral keys on the
// mapped generator, the Integrated Mapping's pseudo-random t, and the DH
// counterparts. Run with scripts/timing; not part of CI.

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/internal/dudect"
)

func timingCurves() []*ec.Curve { return []*ec.Curve{ec.BrainpoolP256r1(), ec.P256()} }

// lowScalar is the fixed class: two bits set, the top one at bit
// bitlen(n)-2, as many words as a random scalar (see crypto/ec's timing
// test).
func lowScalar(n *big.Int) *big.Int {
	k := new(big.Int).Lsh(big.NewInt(1), uint(n.BitLen()-2))
	return k.SetBit(k, 0, 1)
}

func timingScalar(rng *rand.ChaCha8, n *big.Int) *big.Int {
	buf := make([]byte, (n.BitLen()+7)/8+8)
	rng.Read(buf)
	k := new(big.Int).SetBytes(buf)
	k.Mod(k, new(big.Int).Sub(n, big.NewInt(1)))
	return k.Add(k, big.NewInt(1))
}

// Generic Mapping: G' = s*G + H with s fixed (two bits set) or random.
func TestTimingGenericMapEC(t *testing.T) {
	for _, c := range timingCurves() {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{1})
			d := newECDomain(c)
			h := c.ScalarBaseMult(timingScalar(rng, c.N()))
			dudect.Check(t, dudect.Measurements(10000), func(class int) func() {
				// Fresh values, allocated alike, in both classes.
				s, r := lowScalar(c.N()), timingScalar(rng, c.N())
				if class == 1 {
					s = r
				}
				return func() { d.genericMap(s, h) }
			})
		})
	}
}

// The terminal's ephemeral key pair on the mapped generator, and its
// agreement with the chip's key: fixed or random private scalar.
func TestTimingEphemeralEC(t *testing.T) {
	for _, c := range timingCurves() {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{2})
			d := newECDomain(c)
			mapped, err := d.genericMap(timingScalar(rng, c.N()), c.ScalarBaseMult(timingScalar(rng, c.N())))
			require.NoError(t, err)
			peer := c.ScalarBaseMult(timingScalar(rng, c.N()))
			fixed := lowScalar(c.N()).FillBytes(make([]byte, c.OrderByteLen()))
			t.Run("generate", func(t *testing.T) {
				dudect.Check(t, dudect.Measurements(10000), func(class int) func() {
					b, r := bytes.Clone(fixed), timingScalar(rng, c.N()).FillBytes(make([]byte, c.OrderByteLen()))
					if class == 1 {
						b = r
					}
					rd := bytes.NewReader(b)
					return func() { mapped.generate(rd) }
				})
			})
			t.Run("agree", func(t *testing.T) {
				dudect.Check(t, dudect.Measurements(10000), func(class int) func() {
					k, r := lowScalar(c.N()), timingScalar(rng, c.N())
					if class == 1 {
						k = r
					}
					kp := keyPair{priv: k}
					return func() { mapped.agree(kp, peer) }
				})
			})
		})
	}
}

// Integrated Mapping: the point encoding of a secret t, fixed or random.
func TestTimingIntegratedMapEC(t *testing.T) {
	for _, c := range timingCurves() {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{3})
			d := newECDomain(c)
			dudect.Check(t, dudect.Measurements(10000), func(class int) func() {
				x, r := lowScalar(c.P()), timingScalar(rng, c.P())
				if class == 1 {
					x = r
				}
				return func() { d.integratedMap(x) }
			})
		})
	}
}

// DH Generic and Integrated Mapping on the RFC 5114 2048/256 group.
func TestTimingMapDH(t *testing.T) {
	g, err := dh.Standardized(2)
	require.NoError(t, err)
	d := &dhDomain{g: g}
	rng := rand.NewChaCha8([32]byte{4})
	h := g.Exp(g.G, timingScalar(rng, g.Q))
	t.Run("generic", func(t *testing.T) {
		dudect.Check(t, dudect.Measurements(3000), func(class int) func() {
			s, r := lowScalar(g.Q), timingScalar(rng, g.Q)
			if class == 1 {
				s = r
			}
			return func() { d.genericMap(s, h) }
		})
	})
	t.Run("integrated", func(t *testing.T) {
		dudect.Check(t, dudect.Measurements(3000), func(class int) func() {
			x, r := lowScalar(g.P), timingScalar(rng, g.P)
			if class == 1 {
				x = r
			}
			return func() { d.integratedMap(x) }
		})
	})
}
