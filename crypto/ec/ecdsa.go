package ec

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"hash"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// maxSignatureLen bounds the signatures this package parses.
const maxSignatureLen = 2*(MaxFieldBits/8+2) + 16

// Sign signs digest with ECDSA and returns the ASN.1 DER
// Ecdsa-Sig-Value SEQUENCE { r INTEGER, s INTEGER }, as X.509, CMS (the
// EF.SOD signature) and crypto.Signer callers expect. opts.HashFunc, when
// set, must match the digest length. On P-224 to P-521 the standard
// library's constant-time crypto/ecdsa signs (and, since Go 1.26, draws its
// own randomness); elsewhere the nonce is RFC 6979's with rand's bytes
// mixed in as extra entropy (RFC 6979 section 3.6), so a weak rand does not
// leak the key.
func (k *PrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	r, s, err := k.sign(rand, digest, opts)
	if err != nil {
		return nil, err
	}
	return EncodeSignatureASN1(r, s), nil
}

// SignPlain is Sign with the plain signature format of BSI TR-03111
// section 5.2.1: r || s, each OrderByteLen bytes, as Active Authentication
// and Terminal Authentication use it.
func (k *PrivateKey) SignPlain(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	r, s, err := k.sign(rand, digest, opts)
	if err != nil {
		return nil, err
	}
	return EncodeSignaturePlain(k.point.c, r, s)
}

// SignDeterministic signs digest with the nonce of RFC 6979 (HMAC-DRBG
// over the private key and the digest, with opts.HashFunc as the HMAC
// hash), on every curve through the generic code. Equal inputs give equal
// signatures, which makes exact tests possible.
func (k *PrivateKey) SignDeterministic(digest []byte, opts crypto.SignerOpts) (r, s *big.Int, err error) {
	if opts == nil || !opts.HashFunc().Available() {
		return nil, nil, newError("sign", k.point.c, ErrUnsupported)
	}
	if err := checkDigest(k.point.c, digest, opts); err != nil {
		return nil, nil, err
	}
	return k.signGeneric(digest, opts.HashFunc().New, nil)
}

func checkDigest(c *Curve, digest []byte, opts crypto.SignerOpts) error {
	if opts != nil && opts.HashFunc() != 0 && len(digest) != opts.HashFunc().Size() {
		return newError("sign: digest length does not match the hash", c, ErrInvalidSignature)
	}
	if len(digest) == 0 || len(digest) > 128 {
		return newError("sign: digest length", c, ErrInvalidSignature)
	}
	return nil
}

