package dh

import (
	"encoding/asn1"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers.
var (
	// OIDDHPublicNumber is dhpublicnumber (1.2.840.10046.2.1) of ANSI X9.42
	// and RFC 3279, whose parameters are DomainParameters.
	OIDDHPublicNumber = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
	// OIDDHKeyAgreement is dhKeyAgreement (1.2.840.113549.1.3.1) of
	// PKCS #3, whose parameters are DHParameter.
	OIDDHKeyAgreement = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 3, 1}
)

// MaxParametersLen bounds encoded parameters and SubjectPublicKeyInfos:
// room for p, g, q and y of MaxPBits each with their headers.
const MaxParametersLen = 5 * MaxPBits / 8

func asn1Error(op string, off int, err error) *Error { return &Error{Op: op, Offset: off, Err: err} }

// readPositive reads an INTEGER that must be positive and at most MaxPBits
// bits long.
func readPositive(s *cryptobyte.String, v *big.Int) bool {
	return s.ReadASN1Integer(v) && v.Sign() > 0 && v.BitLen() <= MaxPBits
}

// ParseDomainParameters parses the X9.42 / RFC 3279 structure
//
//	DomainParameters ::= SEQUENCE {
//	    p       INTEGER, -- odd prime, p = jq + 1
//	    g       INTEGER, -- generator
//	    q       INTEGER, -- factor of p-1
//	    j       INTEGER OPTIONAL,
//	    validationParms  ValidationParms OPTIONAL }
//
// the parameters of dhpublicnumber keys, and returns the validated group
// (see NewGroup). j and validationParms are read and ignored.
func ParseDomainParameters(der []byte) (*Group, error) {
	const op = "parse DomainParameters"
	if len(der) > MaxParametersLen {
		return nil, asn1Error(op, 0, ErrTooLarge)
	}
	in := cryptobyte.String(der)
	var s cryptobyte.String
	p, g, q := new(big.Int), new(big.Int), new(big.Int)
	if !in.ReadASN1(&s, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, asn1Error(op, 0, ErrMalformed)
	}
	off := func() int { return len(der) - len(s) }
	for _, v := range []*big.Int{p, g, q} {
		o := off()
		if !readPositive(&s, v) {
			return nil, asn1Error(op, o, ErrMalformed)
		}
	}
	if s.PeekASN1Tag(cbasn1.INTEGER) {
		j := new(big.Int)
		o := off()
		if !readPositive(&s, j) {
			return nil, asn1Error(op+": j", o, ErrMalformed)
		}
	}
	if s.PeekASN1Tag(cbasn1.SEQUENCE) {
		var vp cryptobyte.String
		o := off()
		if !s.ReadASN1(&vp, cbasn1.SEQUENCE) {
			return nil, asn1Error(op+": validationParms", o, ErrMalformed)
		}
	}
	if !s.Empty() {
		return nil, asn1Error(op, off(), ErrMalformed)
	}
	return NewGroup(p, g, q)
}

// MarshalDomainParameters encodes SEQUENCE { p, g, q }; the group must
// know q.
func MarshalDomainParameters(g *Group) ([]byte, error) {
	if g.Q == nil {
		return nil, newError("marshal DomainParameters: no q", ErrInvalidGroup)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(g.P)
		b.AddASN1BigInt(g.G)
		b.AddASN1BigInt(g.Q)
	})
	return b.Bytes()
}

