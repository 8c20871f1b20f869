package ec

import (
	"crypto/ecdh"
	"crypto/elliptic"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
)

// MaxFieldBits is the largest field size this package accepts (room for
// P-521 in nine 64-bit words), for named
// and explicit curves alike; it bounds the work hostile explicit parameters
// can cause.
const MaxFieldBits = 576

// minFieldBits is the smallest field size accepted for explicit curves.
const minFieldBits = 112

// Bounds on the subgroup of explicit curves (BSI TR-03111 section 4.1.1
// asks for a large prime-order subgroup; SEC 1 section 3.1.1.1 bounds the
// cofactor). Every curve of ICAO Doc 9303 and BSI TR-03110 has h = 1 and
// n of 192 bits or more.
const (
	// MinOrderBits is the smallest bit length of n accepted.
	MinOrderBits = 160
	// MaxCofactor is the largest cofactor h accepted.
	MaxCofactor = 4
)

// Curve is a short-Weierstrass curve y^2 = x^3 + ax + b over the prime
// field GF(p), with a base point G of prime order n and cofactor h.
// A Curve is immutable and safe for concurrent use; named curves are
// singletons, so two calls to BrainpoolP256r1 return the same pointer.
type Curve struct {
	name                  string
	oid                   asn1.ObjectIdentifier // nil for unnamed curves
	p, a, b, gx, gy, n, h *big.Int
	bitSize, byteLen      int
	aIsMinus3             bool

	// Standard-library counterparts of the NIST curves (nil otherwise).
	stdECDSA elliptic.Curve
	stdECDH  ecdh.Curve

	m        *mont       // Montgomery constants; nil only for unusable parameters
	sm       *mont       // Montgomery constants modulo n (ECDSA, cofactor ECDH)
	iso      *iso        // the map to an isomorphic a = -3 curve, or nil (iso.go)
	nist     nistBackend // filippo.io/nistec for P-224 to P-521, nil otherwise
	noTable  bool        // a short-lived curve (mapped generator): no comb for G
	baseOnce sync.Once
	bTable   [][]affine
}

// Name returns the curve's name ("brainpoolP256r1", "P-256"), or
// "explicit-<bits>" for a curve given by explicit parameters that match no
// named curve.
func (c *Curve) Name() string { return c.name }

// String returns the name.
func (c *Curve) String() string { return c.name }

// OID returns the object identifier of a named curve, or nil.
func (c *Curve) OID() asn1.ObjectIdentifier {
	if c.oid == nil {
		return nil
	}
	return append(asn1.ObjectIdentifier(nil), c.oid...)
}

// P returns a copy of the field prime p.
func (c *Curve) P() *big.Int { return new(big.Int).Set(c.p) }

// A returns a copy of the coefficient a.
func (c *Curve) A() *big.Int { return new(big.Int).Set(c.a) }

// B returns a copy of the coefficient b.
func (c *Curve) B() *big.Int { return new(big.Int).Set(c.b) }

// Gx returns a copy of the x-coordinate of the generator.
func (c *Curve) Gx() *big.Int { return new(big.Int).Set(c.gx) }

// Gy returns a copy of the y-coordinate of the generator.
func (c *Curve) Gy() *big.Int { return new(big.Int).Set(c.gy) }

// N returns a copy of the order n of the generator.
func (c *Curve) N() *big.Int { return new(big.Int).Set(c.n) }

// H returns a copy of the cofactor h.
func (c *Curve) H() *big.Int { return new(big.Int).Set(c.h) }

// BitSize returns the bit length of p.
func (c *Curve) BitSize() int { return c.bitSize }

// ByteLen returns the length in bytes of a field element (and of each
// coordinate in a point encoding): ceil(BitSize/8).
func (c *Curve) ByteLen() int { return c.byteLen }

// OrderByteLen returns the length in bytes of a scalar: ceil(bitlen(n)/8).
// It is the length of r and s in a plain signature.
func (c *Curve) OrderByteLen() int { return (c.n.BitLen() + 7) / 8 }

// IsNamed reports whether c is one of this package's named curves.
func (c *Curve) IsNamed() bool { return c.oid != nil }

