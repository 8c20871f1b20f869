package pace

import (
	"crypto/subtle"
	"io"
	"math/big"

	"filippo.io/bigmod"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// integratedMapping is the Integrated Mapping (ICAO Doc 9303-11
// §4.4.3.3.2): the terminal sends a nonce t and both sides map the pair
// directly, G' = f_G(R_p(s, t)) on curves, g' = R_p(s, t)^((p-1)/q) in
// prime-field groups. The chip answers an empty '82'.
type integratedMapping struct{ noFinish }

// terminalStart draws the nonce t, which '81' carries (as pub).
func (integratedMapping) terminalStart(p *protocol, rand io.Reader) (keyPair, error) {
	tn := make([]byte, imKeyLen(p.cipher))
	if _, err := io.ReadFull(rand, tn); err != nil {
		return keyPair{}, newErr("map nonce", 0, ErrRandom)
	}
	return keyPair{pub: tn}, nil
}

// terminalMap ignores the chip's answer: an empty '82', or nothing at all.
func (integratedMapping) terminalMap(p *protocol, s []byte, sent keyPair, _ authData) (domain, []byte, error) {
	x, err := mapNonceIM(p.cipher, s, sent.pub, p.dom.prime())
	if err != nil {
		return nil, nil, newErr("map nonce", 0, ErrMalformed)
	}
	mapped, err := p.dom.integratedMap(x)
	if err != nil {
		return nil, nil, newErr("map nonce", 0, ErrInvalidKey)
	}
	return mapped, nil, nil
}

func (integratedMapping) chipMap(p *protocol, s, v []byte, _ io.Reader) (domain, keyPair, []byte, error) {
	const op = "map nonce"
	if len(v) != imKeyLen(p.cipher) {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	x, err := mapNonceIM(p.cipher, s, v, p.dom.prime())
	if err != nil {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	m, err := p.dom.integratedMap(x)
	if err != nil {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrInvalidKey)
	}
	return m, keyPair{}, nil, nil
}

// Constants of the pseudo-random function of the Integrated Mapping (ICAO
// Doc 9303-11 §4.4.3.3.2): 128-bit ones for 3DES and AES-128, 256-bit ones
// for AES-192 and AES-256.
var (
	imC0128 = []byte{0xa6, 0x68, 0x89, 0x2a, 0x7c, 0x41, 0xe3, 0xca, 0x73, 0x9f, 0x40, 0xb0, 0x57, 0xd8, 0x59, 0x04}
	imC1128 = []byte{0xa4, 0xe1, 0x36, 0xac, 0x72, 0x5f, 0x73, 0x8b, 0x01, 0xc1, 0xf6, 0x02, 0x17, 0xc1, 0x88, 0xad}
	imC0256 = []byte{
		0xd4, 0x63, 0xd6, 0x52, 0x34, 0x12, 0x4e, 0xf7, 0x89, 0x70, 0x54, 0x98, 0x6d, 0xca, 0x0a, 0x17,
		0x4e, 0x28, 0xdf, 0x75, 0x8c, 0xba, 0xa0, 0x3f, 0x24, 0x06, 0x16, 0x41, 0x4d, 0x5a, 0x16, 0x76}
	imC1256 = []byte{
		0x54, 0xbd, 0x72, 0x55, 0xf0, 0xaa, 0xf8, 0x31, 0xbe, 0xc3, 0x42, 0x3f, 0xcf, 0x39, 0xd6, 0x9b,
		0x6c, 0xbf, 0x06, 0x66, 0x77, 0xd0, 0xfa, 0xae, 0x5a, 0xad, 0xd9, 0x9d, 0xf8, 0xe5, 0x35, 0x17}
)

// prf is R(s, t) of the Integrated Mapping, before the reduction modulo p:
// k_0 = E(t, s); then for i = 1..n, with k_{i-1} cut to the key size,
// x_i = E(k_{i-1}, c1) and k_i = E(k_{i-1}, c0); the output is x_1 || ... ||
// x_n with n the smallest number such that n*l >= bitlen(p) + 64. E is the
// protocol's block cipher in CBC mode with a zero IV; for 3DES the key is
// taken as 128 bits.
func prf(c sm.Cipher, s, t []byte, p *big.Int) ([]byte, error) {
	k := imKeyLen(c)
	c0, c1 := imC0128, imC1128
	if c == sm.AES192 || c == sm.AES256 {
		c0, c1 = imC0256, imC1256
	}
	l := len(c1)
	if len(t) != k || len(s) < k || len(s)%c.BlockSize() != 0 {
		return nil, ErrMalformed
	}
	ki, err := sm.Encrypt(c, t, nil, s)
	if err != nil {
		return nil, ErrMalformed
	}
	n := (p.BitLen() + 64 + 8*l - 1) / (8 * l)
	out := make([]byte, 0, n*l)
	for range n {
		key := ki[:k]
		x, err := sm.Encrypt(c, key, nil, c1)
		if err != nil {
			return nil, ErrMalformed
		}
		next, err := sm.Encrypt(c, key, nil, c0)
		if err != nil {
			return nil, ErrMalformed
		}
		clear(ki)
		out = append(out, x...)
		ki = next
	}
	clear(ki)
	return out, nil
}

// mapNonceIM is R_p(s, t) = int(R(s, t)) mod p.
func mapNonceIM(c sm.Cipher, s, t []byte, p *big.Int) (*big.Int, error) {
	r, err := prf(c, s, t, p)
	if err != nil {
		return nil, err
	}
	x := new(big.Int).SetBytes(r)
	clear(r)
	return x.Mod(x, p), nil
}

// pointEncode is the point encoding f_G(t) of the ECDH Integrated Mapping
// (ICAO Doc 9303-11 Appendix B.2, from Brier et al., CRYPTO 2010), for
// curves with p = 3 mod 4 and 0 < t < p:
//
//	α = -t² ; X2 = -b(1+α+α²)·(a(α+α²))^(p-2) ; X3 = α·X2
//	h2 = X2³ + a·X2 + b ; U = t³·h2 ; A = h2^(p-1-(p+1)/4)
//	(x, y) = (X2, A·h2) if A²·h2 = 1, else (X3, A·U); output f·(x, y).
//
// t derives from the nonce s, and the mapped generator from t: the field
// arithmetic runs in constant time (filippo.io/bigmod, exponents public),
// both candidates are computed and one is chosen by a masked copy.
func pointEncode(c *ec.Curve, t *big.Int) (*ec.Point, error) {
	p, a, b := c.P(), c.A(), c.B()
	if p.Bit(0) != 1 || p.Bit(1) != 1 || t.Sign() <= 0 || t.Cmp(p) >= 0 {
		return nil, ErrUnsupported
	}
	m, err := bigmod.NewModulus(p.Bytes())
	if err != nil {
		return nil, ErrUnsupported
	}
	l := (p.BitLen() + 7) / 8
	nat := func(v *big.Int) *bigmod.Nat {
		x, err := bigmod.NewNat().SetBytes(v.FillBytes(make([]byte, l)), m)
		if err != nil {
			panic("pace: value not reduced modulo p") // callers reduce
		}
		return x
	}
	cp := func(x *bigmod.Nat) *bigmod.Nat { return nat(new(big.Int).SetBytes(x.Bytes(m))) }
	zero := bigmod.NewNat().ExpandFor(m)
	an, bn, tn := nat(a), nat(b), nat(t)

	alpha := cp(zero).Sub(cp(tn).Mul(tn, m), m) // -t²
	sum := cp(alpha).Mul(alpha, m)              // α²
	sum.Add(alpha, m)                           // α + α²
	den := cp(an).Mul(sum, m)                   // a(α+α²)
	if den.IsZero() == 1 {
		return nil, ErrInvalidKey
	}
	den = bigmod.NewNat().Exp(den, new(big.Int).Sub(p, big.NewInt(2)).FillBytes(make([]byte, l)), m)
	x2 := nat(big.NewInt(1))
	x2.Add(sum, m)             // 1 + α + α²
	x2.Mul(bn, m)              // b(1+α+α²)
	x2 = cp(zero).Sub(x2, m)   // -b(1+α+α²)
	x2.Mul(den, m)             // X2
	x3 := cp(alpha).Mul(x2, m) // X3 = α·X2
	h2 := cp(x2).Mul(x2, m)    // X2²
	h2.Add(an, m).Mul(x2, m)   // X2³ + a·X2
	h2.Add(bn, m)              // h2
	u := cp(tn).Mul(tn, m)     // t²
	u.Mul(tn, m).Mul(h2, m)    // U = t³·h2
	e := new(big.Int).Add(p, big.NewInt(1))
	e.Rsh(e, 2)
	e.Sub(new(big.Int).Sub(p, big.NewInt(1)), e)
	A := bigmod.NewNat().Exp(h2, e.FillBytes(make([]byte, l)), m)
	chk := cp(A).Mul(A, m)
	chk.Mul(h2, m)
	ya := cp(A).Mul(h2, m)
	yb := cp(A).Mul(u, m)

	// (x, y) = (X2, A·h2) when A²·h2 = 1, else (X3, A·U), by a masked copy.
	square := int(chk.IsOne())
	xb, yB := x3.Bytes(m), yb.Bytes(m)
	subtle.ConstantTimeCopy(square, xb, x2.Bytes(m))
	subtle.ConstantTimeCopy(square, yB, ya.Bytes(m))
	pt, err := c.NewPoint(new(big.Int).SetBytes(xb), new(big.Int).SetBytes(yB))
	if err != nil {
		return nil, ErrInvalidKey
	}
	if h := c.H(); h.Cmp(big.NewInt(1)) != 0 {
		pt = pt.ScalarMult(h)
	}
	if pt.IsInfinity() {
		return nil, ErrInvalidKey
	}
	return pt, nil
}