// ParseDHParameter parses the PKCS #3 structure
//
//	DHParameter ::= SEQUENCE {
//	    prime               INTEGER, -- p
//	    base                INTEGER, -- g
//	    privateValueLength  INTEGER OPTIONAL }
//
// which has no q: the group's Q is nil unless the parameters equal a
// standardized group, whose q is then known.
func ParseDHParameter(der []byte) (*Group, error) {
	const op = "parse DHParameter"
	if len(der) > MaxParametersLen {
		return nil, asn1Error(op, 0, ErrTooLarge)
	}
	in := cryptobyte.String(der)
	var s cryptobyte.String
	p, g := new(big.Int), new(big.Int)
	if !in.ReadASN1(&s, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, asn1Error(op, 0, ErrMalformed)
	}
	off := func() int { return len(der) - len(s) }
	for _, v := range []*big.Int{p, g} {
		o := off()
		if !readPositive(&s, v) {
			return nil, asn1Error(op, o, ErrMalformed)
		}
	}
	if s.PeekASN1Tag(cbasn1.INTEGER) {
		var l int64
		o := off()
		if !s.ReadASN1Int64WithTag(&l, cbasn1.INTEGER) || l < 0 {
			return nil, asn1Error(op+": privateValueLength", o, ErrMalformed)
		}
	}
	if !s.Empty() {
		return nil, asn1Error(op, off(), ErrMalformed)
	}
	return NewGroup(p, g, nil)
}

// MarshalDHParameter encodes SEQUENCE { p, g } (PKCS #3).
func MarshalDHParameter(g *Group) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1BigInt(g.P)
		b.AddASN1BigInt(g.G)
	})
	return b.Bytes()
}

// ParseSubjectPublicKeyInfo parses a SubjectPublicKeyInfo of a DH key,
// as DG14 carries a Chip Authentication DH public key:
//
//	SEQUENCE { SEQUENCE { dhpublicnumber, DomainParameters },
//	           BIT STRING (DER INTEGER y) }
//
// dhKeyAgreement with DHParameter is accepted too. y is validated.
func ParseSubjectPublicKeyInfo(der []byte) (*PublicKey, error) {
	const op = "parse SubjectPublicKeyInfo"
	if len(der) > MaxParametersLen {
		return nil, asn1Error(op, 0, ErrTooLarge)
	}
	in := cryptobyte.String(der)
	var spki, alg, params cryptobyte.String
	var oid asn1.ObjectIdentifier
	var bits asn1.BitString
	if !in.ReadASN1(&spki, cbasn1.SEQUENCE) || !in.Empty() {
		return nil, asn1Error(op, 0, ErrMalformed)
	}
	algOff := len(der) - len(spki)
	if !spki.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return nil, asn1Error(op, algOff, ErrMalformed)
	}
	paramsOff := len(der) - len(spki) - len(alg)
	if !alg.ReadAnyASN1Element(&params, nil) || !alg.Empty() {
		return nil, asn1Error(op, paramsOff, ErrMalformed)
	}
	keyOff := len(der) - len(spki)
	if !spki.ReadASN1BitString(&bits) || !spki.Empty() || bits.BitLength%8 != 0 {
		return nil, asn1Error(op, keyOff, ErrMalformed)
	}
	var g *Group
	var err error
	switch {
	case oid.Equal(OIDDHPublicNumber):
		g, err = ParseDomainParameters(params)
	case oid.Equal(OIDDHKeyAgreement):
		g, err = ParseDHParameter(params)
	default:
		return nil, asn1Error(op+": algorithm "+oid.String(), algOff, ErrUnsupported)
	}
	if err != nil {
		if e, ok := err.(*Error); ok && e.Offset >= 0 {
			e.Offset += paramsOff
		}
		return nil, err
	}
	yStr := cryptobyte.String(bits.Bytes)
	y := new(big.Int)
	if !yStr.ReadASN1Integer(y) || !yStr.Empty() {
		return nil, asn1Error(op+": public value", keyOff, ErrMalformed)
	}
	if err := g.ValidatePublic(y); err != nil {
		return nil, err
	}
	return &PublicKey{Group: g, Y: y}, nil
}

// MarshalSubjectPublicKeyInfo encodes k with dhpublicnumber and
// DomainParameters (the group must know q).
func MarshalSubjectPublicKeyInfo(k *PublicKey) ([]byte, error) {
	params, err := MarshalDomainParameters(k.Group)
	if err != nil {
		return nil, err
	}
	var yb cryptobyte.Builder
	yb.AddASN1BigInt(k.Y)
	y, err := yb.Bytes()
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(OIDDHPublicNumber)
			b.AddBytes(params)
		})
		b.AddASN1BitString(y)
	})
	return b.Bytes()
}
