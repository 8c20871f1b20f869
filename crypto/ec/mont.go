package ec

import (
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
// loops depend only on the number of words, and the final subtraction is a
// branch on the result. Callers above it branch on values, so the whole is
// not constant time (see the package documentation).
type mont struct {
	n    int
	p    fe
	pinv uint64 // -p^-1 mod 2^64
	r2   fe     // R^2 mod p, plain
	one  fe     // R mod p: 1 in Montgomery form
	a, b fe     // curve coefficients, Montgomery form
	aM3  bool   // a == -3: the faster doubling
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
	if m.n == 4 {
		m.mul4(z, x, y)
		return
	}
	m.mulGeneric(z, x, y)
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
	// t < 2p: subtract p once if t >= p.
	var ss fe
	s := ss[:n]
	var b uint64
	for j, pj := range ps {
		s[j], b = bits.Sub64(t[j], pj, b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	if b == 0 {
		copy(z[:], s)
	} else {
		copy(z[:], t[:n])
	}
	for j := n; j < maxLimbs; j++ {
		z[j] = 0
	}
}

// sqr sets z = x^2 (Montgomery).
func (m *mont) sqr(z, x *fe) { m.mul(z, x, x) }

// add sets z = x + y mod p.
func (m *mont) add(z, x, y *fe) {
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
	if c == 1 || b == 0 {
		copy(z[:n], s[:n])
	}
}

// sub sets z = x - y mod p.
func (m *mont) sub(z, x, y *fe) {
	n := m.n
	var b uint64
	for j := range n {
		z[j], b = bits.Sub64(x[j], y[j], b)
	}
	if b == 1 {
		var c uint64
		for j := range n {
			z[j], c = bits.Add64(z[j], m.p[j], c)
		}
	}
}

func (m *mont) isZero(x *fe) bool {
	var acc uint64
	for j := range m.n {
		acc |= x[j]
	}
	return acc == 0
}

// inv sets z = x^-1 (Montgomery form in and out), through math/big; x != 0.
func (m *mont) inv(z, x *fe) {
	v := new(big.Int)
	m.toBig(v, x)
	v.ModInverse(v, m.pBig)
	m.fromBig(z, v)
}
