package ec

import (
	"math/big"
	"math/bits"
)

// This file holds the group arithmetic behind Point, in constant time with
// respect to the scalar and the coordinates:
//
//   - points in homogeneous projective coordinates (X:Y:Z) standing for
//     (X/Z, Y/Z), the point at infinity being (0:1:0);
//   - the complete formulas of Renes, Costello and Batina ("Complete
//     addition formulas for prime order elliptic curves", EUROCRYPT 2016,
//     algorithms 1, 2 and 3 for short Weierstrass curves with any a): one
//     sequence of field operations for every pair of inputs, doubling,
//     opposite points and the point at infinity included, so no branch on
//     a value;
//   - scalar multiplication over every window of the full length of n
//     (never the scalar's own bit length), a 4-bit fixed window whose table
//     is read by a masked scan of every entry, and for the generator a
//     precomputed table of d*32^w*G (signed 5-bit digits) read the same
//     way;
//   - blinded inversion (mont.invBlinded; Fermat's mont.inv as fallback).
//
// Public inputs only (ECDSA verification) take the variable-time path of
// vartime.go.
//
// The field operations (mont.go) are branch-free; only public values (the
// curve, the window count, the loop indices) decide the control flow.

// proj is a point (X:Y:Z) in projective coordinates over the Montgomery
// field; (0:1:0) is the point at infinity.
type proj struct {
	x, y, z fe
}

// affine is a point in affine coordinates (Montgomery form), with an
// explicit infinity flag; it holds public points or table entries.
type affine struct {
	x, y fe
	inf  bool
}

func (m *mont) isInf(p *proj) bool { return m.isZero(&p.z) }

func (m *mont) setInf(r *proj) {
	r.x = fe{}
	r.y = m.one
	r.z = fe{}
}

// setAffine sets r to a; whether a is the point at infinity is public.
func (m *mont) setAffine(r *proj, a *affine) {
	if a.inf {
		m.setInf(r)
		return
	}
	r.x = a.x
	r.y = a.y
	r.z = m.one
}

// cmovProj sets r = p when mask is all ones and leaves r when it is zero,
// over the first n words (the field's; the others are zero in both).
func cmovProj(r, p *proj, mask uint64, n int) {
	for j := range n {
		r.x[j] ^= mask & (r.x[j] ^ p.x[j])
		r.y[j] ^= mask & (r.y[j] ^ p.y[j])
		r.z[j] ^= mask & (r.z[j] ^ p.z[j])
	}
}

// add sets r = p + q. r may alias p or q.
func (m *mont) add(r, p, q *proj) {
	if m.aM3 {
		m.addM3(r, p, q)
		return
	}
	m.addA(r, p, q)
}

// double sets r = 2p. r may alias p.
func (m *mont) double(r, p *proj) {
	if m.aM3 {
		m.doubleM3(r, p)
		return
	}
	m.doubleA(r, p)
}

// addMixed sets r = p + q for a finite affine q; q's infinity flag is
// ignored. r may alias p.
func (m *mont) addMixed(r, p *proj, q *affine) {
	if m.aM3 {
		m.addMixedM3(r, p, q)
		return
	}
	m.addMixedA(r, p, q)
}

