package ec

import "math/big"

// This file holds field arithmetic on math/big values, for the checks that
// run once per point (the curve equation, square roots when decoding a
// compressed point). Scalar multiplication uses the Montgomery code of
// mont.go and arith.go.

// field is the scratch state of one computation on a curve. It is not safe
// for concurrent use; every user makes its own.
type field struct {
	p    *big.Int
	a    *big.Int
	aM3  bool // a == p - 3, as on the NIST curves: a faster doubling
	prod big.Int
	quo  big.Int
	t    [2]big.Int
}

func newField(c *Curve) *field {
	f := &field{p: c.p, a: c.a, aM3: c.aIsMinus3}
	// Grow every temporary once, so that the loop does not allocate.
	words := 2*len(c.p.Bits()) + 2
	f.prod.SetBits(make([]big.Word, 0, words))
	f.quo.SetBits(make([]big.Word, 0, words))
	for i := range f.t {
		f.t[i].SetBits(make([]big.Word, 0, words))
	}
	return f
}

// mul sets z = x*y mod p. z may alias x or y.
func (f *field) mul(z, x, y *big.Int) {
	f.prod.Mul(x, y)
	f.quo.QuoRem(&f.prod, f.p, z)
}

// sqr sets z = x^2 mod p.
func (f *field) sqr(z, x *big.Int) {
	f.prod.Mul(x, x)
	f.quo.QuoRem(&f.prod, f.p, z)
}

// add sets z = x+y mod p for x, y in [0, p-1].
func (f *field) add(z, x, y *big.Int) {
	z.Add(x, y)
	if z.Cmp(f.p) >= 0 {
		z.Sub(z, f.p)
	}
}

// isOnCurve reports whether y^2 = x^3 + ax + b for x, y in [0, p-1].
func (f *field) isOnCurve(c *Curve, x, y *big.Int) bool {
	lhs, rhs := &f.t[0], &f.t[1]
	f.sqr(lhs, y)
	f.sqr(rhs, x)
	f.add(rhs, rhs, c.a)
	f.mul(rhs, rhs, x)
	f.add(rhs, rhs, c.b)
	return lhs.Cmp(rhs) == 0
}
