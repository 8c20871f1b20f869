package ec

import (
	"encoding/asn1"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of ANSI X9.62 / SEC 1 / RFC 5480.
var (
	// OIDPublicKeyEC is id-ecPublicKey (1.2.840.10045.2.1).
	OIDPublicKeyEC = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	// OIDPrimeField is prime-field (1.2.840.10045.1.1).
	OIDPrimeField = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 1}
)

// Size limits of the ASN.1 parsers.
const (
	// MaxParametersLen bounds an encoded ECParameters.
	MaxParametersLen = 4096
	// MaxSPKILen bounds an encoded SubjectPublicKeyInfo.
	MaxSPKILen = 8192
)

func asn1Error(op string, off int, err error) *Error {
	return &Error{Op: op, Offset: off, Err: err}
}

// ParseECParameters parses the ECParameters of RFC 5480 / SEC 1 C.2:
//
//	ECParameters ::= CHOICE {
//	    namedCurve         OBJECT IDENTIFIER,
//	    specifiedCurve     SpecifiedECDomain,  -- explicit parameters
//	    implicitlyCA       NULL }
//
// as the algorithm parameters of an id-ecPublicKey SubjectPublicKeyInfo
// (a CSCA or DS certificate) or of EAC domain parameters carry them.
// Explicit parameters are validated (see NewCurve) and come back as the
// named curve they equal, if any; explicit tells which form the input used.
// Only prime fields are supported; implicitlyCA is refused.
func ParseECParameters(der []byte) (c *Curve, explicit bool, err error) {
	const op = "parse ECParameters"
	if len(der) > MaxParametersLen {
		return nil, false, asn1Error(op, 0, ErrTooLarge)
	}
	in := cryptobyte.String(der)
	switch {
	case in.PeekASN1Tag(cbasn1.OBJECT_IDENTIFIER):
		var oid asn1.ObjectIdentifier
		if !in.ReadASN1ObjectIdentifier(&oid) {
			return nil, false, asn1Error(op, 0, ErrMalformed)
		}
		if !in.Empty() {
			return nil, false, asn1Error(op, len(der)-len(in), ErrMalformed)
		}
		c, err := ByOID(oid)
		if err != nil {
			return nil, false, err
		}
		return c, false, nil
	case in.PeekASN1Tag(cbasn1.SEQUENCE):
		var seq cryptobyte.String
		if !in.ReadASN1(&seq, cbasn1.SEQUENCE) {
			return nil, false, asn1Error(op, 0, ErrMalformed)
		}
		if !in.Empty() {
			return nil, false, asn1Error(op, len(der)-len(in), ErrMalformed)
		}
		c, err := parseSpecifiedECDomain(der, seq)
		if err != nil {
			return nil, false, err
		}
		return c, true, nil
	case in.PeekASN1Tag(cbasn1.NULL):
		return nil, false, asn1Error(op+": implicitlyCA", 0, ErrUnsupported)
	default:
		return nil, false, asn1Error(op, 0, ErrMalformed)
	}
}

