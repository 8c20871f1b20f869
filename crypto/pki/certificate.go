package pki

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Extension is one certificate or CRL extension as encoded.
type Extension struct {
	OID      asn1.ObjectIdentifier
	Critical bool
	Value    []byte
}

// Period is the PrivateKeyUsagePeriod of RFC 5280 §4.2.1.4 (ICAO requires
// it in CSCA and document signer certificates); a zero time is absent.
type Period struct {
	NotBefore, NotAfter time.Time
}

// Certificate is an X.509 certificate as this package parses it: with the
// raw bytes of everything a signature covers, and the extensions of the
// ICAO profile (Doc 9303 Part 12 §7) decoded. Unlike crypto/x509 it reads
// brainpool and explicit-parameter EC keys (through crypto/ec) and keeps
// certificates with unsupported keys readable, their PublicKey.Key nil.
type Certificate struct {
	Raw    []byte // the whole certificate
	RawTBS []byte // tbsCertificate, what the signature covers

	Version      int // 1, 2 or 3
	SerialNumber *big.Int
	// TBSSignatureAlgorithm is the signature field inside tbsCertificate;
	// it must equal SignatureAlgorithm.Raw.
	TBSSignatureAlgorithm []byte
	Issuer, Subject       Name
	NotBefore, NotAfter   time.Time
	PublicKey             PublicKeyInfo
	SignatureAlgorithm    SignatureAlgorithm
	Signature             []byte

	// Extensions holds every extension in order, raw.
	Extensions []Extension

	// Parsed extensions.
	KeyUsage              x509.KeyUsage // zero when HasKeyUsage is false
	HasKeyUsage           bool
	BasicConstraintsValid bool
	IsCA                  bool
	MaxPathLen            int // -1 when absent
	SubjectKeyID          []byte
	AuthorityKeyID        []byte
	PrivateKeyUsagePeriod *Period
	// DocumentTypes is the ICAO document type list (2.23.136.1.1.6.2) of a
	// document signer certificate, such as ["P"] or ["I", "ID"]; nil when
	// the extension is absent.
	DocumentTypes []string
	// CRLDistributionPoints are the URIs of the CRL distribution points.
	CRLDistributionPoints []string
	// NameChange is set by the ICAO name change extension of a CSCA link
	// certificate.
	NameChange  bool
	ExtKeyUsage []asn1.ObjectIdentifier
	// UnhandledCritical lists critical extensions this package does not
	// process; chain validation rejects such a certificate.
	UnhandledCritical []asn1.ObjectIdentifier
}

// ParseCertificate parses one DER certificate of at most
// MaxCertificateSize bytes.
func ParseCertificate(der []byte) (*Certificate, error) {
	if len(der) > MaxCertificateSize {
		return nil, &ParseError{Kind: "certificate", Err: ErrTooLarge}
	}
	s := cryptobyte.String(der)
	c, err := readCertificate(&s)
	if err != nil {
		return nil, err
	}
	if len(s) != 0 {
		return nil, &ParseError{Kind: "certificate", Err: ErrTrailingData}
	}
	return c, nil
}

// ParseCertificatePEM parses every CERTIFICATE block of PEM text, and a
// single DER certificate when the input is not PEM.
func ParseCertificatePEM(data []byte) ([]*Certificate, error) {
	if !bytes.Contains(data, []byte("-----BEGIN")) {
		c, err := ParseCertificate(data)
		if err != nil {
			return nil, err
		}
		return []*Certificate{c}, nil
	}
	var out []*Certificate
	for {
		var blk *pem.Block
		blk, data = pem.Decode(data)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, malformed("certificate", "no CERTIFICATE PEM block")
	}
	return out, nil
}

