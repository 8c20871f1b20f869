package secinfo

import (
	"encoding/asn1"
	"fmt"
)

// KeyAgreement is the key agreement of a PACE or Chip Authentication
// protocol: Diffie-Hellman over a prime field or over an elliptic curve.
type KeyAgreement uint8

const (
	DH   KeyAgreement = 1 // Diffie-Hellman (PKCS #3), protocol arc 1
	ECDH KeyAgreement = 2 // elliptic curve Diffie-Hellman (ECKA), arc 2
)

func (k KeyAgreement) String() string {
	switch k {
	case DH:
		return "DH"
	case ECDH:
		return "ECDH"
	}
	return fmt.Sprintf("KeyAgreement(%d)", uint8(k))
}

// Mapping is the PACE mapping of the nonce to ephemeral domain parameters.
type Mapping uint8

const (
	// GenericMapping (GM): a first anonymous key agreement gives the
	// point or element that the nonce is combined with.
	GenericMapping Mapping = 1
	// IntegratedMapping (IM): the nonce is mapped directly with a
	// pseudo-random function and a point encoding.
	IntegratedMapping Mapping = 2
	// ChipAuthenticationMapping (CAM): Generic Mapping followed by the
	// chip proving its static Chip Authentication key inside PACE
	// (ICAO Doc 9303-11, PACE-CAM); ECDH and AES only.
	ChipAuthenticationMapping Mapping = 3
)

// String is the mapping's short name in its protocol identifiers: "GM",
// "IM", "CAM".
func (m Mapping) String() string {
	if e := mappingEntry(m); e != nil {
		return e.name
	}
	return fmt.Sprintf("Mapping(%d)", uint8(m))
}

// paceMappings is the table of PACE mappings as their protocol identifiers
// name them (TR-03110-3 A.1.1.1, ICAO Doc 9303-11 §9.2); what each
// computes is in package crypto/pace, whose table of mappings is keyed by
// Mapping. Per mapping:
//   - name: its part of the ASN.1 names (id-PACE-ECDH-GM-...);
//   - arcs: its arc under id-PACE with each key agreement (0 when the
//     mapping does not exist with it); arc 5 is not assigned;
//   - aesOnly: the mapping exists with AES only, not with 3DES;
//   - pointEncoding: the mapping uses the point encoding of ICAO Doc
//     9303-11 Appendix B, which NIST P-224 cannot (StandardizedDomainParameter.NoIM);
//   - rank: its preference in BestPACE, higher first.
//
// See "Adding a PACE mapping" in package crypto/pace.
var paceMappings = []mappingInfo{
	{m: GenericMapping, name: "GM", arcs: [...]int{DH: 1, ECDH: 2}, rank: 3},
	{m: IntegratedMapping, name: "IM", arcs: [...]int{DH: 3, ECDH: 4}, pointEncoding: true, rank: 1},
	{m: ChipAuthenticationMapping, name: "CAM", arcs: [...]int{ECDH: 6}, aesOnly: true, rank: 2},
}

// mappingInfo is a row of paceMappings.
type mappingInfo struct {
	m             Mapping
	name          string
	arcs          [ECDH + 1]int // by KeyAgreement
	aesOnly       bool
	pointEncoding bool
	rank          int
}

// mappingEntry returns the row of m in paceMappings, or nil.
func mappingEntry(m Mapping) *mappingInfo {
	for i := range paceMappings {
		if paceMappings[i].m == m {
			return &paceMappings[i]
		}
	}
	return nil
}

// Cipher is the block cipher of secure messaging: 3DES in CBC mode with the
// ISO/IEC 9797-1 retail MAC, or AES in CBC mode with CMAC.
type Cipher uint8

const (
	TripleDES Cipher = 1 // 3DES-CBC-CBC, protocol arc 1
	AES       Cipher = 2 // AES-CBC-CMAC-128/192/256, protocol arcs 2 to 4
)

func (c Cipher) String() string {
	switch c {
	case TripleDES:
		return "3DES"
	case AES:
		return "AES"
	}
	return fmt.Sprintf("Cipher(%d)", uint8(c))
}

// cipherArc splits the last arc of a PACE or CA protocol identifier into a
// cipher and a key length in bytes (TR-03110-3 Tables 6, 7 and A.4).
func cipherArc(arc int) (Cipher, int, bool) {
	switch arc {
	case 1:
		// Two-key 3DES: a 112-bit key carried as 16 bytes (KDF with SHA-1,
		// TR-03110-3 A.2.3.1).
		return TripleDES, 16, true
	case 2:
		return AES, 16, true
	case 3:
		return AES, 24, true
	case 4:
		return AES, 32, true
	}
	return 0, 0, false
}