// addMixedM3 sets r = p + q for a finite affine q on a curve with a = -3
// (RCB algorithm 5: algorithm 4 with Z2 = 1, 11M + 2 m_b).
func (m *mont) addMixedM3(r, p *proj, q *affine) {
	var t0, t1, t2, t3, t4, x3, y3, z3 fe
	m.mul(&t0, &p.x, &q.x)
	m.mul(&t1, &p.y, &q.y)
	t2 = p.z
	m.addf(&t3, &p.x, &p.y)
	m.addf(&t4, &q.x, &q.y)
	m.mul(&t3, &t3, &t4)
	m.addf(&t4, &t0, &t1)
	m.sub(&t3, &t3, &t4)
	m.mul(&t4, &q.y, &p.z)
	m.addf(&t4, &t4, &p.y)
	m.mul(&y3, &q.x, &p.z)
	m.addf(&y3, &y3, &p.x)
	m.mul(&z3, &m.b, &t2)
	m.sub(&x3, &y3, &z3)
	m.addf(&z3, &x3, &x3)
	m.addf(&x3, &x3, &z3)
	m.sub(&z3, &t1, &x3)
	m.addf(&x3, &t1, &x3)
	m.mul(&y3, &m.b, &y3)
	m.addf(&t1, &t2, &t2)
	m.addf(&t2, &t1, &t2)
	m.sub(&y3, &y3, &t2)
	m.sub(&y3, &y3, &t0)
	m.addf(&t1, &y3, &y3)
	m.addf(&y3, &t1, &y3)
	m.addf(&t1, &t0, &t0)
	m.addf(&t0, &t1, &t0)
	m.sub(&t0, &t0, &t2)
	m.mul(&t1, &t4, &y3)
	m.mul(&t2, &t0, &y3)
	m.mul(&y3, &x3, &z3)
	m.addf(&y3, &y3, &t2)
	m.mul(&x3, &t3, &x3)
	m.sub(&x3, &x3, &t1)
	m.mul(&z3, &t4, &z3)
	m.mul(&t1, &t3, &t0)
	m.addf(&z3, &z3, &t1)
	r.x, r.y, r.z = x3, y3, z3
}

// addA sets r = p + q (RCB algorithm 1, any a: 12M + 3 m_a + 2 m_3b).
func (m *mont) addA(r, p, q *proj) {
	var t0, t1, t2, t3, t4, t5, x3, y3, z3 fe
	m.mul(&t0, &p.x, &q.x)
	m.mul(&t1, &p.y, &q.y)
	m.mul(&t2, &p.z, &q.z)
	m.addf(&t3, &p.x, &p.y)
	m.addf(&t4, &q.x, &q.y)
	m.mul(&t3, &t3, &t4)
	m.addf(&t4, &t0, &t1)
	m.sub(&t3, &t3, &t4)
	m.addf(&t4, &p.x, &p.z)
	m.addf(&t5, &q.x, &q.z)
	m.mul(&t4, &t4, &t5)
	m.addf(&t5, &t0, &t2)
	m.sub(&t4, &t4, &t5)
	m.addf(&t5, &p.y, &p.z)
	m.addf(&x3, &q.y, &q.z)
	m.mul(&t5, &t5, &x3)
	m.addf(&x3, &t1, &t2)
	m.sub(&t5, &t5, &x3)
	m.mul(&z3, &m.a, &t4)
	m.mul(&x3, &m.b3, &t2)
	m.addf(&z3, &x3, &z3)
	m.sub(&x3, &t1, &z3)
	m.addf(&z3, &t1, &z3)
	m.mul(&y3, &x3, &z3)
	m.addf(&t1, &t0, &t0)
	m.addf(&t1, &t1, &t0)
	m.mul(&t2, &m.a, &t2)
	m.mul(&t4, &m.b3, &t4)
	m.addf(&t1, &t1, &t2)
	m.sub(&t2, &t0, &t2)
	m.mul(&t2, &m.a, &t2)
	m.addf(&t4, &t4, &t2)
	m.mul(&t0, &t1, &t4)
	m.addf(&y3, &y3, &t0)
	m.mul(&t0, &t5, &t4)
	m.mul(&x3, &t3, &x3)
	m.sub(&x3, &x3, &t0)
	m.mul(&t0, &t3, &t1)
	m.mul(&z3, &t5, &z3)
	m.addf(&z3, &z3, &t0)
	r.x, r.y, r.z = x3, y3, z3
}

