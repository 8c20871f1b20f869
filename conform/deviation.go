package conform

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// Deviation lists (ICAO Doc 9303-12 §10): an issuing state publishes, in a
// CMS SignedData signed by a Deviation List Signer its CSCA issued, the
// deviations from Doc 9303 that some of its documents carry. A verifier
// that trusts the list reports a finding the list covers as a known
// deviation (Finding.Known) instead of failing the document on it.
//
//	DeviationList ::= SEQUENCE {
//	    version         INTEGER {v0(0)},
//	    digestAlgorithm AlgorithmIdentifier OPTIONAL,
//	    deviations      SET OF Deviation }
//	Deviation ::= SEQUENCE {
//	    documents    DeviationDocuments,
//	    descriptions SET OF DeviationDescription }
//	DeviationDescription ::= SEQUENCE {
//	    description   PrintableString OPTIONAL,
//	    deviationType OBJECT IDENTIFIER,
//	    parameters    [0] ANY DEFINED BY deviationType OPTIONAL,
//	    nationalUse   [1] ANY OPTIONAL }
//	DeviationDocuments ::= SEQUENCE {
//	    documentType    [0] PrintableString (SIZE(2)) OPTIONAL,
//	    dscIdentifier   DocumentSignerIdentifier OPTIONAL,
//	    issuingDate     [4] IssuancePeriod OPTIONAL,
//	    documentNumbers [5] SET OF PrintableString OPTIONAL }
//	DocumentSignerIdentifier ::= CHOICE {
//	    issuerAndSerialNumber [1] IssuerAndSerialNumber,
//	    subjectKeyIdentifier  [2] SubjectKeyIdentifier,
//	    certificateDigest     [3] Digest }
//	IssuancePeriod ::= SEQUENCE { firstIssued GeneralizedTime, lastIssued GeneralizedTime }
//
// The module has IMPLICIT TAGS: [0] documentType is a primitive [0], [1]
// a constructed IssuerAndSerialNumber, [4] and [5] constructed; the [0]
// and [1] of ANY are explicit (an ANY cannot be tagged implicitly).

// Deviation types of Doc 9303-12 §10.
var (
	OIDDeviationCertOrKey          = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1}
	OIDDeviationDSSignature        = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 1}
	OIDDeviationDSEncoding         = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 2}
	OIDDeviationCSCAEncoding       = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 3}
	OIDDeviationAAKeyCompromised   = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 1, 4}
	OIDDeviationLDS                = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2}
	OIDDeviationDGMalformed        = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 1}
	OIDDeviationDGHashWrong        = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 2}
	OIDDeviationSODSignatureWrong  = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 3}
	OIDDeviationCOMInconsistent    = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 2, 4}
	OIDDeviationMRZ                = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 3}
	OIDDeviationMRZWrongData       = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 3, 1}
	OIDDeviationMRZWrongCheckDigit = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 3, 2}
	OIDDeviationChip               = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 4}
	OIDDeviationNationalUse        = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7, 5}
)

// Datagroup parameter values of Doc 9303-12 §10 (1 to 16 are DG1..DG16).
const (
	DatagroupSOD = 20
	DatagroupCOM = 21
)

// MRZField parameter values of Doc 9303-12 §10.
const (
	MRZGeneric = iota
	MRZDocumentCode
	MRZIssuingState
	MRZPersonName
	MRZDocumentNumber
	MRZNationality
	MRZDateOfBirth
	MRZSex
	MRZDateOfExpiry
	MRZOptionalData
)

// CertificateBodyField parameter values of Doc 9303-12 §10.
const (
	CertGeneric = iota
	CertFieldVersion
	CertFieldSerialNumber
	CertFieldSignature
	CertFieldIssuer
	CertFieldValidity
	CertFieldSubject
	CertFieldSubjectPublicKeyInfo
	CertFieldIssuerUniqueID
	CertFieldSubjectUniqueID
)