func (k *PrivateKey) sign(rnd io.Reader, digest []byte, opts crypto.SignerOpts) (r, s *big.Int, err error) {
	c := k.point.c
	if err := checkDigest(c, digest, opts); err != nil {
		return nil, nil, err
	}
	if c.stdECDSA != nil {
		priv, err := ecdsa.ParseRawPrivateKey(c.stdECDSA, k.Bytes())
		if err != nil {
			return nil, nil, newError("sign", c, ErrInvalidScalar)
		}
		der, err := ecdsa.SignASN1(rnd, priv, digest)
		if err != nil {
			return nil, nil, &Error{Op: "sign", Curve: c.name, Offset: -1, Err: err}
		}
		return ParseSignatureASN1(der)
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	extra := make([]byte, 32)
	if _, err := io.ReadFull(rnd, extra); err != nil {
		return nil, nil, &Error{Op: "sign", Curve: c.name, Offset: -1, Err: err}
	}
	h := sha256.New
	if opts != nil && opts.HashFunc().Available() {
		h = opts.HashFunc().New
	}
	return k.signGeneric(digest, h, extra)
}

// hashToInt is bits2int of RFC 6979 section 2.3.2 and the truncation of
// SEC 1 section 4.1.3 step 5: the leftmost bitlen(n) bits of the digest.
func hashToInt(digest []byte, n *big.Int) *big.Int {
	qlen := n.BitLen()
	if len(digest)*8 > qlen {
		digest = digest[:(qlen+7)/8]
	}
	e := new(big.Int).SetBytes(digest)
	if excess := len(digest)*8 - qlen; excess > 0 {
		e.Rsh(e, uint(excess))
	}
	return e
}

// signGeneric is ECDSA signing (SEC 1 section 4.1.3) with the RFC 6979
// nonce; extra, when not nil, is the additional data k' of section 3.6.
func (k *PrivateKey) signGeneric(digest []byte, h func() hash.Hash, extra []byte) (r, s *big.Int, err error) {
	c := k.point.c
	n := c.n
	e := hashToInt(digest, n)
	g := newRFC6979(n, k.d, e, h, extra)
	for range 64 {
		if r, s, ok := k.signWithNonce(g.next(), e); ok {
			return r, s, nil
		}
	}
	return nil, nil, newError("sign", c, ErrInvalidScalar)
}

// signWithNonce is one attempt of SEC 1 section 4.1.3 with the nonce kk in
// [1, n-1]: r = x(kk*G) mod n, s = kk^-1 (e + r*d) mod n; false when r or s
// is zero.
func (k *PrivateKey) signWithNonce(kk, e *big.Int) (r, s *big.Int, ok bool) {
	c := k.point.c
	n := c.n
	p := c.ScalarBaseMult(kk)
	if p.inf {
		return nil, nil, false
	}
	r = new(big.Int).Mod(&p.x, n)
	if r.Sign() == 0 {
		return nil, nil, false
	}
	// s = kk^-1 * (e + r*d) mod n in the Montgomery field of n, the
	// inverse blinded (mont.invBlinded): no variable-time operation on a
	// value that depends on kk or d alone.
	sm := c.sm
	var fk, fd, fr, fe_, t fe
	sm.fromBig(&fk, kk)
	sm.fromBig(&fd, k.d)
	sm.fromBig(&fr, r)
	sm.fromBig(&fe_, new(big.Int).Mod(e, n)) // e is public
	sm.invBlinded(&fk, &fk)
	sm.mul(&t, &fr, &fd)
	sm.addf(&t, &t, &fe_)
	sm.mul(&t, &t, &fk)
	s = new(big.Int)
	sm.toBig(s, &t)
	if s.Sign() == 0 {
		return nil, nil, false
	}
	return r, s, true
}

// rfc6979 generates nonces as RFC 6979 section 3.2 describes.
type rfc6979 struct {
	n    *big.Int
	k, v []byte
	h    func() hash.Hash
	more bool
}

func newRFC6979(n, x, e *big.Int, h func() hash.Hash, extra []byte) *rfc6979 {
	rlen := (n.BitLen() + 7) / 8
	xb := x.FillBytes(make([]byte, rlen))
	// bits2octets(h1) = int2octets(bits2int(h1) mod q)
	hm := new(big.Int).Mod(e, n)
	hb := hm.FillBytes(make([]byte, rlen))
	size := h().Size()
	g := &rfc6979{n: n, h: h, k: make([]byte, size), v: make([]byte, size)}
	for i := range g.v {
		g.v[i] = 1
	}
	for _, b := range []byte{0, 1} {
		m := hmac.New(h, g.k)
		m.Write(g.v)
		m.Write([]byte{b})
		m.Write(xb)
		m.Write(hb)
		m.Write(extra)
		g.k = m.Sum(g.k[:0])
		g.v = g.mac(g.v)
	}
	return g
}

func (g *rfc6979) mac(parts ...[]byte) []byte {
	m := hmac.New(g.h, g.k)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// next returns the next candidate nonce in [1, n-1].
func (g *rfc6979) next() *big.Int {
	qlen := g.n.BitLen()
	for {
		if g.more {
			// Step h.3: K = HMAC_K(V || 0x00), V = HMAC_K(V).
			g.k = g.mac(g.v, []byte{0})
			g.v = g.mac(g.v)
		}
		g.more = true
		var t []byte
		for len(t)*8 < qlen {
			g.v = g.mac(g.v)
			t = append(t, g.v...)
		}
		kk := hashToInt(t, g.n)
		if kk.Sign() > 0 && kk.Cmp(g.n) < 0 {
			return kk
		}
	}
}

// Verify reports whether (r, s) is a valid ECDSA signature of digest
// (SEC 1 section 4.1.4). On P-224 to P-521 the standard library verifies.
func (k *PublicKey) Verify(digest []byte, r, s *big.Int) bool {
	c := k.point.c
	if r == nil || s == nil || r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(c.n) >= 0 || s.Cmp(c.n) >= 0 {
		return false
	}
	if c.stdECDSA != nil {
		pub, err := ecdsa.ParseUncompressedPublicKey(c.stdECDSA, k.point.Bytes())
		if err != nil {
			return false
		}
		return ecdsa.Verify(pub, digest, r, s)
	}
	return k.verifyGeneric(digest, r, s)
}

func (k *PublicKey) verifyGeneric(digest []byte, r, s *big.Int) bool {
	c := k.point.c
	n := c.n
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(n) >= 0 || s.Cmp(n) >= 0 {
		return false
	}
	e := hashToInt(digest, n)
	w := new(big.Int).ModInverse(s, n)
	if w == nil {
		return false
	}
	u1 := new(big.Int).Mul(e, w)
	u1.Mod(u1, n)
	u2 := new(big.Int).Mul(r, w)
	u2.Mod(u2, n)
	// Everything here is public (signature, digest, key): variable time.
	var p *Point
	if c.nist != nil {
		p = c.MulAdd(u1, u2, k.point)
	} else {
		p = c.verifyVartime(u1, u2, k.point)
	}
	if p.inf {
		return false
	}
	v := new(big.Int).Mod(&p.x, n)
	return v.Cmp(r) == 0
}

// VerifyASN1 reports whether sig, an ASN.1 DER Ecdsa-Sig-Value, is a
// valid signature of digest. Non-DER encodings are refused.
func (k *PublicKey) VerifyASN1(digest, sig []byte) bool {
	r, s, err := ParseSignatureASN1(sig)
	if err != nil {
		return false
	}
	return k.Verify(digest, r, s)
}

// VerifyPlain reports whether sig, a plain r || s signature (BSI TR-03111
// section 5.2.1) of 2*OrderByteLen bytes, is a valid signature of digest.
func (k *PublicKey) VerifyPlain(digest, sig []byte) bool {
	r, s, err := ParseSignaturePlain(k.point.c, sig)
	if err != nil {
		return false
	}
	return k.Verify(digest, r, s)
}

// EncodeSignatureASN1 returns the DER SEQUENCE { r INTEGER, s INTEGER }.
func EncodeSignatureASN1(r, s *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(r)
		b.AddASN1BigInt(s)
	})
	return b.BytesOrPanic()
}

