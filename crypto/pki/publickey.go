package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
	"math/big"

	"github.com/cancuoc/cancuoc/crypto/ec"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// PublicKeyInfo is a SubjectPublicKeyInfo: the raw DER, the algorithm and
// its raw parameters, and the parsed key when this package supports it.
type PublicKeyInfo struct {
	// Raw is the whole SubjectPublicKeyInfo.
	Raw []byte
	// Algorithm is the key algorithm OID (rsaEncryption, id-RSASSA-PSS,
	// id-ecPublicKey).
	Algorithm asn1.ObjectIdentifier
	// Params are the raw algorithm parameters (the named curve OID or the
	// explicit ECParameters of an EC key), nil when absent.
	Params []byte
	// Key is *rsa.PublicKey, *ecdsa.PublicKey (NIST curves) or a public
	// key of the project's crypto/ec package (brainpool and other curves,
	// explicit parameters). It is nil when the key cannot be used, and
	// Err says why.
	Key crypto.PublicKey
	Err error
	// ExplicitParameters is set for an EC key whose curve is given by
	// explicit domain parameters rather than a named curve OID.
	ExplicitParameters bool
}

// parsePublicKeyInfo reads a SubjectPublicKeyInfo. Only the structure is
// a parse error; an unsupported algorithm or curve leaves Key nil with
// Err set.
func parsePublicKeyInfo(s *cryptobyte.String, pk *PublicKeyInfo) bool {
	var raw, spki cryptobyte.String
	if !s.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return false
	}
	pk.Raw = raw
	if !raw.ReadASN1(&spki, cbasn1.SEQUENCE) {
		return false
	}
	var algRaw, params []byte
	if !readAlgorithmIdentifier(&spki, &algRaw, &pk.Algorithm, &params) {
		return false
	}
	pk.Params = params
	var bits asn1.BitString
	if !spki.ReadASN1BitString(&bits) || len(spki) != 0 || bits.BitLength%8 != 0 {
		return false
	}
	pk.Key, pk.ExplicitParameters, pk.Err = parseKey(pk.Raw, pk.Algorithm, params, bits.Bytes)
	return true
}

// parseKey returns the public key: crypto/ecdsa for named NIST curves,
// crypto/ec for every other curve and for explicit parameters.
func parseKey(spki []byte, alg asn1.ObjectIdentifier, params, key []byte) (crypto.PublicKey, bool, error) {
	switch {
	case alg.Equal(OIDRSAEncryption) || alg.Equal(OIDRSASSAPSS):
		k, err := parseRSAKey(key)
		return k, false, err
	case alg.Equal(OIDECPublicKey):
		// The common case first: a named NIST curve, uncompressed point.
		if params != nil {
			p := cryptobyte.String(params)
			var curve asn1.ObjectIdentifier
			if p.ReadASN1ObjectIdentifier(&curve) && len(p) == 0 {
				if c := nistCurve(curve); c != nil {
					if k, err := ecdsa.ParseUncompressedPublicKey(c, key); err == nil {
						return k, false, nil
					}
				}
			}
		}
		// Everything else (brainpool, explicit parameters, compressed
		// points) through crypto/ec; NIST curves given explicitly come
		// back as crypto/ecdsa keys.
		k, explicit, err := ec.ParseSubjectPublicKeyInfo(spki)
		if err != nil {
			return nil, false, fmt.Errorf("%w: %w", ErrUnsupportedKey, err)
		}
		if std, err := k.ECDSA(); err == nil {
			return std, explicit, nil
		}
		return k, explicit, nil
	}
	return nil, false, fmt.Errorf("%w: key algorithm %v", ErrUnsupportedKey, alg)
}

func nistCurve(oid asn1.ObjectIdentifier) elliptic.Curve {
	switch {
	case oid.Equal(oidNamedCurveP224):
		return elliptic.P224()
	case oid.Equal(oidNamedCurveP256):
		return elliptic.P256()
	case oid.Equal(oidNamedCurveP384):
		return elliptic.P384()
	case oid.Equal(oidNamedCurveP521):
		return elliptic.P521()
	}
	return nil
}

func nistCurveOID(c elliptic.Curve) asn1.ObjectIdentifier {
	switch c {
	case elliptic.P224():
		return oidNamedCurveP224
	case elliptic.P256():
		return oidNamedCurveP256
	case elliptic.P384():
		return oidNamedCurveP384
	case elliptic.P521():
		return oidNamedCurveP521
	}
	return nil
}

func parseRSAKey(b []byte) (crypto.PublicKey, error) {
	s := cryptobyte.String(b)
	var seq cryptobyte.String
	n, e := new(big.Int), new(big.Int)
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || len(s) != 0 || !seq.ReadASN1Integer(n) || !seq.ReadASN1Integer(e) || len(seq) != 0 {
		return nil, fmt.Errorf("%w: malformed RSA key", ErrUnsupportedKey)
	}
	if n.Sign() <= 0 || n.BitLen() > MaxRSABits || n.BitLen() < 512 {
		return nil, fmt.Errorf("%w: RSA modulus of %d bits", ErrUnsupportedKey, n.BitLen())
	}
	if e.Sign() <= 0 || !e.IsInt64() || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
		return nil, fmt.Errorf("%w: RSA exponent", ErrUnsupportedKey)
	}
	return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
}

// MarshalPublicKey encodes a SubjectPublicKeyInfo for an *rsa.PublicKey,
// an *ecdsa.PublicKey on a NIST curve, or an *ec.PublicKey with named
// parameters (ec.MarshalSubjectPublicKeyInfo writes explicit ones, for
// CertificateTemplate.SubjectPublicKeyInfo).
func MarshalPublicKey(pub crypto.PublicKey) ([]byte, error) {
	var b cryptobyte.Builder
	switch k := pub.(type) {
	case *rsa.PublicKey:
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(OIDRSAEncryption)
				b.AddASN1NULL()
			})
			var kb cryptobyte.Builder
			kb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1BigInt(k.N)
				b.AddASN1Int64(int64(k.E))
			})
			addBitString(b, kb.BytesOrPanic())
		})
	case *ecdsa.PublicKey:
		oid := nistCurveOID(k.Curve)
		if oid == nil {
			return nil, fmt.Errorf("%w: curve %v", ErrUnsupportedKey, k.Curve.Params().Name)
		}
		pt, err := k.Bytes()
		if err != nil {
			return nil, err
		}
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(OIDECPublicKey)
				b.AddASN1ObjectIdentifier(oid)
			})
			addBitString(b, pt)
		})
	case *ec.PublicKey:
		return ec.MarshalSubjectPublicKeyInfo(k, false)
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
	}
	return b.Bytes()
}

func addBitString(b *cryptobyte.Builder, v []byte) {
	b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) {
		b.AddUint8(0)
		b.AddBytes(v)
	})
}
