package reader

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
)

// personalize issues doc with the given document signer and options.
func personalize(t *testing.T, doc *chip.Document, profile string, ds pkitest.Entity, o *sim.PersonalizeConfig) *sim.Image {
	t.Helper()
	var c sim.PersonalizeConfig
	if o != nil {
		c = *o
	}
	o = &c
	o.Profile, o.Issuer, o.Time = profile, sim.Issuer{Signer: ds.Key, Cert: ds.Cert}, func() time.Time { return signedAt }
	if o.CAN == "" {
		o.CAN = "123456"
	}
	img, err := sim.Personalize(doc, o)
	require.NoError(t, err)
	return img
}

// TestVerdictUnderPresets reads cards on the simulator that end in each
// way a read can end, and checks the verdict and its reasons under each
// preset policy.
func TestVerdictUnderPresets(t *testing.T) {
	p, imgs := fixtures(t)

	// A passport whose DG1 says Utopia, signed by a Vietnamese DS.
	uto, err := sim.DemoPassport()
	require.NoError(t, err)
	dob, _ := mrz.NewDate(1974, 8, 12)
	doe, _ := mrz.NewDate(2032, 4, 15)
	m, err := mrz.New(mrz.TD3, mrz.Fields{DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3",
		DateOfBirth: dob, Sex: mrz.Female, DateOfExpiry: doe, Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"})
	require.NoError(t, err)
	uto.DG1, err = chip.NewDG1(m)
	require.NoError(t, err)
	utoImg := personalize(t, uto, sim.ProfileICAOPassport, p.DS, &sim.PersonalizeConfig{})

	revokedDoc, err := sim.DemoCCCD()
	require.NoError(t, err)
	revokedImg := personalize(t, revokedDoc, sim.ProfileCCCD, p.RevokedDS, &sim.PersonalizeConfig{})

	camDoc, err := sim.DemoCCCD()
	require.NoError(t, err)
	camImg := personalize(t, camDoc, sim.ProfileCCCD, p.DS, &sim.PersonalizeConfig{PACEMapping: secinfo.ChipAuthenticationMapping})
	// The same card, its EF.CardSecurity re-signed by the revoked DS.
	camRevoked := *camImg
	camRevoked.Files = map[chip.File][]byte{}
	for f, b := range camImg.Files {
		camRevoked.Files[f] = b
	}
	sd, err := pki.ParseSignedData(camImg.Files[chip.EFCardSecurity])
	require.NoError(t, err)
	camRevoked.Files[chip.EFCardSecurity], err = pki.SignSignedData(sd.Content, secinfo.OIDSecurityObject, p.RevokedDS.Key, p.RevokedDS.Cert,
		&pki.SignedDataConfig{SigningTime: signedAt})
	require.NoError(t, err)

	noCRL := pki.NewTrustStore()
	noCRL.AddCSCA(p.CSCA.Cert)

	V, NV, IN := policy.Verified, policy.NotVerified, policy.Incomplete
	type verdicts struct{ bank, conformance, lenient policy.Verdict }
	cases := []struct {
		name   string
		img    *sim.Image
		sim    sim.Config
		opts   *Config
		key    func(img *sim.Image) Key
		after  func(res *Result)
		want   verdicts
		code   policy.Code // a reason the bank decision holds
		readOK bool
	}{
		{name: "CCCD: CA and AA passed, CRL fresh", img: imgs[sim.ProfileCCCD], want: verdicts{V, V, V}, readOK: true},
		{name: "CCCD short APDUs: CA passed, AA not run", img: imgs[sim.ProfileCCCD], sim: sim.Config{ShortOnly: true},
			want: verdicts{V, V, V}, readOK: true},
		{name: "passport BAC: CA and AA passed", img: imgs[sim.ProfileICAOPassport], want: verdicts{V, V, V}, readOK: true},
		{name: "CA and AA not run (DG14, DG15 not read)", img: imgs[sim.ProfileCCCD],
			opts: &Config{Files: []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG13}},
			want: verdicts{NV, NV, V}, code: policy.CodeChipAuthenticityNotRun, readOK: true},
		{name: "CA not run, AA failed (clone, DG14 not read)", img: imgs[sim.ProfileCCCD], sim: sim.Config{Faults: sim.Faults{Clone: true}},
			opts: &Config{Files: []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG15}},
			want: verdicts{NV, NV, NV}, code: policy.CodeActiveAuthFailed, readOK: true},
		{name: "CA failed (clone)", img: imgs[sim.ProfileCCCD], sim: sim.Config{Faults: sim.Faults{Clone: true}},
			want: verdicts{NV, NV, NV}, code: policy.CodeChipAuthFailed},
		{name: "PACE-CAM passed", img: camImg, want: verdicts{V, V, V}, readOK: true},
		{name: "PACE-CAM: EF.CardSecurity signed by a revoked DS", img: &camRevoked,
			want: verdicts{NV, NV, NV}, code: policy.CodePACECAMFailed, readOK: true},
		{name: "CRL stale", img: imgs[sim.ProfileCCCD], opts: &Config{Time: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }},
			want: verdicts{NV, NV, V}, code: policy.CodeCRLStale, readOK: true},
		{name: "CRL absent", img: imgs[sim.ProfileCCCD], opts: &Config{Trust: noCRL},
			want: verdicts{NV, NV, V}, code: policy.CodeCRLAbsent, readOK: true},
		{name: "CRL revoking the DS", img: revokedImg, want: verdicts{NV, NV, NV}, code: policy.CodeCRLRevoking, readOK: true},
		{name: "DG read but not hashed", img: imgs[sim.ProfileCCCD], after: func(res *Result) {
			// A data group the result holds that passive
			// authentication did not hash.
			require.NoError(t, res.Document.Set(chip.EFDG11, imgs[sim.ProfileICAOPassport].Files[chip.EFDG11]))
		}, want: verdicts{NV, NV, V}, code: policy.CodeDGNotHashed, readOK: true},
		{name: "DG altered", img: imgs[sim.ProfileCCCD], sim: sim.Config{Faults: sim.Faults{TamperedFile: chip.EFDG2}},
			want: verdicts{NV, NV, NV}, code: policy.CodeDGMismatch, readOK: true},
		{name: "DG1 and DS countries differ", img: utoImg, want: verdicts{NV, NV, V}, code: policy.CodeFinding, readOK: true},
		{name: "passive authentication not run (no trust)", img: imgs[sim.ProfileCCCD], opts: &Config{Trust: (*pki.TrustStore)(nil)},
			want: verdicts{NV, NV, NV}, code: policy.CodePassiveAuthNotRun, readOK: true},
		{name: "torn card", img: imgs[sim.ProfileCCCD], sim: sim.Config{ShortOnly: true, Faults: sim.Faults{TearAfterAPDUs: 20}},
			want: verdicts{IN, IN, IN}, code: policy.CodeSessionIncomplete},
		{name: "wrong CAN", img: imgs[sim.ProfileCCCD], key: func(*sim.Image) Key { return CANKey("000000") },
			want: verdicts{NV, NV, NV}, code: policy.CodeAccessRefused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := map[string]policy.Verdict{"bank": c.want.bank, "conformance": c.want.conformance, "lenient": c.want.lenient}
			for _, pol := range policy.Presets() {
				c.sim.SelectMFQuirk = true
				card, err := sim.New(c.img, &c.sim)
				require.NoError(t, err)
				key := mrzKey(t, c.img)
				if c.key != nil {
					key = c.key(c.img)
				}
				opts := copyConfig(c.opts)
				if opts.Trust == nil && c.name != "passive authentication not run (no trust)" {
					opts.Trust = p.Trust()
				}
				if opts.Time == nil {
					opts.Time = func() time.Time { return verifyAt }
				}
				opts.Policy = pol
				res, err := Read(context.Background(), card, key, opts)
				if c.readOK {
					require.NoError(t, err)
				}
				require.NotNil(t, res)
				if c.after != nil {
					c.after(res)
				}
				d := res.Decision()
				require.Equal(t, want[pol.Name], d.Verdict, "%s: %v", pol.Name, d.Reasons)
				require.Equal(t, want[pol.Name] == V, res.Verified())
				require.Equal(t, pol, res.Policy)
				if d.Verdict == V {
					require.NoError(t, res.Err())
				} else if d.Verdict == IN {
					require.ErrorIs(t, res.Err(), ErrIncomplete)
				} else {
					require.ErrorIs(t, res.Err(), ErrNotVerified)
				}
				if c.code != "" && pol.Name == "bank" {
					require.True(t, d.Has(c.code), "%v", d.Reasons)
				}
				if d.Verdict == IN {
					for _, code := range []policy.Code{policy.CodeChipAuthFailed, policy.CodeActiveAuthFailed, policy.CodePACECAMFailed} {
						require.False(t, d.Has(code), "incomplete read called a clone: %v", d.Reasons)
					}
				}
			}
		})
	}
}

// TestDefaultPolicy: without Config.Policy the read is decided under
// policy.Default.
func TestDefaultPolicy(t *testing.T) {
	p, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, imgs[sim.ProfileCCCD]), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.Equal(t, policy.Default, res.Policy)
	require.True(t, res.Verified())
	require.Equal(t, policy.Verified, res.Verdict())
}

// TestPassportCountriesAgree: the icao-passport test card's DG1 names the
// state of its Document Signer.
func TestPassportCountriesAgree(t *testing.T) {
	p, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileICAOPassport], nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, imgs[sim.ProfileICAOPassport]), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Policy: policy.Bank})
	require.NoError(t, err)
	require.Empty(t, res.Findings)
	require.Equal(t, "VNM", res.Document.DG1.MRZ.Fields.IssuingState)
	require.Equal(t, "VN", res.PassiveAuth.Signer.Subject.Country())
	require.True(t, res.Verified(), "%v", res.Reasons())
	for _, f := range res.Findings {
		require.NotEqual(t, conform.RuleDSCountry.ID, f.Rule.ID)
	}
}
