package secinfo

import (
	"encoding/asn1"
	"errors"
	"math"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Info is one SecurityInfo of a SecurityInfos set:
//
//	SecurityInfo ::= SEQUENCE {
//	    protocol     OBJECT IDENTIFIER,
//	    requiredData ANY DEFINED BY protocol,
//	    optionalData ANY DEFINED BY protocol OPTIONAL }
//
// The concrete types are *PACEInfo, *PACEDomainParameterInfo,
// *ChipAuthenticationInfo, *ChipAuthenticationDomainParameterInfo,
// *ChipAuthenticationPublicKeyInfo, *TerminalAuthenticationInfo,
// *ActiveAuthenticationInfo and *UnknownInfo (every other protocol, such as
// EFDIRInfo, CardInfo or PrivilegedTerminalInfo, kept as bytes).
type Info interface {
	// ProtocolOID is the protocol object identifier.
	ProtocolOID() asn1.ObjectIdentifier
	// Marshal returns the DER encoding of the SecurityInfo made from its
	// fields (for an UnknownInfo, its Raw bytes). For a value parsed
	// strictly it equals the Raw bytes it was parsed from.
	Marshal() ([]byte, error)
	marshal(b *cryptobyte.Builder)
}

// AlgorithmIdentifier (RFC 5280 §4.1.1.2) as SecurityInfos use it for
// domain parameters and public keys.
type AlgorithmIdentifier struct {
	Algorithm asn1.ObjectIdentifier
	// Parameters is the complete DER element of the parameters (tag,
	// length and value), nil when absent.
	Parameters []byte
	// Raw is the whole AlgorithmIdentifier as parsed (nil when built).
	Raw []byte
}

// StandardizedDomainParameterID returns the ID of Table 4 that an
// AlgorithmIdentifier with algorithm standardizedDomainParameters carries
// as its INTEGER parameter.
func (a AlgorithmIdentifier) StandardizedDomainParameterID() (id int, ok bool) {
	if !a.Algorithm.Equal(OIDStandardizedDomainParameters) {
		return 0, false
	}
	s := cryptobyte.String(a.Parameters)
	var v int64
	if !s.ReadASN1Integer(&v) || !s.Empty() || v < 0 || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}

// NamedCurve returns the curve identifier of an id-ecPublicKey
// AlgorithmIdentifier whose parameters are a named curve (RFC 5480). Chip
// Authentication keys following TR-03110-3 A.2.1.2 carry explicit
// ECParameters instead, for which ok is false.
func (a AlgorithmIdentifier) NamedCurve() (curve asn1.ObjectIdentifier, ok bool) {
	if !a.Algorithm.Equal(OIDECPublicKey) {
		return nil, false
	}
	s := cryptobyte.String(a.Parameters)
	if !s.ReadASN1ObjectIdentifier(&curve) || !s.Empty() {
		return nil, false
	}
	return curve, true
}

func (a AlgorithmIdentifier) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(a.Algorithm)
		if a.Parameters != nil {
			b.AddBytes(a.Parameters)
		}
	})
}

// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): the Chip Authentication public
// key with its algorithm and domain parameters.
type SubjectPublicKeyInfo struct {
	Algorithm AlgorithmIdentifier
	// PublicKey is the content of the subjectPublicKey BIT STRING (for
	// ECDH an uncompressed point 04 || x || y; for DH the DER INTEGER y).
	PublicKey []byte
	// Raw is the whole SubjectPublicKeyInfo as parsed (nil when built).
	Raw []byte
}

func (k SubjectPublicKeyInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		k.Algorithm.marshal(b)
		b.AddASN1BitString(k.PublicKey)
	})
}

// FileID names an elementary file (TR-03110-3 A.1.1.3):
//
//	FileID ::= SEQUENCE { fid OCTET STRING (SIZE(2)),
//	                      sfid OCTET STRING (SIZE(1)) OPTIONAL }
type FileID struct {
	FID     [2]byte
	SFID    byte
	HasSFID bool
}

func (f FileID) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1OctetString(f.FID[:])
		if f.HasSFID {
			b.AddASN1OctetString([]byte{f.SFID})
		}
	})
}

