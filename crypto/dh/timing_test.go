//go:build timing

package dh

// Timing-leak checks (dudect style, internal/dudect) on the private
// exponent. Run with scripts/timing; not part of CI.

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/dudect"
)

func timingExponent(rng *rand.ChaCha8, q *big.Int) []byte {
	buf := make([]byte, (q.BitLen()+7)/8+8)
	rng.Read(buf)
	k := new(big.Int).SetBytes(buf)
	k.Mod(k, new(big.Int).Sub(q, big.NewInt(1)))
	k.Add(k, big.NewInt(1))
	return k.FillBytes(make([]byte, (q.BitLen()+7)/8))
}

func TestTimingDH(t *testing.T) {
	g, err := Standardized(2)
	require.NoError(t, err)
	rng := rand.NewChaCha8([32]byte{1})
	fixed := big.NewInt(3).FillBytes(make([]byte, (g.Q.BitLen()+7)/8))
	peer, err := g.GenerateKey(rng)
	require.NoError(t, err)
	pick := func(class int) []byte {
		// Allocated alike in both classes.
		f, r := bytes.Clone(fixed), timingExponent(rng, g.Q)
		if class == 0 {
			return f
		}
		return r
	}
	t.Run("GenerateKey", func(t *testing.T) {
		dudect.Check(t, dudect.Measurements(3000), func(class int) func() {
			r := bytes.NewReader(pick(class))
			return func() { g.GenerateKey(r) }
		})
	})
	t.Run("SharedSecret", func(t *testing.T) {
		dudect.Check(t, dudect.Measurements(3000), func(class int) func() {
			k, err := g.NewPrivateKey(pick(class))
			require.NoError(t, err)
			return func() { k.SharedSecret(peer.Public()) }
		})
	})
}