// Equal reports whether c and d have the same domain parameters (names
// are not compared).
func (c *Curve) Equal(d *Curve) bool {
	if c == d {
		return true
	}
	if c == nil || d == nil {
		return false
	}
	return c.p.Cmp(d.p) == 0 && c.a.Cmp(d.a) == 0 && c.b.Cmp(d.b) == 0 &&
		c.gx.Cmp(d.gx) == 0 && c.gy.Cmp(d.gy) == 0 && c.n.Cmp(d.n) == 0 &&
		c.h.Cmp(d.h) == 0
}

// sameCurve reports whether c and d have the same equation over the same
// field, so that their points can be combined: a curve and its copy with
// a mapped generator (WithGenerator) qualify.
func (c *Curve) sameCurve(d *Curve) bool {
	if c == d {
		return true
	}
	if c == nil || d == nil {
		return false
	}
	return c.p.Cmp(d.p) == 0 && c.a.Cmp(d.a) == 0 && c.b.Cmp(d.b) == 0
}

type namedCurveParams struct {
	name, oid          string
	p, a, b, gx, gy, n string
	h                  int64
}

// Indices into namedParams / named.
const (
	idxBP192 = iota
	idxBP224
	idxBP256
	idxBP320
	idxBP384
	idxBP512
	idxP192
	idxP224
	idxP256
	idxP384
	idxP521
)

var (
	namedOnce sync.Once
	named     []*Curve
)

func namedCurves() []*Curve {
	namedOnce.Do(func() {
		named = make([]*Curve, len(namedParams))
		for i, np := range namedParams {
			c := &Curve{
				name: np.name,
				oid:  mustOID(np.oid),
				p:    mustHex(np.p),
				a:    mustHex(np.a),
				b:    mustHex(np.b),
				gx:   mustHex(np.gx),
				gy:   mustHex(np.gy),
				n:    mustHex(np.n),
				h:    big.NewInt(np.h),
			}
			c.finish()
			named[i] = c
		}
		named[idxP224].stdECDSA = elliptic.P224()
		named[idxP224].nist = nistP224
		named[idxP256].nist = nistP256
		named[idxP384].nist = nistP384
		named[idxP521].nist = nistP521
		named[idxP256].stdECDSA, named[idxP256].stdECDH = elliptic.P256(), ecdh.P256()
		named[idxP384].stdECDSA, named[idxP384].stdECDH = elliptic.P384(), ecdh.P384()
		named[idxP521].stdECDSA, named[idxP521].stdECDH = elliptic.P521(), ecdh.P521()
	})
	return named
}

func (c *Curve) finish() {
	c.bitSize = c.p.BitLen()
	c.byteLen = (c.bitSize + 7) / 8
	m3 := new(big.Int).Sub(c.p, big.NewInt(3))
	c.aIsMinus3 = c.a.Cmp(m3) == 0
	if c.p.Bit(0) == 1 && c.bitSize <= MaxFieldBits && c.a.Cmp(c.p) < 0 && c.b.Cmp(c.p) < 0 {
		c.m = newMont(c.p, c.a, c.b, c.aIsMinus3)
		if !c.aIsMinus3 {
			if u := findIso(c.p, c.a); u != nil {
				c.iso = c.m.setIso(u, c.b)
			}
		}
	}
	if c.n.Bit(0) == 1 && c.n.BitLen() <= MaxFieldBits && c.n.Cmp(bigOne) > 0 {
		c.sm = newMont(c.n, new(big.Int), new(big.Int), false)
	}
}

func mustHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("ec: bad built-in constant " + s)
	}
	return v
}

func mustOID(s string) asn1.ObjectIdentifier {
	var oid asn1.ObjectIdentifier
	for part := range strings.SplitSeq(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			panic("ec: bad built-in OID " + s)
		}
		oid = append(oid, n)
	}
	return oid
}

// BrainpoolP192r1 returns the curve brainpoolP192r1 (RFC 5639 section 3.2).
func BrainpoolP192r1() *Curve { return namedCurves()[idxBP192] }

