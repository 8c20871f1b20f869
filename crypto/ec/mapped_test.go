package ec

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The PACE Generic Mapping flow on the mapped curve: G' = s*G + H, then
// ephemeral keys and ECDH with G' as base point.
func TestWithGenerator(t *testing.T) {
	for _, c := range []*Curve{BrainpoolP256r1(), P256(), BrainpoolP512r1()} {
		t.Run(c.Name(), func(t *testing.T) {
			rng := rand.NewChaCha8([32]byte{11})
			a, err := GenerateKey(c, rng)
			require.NoError(t, err)
			b, err := GenerateKey(c, rng)
			require.NoError(t, err)
			h, err := a.SharedPoint(&b.PublicKey)
			require.NoError(t, err)
			s := big.NewInt(0x5EC2E7)
			gp := c.MulAdd(s, big.NewInt(1), h)
			m, err := c.WithGenerator(gp)
			require.NoError(t, err)
			require.False(t, m.IsNamed())
			require.True(t, m.Generator().Equal(gp))
			k := big.NewInt(987654321)
			require.True(t, m.ScalarBaseMult(k).Equal(gp.ScalarMult(k)))

			ka, err := GenerateKey(m, rng)
			require.NoError(t, err)
			kb, err := GenerateKey(m, rng)
			require.NoError(t, err)
			require.True(t, ka.Point().Equal(gp.ScalarMult(new(big.Int).SetBytes(ka.Bytes()))))
			// The peer's key arrives encoded and is decoded on the mapped curve.
			pb, err := NewPublicKey(m, kb.PublicKey.Bytes())
			require.NoError(t, err)
			pa, err := NewPublicKey(m, ka.PublicKey.Bytes())
			require.NoError(t, err)
			z1, err := ka.ECDH(pb)
			require.NoError(t, err)
			z2, err := kb.ECDH(pa)
			require.NoError(t, err)
			require.Equal(t, z1, z2)
			// The same secret computed on the original curve's points.
			zp := c.Generator().ScalarMult(big.NewInt(0)) // O
			require.True(t, zp.IsInfinity())
			d1 := new(big.Int).SetBytes(ka.Bytes())
			d2 := new(big.Int).SetBytes(kb.Bytes())
			require.Equal(t, z1, gp.ScalarMult(d1).ScalarMult(d2).XBytes())
		})
	}
	c := BrainpoolP256r1()
	_, err := c.WithGenerator(c.Infinity())
	require.ErrorIs(t, err, ErrInfinity)
	_, err = c.WithGenerator(P256().Generator())
	require.ErrorIs(t, err, ErrCurveMismatch)
}