// ParseSignatureASN1 parses a DER Ecdsa-Sig-Value. r and s must be
// positive; trailing bytes are an error.
func ParseSignatureASN1(sig []byte) (r, s *big.Int, err error) {
	bad := &Error{Op: "parse ECDSA signature", Offset: -1, Err: ErrInvalidSignature}
	if len(sig) > maxSignatureLen {
		return nil, nil, &Error{Op: "parse ECDSA signature", Offset: -1, Err: ErrTooLarge}
	}
	in := cryptobyte.String(sig)
	var inner cryptobyte.String
	r, s = new(big.Int), new(big.Int)
	if !in.ReadASN1(&inner, cbasn1.SEQUENCE) || !in.Empty() ||
		!inner.ReadASN1Integer(r) || !inner.ReadASN1Integer(s) || !inner.Empty() {
		return nil, nil, bad
	}
	if r.Sign() <= 0 || s.Sign() <= 0 {
		return nil, nil, bad
	}
	return r, s, nil
}

// EncodeSignaturePlain returns r || s with OrderByteLen bytes each.
func EncodeSignaturePlain(c *Curve, r, s *big.Int) ([]byte, error) {
	l := c.OrderByteLen()
	if r.Sign() < 0 || s.Sign() < 0 || r.BitLen() > 8*l || s.BitLen() > 8*l {
		return nil, newError("encode plain signature", c, ErrInvalidSignature)
	}
	out := make([]byte, 2*l)
	r.FillBytes(out[:l])
	s.FillBytes(out[l:])
	return out, nil
}

// ParseSignaturePlain splits a plain r || s signature of c.
func ParseSignaturePlain(c *Curve, sig []byte) (r, s *big.Int, err error) {
	l := c.OrderByteLen()
	if len(sig) != 2*l {
		return nil, nil, newError("parse plain signature", c, ErrInvalidSignature)
	}
	return new(big.Int).SetBytes(sig[:l]), new(big.Int).SetBytes(sig[l:]), nil
}

// PlainToASN1 converts a plain r || s signature of c to DER.
func PlainToASN1(c *Curve, sig []byte) ([]byte, error) {
	r, s, err := ParseSignaturePlain(c, sig)
	if err != nil {
		return nil, err
	}
	if r.Sign() == 0 || s.Sign() == 0 {
		return nil, newError("parse plain signature", c, ErrInvalidSignature)
	}
	return EncodeSignatureASN1(r, s), nil
}

// ASN1ToPlain converts a DER signature to the plain r || s format of c.
func ASN1ToPlain(c *Curve, sig []byte) ([]byte, error) {
	r, s, err := ParseSignatureASN1(sig)
	if err != nil {
		return nil, err
	}
	return EncodeSignaturePlain(c, r, s)
}
