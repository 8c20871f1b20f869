package conform

import (
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strings"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/crypto/pki"
)

// Role is the place of a certificate in the eMRTD PKI; the profile of
// Doc 9303-12 Table 6 differs by role.
type Role int

// The roles of Doc 9303-12 §7.1.1 Table 6.
const (
	RoleCSCA Role = iota + 1 // self-signed CSCA root
	RoleLink                 // CSCA link certificate (a new CSCA key signed with the old)
	RoleDocumentSigner
	RoleMasterListSigner
	RoleDeviationListSigner
)

func (r Role) String() string {
	switch r {
	case RoleCSCA:
		return "CSCA certificate"
	case RoleLink:
		return "CSCA link certificate"
	case RoleDocumentSigner:
		return "Document Signer certificate"
	case RoleMasterListSigner:
		return "Master List Signer certificate"
	case RoleDeviationListSigner:
		return "Deviation List Signer certificate"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

func (r Role) isCA() bool { return r == RoleCSCA || r == RoleLink }

// OIDDeviationListSigningKey is the extended key usage of a Deviation List
// Signer (Doc 9303-12 §7.1.1.3).
var OIDDeviationListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 8}

var (
	oidPolicyMappings       = asn1.ObjectIdentifier{2, 5, 29, 33}
	oidSubjectDirAttributes = asn1.ObjectIdentifier{2, 5, 29, 9}
	oidNameConstraints      = asn1.ObjectIdentifier{2, 5, 29, 30}
	oidPolicyConstraints    = asn1.ObjectIdentifier{2, 5, 29, 36}
	oidFreshestCRL          = asn1.ObjectIdentifier{2, 5, 29, 46}
	oidInhibitAnyPolicy     = asn1.ObjectIdentifier{2, 5, 29, 54}
	oidNetscapeCertType     = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 1}
	oidAuthorityInfoAccess  = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}
	oidSubjectInfoAccess    = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 11}
)

// report collects findings about one object.
type report struct {
	object string
	out    []Finding
}

func (r *report) add(rule Rule, offset int, format string, args ...any) {
	r.out = append(r.out, Finding{Rule: rule, Object: r.object, Offset: offset, Detail: fmt.Sprintf(format, args...)})
}

// CheckCertificate checks c against the profile of its role (Doc 9303-12
// §7.1.1). It does not verify signatures or chains (crypto/pki does).
func CheckCertificate(c *pki.Certificate, role Role) []Finding {
	r := &report{object: role.String()}
	if c == nil {
		return nil
	}
	checkCertEncoding(r, c)
	checkCertExtensions(r, c, role)
	return r.out
}