// addMixedA sets r = p + q for a finite affine q (RCB algorithm 2, any a:
// 11M + 3 m_a + 2 m_3b).
func (m *mont) addMixedA(r, p *proj, q *affine) {
	var t0, t1, t2, t3, t4, t5, x3, y3, z3 fe
	m.mul(&t0, &p.x, &q.x)
	m.mul(&t1, &p.y, &q.y)
	m.addf(&t3, &q.x, &q.y)
	m.addf(&t4, &p.x, &p.y)
	m.mul(&t3, &t3, &t4)
	m.addf(&t4, &t0, &t1)
	m.sub(&t3, &t3, &t4)
	m.mul(&t4, &q.x, &p.z)
	m.addf(&t4, &t4, &p.x)
	m.mul(&t5, &q.y, &p.z)
	m.addf(&t5, &t5, &p.y)
	m.mul(&z3, &m.a, &t4)
	m.mul(&x3, &m.b3, &p.z)
	m.addf(&z3, &x3, &z3)
	m.sub(&x3, &t1, &z3)
	m.addf(&z3, &t1, &z3)
	m.mul(&y3, &x3, &z3)
	m.addf(&t1, &t0, &t0)
	m.addf(&t1, &t1, &t0)
	m.mul(&t2, &m.a, &p.z)
	m.mul(&t4, &m.b3, &t4)
	m.addf(&t1, &t1, &t2)
	m.sub(&t2, &t0, &t2)
	m.mul(&t2, &m.a, &t2)
	m.addf(&t4, &t4, &t2)
	m.mul(&t0, &t1, &t4)
	m.addf(&y3, &y3, &t0)
	m.mul(&t0, &t5, &t4)
	m.mul(&x3, &t3, &x3)
	m.sub(&x3, &x3, &t0)
	m.mul(&t0, &t3, &t1)
	m.mul(&z3, &t5, &z3)
	m.addf(&z3, &z3, &t0)
	r.x, r.y, r.z = x3, y3, z3
}

// doubleA sets r = 2p (RCB algorithm 3, any a: 8M + 3S + 3 m_a + 2 m_3b).
func (m *mont) doubleA(r, p *proj) {
	var t0, t1, t2, t3, x3, y3, z3 fe
	m.sqr(&t0, &p.x)
	m.sqr(&t1, &p.y)
	m.sqr(&t2, &p.z)
	m.mul(&t3, &p.x, &p.y)
	m.addf(&t3, &t3, &t3)
	m.mul(&z3, &p.x, &p.z)
	m.addf(&z3, &z3, &z3)
	m.mul(&x3, &m.a, &z3)
	m.mul(&y3, &m.b3, &t2)
	m.addf(&y3, &x3, &y3)
	m.sub(&x3, &t1, &y3)
	m.addf(&y3, &t1, &y3)
	m.mul(&y3, &x3, &y3)
	m.mul(&x3, &t3, &x3)
	m.mul(&z3, &m.b3, &z3)
	m.mul(&t2, &m.a, &t2)
	m.sub(&t3, &t0, &t2)
	m.mul(&t3, &m.a, &t3)
	m.addf(&t3, &t3, &z3)
	m.addf(&z3, &t0, &t0)
	m.addf(&t0, &z3, &t0)
	m.addf(&t0, &t0, &t2)
	m.mul(&t0, &t0, &t3)
	m.addf(&y3, &y3, &t0)
	m.mul(&t2, &p.y, &p.z)
	m.addf(&t2, &t2, &t2)
	m.mul(&t0, &t2, &t3)
	m.sub(&x3, &x3, &t0)
	m.mul(&z3, &t2, &t1)
	m.addf(&z3, &z3, &z3)
	m.addf(&z3, &z3, &z3)
	r.x, r.y, r.z = x3, y3, z3
}