func readCertificate(s *cryptobyte.String) (*Certificate, error) {
	const kind = "certificate"
	c := &Certificate{MaxPathLen: -1}
	var raw, body, tbs cryptobyte.String
	if !s.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "Certificate")
	}
	c.Raw = raw
	if !raw.ReadASN1(&body, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "Certificate")
	}
	if !body.ReadASN1Element(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "tbsCertificate")
	}
	c.RawTBS = tbs
	var algRaw, params []byte
	var oid asn1.ObjectIdentifier
	if !readAlgorithmIdentifier(&body, &algRaw, &oid, &params) {
		return nil, malformed(kind, "signatureAlgorithm")
	}
	c.SignatureAlgorithm = parseSignatureAlgorithm(algRaw, oid, params)
	var sig asn1.BitString
	if !body.ReadASN1BitString(&sig) || sig.BitLength%8 != 0 {
		return nil, malformed(kind, "signatureValue")
	}
	c.Signature = sig.Bytes
	if len(body) != 0 {
		return nil, malformed(kind, "Certificate")
	}
	if err := c.parseTBS(tbs); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Certificate) parseTBS(tbs cryptobyte.String) error {
	const kind = "certificate"
	var t cryptobyte.String
	if !tbs.ReadASN1(&t, cbasn1.SEQUENCE) {
		return malformed(kind, "tbsCertificate")
	}
	var ver int64
	if !t.ReadOptionalASN1Integer(&ver, tagged(0), int64(0)) {
		return malformed(kind, "version")
	}
	if ver < 0 || ver > 2 {
		return &ParseError{Kind: kind, Field: "version", Err: ErrUnsupportedVersion}
	}
	c.Version = int(ver) + 1
	c.SerialNumber = new(big.Int)
	if !t.ReadASN1Integer(c.SerialNumber) {
		return malformed(kind, "serialNumber")
	}
	var oid asn1.ObjectIdentifier
	var params []byte
	if !readAlgorithmIdentifier(&t, &c.TBSSignatureAlgorithm, &oid, &params) {
		return malformed(kind, "signature")
	}
	if !parseName(&t, &c.Issuer) {
		return malformed(kind, "issuer")
	}
	var validity cryptobyte.String
	if !t.ReadASN1(&validity, cbasn1.SEQUENCE) || !readTime(&validity, &c.NotBefore) || !readTime(&validity, &c.NotAfter) || len(validity) != 0 {
		return malformed(kind, "validity")
	}
	if !parseName(&t, &c.Subject) {
		return malformed(kind, "subject")
	}
	if !parsePublicKeyInfo(&t, &c.PublicKey) {
		return malformed(kind, "subjectPublicKeyInfo")
	}
	for _, n := range []uint8{1, 2} {
		if !t.SkipOptionalASN1(implicit(n)) {
			return malformed(kind, "uniqueIdentifier")
		}
	}
	var present bool
	var exts cryptobyte.String
	if !t.ReadOptionalASN1(&exts, &present, tagged(3)) {
		return malformed(kind, "extensions")
	}
	if len(t) != 0 {
		return malformed(kind, "tbsCertificate")
	}
	if present {
		if c.Version != 3 {
			return malformed(kind, "extensions in a certificate before v3")
		}
		list, err := readExtensions(exts, kind)
		if err != nil {
			return err
		}
		c.Extensions = list
		for _, e := range list {
			if err := c.applyExtension(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func readExtensions(exts cryptobyte.String, kind string) ([]Extension, error) {
	var seq cryptobyte.String
	if !exts.ReadASN1(&seq, cbasn1.SEQUENCE) || len(exts) != 0 || len(seq) == 0 {
		return nil, malformed(kind, "extensions")
	}
	var list []Extension
	for len(seq) > 0 {
		var ext cryptobyte.String
		var e Extension
		var val cryptobyte.String
		if !seq.ReadASN1(&ext, cbasn1.SEQUENCE) || !ext.ReadASN1ObjectIdentifier(&e.OID) ||
			!readOptionalBool(&ext, &e.Critical) ||
			!ext.ReadASN1(&val, cbasn1.OCTET_STRING) || len(ext) != 0 {
			return nil, malformed(kind, "extension")
		}
		e.Value = val
		for _, o := range list {
			if o.OID.Equal(e.OID) {
				return nil, malformed(kind, "duplicate extension "+e.OID.String())
			}
		}
		list = append(list, e)
	}
	return list, nil
}

func (c *Certificate) applyExtension(e Extension) error {
	const kind = "certificate"
	v := cryptobyte.String(e.Value)
	bad := func() error { return malformed(kind, "extension "+e.OID.String()) }
	switch {
	case e.OID.Equal(OIDExtKeyUsage):
		var bits asn1.BitString
		if !v.ReadASN1BitString(&bits) || len(v) != 0 {
			return bad()
		}
		var ku int
		for i := 0; i < 9; i++ {
			if bits.At(i) != 0 {
				ku |= 1 << uint(i)
			}
		}
		c.KeyUsage, c.HasKeyUsage = x509.KeyUsage(ku), true
	case e.OID.Equal(OIDExtBasicConstraints):
		var seq cryptobyte.String
		if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || len(v) != 0 ||
			!readOptionalBool(&seq, &c.IsCA) {
			return bad()
		}
		if len(seq) > 0 {
			var n int64
			if !seq.ReadASN1Int64WithTag(&n, cbasn1.INTEGER) || n < 0 || n > 1<<20 || len(seq) != 0 {
				return bad()
			}
			c.MaxPathLen = int(n)
		}
		c.BasicConstraintsValid = true
	case e.OID.Equal(OIDExtSubjectKeyID):
		var id cryptobyte.String
		if !v.ReadASN1(&id, cbasn1.OCTET_STRING) || len(v) != 0 {
			return bad()
		}
		c.SubjectKeyID = id
	case e.OID.Equal(OIDExtAuthorityKeyID):
		var seq, id cryptobyte.String
		var present bool
		if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || len(v) != 0 ||
			!seq.ReadOptionalASN1(&id, &present, implicit(0)) {
			return bad()
		}
		if present {
			c.AuthorityKeyID = id
		}
		// authorityCertIssuer [1] and authorityCertSerialNumber [2] are
		// not used for chaining here.
	case e.OID.Equal(OIDExtPrivateKeyUsagePeriod):
		var seq cryptobyte.String
		if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || len(v) != 0 {
			return bad()
		}
		p := &Period{}
		for _, f := range []struct {
			n uint8
			t *time.Time
		}{{0, &p.NotBefore}, {1, &p.NotAfter}} {
			var tv cryptobyte.String
			var present bool
			if !seq.ReadOptionalASN1(&tv, &present, implicit(f.n)) {
				return bad()
			}
			if present {
				t, err := time.Parse("20060102150405Z0700", string(tv))
				if err != nil || len(tv) != 15 {
					return bad()
				}
				*f.t = t
			}
		}
		if len(seq) != 0 {
			return bad()
		}
		c.PrivateKeyUsagePeriod = p
	case e.OID.Equal(OIDExtDocumentTypeList):
		var seq, set cryptobyte.String
		var ver int64
		if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || len(v) != 0 || !seq.ReadASN1Int64WithTag(&ver, cbasn1.INTEGER) ||
			!seq.ReadASN1(&set, cbasn1.SET) || len(seq) != 0 {
			return bad()
		}
		if ver != 0 {
			return &ParseError{Kind: kind, Field: "document type list", Err: ErrUnsupportedVersion}
		}
		c.DocumentTypes = []string{}
		for len(set) > 0 {
			var dt cryptobyte.String
			if !set.ReadASN1(&dt, cbasn1.PrintableString) {
				return bad()
			}
			c.DocumentTypes = append(c.DocumentTypes, string(dt))
		}
	case e.OID.Equal(OIDExtCRLDistributionPoints):
		uris, ok := parseCRLDistributionPoints(v)
		if !ok {
			return bad()
		}
		c.CRLDistributionPoints = uris
	case e.OID.Equal(OIDExtNameChange):
		c.NameChange = true
	case e.OID.Equal(OIDExtExtendedKeyUsage):
		var seq cryptobyte.String
		if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || len(v) != 0 {
			return bad()
		}
		for len(seq) > 0 {
			var o asn1.ObjectIdentifier
			if !seq.ReadASN1ObjectIdentifier(&o) {
				return bad()
			}
			c.ExtKeyUsage = append(c.ExtKeyUsage, o)
		}
	default:
		// Subject/issuer alternative names and certificate policies are
		// informational in the eMRTD PKI and not processed.
		handled := e.OID.Equal(OIDExtSubjectAltName) || e.OID.Equal(OIDExtIssuerAltName) || e.OID.Equal(OIDExtCertificatePolicies)
		if e.Critical && !handled {
			c.UnhandledCritical = append(c.UnhandledCritical, e.OID)
		}
	}
	return nil
}

// parseCRLDistributionPoints returns the uniformResourceIdentifier names of
// the fullName of each distribution point.
func parseCRLDistributionPoints(v cryptobyte.String) ([]string, bool) {
	var seq cryptobyte.String
	if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || len(v) != 0 {
		return nil, false
	}
	uris := []string{}
	for len(seq) > 0 {
		var dp, dpName cryptobyte.String
		var present bool
		if !seq.ReadASN1(&dp, cbasn1.SEQUENCE) || !dp.ReadOptionalASN1(&dpName, &present, tagged(0)) {
			return nil, false
		}
		if !present {
			continue
		}
		var full cryptobyte.String
		if !dpName.ReadOptionalASN1(&full, &present, tagged(0)) {
			return nil, false
		}
		for present && len(full) > 0 {
			var gn cryptobyte.String
			var tag cbasn1.Tag
			if !full.ReadAnyASN1(&gn, &tag) {
				return nil, false
			}
			if tag == implicit(6) {
				uris = append(uris, string(gn))
			}
		}
	}
	return uris, true
}

// IsSelfIssued reports whether issuer and subject names match.
func (c *Certificate) IsSelfIssued() bool { return c.Issuer.Equal(c.Subject) }

// CheckSignature verifies that signature over signed was made with the
// certificate's key by algorithm alg.
func (c *Certificate) CheckSignature(alg SignatureAlgorithm, signed, signature []byte) error {
	if c.PublicKey.Key == nil {
		return c.PublicKey.Err
	}
	return checkSignature(alg, c.PublicKey.Key, signed, signature)
}

// CheckSignatureFrom verifies that parent issued c: the issuer name of c
// matches the subject of parent, the key identifiers agree when both are
// present, the two signature algorithm fields of c are equal, and parent's
// key verifies the signature over c's tbsCertificate. It does not check
// validity periods or key usage (see Chain).
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if !c.Issuer.Equal(parent.Subject) {
		return ErrNameMismatch
	}
	if c.AuthorityKeyID != nil && parent.SubjectKeyID != nil && !bytes.Equal(c.AuthorityKeyID, parent.SubjectKeyID) {
		return fmt.Errorf("%w: authority key identifier differs from the issuer's subject key identifier", ErrNameMismatch)
	}
	if !bytes.Equal(c.TBSSignatureAlgorithm, c.SignatureAlgorithm.Raw) {
		return fmt.Errorf("%w: signature algorithm fields differ", ErrBadSignature)
	}
	return parent.CheckSignature(c.SignatureAlgorithm, c.RawTBS, c.Signature)
}

// ValidAt reports whether t is inside [NotBefore, NotAfter].
func (c *Certificate) ValidAt(t time.Time) bool {
	return !t.Before(c.NotBefore) && !t.After(c.NotAfter)
}

func (c *Certificate) String() string {
	return fmt.Sprintf("%s (serial %x)", c.Subject, c.SerialNumber)
}

// readOptionalBool reads a BOOLEAN DEFAULT FALSE; DER forbids encoding the
// default, so an explicit FALSE is refused.
func readOptionalBool(s *cryptobyte.String, out *bool) bool {
	*out = false
	if !s.PeekASN1Tag(cbasn1.BOOLEAN) {
		return true
	}
	return s.ReadASN1Boolean(out) && *out
}