// checkCertEncoding reads tbsCertificate again for what the parsed
// certificate does not keep: serial number octets, time types, unique
// identifiers, string types of names.
func checkCertEncoding(r *report, c *pki.Certificate) {
	if c.Version != 3 {
		r.add(CertVersion, -1, "version %d", c.Version)
	}
	if string(c.TBSSignatureAlgorithm) != string(c.SignatureAlgorithm.Raw) {
		r.add(CertSignatureAlgorithm, -1, "tbsCertificate signature differs from signatureAlgorithm")
	}
	whole := c.Raw
	s := cryptobyte.String(c.Raw)
	var cert, tbs cryptobyte.String
	if !s.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return
	}
	if !tbs.SkipOptionalASN1(tagged(0)) {
		return
	}
	serialOff := len(whole) - len(tbs)
	var serial cryptobyte.String
	if !tbs.ReadASN1(&serial, cbasn1.INTEGER) {
		return
	}
	switch {
	case len(serial) > 20:
		r.add(CertSerialNumber, serialOff, "serial number of %d octets", len(serial))
	case c.SerialNumber == nil || c.SerialNumber.Sign() <= 0:
		r.add(CertSerialNumber, serialOff, "serial number is not positive")
	}
	if !tbs.SkipASN1(cbasn1.SEQUENCE) {
		return
	}
	issuerOff := len(whole) - len(tbs)
	issuer, ok := readRawName(&tbs)
	if !ok {
		return
	}
	var validity cryptobyte.String
	if !tbs.ReadASN1(&validity, cbasn1.SEQUENCE) {
		return
	}
	for _, name := range []string{"notBefore", "notAfter"} {
		t, ok := readRawTime(&validity, whole)
		if !ok {
			return
		}
		if msg := checkTime(t); msg != "" {
			r.add(CertValidity, t.offset, "%s: %s", name, msg)
		}
	}
	subjectOff := len(whole) - len(tbs)
	subject, ok := readRawName(&tbs)
	if !ok {
		return
	}
	if !tbs.SkipASN1(cbasn1.SEQUENCE) {
		return
	}
	for _, n := range []uint8{1, 2} {
		if tbs.PeekASN1Tag(implicit(n)) {
			r.add(CertUniqueIdentifiers, len(whole)-len(tbs), "%s present", map[uint8]string{1: "issuerUniqueID", 2: "subjectUniqueID"}[n])
			tbs.SkipASN1(implicit(n))
		}
	}
	for _, n := range []struct {
		which string
		off   int
		attrs []nameAttr
	}{{"issuer", issuerOff, issuer}, {"subject", subjectOff, subject}} {
		if msg := checkCountry(n.attrs); msg != "" {
			r.add(CertCountry, n.off, "%s: %s", n.which, msg)
		}
		if _, ok := findAttr(n.attrs, oidCommonName); !ok {
			r.add(CertCommonName, n.off, "%s has no commonName", n.which)
		}
	}
	ic, _ := findAttr(issuer, oidCountry)
	sc, _ := findAttr(subject, oidCountry)
	if ic.value != "" && sc.value != "" && !strings.EqualFold(ic.value, sc.value) {
		r.add(CertCountry, subjectOff, "subject countryName %q differs from issuer countryName %q", sc.value, ic.value)
	}
}

func findExt(c *pki.Certificate, oid asn1.ObjectIdentifier) (pki.Extension, bool) {
	for _, e := range c.Extensions {
		if e.OID.Equal(oid) {
			return e, true
		}
	}
	return pki.Extension{}, false
}

