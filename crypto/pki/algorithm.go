package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	_ "crypto/sha1" // SHA-1 is still found in older SODs and certificates
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"
	"fmt"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignatureScheme is the family of a signature algorithm.
type SignatureScheme int

const (
	// UnknownScheme: an algorithm this package cannot verify; any check
	// that meets it fails with ErrUnsupportedAlgorithm.
	UnknownScheme SignatureScheme = iota
	// RSAPKCS1v15: RSASSA-PKCS1-v1_5 (sha*WithRSAEncryption).
	RSAPKCS1v15
	// RSAPSS: RSASSA-PSS (id-RSASSA-PSS, RFC 4055).
	RSAPSS
	// ECDSA: ECDSA with an X9.62 DER signature (ecdsa-with-SHA*).
	ECDSA
	// ECDSAPlain: ECDSA with the plain r||s signature of BSI TR-03111
	// (ecdsa-plain-SHA*), found in some German-made documents.
	ECDSAPlain
)

func (s SignatureScheme) String() string {
	switch s {
	case RSAPKCS1v15:
		return "RSA-PKCS1v15"
	case RSAPSS:
		return "RSASSA-PSS"
	case ECDSA:
		return "ECDSA"
	case ECDSAPlain:
		return "ECDSA-plain"
	}
	return "unknown"
}

// PSSParameters are the RSASSA-PSS-params of RFC 4055 §3.1, with the
// defaults (SHA-1, MGF1 with SHA-1, salt 20, trailer 1) filled in when
// absent.
type PSSParameters struct {
	Hash         crypto.Hash
	MGFHash      crypto.Hash
	SaltLength   int
	TrailerField int
}

// SignatureAlgorithm is a parsed signature AlgorithmIdentifier.
type SignatureAlgorithm struct {
	// Raw is the whole AlgorithmIdentifier as it was read.
	Raw []byte
	// OID is the algorithm identifier.
	OID    asn1.ObjectIdentifier
	Scheme SignatureScheme
	// Hash is the message digest the signature is computed over; zero
	// when unknown (for CMS, rsaEncryption and id-ecPublicKey as signature
	// algorithm take it from the SignerInfo digestAlgorithm).
	Hash crypto.Hash
	// PSS holds the parameters of RSASSA-PSS.
	PSS *PSSParameters
	// Err says why the algorithm cannot be used (ErrUnsupportedAlgorithm
	// wrapped with detail); nil when it can.
	Err error
}

func (a SignatureAlgorithm) String() string {
	if a.Scheme == UnknownScheme {
		return "unknown(" + a.OID.String() + ")"
	}
	if a.Hash == 0 {
		return a.Scheme.String()
	}
	return a.Scheme.String() + "-" + a.Hash.String()
}

var hashOIDs = []struct {
	oid asn1.ObjectIdentifier
	h   crypto.Hash
}{
	{OIDSHA1, crypto.SHA1},
	{OIDSHA224, crypto.SHA224},
	{OIDSHA256, crypto.SHA256},
	{OIDSHA384, crypto.SHA384},
	{OIDSHA512, crypto.SHA512},
}

// HashFromOID returns the hash of a digest algorithm OID, 0 if unknown.
func HashFromOID(oid asn1.ObjectIdentifier) crypto.Hash {
	for _, e := range hashOIDs {
		if e.oid.Equal(oid) {
			return e.h
		}
	}
	return 0
}

// HashOID returns the digest algorithm OID of h, nil if unsupported.
func HashOID(h crypto.Hash) asn1.ObjectIdentifier {
	for _, e := range hashOIDs {
		if e.h == h {
			return e.oid
		}
	}
	return nil
}

