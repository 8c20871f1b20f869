package cvc

import (
	"crypto"
	"crypto/ecdsa"
	cryptorand "crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // id-TA-*-SHA-1
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

// Limits on public keys.
const (
	// MaxRSABits bounds the modulus of an RSA key.
	MaxRSABits = 4096
	// MinRSABits is the smallest RSA modulus accepted.
	MinRSABits = 1024
)

// PublicKey is the public key of a certificate ('7F49', BSI TR-03110-3
// D.3): the algorithm the key's holder signs with (a Terminal
// Authentication OID such as id-TA-ECDSA-SHA-256) and the key itself.
//
// An elliptic-curve key carries its domain parameters ('81' to '85', '87')
// only in a CVCA certificate; DV and terminal keys inherit the CVCA's, so
// Curve is nil for them and Verifier takes the issuer's curve.
type PublicKey struct {
	Protocol asn1.ObjectIdentifier
	// Curve is the domain parameters when present, Point the public point
	// ('86') of an ECDSA key.
	Curve *ec.Curve
	Point []byte
	// N and E are the modulus ('81') and public exponent ('82') of an RSA
	// key.
	N *big.Int
	E int
}

// algorithm describes a Terminal Authentication signature algorithm.
type algorithm struct {
	hash crypto.Hash
	rsa  bool
	pss  bool
}

// algorithmOf maps the id-TA-* OIDs of BSI TR-03110-3 A.6.4 (ICAO Doc
// 9303-11 §9.2.8).
func algorithmOf(oid asn1.ObjectIdentifier) (algorithm, bool) {
	switch {
	case oid.Equal(secinfo.OIDTAECDSASHA1):
		return algorithm{hash: crypto.SHA1}, true
	case oid.Equal(secinfo.OIDTAECDSASHA224):
		return algorithm{hash: crypto.SHA224}, true
	case oid.Equal(secinfo.OIDTAECDSASHA256):
		return algorithm{hash: crypto.SHA256}, true
	case oid.Equal(secinfo.OIDTAECDSASHA384):
		return algorithm{hash: crypto.SHA384}, true
	case oid.Equal(secinfo.OIDTAECDSASHA512):
		return algorithm{hash: crypto.SHA512}, true
	case oid.Equal(secinfo.OIDTARSAv15SHA1):
		return algorithm{hash: crypto.SHA1, rsa: true}, true
	case oid.Equal(secinfo.OIDTARSAv15SHA256):
		return algorithm{hash: crypto.SHA256, rsa: true}, true
	case oid.Equal(secinfo.OIDTARSAv15SHA512):
		return algorithm{hash: crypto.SHA512, rsa: true}, true
	case oid.Equal(secinfo.OIDTARSAPSSSHA1):
		return algorithm{hash: crypto.SHA1, rsa: true, pss: true}, true
	case oid.Equal(secinfo.OIDTARSAPSSSHA256):
		return algorithm{hash: crypto.SHA256, rsa: true, pss: true}, true
	case oid.Equal(secinfo.OIDTARSAPSSSHA512):
		return algorithm{hash: crypto.SHA512, rsa: true, pss: true}, true
	}
	return algorithm{}, false
}

// IsRSA reports whether the key's algorithm is an RSA one.
func (k *PublicKey) IsRSA() bool {
	a, ok := algorithmOf(k.Protocol)
	return ok && a.rsa
}

// marshal writes the '7F49' object.
func (k *PublicKey) marshal(b *tlv.Builder) error {
	a, ok := algorithmOf(k.Protocol)
	if !ok {
		return ErrUnsupported
	}
	oid, err := asn1.Marshal(k.Protocol)
	if err != nil {
		return ErrUnsupported
	}
	b.AddConstructed(0x7F49, func(b *tlv.Builder) {
		b.AddRaw(oid)
		if a.rsa {
			b.Add(0x81, k.N.Bytes())
			b.Add(0x82, big.NewInt(int64(k.E)).Bytes())
			return
		}
		if c := k.Curve; c != nil {
			b.Add(0x81, c.P().Bytes())
			b.Add(0x82, c.A().Bytes())
			b.Add(0x83, c.B().Bytes())
			b.Add(0x84, c.Generator().Bytes())
			b.Add(0x85, c.N().Bytes())
		}
		b.Add(0x86, k.Point)
		if c := k.Curve; c != nil {
			b.Add(0x87, c.H().Bytes())
		}
	})
	return nil
}

// parsePublicKey decodes the contents of '7F49'. off is the offset of the
// contents in the certificate.
func parsePublicKey(v []byte, off int) (PublicKey, error) {
	var k PublicKey
	r := tlv.NewReader(v)
	if !r.Next() || r.TLV().Tag != 0x06 {
		return k, newErr("parse", 0x7F49, off, ErrMalformed)
	}
	var oid asn1.ObjectIdentifier
	if rest, err := asn1.Unmarshal(r.TLV().Raw, &oid); err != nil || len(rest) != 0 {
		return k, newErr("parse", 0x06, off+r.TLV().Offset, ErrMalformed)
	}
	k.Protocol = oid
	a, ok := algorithmOf(oid)
	if !ok {
		return k, newErr("parse", 0x06, off+r.TLV().Offset, ErrUnsupported)
	}
	objs := map[tlv.Tag][]byte{}
	last := tlv.Tag(0)
	for r.Next() {
		o := r.TLV()
		if o.Tag < 0x81 || o.Tag > 0x87 || o.Tag <= last {
			return k, newErr("parse", o.Tag, off+o.Offset, ErrMalformed)
		}
		last = o.Tag
		objs[o.Tag] = o.Value
	}
	if r.Err() != nil {
		return k, newErr("parse", 0x7F49, off, ErrMalformed)
	}
	if a.rsa {
		n, e := objs[0x81], objs[0x82]
		if len(objs) != 2 || n == nil || e == nil || len(e) > 4 {
			return k, newErr("parse", 0x7F49, off, ErrMalformed)
		}
		k.N = new(big.Int).SetBytes(n)
		ev := new(big.Int).SetBytes(e)
		if bits := k.N.BitLen(); bits < MinRSABits || bits > MaxRSABits || k.N.Bit(0) == 0 || ev.Cmp(big.NewInt(3)) < 0 || ev.Bit(0) == 0 || ev.BitLen() > 31 {
			return k, newErr("parse", 0x7F49, off, ErrInvalidKey)
		}
		k.E = int(ev.Int64())
		return k, nil
	}
	if objs[0x86] == nil {
		return k, newErr("parse", 0x86, off, ErrMalformed)
	}
	k.Point = objs[0x86]
	n := 0
	for t := tlv.Tag(0x81); t <= 0x85; t++ {
		if objs[t] != nil {
			n++
		}
	}
	switch {
	case n == 0 && objs[0x87] == nil:
		return k, nil
	case n != 5:
		return k, newErr("parse", 0x7F49, off, ErrMalformed)
	}
	p := new(big.Int).SetBytes(objs[0x81])
	if p.BitLen() > ec.MaxFieldBits || p.BitLen() < 2 {
		return k, newErr("parse", 0x81, off, ErrInvalidKey)
	}
	byteLen := (p.BitLen() + 7) / 8
	g := objs[0x84]
	if len(g) != 1+2*byteLen || g[0] != 0x04 {
		return k, newErr("parse", 0x84, off, ErrInvalidKey)
	}
	var h *big.Int
	if objs[0x87] != nil {
		h = new(big.Int).SetBytes(objs[0x87])
	}
	c, err := ec.NewCurve(p, new(big.Int).SetBytes(objs[0x82]), new(big.Int).SetBytes(objs[0x83]),
		new(big.Int).SetBytes(g[1:1+byteLen]), new(big.Int).SetBytes(g[1+byteLen:]),
		new(big.Int).SetBytes(objs[0x85]), h)
	if err != nil {
		// Both sentinels: ErrInvalidKey, and ec's reason (ec.ErrWeakCurve
		// for a small subgroup or a large cofactor).
		return k, newErr("parse", 0x7F49, off, fmt.Errorf("%w: %w", ErrInvalidKey, err))
	}
	if _, err := ec.NewPublicKey(c, k.Point); err != nil {
		return k, newErr("parse", 0x86, off, ErrInvalidKey)
	}
	k.Curve = c
	return k, nil
}

// Verifier is a public key ready to verify signatures: its algorithm and,
// for ECDSA, its curve resolved.
type Verifier struct {
	// Protocol is the signature algorithm (an id-TA-* OID).
	Protocol asn1.ObjectIdentifier
	alg      algorithm
	ec       *ec.PublicKey
	rsa      *rsa.PublicKey
}

// Verifier returns the verifier of k. An ECDSA key without domain
// parameters takes inherit, the curve of the CVCA key above it (the
// issuer's Verifier.Curve); with its own parameters, inherit is ignored.
func (k *PublicKey) Verifier(inherit *ec.Curve) (*Verifier, error) {
	a, ok := algorithmOf(k.Protocol)
	if !ok {
		return nil, newErr("verify", 0x7F49, -1, ErrUnsupported)
	}
	v := &Verifier{Protocol: k.Protocol, alg: a}
	if a.rsa {
		if k.N == nil || k.N.BitLen() < MinRSABits || k.N.BitLen() > MaxRSABits || k.E < 3 {
			return nil, newErr("verify", 0x7F49, -1, ErrInvalidKey)
		}
		v.rsa = &rsa.PublicKey{N: k.N, E: k.E}
		return v, nil
	}
	c := k.Curve
	if c == nil {
		c = inherit
	}
	if c == nil {
		return nil, newErr("verify", 0x7F49, -1, ErrInvalidKey)
	}
	pk, err := ec.NewPublicKey(c, k.Point)
	if err != nil {
		return nil, newErr("verify", 0x86, -1, ErrInvalidKey)
	}
	v.ec = pk
	return v, nil
}

// Curve returns the curve of an ECDSA verifier (nil for RSA): the domain
// parameters that keys below it inherit.
func (v *Verifier) Curve() *ec.Curve {
	if v.ec == nil {
		return nil
	}
	return v.ec.Curve()
}

// Verify reports whether sig is a valid signature of msg: a plain r || s
// ECDSA signature (BSI TR-03111 5.2.1), or an RSA PKCS #1 v1.5 or PSS
// signature. For PSS any salt length is accepted: Sign uses the hash
// length (RFC 8017's usual choice), OpenPACE the maximum.
func (v *Verifier) Verify(msg, sig []byte) bool {
	h := v.alg.hash.New()
	h.Write(msg)
	digest := h.Sum(nil)
	switch {
	case v.ec != nil:
		return v.ec.VerifyPlain(digest, sig)
	case v.rsa != nil && v.alg.pss:
		return rsa.VerifyPSS(v.rsa, v.alg.hash, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil
	case v.rsa != nil:
		return rsa.VerifyPKCS1v15(v.rsa, v.alg.hash, digest, sig) == nil
	}
	return false
}

// SignConfig configures signing (Sign, Create). A nil *SignConfig means
// all defaults.
type SignConfig struct {
	// Rand goes to the signer: with a *ec.PrivateKey on a Brainpool curve,
	// equal inputs and Rand bytes give equal signatures. Nil means
	// crypto/rand.Reader.
	Rand io.Reader
}

func (c *SignConfig) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

// Sign signs msg with signer under the algorithm protocol (an id-TA-* OID)
// as certificates and Terminal Authentication need it: ECDSA signatures
// come out in the plain r || s format whatever form the signer returns
// (a *ec.PrivateKey or *ecdsa.PrivateKey returns DER, which is converted),
// RSA signatures with PKCS #1 v1.5 or PSS (salt of the hash length).
// config.Rand is passed to the signer; config may be nil for all defaults.
func Sign(signer crypto.Signer, protocol asn1.ObjectIdentifier, msg []byte, config *SignConfig) ([]byte, error) {
	rand := config.rand()
	a, ok := algorithmOf(protocol)
	if !ok {
		return nil, newErr("sign", 0, -1, ErrUnsupported)
	}
	h := a.hash.New()
	h.Write(msg)
	digest := h.Sum(nil)
	if a.rsa {
		if _, ok := signer.Public().(*rsa.PublicKey); !ok {
			return nil, newErr("sign", 0, -1, ErrUnsupported)
		}
		var opts crypto.SignerOpts = a.hash
		if a.pss {
			opts = &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: a.hash}
		}
		sig, err := signer.Sign(rand, digest, opts)
		if err != nil {
			return nil, &Error{Op: "sign", Offset: -1, Err: err}
		}
		return sig, nil
	}
	var curve *ec.Curve
	switch pub := signer.Public().(type) {
	case *ec.PublicKey:
		curve = pub.Curve()
	case *ecdsa.PublicKey:
		c, err := ec.ByName(pub.Curve.Params().Name)
		if err != nil {
			return nil, newErr("sign", 0, -1, ErrUnsupported)
		}
		curve = c
	default:
		return nil, newErr("sign", 0, -1, ErrUnsupported)
	}
	der, err := signer.Sign(rand, digest, a.hash)
	if err != nil {
		return nil, &Error{Op: "sign", Offset: -1, Err: err}
	}
	sig, err := ec.ASN1ToPlain(curve, der)
	if err != nil {
		return nil, newErr("sign", 0, -1, ErrSignature)
	}
	return sig, nil
}
