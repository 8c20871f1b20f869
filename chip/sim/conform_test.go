package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestIssuedCardsConform: every card Personalize issues, of every
// profile and PACE mapping, under test PKIs of several key types, passes
// the Doc 9303 profile checks of package conform with no finding at all,
// its CSCA, link certificate and CRL too. Issuance follows the profiles
// the reader checks.
func TestIssuedCardsConform(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: now, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: pkitest.SeedReader("cvca")})
	require.NoError(t, err)
	for _, kt := range []struct {
		name     string
		csca, ds pkitest.KeyType
	}{
		{"P-256", pkitest.P256, pkitest.P256},
		{"brainpool explicit CSCA", pkitest.BrainpoolP512r1Explicit, pkitest.BrainpoolP256r1},
		{"P-384", pkitest.P384, pkitest.P384},
	} {
		p, err := pkitest.New(pkitest.Config{Seed: "sim conform " + kt.name, Now: now, CSCA: kt.csca, DS: kt.ds})
		require.NoError(t, err)
		require.Empty(t, conform.CheckCertificate(p.CSCA.Cert, conform.RoleCSCA), kt.name)
		require.Empty(t, conform.CheckCertificate(p.Link, conform.RoleLink), kt.name)
		require.Empty(t, conform.CheckCertificate(p.DS.Cert, conform.RoleDocumentSigner), kt.name)
		crl, err := pki.ParseCRL(p.CRL)
		require.NoError(t, err)
		require.Empty(t, conform.CheckCRL(crl, p.CSCA.Cert), kt.name)
		for _, profile := range []string{sim.ProfileCCCD, sim.ProfileCCCD2023, sim.ProfileICAOPassport} {
			for _, m := range []secinfo.Mapping{0, secinfo.IntegratedMapping, secinfo.ChipAuthenticationMapping} {
				t.Run(kt.name+"/"+profile+"/"+m.String(), func(t *testing.T) {
					doc, err := sim.DemoDocument(profile)
					require.NoError(t, err)
					aa, err := pkitest.NewKey(pkitest.P256, pkitest.SeedReader("aa"))
					require.NoError(t, err)
					img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: profile, PACE: true, PACEMapping: m,
						Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, AAKey: aa, Time: func() time.Time { return now.Add(24 * time.Hour) }, TrustPoints: [][]byte{h.CVCA.Raw},
						Rand: pkitest.SeedReader("card")})
					require.NoError(t, err)
					d, err := chip.ParseDG1(img.Files[chip.EFDG1])
					require.NoError(t, err)
					fs := conform.Check(conform.Document{Files: img.Files, OpenedWith: d.MRZ.Info()})
					require.Empty(t, fs)
				})
			}
		}
	}
}
