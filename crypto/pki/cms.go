package pki

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignedData is a CMS SignedData (RFC 5652 §5) read from its ContentInfo.
// Only DER is accepted (ICAO requires it for EF.SOD and master lists).
type SignedData struct {
	// Raw is the whole ContentInfo.
	Raw     []byte
	Version int
	// DigestAlgorithms lists the digestAlgorithms field (0 for unknown
	// OIDs).
	DigestAlgorithms []crypto.Hash
	// ContentType is the eContentType, Content the eContent octets (nil
	// when the content is detached).
	ContentType asn1.ObjectIdentifier
	Content     []byte
	// Certificates are the certificates field, in order.
	Certificates []*Certificate
	// CRLs are the raw RevocationInfoChoices of the crls field.
	CRLs        [][]byte
	SignerInfos []*SignerInfo
	// BER is set when the input was not DER and was read after
	// conversion (indefinite or non-minimal lengths, constructed
	// eContent). Raw is the input as given; the other fields point into
	// the converted bytes.
	BER bool
}

// Attribute is a CMS attribute: its type and the raw encodings of its
// values.
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte
}

// SignerInfo is one signer of a SignedData (RFC 5652 §5.3).
type SignerInfo struct {
	Raw     []byte
	Version int
	// The signer identifier: either Issuer and SerialNumber, or
	// SubjectKeyID.
	Issuer       *Name
	SerialNumber *big.Int
	SubjectKeyID []byte

	DigestAlgorithm    crypto.Hash // 0 when unknown
	DigestAlgorithmOID asn1.ObjectIdentifier
	// RawSignedAttrs is the [0] IMPLICIT signedAttrs element as encoded
	// (nil when absent); the signature covers it with the tag byte
	// changed to SET (0x31).
	RawSignedAttrs     []byte
	SignedAttrs        []Attribute
	SignatureAlgorithm SignatureAlgorithm
	Signature          []byte
	RawUnsignedAttrs   []byte

	// Decoded signed attributes; nil or zero when absent.
	ContentTypeAttr asn1.ObjectIdentifier
	MessageDigest   []byte
	SigningTime     time.Time
}

// ParseSignedData parses a DER ContentInfo holding a SignedData, of at
// most MaxSODSize bytes.
func ParseSignedData(der []byte) (*SignedData, error) {
	return parseSignedData(der, MaxSODSize)
}

func parseSignedData(der []byte, limit int) (*SignedData, error) {
	if len(der) > limit {
		return nil, &ParseError{Kind: "SignedData", Err: ErrTooLarge}
	}
	sd, err := parseSignedDataDER(der)
	if err == nil || !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTrailingData) {
		return sd, err
	}
	// Not DER: try the input as BER (see ber.go).
	conv, berErr := berToDER(der)
	if berErr != nil || bytes.Equal(conv, der) {
		return nil, err
	}
	sd, err2 := parseSignedDataDER(conv)
	if err2 != nil {
		return nil, err
	}
	sd.Raw, sd.BER = der, true
	return sd, nil
}