// Errors of deviation lists.
var (
	// ErrDeviationList wraps every error about a deviation list's
	// structure.
	ErrDeviationList = errors.New("conform: malformed deviation list")
	// ErrDeviationListNotVerified: ApplyDeviations was given a list whose
	// signature and trust path were not verified.
	ErrDeviationListNotVerified = errors.New("conform: deviation list not verified")
)

// MaxDeviations bounds the deviations (and descriptions per deviation) a
// list may hold.
const MaxDeviations = 4096

// DeviationList is a parsed ICAO deviation list.
type DeviationList struct {
	Version int
	// DigestAlgorithm is the algorithm of certificateDigest identifiers
	// (SHA-256 when the list names none).
	DigestAlgorithm crypto.Hash
	Deviations      []Deviation
	// Signer is the Deviation List Signer certificate; Verified is set
	// by VerifyDeviationList once its signature and trust path verified,
	// and Issuer is then the country of the CSCA it chains to.
	Signer   *pki.Certificate
	Verified bool
	Issuer   string
}

// Deviation is one entry: which documents, and how they deviate.
type Deviation struct {
	Documents    DeviationDocuments
	Descriptions []DeviationDescription
}

// DeviationDocuments selects documents; every criterion present must
// hold (a logical AND).
type DeviationDocuments struct {
	// DocumentType is the MRZ document code ("P<", "ID"), "" when absent.
	DocumentType string
	// The Document Signer: by issuer (DER name) and serial number, by
	// subject key identifier, or by the digest of its certificate.
	DSIssuer       []byte
	DSSerialNumber *big.Int
	DSSubjectKeyID []byte
	DSDigest       []byte
	// FirstIssued and LastIssued bound the date of issue; zero when
	// absent.
	FirstIssued, LastIssued time.Time
	// DocumentNumbers lists document numbers; nil when absent.
	DocumentNumbers []string
}

// DeviationDescription is one deviation.
type DeviationDescription struct {
	Description string
	Type        asn1.ObjectIdentifier
	// Parameters is the DER of the parameters (the value inside [0]),
	// nil when absent; NationalUse likewise for [1].
	Parameters  []byte
	NationalUse []byte
}

func dlErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDeviationList, fmt.Sprintf(format, args...))
}

// ParseDeviationList parses the ContentInfo of a deviation list without
// verifying its signature (see VerifyDeviationList).
func ParseDeviationList(der []byte) (*DeviationList, error) {
	sd, err := pki.ParseSignedData(der)
	if err != nil {
		return nil, err
	}
	return parseDeviationListContent(sd)
}

func parseDeviationListContent(sd *pki.SignedData) (*DeviationList, error) {
	if !sd.ContentType.Equal(pki.OIDDeviationList) {
		return nil, dlErr("eContentType %s", sd.ContentType)
	}
	l, err := parseDeviationListBody(sd.Content)
	if err != nil {
		return nil, err
	}
	if len(sd.SignerInfos) == 1 {
		l.Signer, _ = sd.SignerCertificate(sd.SignerInfos[0])
	}
	return l, nil
}