// parseSpecifiedECDomain parses the contents of
//
//	SpecifiedECDomain ::= SEQUENCE {
//	    version   INTEGER { ecdpVer1(1), ecdpVer2(2), ecdpVer3(3) },
//	    fieldID   FieldID,                 -- SEQUENCE { prime-field, p }
//	    curve     Curve,                   -- SEQUENCE { a, b, seed OPTIONAL }
//	    base      ECPoint,                 -- OCTET STRING
//	    order     INTEGER,
//	    cofactor  INTEGER OPTIONAL,
//	    hash      HashAlgorithm OPTIONAL,
//	    ... }
func parseSpecifiedECDomain(all []byte, s cryptobyte.String) (*Curve, error) {
	const op = "parse SpecifiedECDomain"
	off := func() int { return len(all) - len(s) }
	bad := func(o int) (*Curve, error) { return nil, asn1Error(op, o, ErrMalformed) }
	var version int64
	if !s.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) {
		return bad(off())
	}
	if version < 1 || version > 3 {
		return nil, asn1Error(op+": version", off(), ErrUnsupported)
	}
	// FieldID
	fieldOff := off()
	var field cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !s.ReadASN1(&field, cbasn1.SEQUENCE) || !field.ReadASN1ObjectIdentifier(&oid) {
		return bad(fieldOff)
	}
	if !oid.Equal(OIDPrimeField) {
		return nil, asn1Error(op+": field type "+oid.String(), fieldOff, ErrUnsupported)
	}
	p := new(big.Int)
	if !field.ReadASN1Integer(p) || !field.Empty() {
		return bad(fieldOff)
	}
	if p.Sign() <= 0 {
		return nil, asn1Error(op+": prime", fieldOff, ErrInvalidCurve)
	}
	if p.BitLen() > MaxFieldBits {
		return nil, asn1Error(op+": prime", fieldOff, ErrTooLarge)
	}
	byteLen := (p.BitLen() + 7) / 8
	// Curve
	curveOff := off()
	var curve, aOct, bOct cryptobyte.String
	if !s.ReadASN1(&curve, cbasn1.SEQUENCE) ||
		!curve.ReadASN1(&aOct, cbasn1.OCTET_STRING) ||
		!curve.ReadASN1(&bOct, cbasn1.OCTET_STRING) {
		return bad(curveOff)
	}
	if curve.PeekASN1Tag(cbasn1.BIT_STRING) {
		var seed cryptobyte.String
		if !curve.ReadASN1(&seed, cbasn1.BIT_STRING) {
			return bad(curveOff)
		}
	}
	if !curve.Empty() {
		return bad(curveOff)
	}
	// SEC 1 writes field elements on exactly byteLen bytes; accept shorter
	// encodings (some encoders drop leading zeros), never longer ones.
	if len(aOct) > byteLen || len(bOct) > byteLen {
		return nil, asn1Error(op+": coefficient length", curveOff, ErrInvalidCurve)
	}
	a := new(big.Int).SetBytes(aOct)
	b := new(big.Int).SetBytes(bOct)
	// base
	baseOff := off()
	var base cryptobyte.String
	if !s.ReadASN1(&base, cbasn1.OCTET_STRING) {
		return bad(baseOff)
	}
	orderOff := off()
	n := new(big.Int)
	if !s.ReadASN1Integer(n) {
		return bad(orderOff)
	}
	if n.BitLen() > MaxFieldBits+1 {
		return nil, asn1Error(op+": order", orderOff, ErrTooLarge)
	}
	var h *big.Int
	if s.PeekASN1Tag(cbasn1.INTEGER) {
		h = new(big.Int)
		if !s.ReadASN1Integer(h) {
			return bad(off())
		}
		if h.BitLen() > 64 {
			return nil, asn1Error(op+": cofactor", off(), ErrInvalidCurve)
		}
	}
	if s.PeekASN1Tag(cbasn1.SEQUENCE) { // hash AlgorithmIdentifier, ignored
		var hash cryptobyte.String
		if !s.ReadASN1(&hash, cbasn1.SEQUENCE) {
			return bad(off())
		}
	}
	if !s.Empty() {
		return bad(off())
	}
	// Decode the base point against a provisional curve, then validate the
	// whole set of parameters.
	gx, gy, err := decodeBase(p, a, b, byteLen, base)
	if err != nil {
		e := asn1Error(op+": base point", baseOff, err)
		return nil, e
	}
	c, err := NewCurve(p, a, b, gx, gy, n, h)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// decodeBase decodes the base point of explicit parameters. Compressed
// points need a square root modulo p, which is only defined for a prime p:
// primality is checked first.
func decodeBase(p, a, b *big.Int, byteLen int, enc []byte) (x, y *big.Int, err error) {
	if p.BitLen() < minFieldBits || p.Bit(0) == 0 || a.Cmp(p) >= 0 || b.Cmp(p) >= 0 {
		return nil, nil, ErrInvalidCurve
	}
	if len(enc) == 0 || enc[0] == 2 || enc[0] == 3 {
		if !p.ProbablyPrime(20) {
			return nil, nil, ErrInvalidCurve
		}
	}
	tmp := &Curve{p: p, a: a, b: b, gx: big.NewInt(0), gy: big.NewInt(0), n: big.NewInt(1), h: big.NewInt(1), name: "explicit"}
	tmp.finish()
	pt, err := tmp.DecodePoint(enc)
	if err != nil {
		var e *Error
		if asErr(err, &e) {
			return nil, nil, e.Err
		}
		return nil, nil, err
	}
	return &pt.x, &pt.y, nil
}

