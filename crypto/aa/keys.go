package aa

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"

	stdasn1 "encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/crypto/ec"
)

// MaxPrivateKeyLen bounds the encodings ParsePrivateKey accepts (an
// RSA-8192 PKCS #8 key takes about 4.8 KB).
const MaxPrivateKeyLen = 16384

// MarshalPrivateKey encodes an Active Authentication private key as the
// simulator keeps it in a card image:
//
//   - *rsa.PrivateKey and *ecdsa.PrivateKey, and an *ec.PrivateKey on P-224,
//     P-256, P-384 or P-521: PKCS #8 (RFC 5208), by crypto/x509;
//   - an *ec.PrivateKey on another named curve (the brainpool curves,
//     P-192): the ECPrivateKey of RFC 5915 with the namedCurve OID in its
//     parameters and the public key.
//
// The result is a secret: keep it out of logs.
func MarshalPrivateKey(key crypto.Signer) ([]byte, error) {
	const op = "marshal private key"
	switch k := key.(type) {
	case *rsa.PrivateKey, *ecdsa.PrivateKey:
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, &Error{Op: op, Err: errors.Join(ErrUnsupportedKey, err)}
		}
		return der, nil
	case *ec.PrivateKey:
		if k == nil {
			return nil, newError(op, ErrUnsupportedKey, "nil key")
		}
		if std := stdCurve(k.Curve()); std != nil {
			d := k.Bytes()
			defer clear(d)
			sk, err := ecdsa.ParseRawPrivateKey(std, d)
			if err != nil {
				return nil, &Error{Op: op, Err: errors.Join(ErrUnsupportedKey, err)}
			}
			return MarshalPrivateKey(sk)
		}
		return marshalECPrivateKey(k)
	}
	return nil, newError(op, ErrUnsupportedKey, fmt.Sprintf("key type %T", key))
}

// stdCurve returns the crypto/elliptic curve crypto/x509 encodes in PKCS
// #8, or nil.
func stdCurve(c *ec.Curve) elliptic.Curve {
	switch c {
	case ec.P224():
		return elliptic.P224()
	case ec.P256():
		return elliptic.P256()
	case ec.P384():
		return elliptic.P384()
	case ec.P521():
		return elliptic.P521()
	}
	return nil
}

// marshalECPrivateKey writes RFC 5915:
//
//	ECPrivateKey ::= SEQUENCE {
//	  version        INTEGER { ecPrivkeyVer1(1) },
//	  privateKey     OCTET STRING,
//	  parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
//	  publicKey  [1] BIT STRING OPTIONAL }
func marshalECPrivateKey(k *ec.PrivateKey) ([]byte, error) {
	oid := k.Curve().OID()
	if oid == nil {
		return nil, newError("marshal private key", ErrUnsupportedKey, "curve without an OID")
	}
	d := k.Bytes()
	defer clear(d)
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddASN1OctetString(d)
		b.AddASN1(asn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
		})
		b.AddASN1(asn1.Tag(1).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1BitString(k.PublicKey.Bytes())
		})
	})
	return b.Bytes()
}

// ParsePrivateKey decodes what MarshalPrivateKey writes, and the other
// usual encodings of the same keys: PKCS #8 with an RSA key or an EC key on
// any curve this module knows (crypto/x509 reads the NIST curves; for the
// others the ECParameters of the AlgorithmIdentifier give the curve),
// PKCS #1 RSAPrivateKey, and RFC 5915 ECPrivateKey with named or explicit
// parameters (as "openssl ec -outform DER" writes it). The result is an
// *rsa.PrivateKey, an *ecdsa.PrivateKey for P-224, P-256, P-384 and P-521,
// or an *ec.PrivateKey for the other curves, which NewChip takes. A public key inside an ECPrivateKey must match the
// private scalar.
//
// Errors wrap ErrMalformedKey or ErrUnsupportedKey and never show key
// bytes.
func ParsePrivateKey(der []byte) (crypto.Signer, error) {
	const op = "parse private key"
	if len(der) > MaxPrivateKeyLen {
		return nil, newError(op, ErrMalformedKey, "too long")
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		}
		return nil, newError(op, ErrUnsupportedKey, fmt.Sprintf("PKCS #8 key type %T", k))
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	k, ok, err := parsePKCS8EC(der)
	if !ok {
		k, err = parseECPrivateKey(der, nil)
	}
	if err != nil {
		return nil, err
	}
	// The NIST curves come back as crypto/ecdsa keys, whichever
	// encoding they came in.
	if std := stdCurve(k.Curve()); std != nil {
		d := k.Bytes()
		defer clear(d)
		sk, err := ecdsa.ParseRawPrivateKey(std, d)
		if err != nil {
			return nil, newError(op, ErrMalformedKey, "private key")
		}
		return sk, nil
	}
	return k, nil
}