// PACEInfo announces one PACE protocol (ICAO Doc 9303-11 §9.2,
// TR-03110-3 A.1.1.1):
//
//	PACEInfo ::= SEQUENCE { protocol OBJECT IDENTIFIER (id-PACE-...),
//	                        version INTEGER, -- SHOULD be 2
//	                        parameterId INTEGER OPTIONAL }
type PACEInfo struct {
	Protocol asn1.ObjectIdentifier
	// PACE is Protocol described (key agreement, mapping, cipher).
	PACE    PACEProtocol
	Version int
	// ParameterID is the standardized domain parameter ID (see
	// LookupStandardizedDomainParameter) or the local ID of a
	// PACEDomainParameterInfo; HasParameterID tells whether it is present.
	ParameterID    int
	HasParameterID bool
	Raw            []byte
}

// PACEDomainParameterInfo carries explicit PACE domain parameters:
//
//	PACEDomainParameterInfo ::= SEQUENCE {
//	    protocol OBJECT IDENTIFIER (id-PACE-DH-GM | id-PACE-ECDH-GM |
//	             id-PACE-DH-IM | id-PACE-ECDH-IM | id-PACE-ECDH-CAM),
//	    domainParameter AlgorithmIdentifier,
//	    parameterId INTEGER OPTIONAL }
type PACEDomainParameterInfo struct {
	Protocol        asn1.ObjectIdentifier
	KeyAgreement    KeyAgreement
	Mapping         Mapping
	DomainParameter AlgorithmIdentifier
	ParameterID     int
	HasParameterID  bool
	Raw             []byte
}

// ChipAuthenticationInfo announces Chip Authentication (ICAO Doc 9303-11
// §9.2, TR-03110-3 A.1.1.2):
//
//	ChipAuthenticationInfo ::= SEQUENCE {
//	    protocol OBJECT IDENTIFIER (id-CA-...),
//	    version INTEGER, -- 1, 2 or 3
//	    keyId INTEGER OPTIONAL }
type ChipAuthenticationInfo struct {
	Protocol asn1.ObjectIdentifier
	CA       CAProtocol
	Version  int
	KeyID    int64
	HasKeyID bool
	Raw      []byte
}

// ChipAuthenticationDomainParameterInfo gives the domain parameters of a
// Chip Authentication (version 2 and 3) key:
//
//	ChipAuthenticationDomainParameterInfo ::= SEQUENCE {
//	    protocol OBJECT IDENTIFIER (id-CA-DH | id-CA-ECDH),
//	    domainParameter AlgorithmIdentifier,
//	    keyId INTEGER OPTIONAL }
type ChipAuthenticationDomainParameterInfo struct {
	Protocol        asn1.ObjectIdentifier
	KeyAgreement    KeyAgreement
	DomainParameter AlgorithmIdentifier
	KeyID           int64
	HasKeyID        bool
	Raw             []byte
}

// ChipAuthenticationPublicKeyInfo holds a static Chip Authentication public
// key (ICAO Doc 9303-11 §9.2, TR-03110-3 A.1.1.2):
//
//	ChipAuthenticationPublicKeyInfo ::= SEQUENCE {
//	    protocol OBJECT IDENTIFIER (id-PK-DH | id-PK-ECDH),
//	    chipAuthenticationPublicKey SubjectPublicKeyInfo,
//	    keyId INTEGER OPTIONAL }
type ChipAuthenticationPublicKeyInfo struct {
	Protocol     asn1.ObjectIdentifier
	KeyAgreement KeyAgreement
	PublicKey    SubjectPublicKeyInfo
	KeyID        int64
	HasKeyID     bool
	Raw          []byte
}

// TerminalAuthenticationInfo announces Terminal Authentication (ICAO Doc
// 9303-11 §9.2, TR-03110-3 A.1.1.3):
//
//	TerminalAuthenticationInfo ::= SEQUENCE {
//	    protocol OBJECT IDENTIFIER (id-TA),
//	    version INTEGER, -- 1 or 2
//	    efCVCA FileID OPTIONAL -- MUST NOT be used for version 2 }
type TerminalAuthenticationInfo struct {
	Protocol  asn1.ObjectIdentifier
	Version   int
	EFCVCA    FileID
	HasEFCVCA bool
	Raw       []byte
}

// ActiveAuthenticationInfo names the signature algorithm of an ECDSA
// Active Authentication key (ICAO Doc 9303-11 §9.2):
//
//	ActiveAuthenticationInfo ::= SEQUENCE {
//	    protocol OBJECT IDENTIFIER (id-icao-mrtd-security-aaProtocolObject),
//	    version INTEGER, -- MUST be 1
//	    signatureAlgorithm OBJECT IDENTIFIER }
type ActiveAuthenticationInfo struct {
	Protocol           asn1.ObjectIdentifier
	Version            int
	SignatureAlgorithm asn1.ObjectIdentifier
	Raw                []byte
}

