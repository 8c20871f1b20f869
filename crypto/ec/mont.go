package ec

import (
	"crypto/rand"
	"math/big"
	"math/bits"
)

// maxLimbs is the number of 64-bit words of the largest field element.
const maxLimbs = (MaxFieldBits + 63) / 64

// fe is a field element in Montgomery form (x*R mod p, R = 2^(64*n)), as
// little-endian 64-bit words; only the first n words of the curve are used.
type fe [maxLimbs]uint64

// mont holds the constants of Montgomery arithmetic modulo a curve's p.
// It is immutable once built and shared by all computations on the curve.
//
// The multiplication is the CIOS method (Koc, Acar, Kaliski, 1996): its
// loops depend only on the number of words of p (a public value), and the
// final subtraction, like the reductions of addition and subtraction, is a
// masked selection computed with math/bits, not a branch. Inversion is
// Fermat's x^(p-2) over the public exponent.
type mont struct {
	n    int
	p    fe
	pinv uint64 // -p^-1 mod 2^64
	r2   fe     // R^2 mod p, plain
	one  fe     // R mod p: 1 in Montgomery form
	a, b fe     // curve coefficients, Montgomery form
	b3   fe     // 3*b, Montgomery form (the complete formulas use it)
	pm2  fe     // p - 2, plain: the exponent of Fermat inversion
	aM3  bool   // a == -3
	pBig *big.Int
}

// newMont returns the constants for an odd p of at most MaxFieldBits bits.
func newMont(p, a, b *big.Int, aM3 bool) *mont {
	m := &mont{n: (p.BitLen() + 63) / 64, pBig: p, aM3: aM3}
	loadBig(&m.p, p)
	// Newton iteration for p^-1 mod 2^64: each step doubles the correct bits.
	inv := uint64(1)
	for range 6 {
		inv *= 2 - m.p[0]*inv
	}
	m.pinv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*m.n))
	loadBig(&m.one, new(big.Int).Mod(r, p))
	loadBig(&m.r2, new(big.Int).Mod(new(big.Int).Mul(r, r), p))
	m.fromBig(&m.a, a)
	m.fromBig(&m.b, b)
	m.addf(&m.b3, &m.b, &m.b)
	m.addf(&m.b3, &m.b3, &m.b)
	loadBig(&m.pm2, new(big.Int).Sub(p, big.NewInt(2)))
	return m
}

// loadBig sets z to the plain words of 0 <= x < 2^MaxFieldBits.
func loadBig(z *fe, x *big.Int) {
	*z = fe{}
	if bits.UintSize == 64 {
		for i, w := range x.Bits() {
			z[i] = uint64(w)
		}
		return
	}
	for i, w := range x.Bits() {
		z[i/2] |= uint64(w) << (32 * (i % 2))
	}
}

// fromBig sets z to the Montgomery form of x in [0, p-1].
func (m *mont) fromBig(z *fe, x *big.Int) {
	var t fe
	loadBig(&t, x)
	m.mul(z, &t, &m.r2)
}

// toBig sets out to the integer of the Montgomery element x.
func (m *mont) toBig(out *big.Int, x *fe) {
	var one, t fe
	one[0] = 1
	m.mul(&t, x, &one)
	if bits.UintSize == 64 {
		w := make([]big.Word, m.n)
		for i := range w {
			w[i] = big.Word(t[i])
		}
		out.SetBits(w)
		return
	}
	w := make([]big.Word, 2*m.n)
	for i := range m.n {
		w[2*i] = big.Word(uint32(t[i]))
		w[2*i+1] = big.Word(uint32(t[i] >> 32))
	}
	out.SetBits(w)
}

// mul sets z = x*y*R^-1 mod p. z may alias x or y.
func (m *mont) mul(z, x, y *fe) {
	switch m.n {
	case 4:
		m.mul4(z, x, y)
	case 6:
		m.mul6(z, x, y)
	case 8:
		m.mul8(z, x, y)
	default:
		m.mulGeneric(z, x, y)
	}
}