func cipherToArc(c Cipher, keyLen int) (int, bool) {
	switch {
	case c == TripleDES && keyLen == 16:
		return 1, true
	case c == AES && keyLen == 16:
		return 2, true
	case c == AES && keyLen == 24:
		return 3, true
	case c == AES && keyLen == 32:
		return 4, true
	}
	return 0, false
}

// PACEProtocol describes a PACE protocol identifier such as
// id-PACE-ECDH-GM-AES-CBC-CMAC-128: its key agreement, mapping, cipher and
// session key length.
type PACEProtocol struct {
	KeyAgreement KeyAgreement
	Mapping      Mapping
	Cipher       Cipher
	// KeyLength is the session key length in bytes: 16 for 3DES (two-key,
	// 112 bits) and AES-128, 24 for AES-192, 32 for AES-256.
	KeyLength int
}

// ParsePACEProtocol describes the PACE protocol identifier oid, one of the
// 19 OIDPACE* identifiers with a cipher (not the bare mapping identifiers
// such as OIDPACEECDHGM). Any other identifier is an ErrUnknownProtocol.
func ParsePACEProtocol(oid asn1.ObjectIdentifier) (PACEProtocol, error) {
	if len(oid) != len(OIDPACE)+2 || !hasPrefix(oid, OIDPACE) {
		return PACEProtocol{}, unknownProtocol("PACE", oid)
	}
	ka, m, ok := paceMapping(oid[len(OIDPACE)])
	if !ok {
		return PACEProtocol{}, unknownProtocol("PACE", oid)
	}
	c, keyLen, ok := cipherArc(oid[len(OIDPACE)+1])
	if !ok || (mappingEntry(m).aesOnly && c != AES) {
		return PACEProtocol{}, unknownProtocol("PACE", oid)
	}
	return PACEProtocol{KeyAgreement: ka, Mapping: m, Cipher: c, KeyLength: keyLen}, nil
}

// usesPointEncoding reports whether mapping m uses the point encoding of
// ICAO Doc 9303-11 Appendix B (paceMappings).
func usesPointEncoding(m Mapping) bool {
	e := mappingEntry(m)
	return e != nil && e.pointEncoding
}

// paceMapping returns the key agreement and mapping of an arc under id-PACE.
func paceMapping(arc int) (KeyAgreement, Mapping, bool) {
	if arc <= 0 {
		return 0, 0, false
	}
	for _, e := range paceMappings {
		for ka, a := range e.arcs {
			if a == arc {
				return KeyAgreement(ka), e.m, true
			}
		}
	}
	return 0, 0, false
}

// paceMappingArc returns the arc under id-PACE of mapping m with key
// agreement ka.
func paceMappingArc(ka KeyAgreement, m Mapping) (int, bool) {
	e := mappingEntry(m)
	if e == nil || ka != DH && ka != ECDH || e.arcs[ka] == 0 {
		return 0, false
	}
	return e.arcs[ka], true
}

// parsePACEMapping describes a bare mapping identifier (the protocol of a
// PACEDomainParameterInfo) such as OIDPACEECDHGM.
func parsePACEMapping(oid asn1.ObjectIdentifier) (KeyAgreement, Mapping, bool) {
	if len(oid) != len(OIDPACE)+1 || !hasPrefix(oid, OIDPACE) {
		return 0, 0, false
	}
	return paceMapping(oid[len(OIDPACE)])
}

// OID returns the protocol identifier p describes, or nil if no identifier
// exists for that combination (such as CAM with 3DES).
func (p PACEProtocol) OID() asn1.ObjectIdentifier {
	marc, ok := paceMappingArc(p.KeyAgreement, p.Mapping)
	if !ok {
		return nil
	}
	carc, ok := cipherToArc(p.Cipher, p.KeyLength)
	if !ok || (mappingEntry(p.Mapping).aesOnly && p.Cipher != AES) {
		return nil
	}
	return append(append(asn1.ObjectIdentifier(nil), OIDPACE...), marc, carc)
}

// MappingOID returns the bare mapping identifier (such as OIDPACEECDHGM)
// that a PACEDomainParameterInfo for this protocol carries.
func (p PACEProtocol) MappingOID() asn1.ObjectIdentifier {
	marc, ok := paceMappingArc(p.KeyAgreement, p.Mapping)
	if !ok {
		return nil
	}
	return append(append(asn1.ObjectIdentifier(nil), OIDPACE...), marc)
}

// String gives the ASN.1 name, such as "id-PACE-ECDH-GM-AES-CBC-CMAC-128".
func (p PACEProtocol) String() string {
	if oid := p.OID(); oid != nil {
		return OIDName(oid)
	}
	return fmt.Sprintf("PACE(%v-%v-%v-%d)", p.KeyAgreement, p.Mapping, p.Cipher, p.KeyLength)
}