func parseDeviationListBody(content []byte) (*DeviationList, error) {
	s := cryptobyte.String(content)
	var seq, set cryptobyte.String
	var ver int64
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || len(s) != 0 || !seq.ReadASN1Int64WithTag(&ver, cbasn1.INTEGER) {
		return nil, dlErr("DeviationList")
	}
	if ver != 0 {
		return nil, dlErr("version %d", ver)
	}
	l := &DeviationList{Version: int(ver), DigestAlgorithm: crypto.SHA256}
	if seq.PeekASN1Tag(cbasn1.SEQUENCE) {
		var alg cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !seq.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
			return nil, dlErr("digestAlgorithm")
		}
		if l.DigestAlgorithm = pki.HashFromOID(oid); l.DigestAlgorithm == 0 {
			return nil, dlErr("digestAlgorithm %s", oid)
		}
	}
	if !seq.ReadASN1(&set, cbasn1.SET) || len(seq) != 0 {
		return nil, dlErr("deviations")
	}
	for len(set) > 0 {
		if len(l.Deviations) >= MaxDeviations {
			return nil, dlErr("more than %d deviations", MaxDeviations)
		}
		var dev, docs, descs cryptobyte.String
		if !set.ReadASN1(&dev, cbasn1.SEQUENCE) || !dev.ReadASN1(&docs, cbasn1.SEQUENCE) || !dev.ReadASN1(&descs, cbasn1.SET) || len(dev) != 0 {
			return nil, dlErr("Deviation %d", len(l.Deviations)+1)
		}
		d := Deviation{}
		if err := parseDeviationDocuments(docs, &d.Documents); err != nil {
			return nil, fmt.Errorf("%w (deviation %d)", err, len(l.Deviations)+1)
		}
		for len(descs) > 0 {
			if len(d.Descriptions) >= MaxDeviations {
				return nil, dlErr("more than %d descriptions", MaxDeviations)
			}
			var desc cryptobyte.String
			var dd DeviationDescription
			if !descs.ReadASN1(&desc, cbasn1.SEQUENCE) {
				return nil, dlErr("DeviationDescription")
			}
			if desc.PeekASN1Tag(cbasn1.PrintableString) {
				var v cryptobyte.String
				desc.ReadASN1(&v, cbasn1.PrintableString)
				dd.Description = string(v)
			}
			if !desc.ReadASN1ObjectIdentifier(&dd.Type) {
				return nil, dlErr("deviationType")
			}
			for _, n := range []struct {
				tag cbasn1.Tag
				out *[]byte
			}{{tagged(0), &dd.Parameters}, {tagged(1), &dd.NationalUse}} {
				if desc.PeekASN1Tag(n.tag) {
					var v cryptobyte.String
					if !desc.ReadASN1(&v, n.tag) {
						return nil, dlErr("DeviationDescription parameters")
					}
					*n.out = bytes.Clone(v)
				}
			}
			if len(desc) != 0 {
				return nil, dlErr("DeviationDescription")
			}
			d.Descriptions = append(d.Descriptions, dd)
		}
		if len(d.Descriptions) == 0 {
			return nil, dlErr("deviation %d without description", len(l.Deviations)+1)
		}
		l.Deviations = append(l.Deviations, d)
	}
	return l, nil
}

func parseDeviationDocuments(s cryptobyte.String, d *DeviationDocuments) error {
	if s.PeekASN1Tag(implicit(0)) {
		var v cryptobyte.String
		s.ReadASN1(&v, implicit(0))
		d.DocumentType = string(v)
	}
	switch {
	case s.PeekASN1Tag(tagged(1)):
		var ias cryptobyte.String
		var name cryptobyte.String
		d.DSSerialNumber = new(big.Int)
		if !s.ReadASN1(&ias, tagged(1)) || !ias.ReadASN1Element(&name, cbasn1.SEQUENCE) || !ias.ReadASN1Integer(d.DSSerialNumber) || len(ias) != 0 {
			return dlErr("issuerAndSerialNumber")
		}
		d.DSIssuer = bytes.Clone(name)
	case s.PeekASN1Tag(implicit(2)):
		var v cryptobyte.String
		s.ReadASN1(&v, implicit(2))
		d.DSSubjectKeyID = bytes.Clone(v)
	case s.PeekASN1Tag(implicit(3)):
		var v cryptobyte.String
		s.ReadASN1(&v, implicit(3))
		d.DSDigest = bytes.Clone(v)
	}
	if s.PeekASN1Tag(tagged(4)) {
		var p cryptobyte.String
		if !s.ReadASN1(&p, tagged(4)) || !p.ReadASN1GeneralizedTime(&d.FirstIssued) || !p.ReadASN1GeneralizedTime(&d.LastIssued) || len(p) != 0 {
			return dlErr("issuingDate")
		}
	}
	if s.PeekASN1Tag(tagged(5)) {
		var set cryptobyte.String
		if !s.ReadASN1(&set, tagged(5)) {
			return dlErr("documentNumbers")
		}
		d.DocumentNumbers = []string{}
		for len(set) > 0 {
			var v cryptobyte.String
			if !set.ReadASN1(&v, cbasn1.PrintableString) || len(d.DocumentNumbers) >= MaxDeviations {
				return dlErr("documentNumbers")
			}
			d.DocumentNumbers = append(d.DocumentNumbers, string(v))
		}
	}
	if len(s) != 0 {
		return dlErr("DeviationDocuments")
	}
	return nil
}

