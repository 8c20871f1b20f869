package ec

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/rand"
	"io"
	"math/big"
)

// PublicKey is an elliptic-curve public key: a finite point of a curve.
type PublicKey struct {
	point *Point
}

// NewPublicKey returns the public key with the given point encoding
// (uncompressed or compressed), which must be a finite point of c in the
// prime-order subgroup.
func NewPublicKey(c *Curve, encoded []byte) (*PublicKey, error) {
	p, err := c.DecodePoint(encoded)
	if err != nil {
		return nil, err
	}
	return PublicKeyFromPoint(p)
}

// PublicKeyFromPoint returns the public key of a point, refusing the point
// at infinity and points outside the prime-order subgroup.
func PublicKeyFromPoint(p *Point) (*PublicKey, error) {
	if p.inf {
		return nil, newError("public key", p.c, ErrInfinity)
	}
	if !p.IsOnCurve() {
		return nil, newError("public key", p.c, ErrNotOnCurve)
	}
	if !p.InSubgroup() {
		return nil, newError("public key", p.c, ErrNotInSubgroup)
	}
	return &PublicKey{point: p}, nil
}

// Curve returns the key's curve.
func (k *PublicKey) Curve() *Curve { return k.point.c }

// Point returns the key's point.
func (k *PublicKey) Point() *Point { return k.point }

// Bytes returns the uncompressed point encoding 04 || X || Y.
func (k *PublicKey) Bytes() []byte { return k.point.Bytes() }

// Equal reports whether k and x (a *PublicKey) are the same key.
func (k *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	return ok && k.point.Equal(o.point)
}

// PrivateKey is an elliptic-curve private key: a scalar d in [1, n-1] and
// its public key d*G. It implements crypto.Signer (ECDSA) and ECDH.
type PrivateKey struct {
	PublicKey
	d *big.Int
}

// NewPrivateKey returns the private key with scalar d, given as big-endian
// bytes of any length (usually OrderByteLen), which must be in [1, n-1].
func NewPrivateKey(c *Curve, d []byte) (*PrivateKey, error) {
	if len(d) > 2*c.OrderByteLen()+8 {
		return nil, newError("private key", c, ErrInvalidScalar)
	}
	k := new(big.Int).SetBytes(d)
	if k.Sign() == 0 || k.Cmp(c.n) >= 0 {
		return nil, newError("private key", c, ErrInvalidScalar)
	}
	return newPrivateKey(c, k)
}

// newPrivateKey computes the public key of d: through the standard
// library's constant-time code on P-224 to P-521, the generator's table
// otherwise.
func newPrivateKey(c *Curve, d *big.Int) (*PrivateKey, error) {
	k := &PrivateKey{d: d}
	if c.stdECDSA == nil {
		k.point = c.ScalarBaseMult(d)
		return k, nil
	}
	priv, err := ecdsa.ParseRawPrivateKey(c.stdECDSA, scalarBytes(c, d))
	if err != nil {
		return nil, newError("private key", c, ErrInvalidScalar)
	}
	enc, err := priv.PublicKey.Bytes()
	if err != nil {
		return nil, newError("private key", c, ErrInvalidScalar)
	}
	p, err := c.DecodePoint(enc)
	if err != nil {
		return nil, err
	}
	k.point = p
	return k, nil
}

// GenerateKey returns a new private key of c with a scalar drawn from
// rand (crypto/rand.Reader when rand is nil) by rejection sampling, as
// FIPS 186-5 A.2.2 describes: OrderByteLen bytes, the top bits above
// bitlen(n) masked, retried until the value is in [1, n-1]. Unlike the
// standard library since Go 1.26, rand is honoured, so tests are exact.
func GenerateKey(c *Curve, rand io.Reader) (*PrivateKey, error) {
	d, err := randScalar(c, rand)
	if err != nil {
		return nil, err
	}
	return newPrivateKey(c, d)
}

func randScalar(c *Curve, r io.Reader) (*big.Int, error) {
	if r == nil {
		r = rand.Reader
	}
	nb := c.n.BitLen()
	buf := make([]byte, (nb+7)/8)
	d := new(big.Int)
	for range 100 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, &Error{Op: "generate scalar", Curve: c.name, Offset: -1, Err: err}
		}
		if extra := len(buf)*8 - nb; extra > 0 {
			buf[0] &= 0xFF >> extra
		}
		d.SetBytes(buf)
		if d.Sign() != 0 && d.Cmp(c.n) < 0 {
			return d, nil
		}
	}
	return nil, newError("generate scalar", c, ErrInvalidScalar)
}

// Public returns the public key, as crypto.Signer requires.
func (k *PrivateKey) Public() crypto.PublicKey { return &k.PublicKey }

