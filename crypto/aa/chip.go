package aa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"io"
	"sync"

	cryptorand "crypto/rand"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// Chip is the chip side of Active Authentication: it answers INTERNAL
// AUTHENTICATE with a signature of the terminal's challenge, as a card
// simulator or a test needs it.
//
// With an RSA key the signature is ISO/IEC 9796-2 digital signature scheme
// 1 with partial message recovery, as eMRTD chips make it: the
// representative F = '6A' || M1 || H(M1 || challenge) || trailer, where M1
// is random bytes filling the capacity of the modulus and the trailer is
// 'BC' for SHA-1 or 'xxCC' for another hash. With an EC key it is ECDSA
// over the challenge in the plain r || s format of BSI TR-03111.
type Chip struct {
	explicit bool
	minimal  bool

	mu     sync.Mutex
	hash   crypto.Hash
	rand   io.Reader
	rsa    *rsa.PrivateKey
	ec     *ec.PrivateKey
	signer crypto.Signer // an EC signer other than *ec.PrivateKey (an HSM)
	curve  *ec.Curve
}

// ChipConfig configures the chip side of Active Authentication beyond its
// key (the argument of NewChip). A nil *ChipConfig means all defaults.
type ChipConfig struct {
	// Rand gives M1 and the RSA blinding values, and the ECDSA nonces
	// where the signer takes them. Nil means crypto/rand.Reader.
	Rand io.Reader
	// Hash is the hash of the signature. Zero (the default) chooses SHA-1
	// for RSA (the trailer 'BC' of ICAO Doc 9303-11) and for EC the SHA-2
	// hash matching the curve size (SHA-256 up to 256 bits, SHA-384 up to
	// 384, SHA-512 above).
	Hash crypto.Hash
	// Explicit makes an RSA chip with SHA-1 write the explicit trailer
	// '33CC' instead of the implicit 'BC'. Other hashes always use the
	// explicit trailer. False by default.
	Explicit bool
	// Minimal makes an RSA chip return min(s, n - s) instead of s, the
	// signature form ISO/IEC 9796-2 allows and some chips use. False by
	// default.
	Minimal bool
}

func (c *ChipConfig) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

func (c *ChipConfig) hash() crypto.Hash {
	if c == nil {
		return 0
	}
	return c.Hash
}

// NewChip returns the chip side for key: an *rsa.PrivateKey (the raw RSA
// operation needs the private key itself), an *ec.PrivateKey (any curve,
// brainpool included), an *ecdsa.PrivateKey, or another crypto.Signer
// whose public key is an *ecdsa.PublicKey or *ec.PublicKey. config may be nil
// for all defaults.
func NewChip(key crypto.Signer, config *ChipConfig) (*Chip, error) {
	const op = "new chip"
	c := &Chip{hash: config.hash(), rand: config.rand()}
	if config != nil {
		c.explicit, c.minimal = config.Explicit, config.Minimal
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k == nil {
			return nil, newError(op, ErrUnsupportedKey, "nil key")
		}
		if bad := checkRSAPublic(&k.PublicKey, MinRSABits); bad != "" {
			return nil, newError(op, ErrUnsupportedKey, bad)
		}
		if k.D == nil || k.D.Sign() <= 0 {
			return nil, newError(op, ErrUnsupportedKey, "no private exponent")
		}
		if c.hash == 0 {
			c.hash = crypto.SHA1
		}
		if _, ok := HashIdentifier(c.hash); !ok || !c.hash.Available() {
			return nil, newError(op, ErrAlgorithm, c.hash.String())
		}
		if capacity((k.N.BitLen()+7)/8, c.hash, true) < 1 {
			return nil, newError(op, ErrUnsupportedKey, "modulus too short for the hash")
		}
		c.rsa = k
		return c, nil
	case *ec.PrivateKey:
		if k == nil {
			return nil, newError(op, ErrUnsupportedKey, "nil key")
		}
		c.ec, c.curve = k, k.Curve()
	case *ecdsa.PrivateKey:
		if k == nil || k.Curve == nil {
			return nil, newError(op, ErrUnsupportedKey, "nil key")
		}
		curve, err := ec.ByName(k.Curve.Params().Name)
		if err != nil {
			return nil, newError(op, ErrUnsupportedKey, "curve")
		}
		d, err := k.Bytes()
		if err != nil {
			return nil, newError(op, ErrUnsupportedKey, "private key")
		}
		defer clear(d)
		if c.ec, err = ec.NewPrivateKey(curve, d); err != nil {
			return nil, newError(op, ErrUnsupportedKey, "private key")
		}
		c.curve = curve
	case nil:
		return nil, newError(op, ErrUnsupportedKey, "nil key")
	default:
		switch p := key.Public().(type) {
		case *ecdsa.PublicKey:
			pub, err := fromECDSA(p)
			if err != nil {
				return nil, newError(op, ErrUnsupportedKey, "public key")
			}
			c.curve = pub.Curve()
		case *ec.PublicKey:
			c.curve = p.Curve()
		case *rsa.PublicKey:
			return nil, newError(op, ErrUnsupportedKey, "an RSA crypto.Signer cannot do the raw RSA operation of ISO/IEC 9796-2")
		default:
			return nil, newError(op, ErrUnsupportedKey, fmt.Sprintf("public key type %T", p))
		}
		c.signer = key
	}
	if c.hash == 0 {
		switch bits := c.curve.BitSize(); {
		case bits <= 256:
			c.hash = crypto.SHA256
		case bits <= 384:
			c.hash = crypto.SHA384
		default:
			c.hash = crypto.SHA512
		}
	}
	if _, ok := c.signatureAlgorithm(); !ok || !c.hash.Available() {
		return nil, newError(op, ErrAlgorithm, c.hash.String())
	}
	return c, nil
}