// addM3 sets r = p + q on a curve with a = -3 (RCB algorithm 4:
// 12M + 2 m_b).
func (m *mont) addM3(r, p, q *proj) {
	var t0, t1, t2, t3, t4, x3, y3, z3 fe
	m.mul(&t0, &p.x, &q.x)
	m.mul(&t1, &p.y, &q.y)
	m.mul(&t2, &p.z, &q.z)
	m.addf(&t3, &p.x, &p.y)
	m.addf(&t4, &q.x, &q.y)
	m.mul(&t3, &t3, &t4)
	m.addf(&t4, &t0, &t1)
	m.sub(&t3, &t3, &t4)
	m.addf(&t4, &p.y, &p.z)
	m.addf(&x3, &q.y, &q.z)
	m.mul(&t4, &t4, &x3)
	m.addf(&x3, &t1, &t2)
	m.sub(&t4, &t4, &x3)
	m.addf(&x3, &p.x, &p.z)
	m.addf(&y3, &q.x, &q.z)
	m.mul(&x3, &x3, &y3)
	m.addf(&y3, &t0, &t2)
	m.sub(&y3, &x3, &y3)
	m.mul(&z3, &m.b, &t2)
	m.sub(&x3, &y3, &z3)
	m.addf(&z3, &x3, &x3)
	m.addf(&x3, &x3, &z3)
	m.sub(&z3, &t1, &x3)
	m.addf(&x3, &t1, &x3)
	m.mul(&y3, &m.b, &y3)
	m.addf(&t1, &t2, &t2)
	m.addf(&t2, &t1, &t2)
	m.sub(&y3, &y3, &t2)
	m.sub(&y3, &y3, &t0)
	m.addf(&t1, &y3, &y3)
	m.addf(&y3, &t1, &y3)
	m.addf(&t1, &t0, &t0)
	m.addf(&t0, &t1, &t0)
	m.sub(&t0, &t0, &t2)
	m.mul(&t1, &t4, &y3)
	m.mul(&t2, &t0, &y3)
	m.mul(&y3, &x3, &z3)
	m.addf(&y3, &y3, &t2)
	m.mul(&x3, &t3, &x3)
	m.sub(&x3, &x3, &t1)
	m.mul(&z3, &t4, &z3)
	m.mul(&t1, &t3, &t0)
	m.addf(&z3, &z3, &t1)
	r.x, r.y, r.z = x3, y3, z3
}

// doubleM3 sets r = 2p on a curve with a = -3 (RCB algorithm 6:
// 8M + 3S + 2 m_b).
func (m *mont) doubleM3(r, p *proj) {
	var t0, t1, t2, t3, x3, y3, z3 fe
	m.sqr(&t0, &p.x)
	m.sqr(&t1, &p.y)
	m.sqr(&t2, &p.z)
	m.mul(&t3, &p.x, &p.y)
	m.addf(&t3, &t3, &t3)
	m.mul(&z3, &p.x, &p.z)
	m.addf(&z3, &z3, &z3)
	m.mul(&y3, &m.b, &t2)
	m.sub(&y3, &y3, &z3)
	m.addf(&x3, &y3, &y3)
	m.addf(&y3, &x3, &y3)
	m.sub(&x3, &t1, &y3)
	m.addf(&y3, &t1, &y3)
	m.mul(&y3, &x3, &y3)
	m.mul(&x3, &x3, &t3)
	m.addf(&t3, &t2, &t2)
	m.addf(&t2, &t2, &t3)
	m.mul(&z3, &m.b, &z3)
	m.sub(&z3, &z3, &t2)
	m.sub(&z3, &z3, &t0)
	m.addf(&t3, &z3, &z3)
	m.addf(&z3, &z3, &t3)
	m.addf(&t3, &t0, &t0)
	m.addf(&t0, &t3, &t0)
	m.sub(&t0, &t0, &t2)
	m.mul(&t0, &t0, &z3)
	m.addf(&y3, &y3, &t0)
	m.mul(&t0, &p.y, &p.z)
	m.addf(&t0, &t0, &t0)
	m.mul(&z3, &t0, &z3)
	m.sub(&x3, &x3, &z3)
	m.mul(&z3, &t0, &t1)
	m.addf(&z3, &z3, &z3)
	m.addf(&z3, &z3, &z3)
	r.x, r.y, r.z = x3, y3, z3
}