// Bytes returns the scalar d as OrderByteLen big-endian bytes. The caller
// owns a secret: keep it out of logs.
func (k *PrivateKey) Bytes() []byte { return scalarBytes(k.point.c, k.d) }

func scalarBytes(c *Curve, d *big.Int) []byte {
	return d.FillBytes(make([]byte, c.OrderByteLen()))
}

// Equal reports whether k and x (a *PrivateKey) are the same key.
func (k *PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*PrivateKey)
	return ok && k.point.c.Equal(o.point.c) && k.d.Cmp(o.d) == 0
}

// String never shows the scalar.
func (k *PrivateKey) String() string {
	return "ec.PrivateKey(" + k.point.c.name + ", REDACTED)"
}

// ECDH returns the shared secret of the ECKA-DH scheme of BSI TR-03111
// section 4.3.1: the x-coordinate, as ByteLen big-endian bytes, of
// h*((h^-1 * d) mod n)*Q, which is d*Q for a peer key Q of the subgroup.
// It fails when the result is the point at infinity. On P-256, P-384 and
// P-521 the standard library's constant-time crypto/ecdh computes it.
func (k *PrivateKey) ECDH(peer *PublicKey) ([]byte, error) {
	c := k.point.c
	if !c.sameCurve(peer.point.c) {
		return nil, newError("ECDH", c, ErrCurveMismatch)
	}
	if c.stdECDH != nil {
		return k.stdECDH(peer)
	}
	z := k.sharedPoint(peer.point)
	if z.inf {
		return nil, newError("ECDH", c, ErrInfinity)
	}
	return z.XBytes(), nil
}

// ECDHPoint is ECDH with the peer's point given as an encoding; the point
// is decoded and validated first. PACE returns the whole shared point for
// Generic Mapping: use SharedPoint for that.
func (k *PrivateKey) ECDHPoint(peer []byte) ([]byte, error) {
	pub, err := NewPublicKey(k.point.c, peer)
	if err != nil {
		return nil, err
	}
	return k.ECDH(pub)
}

// SharedPoint returns the shared point d*Q (with the cofactor handling of
// ECDH), as PACE Generic Mapping needs it (H = d*Q, then G' = s*G + H).
// It fails when the result is the point at infinity. It runs in constant
// time (see the package documentation).
func (k *PrivateKey) SharedPoint(peer *PublicKey) (*Point, error) {
	c := k.point.c
	if !c.sameCurve(peer.point.c) {
		return nil, newError("shared point", c, ErrCurveMismatch)
	}
	z := k.sharedPoint(peer.point)
	if z.inf {
		return nil, newError("shared point", c, ErrInfinity)
	}
	return z, nil
}

func (k *PrivateKey) sharedPoint(q *Point) *Point {
	c := k.point.c
	if c.h.Cmp(bigOne) == 0 {
		return q.ScalarMult(k.d)
	}
	l := new(big.Int).ModInverse(c.h, c.n) // public
	if l == nil {
		return c.Infinity()
	}
	// l*d mod n in the Montgomery field of n: no variable-time reduction
	// of the secret.
	return q.ScalarMult(c.mulModN(l, k.d)).ScalarMult(c.h)
}

// mulModN returns x*y mod n for x, y in [0, n-1], in constant time.
func (c *Curve) mulModN(x, y *big.Int) *big.Int {
	sm := c.sm
	var a, b fe
	sm.fromBig(&a, x)
	sm.fromBig(&b, y)
	sm.mul(&a, &a, &b)
	out := new(big.Int)
	sm.toBig(out, &a)
	return out
}

func (k *PrivateKey) stdECDH(peer *PublicKey) ([]byte, error) {
	c := k.point.c
	priv, err := c.stdECDH.NewPrivateKey(k.Bytes())
	if err != nil {
		return nil, newError("ECDH", c, ErrInvalidScalar)
	}
	pub, err := c.stdECDH.NewPublicKey(peer.point.Bytes())
	if err != nil {
		return nil, newError("ECDH", c, ErrNotOnCurve)
	}
	z, err := priv.ECDH(pub)
	if err != nil {
		return nil, newError("ECDH", c, ErrInfinity)
	}
	return z, nil
}

// ECDHKey returns the key as a crypto/ecdh private key, for P-256, P-384
// and P-521 (false otherwise).
func (k *PrivateKey) ECDHKey() (*ecdh.PrivateKey, bool) {
	c := k.point.c
	if c.stdECDH == nil {
		return nil, false
	}
	priv, err := c.stdECDH.NewPrivateKey(k.Bytes())
	return priv, err == nil
}