// Public returns the public key, for DG15.
func (c *Chip) Public() crypto.PublicKey {
	switch {
	case c.rsa != nil:
		return &c.rsa.PublicKey
	case c.ec != nil:
		return &c.ec.PublicKey
	}
	return c.signer.Public()
}

// SubjectPublicKeyInfo returns the DER SubjectPublicKeyInfo of the public
// key, the contents of DG15 (chip.NewDG15 takes it): rsaEncryption for
// RSA, id-ecPublicKey with the named curve for EC (brainpool included).
func (c *Chip) SubjectPublicKeyInfo() ([]byte, error) {
	switch p := c.Public().(type) {
	case *rsa.PublicKey:
		return x509.MarshalPKIXPublicKey(p)
	case *ec.PublicKey:
		return ec.MarshalSubjectPublicKeyInfo(p, false)
	case *ecdsa.PublicKey:
		return x509.MarshalPKIXPublicKey(p)
	}
	return nil, newError("marshal public key", ErrUnsupportedKey, "")
}

// Hash returns the hash the chip signs with.
func (c *Chip) Hash() crypto.Hash { return c.hash }

// Info returns the ActiveAuthenticationInfo that DG14 must carry for an
// ECDSA key (ICAO Doc 9303-11 §9.2), naming the plain ECDSA signature
// algorithm of BSI TR-03111 with the chip's hash (ecdsa-plain-SHA256, ...),
// or nil for an RSA key.
func (c *Chip) Info() *secinfo.ActiveAuthenticationInfo {
	oid, ok := c.signatureAlgorithm()
	if !ok {
		return nil
	}
	return &secinfo.ActiveAuthenticationInfo{Protocol: secinfo.OIDAA, Version: 1, SignatureAlgorithm: oid}
}

func (c *Chip) signatureAlgorithm() (asn1.ObjectIdentifier, bool) {
	if c.rsa != nil {
		return nil, false
	}
	switch c.hash {
	case crypto.SHA1:
		return secinfo.OIDECDSAPlainSHA1, true
	case crypto.SHA224:
		return secinfo.OIDECDSAPlainSHA224, true
	case crypto.SHA256:
		return secinfo.OIDECDSAPlainSHA256, true
	case crypto.SHA384:
		return secinfo.OIDECDSAPlainSHA384, true
	case crypto.SHA512:
		return secinfo.OIDECDSAPlainSHA512, true
	}
	return nil, false
}

// ResponseLen is the length of the chip's signature.
func (c *Chip) ResponseLen() int {
	if c.rsa != nil {
		return (c.rsa.N.BitLen() + 7) / 8
	}
	return 2 * c.curve.OrderByteLen()
}