func checkCertExtensions(r *report, c *pki.Certificate, role Role) {
	// nonCritical: extensions the profile marks nc.
	nonCritical := map[string]bool{}
	for _, o := range []asn1.ObjectIdentifier{pki.OIDExtAuthorityKeyID, pki.OIDExtSubjectKeyID, pki.OIDExtPrivateKeyUsagePeriod,
		pki.OIDExtCertificatePolicies, pki.OIDExtSubjectAltName, pki.OIDExtIssuerAltName, pki.OIDExtCRLDistributionPoints,
		oidAuthorityInfoAccess, oidSubjectInfoAccess, pki.OIDExtNameChange, pki.OIDExtDocumentTypeList} {
		nonCritical[o.String()] = true
	}
	for _, e := range c.Extensions {
		if nonCritical[e.OID.String()] && e.Critical {
			r.add(CertNonCritical, -1, "extension %s is critical", e.OID)
		}
	}

	// AuthorityKeyIdentifier: o for a self-signed CSCA, m otherwise.
	if _, ok := findExt(c, pki.OIDExtAuthorityKeyID); ok {
		if c.AuthorityKeyID == nil {
			r.add(CertAuthorityKeyID, -1, "authorityKeyIdentifier without keyIdentifier")
		}
	} else if role != RoleCSCA {
		r.add(CertAuthorityKeyID, -1, "no authorityKeyIdentifier")
	}
	// SubjectKeyIdentifier: m for CSCA and link.
	if _, ok := findExt(c, pki.OIDExtSubjectKeyID); !ok && role.isCA() {
		r.add(CertSubjectKeyID, -1, "no subjectKeyIdentifier")
	}
	// KeyUsage: m/c for all.
	if ku, ok := findExt(c, pki.OIDExtKeyUsage); !ok {
		r.add(CertKeyUsage, -1, "no keyUsage")
	} else {
		if !ku.Critical {
			r.add(CertKeyUsage, -1, "keyUsage is not critical")
		}
		const caBits = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
		if role.isCA() {
			if c.KeyUsage&caBits != caBits {
				r.add(CertKeyUsage, -1, "keyUsage lacks keyCertSign or cRLSign")
			}
		} else {
			if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
				r.add(CertKeyUsage, -1, "keyUsage lacks digitalSignature")
			}
			if c.KeyUsage&caBits != 0 {
				r.add(CertKeyUsage, -1, "keyUsage of a signer asserts keyCertSign or cRLSign")
			}
		}
	}
	// PrivateKeyUsagePeriod: m for CSCA, link, DS.
	if p := c.PrivateKeyUsagePeriod; p == nil {
		if role.isCA() || role == RoleDocumentSigner {
			r.add(CertPrivateKeyUsagePeriod, -1, "no privateKeyUsagePeriod")
		}
	} else if p.NotBefore.IsZero() && p.NotAfter.IsZero() {
		r.add(CertPrivateKeyUsagePeriod, -1, "privateKeyUsagePeriod has neither notBefore nor notAfter")
	}
	// Alternative names: m for every role.
	for _, alt := range []struct {
		oid  asn1.ObjectIdentifier
		name string
	}{{pki.OIDExtSubjectAltName, "subjectAltName"}, {pki.OIDExtIssuerAltName, "issuerAltName"}} {
		e, ok := findExt(c, alt.oid)
		if !ok {
			r.add(CertAltNames, -1, "no %s", alt.name)
			continue
		}
		has, good := hasDirectoryNameWithLocality(e.Value)
		switch {
		case !good:
			r.add(CertAltNames, -1, "%s is not well-formed GeneralNames", alt.name)
		case !has:
			r.add(CertAltNames, -1, "%s has no directoryName with localityName", alt.name)
		}
	}
	// BasicConstraints: m/c for CSCA and link, x otherwise.
	if bc, ok := findExt(c, pki.OIDExtBasicConstraints); ok {
		if !role.isCA() {
			r.add(CertBasicConstraints, -1, "basicConstraints in a %s", role)
		} else {
			if !bc.Critical {
				r.add(CertBasicConstraints, -1, "basicConstraints is not critical")
			}
			if !c.IsCA {
				r.add(CertBasicConstraints, -1, "cA is not TRUE")
			}
			if c.MaxPathLen != 0 {
				r.add(CertBasicConstraints, -1, "pathLenConstraint is not 0")
			}
		}
	} else if role.isCA() {
		r.add(CertBasicConstraints, -1, "no basicConstraints")
	}
	// ExtKeyUsage: x for CSCA, link, DS; m/c with the list OID for list signers.
	eku, hasEKU := findExt(c, pki.OIDExtExtendedKeyUsage)
	switch role {
	case RoleMasterListSigner, RoleDeviationListSigner:
		want := pki.OIDCSCAMasterListSigningKey
		if role == RoleDeviationListSigner {
			want = OIDDeviationListSigningKey
		}
		switch {
		case !hasEKU:
			r.add(CertExtKeyUsage, -1, "no extKeyUsage")
		case !eku.Critical:
			r.add(CertExtKeyUsage, -1, "extKeyUsage is not critical")
		}
		if hasEKU && !containsOID(c.ExtKeyUsage, want) {
			r.add(CertExtKeyUsage, -1, "extKeyUsage lacks %s", want)
		}
	default:
		if hasEKU {
			r.add(CertExtKeyUsage, -1, "extKeyUsage in a %s", role)
		}
	}
	// CRLDistributionPoints: m for every role here.
	if _, ok := findExt(c, pki.OIDExtCRLDistributionPoints); !ok {
		r.add(CertCRLDistributionPoints, -1, "no cRLDistributionPoints")
	} else {
		for _, u := range c.CRLDistributionPoints {
			l := strings.ToLower(u)
			if !strings.HasPrefix(l, "ldap://") && !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
				r.add(CertCRLDistributionPoints, -1, "distribution point URI of scheme other than ldap, http, https")
			}
		}
	}
	// DocumentTypeList: m/nc for DS, x otherwise.
	_, hasDT := findExt(c, pki.OIDExtDocumentTypeList)
	switch {
	case role == RoleDocumentSigner && !hasDT:
		r.add(CertDocumentTypeList, -1, "no DocumentTypeList")
	case role == RoleDocumentSigner && len(c.DocumentTypes) == 0:
		r.add(CertDocumentTypeList, -1, "empty DocumentTypeList")
	case role != RoleDocumentSigner && hasDT:
		r.add(CertDocumentTypeList, -1, "DocumentTypeList in a %s", role)
	}
	// Forbidden extensions.
	for _, f := range []struct {
		oid  asn1.ObjectIdentifier
		name string
	}{{oidPolicyMappings, "policyMappings"}, {oidSubjectDirAttributes, "subjectDirectoryAttributes"},
		{oidNameConstraints, "nameConstraints"}, {oidPolicyConstraints, "policyConstraints"},
		{oidFreshestCRL, "freshestCRL"}, {oidInhibitAnyPolicy, "inhibitAnyPolicy"},
		{oidNetscapeCertType, "Netscape certificate type"}} {
		if _, ok := findExt(c, f.oid); ok {
			r.add(CertForbiddenExtension, -1, "%s present", f.name)
		}
	}
	if _, ok := findExt(c, pki.OIDExtNameChange); ok && !role.isCA() {
		r.add(CertForbiddenExtension, -1, "NameChange in a %s", role)
	}
	// Unknown critical extensions.
	known := map[string]bool{}
	for _, o := range []asn1.ObjectIdentifier{pki.OIDExtKeyUsage, pki.OIDExtBasicConstraints, pki.OIDExtExtendedKeyUsage} {
		known[o.String()] = true
	}
	for _, e := range c.Extensions {
		if e.Critical && !known[e.OID.String()] && !nonCritical[e.OID.String()] {
			r.add(CertUnknownCritical, -1, "critical extension %s", e.OID)
		}
	}
}

