package ec

import "math/big"

// This file holds the group arithmetic behind Point: Jacobian coordinates
// (X/Z^2, Y/Z^3) over the Montgomery field of mont.go, a fixed 4-bit window
// for arbitrary points and a precomputed comb for the generator.
//
// None of it is constant time: the formulas branch on special cases and the
// window lookups on the scalar's digits. See the package documentation for
// where this matters and which paths use the standard library instead.

// jacobian is a point (X, Y, Z) standing for the affine (X/Z^2, Y/Z^3);
// Z = 0 is the point at infinity.
type jacobian struct {
	x, y, z fe
}

// affine is a point in affine coordinates (Montgomery form), with an
// explicit infinity flag.
type affine struct {
	x, y fe
	inf  bool
}

func (m *mont) isInf(j *jacobian) bool { return m.isZero(&j.z) }

func (m *mont) setInf(j *jacobian) {
	j.x = m.one
	j.y = m.one
	j.z = fe{}
}

func (m *mont) setAffine(j *jacobian, a *affine) {
	if a.inf {
		m.setInf(j)
		return
	}
	j.x = a.x
	j.y = a.y
	j.z = m.one
}

// double sets r = 2p ("dbl-2007-bl", with the a = -3 shortcut of
// "dbl-2001-b" for M). r may alias p.
func (m *mont) double(r, p *jacobian) {
	if m.isInf(p) || m.isZero(&p.y) {
		m.setInf(r)
		return
	}
	var xx, yy, yyyy, zz, s, mm, t, u fe
	m.sqr(&xx, &p.x)
	m.sqr(&yy, &p.y)
	m.sqr(&yyyy, &yy)
	m.sqr(&zz, &p.z)
	// S = 2*((X1+YY)^2 - XX - YYYY)
	m.add(&u, &p.x, &yy)
	m.sqr(&s, &u)
	m.sub(&s, &s, &xx)
	m.sub(&s, &s, &yyyy)
	m.add(&s, &s, &s)
	// M = 3*XX + a*ZZ^2
	if m.aM3 {
		// 3*XX - 3*ZZ^2 = 3*(X1-ZZ)*(X1+ZZ)
		m.sub(&u, &p.x, &zz)
		m.add(&mm, &p.x, &zz)
		m.mul(&mm, &mm, &u)
		m.add(&u, &mm, &mm)
		m.add(&mm, &mm, &u)
	} else {
		m.sqr(&u, &zz)
		m.mul(&mm, &u, &m.a)
		m.add(&mm, &mm, &xx)
		m.add(&mm, &mm, &xx)
		m.add(&mm, &mm, &xx)
	}
	// T = M^2 - 2*S
	m.sqr(&t, &mm)
	m.sub(&t, &t, &s)
	m.sub(&t, &t, &s)
	// Z3 = (Y1+Z1)^2 - YY - ZZ, before Y1 and Z1 are overwritten.
	m.add(&u, &p.y, &p.z)
	m.sqr(&u, &u)
	m.sub(&u, &u, &yy)
	m.sub(&r.z, &u, &zz)
	// Y3 = M*(S-T) - 8*YYYY
	m.sub(&s, &s, &t)
	m.mul(&s, &mm, &s)
	m.add(&yyyy, &yyyy, &yyyy)
	m.add(&yyyy, &yyyy, &yyyy)
	m.add(&yyyy, &yyyy, &yyyy)
	m.sub(&r.y, &s, &yyyy)
	r.x = t
}