// UnknownInfo is a SecurityInfo of any other protocol (EFDIRInfo, CardInfo,
// PrivilegedTerminalInfo, RestrictedIdentificationInfo, PasswordInfo,
// national ones...): a SEQUENCE of the protocol OBJECT IDENTIFIER and one or
// two more DER elements, kept as bytes.
type UnknownInfo struct {
	Protocol asn1.ObjectIdentifier
	// Raw is the whole SEQUENCE; Encode writes it back unchanged.
	Raw []byte
}

func (i *PACEInfo) ProtocolOID() asn1.ObjectIdentifier                { return i.Protocol }
func (i *PACEDomainParameterInfo) ProtocolOID() asn1.ObjectIdentifier { return i.Protocol }
func (i *ChipAuthenticationInfo) ProtocolOID() asn1.ObjectIdentifier  { return i.Protocol }
func (i *ChipAuthenticationDomainParameterInfo) ProtocolOID() asn1.ObjectIdentifier {
	return i.Protocol
}
func (i *ChipAuthenticationPublicKeyInfo) ProtocolOID() asn1.ObjectIdentifier {
	return i.Protocol
}
func (i *TerminalAuthenticationInfo) ProtocolOID() asn1.ObjectIdentifier { return i.Protocol }
func (i *ActiveAuthenticationInfo) ProtocolOID() asn1.ObjectIdentifier   { return i.Protocol }
func (i *UnknownInfo) ProtocolOID() asn1.ObjectIdentifier                { return i.Protocol }

func (i *PACEInfo) Marshal() ([]byte, error)                { return marshalInfo(i) }
func (i *PACEDomainParameterInfo) Marshal() ([]byte, error) { return marshalInfo(i) }
func (i *ChipAuthenticationInfo) Marshal() ([]byte, error)  { return marshalInfo(i) }
func (i *ChipAuthenticationDomainParameterInfo) Marshal() ([]byte, error) {
	return marshalInfo(i)
}
func (i *ChipAuthenticationPublicKeyInfo) Marshal() ([]byte, error) { return marshalInfo(i) }
func (i *TerminalAuthenticationInfo) Marshal() ([]byte, error)      { return marshalInfo(i) }
func (i *ActiveAuthenticationInfo) Marshal() ([]byte, error)        { return marshalInfo(i) }
func (i *UnknownInfo) Marshal() ([]byte, error)                     { return marshalInfo(i) }

func marshalInfo(i Info) ([]byte, error) {
	var b cryptobyte.Builder
	i.marshal(&b)
	return b.Bytes()
}

func addOptionalInt(b *cryptobyte.Builder, v int64, present bool) {
	if present {
		b.AddASN1Int64(v)
	}
}

func (i *PACEInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		b.AddASN1Int64(int64(i.Version))
		addOptionalInt(b, int64(i.ParameterID), i.HasParameterID)
	})
}

func (i *PACEDomainParameterInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		i.DomainParameter.marshal(b)
		addOptionalInt(b, int64(i.ParameterID), i.HasParameterID)
	})
}

func (i *ChipAuthenticationInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		b.AddASN1Int64(int64(i.Version))
		addOptionalInt(b, i.KeyID, i.HasKeyID)
	})
}

func (i *ChipAuthenticationDomainParameterInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		i.DomainParameter.marshal(b)
		addOptionalInt(b, i.KeyID, i.HasKeyID)
	})
}

func (i *ChipAuthenticationPublicKeyInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		i.PublicKey.marshal(b)
		addOptionalInt(b, i.KeyID, i.HasKeyID)
	})
}

func (i *TerminalAuthenticationInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		b.AddASN1Int64(int64(i.Version))
		if i.HasEFCVCA {
			i.EFCVCA.marshal(b)
		}
	})
}

func (i *ActiveAuthenticationInfo) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(i.Protocol)
		b.AddASN1Int64(int64(i.Version))
		b.AddASN1ObjectIdentifier(i.SignatureAlgorithm)
	})
}

func (i *UnknownInfo) marshal(b *cryptobyte.Builder) {
	if i.Raw == nil {
		b.SetError(errUnknownWithoutRaw)
		return
	}
	b.AddBytes(i.Raw)
}

var errUnknownWithoutRaw = errors.New("secinfo: UnknownInfo without Raw bytes")
