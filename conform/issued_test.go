package conform_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestIssuedDocumentsConform: what the project issues (the test PKI, the
// simulator's personalization) follows the profiles it checks.
func TestIssuedDocumentsConform(t *testing.T) {
	p := testPKI(t)
	for _, tc := range []struct {
		name    string
		profile string
		mapping secinfo.Mapping
	}{
		{"cccd", sim.ProfileCCCD, 0},
		{"cccd PACE-CAM", sim.ProfileCCCD, secinfo.ChipAuthenticationMapping},
		{"icao-passport", sim.ProfileICAOPassport, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := issue(t, tc.profile, tc.mapping)
			require.True(t, passive(t, img.Files).Valid)
			info, err := readerKey(img)
			require.NoError(t, err)
			fs := conform.Check(conform.Document{Files: img.Files, OpenedWith: info})
			require.Empty(t, fs)
		})
	}
	t.Run("certificates and CRL", func(t *testing.T) {
		require.Empty(t, conform.CheckCertificate(p.CSCA.Cert, conform.RoleCSCA))
		require.Empty(t, conform.CheckCertificate(p.NewCSCA.Cert, conform.RoleCSCA))
		require.Empty(t, conform.CheckCertificate(p.Link, conform.RoleLink))
		require.Empty(t, conform.CheckCertificate(p.DS.Cert, conform.RoleDocumentSigner))
		require.Empty(t, conform.CheckCertificate(p.NewDS.Cert, conform.RoleDocumentSigner))
		require.Empty(t, conform.CheckCertificate(p.MLSigner.Cert, conform.RoleMasterListSigner))
		crl, err := pki.ParseCRL(p.CRL)
		require.NoError(t, err)
		require.Empty(t, conform.CheckCRL(crl, p.CSCA.Cert))
	})
}