// VerifyDeviationList parses a deviation list and verifies it on the one
// trust path of crypto/pki, as a master list is verified: one signer, its
// signed attributes and signature, a Deviation List Signer certificate
// (extended key usage id-icao-DeviationListSigningKey) chaining to a CSCA
// of trust, valid at the signing time, not revoked. Doc 9303-12 §10.1
// requires the signing-time attribute: a list without it is refused. The
// list is returned as far as it was read, Verified only when all held.
func VerifyDeviationList(der []byte, trust *pki.TrustStore, config *pki.VerifyConfig) (*DeviationList, error) {
	if trust == nil {
		return nil, fmt.Errorf("%w: no trust store", ErrDeviationListNotVerified)
	}
	so, err := pki.VerifySignedObject(der, pki.OIDDeviationList, trust, pki.RoleDeviationListSigner, config)
	if so == nil || so.SignedData == nil {
		return nil, err
	}
	l, perr := parseDeviationListContent(so.SignedData)
	if perr != nil {
		return nil, perr
	}
	if err != nil {
		return l, fmt.Errorf("%w: %w", ErrDeviationListNotVerified, err)
	}
	if so.SigningTime.IsZero() {
		return l, fmt.Errorf("%w: no signing-time attribute (Doc 9303-12 §10.1)", ErrDeviationListNotVerified)
	}
	l.Signer = so.Signer
	if a := so.Path.Anchor(); a != nil {
		l.Issuer = a.Subject.Country()
	}
	l.Verified = true
	return l, nil
}

// CreateDeviationList encodes l (version 0, without digestAlgorithm
// unless l names one other than SHA-256) and signs it as a Doc 9303-12
// §10 deviation list by signer, whose certificate is cert (a Deviation
// List Signer issued by the CSCA). config.SigningTime is required.
func CreateDeviationList(l *DeviationList, signer crypto.Signer, cert *pki.Certificate, config *pki.SignedDataConfig) ([]byte, error) {
	if config == nil || config.SigningTime.IsZero() {
		return nil, errors.New("conform: a deviation list needs a signing time (Doc 9303-12 §10.1)")
	}
	content, err := l.marshal()
	if err != nil {
		return nil, err
	}
	return pki.SignSignedData(content, pki.OIDDeviationList, signer, cert, config)
}

func (l *DeviationList) marshal() ([]byte, error) {
	var b cryptobyte.Builder
	var err error
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		if l.DigestAlgorithm != 0 && l.DigestAlgorithm != crypto.SHA256 {
			oid := pki.HashOID(l.DigestAlgorithm)
			if oid == nil {
				err = fmt.Errorf("conform: digest algorithm %v", l.DigestAlgorithm)
				return
			}
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid) })
		}
		var devs [][]byte
		for _, d := range l.Deviations {
			var db cryptobyte.Builder
			db.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				d.Documents.marshal(b)
				var descs [][]byte
				for _, dd := range d.Descriptions {
					var eb cryptobyte.Builder
					eb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						if dd.Description != "" {
							b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(dd.Description)) })
						}
						b.AddASN1ObjectIdentifier(dd.Type)
						if dd.Parameters != nil {
							b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { b.AddBytes(dd.Parameters) })
						}
						if dd.NationalUse != nil {
							b.AddASN1(tagged(1), func(b *cryptobyte.Builder) { b.AddBytes(dd.NationalUse) })
						}
					})
					e, eerr := eb.Bytes()
					if eerr != nil {
						err = eerr
						return
					}
					descs = append(descs, e)
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { addSorted(b, descs) })
			})
			e, derr := db.Bytes()
			if derr != nil {
				err = derr
				return
			}
			devs = append(devs, e)
		}
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { addSorted(b, devs) })
	})
	if err != nil {
		return nil, err
	}
	return b.Bytes()
}