// mulGeneric is mul for any number of words.
func (m *mont) mulGeneric(z, x, y *fe) {
	var tt [maxLimbs + 2]uint64
	n := m.n
	xs, ys, ps := x[:n], y[:n], m.p[:n]
	t := tt[:n+2]
	for _, yi := range ys {
		var c, cc, hi, lo uint64
		for j, xj := range xs {
			hi, lo = bits.Mul64(xj, yi)
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j] = lo
			c = hi
		}
		t[n], cc = bits.Add64(t[n], c, 0)
		t[n+1] = cc
		// Add u*p with u chosen so that the low word becomes 0, and shift.
		u := t[0] * m.pinv
		hi, lo = bits.Mul64(u, ps[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo = bits.Mul64(u, ps[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1] = lo
			c = hi
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	// t < 2p: subtract p once if t >= p, by a mask (no borrow: all ones).
	var ss fe
	s := ss[:n]
	var b uint64
	for j, pj := range ps {
		s[j], b = bits.Sub64(t[j], pj, b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	keep := -b // all ones when t < p
	for j := range n {
		z[j] = t[j]&keep | s[j]&^keep
	}
	for j := n; j < maxLimbs; j++ {
		z[j] = 0
	}
}

// sqr sets z = x^2 (Montgomery).
func (m *mont) sqr(z, x *fe) { m.mul(z, x, x) }

// addf sets z = x + y mod p (field addition; add is the point addition).
func (m *mont) addf(z, x, y *fe) {
	if m.n == 4 {
		m.addf4(z, x, y)
		return
	}
	n := m.n
	var c uint64
	for j := range n {
		z[j], c = bits.Add64(x[j], y[j], c)
	}
	var s fe
	var b uint64
	for j := range n {
		s[j], b = bits.Sub64(z[j], m.p[j], b)
	}
	// Keep the difference when the sum carried out or did not borrow.
	mask := -(c | (b ^ 1))
	for j := range n {
		z[j] = s[j]&mask | z[j]&^mask
	}
}

// sub sets z = x - y mod p.
func (m *mont) sub(z, x, y *fe) {
	if m.n == 4 {
		m.sub4(z, x, y)
		return
	}
	n := m.n
	var b uint64
	for j := range n {
		z[j], b = bits.Sub64(x[j], y[j], b)
	}
	mask := -b // all ones when x < y: add p back
	var c uint64
	for j := range n {
		z[j], c = bits.Add64(z[j], m.p[j]&mask, c)
	}
}

// cmov sets z = x when mask is all ones and leaves z when it is zero.
func cmov(z, x *fe, mask uint64) {
	for j := range z {
		z[j] ^= mask & (z[j] ^ x[j])
	}
}

// zeroMask returns all ones when x = 0 and zero otherwise, without a
// branch.
func (m *mont) zeroMask(x *fe) uint64 {
	var acc uint64
	for j := range m.n {
		acc |= x[j]
	}
	return ((acc | -acc) >> 63) - 1
}

// isZero reports whether x = 0. It reads every word; callers branch on the
// answer only where it is public (an output, a check of public input).
func (m *mont) isZero(x *fe) bool {
	var acc uint64
	for j := range m.n {
		acc |= x[j]
	}
	return acc == 0
}

func (m *mont) equal(x, y *fe) bool {
	var acc uint64
	for j := range m.n {
		acc |= x[j] ^ y[j]
	}
	return acc == 0
}

// inv sets z = x^-1 = x^(p-2) (Fermat; Montgomery form in and out), with a
// 4-bit window over the public exponent p-2: the sequence of squarings and
// multiplications depends on p only. x = 0 gives 0.
func (m *mont) inv(z, x *fe) {
	var tbl [16]fe
	tbl[0] = m.one
	tbl[1] = *x
	for i := 2; i < len(tbl); i++ {
		m.mul(&tbl[i], &tbl[i-1], x)
	}
	r := m.one
	top := (m.pBig.BitLen() + 3) / 4
	for w := top - 1; w >= 0; w-- {
		for range 4 {
			m.sqr(&r, &r)
		}
		d := (m.pm2[w/16] >> (4 * (w % 16))) & 0xF
		m.mul(&r, &r, &tbl[d])
	}
	*z = r
}

// invBlinded sets z = x^-1 for a secret x (Montgomery form in and out), p
// prime. x is multiplied by a fresh random b in [1, p-1]; the product x*b
// is then uniform in [1, p-1] and independent of x, so math/big's fast,
// variable-time ModInverse may invert it without telling anything about x;
// multiplying by b again gives x^-1. Far cheaper than the Fermat chain of
// inv (a few multiplications and one extended GCD against about 1.25*bits
// multiplications). x = 0 (only the point at infinity) gives 0. Should the
// random source fail, it falls back to inv.
func (m *mont) invBlinded(z, x *fe) {
	pm1 := new(big.Int).Sub(m.pBig, bigOne)
	b, err := rand.Int(rand.Reader, pm1)
	if err != nil {
		m.inv(z, x)
		return
	}
	b.Add(b, bigOne) // [1, p-1]
	var fb, t fe
	m.fromBig(&fb, b)
	m.mul(&t, x, &fb)
	xb := new(big.Int)
	m.toBig(xb, &t)
	if xb.ModInverse(xb, m.pBig) == nil { // x*b = 0: x = 0
		*z = fe{}
		return
	}
	m.fromBig(&t, xb)
	m.mul(z, &t, &fb)
}

// invVartime sets z = x^-1 for a PUBLIC x (Montgomery form in and out), p
// prime, with math/big's variable-time ModInverse. Never call it on a
// secret: use inv or invBlinded.
func (m *mont) invVartime(z, x *fe) {
	t := new(big.Int)
	m.toBig(t, x)
	if t.ModInverse(t, m.pBig) == nil {
		*z = fe{}
		return
	}
	m.fromBig(z, t)
}
