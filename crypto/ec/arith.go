package ec

import "math/big"

// This file holds the arithmetic behind Point: field operations modulo p on
// math/big values with reused storage, Jacobian coordinates (X/Z^2, Y/Z^3),
// windowed scalar multiplication and a precomputed comb for the generator.
//
// None of it is constant time: math/big's running time depends on the
// values, and the window lookups branch on the scalar. See the package
// documentation for where this matters and which paths use the standard
// library's constant-time code instead.

// field is the scratch state of one computation on a curve. It is not safe
// for concurrent use; every exported operation makes its own.
type field struct {
	p    *big.Int
	a    *big.Int
	aM3  bool // a == p - 3, as on the NIST curves: a faster doubling
	prod big.Int
	quo  big.Int
	t    [14]big.Int
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

// sub sets z = x-y mod p for x, y in [0, p-1].
func (f *field) sub(z, x, y *big.Int) {
	z.Sub(x, y)
	if z.Sign() < 0 {
		z.Add(z, f.p)
	}
}

// jacobian is a point (X, Y, Z) standing for the affine (X/Z^2, Y/Z^3);
// Z = 0 is the point at infinity.
type jacobian struct {
	x, y, z big.Int
}

func (j *jacobian) isInf() bool { return j.z.Sign() == 0 }

func (j *jacobian) setInf() {
	j.x.SetInt64(1)
	j.y.SetInt64(1)
	j.z.SetInt64(0)
}

func (j *jacobian) set(q *jacobian) {
	j.x.Set(&q.x)
	j.y.Set(&q.y)
	j.z.Set(&q.z)
}

func (j *jacobian) setAffine(a *affine) {
	if a.inf {
		j.setInf()
		return
	}
	j.x.Set(&a.x)
	j.y.Set(&a.y)
	j.z.SetInt64(1)
}

// affine is a point in affine coordinates, with an explicit infinity flag.
type affine struct {
	x, y big.Int
	inf  bool
}

// double sets r = 2p ("dbl-2007-bl", with the a = -3 shortcut of
// "dbl-2001-b" for M). r may alias p.
func (f *field) double(r, p *jacobian) {
	if p.isInf() || p.y.Sign() == 0 {
		r.setInf()
		return
	}
	xx, yy, yyyy, zz := &f.t[0], &f.t[1], &f.t[2], &f.t[3]
	s, m, t, u := &f.t[4], &f.t[5], &f.t[6], &f.t[7]
	f.sqr(xx, &p.x)
	f.sqr(yy, &p.y)
	f.sqr(yyyy, yy)
	f.sqr(zz, &p.z)
	// S = 2*((X1+YY)^2 - XX - YYYY)
	f.add(u, &p.x, yy)
	f.sqr(s, u)
	f.sub(s, s, xx)
	f.sub(s, s, yyyy)
	f.add(s, s, s)
	// M = 3*XX + a*ZZ^2
	if f.aM3 {
		// 3*XX - 3*ZZ^2 = 3*(X1-ZZ)*(X1+ZZ)
		f.sub(u, &p.x, zz)
		f.add(m, &p.x, zz)
		f.mul(m, m, u)
		f.add(u, m, m)
		f.add(m, m, u)
	} else {
		f.sqr(u, zz)
		f.mul(m, u, f.a)
		f.add(m, m, xx)
		f.add(m, m, xx)
		f.add(m, m, xx)
	}
	// T = M^2 - 2*S
	f.sqr(t, m)
	f.sub(t, t, s)
	f.sub(t, t, s)
	// Z3 = (Y1+Z1)^2 - YY - ZZ, before Y1 and Z1 are overwritten.
	f.add(u, &p.y, &p.z)
	f.sqr(u, u)
	f.sub(u, u, yy)
	f.sub(&r.z, u, zz)
	// Y3 = M*(S-T) - 8*YYYY
	f.sub(s, s, t)
	f.mul(s, m, s)
	f.add(yyyy, yyyy, yyyy)
	f.add(yyyy, yyyy, yyyy)
	f.add(yyyy, yyyy, yyyy)
	f.sub(&r.y, s, yyyy)
	r.x.Set(t)
}

// add sets r = p + q ("add-2007-bl"). r may alias p or q.
func (f *field) add3(r, p, q *jacobian) {
	if p.isInf() {
		r.set(q)
		return
	}
	if q.isInf() {
		r.set(p)
		return
	}
	z1z1, z2z2, u1, u2 := &f.t[8], &f.t[9], &f.t[10], &f.t[11]
	s1, s2 := &f.t[12], &f.t[13]
	f.sqr(z1z1, &p.z)
	f.sqr(z2z2, &q.z)
	f.mul(u1, &p.x, z2z2)
	f.mul(u2, &q.x, z1z1)
	f.mul(s1, &p.y, &q.z)
	f.mul(s1, s1, z2z2)
	f.mul(s2, &q.y, &p.z)
	f.mul(s2, s2, z1z1)
	h, rr := u2, s2
	f.sub(h, u2, u1)  // H = U2 - U1
	f.sub(rr, s2, s1) // r = 2*(S2 - S1)
	f.add(rr, rr, rr)
	if h.Sign() == 0 {
		if rr.Sign() == 0 {
			f.double(r, p)
		} else {
			r.setInf()
		}
		return
	}
	i, j, v, x3 := &f.t[0], &f.t[1], &f.t[2], &f.t[3]
	// Z3 = ((Z1+Z2)^2 - Z1Z1 - Z2Z2)*H, computed first: it needs Z1, Z2.
	z3 := &f.t[4]
	f.add(z3, &p.z, &q.z)
	f.sqr(z3, z3)
	f.sub(z3, z3, z1z1)
	f.sub(z3, z3, z2z2)
	f.mul(z3, z3, h)
	f.add(i, h, h)
	f.sqr(i, i)     // I = (2H)^2
	f.mul(j, h, i)  // J = H*I
	f.mul(v, u1, i) // V = U1*I
	// X3 = r^2 - J - 2V
	f.sqr(x3, rr)
	f.sub(x3, x3, j)
	f.sub(x3, x3, v)
	f.sub(x3, x3, v)
	// Y3 = r*(V - X3) - 2*S1*J
	f.sub(v, v, x3)
	f.mul(v, rr, v)
	f.mul(s1, s1, j)
	f.add(s1, s1, s1)
	f.sub(&r.y, v, s1)
	r.x.Set(x3)
	r.z.Set(z3)
}

// addMixed sets r = p + q for an affine q ("madd-2007-bl"). r may alias p.
func (f *field) addMixed(r, p *jacobian, q *affine) {
	if q.inf {
		r.set(p)
		return
	}
	if p.isInf() {
		r.setAffine(q)
		return
	}
	z1z1, u2, s2, hh := &f.t[8], &f.t[9], &f.t[10], &f.t[11]
	i, j, v, x3 := &f.t[12], &f.t[13], &f.t[4], &f.t[5]
	f.sqr(z1z1, &p.z)
	f.mul(u2, &q.x, z1z1)
	f.mul(s2, &q.y, &p.z)
	f.mul(s2, s2, z1z1)
	h, rr := u2, s2
	f.sub(h, u2, &p.x) // H = U2 - X1
	f.sub(rr, s2, &p.y)
	f.add(rr, rr, rr) // r = 2*(S2 - Y1)
	if h.Sign() == 0 {
		if rr.Sign() == 0 {
			f.double(r, p)
		} else {
			r.setInf()
		}
		return
	}
	f.sqr(hh, h)
	f.add(i, hh, hh)
	f.add(i, i, i)    // I = 4*HH
	f.mul(j, h, i)    // J = H*I
	f.mul(v, &p.x, i) // V = X1*I
	f.sqr(x3, rr)
	f.sub(x3, x3, j)
	f.sub(x3, x3, v)
	f.sub(x3, x3, v)
	// Z3 = (Z1+H)^2 - Z1Z1 - HH
	f.add(&r.z, &p.z, h)
	f.sqr(&r.z, &r.z)
	f.sub(&r.z, &r.z, z1z1)
	f.sub(&r.z, &r.z, hh)
	// Y3 = r*(V - X3) - 2*Y1*J
	f.sub(v, v, x3)
	f.mul(v, rr, v)
	f.mul(j, &p.y, j)
	f.add(j, j, j)
	f.sub(&r.y, v, j)
	r.x.Set(x3)
}

// toAffine converts p to affine coordinates.
func (f *field) toAffine(out *affine, p *jacobian) {
	if p.isInf() {
		out.inf = true
		out.x.SetInt64(0)
		out.y.SetInt64(0)
		return
	}
	zinv, zinv2 := &f.t[0], &f.t[1]
	zinv.ModInverse(&p.z, f.p)
	f.sqr(zinv2, zinv)
	f.mul(&out.x, &p.x, zinv2)
	f.mul(zinv2, zinv2, zinv)
	f.mul(&out.y, &p.y, zinv2)
	out.inf = false
}

// batchAffine converts every point of in to affine with one inversion
// (Montgomery's trick).
func (f *field) batchAffine(out []affine, in []jacobian) {
	prefix := make([]big.Int, len(in))
	acc := new(big.Int).SetInt64(1)
	for i := range in {
		prefix[i].Set(acc)
		if !in[i].isInf() {
			f.mul(acc, acc, &in[i].z)
		}
	}
	inv := new(big.Int).ModInverse(acc, f.p)
	zinv, zinv2 := new(big.Int), new(big.Int)
	for i := len(in) - 1; i >= 0; i-- {
		if in[i].isInf() {
			out[i].inf = true
			continue
		}
		f.mul(zinv, inv, &prefix[i])
		f.mul(inv, inv, &in[i].z)
		f.sqr(zinv2, zinv)
		f.mul(&out[i].x, &in[i].x, zinv2)
		f.mul(zinv2, zinv2, zinv)
		f.mul(&out[i].y, &in[i].y, zinv2)
		out[i].inf = false
	}
}

const window = 4 // bits per window in scalar multiplication

// scalarMult sets r = k*q for k >= 0, with a fixed 4-bit window over a
// table of the 15 multiples of q in affine coordinates.
func (f *field) scalarMult(r *jacobian, q *affine, k *big.Int) {
	r.setInf()
	if q.inf || k.Sign() == 0 {
		return
	}
	var jt [1 << window]jacobian
	jt[1].setAffine(q)
	f.double(&jt[2], &jt[1])
	for i := 3; i < len(jt); i++ {
		f.addMixed(&jt[i], &jt[i-1], q)
	}
	var tbl [1 << window]affine
	f.batchAffine(tbl[1:], jt[1:])
	nib := (k.BitLen() + window - 1) / window
	for w := nib - 1; w >= 0; w-- {
		for range window {
			f.double(r, r)
		}
		if d := nibble(k, w); d != 0 {
			f.addMixed(r, r, &tbl[d])
		}
	}
}

// nibble returns bits [4w, 4w+4) of k.
func nibble(k *big.Int, w int) uint {
	b := w * window
	return k.Bit(b) | k.Bit(b+1)<<1 | k.Bit(b+2)<<2 | k.Bit(b+3)<<3
}

// baseTable returns, for the curve's generator G, the affine points
// tbl[w][d-1] = d * 16^w * G for every window w of an n-sized scalar and
// every digit d in 1..15. It is built once per curve, on first use.
func (c *Curve) baseTable() [][]affine {
	c.baseOnce.Do(func() {
		f := newField(c)
		windows := (c.n.BitLen() + window - 1) / window
		jac := make([]jacobian, windows*15)
		var base jacobian
		base.x.Set(c.gx)
		base.y.Set(c.gy)
		base.z.SetInt64(1)
		for w := range windows {
			row := jac[w*15 : w*15+15]
			row[0].set(&base)
			for d := 1; d < 15; d++ {
				f.add3(&row[d], &row[d-1], &base)
			}
			f.add3(&base, &row[14], &base) // 16 * base
		}
		flat := make([]affine, len(jac))
		f.batchAffine(flat, jac)
		c.bTable = make([][]affine, windows)
		for w := range windows {
			c.bTable[w] = flat[w*15 : w*15+15]
		}
	})
	return c.bTable
}

// scalarBaseMult sets r = k*G for 0 <= k < 16^windows (in practice
// k < n): one mixed addition per non-zero digit, no doubling.
func (f *field) scalarBaseMult(c *Curve, r *jacobian, k *big.Int) {
	tbl := c.baseTable()
	r.setInf()
	nib := (k.BitLen() + window - 1) / window
	if nib > len(tbl) {
		// Larger than the table: fall back to the generic method.
		var g affine
		g.x.Set(c.gx)
		g.y.Set(c.gy)
		f.scalarMult(r, &g, k)
		return
	}
	for w := range nib {
		if d := nibble(k, w); d != 0 {
			f.addMixed(r, r, &tbl[w][d-1])
		}
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