func addSorted(b *cryptobyte.Builder, elems [][]byte) {
	elems = slices.Clone(elems)
	slices.SortFunc(elems, bytes.Compare)
	for _, e := range elems {
		b.AddBytes(e)
	}
}

func (d DeviationDocuments) marshal(b *cryptobyte.Builder) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if d.DocumentType != "" {
			b.AddASN1(implicit(0), func(b *cryptobyte.Builder) { b.AddBytes([]byte(d.DocumentType)) })
		}
		switch {
		case d.DSIssuer != nil && d.DSSerialNumber != nil:
			b.AddASN1(tagged(1), func(b *cryptobyte.Builder) {
				b.AddBytes(d.DSIssuer)
				b.AddASN1BigInt(d.DSSerialNumber)
			})
		case d.DSSubjectKeyID != nil:
			b.AddASN1(implicit(2), func(b *cryptobyte.Builder) { b.AddBytes(d.DSSubjectKeyID) })
		case d.DSDigest != nil:
			b.AddASN1(implicit(3), func(b *cryptobyte.Builder) { b.AddBytes(d.DSDigest) })
		}
		if !d.FirstIssued.IsZero() || !d.LastIssued.IsZero() {
			b.AddASN1(tagged(4), func(b *cryptobyte.Builder) {
				b.AddASN1GeneralizedTime(d.FirstIssued.UTC())
				b.AddASN1GeneralizedTime(d.LastIssued.UTC())
			})
		}
		if d.DocumentNumbers != nil {
			var nums [][]byte
			for _, n := range d.DocumentNumbers {
				var nb cryptobyte.Builder
				nb.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(n)) })
				nums = append(nums, nb.BytesOrPanic())
			}
			b.AddASN1(tagged(5), func(b *cryptobyte.Builder) { addSorted(b, nums) })
		}
	})
}

// DatagroupParam, MRZFieldParam, CertFieldParam and CertExtensionParam
// encode the parameters of the deviation types that take them.
func DatagroupParam(n int) []byte { return intParam(n) }

// MRZFieldParam encodes an MRZField parameter.
func MRZFieldParam(f int) []byte { return intParam(f) }

// CertFieldParam encodes a CertField naming a body field.
func CertFieldParam(f int) []byte { return intParam(f) }

// CertExtensionParam encodes a CertField naming an extension.
func CertExtensionParam(oid asn1.ObjectIdentifier) []byte {
	var b cryptobyte.Builder
	b.AddASN1ObjectIdentifier(oid)
	return b.BytesOrPanic()
}

func intParam(n int) []byte {
	var b cryptobyte.Builder
	b.AddASN1Int64(int64(n))
	return b.BytesOrPanic()
}

// deviationSubject is what a deviation's documents are matched against.
type deviationSubject struct {
	ds             *pki.Certificate
	documentCode   string
	documentNumber string
	issuedAt       time.Time
}

func (d DeviationDocuments) matches(s deviationSubject, h crypto.Hash) bool {
	if d.DocumentType != "" && strings.TrimRight(d.DocumentType, "<") != s.documentCode {
		return false
	}
	if d.DSIssuer != nil || d.DSSubjectKeyID != nil || d.DSDigest != nil {
		if s.ds == nil {
			return false
		}
		switch {
		case d.DSIssuer != nil:
			if !bytes.Equal(d.DSIssuer, s.ds.Issuer.Raw) || d.DSSerialNumber == nil || d.DSSerialNumber.Cmp(s.ds.SerialNumber) != 0 {
				return false
			}
		case d.DSSubjectKeyID != nil:
			if !bytes.Equal(d.DSSubjectKeyID, s.ds.SubjectKeyID) {
				return false
			}
		default:
			if !h.Available() {
				return false
			}
			hh := h.New()
			hh.Write(s.ds.Raw)
			if !bytes.Equal(d.DSDigest, hh.Sum(nil)) {
				return false
			}
		}
	}
	if !d.FirstIssued.IsZero() || !d.LastIssued.IsZero() {
		if s.issuedAt.IsZero() || s.issuedAt.Before(d.FirstIssued) || s.issuedAt.After(d.LastIssued) {
			return false
		}
	}
	if d.DocumentNumbers != nil && !slices.Contains(d.DocumentNumbers, s.documentNumber) {
		return false
	}
	return true
}

