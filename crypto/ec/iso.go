package ec

import "math/big"

// The Brainpool "r1" curves have a general coefficient a, for which the
// complete formulas cost about a fifth more than for a = -3. Each is
// isomorphic over GF(p) to a curve with a = -3 (RFC 5639 section 3 gives
// these as the "t1" twists): with u such that a*u^4 = -3, the map
// (x, y) -> (u^2 x, u^3 y) sends y^2 = x^3 + ax + b to
// y^2 = x^3 - 3x + b*u^6. The arithmetic of this package runs on that
// curve, and points cross the map when they enter (Point.affine, the
// generator) and leave (pointFromProj); the public values, the encodings
// and the checks stay those of the curve itself.

// iso holds u^2, u^3 and their inverses in Montgomery form.
type iso struct {
	u2, u3, u2inv, u3inv fe
}

// findIso returns u with a*u^4 = -3 mod p, or nil when there is none that
// this simple method finds (p = 3 mod 4 is required: square roots are then
// one exponentiation, and exactly one of r and -r is a square).
func findIso(p, a *big.Int) *big.Int {
	if a.Sign() == 0 || p.Bit(0) != 1 || p.Bit(1) != 1 {
		return nil
	}
	ainv := new(big.Int).ModInverse(a, p)
	if ainv == nil {
		return nil
	}
	w := new(big.Int).Mul(big.NewInt(-3), ainv)
	w.Mod(w, p)
	e := new(big.Int).Add(p, bigOne)
	e.Rsh(e, 2) // (p+1)/4
	sqrt := func(x *big.Int) *big.Int {
		r := new(big.Int).Exp(x, e, p)
		if new(big.Int).Mod(new(big.Int).Mul(r, r), p).Cmp(x) != 0 {
			return nil
		}
		return r
	}
	r := sqrt(w)
	if r == nil {
		return nil
	}
	if big.Jacobi(r, p) != 1 {
		r.Sub(p, r)
	}
	return sqrt(r)
}

// setIso switches m to the a = -3 curve isomorphic to (a, b) by u, and
// returns the conversion constants.
func (m *mont) setIso(u, b *big.Int) *iso {
	p := m.pBig
	u2 := new(big.Int).Mul(u, u)
	u2.Mod(u2, p)
	u3 := new(big.Int).Mul(u2, u)
	u3.Mod(u3, p)
	b6 := new(big.Int).Mul(u3, u3)
	b6.Mul(b6, b).Mod(b6, p)
	m.fromBig(&m.a, new(big.Int).Sub(p, big.NewInt(3)))
	m.fromBig(&m.b, b6)
	m.addf(&m.b3, &m.b, &m.b)
	m.addf(&m.b3, &m.b3, &m.b)
	m.aM3 = true
	is := &iso{}
	m.fromBig(&is.u2, u2)
	m.fromBig(&is.u3, u3)
	m.fromBig(&is.u2inv, new(big.Int).ModInverse(u2, p))
	m.fromBig(&is.u3inv, new(big.Int).ModInverse(u3, p))
	return is
}

// toInternal sets a to the internal form of the affine point (x, y).
func (c *Curve) toInternal(a *affine, x, y *big.Int) {
	c.m.fromBig(&a.x, x)
	c.m.fromBig(&a.y, y)
	if c.iso != nil {
		c.m.mul(&a.x, &a.x, &c.iso.u2)
		c.m.mul(&a.y, &a.y, &c.iso.u3)
	}
}

// fromInternal sets (x, y) to the point of the curve for the internal
// affine a.
func (c *Curve) fromInternal(x, y *big.Int, a *affine) {
	ax, ay := a.x, a.y
	if c.iso != nil {
		c.m.mul(&ax, &ax, &c.iso.u2inv)
		c.m.mul(&ay, &ay, &c.iso.u3inv)
	}
	c.m.toBig(x, &ax)
	c.m.toBig(y, &ay)
}
