package ec

import "math/bits"

// mul6 is mont.mul unrolled for 6 words (the 384-bit fields), the
// same CIOS steps as mul4 and mulGeneric with the words in variables.
func (m *mont) mul6(z, x, y *fe) {
	x0, x1, x2, x3, x4, x5 := x[0], x[1], x[2], x[3], x[4], x[5]
	p0, p1, p2, p3, p4, p5 := m.p[0], m.p[1], m.p[2], m.p[3], m.p[4], m.p[5]
	var t0, t1, t2, t3, t4, t5, t6, t7 uint64
	for i := range 6 {
		yi := y[i]
		var c, cc, hi, lo uint64
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
		hi, lo = bits.Mul64(x4, yi)
		lo, cc = bits.Add64(lo, t4, 0)
		hi += cc
		t4, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x5, yi)
		lo, cc = bits.Add64(lo, t5, 0)
		hi += cc
		t5, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t6, t7 = bits.Add64(t6, c, 0)
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
		hi, lo = bits.Mul64(u, p4)
		lo, cc = bits.Add64(lo, t4, 0)
		hi += cc
		t3, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p5)
		lo, cc = bits.Add64(lo, t5, 0)
		hi += cc
		t4, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t5, cc = bits.Add64(t6, c, 0)
		t6 = t7 + cc
	}
	// t < 2p: subtract p once if t >= p.
	s0, b := bits.Sub64(t0, p0, 0)
	s1, b := bits.Sub64(t1, p1, b)
	s2, b := bits.Sub64(t2, p2, b)
	s3, b := bits.Sub64(t3, p3, b)
	s4, b := bits.Sub64(t4, p4, b)
	s5, b := bits.Sub64(t5, p5, b)
	_, b = bits.Sub64(t6, 0, b)
	keep := -b // all ones when t < p
	*z = fe{t0&keep | s0&^keep, t1&keep | s1&^keep, t2&keep | s2&^keep, t3&keep | s3&^keep, t4&keep | s4&^keep, t5&keep | s5&^keep}
}

// mul8 is mont.mul unrolled for 8 words (the 512-bit fields), the
// same CIOS steps as mul4 and mulGeneric with the words in variables.
func (m *mont) mul8(z, x, y *fe) {
	x0, x1, x2, x3, x4, x5, x6, x7 := x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]
	p0, p1, p2, p3, p4, p5, p6, p7 := m.p[0], m.p[1], m.p[2], m.p[3], m.p[4], m.p[5], m.p[6], m.p[7]
	var t0, t1, t2, t3, t4, t5, t6, t7, t8, t9 uint64
	for i := range 8 {
		yi := y[i]
		var c, cc, hi, lo uint64
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
		hi, lo = bits.Mul64(x4, yi)
		lo, cc = bits.Add64(lo, t4, 0)
		hi += cc
		t4, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x5, yi)
		lo, cc = bits.Add64(lo, t5, 0)
		hi += cc
		t5, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x6, yi)
		lo, cc = bits.Add64(lo, t6, 0)
		hi += cc
		t6, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(x7, yi)
		lo, cc = bits.Add64(lo, t7, 0)
		hi += cc
		t7, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t8, t9 = bits.Add64(t8, c, 0)
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
		hi, lo = bits.Mul64(u, p4)
		lo, cc = bits.Add64(lo, t4, 0)
		hi += cc
		t3, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p5)
		lo, cc = bits.Add64(lo, t5, 0)
		hi += cc
		t4, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p6)
		lo, cc = bits.Add64(lo, t6, 0)
		hi += cc
		t5, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		hi, lo = bits.Mul64(u, p7)
		lo, cc = bits.Add64(lo, t7, 0)
		hi += cc
		t6, cc = bits.Add64(lo, c, 0)
		c = hi + cc
		t7, cc = bits.Add64(t8, c, 0)
		t8 = t9 + cc
	}
	// t < 2p: subtract p once if t >= p.
	s0, b := bits.Sub64(t0, p0, 0)
	s1, b := bits.Sub64(t1, p1, b)
	s2, b := bits.Sub64(t2, p2, b)
	s3, b := bits.Sub64(t3, p3, b)
	s4, b := bits.Sub64(t4, p4, b)
	s5, b := bits.Sub64(t5, p5, b)
	s6, b := bits.Sub64(t6, p6, b)
	s7, b := bits.Sub64(t7, p7, b)
	_, b = bits.Sub64(t8, 0, b)
	keep := -b // all ones when t < p
	*z = fe{t0&keep | s0&^keep, t1&keep | s1&^keep, t2&keep | s2&^keep, t3&keep | s3&^keep, t4&keep | s4&^keep, t5&keep | s5&^keep, t6&keep | s6&^keep, t7&keep | s7&^keep}
}