// BrainpoolP224r1 returns the curve brainpoolP224r1 (RFC 5639 section 3.3).
func BrainpoolP224r1() *Curve { return namedCurves()[idxBP224] }

// BrainpoolP256r1 returns the curve brainpoolP256r1 (RFC 5639 section 3.4).
func BrainpoolP256r1() *Curve { return namedCurves()[idxBP256] }

// BrainpoolP320r1 returns the curve brainpoolP320r1 (RFC 5639 section 3.5).
func BrainpoolP320r1() *Curve { return namedCurves()[idxBP320] }

// BrainpoolP384r1 returns the curve brainpoolP384r1 (RFC 5639 section 3.6).
func BrainpoolP384r1() *Curve { return namedCurves()[idxBP384] }

// BrainpoolP512r1 returns the curve brainpoolP512r1 (RFC 5639 section 3.7).
func BrainpoolP512r1() *Curve { return namedCurves()[idxBP512] }

// P192 returns NIST P-192 (secp192r1, prime192v1; FIPS 186-4 D.1.2.1).
func P192() *Curve { return namedCurves()[idxP192] }

// P224 returns NIST P-224 (secp224r1; FIPS 186-4 D.1.2.2).
func P224() *Curve { return namedCurves()[idxP224] }

// P256 returns NIST P-256 (secp256r1, prime256v1; FIPS 186-4 D.1.2.3).
func P256() *Curve { return namedCurves()[idxP256] }

// P384 returns NIST P-384 (secp384r1; FIPS 186-4 D.1.2.4).
func P384() *Curve { return namedCurves()[idxP384] }

// P521 returns NIST P-521 (secp521r1; FIPS 186-4 D.1.2.5).
func P521() *Curve { return namedCurves()[idxP521] }

// Curves returns every named curve of this package.
func Curves() []*Curve { return append([]*Curve(nil), namedCurves()...) }

// standardized maps the standardized domain parameter identifiers of
// BSI TR-03110 part 3 (section A.2.1.1) and ICAO Doc 9303 part 11 (section
// 9.5.1) to curves. Identifiers 0 to 2 are the RFC 5114 MODP groups (see package
// crypto/dh); 3 to 7 and 19 to 31 are reserved.
var standardized = map[int]int{
	8:  idxP192,
	9:  idxBP192,
	10: idxP224,
	11: idxBP224,
	12: idxP256,
	13: idxBP256,
	14: idxBP320,
	15: idxP384,
	16: idxBP384,
	17: idxBP512,
	18: idxP521,
}

// Standardized returns the curve of a standardized domain parameter
// identifier (8 to 18) of BSI TR-03110 / ICAO Doc 9303 part 11, as PACE
// and Chip Authentication announce it in EF.CardAccess and DG14.
func Standardized(id int) (*Curve, error) {
	i, ok := standardized[id]
	if !ok {
		return nil, &Error{Op: fmt.Sprintf("standardized domain parameters %d", id), Offset: -1, Err: ErrUnknownCurve}
	}
	return namedCurves()[i], nil
}

// StandardizedID returns the standardized domain parameter identifier of
// c, or false when c has none.
func (c *Curve) StandardizedID() (int, bool) {
	for id, i := range standardized {
		if namedCurves()[i].Equal(c) {
			return id, true
		}
	}
	return 0, false
}

// ByOID returns the named curve with the given object identifier.
func ByOID(oid asn1.ObjectIdentifier) (*Curve, error) {
	for _, c := range namedCurves() {
		if c.oid.Equal(oid) {
			return c, nil
		}
	}
	return nil, &Error{Op: "curve OID " + oid.String(), Offset: -1, Err: ErrUnknownCurve}
}

var aliases = map[string]int{
	"p-192": idxP192, "secp192r1": idxP192, "prime192v1": idxP192,
	"p-224": idxP224, "secp224r1": idxP224,
	"p-256": idxP256, "secp256r1": idxP256, "prime256v1": idxP256,
	"p-384": idxP384, "secp384r1": idxP384,
	"p-521": idxP521, "secp521r1": idxP521,
	"brainpoolp192r1": idxBP192, "brainpoolp224r1": idxBP224,
	"brainpoolp256r1": idxBP256, "brainpoolp320r1": idxBP320,
	"brainpoolp384r1": idxBP384, "brainpoolp512r1": idxBP512,
}

