package aa

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"

	cryptorand "crypto/rand"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// ChallengeSize is the length of the terminal's challenge RND.IFD (ICAO
// Doc 9303-11 §6.1).
const ChallengeSize = 8

// MaxSPKILen bounds the SubjectPublicKeyInfo NewVerifier accepts (an
// RSA-8192 key takes about 1.1 KB).
const MaxSPKILen = 8192

// Verifier is the terminal side of Active Authentication for one public
// key: it builds the INTERNAL AUTHENTICATE command and checks the chip's
// answer. It is immutable and safe for concurrent use.
type Verifier struct {
	rsa  *rsa.PublicKey
	ec   *ec.PublicKey
	hash crypto.Hash // ECDSA only
}

// NewVerifier returns the verifier for an Active Authentication public
// key, given as
//
//   - an *rsa.PublicKey, an *ecdsa.PublicKey (NIST curves) or an
//     *ec.PublicKey (any curve, brainpool included);
//   - a []byte holding the DER SubjectPublicKeyInfo, the contents of
//     DG15 (chip.DG15.SubjectPublicKeyInfo).
//
// info is the ActiveAuthenticationInfo of DG14, which ICAO Doc 9303-11
// §9.2 requires with an ECDSA key: its signatureAlgorithm (ecdsa-with-SHA*
// of ANSI X9.62 or ecdsa-plain-SHA* of BSI TR-03111) gives the hash. It is
// ignored for RSA keys, whose signatures carry their hash in the ISO/IEC
// 9796-2 trailer, and may be nil then.
func NewVerifier(pub crypto.PublicKey, info *secinfo.ActiveAuthenticationInfo) (*Verifier, error) {
	const op = "new verifier"
	v := &Verifier{}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		v.rsa = k
	case *ec.PublicKey:
		v.ec = k
	case *ecdsa.PublicKey:
		ek, err := fromECDSA(k)
		if err != nil {
			return nil, newError(op, ErrUnsupportedKey, err.Error())
		}
		v.ec = ek
	case []byte:
		return newVerifierSPKI(k, info)
	default:
		return nil, newError(op, ErrUnsupportedKey, fmt.Sprintf("key type %T", pub))
	}
	if v.rsa != nil {
		if bad := checkRSAPublic(v.rsa, MinRSABits); bad != "" {
			return nil, newError(op, ErrUnsupportedKey, bad)
		}
		return v, nil
	}
	if v.ec == nil {
		return nil, newError(op, ErrUnsupportedKey, "nil key")
	}
	if info == nil {
		return nil, newError(op, ErrAlgorithm, "ECDSA key without ActiveAuthenticationInfo")
	}
	h, ok := ecdsaHash(info.SignatureAlgorithm)
	if !ok {
		return nil, newError(op, ErrAlgorithm, secinfo.OIDName(info.SignatureAlgorithm))
	}
	v.hash = h
	return v, nil
}

func newVerifierSPKI(spki []byte, info *secinfo.ActiveAuthenticationInfo) (*Verifier, error) {
	const op = "new verifier"
	if len(spki) > MaxSPKILen {
		return nil, newError(op, ErrUnsupportedKey, "SubjectPublicKeyInfo too long")
	}
	parsed, err := secinfo.ParseSubjectPublicKeyInfo(spki)
	if err != nil {
		return nil, &Error{Op: op, Detail: "SubjectPublicKeyInfo", Err: errors.Join(ErrUnsupportedKey, err)}
	}
	alg := parsed.Algorithm.Algorithm
	switch {
	case alg.Equal(oidRSAEncryption):
		k, err := x509.ParsePKIXPublicKey(spki)
		if err != nil {
			return nil, &Error{Op: op, Detail: "RSA key", Err: errors.Join(ErrUnsupportedKey, err)}
		}
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, &Error{Op: op, Detail: "RSA key", Err: errors.Join(ErrUnsupportedKey, errors.New("not an RSA key"))}
		}
		return NewVerifier(rk, info)
	case alg.Equal(ec.OIDPublicKeyEC):
		k, _, err := ec.ParseSubjectPublicKeyInfo(spki)
		if err != nil {
			return nil, &Error{Op: op, Detail: "EC key", Err: errors.Join(ErrUnsupportedKey, err)}
		}
		return NewVerifier(k, info)
	}
	return nil, newError(op, ErrUnsupportedKey, "algorithm "+alg.String())
}

