package ec

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The Montgomery field must agree with math/big, and the unrolled
// four-word multiplication with the generic one, on random values and on
// the edges 0, 1, p-1, p-2, R mod p.
func TestMontgomeryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, c := range Curves() {
		m := c.m
		p := c.p
		vals := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2),
			new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Sub(p, big.NewInt(2)),
			new(big.Int).Rsh(p, 1), new(big.Int).Mod(new(big.Int).Lsh(big.NewInt(1), uint(64*m.n)), p)}
		for range 40 {
			b := make([]byte, c.byteLen)
			for i := range b {
				b[i] = byte(rng.Uint32())
			}
			vals = append(vals, new(big.Int).Mod(new(big.Int).SetBytes(b), p))
		}
		for _, x := range vals {
			for _, y := range vals[:12] {
				var fx, fy, z, z2 fe
				m.fromBig(&fx, x)
				m.fromBig(&fy, y)
				got := new(big.Int)
				m.toBig(got, &fx)
				require.Equal(t, 0, got.Cmp(x), "round trip")

				m.mul(&z, &fx, &fy)
				m.toBig(got, &z)
				want := new(big.Int).Mul(x, y)
				want.Mod(want, p)
				require.Equal(t, 0, got.Cmp(want), "%s: %v * %v", c.Name(), x, y)
				m.mulGeneric(&z2, &fx, &fy)
				require.Equal(t, z, z2)

				m.addf(&z, &fx, &fy)
				m.toBig(got, &z)
				want.Add(x, y).Mod(want, p)
				require.Equal(t, 0, got.Cmp(want), "add")
				m.sub(&z, &fx, &fy)
				m.toBig(got, &z)
				want.Sub(x, y).Mod(want, p)
				require.Equal(t, 0, got.Cmp(want), "sub")
			}
		}
	}
}
