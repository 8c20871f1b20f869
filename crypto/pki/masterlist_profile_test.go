package pki_test

import (
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/stretchr/testify/require"
)

// selfSignedCSCA makes a rogue self-signed CSCA certificate.
func selfSignedCSCA(t *testing.T, label string) pkitest.Entity {
	t.Helper()
	k, err := pkitest.NewKey(pkitest.P256, pkitest.SeedReader(label))
	require.NoError(t, err)
	name, err := pki.MarshalName(pki.NameAttribute{Type: pki.OIDCountry, Value: "VN"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: label})
	require.NoError(t, err)
	tmpl := &pki.CertificateTemplate{
		SerialNumber: big.NewInt(0x6666), Subject: name,
		NotBefore: testNow.Add(-48 * time.Hour), NotAfter: testNow.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, IsCA: true, MaxPathLen: 0,
	}
	der, err := pki.CreateCertificate(tmpl, nil, k.Public(), k, nil)
	require.NoError(t, err)
	c, err := pki.ParseCertificate(der)
	require.NoError(t, err)
	return pkitest.Entity{Key: k, Cert: c}
}

// The attack of issue 16: an ordinary Document Signer certificate
// (digitalSignature, no extended key usage, issued by the trusted CSCA)
// signs a master list carrying a rogue CSCA. The trust store refuses it,
// and documents under the rogue CSCA do not verify.
func TestMasterListSignedByDocumentSignerRefused(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	require.Empty(t, p.DS.Cert.ExtKeyUsage, "a plain Document Signer certificate")
	rogue := selfSignedCSCA(t, "Rogue CSCA")
	ml, err := pki.CreateMasterList([]*pki.Certificate{p.CSCA.Cert, rogue.Cert}, p.DS.Key, p.DS.Cert,
		&pki.SignedDataConfig{SigningTime: testNow})
	require.NoError(t, err)

	ts := pki.NewTrustStore()
	ts.AddCSCA(p.CSCA.Cert)
	_, err = ts.AddMasterListData(ml, verifyAt(testNow.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrKeyUsage)
	var ve *pki.VerifyError
	require.ErrorAs(t, err, &ve)
	require.Len(t, ts.CSCAs(), 1, "the rogue CSCA was not added")
	_, err = pki.VerifyMasterList(ml, p.Trust(), verifyAt(testNow.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrKeyUsage)
	// Nor does the self-contained opt-in help: the signer profile holds
	// there too.
	_, err = pki.VerifySelfContainedMasterList(ml, verifyAt(testNow.Add(time.Hour)))
	require.Error(t, err)
}

// A proper master list signer (Doc 9303-12: digitalSignature, extended
// key usage 2.23.136.1.1.3, issued by a trusted CSCA) is accepted, and
// its list's CSCAs become trust anchors.
func TestMasterListSignerProfileAccepted(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	require.Contains(t, p.MLSigner.Cert.ExtKeyUsage, pki.OIDCSCAMasterListSigningKey)
	ml, err := p.MasterList()
	require.NoError(t, err)
	ts := pki.NewTrustStore()
	ts.AddCSCA(p.CSCA.Cert)
	v, err := ts.AddMasterListData(ml, verifyAt(testNow.Add(time.Hour)))
	require.NoError(t, err)
	require.True(t, v.Verified)
	require.False(t, v.SelfContained)
	require.Len(t, ts.CSCAs(), 3)
}

// Other certificates that are not master list signers: another list
// signer's extended key usage, a master list signer with no key usage or
// without digitalSignature, and a CA certificate (the CSCA itself).
func TestMasterListSignerProfileRefusals(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	mk := func(label string, serial int64, ku x509.KeyUsage, eku []asn1.ObjectIdentifier) pkitest.Entity {
		k, err := pkitest.NewKey(pkitest.P256, pkitest.SeedReader(label))
		require.NoError(t, err)
		name, err := pki.MarshalName(pki.NameAttribute{Type: pki.OIDCountry, Value: "VN"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: label})
		require.NoError(t, err)
		der, err := pki.CreateCertificate(&pki.CertificateTemplate{
			SerialNumber: big.NewInt(serial), Subject: name,
			NotBefore: testNow.Add(-48 * time.Hour), NotAfter: testNow.Add(365 * 24 * time.Hour),
			KeyUsage: ku, ExtKeyUsage: eku,
		}, p.CSCA.Cert, k.Public(), p.CSCA.Key, nil)
		require.NoError(t, err)
		c, err := pki.ParseCertificate(der)
		require.NoError(t, err)
		return pkitest.Entity{Key: k, Cert: c}
	}
	for _, tc := range []struct {
		name string
		e    pkitest.Entity
	}{
		{"deviation list signer", mk("DL signer", 0x7101, x509.KeyUsageDigitalSignature, []asn1.ObjectIdentifier{pki.OIDDeviationListSigningKey})},
		{"no key usage", mk("ML no KU", 0x7102, 0, []asn1.ObjectIdentifier{pki.OIDCSCAMasterListSigningKey})},
		{"no digitalSignature", mk("ML nonRepudiation", 0x7103, x509.KeyUsageContentCommitment, []asn1.ObjectIdentifier{pki.OIDCSCAMasterListSigningKey})},
		{"the CSCA itself", p.CSCA},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ml, err := pki.CreateMasterList([]*pki.Certificate{p.CSCA.Cert}, tc.e.Key, tc.e.Cert, &pki.SignedDataConfig{SigningTime: testNow})
			require.NoError(t, err)
			ts := pki.NewTrustStore()
			ts.AddCSCA(p.CSCA.Cert)
			_, err = ts.AddMasterListData(ml, verifyAt(testNow.Add(time.Hour)))
			require.ErrorIs(t, err, pki.ErrKeyUsage)
		})
	}
}

// A self-contained master list (a rogue self-signed CSCA and its own
// master list signer, nothing anchored) is refused unless the caller opts
// in by name; a well-formed list passes with the opt-in and says so.
func TestSelfContainedMasterListNeedsOptIn(t *testing.T) {
	rogue := selfSignedCSCA(t, "Self-contained CSCA")
	p := testPKI(t, pkitest.P256)
	ml, err := p.MasterList()
	require.NoError(t, err)
	for _, der := range [][]byte{ml} {
		_, err := pki.VerifyMasterList(der, nil, verifyAt(testNow.Add(time.Hour)))
		require.ErrorIs(t, err, pki.ErrSelfContainedMasterList)
		v, err := pki.VerifySelfContainedMasterList(der, verifyAt(testNow.Add(time.Hour)))
		require.NoError(t, err)
		require.True(t, v.SelfContained)
	}
	// The rogue self-signed CSCA is no anchor for a store that does not
	// hold it.
	ts := pki.NewTrustStore()
	ts.AddCSCA(rogue.Cert)
	_, err = ts.AddMasterListData(ml, verifyAt(testNow.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrNoIssuer)
}