// oidRSAEncryption is rsaEncryption (PKCS #1), the algorithm of RSA keys.
var oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}

// fromECDSA converts a standard library key (NIST curves).
func fromECDSA(k *ecdsa.PublicKey) (*ec.PublicKey, error) {
	if k == nil || k.Curve == nil {
		return nil, errors.New("nil key")
	}
	c, err := ec.ByName(k.Curve.Params().Name)
	if err != nil {
		return nil, err
	}
	b, err := k.Bytes()
	if err != nil {
		return nil, err
	}
	return ec.NewPublicKey(c, b)
}

// ecdsaHash maps the signature algorithms of ActiveAuthenticationInfo to
// their hash.
func ecdsaHash(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	for _, e := range ecdsaAlgorithms {
		if oid.Equal(e.oid) {
			return e.hash, e.hash.Available()
		}
	}
	return 0, false
}

var ecdsaAlgorithms = [...]struct {
	oid  asn1.ObjectIdentifier
	hash crypto.Hash
}{
	{secinfo.OIDECDSAWithSHA1, crypto.SHA1},
	{secinfo.OIDECDSAWithSHA224, crypto.SHA224},
	{secinfo.OIDECDSAWithSHA256, crypto.SHA256},
	{secinfo.OIDECDSAWithSHA384, crypto.SHA384},
	{secinfo.OIDECDSAWithSHA512, crypto.SHA512},
	{secinfo.OIDECDSAPlainSHA1, crypto.SHA1},
	{secinfo.OIDECDSAPlainSHA224, crypto.SHA224},
	{secinfo.OIDECDSAPlainSHA256, crypto.SHA256},
	{secinfo.OIDECDSAPlainSHA384, crypto.SHA384},
	{secinfo.OIDECDSAPlainSHA512, crypto.SHA512},
	{secinfo.OIDECDSAPlainRIPEMD160, crypto.RIPEMD160},
}

// ResponseLen is the length of the chip's answer: the modulus length for
// RSA, twice the order length for ECDSA (plain r || s).
func (v *Verifier) ResponseLen() int {
	if v.rsa != nil {
		return (v.rsa.N.BitLen() + 7) / 8
	}
	return 2 * v.ec.Curve().OrderByteLen()
}

// NeedsExtendedLength reports whether the response is longer than a short
// APDU carries under secure messaging, where Active Authentication runs:
// sm.MaxPlainResponse(256, 16), 223 bytes. RSA keys of 2048 bits and more
// need extended length; ECDSA signatures up to P-521 do not.
func (v *Verifier) NeedsExtendedLength() bool {
	return v.ResponseLen() > sm.MaxPlainResponse(apdu.MaxShortNe, 16)
}

// Command returns the INTERNAL AUTHENTICATE command for challenge:
// 00 88 00 00 08 challenge, with Le '00' when the protected response fits a
// short APDU and the extended Le '0000' otherwise (see NeedsExtendedLength).
func (v *Verifier) Command(challenge []byte) apdu.Command {
	cmd := apdu.InternalAuthenticate(challenge)
	if v.NeedsExtendedLength() {
		cmd.Ne, cmd.Extended = apdu.MaxNe, true
	}
	return cmd
}

// Verify checks the chip's response to INTERNAL AUTHENTICATE with
// challenge. It returns nil when the response is a valid signature of the
// challenge, and an *Error wrapping ErrSignature otherwise (ErrChallenge
// when challenge is not ChallengeSize bytes).
//
// RSA: the response is an ISO/IEC 9796-2 digital signature scheme 1
// signature (or min(s, n - s)) whose recovered representative F holds
// M1 and H(M1 || challenge), with partial recovery (header '6A', as
// eMRTDs sign), or with full recovery (header '4A') M1 ending with the
// challenge and H(M1). The trailer 'BC' means SHA-1, 'xxCC' names the hash
// by its ISO/IEC 10118-3 identifier. The recomputed hash is compared in
// constant time.
//
// ECDSA: the response is the plain signature r || s of BSI TR-03111 over
// the challenge, hashed with the hash of the ActiveAuthenticationInfo
// (whatever the key size suggests); the DER form SEQUENCE { r, s } that
// some chips send is taken too.
func (v *Verifier) Verify(challenge, response []byte) error {
	const op = "verify"
	if len(challenge) != ChallengeSize {
		return newError(op, ErrChallenge, "")
	}
	if v.rsa != nil {
		if _, bad := verifyRSA(v.rsa, challenge, response, crypto.SHA1); bad != "" {
			return newError(op, ErrSignature, bad)
		}
		return nil
	}
	h := v.hash.New()
	h.Write(challenge)
	digest := h.Sum(nil)
	if len(response) == v.ResponseLen() && v.ec.VerifyPlain(digest, response) {
		return nil
	}
	// Some chips answer the DER SEQUENCE { r, s } of X9.62 instead of
	// the plain r || s of BSI TR-03111 (see the NFCPassportReader and
	// JMRTD trackers): the same signature, in another encoding.
	if len(response) > 0 && response[0] == 0x30 && v.ec.VerifyASN1(digest, response) {
		return nil
	}
	return newError(op, ErrSignature, "ECDSA")
}