// deviationFor says which deviation types, with which parameter, cover a
// finding: the specific type with its parameter, or the category's
// generic type. ok is false for findings no deviation type describes.
func deviationFor(f Finding) (specific asn1.ObjectIdentifier, param []byte, generic asn1.ObjectIdentifier, ok bool) {
	id := f.Rule.ID
	switch {
	case strings.HasPrefix(id, "cert.") || strings.HasPrefix(id, "ds."):
		t := OIDDeviationDSEncoding
		if strings.HasPrefix(f.Object, "CSCA") {
			t = OIDDeviationCSCAEncoding
		}
		return t, certFieldOf(f.Rule), OIDDeviationCertOrKey, true
	case strings.HasPrefix(id, "dg1."):
		t := OIDDeviationMRZWrongData
		if f.Rule.ID == DG1CheckDigits.ID {
			t = OIDDeviationMRZWrongCheckDigit
		}
		return t, mrzFieldOf(f), OIDDeviationMRZ, true
	case id == COMTagList.ID:
		return OIDDeviationCOMInconsistent, nil, OIDDeviationLDS, true
	case strings.HasPrefix(id, "sod.") || strings.HasPrefix(id, "com.") || strings.HasPrefix(id, "dg2.") ||
		strings.HasPrefix(id, "dg14.") || id == LDSFile.ID || id == SecurityInfosDER.ID && f.Object == "DG14":
		n := 0
		switch {
		case f.Object == "EF.SOD":
			n = DatagroupSOD
		case f.Object == "EF.COM":
			n = DatagroupCOM
		case strings.HasPrefix(f.Object, "DG"):
			fmt.Sscanf(f.Object, "DG%d", &n)
		}
		if n == 0 {
			return nil, nil, OIDDeviationLDS, true
		}
		return OIDDeviationDGMalformed, DatagroupParam(n), OIDDeviationLDS, true
	case strings.HasPrefix(id, "cardsecurity.") || strings.HasPrefix(id, "atrinfo.") || strings.HasPrefix(id, "secinfos."):
		return nil, nil, OIDDeviationChip, true
	}
	return nil, nil, nil, false
}

func certFieldOf(r Rule) []byte {
	switch r.ID {
	case CertVersion.ID:
		return CertFieldParam(CertFieldVersion)
	case CertSerialNumber.ID:
		return CertFieldParam(CertFieldSerialNumber)
	case CertSignatureAlgorithm.ID:
		return CertFieldParam(CertFieldSignature)
	case CertValidity.ID:
		return CertFieldParam(CertFieldValidity)
	case CertUniqueIdentifiers.ID:
		return CertFieldParam(CertFieldIssuerUniqueID)
	case CertCountry.ID, CertCommonName.ID:
		return CertFieldParam(CertFieldSubject)
	case CertAuthorityKeyID.ID:
		return CertExtensionParam(pki.OIDExtAuthorityKeyID)
	case CertSubjectKeyID.ID:
		return CertExtensionParam(pki.OIDExtSubjectKeyID)
	case CertKeyUsage.ID:
		return CertExtensionParam(pki.OIDExtKeyUsage)
	case CertPrivateKeyUsagePeriod.ID:
		return CertExtensionParam(pki.OIDExtPrivateKeyUsagePeriod)
	case CertAltNames.ID:
		return CertExtensionParam(pki.OIDExtSubjectAltName)
	case CertBasicConstraints.ID:
		return CertExtensionParam(pki.OIDExtBasicConstraints)
	case CertExtKeyUsage.ID:
		return CertExtensionParam(pki.OIDExtExtendedKeyUsage)
	case CertCRLDistributionPoints.ID:
		return CertExtensionParam(pki.OIDExtCRLDistributionPoints)
	case CertDocumentTypeList.ID, DSDocumentType.ID:
		return CertExtensionParam(pki.OIDExtDocumentTypeList)
	}
	return CertFieldParam(CertGeneric)
}