func parseSignedDataDER(der []byte) (*SignedData, error) {
	const kind = "SignedData"
	sd := &SignedData{Raw: der}
	s := cryptobyte.String(der)
	var ci, content, body cryptobyte.String
	var ctype asn1.ObjectIdentifier
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1ObjectIdentifier(&ctype) {
		return nil, malformed(kind, "ContentInfo")
	}
	if len(s) != 0 {
		return nil, &ParseError{Kind: kind, Err: ErrTrailingData}
	}
	if !ctype.Equal(OIDSignedData) {
		return nil, &ParseError{Kind: kind, Field: "contentType " + ctype.String(), Err: ErrWrongContentType}
	}
	if !ci.ReadASN1(&content, tagged(0)) || len(ci) != 0 || !content.ReadASN1(&body, cbasn1.SEQUENCE) || len(content) != 0 {
		return nil, malformed(kind, "content")
	}
	var ver int64
	if !body.ReadASN1Int64WithTag(&ver, cbasn1.INTEGER) {
		return nil, malformed(kind, "version")
	}
	if ver < 1 || ver > 5 {
		return nil, &ParseError{Kind: kind, Field: "version", Err: ErrUnsupportedVersion}
	}
	sd.Version = int(ver)
	var algs cryptobyte.String
	if !body.ReadASN1(&algs, cbasn1.SET) {
		return nil, malformed(kind, "digestAlgorithms")
	}
	for len(algs) > 0 {
		h, ok := readHashAlgorithm(&algs)
		if !ok {
			return nil, malformed(kind, "digestAlgorithms")
		}
		sd.DigestAlgorithms = append(sd.DigestAlgorithms, h)
	}
	var eci cryptobyte.String
	if !body.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1ObjectIdentifier(&sd.ContentType) {
		return nil, malformed(kind, "encapContentInfo")
	}
	if len(eci) > 0 {
		var ec, oct cryptobyte.String
		if !eci.ReadASN1(&ec, tagged(0)) || !ec.ReadASN1(&oct, cbasn1.OCTET_STRING) || len(ec) != 0 {
			return nil, malformed(kind, "eContent")
		}
		sd.Content = oct
		if sd.Content == nil {
			sd.Content = []byte{}
		}
	}
	if len(eci) != 0 {
		return nil, malformed(kind, "encapContentInfo")
	}
	var certs cryptobyte.String
	var present bool
	if !body.ReadOptionalASN1(&certs, &present, tagged(0)) {
		return nil, malformed(kind, "certificates")
	}
	for len(certs) > 0 {
		if !certs.PeekASN1Tag(cbasn1.SEQUENCE) {
			return nil, malformed(kind, "certificates: only X.509 certificates are supported")
		}
		c, err := readCertificate(&certs)
		if err != nil {
			return nil, err
		}
		sd.Certificates = append(sd.Certificates, c)
	}
	var crls cryptobyte.String
	if !body.ReadOptionalASN1(&crls, &present, tagged(1)) {
		return nil, malformed(kind, "crls")
	}
	for len(crls) > 0 {
		var raw []byte
		var tag cbasn1.Tag
		if !readAnyElement(&crls, &raw, &tag) {
			return nil, malformed(kind, "crls")
		}
		sd.CRLs = append(sd.CRLs, raw)
	}
	var sis cryptobyte.String
	if !body.ReadASN1(&sis, cbasn1.SET) || len(body) != 0 {
		return nil, malformed(kind, "signerInfos")
	}
	for len(sis) > 0 {
		si, err := readSignerInfo(&sis)
		if err != nil {
			return nil, err
		}
		sd.SignerInfos = append(sd.SignerInfos, si)
	}
	return sd, nil
}

func readSignerInfo(s *cryptobyte.String) (*SignerInfo, error) {
	const kind = "SignerInfo"
	si := &SignerInfo{}
	var raw, body cryptobyte.String
	if !s.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "")
	}
	si.Raw = raw
	if !raw.ReadASN1(&body, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "")
	}
	var ver int64
	if !body.ReadASN1Int64WithTag(&ver, cbasn1.INTEGER) {
		return nil, malformed(kind, "version")
	}
	if ver != 1 && ver != 3 {
		return nil, &ParseError{Kind: kind, Field: "version", Err: ErrUnsupportedVersion}
	}
	si.Version = int(ver)
	switch {
	case body.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias cryptobyte.String
		si.Issuer = &Name{}
		si.SerialNumber = new(big.Int)
		if !body.ReadASN1(&ias, cbasn1.SEQUENCE) || !parseName(&ias, si.Issuer) || !ias.ReadASN1Integer(si.SerialNumber) || len(ias) != 0 {
			return nil, malformed(kind, "issuerAndSerialNumber")
		}
	case body.PeekASN1Tag(implicit(0)):
		var ski cryptobyte.String
		if !body.ReadASN1(&ski, implicit(0)) {
			return nil, malformed(kind, "subjectKeyIdentifier")
		}
		si.SubjectKeyID = ski
	default:
		return nil, malformed(kind, "sid")
	}
	var araw, params []byte
	if !readAlgorithmIdentifier(&body, &araw, &si.DigestAlgorithmOID, &params) {
		return nil, malformed(kind, "digestAlgorithm")
	}
	if params == nil || bytes.Equal(params, nullParams) {
		si.DigestAlgorithm = HashFromOID(si.DigestAlgorithmOID)
	}
	if body.PeekASN1Tag(tagged(0)) {
		var attrs cryptobyte.String
		if !body.ReadASN1Element(&attrs, tagged(0)) {
			return nil, malformed(kind, "signedAttrs")
		}
		si.RawSignedAttrs = attrs
		if err := si.parseSignedAttrs(attrs); err != nil {
			return nil, err
		}
	}
	var oid asn1.ObjectIdentifier
	if !readAlgorithmIdentifier(&body, &araw, &oid, &params) {
		return nil, malformed(kind, "signatureAlgorithm")
	}
	si.SignatureAlgorithm = parseSignatureAlgorithm(araw, oid, params)
	var sig cryptobyte.String
	if !body.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return nil, malformed(kind, "signature")
	}
	si.Signature = sig
	if body.PeekASN1Tag(tagged(1)) {
		var u cryptobyte.String
		if !body.ReadASN1Element(&u, tagged(1)) {
			return nil, malformed(kind, "unsignedAttrs")
		}
		si.RawUnsignedAttrs = u
	}
	if len(body) != 0 {
		return nil, malformed(kind, "")
	}
	return si, nil
}

