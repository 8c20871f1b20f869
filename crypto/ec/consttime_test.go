package ec

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// genericCopy returns c without its filippo.io/nistec backend, so that the
// hand-written constant-time code runs on a NIST curve.
func genericCopy(c *Curve) *Curve {
	g := &Curve{name: c.name + "/generic", p: c.p, a: c.a, b: c.b, gx: c.gx, gy: c.gy, n: c.n, h: c.h}
	g.finish()
	return g
}

// The hand-written complete formulas and windows agree with
// filippo.io/nistec (which the NIST curves use) on every operation, edge
// cases included: k = 0, 1, n-1, P + P, P + (-P), O + P.
func TestGenericMatchesNistec(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []*Curve{P224(), P256(), P384(), P521()} {
		t.Run(c.Name(), func(t *testing.T) {
			g := genericCopy(c)
			require.NotNil(t, c.nist)
			require.Nil(t, g.nist)
			conv := func(p *Point) *Point {
				if p.inf {
					return g.Infinity()
				}
				q, err := g.NewPoint(&p.x, &p.y)
				require.NoError(t, err)
				return q
			}
			nm1 := new(big.Int).Sub(c.n, bigOne)
			scalars := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), nm1, new(big.Int).Rsh(c.n, 1)}
			for range 6 {
				scalars = append(scalars, new(big.Int).SetBytes(randBytes(rng, c)))
			}
			p := c.ScalarBaseMult(new(big.Int).SetBytes(randBytes(rng, c)))
			gp := conv(p)
			for _, k := range scalars {
				want := c.ScalarBaseMult(k)
				require.Equal(t, want.Bytes(), g.ScalarBaseMult(k).Bytes(), "k*G, k=%x", k)
				want = p.ScalarMult(k)
				require.Equal(t, want.Bytes(), gp.ScalarMult(k).Bytes(), "k*P, k=%x", k)
				q := c.ScalarBaseMult(k)
				require.Equal(t, p.Add(q).Bytes(), gp.Add(conv(q)).Bytes(), "P + kG")
				require.Equal(t, c.MulAdd(k, bigOne, p).Bytes(), g.MulAdd(k, bigOne, gp).Bytes())
			}
			require.Equal(t, p.Double().Bytes(), gp.Double().Bytes())
			require.Equal(t, p.Add(p).Bytes(), gp.Add(gp).Bytes())
			require.True(t, gp.Add(gp.Neg()).IsInfinity())
			require.True(t, p.Add(p.Neg()).IsInfinity())
			require.Equal(t, p.Bytes(), g.Infinity().Add(gp).Bytes())
			require.Equal(t, p.Bytes(), c.Infinity().Add(p).Bytes())
		})
	}
}

// Fermat inversion in both fields: x * x^-1 = 1, and 0 maps to 0.
func TestFermatInverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range Curves() {
		for _, m := range []*mont{c.m, c.sm} {
			var x, y, z fe
			for range 10 {
				v := new(big.Int).SetBytes(randBytes(rng, c))
				m.fromBig(&x, v.Mod(v, m.pBig))
				m.inv(&y, &x)
				m.mul(&z, &x, &y)
				if !m.isZero(&x) {
					require.True(t, m.equal(&z, &m.one), c.Name())
				}
				w := new(big.Int)
				m.toBig(w, &y)
				require.Equal(t, new(big.Int).ModInverse(v, m.pBig), w)
			}
			m.inv(&y, &fe{})
			require.True(t, m.isZero(&y))
		}
	}
}

// The masked helpers select exactly.
func TestMasks(t *testing.T) {
	for a := range uint64(20) {
		for b := range uint64(20) {
			want := uint64(0)
			if a == b {
				want = ^uint64(0)
			}
			require.Equal(t, want, eqMask(a, b))
		}
	}
	require.Equal(t, uint64(0), eqMask(1<<63, 0))
	x, y := fe{1, 2, 3}, fe{4, 5, 6}
	z := x
	cmov(&z, &y, 0)
	require.Equal(t, x, z)
	cmov(&z, &y, ^uint64(0))
	require.Equal(t, y, z)
}

// The Brainpool curves run on their isomorphic a = -3 curve (iso.go):
// every point that goes in comes out unchanged, and results agree with
// the general formulas on the curve itself.
func TestBrainpoolIsomorphism(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, c := range []*Curve{BrainpoolP192r1(), BrainpoolP224r1(), BrainpoolP256r1(), BrainpoolP320r1(), BrainpoolP384r1(), BrainpoolP512r1()} {
		t.Run(c.Name(), func(t *testing.T) {
			require.NotNil(t, c.iso)
			require.True(t, c.m.aM3)
			// The same curve without the map: general-a formulas.
			g := &Curve{name: c.name + "/plain", p: c.p, a: c.a, b: c.b, gx: c.gx, gy: c.gy, n: c.n, h: c.h}
			g.finish()
			g.iso = nil
			g.m = newMont(c.p, c.a, c.b, false)
			require.False(t, g.m.aM3)
			for range 4 {
				k := new(big.Int).SetBytes(randBytes(rng, c))
				p := c.ScalarBaseMult(k)
				gp, err := g.NewPoint(p.X(), p.Y())
				require.NoError(t, err)
				require.Equal(t, p.Bytes(), g.ScalarBaseMult(k).Bytes())
				k2 := new(big.Int).SetBytes(randBytes(rng, c))
				require.Equal(t, p.ScalarMult(k2).Bytes(), gp.ScalarMult(k2).Bytes())
				require.Equal(t, p.Add(c.Generator()).Bytes(), gp.Add(g.Generator()).Bytes())
			}
		})
	}
}

// The signed-window generator table against the generic window method on
// the generator, for scalars whose Booth digits hit every edge: 0, +-16,
// carries through every window, the top window, n-1.
func TestScalarBaseMultSignedWindows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, c := range []*Curve{BrainpoolP256r1(), BrainpoolP384r1(), BrainpoolP512r1(), genericCopy(P256()), genericCopy(P384())} {
		n := c.n
		ks := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(15), big.NewInt(16), big.NewInt(17),
			big.NewInt(31), big.NewInt(32), big.NewInt(33), big.NewInt(0x3ff), big.NewInt(0x210)}
		for _, d := range []int64{1, 2, 16, 17, 31, 32} {
			ks = append(ks, new(big.Int).Sub(n, big.NewInt(d)))
		}
		all := new(big.Int).Lsh(bigOne, uint(n.BitLen()-1))
		ks = append(ks, all, new(big.Int).Sub(all, bigOne), new(big.Int).Rsh(n, 1))
		// every bit pattern 10000 / 01111 repeated: digits +16 and -16
		for _, pat := range []uint{0x10, 0x0f, 0x1f, 0x11} {
			k := new(big.Int)
			for i := 0; i+5 <= n.BitLen()-1; i += 5 {
				k.Or(k, new(big.Int).Lsh(big.NewInt(int64(pat)), uint(i)))
			}
			ks = append(ks, k)
		}
		for range 20 {
			ks = append(ks, new(big.Int).Mod(new(big.Int).SetBytes(randBytes(rng, c)), n))
		}
		g := c.Generator()
		for _, k := range ks {
			var j proj
			c.m.scalarMult(&j, g.affine(), fixedBytes(k, c.OrderByteLen()))
			want := c.pointFromProj(&j)
			require.Equal(t, want.Bytes(), c.ScalarBaseMult(k).Bytes(), "%s k=%x", c.Name(), k)
		}
	}
}