func mrzFieldOf(f Finding) []byte {
	switch f.Rule.ID {
	case DG1DocumentCode.ID:
		return MRZFieldParam(MRZDocumentCode)
	case DG1Sex.ID:
		return MRZFieldParam(MRZSex)
	case DG1Name.ID:
		return MRZFieldParam(MRZPersonName)
	case DG1DocumentNumber.ID:
		return MRZFieldParam(MRZDocumentNumber)
	case DG1OpeningKey.ID, DG1PrintedMRZ.ID:
		switch {
		case strings.Contains(f.Detail, "document number"):
			return MRZFieldParam(MRZDocumentNumber)
		case strings.Contains(f.Detail, "date of birth"):
			return MRZFieldParam(MRZDateOfBirth)
		case strings.Contains(f.Detail, "date of expiry"):
			return MRZFieldParam(MRZDateOfExpiry)
		}
	case DG1CheckDigits.ID:
		for _, c := range []struct {
			s string
			n int
		}{{"document number", MRZDocumentNumber}, {"date of birth", MRZDateOfBirth}, {"date of expiry", MRZDateOfExpiry}, {"optional data", MRZOptionalData}} {
			if strings.Contains(f.Detail, c.s) {
				return MRZFieldParam(c.n)
			}
		}
	}
	return MRZFieldParam(MRZGeneric)
}

// covers reports whether the description dd describes finding f.
func (dd DeviationDescription) covers(f Finding) bool {
	specific, param, generic, ok := deviationFor(f)
	if !ok {
		return false
	}
	if dd.Type.Equal(generic) {
		return true
	}
	if specific == nil || !dd.Type.Equal(specific) {
		return false
	}
	// No parameter, or the generic one, covers every finding of the type.
	if dd.Parameters == nil || bytes.Equal(dd.Parameters, intParam(0)) {
		return true
	}
	return bytes.Equal(dd.Parameters, param)
}

// ApplyDeviations marks as Known the findings of d that a verified
// deviation list of the document's issuer covers, and returns them. A
// list covers a document when it was verified (VerifyDeviationList), its
// CSCA is of the country of the document's Document Signer, and one of
// its deviations selects the document (document type, Document Signer,
// date of issue, document numbers, each when present) and describes the
// finding. Unverified lists are ignored: a finding is never excused by a
// list whose signature was not checked.
func ApplyDeviations(fs []Finding, d Document, lists ...*DeviationList) []Finding {
	subj := deviationSubject{issuedAt: d.IssuedAt}
	if sod := d.Files[chip.EFSOD]; sod != nil {
		if s, err := pki.ParseSOD(sod); err == nil && len(s.SignedData.SignerInfos) > 0 {
			subj.ds, _ = s.SignedData.SignerCertificate(s.SignedData.SignerInfos[0])
		}
	}
	if dg1, _ := chip.ParseDG1Lenient(d.Files[chip.EFDG1]); dg1 != nil && dg1.MRZ != nil {
		subj.documentCode, subj.documentNumber = dg1.MRZ.DocumentCode, dg1.MRZ.DocumentNumber
	}
	out := slices.Clone(fs)
	for _, l := range lists {
		if l == nil || !l.Verified || subj.ds == nil || !strings.EqualFold(l.Issuer, subj.ds.Issuer.Country()) {
			continue
		}
		for i := range out {
			if out[i].Known != nil {
				continue
			}
			for _, dev := range l.Deviations {
				if !dev.Documents.matches(subj, l.DigestAlgorithm) {
					continue
				}
				for _, dd := range dev.Descriptions {
					if dd.covers(out[i]) {
						out[i].Known = &KnownDeviation{Issuer: l.Issuer, Description: dd.Description}
						break
					}
				}
				if out[i].Known != nil {
					break
				}
			}
		}
	}
	return out
}