func (si *SignerInfo) parseSignedAttrs(raw cryptobyte.String) error {
	const kind = "SignerInfo"
	var set cryptobyte.String
	if !raw.ReadASN1(&set, tagged(0)) || len(set) == 0 {
		return malformed(kind, "signedAttrs")
	}
	for len(set) > 0 {
		var a cryptobyte.String
		var at Attribute
		var vals cryptobyte.String
		if !set.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&at.Type) || !a.ReadASN1(&vals, cbasn1.SET) || len(a) != 0 || len(vals) == 0 {
			return malformed(kind, "signedAttrs")
		}
		for len(vals) > 0 {
			var v []byte
			var tag cbasn1.Tag
			if !readAnyElement(&vals, &v, &tag) {
				return malformed(kind, "signedAttrs")
			}
			at.Values = append(at.Values, v)
		}
		for _, o := range si.SignedAttrs {
			if o.Type.Equal(at.Type) {
				return malformed(kind, "duplicate signed attribute "+at.Type.String())
			}
		}
		si.SignedAttrs = append(si.SignedAttrs, at)
		// RFC 5652 §11: these three take exactly one value.
		single := func() (cryptobyte.String, error) {
			if len(at.Values) != 1 {
				return nil, malformed(kind, "attribute "+at.Type.String()+" with several values")
			}
			return cryptobyte.String(at.Values[0]), nil
		}
		switch {
		case at.Type.Equal(OIDAttrContentType):
			v, err := single()
			if err != nil {
				return err
			}
			if !v.ReadASN1ObjectIdentifier(&si.ContentTypeAttr) || len(v) != 0 {
				return malformed(kind, "content-type attribute")
			}
		case at.Type.Equal(OIDAttrMessageDigest):
			v, err := single()
			if err != nil {
				return err
			}
			var d cryptobyte.String
			if !v.ReadASN1(&d, cbasn1.OCTET_STRING) || len(v) != 0 {
				return malformed(kind, "message-digest attribute")
			}
			si.MessageDigest = d
			if si.MessageDigest == nil {
				si.MessageDigest = []byte{}
			}
		case at.Type.Equal(OIDAttrSigningTime):
			v, err := single()
			if err != nil {
				return err
			}
			if !readTime(&v, &si.SigningTime) || len(v) != 0 {
				return malformed(kind, "signing-time attribute")
			}
		}
	}
	return nil
}

// Matches reports whether the certificate is the one the signer
// identifier names.
func (si *SignerInfo) Matches(c *Certificate) bool {
	if si.SubjectKeyID != nil {
		return c.SubjectKeyID != nil && bytes.Equal(si.SubjectKeyID, c.SubjectKeyID)
	}
	return si.SerialNumber != nil && si.SerialNumber.Cmp(c.SerialNumber) == 0 && si.Issuer.Equal(c.Issuer)
}