var sigOIDs = []struct {
	oid    asn1.ObjectIdentifier
	scheme SignatureScheme
	h      crypto.Hash
}{
	{OIDSHA1WithRSA, RSAPKCS1v15, crypto.SHA1},
	{OIDSHA224WithRSA, RSAPKCS1v15, crypto.SHA224},
	{OIDSHA256WithRSA, RSAPKCS1v15, crypto.SHA256},
	{OIDSHA384WithRSA, RSAPKCS1v15, crypto.SHA384},
	{OIDSHA512WithRSA, RSAPKCS1v15, crypto.SHA512},
	{OIDRSAEncryption, RSAPKCS1v15, 0},
	{OIDECDSAWithSHA1, ECDSA, crypto.SHA1},
	{OIDECDSAWithSHA224, ECDSA, crypto.SHA224},
	{OIDECDSAWithSHA256, ECDSA, crypto.SHA256},
	{OIDECDSAWithSHA384, ECDSA, crypto.SHA384},
	{OIDECDSAWithSHA512, ECDSA, crypto.SHA512},
	{OIDECPublicKey, ECDSA, 0},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 1), ECDSAPlain, crypto.SHA1},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 2), ECDSAPlain, crypto.SHA224},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 3), ECDSAPlain, crypto.SHA256},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 4), ECDSAPlain, crypto.SHA384},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 5), ECDSAPlain, crypto.SHA512},
}

// readAlgorithmIdentifier reads SEQUENCE { OID, params ANY OPTIONAL } and
// returns the raw element, the OID and the raw parameters (nil if absent).
func readAlgorithmIdentifier(s *cryptobyte.String, raw *[]byte, oid *asn1.ObjectIdentifier, params *[]byte) bool {
	var e, body cryptobyte.String
	if !s.ReadASN1Element(&e, cbasn1.SEQUENCE) {
		return false
	}
	outer := e
	if !outer.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1ObjectIdentifier(oid) {
		return false
	}
	*params = nil
	if len(body) > 0 {
		var p []byte
		var tag cbasn1.Tag
		if !readAnyElement(&body, &p, &tag) || len(body) != 0 {
			return false
		}
		*params = p
	}
	*raw = e
	return true
}

// parseSignatureAlgorithm interprets an AlgorithmIdentifier. An unknown or
// unusable algorithm is not a parse error: it gives a SignatureAlgorithm
// whose Err is set, so that the structure around it can still be read and
// the verification fails where the algorithm is needed.
func parseSignatureAlgorithm(raw []byte, oid asn1.ObjectIdentifier, params []byte) SignatureAlgorithm {
	a := SignatureAlgorithm{Raw: raw, OID: oid}
	if oid.Equal(OIDRSASSAPSS) {
		p, err := parsePSSParams(params)
		if err != nil {
			a.Err = err
			return a
		}
		a.Scheme, a.Hash, a.PSS = RSAPSS, p.Hash, p
		return a
	}
	for _, e := range sigOIDs {
		if e.oid.Equal(oid) {
			a.Scheme, a.Hash = e.scheme, e.h
			// RSA takes NULL or absent parameters; ECDSA takes none
			// (id-ecPublicKey may carry curve parameters, ignored).
			if e.scheme == RSAPKCS1v15 && params != nil && string(params) != string(nullParams) {
				a.Err = fmt.Errorf("%w: parameters on %v", ErrUnsupportedAlgorithm, oid)
			}
			return a
		}
	}
	a.Err = fmt.Errorf("%w: signature algorithm %v", ErrUnsupportedAlgorithm, oid)
	return a
}

func readHashAlgorithm(s *cryptobyte.String) (crypto.Hash, bool) {
	var raw, params []byte
	var oid asn1.ObjectIdentifier
	if !readAlgorithmIdentifier(s, &raw, &oid, &params) {
		return 0, false
	}
	if params != nil && string(params) != string(nullParams) {
		return 0, true
	}
	return HashFromOID(oid), true
}