// toAffine converts p to affine coordinates (one blinded inversion, p may
// be secret). Whether the result is the point at infinity is decided after
// the computation, on the output.
func (m *mont) toAffine(out *affine, p *proj) {
	var zinv fe
	m.invBlinded(&zinv, &p.z)
	m.mul(&out.x, &p.x, &zinv)
	m.mul(&out.y, &p.y, &zinv)
	out.inf = m.isInf(p)
}

// batchAffine converts every point of in (public points: the generator's
// table) to affine with one inversion (Montgomery's trick).
func (m *mont) batchAffine(out []affine, in []proj) {
	prefix := make([]fe, len(in))
	acc := m.one
	for i := range in {
		prefix[i] = acc
		if !m.isInf(&in[i]) {
			m.mul(&acc, &acc, &in[i].z)
		}
	}
	var inv, zinv fe
	m.inv(&inv, &acc)
	for i := len(in) - 1; i >= 0; i-- {
		if m.isInf(&in[i]) {
			out[i] = affine{inf: true}
			continue
		}
		m.mul(&zinv, &inv, &prefix[i])
		m.mul(&inv, &inv, &in[i].z)
		m.mul(&out[i].x, &in[i].x, &zinv)
		m.mul(&out[i].y, &in[i].y, &zinv)
		out[i].inf = false
	}
}

const window = 4 // bits per window in scalar multiplication

// nibble returns bits [4w, 4w+4) of the big-endian scalar k.
func nibble(k []byte, w int) uint64 {
	return uint64(k[len(k)-1-w/2]>>(4*(w%2))) & 0xF
}

// eqMask returns all ones when a == b and zero otherwise, without a branch.
func eqMask(a, b uint64) uint64 {
	x := a ^ b
	// (x | -x) has its top bit set exactly when x != 0.
	return ((x | -x) >> 63) - 1
}

// scalarMult sets r = k*q for the big-endian scalar k, whose length (not
// its value) sets the number of windows: 4 doublings and one addition of a
// table entry for each of the 2*len(k) windows, the entry read by a masked
// scan of the whole table (entry 0 is the point at infinity).
func (m *mont) scalarMult(r *proj, q *affine, k []byte) {
	var tbl [1 << window]proj
	m.setInf(&tbl[0])
	m.setAffine(&tbl[1], q)
	for i := 2; i < len(tbl); i++ {
		if i%2 == 0 {
			m.double(&tbl[i], &tbl[i/2])
		} else {
			m.add(&tbl[i], &tbl[i-1], &tbl[1])
		}
	}
	m.setInf(r)
	var t proj
	for w := 2*len(k) - 1; w >= 0; w-- {
		if m.aM3 {
			m.double4Jacobian(r)
		} else {
			for range window {
				m.double(r, r)
			}
		}
		d := nibble(k, w)
		for i := range tbl {
			cmovProj(&t, &tbl[i], eqMask(uint64(i), d), m.n)
		}
		m.add(r, r, &t)
	}
}

// double4Jacobian sets r = 16r on a curve with a = -3, with the four
// doublings in Jacobian coordinates (x/z^2, y/z^3): "dbl-2001-b", 3M + 5S
// against 8M + 3S + 2 m_b for the projective formula, and two conversions
// of 3 multiplications each.
//
// Jacobian doubling has no exceptional case here either: the point at
// infinity (z = 0) maps to itself, as does (1, 1, 0), which stands for it
// on entry (a projective (0:Y:0) would become (0, 0, 0), a fixed point
// that converts back to the invalid (0:0:0)); a point of order 2 (y = 0)
// doubles to z = 0. The choice is a masked move, not a branch.
func (m *mont) double4Jacobian(r *proj) { m.doubleNJacobian(r, window) }

