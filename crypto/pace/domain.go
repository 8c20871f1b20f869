package pace

import (
	"bytes"
	"crypto/sha1"
	"io"
	"math/big"

	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/tlv"
)

// keyPair is an ephemeral key pair of a domain: the private part (a scalar
// *big.Int for ECDH, a *dh.PrivateKey for DH) and the encoded public key.
type keyPair struct {
	priv any
	pub  []byte
}

// domain is a group with its current generator: the static domain
// parameters, or the ephemeral ones after the mapping. Elements are
// *ec.Point or *big.Int.
type domain interface {
	// generate draws an ephemeral key pair on the current generator.
	generate(r io.Reader) (keyPair, error)
	// decode validates a peer's public key and returns the element and its
	// canonical encoding.
	decode(pub []byte) (any, []byte, error)
	// agree returns priv*peer (peer^x), refusing the neutral element.
	agree(kp keyPair, peer any) (any, error)
	// secret is the shared secret of an element: FE2OS of the x-coordinate,
	// or the element on the length of p.
	secret(e any) []byte
	// genericMap returns the domain with generator s*G + H (g^s * h).
	genericMap(s *big.Int, h any) (domain, error)
	// integratedMap returns the domain with generator f_G(x) (x^a mod p).
	integratedMap(x *big.Int) (domain, error)
	// prime is the field characteristic p.
	prime() *big.Int
	// keyTag is the tag of the public key in a public key data object:
	// '86' (elliptic curve point) or '84' (public value y).
	keyTag() tlv.Tag
	// compressed is Comp(PK), the compressed representation of a public key.
	compressed(pub []byte) []byte
}

// maxDraws bounds rejection sampling.
const maxDraws = 100

// ecDomain is an elliptic curve with generator g (nil for the curve's G).
type ecDomain struct {
	c *ec.Curve
	g *ec.Point
}

func newECDomain(c *ec.Curve) *ecDomain { return &ecDomain{c: c} }

// scalar draws d in [1, n-1] by rejection sampling: OrderByteLen bytes with
// the bits above bitlen(n) masked, as ec.GenerateKey does.
func randomScalar(r io.Reader, n *big.Int) (*big.Int, error) {
	nb := n.BitLen()
	buf := make([]byte, (nb+7)/8)
	d := new(big.Int)
	for range maxDraws {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, ErrRandom
		}
		if extra := len(buf)*8 - nb; extra > 0 {
			buf[0] &= 0xFF >> extra
		}
		d.SetBytes(buf)
		if d.Sign() > 0 && d.Cmp(n) < 0 {
			clear(buf)
			return d, nil
		}
	}
	return nil, ErrRandom
}

func (d *ecDomain) generate(r io.Reader) (keyPair, error) {
	k, err := randomScalar(r, d.c.N())
	if err != nil {
		return keyPair{}, err
	}
	var p *ec.Point
	if d.g == nil {
		p = d.c.ScalarBaseMult(k)
	} else {
		p = d.g.ScalarMult(k)
	}
	if p.IsInfinity() {
		return keyPair{}, ErrInvalidKey
	}
	return keyPair{priv: k, pub: p.Bytes()}, nil
}

func (d *ecDomain) decode(pub []byte) (any, []byte, error) {
	// Only uncompressed points (ICAO Doc 9303-11 §4.4.3.2).
	if len(pub) != 1+2*d.c.ByteLen() || pub[0] != 0x04 {
		return nil, nil, ErrInvalidKey
	}
	p, err := d.c.DecodePoint(pub)
	if err != nil || !p.InSubgroup() {
		return nil, nil, ErrInvalidKey
	}
	return p, pub, nil
}

func (d *ecDomain) agree(kp keyPair, peer any) (any, error) {
	k, ok1 := kp.priv.(*big.Int)
	q, ok2 := peer.(*ec.Point)
	if !ok1 || !ok2 {
		return nil, ErrInvalidKey
	}
	// The named curves have cofactor 1, so ECKA's cofactor multiplication
	// is the identity; a cofactor above 1 multiplies in.
	if h := d.c.H(); h.Cmp(big.NewInt(1)) != 0 {
		q = q.ScalarMult(h)
		k = new(big.Int).Mul(k, new(big.Int).ModInverse(h, d.c.N()))
		k.Mod(k, d.c.N())
	}
	s := q.ScalarMult(k)
	if s.IsInfinity() {
		return nil, ErrInvalidKey
	}
	return s, nil
}

func (d *ecDomain) secret(e any) []byte { return e.(*ec.Point).XBytes() }

