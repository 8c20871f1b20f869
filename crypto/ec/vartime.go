package ec

import "math/big"

// Variable-time arithmetic, for PUBLIC inputs only: ECDSA verification
// (u1*G + u2*Q, where u1, u2, Q and the signature are public), the
// subgroup check of a public point and the check n*G = O of explicit
// curve parameters. Everything here branches on and indexes by its
// inputs; no secret (a private key, a nonce, PACE's s or ephemeral keys, a
// mapped generator) may reach it. Secrets go through arith.go.
//
// Additions still use the complete formulas (no exceptional case to get
// wrong); the savings are those of skipping: no masked scans of tables, no
// additions for zero digits, runs of doublings in Jacobian coordinates on
// a = -3 curves, width-5 NAF digits (one addition per 6 bits on average),
// and an inversion by math/big.

// wnafWidth is the window of the NAF of verification scalars: digits odd
// in [-15, 15], a table of 8 odd multiples.
const wnafWidth = 5

// wnafVartime returns the width-w NAF of k >= 0, least significant digit
// first. k is public.
func wnafVartime(k *big.Int) []int8 {
	const w = wnafWidth
	kk := new(big.Int).Set(k)
	out := make([]int8, 0, kk.BitLen()+1)
	var low big.Int
	for kk.Sign() > 0 {
		var d int64
		if kk.Bit(0) == 1 {
			d = low.And(kk, big.NewInt(1<<w-1)).Int64()
			if d >= 1<<(w-1) {
				d -= 1 << w
			}
			kk.Sub(kk, big.NewInt(d))
		}
		out = append(out, int8(d))
		kk.Rsh(kk, 1)
	}
	return out
}

// doublesVartime sets r = 2^count * r, in Jacobian coordinates on a = -3
// curves (see double4Jacobian), projective elsewhere. Public r only: it
// returns at once for the point at infinity.
func (m *mont) doublesVartime(r *proj, count int) {
	if count == 0 || m.isInf(r) {
		return
	}
	if !m.aM3 {
		for range count {
			m.double(r, r)
		}
		return
	}
	m.doubleNJacobian(r, count)
}

// scalarMultVartime sets r = k*q for a public scalar k >= 0 and a public
// point q (left to right over the width-5 NAF of k).
func (m *mont) scalarMultVartime(r *proj, q *affine, k *big.Int) {
	m.setInf(r)
	if q.inf || k.Sign() == 0 {
		return
	}
	// tbl[i] = (2i+1) q
	var tbl [1 << (wnafWidth - 2)]proj
	m.setAffine(&tbl[0], q)
	var q2 proj
	m.double(&q2, &tbl[0])
	for i := 1; i < len(tbl); i++ {
		m.add(&tbl[i], &tbl[i-1], &q2)
	}
	naf := wnafVartime(k)
	pending := 0
	var t proj
	var zero fe
	for i := len(naf) - 1; i >= 0; i-- {
		pending++
		d := naf[i]
		if d == 0 {
			continue
		}
		m.doublesVartime(r, pending)
		pending = 0
		if d > 0 {
			m.add(r, r, &tbl[d/2])
		} else {
			t = tbl[(-d)/2]
			m.sub(&t.y, &zero, &t.y)
			m.add(r, r, &t)
		}
	}
	m.doublesVartime(r, pending)
}

// scalarBaseMultVartime sets r = k*G for a public k in [0, n-1]: the
// generator's signed-window table read by index, zero digits skipped.
func (c *Curve) scalarBaseMultVartime(r *proj, k *big.Int) {
	m := c.m
	if c.noTable {
		m.scalarMultVartime(r, c.generator(), k)
		return
	}
	kb := fixedBytes(k, c.OrderByteLen())
	tbl := c.baseTable()
	m.setInf(r)
	var t affine
	var zero fe
	for w := range baseWindows(len(kb)) {
		d, neg := boothDigit(kb, w)
		if d == 0 {
			continue
		}
		t = tbl[w][d-1]
		if neg == 1 {
			m.sub(&t.y, &zero, &t.y)
		}
		m.addMixed(r, r, &t)
	}
}

// affineVartime converts a public p to affine coordinates with a
// variable-time inversion.
func (m *mont) affineVartime(out *affine, p *proj) {
	if m.isInf(p) {
		*out = affine{inf: true}
		return
	}
	var zinv fe
	m.invVartime(&zinv, &p.z)
	m.mul(&out.x, &p.x, &zinv)
	m.mul(&out.y, &p.y, &zinv)
	out.inf = false
}

// verifyVartime returns u1*G + u2*q for PUBLIC u1, u2 in [0, n-1] and a
// public point q of c (ECDSA verification, SEC 1 section 4.1.4 step 5), in
// variable time. Only for curves without filippo.io/nistec.
func (c *Curve) verifyVartime(u1, u2 *big.Int, q *Point) *Point {
	m := c.m
	var a, b proj
	c.scalarBaseMultVartime(&a, u1)
	m.scalarMultVartime(&b, q.affine(), u2)
	m.add(&a, &a, &b)
	var out affine
	m.affineVartime(&out, &a)
	r := &Point{c: c, inf: out.inf}
	if !out.inf {
		c.fromInternal(&r.x, &r.y, &out)
	}
	return r
}

// isInfTimesVartime reports whether k*q = O for a public point q and a
// public k >= 0 (subgroup checks of public points, n*G of explicit
// curves).
func (m *mont) isInfTimesVartime(q *affine, k *big.Int) bool {
	var r proj
	m.scalarMultVartime(&r, q, k)
	return m.isInf(&r)
}