// add3 sets r = p + q ("add-2007-bl"). r may alias p or q.
func (m *mont) add3(r, p, q *jacobian) {
	if m.isInf(p) {
		*r = *q
		return
	}
	if m.isInf(q) {
		*r = *p
		return
	}
	var z1z1, z2z2, u1, h, s1, rr fe
	m.sqr(&z1z1, &p.z)
	m.sqr(&z2z2, &q.z)
	m.mul(&u1, &p.x, &z2z2)
	m.mul(&h, &q.x, &z1z1) // U2
	m.mul(&s1, &p.y, &q.z)
	m.mul(&s1, &s1, &z2z2)
	m.mul(&rr, &q.y, &p.z)
	m.mul(&rr, &rr, &z1z1) // S2
	m.sub(&h, &h, &u1)     // H = U2 - U1
	m.sub(&rr, &rr, &s1)
	m.add(&rr, &rr, &rr) // r = 2*(S2 - S1)
	if m.isZero(&h) {
		if m.isZero(&rr) {
			m.double(r, p)
		} else {
			m.setInf(r)
		}
		return
	}
	var i, j, v, x3, z3 fe
	// Z3 = ((Z1+Z2)^2 - Z1Z1 - Z2Z2)*H, first: it needs Z1 and Z2.
	m.add(&z3, &p.z, &q.z)
	m.sqr(&z3, &z3)
	m.sub(&z3, &z3, &z1z1)
	m.sub(&z3, &z3, &z2z2)
	m.mul(&z3, &z3, &h)
	m.add(&i, &h, &h)
	m.sqr(&i, &i)      // I = (2H)^2
	m.mul(&j, &h, &i)  // J = H*I
	m.mul(&v, &u1, &i) // V = U1*I
	// X3 = r^2 - J - 2V
	m.sqr(&x3, &rr)
	m.sub(&x3, &x3, &j)
	m.sub(&x3, &x3, &v)
	m.sub(&x3, &x3, &v)
	// Y3 = r*(V - X3) - 2*S1*J
	m.sub(&v, &v, &x3)
	m.mul(&v, &rr, &v)
	m.mul(&s1, &s1, &j)
	m.add(&s1, &s1, &s1)
	m.sub(&r.y, &v, &s1)
	r.x = x3
	r.z = z3
}

// addMixed sets r = p + q for an affine q ("madd-2007-bl"). r may alias p.
func (m *mont) addMixed(r, p *jacobian, q *affine) {
	if q.inf {
		*r = *p
		return
	}
	if m.isInf(p) {
		m.setAffine(r, q)
		return
	}
	var z1z1, h, rr, hh, i, j, v, x3 fe
	m.sqr(&z1z1, &p.z)
	m.mul(&h, &q.x, &z1z1) // U2
	m.mul(&rr, &q.y, &p.z)
	m.mul(&rr, &rr, &z1z1) // S2
	m.sub(&h, &h, &p.x)    // H = U2 - X1
	m.sub(&rr, &rr, &p.y)
	m.add(&rr, &rr, &rr) // r = 2*(S2 - Y1)
	if m.isZero(&h) {
		if m.isZero(&rr) {
			m.double(r, p)
		} else {
			m.setInf(r)
		}
		return
	}
	m.sqr(&hh, &h)
	m.add(&i, &hh, &hh)
	m.add(&i, &i, &i)   // I = 4*HH
	m.mul(&j, &h, &i)   // J = H*I
	m.mul(&v, &p.x, &i) // V = X1*I
	m.sqr(&x3, &rr)
	m.sub(&x3, &x3, &j)
	m.sub(&x3, &x3, &v)
	m.sub(&x3, &x3, &v)
	// Z3 = (Z1+H)^2 - Z1Z1 - HH
	m.add(&r.z, &p.z, &h)
	m.sqr(&r.z, &r.z)
	m.sub(&r.z, &r.z, &z1z1)
	m.sub(&r.z, &r.z, &hh)
	// Y3 = r*(V - X3) - 2*Y1*J
	m.sub(&v, &v, &x3)
	m.mul(&v, &rr, &v)
	m.mul(&j, &p.y, &j)
	m.add(&j, &j, &j)
	m.sub(&r.y, &v, &j)
	r.x = x3
}

// toAffine converts p to affine coordinates.
func (m *mont) toAffine(out *affine, p *jacobian) {
	if m.isInf(p) {
		*out = affine{inf: true}
		return
	}
	var zinv, zinv2 fe
	m.inv(&zinv, &p.z)
	m.sqr(&zinv2, &zinv)
	m.mul(&out.x, &p.x, &zinv2)
	m.mul(&zinv2, &zinv2, &zinv)
	m.mul(&out.y, &p.y, &zinv2)
	out.inf = false
}