func (d *ecDomain) genericMap(s *big.Int, h any) (domain, error) {
	hp, ok := h.(*ec.Point)
	if !ok {
		return nil, ErrInvalidKey
	}
	g := d.c.MulAdd(s, big.NewInt(1), hp)
	if g.IsInfinity() {
		return nil, ErrInvalidKey
	}
	return &ecDomain{c: d.c, g: g}, nil
}

func (d *ecDomain) integratedMap(x *big.Int) (domain, error) {
	g, err := pointEncode(d.c, x)
	if err != nil {
		return nil, err
	}
	return &ecDomain{c: d.c, g: g}, nil
}

func (d *ecDomain) prime() *big.Int { return d.c.P() }
func (d *ecDomain) keyTag() tlv.Tag { return 0x86 }

// compressed is the x-coordinate (BSI TR-03110-3 A.2.2.3).
func (d *ecDomain) compressed(pub []byte) []byte {
	n := d.c.ByteLen()
	if len(pub) != 1+2*n {
		return nil
	}
	return append([]byte(nil), pub[1:1+n]...)
}

// dhDomain is a prime-field group with generator g.G; Q is always known.
type dhDomain struct{ g *dh.Group }

func (d *dhDomain) generate(r io.Reader) (keyPair, error) {
	k, err := d.g.GenerateKey(r)
	if err != nil {
		return keyPair{}, ErrRandom
	}
	return keyPair{priv: k, pub: unsigned(k.Y)}, nil
}

// unsigned encodes a non-negative integer on the fewest octets (BSI
// TR-03110-3 D.2.1.1: no leading zero octets).
func unsigned(y *big.Int) []byte {
	b := y.Bytes()
	if len(b) == 0 {
		return []byte{0}
	}
	return b
}

func (d *dhDomain) decode(pub []byte) (any, []byte, error) {
	if len(pub) == 0 || len(pub) > d.g.ByteLen() {
		return nil, nil, ErrInvalidKey
	}
	y := new(big.Int).SetBytes(pub)
	if err := d.g.ValidatePublic(y); err != nil {
		return nil, nil, ErrInvalidKey
	}
	return y, unsigned(y), nil
}

func (d *dhDomain) agree(kp keyPair, peer any) (any, error) {
	k, ok1 := kp.priv.(*dh.PrivateKey)
	y, ok2 := peer.(*big.Int)
	if !ok1 || !ok2 {
		return nil, ErrInvalidKey
	}
	z, err := k.SharedInt(&dh.PublicKey{Group: d.g, Y: y})
	if err != nil {
		return nil, ErrInvalidKey
	}
	return z, nil
}

func (d *dhDomain) secret(e any) []byte {
	return e.(*big.Int).FillBytes(make([]byte, d.g.ByteLen()))
}

func (d *dhDomain) genericMap(s *big.Int, h any) (domain, error) {
	hv, ok := h.(*big.Int)
	if !ok {
		return nil, ErrInvalidKey
	}
	g, err := d.g.GenericMap(s, hv)
	if err != nil {
		return nil, ErrInvalidKey
	}
	return &dhDomain{g: g}, nil
}

// integratedMap is f_g(x) = x^a mod p with a = (p-1)/q (ICAO Doc 9303-11
// §4.4.3.3.2); a result of 1 is refused.
func (d *dhDomain) integratedMap(x *big.Int) (domain, error) {
	p := d.g.P
	a := new(big.Int).Sub(p, big.NewInt(1))
	a.Quo(a, d.g.Q)
	g := d.g.Exp(x, a) // x is secret: constant time
	if g.Cmp(big.NewInt(1)) <= 0 {
		return nil, ErrInvalidKey
	}
	return &dhDomain{g: &dh.Group{P: p, G: g, Q: d.g.Q}}, nil
}

func (d *dhDomain) prime() *big.Int { return d.g.P }
func (d *dhDomain) keyTag() tlv.Tag { return 0x84 }

// compressed is the SHA-1 hash of the public value (BSI TR-03110-3
// A.2.2.3), here of its unsigned encoding.
func (d *dhDomain) compressed(pub []byte) []byte {
	s := sha1.Sum(pub)
	return s[:]
}

// publicKeyDO encodes the public key data object that authentication tokens
// are computed over: '7F49' { '06' protocol OID, '86' point or '84' y }
// (ICAO Doc 9303-11 §9.4.5, without domain parameters).
func publicKeyDO(p *protocol, tag tlv.Tag, pub []byte) []byte {
	inner := tlv.AppendTLV(nil, 0x06, p.oidBytes)
	inner = tlv.AppendTLV(inner, tag, pub)
	return tlv.AppendTLV(make([]byte, 0, len(inner)+8), 0x7F49, inner)
}

// sameKey compares two canonical encodings.
func sameKey(a, b []byte) bool { return bytes.Equal(a, b) }