// Config configures the terminal side of Active Authentication beyond the
// chip's key (the Verifier given to Authenticate). A nil *Config means all
// defaults.
type Config struct {
	// Rand is the source of the challenge. Nil means crypto/rand.Reader.
	Rand io.Reader
	// ShortOnly says that the reader or the card cannot exchange
	// extended-length APDUs (a reader configured without them, an ATR
	// without the extended-length bit). A key whose response needs them
	// then fails with ErrNeedsExtendedLength before anything is sent:
	// a short Le cannot ask for more than 256 bytes, and a truncated
	// response would only look like a failed signature. False by default:
	// extended length is used when the response needs it.
	ShortOnly bool
	// Chaining says that the transmitter collects a response longer than
	// a short APDU with GET RESPONSE (the card answers 61XX, ISO/IEC
	// 7816-4 §5.3.4; apdu.WithChaining below secure messaging): with
	// ShortOnly, a response of up to 256 bytes (RSA-2048) is then asked
	// for with the short Le '00' instead of failing. False by default.
	Chaining bool
}

func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

func (c *Config) shortOnly() bool { return c != nil && c.ShortOnly }

func (c *Config) chaining() bool { return c != nil && c.Chaining }

// Authenticate runs Active Authentication (ICAO Doc 9303-11 §6.1) over t
// against the chip's key v (NewVerifier, from DG15 and DG14's
// ActiveAuthenticationInfo): it draws a challenge, sends INTERNAL
// AUTHENTICATE and verifies the response (see Verifier.Verify). config may be
// nil for all defaults.
//
// When the response needs extended length (RSA-2048 and larger), the
// command goes with the extended Le '0000'; with config.ShortOnly set the
// call fails with ErrNeedsExtendedLength instead, and a card answering
// the extended command with 6700 (wrong length) gives an error matching
// both ErrNeedsExtendedLength and the status error.
//
// A nil error means the chip holds the private key of v. Errors wrap
// ErrSignature (the chip did not prove it: clone suspected), a
// *apdu.StatusError (the chip refused), or the transmitter's error.
func Authenticate(ctx context.Context, t apdu.Transmitter, v *Verifier, config *Config) error {
	const op = "authenticate"
	if v == nil {
		return newError(op, ErrUnsupportedKey, "nil verifier")
	}
	short := config.shortOnly()
	chained := short && config.chaining() && v.ResponseLen() <= apdu.MaxShortNe
	if short && v.NeedsExtendedLength() && !chained {
		return newError(op, ErrNeedsExtendedLength, fmt.Sprintf("%d-byte response", v.ResponseLen()))
	}
	challenge, err := newChallenge(config.rand())
	if err != nil {
		return fmt.Errorf("aa: %s: challenge: %w", op, err)
	}
	cmd := v.Command(challenge)
	if chained {
		cmd = apdu.InternalAuthenticate(challenge)
	}
	resp, err := t.Transmit(ctx, cmd)
	if err != nil {
		return fmt.Errorf("aa: %s: INTERNAL AUTHENTICATE: %w", op, err)
	}
	if err := resp.Err(); err != nil {
		if cmd.Extended && resp.SW == 0x6700 {
			return fmt.Errorf("%w (card answered %w)", newError(op, ErrNeedsExtendedLength, ""), err)
		}
		return fmt.Errorf("aa: %s: INTERNAL AUTHENTICATE: %w", op, err)
	}
	return v.Verify(challenge, resp.Data)
}

// newChallenge draws a challenge of ChallengeSize bytes from rand.
func newChallenge(rand io.Reader) ([]byte, error) {
	c := make([]byte, ChallengeSize)
	if _, err := io.ReadFull(rand, c); err != nil {
		return nil, err
	}
	return c, nil
}