// batchAffine converts every point of in to affine with one inversion
// (Montgomery's trick).
func (m *mont) batchAffine(out []affine, in []jacobian) {
	prefix := make([]fe, len(in))
	acc := m.one
	for i := range in {
		prefix[i] = acc
		if !m.isInf(&in[i]) {
			m.mul(&acc, &acc, &in[i].z)
		}
	}
	var inv, zinv, zinv2 fe
	m.inv(&inv, &acc)
	for i := len(in) - 1; i >= 0; i-- {
		if m.isInf(&in[i]) {
			out[i] = affine{inf: true}
			continue
		}
		m.mul(&zinv, &inv, &prefix[i])
		m.mul(&inv, &inv, &in[i].z)
		m.sqr(&zinv2, &zinv)
		m.mul(&out[i].x, &in[i].x, &zinv2)
		m.mul(&zinv2, &zinv2, &zinv)
		m.mul(&out[i].y, &in[i].y, &zinv2)
		out[i].inf = false
	}
}

const window = 4 // bits per window in scalar multiplication

// scalarMult sets r = k*q for k >= 0, with a fixed 4-bit window over a
// table of the 15 multiples of q in affine coordinates.
func (m *mont) scalarMult(r *jacobian, q *affine, k *big.Int) {
	m.setInf(r)
	if q.inf || k.Sign() == 0 {
		return
	}
	var jt [1 << window]jacobian
	m.setAffine(&jt[1], q)
	m.double(&jt[2], &jt[1])
	for i := 3; i < len(jt); i++ {
		m.addMixed(&jt[i], &jt[i-1], q)
	}
	var tbl [1 << window]affine
	m.batchAffine(tbl[1:], jt[1:])
	nib := (k.BitLen() + window - 1) / window
	for w := nib - 1; w >= 0; w-- {
		for range window {
			m.double(r, r)
		}
		if d := nibble(k, w); d != 0 {
			m.addMixed(r, r, &tbl[d])
		}
	}
}

// nibble returns bits [4w, 4w+4) of k.
func nibble(k *big.Int, w int) uint {
	b := w * window
	return k.Bit(b) | k.Bit(b+1)<<1 | k.Bit(b+2)<<2 | k.Bit(b+3)<<3
}

// generator returns G in the internal form.
func (c *Curve) generator() *affine {
	g := &affine{}
	c.m.fromBig(&g.x, c.gx)
	c.m.fromBig(&g.y, c.gy)
	return g
}

// baseTable returns, for the curve's generator G, the affine points
// tbl[w][d-1] = d * 16^w * G for every window w of an n-sized scalar and
// every digit d in 1..15. It is built once per curve, on first use.
func (c *Curve) baseTable() [][]affine {
	c.baseOnce.Do(func() {
		m := c.m
		windows := (c.n.BitLen() + window - 1) / window
		jac := make([]jacobian, windows*15)
		var base jacobian
		m.setAffine(&base, c.generator())
		for w := range windows {
			row := jac[w*15 : w*15+15]
			row[0] = base
			for d := 1; d < 15; d++ {
				m.add3(&row[d], &row[d-1], &base)
			}
			m.add3(&base, &row[14], &base) // 16 * base
		}
		flat := make([]affine, len(jac))
		m.batchAffine(flat, jac)
		c.bTable = make([][]affine, windows)
		for w := range windows {
			c.bTable[w] = flat[w*15 : w*15+15]
		}
	})
	return c.bTable
}

// scalarBaseMult sets r = k*G for 0 <= k < 16^windows (in practice
// k < n): one mixed addition per non-zero digit, no doubling.
func (c *Curve) scalarBaseMult(r *jacobian, k *big.Int) {
	m := c.m
	if c.noTable {
		m.scalarMult(r, c.generator(), k)
		return
	}
	tbl := c.baseTable()
	m.setInf(r)
	nib := (k.BitLen() + window - 1) / window
	if nib > len(tbl) {
		m.scalarMult(r, c.generator(), k)
		return
	}
	for w := range nib {
		if d := nibble(k, w); d != 0 {
			m.addMixed(r, r, &tbl[w][d-1])
		}
	}
}