// Sign returns the chip's answer to challenge: the ISO/IEC 9796-2
// signature (RSA) or the plain ECDSA signature. ICAO's challenge is 8
// bytes; Sign signs any non-empty challenge up to 256 bytes, Handle only
// 8-byte ones.
func (c *Chip) Sign(challenge []byte) ([]byte, error) {
	const op = "sign"
	if len(challenge) == 0 || len(challenge) > 256 {
		return nil, newError(op, ErrChallenge, "")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rsa != nil {
		return c.signRSA(challenge)
	}
	h := c.hash.New()
	h.Write(challenge)
	digest := h.Sum(nil)
	if c.ec != nil {
		sig, err := c.ec.SignPlain(c.rand, digest, c.hash)
		if err != nil {
			return nil, &Error{Op: op, Detail: "ECDSA", Err: err}
		}
		return sig, nil
	}
	der, err := c.signer.Sign(c.rand, digest, c.hash)
	if err != nil {
		return nil, &Error{Op: op, Detail: "ECDSA", Err: err}
	}
	sig, err := ec.ASN1ToPlain(c.curve, der)
	if err != nil {
		return nil, &Error{Op: op, Detail: "ECDSA signature from the signer", Err: err}
	}
	return sig, nil
}

func (c *Chip) signRSA(challenge []byte) ([]byte, error) {
	const op = "sign"
	k := (c.rsa.N.BitLen() + 7) / 8
	r := &representative{partial: true, hash: c.hash}
	if c.explicit || c.hash != crypto.SHA1 {
		r.id, _ = HashIdentifier(c.hash)
	}
	r.m1 = make([]byte, capacity(k, c.hash, r.id != 0))
	if _, err := io.ReadFull(c.rand, r.m1); err != nil {
		return nil, &Error{Op: op, Detail: "random M1", Err: err}
	}
	h := c.hash.New()
	h.Write(r.m1)
	h.Write(challenge)
	r.digest = h.Sum(nil)
	f, ok := r.encode(k)
	if !ok {
		return nil, newError(op, ErrUnsupportedKey, "representative")
	}
	sig, err := rsaPrivate(c.rsa, f, c.rand)
	if err != nil {
		return nil, &Error{Op: op, Detail: "RSA", Err: err}
	}
	if c.minimal {
		sig = minimal(c.rsa.N, sig)
	}
	return sig, nil
}

// Handle answers one plain INTERNAL AUTHENTICATE command (00 88 00 00 08
// challenge Le): the signature and 9000. It answers 6D00 to another INS,
// 6A86 to P1-P2 other than 00 00, 6700 to a challenge that is not 8 bytes
// or an Le too small for a response above 256 bytes, 6CXX to a short Le
// too small for a shorter one, and 6F00 when signing fails. The error, if
// not nil, says why (for logs); it never holds key material.
func (c *Chip) Handle(cmd apdu.Command) (apdu.Response, error) {
	const op = "chip INTERNAL AUTHENTICATE"
	fail := func(sw apdu.StatusWord, err error, detail string) (apdu.Response, error) {
		return apdu.Response{SW: sw}, newError(op, err, fmt.Sprintf("%s: answered %04X", detail, uint16(sw)))
	}
	if cmd.INS != apdu.INSInternalAuthenticate {
		return fail(apdu.SWINSNotSupported, ErrCommand, "INS")
	}
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return fail(apdu.SWWrongP1P2, ErrCommand, "P1-P2")
	}
	if len(cmd.Data) != ChallengeSize {
		return fail(apdu.SWWrongLength, ErrChallenge, "Lc")
	}
	n := c.ResponseLen()
	if cmd.Ne < n {
		if cmd.Ne > 0 && n <= apdu.MaxShortNe {
			return fail(apdu.StatusWord(0x6C00|n&0xFF), ErrCommand, "Le")
		}
		return fail(apdu.SWWrongLength, ErrCommand, "Le")
	}
	sig, err := c.Sign(cmd.Data)
	if err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}, err
	}
	return apdu.Response{Data: sig, SW: apdu.SWSuccess}, nil
}

// String describes the chip's key and hash, never the private key.
func (c *Chip) String() string {
	if c.rsa != nil {
		return fmt.Sprintf("aa.Chip{RSA-%d, %v}", c.rsa.N.BitLen(), c.hash)
	}
	return fmt.Sprintf("aa.Chip{ECDSA %s, %v}", c.curve.Name(), c.hash)
}

// GoString is String, so that %#v does not print the key either.
func (c *Chip) GoString() string { return c.String() }
