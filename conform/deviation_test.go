package conform_test

import (
	"bytes"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/conform/conformtest"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/policy"
)

// akiLessDocument is an issued passport whose Document Signer certificate
// (re-signed by the test CSCA) lacks the authority key identifier.
func akiLessDocument(t testing.TB) (map[chip.File][]byte, *pki.Certificate) {
	t.Helper()
	p := testPKI(t)
	img := issue(t, sim.ProfileICAOPassport, 0)
	ds, err := conformtest.From(p.DS.Cert).Without(pki.OIDExtAuthorityKeyID).Sign(p.CSCA)
	require.NoError(t, err)
	return resignSOD(t, img, conformtest.SignedData{}, pkitest.Entity{Key: p.DS.Key, Cert: ds}), ds
}

func dlSigner(t testing.TB) pkitest.Entity {
	t.Helper()
	e, err := testPKI(t).DeviationListSigner()
	require.NoError(t, err)
	require.Empty(t, conform.CheckCertificate(e.Cert, conform.RoleDeviationListSigner), "the test PKI's deviation list signer follows its profile")
	return e
}

func akiDeviation(ds *pki.Certificate) *conform.DeviationList {
	return &conform.DeviationList{Deviations: []conform.Deviation{{
		Documents: conform.DeviationDocuments{DocumentType: "P<", DSIssuer: ds.Issuer.Raw, DSSerialNumber: ds.SerialNumber},
		Descriptions: []conform.DeviationDescription{{
			Description: "DS certificates of 2025 lack the authority key identifier",
			Type:        conform.OIDDeviationDSEncoding, Parameters: conform.CertExtensionParam(pki.OIDExtAuthorityKeyID),
		}},
	}}}
}

// TestDeviationListKnown: a deviation list made with the test PKI turns
// the finding it describes into a known deviation, and the conformance
// preset then passes the document; its other findings stay.
func TestDeviationListKnown(t *testing.T) {
	p := testPKI(t)
	files, ds := akiLessDocument(t)
	doc := conform.Document{Files: files}
	fs := conform.Check(doc)
	require.Equal(t, []string{conform.CertAuthorityKeyID.ID}, ids(fs))
	require.Equal(t, policy.NotVerified, policy.Conformance.Decide(facts(t, files, fs)).Verdict)

	signer := dlSigner(t)
	der, err := conform.CreateDeviationList(akiDeviation(ds), signer.Key, signer.Cert, &pki.SignedDataConfig{SigningTime: testNow})
	require.NoError(t, err)
	l, err := conform.VerifyDeviationList(der, p.Trust(), &pki.VerifyConfig{Time: func() time.Time { return testNow }})
	require.NoError(t, err)
	require.True(t, l.Verified)
	require.Equal(t, "VN", l.Issuer)

	known := conform.ApplyDeviations(fs, doc, l)
	require.Len(t, known, 1)
	require.NotNil(t, known[0].Known)
	require.Equal(t, "VN", known[0].Known.Issuer)
	require.Contains(t, known[0].String(), "known deviation of VN")
	require.Nil(t, fs[0].Known, "ApplyDeviations does not change its input")
	d := policy.Conformance.Decide(facts(t, files, known))
	require.Equal(t, policy.Verified, d.Verdict)
	require.True(t, d.Has(policy.CodeKnownDeviation))

	// A list with the signing-time attribute required by Doc 9303-12
	// §10.1 only.
	_, err = conform.CreateDeviationList(akiDeviation(ds), signer.Key, signer.Cert, &pki.SignedDataConfig{})
	require.Error(t, err)
}