// ByName returns a named curve by any of its usual names, ignoring case:
// "brainpoolP256r1", "P-256", "secp256r1", "prime256v1".
func ByName(name string) (*Curve, error) {
	if i, ok := aliases[strings.ToLower(name)]; ok {
		return namedCurves()[i], nil
	}
	return nil, &Error{Op: "curve name " + strconv.Quote(name), Offset: -1, Err: ErrUnknownCurve}
}

// NewCurve returns the curve with explicit domain parameters (p, a, b, G,
// n, h) after validating them as SEC 1 section 3.1.1.2.1 asks, within
// reason for a verifier: p is an odd probable prime of 112 to MaxFieldBits
// bits; a, b, Gx, Gy are in [0, p-1]; 4a^3 + 27b^2 != 0 mod p; G is on the
// curve; n is a probable prime other than p with n*G = O; h*n lies within
// the Hasse interval around p+1. A nil h is computed from p and n. Weak
// parameters are refused with ErrWeakCurve: n of fewer than MinOrderBits
// bits, h above MaxCofactor.
//
// When the parameters equal those of a named curve, NewCurve returns that
// curve (with its name, OID and, for NIST curves, the standard library's
// constant-time code).
func NewCurve(p, a, b, gx, gy, n, h *big.Int) (*Curve, error) {
	bad := func(why string) (*Curve, error) {
		return nil, &Error{Op: "explicit curve: " + why, Offset: -1, Err: ErrInvalidCurve}
	}
	if p == nil || a == nil || b == nil || gx == nil || gy == nil || n == nil {
		return bad("missing parameter")
	}
	if p.BitLen() > MaxFieldBits || n.BitLen() > MaxFieldBits+1 {
		return nil, &Error{Op: "explicit curve", Offset: -1, Err: ErrTooLarge}
	}
	if p.BitLen() < minFieldBits || p.Bit(0) == 0 {
		return bad("field size")
	}
	for _, v := range []*big.Int{a, b, gx, gy} {
		if v.Sign() < 0 || v.Cmp(p) >= 0 {
			return bad("coefficient or coordinate out of range")
		}
	}
	if n.Cmp(bigOne) <= 0 || (h != nil && h.Sign() <= 0) {
		return bad("order or cofactor")
	}
	c := &Curve{
		p: new(big.Int).Set(p), a: new(big.Int).Set(a), b: new(big.Int).Set(b),
		gx: new(big.Int).Set(gx), gy: new(big.Int).Set(gy), n: new(big.Int).Set(n),
	}
	c.finish()
	c.name = fmt.Sprintf("explicit-%d", c.bitSize)
	if h == nil {
		// h = floor((p + 1 + 2*sqrt(p)) / n), exact when n > 4*sqrt(p).
		s := new(big.Int).Sqrt(p)
		s.Lsh(s, 1).Add(s, p).Add(s, big.NewInt(1))
		c.h = s.Div(s, n)
	} else {
		c.h = new(big.Int).Set(h)
	}
	for _, nc := range namedCurves() {
		if nc.Equal(c) {
			return nc, nil
		}
	}
	if c.h.Sign() <= 0 || n.Sign() <= 0 {
		return bad("order or cofactor")
	}
	// Hasse: |h*n - (p+1)| <= 2*sqrt(p), i.e. (h*n - p - 1)^2 <= 4p.
	t := new(big.Int).Mul(c.h, n)
	t.Sub(t, p).Sub(t, big.NewInt(1))
	t.Mul(t, t)
	if t.Cmp(new(big.Int).Lsh(p, 2)) > 0 {
		return bad("h*n outside the Hasse interval")
	}
	// A valid curve may still be weak: a small subgroup (a 160-bit curve
	// whose G has order 3 gives ECDH three possible secrets) or a large
	// cofactor.
	if n.BitLen() < MinOrderBits {
		return nil, &Error{Op: fmt.Sprintf("explicit curve: order n of %d bits (at least %d required)", n.BitLen(), MinOrderBits), Offset: -1, Err: ErrWeakCurve}
	}
	if c.h.Cmp(big.NewInt(MaxCofactor)) > 0 {
		return nil, &Error{Op: fmt.Sprintf("explicit curve: cofactor above %d", MaxCofactor), Offset: -1, Err: ErrWeakCurve}
	}
	if n.BitLen() > MaxFieldBits {
		return nil, &Error{Op: "explicit curve", Offset: -1, Err: ErrTooLarge}
	}
	// Discriminant: 4a^3 + 27b^2 != 0 mod p.
	d := new(big.Int).Exp(a, big.NewInt(3), p)
	d.Mul(d, big.NewInt(4))
	e := new(big.Int).Mul(b, b)
	e.Mul(e, big.NewInt(27))
	if d.Add(d, e).Mod(d, p).Sign() == 0 {
		return bad("singular curve")
	}
	f := newField(c)
	if !f.isOnCurve(c, gx, gy) {
		return bad("generator not on curve")
	}
	if !p.ProbablyPrime(20) {
		return bad("p is not prime")
	}
	if n.Cmp(p) == 0 || !n.ProbablyPrime(20) {
		return bad("n is not a prime other than p")
	}
	if !c.m.isInfTimesVartime(c.generator(), n) { // public parameters
		return bad("n*G is not the point at infinity")
	}
	return c, nil
}