// MarshalECParameters encodes the ECParameters of c: its namedCurve OID,
// or with explicit (or for a curve without OID) a SpecifiedECDomain of
// version 1 with the base point uncompressed, the cofactor and no seed, as
// "openssl ecparam -param_enc explicit -no_seed" writes it.
func MarshalECParameters(c *Curve, explicit bool) ([]byte, error) {
	var b cryptobyte.Builder
	addECParameters(&b, c, explicit)
	return b.Bytes()
}

func addECParameters(b *cryptobyte.Builder, c *Curve, explicit bool) {
	if !explicit && c.oid != nil {
		b.AddASN1ObjectIdentifier(c.oid)
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(OIDPrimeField)
			b.AddASN1BigInt(c.p)
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1OctetString(c.a.FillBytes(make([]byte, c.byteLen)))
			b.AddASN1OctetString(c.b.FillBytes(make([]byte, c.byteLen)))
		})
		b.AddASN1OctetString(c.Generator().Bytes())
		b.AddASN1BigInt(c.n)
		b.AddASN1BigInt(c.h)
	})
}

// ParseSubjectPublicKeyInfo parses an X.509 SubjectPublicKeyInfo of an EC
// key (RFC 5480 section 2):
//
//	SEQUENCE { SEQUENCE { id-ecPublicKey, ECParameters }, BIT STRING point }
//
// with named or explicit parameters (a CSCA certificate may carry
// brainpoolP512r1 explicitly). The point is validated; explicit tells
// which parameter form the input used.
func ParseSubjectPublicKeyInfo(der []byte) (pub *PublicKey, explicit bool, err error) {
	const op = "parse SubjectPublicKeyInfo"
	if len(der) > MaxSPKILen {
		return nil, false, asn1Error(op, 0, ErrTooLarge)
	}
	in := cryptobyte.String(der)
	var spki, alg, params cryptobyte.String
	var oid asn1.ObjectIdentifier
	var bits asn1.BitString
	if !in.ReadASN1(&spki, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, false, asn1Error(op, 0, ErrMalformed)
	}
	algOff := len(der) - len(spki)
	if !spki.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return nil, false, asn1Error(op, algOff, ErrMalformed)
	}
	if !oid.Equal(OIDPublicKeyEC) {
		return nil, false, asn1Error(op+": algorithm "+oid.String(), algOff, ErrUnsupported)
	}
	paramsOff := len(der) - len(spki) - len(alg)
	if !alg.ReadAnyASN1Element(&params, nil) || !alg.Empty() {
		return nil, false, asn1Error(op, paramsOff, ErrMalformed)
	}
	keyOff := len(der) - len(spki)
	if !spki.ReadASN1BitString(&bits) || !spki.Empty() || bits.BitLength%8 != 0 {
		return nil, false, asn1Error(op, keyOff, ErrMalformed)
	}
	c, explicit, err := ParseECParameters(params)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Offset >= 0 {
			e.Offset += paramsOff
		}
		return nil, false, err
	}
	pub, err = NewPublicKey(c, bits.Bytes)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Offset = keyOff
		}
		return nil, false, err
	}
	return pub, explicit, nil
}

// MarshalSubjectPublicKeyInfo encodes pub as a SubjectPublicKeyInfo with
// an uncompressed point and named parameters, or explicit ones (see
// MarshalECParameters).
func MarshalSubjectPublicKeyInfo(pub *PublicKey, explicit bool) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(OIDPublicKeyEC)
			addECParameters(b, pub.point.c, explicit)
		})
		b.AddASN1BitString(pub.point.Bytes())
	})
	return b.Bytes()
}
