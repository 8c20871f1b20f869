package conform_test

import (
	"crypto"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/conform/conformtest"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

var oidMD5 = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 5}

// ldsOf builds an LDS Security Object over the data groups of files.
func ldsOf(t *testing.T, files map[chip.File][]byte, h crypto.Hash, change func(*pki.LDSSecurityObject)) []byte {
	t.Helper()
	lso, err := pki.NewLDSSecurityObject(h, chip.DataGroupFiles(files))
	require.NoError(t, err)
	if change != nil {
		change(lso)
	}
	b, err := lso.Encode()
	require.NoError(t, err)
	return b
}

// TestSignedDataProfile: EF.SOD breaking the SignedData profile, each
// validly signed by the test Document Signer.
func TestSignedDataProfile(t *testing.T) {
	p := testPKI(t)
	img := issue(t, sim.ProfileCCCD, 0)
	for _, tc := range []struct {
		name string
		sd   conformtest.SignedData
		rule conform.Rule
		pa   bool
	}{
		{"digestAlgorithms only MD5, SignerInfo SHA-256", conformtest.SignedData{DigestAlgorithms: []asn1.ObjectIdentifier{oidMD5}}, conform.SignedDataDigestAlgorithms, true},
		{"digestAlgorithms names SHA-1 beside SHA-256", conformtest.SignedData{DigestAlgorithms: []asn1.ObjectIdentifier{pki.OIDSHA1, pki.OIDSHA256}}, conform.SignedDataAlgorithm, true},
		{"digestAlgorithms names MD5 beside SHA-256", conformtest.SignedData{DigestAlgorithms: []asn1.ObjectIdentifier{oidMD5, pki.OIDSHA256}}, conform.SignedDataAlgorithm, true},
		{"empty digestAlgorithms", conformtest.SignedData{DigestAlgorithms: []asn1.ObjectIdentifier{}}, conform.SignedDataDigestAlgorithms, true},
		{"SignerInfo version 3 with issuerAndSerialNumber", conformtest.SignedData{SignerVersion: 3}, conform.SignerInfoVersion, true},
		{"SignerInfo version 1 with subjectKeyIdentifier", conformtest.SignedData{SignerVersion: 1, UseSubjectKeyID: true}, conform.SignerInfoVersion, true},
		{"SignedData version 1", conformtest.SignedData{Version: 1}, conform.SignedDataVersion, true},
		{"no signed attributes", conformtest.SignedData{NoSignedAttrs: true}, conform.SignedAttributes, false},
		{"no content-type attribute", conformtest.SignedData{OmitContentType: true}, conform.SignedAttributes, false},
		{"content-type attribute differs", conformtest.SignedData{ContentTypeAttr: pki.OIDData}, conform.SignedDataContentType, false},
		{"eContentType id-data", conformtest.SignedData{ContentType: pki.OIDData}, conform.SignedDataContentType, false},
		{"two SignerInfos", conformtest.SignedData{TwoSigners: true}, conform.SignedDataSigners, false},
		{"crls field used", conformtest.SignedData{CRLs: [][]byte{p.CRL}}, conform.SignedDataCRLs, true},
		{"signer certificate twice", conformtest.SignedData{Certificates: [][]byte{p.DS.Cert.Raw, p.DS.Cert.Raw}}, conform.SignerCertificate, true},
		{"signer certificate missing", conformtest.SignedData{Certificates: [][]byte{p.CSCA.Cert.Raw}}, conform.SignerCertificate, false},
		{"LDS Security Object with SHA-1", conformtest.SignedData{Content: ldsOf(t, img.Files, crypto.SHA1, nil)}, conform.SignedDataAlgorithm, true},
		{"LDS v1 naming LDS 1.7", conformtest.SignedData{Content: ldsOf(t, img.Files, crypto.SHA256, func(o *pki.LDSSecurityObject) {
			o.Version, o.LDSVersion, o.UnicodeVersion = 1, "0107", "040000"
		})}, conform.LDSSecurityObjectVersion, true},
		{"LDS hash of the wrong size", conformtest.SignedData{Content: ldsOf(t, img.Files, crypto.SHA256, func(o *pki.LDSSecurityObject) {
			o.DataGroupHashes[len(o.DataGroupHashes)-1].Hash = make([]byte, 20)
		})}, conform.LDSDataGroupHashes, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := resignSOD(t, img, tc.sd, p.DS)
			fs := conform.Check(conform.Document{Files: files})
			requireVerdicts(t, files, fs, tc.rule, tc.pa)
			for _, f := range fs {
				if f.Rule.ID == tc.rule.ID {
					require.Equal(t, "EF.SOD", f.Object)
				}
			}
		})
	}
	t.Run("DG2 not hashed", func(t *testing.T) {
		files := map[chip.File][]byte{}
		for f, b := range img.Files {
			if f != chip.EFDG2 {
				files[f] = b
			}
		}
		img2 := &sim.Image{Files: files}
		files = resignSOD(t, img2, conformtest.SignedData{Content: ldsOf(t, files, crypto.SHA256, nil)}, p.DS)
		fs := conform.Check(conform.Document{Files: files})
		requireVerdicts(t, files, fs, conform.LDSDataGroupHashes, true)
	})
}