// parsePSSParams reads RSASSA-PSS-params; absent or empty parameters mean
// all defaults.
func parsePSSParams(params []byte) (*PSSParameters, error) {
	p := &PSSParameters{Hash: crypto.SHA1, MGFHash: crypto.SHA1, SaltLength: 20, TrailerField: 1}
	bad := fmt.Errorf("%w: malformed RSASSA-PSS parameters", ErrUnsupportedAlgorithm)
	if params == nil || string(params) == string(nullParams) {
		return p, nil
	}
	s := cryptobyte.String(params)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || len(s) != 0 {
		return nil, bad
	}
	var f cryptobyte.String
	var present bool
	if !seq.ReadOptionalASN1(&f, &present, tagged(0)) {
		return nil, bad
	}
	if present {
		h, ok := readHashAlgorithm(&f)
		if !ok || len(f) != 0 {
			return nil, bad
		}
		p.Hash = h
	}
	if !seq.ReadOptionalASN1(&f, &present, tagged(1)) {
		return nil, bad
	}
	if present {
		var raw, mparams []byte
		var oid asn1.ObjectIdentifier
		if !readAlgorithmIdentifier(&f, &raw, &oid, &mparams) || len(f) != 0 || !oid.Equal(OIDMGF1) || mparams == nil {
			return nil, fmt.Errorf("%w: PSS mask generation function other than MGF1", ErrUnsupportedAlgorithm)
		}
		m := cryptobyte.String(mparams)
		h, ok := readHashAlgorithm(&m)
		if !ok || len(m) != 0 {
			return nil, bad
		}
		p.MGFHash = h
	}
	var n int64
	if !seq.ReadOptionalASN1(&f, &present, tagged(2)) {
		return nil, bad
	}
	if present {
		if !f.ReadASN1Int64WithTag(&n, cbasn1.INTEGER) || len(f) != 0 || n < 0 || n > 1<<16 {
			return nil, bad
		}
		p.SaltLength = int(n)
	}
	if !seq.ReadOptionalASN1(&f, &present, tagged(3)) {
		return nil, bad
	}
	if present {
		if !f.ReadASN1Int64WithTag(&n, cbasn1.INTEGER) || len(f) != 0 {
			return nil, bad
		}
		p.TrailerField = int(n)
	}
	if len(seq) != 0 {
		return nil, bad
	}
	switch {
	case p.Hash == 0 || p.MGFHash == 0:
		return nil, fmt.Errorf("%w: PSS with an unknown hash", ErrUnsupportedAlgorithm)
	case p.Hash != p.MGFHash:
		return nil, fmt.Errorf("%w: PSS with MGF1 hash %v differing from %v", ErrUnsupportedAlgorithm, p.MGFHash, p.Hash)
	case p.TrailerField != 1:
		return nil, fmt.Errorf("%w: PSS trailer field %d", ErrUnsupportedAlgorithm, p.TrailerField)
	}
	return p, nil
}

// addHashAlgorithm writes a digest AlgorithmIdentifier; withNull adds
// the NULL parameters (PSS parameters carry them, CMS omits them as
// RFC 5754 §2 asks).
func addHashAlgorithm(b *cryptobyte.Builder, h crypto.Hash, withNull bool) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(HashOID(h))
		if withNull {
			b.AddASN1NULL()
		}
	})
}

// marshalSignatureAlgorithm builds the AlgorithmIdentifier for a scheme and
// hash. PSS uses MGF1 with the same hash, the given salt length and the
// default trailer; values equal to their DEFAULT are omitted as DER wants.
func marshalSignatureAlgorithm(scheme SignatureScheme, h crypto.Hash, saltLen int) ([]byte, error) {
	if HashOID(h) == nil {
		return nil, fmt.Errorf("%w: hash %v", ErrUnsupportedAlgorithm, h)
	}
	var b cryptobyte.Builder
	switch scheme {
	case RSAPKCS1v15, ECDSA, ECDSAPlain:
		var oid asn1.ObjectIdentifier
		for _, e := range sigOIDs {
			if e.scheme == scheme && e.h == h {
				oid = e.oid
				break
			}
		}
		if oid == nil {
			return nil, fmt.Errorf("%w: %v with %v", ErrUnsupportedAlgorithm, scheme, h)
		}
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			if scheme == RSAPKCS1v15 {
				b.AddASN1NULL()
			}
		})
	case RSAPSS:
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(OIDRSASSAPSS)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if h != crypto.SHA1 {
					b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { addHashAlgorithm(b, h, true) })
					b.AddASN1(tagged(1), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(OIDMGF1)
							addHashAlgorithm(b, h, true)
						})
					})
				}
				if saltLen != 20 {
					b.AddASN1(tagged(2), func(b *cryptobyte.Builder) { b.AddASN1Int64(int64(saltLen)) })
				}
			})
		})
	default:
		return nil, fmt.Errorf("%w: scheme %v", ErrUnsupportedAlgorithm, scheme)
	}
	return b.Bytes()
}

