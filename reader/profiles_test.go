package reader

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// imageProfile is a CCCD personalized with one data-level profile of
// chip/sim, and the trust store that verifies it.
type imageProfile struct {
	name  string
	img   *sim.Image
	trust *pki.TrustStore
}

var (
	imageProfilesOnce sync.Once
	imageProfilesList []imageProfile
	imageProfilesErr  error
)

// allImageProfiles personalizes one CCCD per data-level profile (the
// chip/sim list, the raw JPEG 2000 face, EF.SOD signed with RSASSA-PSS
// under a DS certificate with an rsaEncryption key), once.
func allImageProfiles(t testing.TB) []imageProfile {
	t.Helper()
	p, _ := fixtures(t)
	imageProfilesOnce.Do(func() {
		j2k, err := os.ReadFile("testdata/openjpeg/face-48x60.j2k")
		if err != nil {
			imageProfilesErr = err
			return
		}
		mk := func(name string, iss sim.Issuer, trust *pki.TrustStore, pr sim.ImageProfile) {
			if imageProfilesErr != nil {
				return
			}
			doc, err := sim.DemoCCCD()
			if err != nil {
				imageProfilesErr = err
				return
			}
			img, err := sim.PersonalizeProfile(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, Issuer: iss, Time: func() time.Time { return signedAt }}, pr)
			if err != nil {
				imageProfilesErr = err
				return
			}
			imageProfilesList = append(imageProfilesList, imageProfile{name, img, trust})
		}
		iss := sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}
		for _, pr := range sim.ImageProfiles {
			mk(pr.Name, iss, p.Trust(), pr)
		}
		mk("dg2-j2k-codestream", iss, p.Trust(), sim.J2KFaceProfile(j2k))
		rsaPKI, err := pkitest.New(pkitest.Config{Now: pkiNow, CSCA: pkitest.RSA2048, DS: pkitest.RSA2048, Sign: pki.SignConfig{PSS: true}})
		if err != nil {
			imageProfilesErr = err
			return
		}
		mk("sod-rsassa-pss", sim.Issuer{Signer: rsaPKI.DS.Key, Cert: rsaPKI.DS.Cert, Sign: pki.SignConfig{PSS: true}}, rsaPKI.Trust(),
			sim.ImageProfile{Name: "sod-rsassa-pss"})
	})
	require.NoError(t, imageProfilesErr)
	return imageProfilesList
}

// TestFieldImageProfiles reads a CCCD through every data-level profile:
// each verifies, with what makes it differ checked.
func TestFieldImageProfiles(t *testing.T) {
	for _, ip := range allImageProfiles(t) {
		t.Run(ip.name, func(t *testing.T) {
			img := ip.img
			card, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
			require.NoError(t, err)
			opts := &Config{Trust: ip.trust, Time: func() time.Time { return verifyAt }}
			key := mrzKey(t, img)
			switch ip.name {
			case "paceinfo-no-parameterid":
				// The chip names no domain parameters: a CAN alone
				// cannot open it, and the error says what to give.
				_, err := Read(context.Background(), card, CANKey(img.Secrets.CAN), opts)
				require.ErrorIs(t, err, ErrNeedCardAccess)
				require.ErrorIs(t, err, ErrPACEParameters)
				require.NotErrorIs(t, err, ErrIncomplete)
				key = CANKey(img.Secrets.CAN)
				opts.PACEInfo = secinfo.NewPACEInfo(sim.CCCDPACE, sim.CCCDPACEParameterID)
			}
			res, err := Read(context.Background(), card, key, opts)
			require.NoError(t, err)
			for f, b := range img.Files {
				if f != chip.EFDG3 && f != chip.EFATRInfo {
					require.Equal(t, b, res.Document.Raw(f), "%s read byte for byte", f)
				}
			}
			require.Equal(t, check.Passed, res.Check(CheckChipAuth).Status)
			require.Equal(t, check.Passed, res.Check(CheckActiveAuth).Status)
			require.Equal(t, check.Passed, res.Check(CheckPassiveAuth).Status, "%v", res.Check(CheckPassiveAuth).Err)
			switch ip.name {
			case "com-absent-and-ta-dg":
				// EF.SOD says what to read: DG5 is not asked for, DG3
				// not without Terminal Authentication. EF.COM, which
				// nothing signs, differs from EF.SOD: that is the one
				// finding, and the document is not verified for it.
				require.Empty(t, res.Missing())
				require.Equal(t, check.Failed, res.Check(CheckCOM).Status)
				require.ErrorIs(t, res.Err(), ErrCOMMismatch)
				for _, c := range res.Checks {
					if c.Status == check.Failed {
						require.Equal(t, CheckCOM, c.Name)
					}
				}
				return
			case "pace-im-only":
				require.Equal(t, secinfo.IntegratedMapping, res.PACE.PACE.Mapping)
			case "paceinfo-no-parameterid":
				require.Equal(t, check.Passed, res.Check(CheckCardAccess).Status)
			case "dg14-set-not-der":
				require.Equal(t, img.Files[chip.EFDG14], res.Document.Raw(chip.EFDG14), "hashed as read, never re-encoded")
				infos, err := secinfo.Lenient.ParseDG14(res.Document.Raw(chip.EFDG14))
				require.NoError(t, err)
				require.False(t, infos.Sorted)
			case "sod-ber-indefinite":
				sod := res.Document.Raw(chip.EFSOD)
				require.Contains(t, string(sod[:8]), "\x30\x80", "indefinite length")
			case "dg2-j2k-codestream":
				face, err := bio.ParseFace(res.Document.DG2.Group.Templates[0].Data)
				require.NoError(t, err)
				data, format := face.Image()
				require.Equal(t, bio.FormatJPEG2000, format)
				require.Equal(t, []byte{0xFF, 0x4F, 0xFF, 0x51}, data[:4], "a raw codestream")
			case "sod-rsassa-pss":
				require.True(t, res.PassiveAuth.Signer.PublicKey.Algorithm.Equal(pki.OIDRSAEncryption), "a DS key of rsaEncryption")
				sod, err := pki.ParseSOD(res.Document.Raw(chip.EFSOD))
				require.NoError(t, err)
				require.Equal(t, pki.RSAPSS, sod.SignedData.SignerInfos[0].SignatureAlgorithm.Scheme, "EF.SOD signed with RSASSA-PSS")
			}
			require.NoError(t, res.Err())
		})
	}
}
