package chip

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	encasn1 "encoding/asn1"

	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
	"golang.org/x/crypto/cryptobyte"
)

// Algorithm identifiers of the public keys of DG15.
var (
	OIDRSAEncryption = encasn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1} // rsaEncryption (PKCS #1)
	OIDECPublicKey   = encasn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}     // id-ecPublicKey (X9.62)
)

// DG15 holds the Active Authentication public key: '6F' {
// SubjectPublicKeyInfo }. RSA keys are read with crypto/x509; EC keys keep
// their parameters as DER, since eMRTDs often use explicit domain
// parameters (brainpool curves) that crypto/x509 does not read.
type DG15 struct {
	// SubjectPublicKeyInfo is the DER encoding of the key, as stored.
	SubjectPublicKeyInfo []byte
	// Algorithm is the key's algorithm identifier (OIDRSAEncryption,
	// OIDECPublicKey or another).
	Algorithm encasn1.ObjectIdentifier
	// Parameters is the DER of the algorithm parameters: NULL for RSA, a
	// named curve OID or explicit ECParameters for EC; nil when absent.
	Parameters []byte
	// PublicKey is the contents of the subjectPublicKey BIT STRING: an
	// RSAPublicKey DER for RSA, an uncompressed or compressed point for EC.
	PublicKey []byte
}

// KeyAlgorithm names the kind of key of DG15.
type KeyAlgorithm int

// Kinds of Active Authentication keys.
const (
	UnknownKey KeyAlgorithm = iota
	RSAKey
	ECKey
)

func (k KeyAlgorithm) String() string {
	switch k {
	case RSAKey:
		return "RSA"
	case ECKey:
		return "EC"
	}
	return "unknown"
}

// ParseDG15 parses DG15 and the SubjectPublicKeyInfo inside (DER: SEQUENCE
// { SEQUENCE { OID, parameters OPTIONAL }, BIT STRING with no unused bits }).
func ParseDG15(b []byte) (*DG15, error) {
	outer, _, err := open(EFDG15, b)
	if err != nil {
		return nil, err
	}
	d, err := NewDG15(outer.Value)
	if err != nil {
		return nil, &ParseError{File: EFDG15, Tag: outer.Tag, Offset: outer.ValueOffset(), Err: err}
	}
	return d, nil
}

// NewDG15 returns a DG15 holding the given DER SubjectPublicKeyInfo,
// parsed by crypto/secinfo (the form of every public key the chip
// announces).
func NewDG15(spki []byte) (*DG15, error) {
	k, err := secinfo.ParseSubjectPublicKeyInfo(spki)
	if err != nil {
		return nil, errorf(ErrInvalidValue, "not a DER SubjectPublicKeyInfo: %w", err)
	}
	return &DG15{
		SubjectPublicKeyInfo: clone(spki),
		Algorithm:            k.Algorithm.Algorithm,
		Parameters:           clone(k.Algorithm.Parameters),
		PublicKey:            clone(k.PublicKey),
	}, nil
}

// NewDG15FromKey returns a DG15 for an *rsa.PublicKey or an
// *ecdsa.PublicKey on a named curve (crypto/x509 encodes it).
func NewDG15FromKey(pub crypto.PublicKey) (*DG15, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, &ParseError{File: EFDG15, Err: errorf(ErrInvalidValue, "%v", err)}
	}
	return NewDG15(der)
}

// KeyAlgorithm tells RSA from EC keys.
func (d *DG15) KeyAlgorithm() KeyAlgorithm {
	switch {
	case d.Algorithm.Equal(OIDRSAEncryption):
		return RSAKey
	case d.Algorithm.Equal(OIDECPublicKey):
		return ECKey
	}
	return UnknownKey
}

// NamedCurve returns the curve OID of an EC key whose parameters name a
// curve; ok is false for explicit parameters and other keys.
func (d *DG15) NamedCurve() (oid encasn1.ObjectIdentifier, ok bool) {
	if d.KeyAlgorithm() != ECKey {
		return nil, false
	}
	s := cryptobyte.String(d.Parameters)
	if !s.ReadASN1ObjectIdentifier(&oid) || !s.Empty() {
		return nil, false
	}
	return oid, true
}

// RSAPublicKey returns the key of an RSA DG15.
func (d *DG15) RSAPublicKey() (*rsa.PublicKey, error) {
	if d.KeyAlgorithm() != RSAKey {
		return nil, &ParseError{File: EFDG15, Err: errorf(ErrInvalidValue, "not an RSA key")}
	}
	k, err := x509.ParsePKIXPublicKey(d.SubjectPublicKeyInfo)
	if err != nil {
		return nil, &ParseError{File: EFDG15, Err: errorf(ErrInvalidValue, "%v", err)}
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, &ParseError{File: EFDG15, Err: errorf(ErrInvalidValue, "not an RSA key")}
	}
	return rk, nil
}

// Encode returns DG15 as the chip stores it.
func (d *DG15) Encode() ([]byte, error) {
	if _, err := NewDG15(d.SubjectPublicKeyInfo); err != nil {
		return nil, &ParseError{File: EFDG15, Err: err}
	}
	return encodeFile(EFDG15, func(b *tlv.Builder) error {
		b.AddRaw(d.SubjectPublicKeyInfo)
		return nil
	})
}