// WithGenerator returns the curve c with another base point g of the same
// order n: the mapped generator G' of PACE Generic Mapping (ICAO Doc 9303
// part 11 section 4.4.3.3.1, BSI TR-03110 part 3 A.3.4.1), on which the
// ephemeral key pairs of the protocol's second key agreement are made with
// GenerateKey. g must be a finite point of c in the subgroup of order n.
// The result has no name and no OID and uses the generic code on every
// curve; since it serves a single session, it builds no table of
// multiples of g.
func (c *Curve) WithGenerator(g *Point) (*Curve, error) {
	const op = "mapped generator"
	if !c.sameCurve(g.c) {
		return nil, newError(op, c, ErrCurveMismatch)
	}
	if g.inf {
		return nil, newError(op, c, ErrInfinity)
	}
	if !g.IsOnCurve() {
		return nil, newError(op, c, ErrNotOnCurve)
	}
	if c.h.Cmp(bigOne) != 0 && !g.ScalarMult(c.n).inf {
		return nil, newError(op, c, ErrNotInSubgroup)
	}
	m := &Curve{
		name: c.name + "/G'",
		p:    c.p, a: c.a, b: c.b, n: c.n, h: c.h,
		gx: new(big.Int).Set(&g.x), gy: new(big.Int).Set(&g.y),
		noTable: true,
		nist:    c.nist,
	}
	m.finish()
	return m, nil
}

// NewCurveEncodedBase is NewCurve with the base point given as a point
// encoding (uncompressed or compressed), as BSI TR-03110 public key data
// objects ('7F49': p '81', a '82', b '83', G '84', n '85', f '87') and
// SpecifiedECDomain carry it.
func NewCurveEncodedBase(p, a, b *big.Int, base []byte, n, h *big.Int) (*Curve, error) {
	if p == nil || a == nil || b == nil || n == nil {
		return nil, &Error{Op: "explicit curve: missing parameter", Offset: -1, Err: ErrInvalidCurve}
	}
	if p.BitLen() > MaxFieldBits {
		return nil, &Error{Op: "explicit curve", Offset: -1, Err: ErrTooLarge}
	}
	if a.Sign() < 0 || b.Sign() < 0 {
		return nil, &Error{Op: "explicit curve: coefficient out of range", Offset: -1, Err: ErrInvalidCurve}
	}
	gx, gy, err := decodeBase(p, a, b, (p.BitLen()+7)/8, base)
	if err != nil {
		return nil, &Error{Op: "explicit curve: base point", Offset: -1, Err: err}
	}
	return NewCurve(p, a, b, gx, gy, n, h)
}