// doubleNJacobian sets r = 2^count * r as double4Jacobian does; count is
// public.
func (m *mont) doubleNJacobian(r *proj, count int) {
	var x, y, z, zz, t fe
	// (X:Y:Z) -> (X*Z, Y*Z^2, Z)
	m.mul(&x, &r.x, &r.z)
	m.sqr(&zz, &r.z)
	m.mul(&y, &r.y, &zz)
	z = r.z
	inf := m.zeroMask(&z)
	cmov(&x, &m.one, inf)
	cmov(&y, &m.one, inf)
	var delta, gamma, beta, alpha, u fe
	for range count {
		m.sqr(&delta, &z)
		m.sqr(&gamma, &y)
		m.mul(&beta, &x, &gamma)
		m.sub(&t, &x, &delta)
		m.addf(&u, &x, &delta)
		m.mul(&alpha, &t, &u)
		m.addf(&t, &alpha, &alpha)
		m.addf(&alpha, &alpha, &t) // alpha = 3(x-delta)(x+delta)
		// z3 = (y+z)^2 - gamma - delta, before y is overwritten
		m.addf(&t, &y, &z)
		m.sqr(&t, &t)
		m.sub(&t, &t, &gamma)
		m.sub(&z, &t, &delta)
		// x3 = alpha^2 - 8 beta
		m.addf(&beta, &beta, &beta)
		m.addf(&beta, &beta, &beta) // 4 beta
		m.sqr(&x, &alpha)
		m.sub(&x, &x, &beta)
		m.sub(&x, &x, &beta)
		// y3 = alpha (4 beta - x3) - 8 gamma^2
		m.sub(&beta, &beta, &x)
		m.mul(&y, &alpha, &beta)
		m.sqr(&gamma, &gamma)
		m.addf(&gamma, &gamma, &gamma)
		m.addf(&gamma, &gamma, &gamma)
		m.addf(&gamma, &gamma, &gamma)
		m.sub(&y, &y, &gamma)
	}
	// (x, y, z) -> (x*z, y, z^3)
	m.mul(&r.x, &x, &z)
	r.y = y
	m.sqr(&zz, &z)
	m.mul(&r.z, &zz, &z)
}

// generator returns G in the internal form.
func (c *Curve) generator() *affine {
	g := &affine{}
	c.toInternal(g, c.gx, c.gy)
	return g
}

// baseWindow is the width of the signed windows of scalarBaseMult: digits
// in [-16, 16], so a row of the generator's table holds 16 points.
const baseWindow = 5

// baseWindows returns the number of signed 5-bit windows for a scalar of
// l bytes: enough that the top window's sign bit lies above the scalar.
func baseWindows(l int) int { return (8*l-4+baseWindow-1)/baseWindow + 1 }

// baseTable returns, for the curve's generator G, the affine points
// tbl[w][d-1] = d * 32^w * G for every signed window w of an n-sized
// scalar and every digit magnitude d in 1..16 (never the point at
// infinity: n is a prime above 16 * 32^w's factors). It is built once per
// curve, on first use, from public values only.
func (c *Curve) baseTable() [][]affine {
	c.baseOnce.Do(func() {
		m := c.m
		const row = 1 << (baseWindow - 1)
		windows := baseWindows(c.OrderByteLen())
		pr := make([]proj, windows*row)
		var base proj
		m.setAffine(&base, c.generator())
		for w := range windows {
			r := pr[w*row : w*row+row]
			r[0] = base
			for d := 1; d < row; d++ {
				m.add(&r[d], &r[d-1], &base)
			}
			m.double(&base, &r[row-1]) // 32 * base
		}
		flat := make([]affine, len(pr))
		m.batchAffine(flat, pr)
		c.bTable = make([][]affine, windows)
		for w := range windows {
			c.bTable[w] = flat[w*row : w*row+row]
		}
	})
	return c.bTable
}

// scalarBit returns bit i of the big-endian scalar k, 0 outside it; i is
// public.
func scalarBit(k []byte, i int) uint64 {
	if i < 0 || i >= 8*len(k) {
		return 0
	}
	return uint64(k[len(k)-1-i/8]>>(i%8)) & 1
}

