package reader

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/conform/conformtest"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
)

func copyImage(img *sim.Image) *sim.Image {
	c := *img
	c.Files = map[chip.File][]byte{}
	for f, b := range img.Files {
		c.Files[f] = b
	}
	return &c
}

func ruleIDs(fs []conform.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule.ID)
	}
	return out
}

// verdictsOf reads img with key under each preset.
func verdictsOf(t *testing.T, img *sim.Image, key Key, opts *Config) (map[string]policy.Verdict, *Result) {
	t.Helper()
	out := map[string]policy.Verdict{}
	var last *Result
	for _, p := range policy.Presets() {
		card, err := sim.New(img, nil)
		require.NoError(t, err)
		o := copyConfig(opts)
		o.Policy = p
		res, err := Read(context.Background(), card, key, o)
		require.NoError(t, err)
		out[p.Name] = res.Verdict()
		last = res
	}
	return out, last
}

// TestReadChecksConformance: the read runs the profile checks. A chip
// that opens with one document's MRZ key but holds another's DG1, a DG1
// that differs from the printed MRZ, an EF.CardSecurity that leaves out
// what EF.CardAccess announces: passive authentication passes, the finding
// is in Result.Findings, bank and conformance fail, lenient passes; a
// verified deviation list of the issuer makes it a known deviation.
func TestReadChecksConformance(t *testing.T) {
	p, imgs := fixtures(t)
	passport := imgs[sim.ProfileICAOPassport]

	// The chip answers to another document's key.
	other, err := mrz.NewInfo("C01X00T47", "740812", "320415")
	require.NoError(t, err)
	wrongKey := copyImage(passport)
	wrongKey.Secrets.MRZInfo = string(other.Bytes())

	// PACE-CAM card whose EF.CardSecurity (signed by the DS) lacks the PACEInfo.
	camDoc, err := sim.DemoCCCD()
	require.NoError(t, err)
	cam := personalize(t, camDoc, sim.ProfileCCCD, p.DS, &sim.PersonalizeConfig{PACEMapping: secinfo.ChipAuthenticationMapping})
	sd, err := pki.ParseSignedData(cam.Files[chip.EFCardSecurity])
	require.NoError(t, err)
	infos, err := secinfo.Parse(sd.Content)
	require.NoError(t, err)
	var keep []secinfo.Info
	for _, i := range infos.Infos {
		if _, ok := i.(*secinfo.PACEInfo); !ok {
			keep = append(keep, i)
		}
	}
	content, err := (&secinfo.SecurityInfos{Infos: keep}).Encode()
	require.NoError(t, err)
	camBad := copyImage(cam)
	camBad.Files[chip.EFCardSecurity], err = pki.SignSignedData(content, secinfo.OIDSecurityObject, p.DS.Key, p.DS.Cert, &pki.SignedDataConfig{SigningTime: signedAt})
	require.NoError(t, err)

	cccd := imgs[sim.ProfileCCCD]
	printedOther := string(passport.Files[chip.EFDG1][5:])

	for _, tc := range []struct {
		name string
		img  *sim.Image
		key  Key
		opts *Config
		rule conform.Rule
	}{
		{"DG1 not of the key", wrongKey, MRZKey(other), &Config{}, conform.DG1OpeningKey},
		{"DG1 not the printed MRZ", cccd, CANKey("123456"), &Config{PrintedMRZ: printedOther}, conform.DG1PrintedMRZ},
		{"EF.CardSecurity without EF.CardAccess's PACEInfo", camBad, CANKey("123456"), &Config{}, conform.CardSecurityCardAccess},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Trust, tc.opts.Time = p.Trust(), func() time.Time { return verifyAt }
			v, res := verdictsOf(t, tc.img, tc.key, tc.opts)
			require.Equal(t, check.Passed, res.Check(CheckPassiveAuth).Status, "passive authentication alone passes")
			require.Contains(t, ruleIDs(res.Findings), tc.rule.ID)
			require.Equal(t, map[string]policy.Verdict{"bank": policy.NotVerified, "conformance": policy.NotVerified, "lenient": policy.Verified}, v)
		})
	}

	t.Run("deviation list of the issuer", func(t *testing.T) {
		signer, err := p.DeviationListSigner()
		require.NoError(t, err)
		der, err := conform.CreateDeviationList(&conform.DeviationList{Deviations: []conform.Deviation{{
			Documents: conform.DeviationDocuments{DocumentNumbers: []string{"L898902C3"}},
			Descriptions: []conform.DeviationDescription{{Description: "chip keyed with the number of another batch",
				Type: conform.OIDDeviationMRZWrongData, Parameters: conform.MRZFieldParam(conform.MRZDocumentNumber)}},
		}}}, signer.Key, signer.Cert, &pki.SignedDataConfig{SigningTime: signedAt})
		require.NoError(t, err)
		l, err := conform.VerifyDeviationList(der, p.Trust(), &pki.VerifyConfig{Time: func() time.Time { return verifyAt }})
		require.NoError(t, err)
		v, res := verdictsOf(t, wrongKey, MRZKey(other), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, DeviationLists: []*conform.DeviationList{l}})
		require.Equal(t, map[string]policy.Verdict{"bank": policy.Verified, "conformance": policy.Verified, "lenient": policy.Verified}, v)
		require.Len(t, res.Findings, 1)
		require.NotNil(t, res.Findings[0].Known)
		require.True(t, res.Decision().Has(policy.CodeKnownDeviation))
	})
}

// TestReadChecksTheCSCA: the CSCA the path ends in is checked against its
// profile too; a CSCA without subjectAltName (re-signed with its own key,
// so the Document Signer still chains to it) gives a finding on the CSCA
// certificate, and passive authentication passes.
func TestReadChecksTheCSCA(t *testing.T) {
	p, imgs := fixtures(t)
	csca, err := conformtest.From(p.CSCA.Cert).Without(pki.OIDExtSubjectAltName).Sign(p.CSCA)
	require.NoError(t, err)
	trust := pki.NewTrustStore()
	trust.AddCSCA(csca)
	require.NoError(t, trust.AddCRL(p.CRL))
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, CANKey("123456"), &Config{Trust: trust, Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.Equal(t, check.Passed, res.Check(CheckPassiveAuth).Status)
	require.Len(t, res.Findings, 1)
	require.Equal(t, conform.CertAltNames.ID, res.Findings[0].Rule.ID)
	require.Equal(t, "CSCA certificate", res.Findings[0].Object)
}