// checkSignature verifies sig over the message signed (hashed here with
// the algorithm's hash) with the public key pub. Every failure is an
// error: an unknown algorithm or key type is ErrUnsupportedAlgorithm or
// ErrUnsupportedKey, never a silent pass.
func checkSignature(alg SignatureAlgorithm, pub crypto.PublicKey, signed, sig []byte) error {
	if alg.Err != nil {
		return alg.Err
	}
	if alg.Hash == 0 || !alg.Hash.Available() {
		return fmt.Errorf("%w: no usable hash for %v", ErrUnsupportedAlgorithm, alg.OID)
	}
	h := alg.Hash.New()
	h.Write(signed)
	return checkDigestSignature(alg, pub, h.Sum(nil), sig)
}

func checkDigestSignature(alg SignatureAlgorithm, pub crypto.PublicKey, digest, sig []byte) error {
	switch alg.Scheme {
	case RSAPKCS1v15, RSAPSS:
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return fmt.Errorf("%w: %v signature with a %T key", ErrUnsupportedKey, alg.Scheme, pub)
		}
		var err error
		if alg.Scheme == RSAPSS {
			err = rsa.VerifyPSS(k, alg.Hash, digest, sig, &rsa.PSSOptions{SaltLength: alg.PSS.SaltLength, Hash: alg.Hash})
		} else {
			err = rsa.VerifyPKCS1v15(k, alg.Hash, digest, sig)
		}
		if err != nil {
			return ErrBadSignature
		}
		return nil
	case ECDSA, ECDSAPlain:
		if alg.Scheme == ECDSAPlain {
			var err error
			if sig, err = plainToASN1(sig); err != nil {
				return err
			}
		}
		switch k := pub.(type) {
		case *ecdsa.PublicKey:
			if !ecdsa.VerifyASN1(k, digest, sig) {
				return ErrBadSignature
			}
			return nil
		case asn1Verifier:
			if !k.VerifyASN1(digest, sig) {
				return ErrBadSignature
			}
			return nil
		}
		return fmt.Errorf("%w: ECDSA signature with a %T key", ErrUnsupportedKey, pub)
	}
	if alg.Err != nil {
		return alg.Err
	}
	return fmt.Errorf("%w: %v", ErrUnsupportedAlgorithm, alg.OID)
}

// asn1Verifier is an elliptic-curve public key outside crypto/ecdsa (the
// brainpool and explicit-parameter keys of crypto/ec) that verifies an
// X9.62 DER signature over a digest.
type asn1Verifier interface {
	VerifyASN1(digest, sig []byte) bool
}

// plainToASN1 converts a BSI TR-03111 plain signature r||s to DER.
func plainToASN1(sig []byte) ([]byte, error) {
	if len(sig) == 0 || len(sig)%2 != 0 || len(sig) > 2*66 {
		return nil, ErrBadSignature
	}
	r := new(big.Int).SetBytes(sig[:len(sig)/2])
	s := new(big.Int).SetBytes(sig[len(sig)/2:])
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(r)
		b.AddASN1BigInt(s)
	})
	return b.Bytes()
}

// ParseSignatureAlgorithm parses a DER AlgorithmIdentifier. An unknown
// algorithm is not an error: the result has Scheme UnknownScheme and Err
// set, and fails every verification.
func ParseSignatureAlgorithm(der []byte) (SignatureAlgorithm, error) {
	s := cryptobyte.String(der)
	var raw, params []byte
	var oid asn1.ObjectIdentifier
	if !readAlgorithmIdentifier(&s, &raw, &oid, &params) || len(s) != 0 {
		return SignatureAlgorithm{}, malformed("AlgorithmIdentifier", "")
	}
	return parseSignatureAlgorithm(raw, oid, params), nil
}
