package ec

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The Montgomery field must agree with math/big, and the unrolled
// four-, six- and eight-word multiplications with the generic one, on
// random values and on the edges 0, 1, p-1, p-2, R mod p, modulo p and
// modulo n.
func TestMontgomeryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for _, c := range Curves() {
		for _, m := range []*mont{c.m, c.sm} {
			testMontgomeryField(t, rng, c, m)
		}
	}
}

func testMontgomeryField(t *testing.T, rng *rand.Rand, c *Curve, m *mont) {
	{
		p := m.pBig
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

func TestInvBlindedAndVartime(t *testing.T) {
	for _, c := range []*Curve{BrainpoolP256r1(), BrainpoolP384r1(), BrainpoolP512r1(), P256()} {
		for _, m := range []*mont{c.m, c.sm} {
			for i := range 50 {
				x := new(big.Int).SetInt64(int64(i + 1))
				if i > 3 {
					x.Exp(big.NewInt(7), big.NewInt(int64(1000+i*37)), m.pBig)
				}
				if i == 4 {
					x.Sub(m.pBig, bigOne)
				}
				var fx, f1, f2, f3 fe
				m.fromBig(&fx, x)
				m.inv(&f1, &fx)
				m.invBlinded(&f2, &fx)
				m.invVartime(&f3, &fx)
				require.True(t, m.equal(&f1, &f2), "%s blinded %d", c.Name(), i)
				require.True(t, m.equal(&f1, &f3), "%s vartime %d", c.Name(), i)
			}
			var zero, z fe
			z[0] = 5
			m.invBlinded(&z, &zero)
			require.True(t, m.isZero(&z))
			z[0] = 5
			m.invVartime(&z, &zero)
			require.True(t, m.isZero(&z))
		}
	}
}
