package ec

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// The variable-time verification path agrees with the constant-time
// operations on edge and random scalars, on brainpool (isomorphic a = -3),
// a = -3 and general-a generic curves.
func TestVerifyVartimeMatchesConstantTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	curves := []*Curve{BrainpoolP256r1(), BrainpoolP384r1(), BrainpoolP512r1(), genericCopy(P256()), genericCopy(P521())}
	// brainpoolP256r1 without the isomorphism: general-a formulas
	bp := BrainpoolP256r1()
	plain := &Curve{name: "bp256/plain", p: bp.p, a: bp.a, b: bp.b, gx: bp.gx, gy: bp.gy, n: bp.n, h: bp.h}
	plain.finish()
	plain.iso = nil
	plain.m = newMont(bp.p, bp.a, bp.b, false)
	curves = append(curves, plain)
	for _, c := range curves {
		n := c.n
		nm1 := new(big.Int).Sub(n, bigOne)
		q := c.ScalarBaseMult(new(big.Int).SetBytes(randBytes(rng, c)))
		scal := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(15), big.NewInt(16), big.NewInt(31), nm1,
			new(big.Int).Sub(n, big.NewInt(2)), new(big.Int).Rsh(n, 1)}
		for range 6 {
			scal = append(scal, new(big.Int).Mod(new(big.Int).SetBytes(randBytes(rng, c)), n))
		}
		for _, u1 := range scal {
			for _, u2 := range scal[:6] {
				want := c.ScalarBaseMult(u1).Add(q.ScalarMult(u2))
				require.True(t, want.Equal(c.verifyVartime(u1, u2, q)), "%s u1=%x u2=%x", c.Name(), u1, u2)
			}
		}
		// u1*G + u2*Q = O and = 2Q (the complete formulas cover it)
		k := new(big.Int).Mod(new(big.Int).SetBytes(randBytes(rng, c)), n)
		qk := c.ScalarBaseMult(k)
		require.True(t, c.verifyVartime(new(big.Int).Sub(n, k), bigOne, qk).IsInfinity())
		require.True(t, c.verifyVartime(k, bigOne, qk).Equal(qk.Add(qk)))
		require.True(t, c.m.isInfTimesVartime(q.affine(), n))
		require.False(t, c.m.isInfTimesVartime(q.affine(), nm1))
	}
}

func TestWNAFVartime(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for range 200 {
		buf := make([]byte, 1+rng.IntN(38))
		for i := range buf {
			buf[i] = byte(rng.Uint32())
		}
		k := new(big.Int).SetBytes(buf)
		naf := wnafVartime(k)
		sum := new(big.Int)
		for i := len(naf) - 1; i >= 0; i-- {
			sum.Lsh(sum, 1)
			sum.Add(sum, big.NewInt(int64(naf[i])))
			d := naf[i]
			require.True(t, d == 0 || (d%2 != 0 && d > -16 && d < 16))
		}
		require.Equal(t, k, sum)
	}
}