// TestDeviationListRefused: a list whose signature does not verify, or
// whose signer is no Deviation List Signer, or that is not trusted, is
// refused and excuses nothing.
func TestDeviationListRefused(t *testing.T) {
	p := testPKI(t)
	files, ds := akiLessDocument(t)
	doc := conform.Document{Files: files}
	fs := conform.Check(doc)
	signer := dlSigner(t)
	content := func() []byte {
		der, err := conform.CreateDeviationList(akiDeviation(ds), signer.Key, signer.Cert, &pki.SignedDataConfig{SigningTime: testNow})
		require.NoError(t, err)
		sd, err := pki.ParseSignedData(der)
		require.NoError(t, err)
		return sd.Content
	}()
	other, err := pkitest.New(pkitest.Config{Seed: "other", Country: "DE", Now: testPKI(t).Config.Now, CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	otherSigner, err := other.DeviationListSigner()
	require.NoError(t, err)

	for _, tc := range []struct {
		name  string
		build func() ([]byte, error)
		trust *pki.TrustStore
		why   string
	}{
		{"bad signature", func() ([]byte, error) {
			// Signed with the Document Signer's key under the list signer's certificate.
			sd := conformtest.SignedData{Content: content, ContentType: pki.OIDDeviationList, SigningTime: testNow}
			return sd.Build(p.DS.Key, signer.Cert)
		}, p.Trust(), "signature"},
		{"signed by a Document Signer", func() ([]byte, error) {
			sd := conformtest.SignedData{Content: content, ContentType: pki.OIDDeviationList, SigningTime: testNow}
			return sd.Build(p.DS.Key, p.DS.Cert)
		}, p.Trust(), "not a deviation list signer"},
		{"signer of an untrusted CSCA", func() ([]byte, error) {
			sd := conformtest.SignedData{Content: content, ContentType: pki.OIDDeviationList, SigningTime: testNow}
			return sd.Build(otherSigner.Key, otherSigner.Cert)
		}, p.Trust(), "chain"},
		{"no signing time", func() ([]byte, error) {
			sd := conformtest.SignedData{Content: content, ContentType: pki.OIDDeviationList}
			return sd.Build(signer.Key, signer.Cert)
		}, p.Trust(), "signing-time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			der, err := tc.build()
			require.NoError(t, err)
			l, err := conform.VerifyDeviationList(der, tc.trust, &pki.VerifyConfig{Time: func() time.Time { return testNow }})
			require.ErrorContains(t, err, tc.why)
			require.True(t, errors.Is(err, conform.ErrDeviationListNotVerified) || errors.As(err, new(*pki.VerifyError)), "typed error: %v", err)
			if l != nil {
				require.False(t, l.Verified)
			}
			// Parsed without verification, the list excuses nothing.
			parsed, err := conform.ParseDeviationList(der)
			require.NoError(t, err)
			require.Nil(t, conform.ApplyDeviations(fs, doc, parsed, l)[0].Known)
		})
	}
}

// TestDeviationListSelection: a trusted list excuses only the documents
// its deviation selects, and only the findings it describes.
func TestDeviationListSelection(t *testing.T) {
	p := testPKI(t)
	files, ds := akiLessDocument(t)
	doc := conform.Document{Files: files, IssuedAt: testNow}
	fs := conform.Check(doc)
	signer := dlSigner(t)
	for _, tc := range []struct {
		name  string
		docs  conform.DeviationDocuments
		desc  conform.DeviationDescription
		known bool
	}{
		{"generic CertOrKey", conform.DeviationDocuments{}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, true},
		{"DSEncoding without parameter", conform.DeviationDocuments{DSSubjectKeyID: ds.SubjectKeyID}, conform.DeviationDescription{Type: conform.OIDDeviationDSEncoding}, true},
		{"DSEncoding of another extension", conform.DeviationDocuments{}, conform.DeviationDescription{Type: conform.OIDDeviationDSEncoding, Parameters: conform.CertExtensionParam(pki.OIDExtKeyUsage)}, false},
		{"CSCAEncoding", conform.DeviationDocuments{}, conform.DeviationDescription{Type: conform.OIDDeviationCSCAEncoding}, false},
		{"MRZ deviation", conform.DeviationDocuments{}, conform.DeviationDescription{Type: conform.OIDDeviationMRZ}, false},
		{"another document type", conform.DeviationDocuments{DocumentType: "ID"}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, false},
		{"another document number", conform.DeviationDocuments{DocumentNumbers: []string{"X1234567"}}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, false},
		{"this document number", conform.DeviationDocuments{DocumentNumbers: []string{"X1234567", "L898902C3"}}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, true},
		{"issued in the period", conform.DeviationDocuments{FirstIssued: testNow.AddDate(0, -1, 0), LastIssued: testNow.AddDate(0, 1, 0)}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, true},
		{"issued after the period", conform.DeviationDocuments{FirstIssued: testNow.AddDate(-2, 0, 0), LastIssued: testNow.AddDate(-1, 0, 0)}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, false},
		{"another Document Signer", conform.DeviationDocuments{DSIssuer: ds.Issuer.Raw, DSSerialNumber: p.NewDS.Cert.SerialNumber}, conform.DeviationDescription{Type: conform.OIDDeviationCertOrKey}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			der, err := conform.CreateDeviationList(&conform.DeviationList{Deviations: []conform.Deviation{{Documents: tc.docs, Descriptions: []conform.DeviationDescription{tc.desc}}}},
				signer.Key, signer.Cert, &pki.SignedDataConfig{SigningTime: testNow})
			require.NoError(t, err)
			l, err := conform.VerifyDeviationList(der, p.Trust(), &pki.VerifyConfig{Time: func() time.Time { return testNow }})
			require.NoError(t, err)
			got := conform.ApplyDeviations(fs, doc, l)
			require.Equal(t, tc.known, got[0].Known != nil)
		})
	}
}