// parsePKCS8EC reads a PKCS #8 PrivateKeyInfo with id-ecPublicKey whose
// curve crypto/x509 does not know. ok is false when der is not such a
// structure at all.
func parsePKCS8EC(der []byte) (k *ec.PrivateKey, ok bool, err error) {
	const op = "parse private key"
	s := cryptobyte.String(der)
	var info, algo, inner cryptobyte.String
	var version int64
	var oid stdasn1.ObjectIdentifier
	if !s.ReadASN1(&info, asn1.SEQUENCE) || !s.Empty() ||
		!info.ReadASN1Integer(&version) || version != 0 ||
		!info.ReadASN1(&algo, asn1.SEQUENCE) ||
		!algo.ReadASN1ObjectIdentifier(&oid) || !oid.Equal(ec.OIDPublicKeyEC) {
		return nil, false, nil
	}
	var params cryptobyte.String
	if !algo.ReadASN1Element(&params, asn1.OBJECT_IDENTIFIER) &&
		!algo.ReadASN1Element(&params, asn1.SEQUENCE) {
		return nil, true, newError(op, ErrMalformedKey, "PKCS #8 EC parameters")
	}
	if !algo.Empty() || !info.ReadASN1(&inner, asn1.OCTET_STRING) {
		return nil, true, newError(op, ErrMalformedKey, "PKCS #8 structure")
	}
	// Attributes [0] may follow; they are ignored.
	curve, _, err := ec.ParseECParameters(params)
	if err != nil {
		return nil, true, &Error{Op: op, Detail: "PKCS #8 EC parameters", Err: errors.Join(ErrUnsupportedKey, err)}
	}
	k, err = parseECPrivateKey(inner, curve)
	return k, true, err
}

// parseECPrivateKey reads RFC 5915 ECPrivateKey. curve, when known from
// an enclosing PKCS #8, must agree with the parameters inside, if any.
func parseECPrivateKey(der []byte, curve *ec.Curve) (*ec.PrivateKey, error) {
	const op = "parse private key"
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	var version int64
	var d []byte
	if !s.ReadASN1(&seq, asn1.SEQUENCE) || !s.Empty() ||
		!seq.ReadASN1Integer(&version) || version != 1 ||
		!seq.ReadASN1Bytes(&d, asn1.OCTET_STRING) {
		return nil, newError(op, ErrMalformedKey, "not PKCS #8, PKCS #1 or an RFC 5915 ECPrivateKey")
	}
	var params, pub cryptobyte.String
	var hasParams, hasPub bool
	if !seq.ReadOptionalASN1(&params, &hasParams, asn1.Tag(0).Constructed().ContextSpecific()) ||
		!seq.ReadOptionalASN1(&pub, &hasPub, asn1.Tag(1).Constructed().ContextSpecific()) ||
		!seq.Empty() {
		return nil, newError(op, ErrMalformedKey, "ECPrivateKey fields")
	}
	if hasParams {
		c, _, err := ec.ParseECParameters(params)
		if err != nil {
			return nil, &Error{Op: op, Detail: "ECPrivateKey parameters", Err: errors.Join(ErrUnsupportedKey, err)}
		}
		if curve != nil && !curve.Equal(c) {
			return nil, newError(op, ErrMalformedKey, "curves of PKCS #8 and ECPrivateKey differ")
		}
		curve = c
	}
	if curve == nil {
		return nil, newError(op, ErrMalformedKey, "ECPrivateKey without parameters")
	}
	if len(d) == 0 || len(d) > curve.OrderByteLen() {
		return nil, newError(op, ErrMalformedKey, "private key length")
	}
	k, err := ec.NewPrivateKey(curve, d)
	if err != nil {
		return nil, newError(op, ErrMalformedKey, "private key out of range")
	}
	if hasPub {
		var bits stdasn1.BitString
		if !pub.ReadASN1BitString(&bits) || !pub.Empty() || bits.BitLength%8 != 0 {
			return nil, newError(op, ErrMalformedKey, "ECPrivateKey public key")
		}
		p, err := curve.DecodePoint(bits.Bytes)
		if err != nil || !p.Equal(k.PublicKey.Point()) {
			return nil, newError(op, ErrMalformedKey, "public key does not match the private key")
		}
	}
	return k, nil
}