// boothDigit returns the signed digit of window w of k (Booth recoding,
// width baseWindow) as a magnitude in [0, 16] and a sign bit, from bits
// 5w-1 .. 5w+4, without a branch on k.
func boothDigit(k []byte, w int) (d, neg uint64) {
	var in uint64
	for i := range baseWindow + 1 {
		in |= scalarBit(k, baseWindow*w-1+i) << i
	}
	s := -(in >> baseWindow) // all ones when the window is negative
	t := (1<<(baseWindow+1) - 1) - in
	t = (t & s) | (in &^ s)
	return (t >> 1) + (t & 1), s & 1
}

// scalarBaseMult sets r = k*G for a big-endian k of OrderByteLen bytes
// (in practice k < n), with signed 5-bit windows: k = sum d_w 32^w with
// d_w in [-16, 16]. For every window, a masked scan of the window's whole
// table row, a masked negation of y for a negative digit, and one mixed
// (complete) addition whose result is kept only when the digit is not zero
// (a masked move, not a branch). No doubling: the rows hold the powers of
// 32. Only table entries (public points, never infinity) go through the
// mixed formula; an accumulator at infinity is handled by the complete
// formula.
func (c *Curve) scalarBaseMult(r *proj, k []byte) {
	m := c.m
	if c.noTable {
		m.scalarMult(r, c.generator(), k)
		return
	}
	tbl := c.baseTable()
	m.setInf(r)
	var t affine
	var sum proj
	var ny, zero fe
	for w := range baseWindows(len(k)) {
		d, neg := boothDigit(k, w)
		for i := range tbl[w] {
			mask := eqMask(uint64(i+1), d)
			e := &tbl[w][i]
			for j := range m.n {
				t.x[j] ^= mask & (t.x[j] ^ e.x[j])
				t.y[j] ^= mask & (t.y[j] ^ e.y[j])
			}
		}
		m.sub(&ny, &zero, &t.y)
		cmov(&t.y, &ny, -neg)
		m.addMixed(&sum, r, &t)
		cmovProj(r, &sum, ^eqMask(d, 0), m.n)
	}
}

// fixedBytes returns k >= 0 as big-endian bytes of length l; k must fit.
// For l up to scalarWords words it does not loop over k's words (whose
// number a *big.Int keeps, normalized): one copy into a fixed array, then
// a loop over l. A secret scalar's word count still shows in that copy,
// by a few nanoseconds, and only differs for scalars below 2^(64(w-1)).
func fixedBytes(k *big.Int, l int) []byte {
	out := make([]byte, l)
	if l > 8*scalarWords {
		return k.FillBytes(out)
	}
	var w [scalarWords]uint64
	if bits.UintSize == 64 {
		var bw [scalarWords]big.Word
		copy(bw[:], k.Bits())
		for i := range w {
			w[i] = uint64(bw[i])
		}
	} else {
		var bw [2 * scalarWords]big.Word
		copy(bw[:], k.Bits())
		for i := range w {
			w[i] = uint64(bw[2*i]) | uint64(bw[2*i+1])<<32
		}
	}
	for i := range l {
		out[l-1-i] = byte(w[i/8] >> (8 * (i % 8)))
	}
	return out
}

// scalarWords is the number of 64-bit words fixedBytes handles without
// math/big: room for the order of every curve this package accepts.
const scalarWords = maxLimbs + 1

// lessThanN reports whether 0 <= k < n by a subtraction over a fixed
// number of words (math/big's Cmp returns as soon as the lengths differ).
func (c *Curve) lessThanN(k *big.Int) bool {
	if k.Sign() < 0 || k.BitLen() > 64*scalarWords {
		return false
	}
	kb := fixedBytes(k, 8*scalarWords)
	nb := fixedBytes(c.n, 8*scalarWords)
	var borrow uint64
	for i := 8*scalarWords - 1; i >= 0; i-- {
		_, borrow = bits.Sub64(uint64(kb[i]), uint64(nb[i]), borrow)
	}
	return borrow == 1
}
