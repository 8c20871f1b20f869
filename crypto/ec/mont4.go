package ec

import "math/bits"

// mul4 is mont.mul unrolled for four words (the 256-bit curves, which
// PACE uses most): the same CIOS steps with the words in registers.
func (m *mont) mul4(z, x, y *fe) {
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	p0, p1, p2, p3 := m.p[0], m.p[1], m.p[2], m.p[3]
	var t0, t1, t2, t3, t4, t5 uint64
	for i := range 4 {
		yi := y[i]
		var c, cc, hi, lo uint64
		// t += x * y[i]
		hi, lo = bits.Mul64(x0, yi)
		t0, cc = bits.Add64(lo, t0, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x1, yi)
		lo, cc = bits.Add64(lo, t1, 0)
		hi += cc
		t1, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x2, yi)
		lo, cc = bits.Add64(lo, t2, 0)
		hi += cc
		t2, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x3, yi)
		lo, cc = bits.Add64(lo, t3, 0)
		hi += cc
		t3, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t4, t5 = bits.Add64(t4, c, 0)
		// t = (t + u*p) / 2^64
		u := t0 * m.pinv
		hi, lo = bits.Mul64(u, p0)
		_, cc = bits.Add64(lo, t0, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p1)
		lo, cc = bits.Add64(lo, t1, 0)
		hi += cc
		t0, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p2)
		lo, cc = bits.Add64(lo, t2, 0)
		hi += cc
		t1, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p3)
		lo, cc = bits.Add64(lo, t3, 0)
		hi += cc
		t2, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t3, cc = bits.Add64(t4, c, 0)
		t4 = t5 + cc
	}
	// t < 2p: subtract p once if t >= p.
	s0, b := bits.Sub64(t0, p0, 0)
	s1, b := bits.Sub64(t1, p1, b)
	s2, b := bits.Sub64(t2, p2, b)
	s3, b := bits.Sub64(t3, p3, b)
	_, b = bits.Sub64(t4, 0, b)
	keep := -b // all ones when t < p
	*z = fe{t0&keep | s0&^keep, t1&keep | s1&^keep, t2&keep | s2&^keep, t3&keep | s3&^keep}
}

// addf4 is addf unrolled for four words.
func (m *mont) addf4(z, x, y *fe) {
	z0, c := bits.Add64(x[0], y[0], 0)
	z1, c := bits.Add64(x[1], y[1], c)
	z2, c := bits.Add64(x[2], y[2], c)
	z3, c := bits.Add64(x[3], y[3], c)
	s0, b := bits.Sub64(z0, m.p[0], 0)
	s1, b := bits.Sub64(z1, m.p[1], b)
	s2, b := bits.Sub64(z2, m.p[2], b)
	s3, b := bits.Sub64(z3, m.p[3], b)
	mask := -(c | (b ^ 1))
	z[0] = s0&mask | z0&^mask
	z[1] = s1&mask | z1&^mask
	z[2] = s2&mask | z2&^mask
	z[3] = s3&mask | z3&^mask
}

// sub4 is sub unrolled for four words.
func (m *mont) sub4(z, x, y *fe) {
	z0, b := bits.Sub64(x[0], y[0], 0)
	z1, b := bits.Sub64(x[1], y[1], b)
	z2, b := bits.Sub64(x[2], y[2], b)
	z3, b := bits.Sub64(x[3], y[3], b)
	mask := -b
	z0, c := bits.Add64(z0, m.p[0]&mask, 0)
	z1, c = bits.Add64(z1, m.p[1]&mask, c)
	z2, c = bits.Add64(z2, m.p[2]&mask, c)
	z3, _ = bits.Add64(z3, m.p[3]&mask, c)
	z[0], z[1], z[2], z[3] = z0, z1, z2, z3
}