// SignerCertificate returns the certificate of sd.Certificates that si
// names, or ErrSignerNotFound.
func (sd *SignedData) SignerCertificate(si *SignerInfo) (*Certificate, error) {
	for _, c := range sd.Certificates {
		if si.Matches(c) {
			return c, nil
		}
	}
	return nil, ErrSignerNotFound
}

// signatureAlgorithm resolves the algorithm the signature was made with:
// rsaEncryption and id-ecPublicKey take the hash of digestAlgorithm, and an
// algorithm naming another hash than digestAlgorithm is refused.
func (si *SignerInfo) signatureAlgorithm() (SignatureAlgorithm, error) {
	alg := si.SignatureAlgorithm
	if alg.Err != nil {
		return alg, alg.Err
	}
	if si.DigestAlgorithm == 0 {
		return alg, fmt.Errorf("%w: digest algorithm %v", ErrUnsupportedAlgorithm, si.DigestAlgorithmOID)
	}
	if alg.Hash == 0 {
		alg.Hash = si.DigestAlgorithm
	} else if alg.Hash != si.DigestAlgorithm {
		return alg, fmt.Errorf("%w: signature hash %v differs from digest algorithm %v", ErrUnsupportedAlgorithm, alg.Hash, si.DigestAlgorithm)
	}
	return alg, nil
}

// CheckContent verifies the signed attributes against the content: the
// content-type attribute equals the eContentType and the message-digest
// attribute equals the digest of the eContent. Without signed attributes
// there is nothing to check here (the signature covers the content
// directly).
func (sd *SignedData) CheckContent(si *SignerInfo) error {
	if si.RawSignedAttrs == nil {
		return nil
	}
	if si.ContentTypeAttr == nil {
		return fmt.Errorf("%w: content-type", ErrMissingAttribute)
	}
	if !si.ContentTypeAttr.Equal(sd.ContentType) {
		return fmt.Errorf("%w: content-type attribute %v, eContentType %v", ErrWrongContentType, si.ContentTypeAttr, sd.ContentType)
	}
	if si.MessageDigest == nil {
		return fmt.Errorf("%w: message-digest", ErrMissingAttribute)
	}
	if si.DigestAlgorithm == 0 || !si.DigestAlgorithm.Available() {
		return fmt.Errorf("%w: digest algorithm %v", ErrUnsupportedAlgorithm, si.DigestAlgorithmOID)
	}
	if sd.Content == nil {
		return fmt.Errorf("%w: detached content", ErrMissingAttribute)
	}
	h := si.DigestAlgorithm.New()
	h.Write(sd.Content)
	if !bytes.Equal(h.Sum(nil), si.MessageDigest) {
		return ErrDigestMismatch
	}
	return nil
}

// SignedBytes returns what the signature of si covers: the signed
// attributes re-tagged as SET OF (RFC 5652 §5.4), or the content itself
// when there are none.
func (sd *SignedData) SignedBytes(si *SignerInfo) []byte {
	if si.RawSignedAttrs == nil {
		return sd.Content
	}
	b := bytes.Clone(si.RawSignedAttrs)
	b[0] = 0x31
	return b
}

// CheckSignature verifies the signature of si with the key of cert. It
// does not check the content (see CheckContent) nor the certificate.
func (sd *SignedData) CheckSignature(si *SignerInfo, cert *Certificate) error {
	alg, err := si.signatureAlgorithm()
	if err != nil {
		return err
	}
	if cert.PublicKey.Key == nil {
		return cert.PublicKey.Err
	}
	return checkSignature(alg, cert.PublicKey.Key, sd.SignedBytes(si), si.Signature)
}

// Verify checks the one signer of sd against its embedded certificate:
// CheckContent and CheckSignature. It returns the signer certificate,
// which the caller must still chain to a trust anchor.
func (sd *SignedData) Verify() (*Certificate, error) {
	if len(sd.SignerInfos) != 1 {
		return nil, fmt.Errorf("%w: %d signer infos, want 1", ErrSignerNotFound, len(sd.SignerInfos))
	}
	si := sd.SignerInfos[0]
	cert, err := sd.SignerCertificate(si)
	if err != nil {
		return nil, err
	}
	if err := sd.CheckContent(si); err != nil {
		return cert, err
	}
	return cert, sd.CheckSignature(si, cert)
}