// CAProtocol describes a Chip Authentication protocol identifier such as
// id-CA-ECDH-AES-CBC-CMAC-128.
type CAProtocol struct {
	KeyAgreement KeyAgreement
	Cipher       Cipher
	// KeyLength is the session key length in bytes (16, 24 or 32), as for
	// PACEProtocol.
	KeyLength int
}

// ParseCAProtocol describes one of the eight Chip Authentication protocol
// identifiers OIDCADH3DES ... OIDCAECDHAES256. Any other identifier is an
// ErrUnknownProtocol.
func ParseCAProtocol(oid asn1.ObjectIdentifier) (CAProtocol, error) {
	if len(oid) != len(OIDCA)+2 || !hasPrefix(oid, OIDCA) {
		return CAProtocol{}, unknownProtocol("CA", oid)
	}
	ka := KeyAgreement(0)
	switch oid[len(OIDCA)] {
	case 1:
		ka = DH
	case 2:
		ka = ECDH
	default:
		return CAProtocol{}, unknownProtocol("CA", oid)
	}
	c, keyLen, ok := cipherArc(oid[len(OIDCA)+1])
	if !ok {
		return CAProtocol{}, unknownProtocol("CA", oid)
	}
	return CAProtocol{KeyAgreement: ka, Cipher: c, KeyLength: keyLen}, nil
}

// OID returns the protocol identifier p describes, or nil if none exists.
func (p CAProtocol) OID() asn1.ObjectIdentifier {
	if p.KeyAgreement != DH && p.KeyAgreement != ECDH {
		return nil
	}
	carc, ok := cipherToArc(p.Cipher, p.KeyLength)
	if !ok {
		return nil
	}
	return append(append(asn1.ObjectIdentifier(nil), OIDCA...), int(p.KeyAgreement), carc)
}

// String gives the ASN.1 name, such as "id-CA-ECDH-AES-CBC-CMAC-128".
func (p CAProtocol) String() string {
	if oid := p.OID(); oid != nil {
		return OIDName(oid)
	}
	return fmt.Sprintf("CA(%v-%v-%d)", p.KeyAgreement, p.Cipher, p.KeyLength)
}

// DomainParameterType tells a prime-field group from an elliptic curve.
type DomainParameterType uint8

const (
	GFP DomainParameterType = 1 // MODP group over a prime field (DH)
	ECP DomainParameterType = 2 // elliptic curve over a prime field (ECDH)
)

// StandardizedDomainParameter is one row of TR-03110-3 Table 4 (ICAO Doc
// 9303-11, standardized domain parameters): the domain parameters that a PACEInfo parameterId or a
// standardizedDomainParameters AlgorithmIdentifier refers to by number.
type StandardizedDomainParameter struct {
	ID   int
	Name string
	Type DomainParameterType
	// Bits is the size of the field (ECP) or of the modulus (GFP).
	Bits int
	// NoIM is set for NIST P-224, which cannot be used with the
	// Integrated Mapping.
	NoIM bool
}

var standardizedDomainParameters = []StandardizedDomainParameter{
	{ID: 0, Name: "1024-bit MODP Group with 160-bit Prime Order Subgroup", Type: GFP, Bits: 1024},
	{ID: 1, Name: "2048-bit MODP Group with 224-bit Prime Order Subgroup", Type: GFP, Bits: 2048},
	{ID: 2, Name: "2048-bit MODP Group with 256-bit Prime Order Subgroup", Type: GFP, Bits: 2048},
	{ID: 8, Name: "NIST P-192", Type: ECP, Bits: 192},
	{ID: 9, Name: "brainpoolP192r1", Type: ECP, Bits: 192},
	{ID: 10, Name: "NIST P-224", Type: ECP, Bits: 224, NoIM: true},
	{ID: 11, Name: "brainpoolP224r1", Type: ECP, Bits: 224},
	{ID: 12, Name: "NIST P-256", Type: ECP, Bits: 256},
	{ID: 13, Name: "brainpoolP256r1", Type: ECP, Bits: 256},
	{ID: 14, Name: "brainpoolP320r1", Type: ECP, Bits: 320},
	{ID: 15, Name: "NIST P-384", Type: ECP, Bits: 384},
	{ID: 16, Name: "brainpoolP384r1", Type: ECP, Bits: 384},
	{ID: 17, Name: "brainpoolP512r1", Type: ECP, Bits: 512},
	{ID: 18, Name: "NIST P-521", Type: ECP, Bits: 521},
}

// LookupStandardizedDomainParameter returns row id of TR-03110-3 Table 4;
// ok is false for the reserved IDs 3 to 7 and 19 to 31 and for any other
// number (explicit, chip-local domain parameters).
func LookupStandardizedDomainParameter(id int) (p StandardizedDomainParameter, ok bool) {
	for _, e := range standardizedDomainParameters {
		if e.ID == id {
			return e, true
		}
	}
	return StandardizedDomainParameter{}, false
}
