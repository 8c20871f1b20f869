package pki

import (
	"crypto"
	"fmt"

	"github.com/cancuoc/cancuoc/tlv"
)

// SODTag is the tag of the EF.SOD file ('77', application 23).
const SODTag tlv.Tag = 0x77

// SOD is a parsed EF.SOD: the file, the CMS SignedData inside the '77'
// wrapper and the LDS Security Object it signs.
type SOD struct {
	// Raw is the file as read, '77' wrapper included.
	Raw        []byte
	SignedData *SignedData
	// LDS is the eContent, the DER LDSSecurityObject (Doc 9303 Part 10
	// §4.6.2.2), and SecurityObject its parsed form.
	LDS            []byte
	SecurityObject *LDSSecurityObject
}

// ParseSOD parses EF.SOD: the '77' wrapper, the SignedData (eContentType
// id-icao-mrtd-security-ldsSecurityObject) and the LDS Security Object.
// It checks structure only; Verify checks signatures and hashes.
func ParseSOD(file []byte) (*SOD, error) {
	if len(file) > MaxSODSize {
		return nil, &ParseError{Kind: "EF.SOD", Err: ErrTooLarge}
	}
	t, err := tlv.ParseOne(file)
	if err != nil {
		return nil, &ParseError{Kind: "EF.SOD", Field: "'77' wrapper", Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
	}
	if t.Tag != SODTag {
		return nil, &ParseError{Kind: "EF.SOD", Field: "tag " + t.Tag.String(), Err: ErrMalformed}
	}
	sd, err := ParseSignedData(t.Value)
	if err != nil {
		return nil, err
	}
	if !sd.ContentType.Equal(OIDLDSSecurityObject) {
		return nil, &ParseError{Kind: "EF.SOD", Field: "eContentType " + sd.ContentType.String(), Err: ErrWrongContentType}
	}
	if sd.Content == nil {
		return nil, malformed("EF.SOD", "no eContent")
	}
	lso, err := ParseLDSSecurityObject(sd.Content)
	if err != nil {
		return nil, &ParseError{Kind: "EF.SOD", Field: "LDSSecurityObject", Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
	}
	return &SOD{Raw: file, SignedData: sd, LDS: sd.Content, SecurityObject: lso}, nil
}

// SignSOD signs a DER LDSSecurityObject (LDSSecurityObject.Encode)
// as EF.SOD: a SignedData of content type
// id-icao-mrtd-security-ldsSecurityObject carrying the document signer
// certificate, wrapped in tag '77'.
func SignSOD(lds []byte, signer crypto.Signer, dsCert *Certificate, config *SignedDataConfig) ([]byte, error) {
	if _, err := ParseLDSSecurityObject(lds); err != nil {
		return nil, err
	}
	if config != nil && config.OmitCertificate {
		return nil, fmt.Errorf("pki: EF.SOD must carry the document signer certificate")
	}
	sd, err := SignSignedData(lds, OIDLDSSecurityObject, signer, dsCert, config)
	if err != nil {
		return nil, err
	}
	return tlv.AppendTLV(make([]byte, 0, len(sd)+4), SODTag, sd), nil
}

// NewSOD hashes the data group files (number to the file's bytes as the
// chip stores them, tag included) with h, builds the LDSSecurityObject
// (version 0) and signs it with SignSOD.
func NewSOD(h crypto.Hash, dataGroups map[int][]byte, signer crypto.Signer, dsCert *Certificate, config *SignedDataConfig) ([]byte, error) {
	lso, err := NewLDSSecurityObject(h, dataGroups)
	if err != nil {
		return nil, err
	}
	lds, err := lso.Encode()
	if err != nil {
		return nil, err
	}
	return SignSOD(lds, signer, dsCert, config)
}