// TestDeviationListRoundTrip: what CreateDeviationList writes parses back
// to the same list.
func TestDeviationListRoundTrip(t *testing.T) {
	_, ds := akiLessDocument(t)
	signer := dlSigner(t)
	first := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	want := &conform.DeviationList{Deviations: []conform.Deviation{
		{Documents: conform.DeviationDocuments{DocumentType: "P<", DSIssuer: ds.Issuer.Raw, DSSerialNumber: ds.SerialNumber,
			FirstIssued: first, LastIssued: first.AddDate(1, 0, 0), DocumentNumbers: []string{"A1", "B2"}},
			Descriptions: []conform.DeviationDescription{
				{Description: "sex X", Type: conform.OIDDeviationMRZWrongData, Parameters: conform.MRZFieldParam(conform.MRZSex)},
				{Type: conform.OIDDeviationNationalUse, NationalUse: []byte{0x05, 0x00}},
			}},
		{Documents: conform.DeviationDocuments{DSDigest: make([]byte, 32)},
			Descriptions: []conform.DeviationDescription{{Type: conform.OIDDeviationDGMalformed, Parameters: conform.DatagroupParam(2)}}},
	}}
	der, err := conform.CreateDeviationList(want, signer.Key, signer.Cert, &pki.SignedDataConfig{SigningTime: testNow})
	require.NoError(t, err)
	got, err := conform.ParseDeviationList(der)
	require.NoError(t, err)
	require.Len(t, got.Deviations, 2)
	// SET OF is sorted on encoding: compare as sets.
	for _, w := range want.Deviations {
		found := false
		for _, g := range got.Deviations {
			if sameDocuments(w.Documents, g.Documents) && sameDescriptions(w.Descriptions, g.Descriptions) {
				found = true
			}
		}
		require.True(t, found, "deviation %+v", w.Documents)
	}
	require.Equal(t, signer.Cert.Raw, got.Signer.Raw)
}

// sameDocuments compares two selections field by field: byte strings
// exactly (nil is not empty), the serial number by value, times with
// time.Time.Equal. TestDeviationFieldCounts fails when a field is added,
// so that it is compared here too.
func sameDocuments(a, b conform.DeviationDocuments) bool {
	same := func(x, y []byte) bool { return (x == nil) == (y == nil) && bytes.Equal(x, y) }
	serial := (a.DSSerialNumber == nil) == (b.DSSerialNumber == nil) &&
		(a.DSSerialNumber == nil || a.DSSerialNumber.Cmp(b.DSSerialNumber) == 0)
	return a.DocumentType == b.DocumentType && same(a.DSIssuer, b.DSIssuer) && serial &&
		same(a.DSSubjectKeyID, b.DSSubjectKeyID) && same(a.DSDigest, b.DSDigest) &&
		a.FirstIssued.Equal(b.FirstIssued) && a.LastIssued.Equal(b.LastIssued) &&
		reflect.DeepEqual(a.DocumentNumbers, b.DocumentNumbers)
}

// sameDescriptions compares two lists of deviations as sets (ordered by
// type), an empty list or field the same as an absent one.
func sameDescriptions(a, b []conform.DeviationDescription) bool {
	if len(a) != len(b) {
		return false
	}
	sorted := func(d []conform.DeviationDescription) []conform.DeviationDescription {
		d = slices.Clone(d)
		slices.SortStableFunc(d, func(x, y conform.DeviationDescription) int { return strings.Compare(x.Type.String(), y.Type.String()) })
		return d
	}
	a, b = sorted(a), sorted(b)
	for i := range a {
		if a[i].Description != b[i].Description || !a[i].Type.Equal(b[i].Type) ||
			!bytes.Equal(a[i].Parameters, b[i].Parameters) || !bytes.Equal(a[i].NationalUse, b[i].NationalUse) {
			return false
		}
	}
	return true
}

func TestDeviationFieldCounts(t *testing.T) {
	require.Equal(t, 8, reflect.TypeFor[conform.DeviationDocuments]().NumField(), "compare the new field in sameDocuments")
	require.Equal(t, 4, reflect.TypeFor[conform.DeviationDescription]().NumField(), "compare the new field in sameDescriptions")
}

// FuzzParseDeviationList: hostile lists never panic.
func FuzzParseDeviationList(f *testing.F) {
	_, ds := akiLessDocument(f)
	signer := dlSigner(f)
	der, err := conform.CreateDeviationList(akiDeviation(ds), signer.Key, signer.Cert, &pki.SignedDataConfig{SigningTime: testNow})
	require.NoError(f, err)
	f.Add(der)
	f.Fuzz(func(t *testing.T, b []byte) {
		conform.ParseDeviationList(b)
	})
}