func containsOID(list []asn1.ObjectIdentifier, o asn1.ObjectIdentifier) bool {
	for _, l := range list {
		if l.Equal(o) {
			return true
		}
	}
	return false
}

var (
	oidDeltaCRLIndicator   = asn1.ObjectIdentifier{2, 5, 29, 27}
	oidIssuingDistPoint    = asn1.ObjectIdentifier{2, 5, 29, 28}
	oidReasonCode          = asn1.ObjectIdentifier{2, 5, 29, 21}
	oidHoldInstructionCode = asn1.ObjectIdentifier{2, 5, 29, 23}
	oidInvalidityDate      = asn1.ObjectIdentifier{2, 5, 29, 24}
	oidCertificateIssuer   = asn1.ObjectIdentifier{2, 5, 29, 29}
)

// CheckCRL checks a CSCA's CRL against Doc 9303-12 §7.1.4. With issuer
// set, the authority key identifier is compared with its subject key
// identifier.
func CheckCRL(l *pki.CRL, issuer *pki.Certificate) []Finding {
	if l == nil {
		return nil
	}
	r := &report{object: "CRL"}
	if l.Version != 2 {
		r.add(CRLVersion, -1, "version %d", l.Version)
	}
	if string(l.TBSSignatureAlgorithm) != string(l.SignatureAlgorithm.Raw) {
		r.add(CRLSignatureAlgorithm, -1, "tbsCertList signature differs from signatureAlgorithm")
	}
	if l.NextUpdate.IsZero() {
		r.add(CRLNextUpdate, -1, "no nextUpdate")
	}
	// Raw pass: issuer string types, time types, an empty revoked list.
	whole := l.Raw
	s := cryptobyte.String(l.Raw)
	var cl, tbs cryptobyte.String
	if s.ReadASN1(&cl, cbasn1.SEQUENCE) && cl.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		func() {
			if tbs.PeekASN1Tag(cbasn1.INTEGER) && !tbs.SkipASN1(cbasn1.INTEGER) {
				return
			}
			if !tbs.SkipASN1(cbasn1.SEQUENCE) {
				return
			}
			off := len(whole) - len(tbs)
			issuerAttrs, ok := readRawName(&tbs)
			if !ok {
				return
			}
			if msg := checkCountry(issuerAttrs); msg != "" {
				r.add(CRLIssuerCountry, off, "%s", msg)
			}
			for _, name := range []string{"thisUpdate", "nextUpdate"} {
				if !tbs.PeekASN1Tag(cbasn1.UTCTime) && !tbs.PeekASN1Tag(cbasn1.GeneralizedTime) {
					break
				}
				t, ok := readRawTime(&tbs, whole)
				if !ok {
					return
				}
				if msg := checkTime(t); msg != "" {
					r.add(CRLTimeEncoding, t.offset, "%s: %s", name, msg)
				}
			}
			if tbs.PeekASN1Tag(cbasn1.SEQUENCE) {
				off := len(whole) - len(tbs)
				var rev cryptobyte.String
				if tbs.ReadASN1(&rev, cbasn1.SEQUENCE) && len(rev) == 0 {
					r.add(CRLRevokedCertificates, off, "revokedCertificates present and empty")
				}
			}
		}()
	}
	var aki, num *pki.Extension
	for i := range l.Extensions {
		e := &l.Extensions[i]
		switch {
		case e.OID.Equal(pki.OIDExtAuthorityKeyID):
			aki = e
		case e.OID.Equal(pki.OIDExtCRLNumber):
			num = e
		case e.OID.Equal(oidDeltaCRLIndicator), e.OID.Equal(oidIssuingDistPoint), e.OID.Equal(oidFreshestCRL):
			r.add(CRLForbiddenExtension, -1, "CRL extension %s present", e.OID)
		default:
			if e.Critical {
				r.add(CRLForbiddenExtension, -1, "extension %s is critical", e.OID)
			}
		}
	}
	switch {
	case aki == nil || l.AuthorityKeyID == nil:
		r.add(CRLAuthorityKeyID, -1, "no authorityKeyIdentifier with keyIdentifier")
	case aki.Critical:
		r.add(CRLAuthorityKeyID, -1, "authorityKeyIdentifier is critical")
	case issuer != nil && issuer.SubjectKeyID != nil && string(issuer.SubjectKeyID) != string(l.AuthorityKeyID):
		r.add(CRLAuthorityKeyID, -1, "authorityKeyIdentifier differs from the issuer's subjectKeyIdentifier")
	}
	switch {
	case num == nil || l.Number == nil:
		r.add(CRLNumber, -1, "no cRLNumber")
	case num.Critical:
		r.add(CRLNumber, -1, "cRLNumber is critical")
	case l.Number.Sign() < 0:
		r.add(CRLNumber, -1, "cRLNumber is negative")
	case len(l.Number.Bytes()) > 20 || l.Number.Cmp(new(big.Int).Lsh(big.NewInt(1), 159)) >= 0:
		r.add(CRLNumber, -1, "cRLNumber longer than 20 octets")
	}
	for _, rc := range l.Revoked {
		for _, e := range rc.Extensions {
			switch {
			case e.OID.Equal(oidReasonCode), e.OID.Equal(oidHoldInstructionCode), e.OID.Equal(oidInvalidityDate), e.OID.Equal(oidCertificateIssuer):
				r.add(CRLForbiddenExtension, -1, "entry extension %s present", e.OID)
			case e.Critical:
				r.add(CRLForbiddenExtension, -1, "entry extension %s is critical", e.OID)
			}
		}
	}
	return r.out
}
