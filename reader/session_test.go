package reader

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

var (
	fixtureOnce sync.Once
	fixturePKI  *pkitest.PKI
	fixtureImg  map[string]*sim.Image
	fixtureErr  error
)

// passportPACE names the fixture of a passport that offers PACE besides BAC.
const passportPACE = sim.ProfileICAOPassport + "+pace"

var (
	pkiNow   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	signedAt = time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	verifyAt = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
)

// fixtures personalizes one card of each profile, once.
// copyConfig returns a copy of c (a zero Config when c is nil) that a test
// may change without changing c.
func copyConfig(c *Config) *Config {
	var o Config
	if c != nil {
		o = *c
	}
	return &o
}

func fixtures(t testing.TB) (*pkitest.PKI, map[string]*sim.Image) {
	t.Helper()
	fixtureOnce.Do(func() {
		fixturePKI, fixtureErr = pkitest.New(pkitest.Config{Now: pkiNow, CSCA: pkitest.P256, DS: pkitest.P256})
		if fixtureErr != nil {
			return
		}
		fixtureImg = map[string]*sim.Image{}
		for name, mk := range map[string]func() (*chip.Document, error){
			sim.ProfileCCCD: sim.DemoCCCD, sim.ProfileICAOPassport: sim.DemoPassport, passportPACE: sim.DemoPassport,
		} {
			doc, err := mk()
			if err != nil {
				fixtureErr = err
				return
			}
			profile := strings.TrimSuffix(name, "+pace")
			img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: profile, PACE: name == passportPACE, CAN: "123456",
				Issuer: sim.Issuer{Signer: fixturePKI.DS.Key, Cert: fixturePKI.DS.Cert}, Time: func() time.Time { return signedAt }})
			if err != nil {
				fixtureErr = err
				return
			}
			fixtureImg[name] = img
		}
	})
	require.NoError(t, fixtureErr)
	return fixturePKI, fixtureImg
}

func mrzKey(t testing.TB, img *sim.Image) Key {
	t.Helper()
	doc, err := chip.ParseDocument(map[chip.File][]byte{chip.EFDG1: img.Files[chip.EFDG1]})
	require.NoError(t, err)
	return MRZKey(doc.DG1.MRZ.Info())
}

func TestRead(t *testing.T) {
	p, imgs := fixtures(t)
	for _, tc := range []struct {
		profile string
		can     bool
		short   bool
		access  AccessMethod
	}{
		{sim.ProfileCCCD, false, false, PACE},
		{sim.ProfileCCCD, false, true, PACE},
		{sim.ProfileCCCD, true, false, PACE},
		{sim.ProfileCCCD, true, true, PACE},
		{sim.ProfileICAOPassport, false, false, BAC},
		{sim.ProfileICAOPassport, false, true, BAC},
		{passportPACE, false, false, PACE},
		{passportPACE, true, true, PACE},
	} {
		name := fmt.Sprintf("%s/can=%v/short=%v", tc.profile, tc.can, tc.short)
		t.Run(name, func(t *testing.T) {
			img := imgs[tc.profile]
			card, err := sim.New(img, &sim.Config{ShortOnly: tc.short, SelectMFQuirk: true})
			require.NoError(t, err)
			key := mrzKey(t, img)
			if tc.can {
				key = CANKey(img.Secrets.CAN)
			}
			done := map[chip.File]bool{}
			res, err := Read(context.Background(), card, key, &Config{
				Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Progress: func(pr Progress) {
					require.LessOrEqual(t, pr.Read, pr.Total)
					done[pr.File] = pr.Read == pr.Total
				},
			})
			require.NoError(t, err)
			require.NoError(t, res.Err())
			require.True(t, res.Verified())
			require.Equal(t, tc.access, res.Access.Method, res.Access.String())
			require.True(t, done[chip.EFSOD] && done[chip.EFDG2] && done[chip.EFDG1], "progress reported every file to its end")
			require.Equal(t, check.Passed, res.Check(CheckCOM).Status)
			if tc.access == PACE {
				require.Equal(t, check.Passed, res.Check(CheckCardAccess).Status)
			}
			for f, b := range img.Files {
				switch f {
				case chip.EFATRInfo:
				case chip.EFDG3:
					// No Terminal Authentication: not read.
					require.Nil(t, res.Document.Raw(f))
				default:
					require.Equal(t, b, res.Document.Raw(f), f.String())
				}
			}
			// Fewest APDUs: reading (or trying) EF.CardAccess, then
			// PACE (MSE:Set AT, 4 GENERAL AUTHENTICATE, SELECT) or BAC
			// (SELECT, GET CHALLENGE, EXTERNAL AUTHENTICATE), then
			// ceil(size/C) per file of the application, where C depends
			// on the cipher: the access protocol's for EF.COM and DG14,
			// Chip Authentication's (2 APDUs, AES-128) for the rest.
			// A chip without EF.CardAccess is asked again from the MF
			// (2 more APDUs: SELECT MF, refused here, and SELECT by
			// path): it may be a card left inside its application.
			block, fixed := 8, 1+2+3
			if tc.access == PACE {
				block, fixed = 16, 1+6
			}
			chunk := func(block int) int {
				if tc.short {
					return sm.MaxPlainResponse(256, block)
				}
				return sm.MaxPlainResponse(65536, block)
			}
			// Chip Authentication (2) and Active Authentication (1):
			// on short links the RSA-2048 signature comes in two
			// pieces, the second with GET RESPONSE.
			min := fixed + 2 + 1
			if tc.short {
				min++
			}
			require.Equal(t, check.Passed, res.Check(CheckActiveAuth).Status)
			for f, b := range img.Files {
				switch {
				case f.InMF() || f == chip.EFDG3:
				case f == chip.EFCOM || f == chip.EFDG14:
					min += (len(b) + chunk(block) - 1) / chunk(block)
				default:
					min += (len(b) + chunk(16) - 1) / chunk(16)
				}
			}
			require.Equal(t, check.Passed, res.Check(CheckChipAuth).Status)
			require.Equal(t, min, res.APDUs)
			require.Equal(t, card.Stats().APDUs, res.APDUs)
		})
	}
}

func TestReadNoSilentDowngrade(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	// The card announces PACE but its PACE fails.
	card, err := sim.New(img, &sim.Config{DisablePACE: true})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.ErrorIs(t, err, ErrAccess)
	require.Equal(t, check.Failed, res.Check(CheckPACE).Status)
	require.Nil(t, res.Document)

	// Allowed, the reader falls back to BAC, and says so.
	card, err = sim.New(img, &sim.Config{DisablePACE: true})
	require.NoError(t, err)
	res, err = Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, AllowBACFallback: true})
	require.NoError(t, err)
	require.Equal(t, BAC, res.Access.Method)
	require.Equal(t, check.Failed, res.Check(CheckPACE).Status)
	require.False(t, res.Verified(), "a failed PACE stays a failed check")

	// A CAN cannot open a BAC-only chip.
	card, err = sim.New(imgs[sim.ProfileICAOPassport], nil)
	require.NoError(t, err)
	_, err = Read(context.Background(), card, CANKey("123456"), nil)
	require.ErrorIs(t, err, ErrNoKey)

	// A wrong CAN.
	card, err = sim.New(img, nil)
	require.NoError(t, err)
	_, err = Read(context.Background(), card, CANKey("999999"), nil)
	require.ErrorIs(t, err, ErrAccess)
	require.ErrorIs(t, err, pace.ErrAuthentication)
}

func TestReadWrongKey(t *testing.T) {
	_, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	dob, _ := mrz.NewDate(1990, 1, 2)
	doe, _ := mrz.NewDate(2035, 1, 1)
	info, err := mrz.NewInfo("090012345", dob, doe)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, MRZKey(info), nil)
	require.ErrorIs(t, err, ErrAccess)
	require.Equal(t, check.Failed, res.Check(CheckAccess).Status)
	require.False(t, res.Verified())
	require.Nil(t, res.Document)

	_, err = Read(context.Background(), card, Key{}, nil)
	require.ErrorIs(t, err, ErrNoKey)
	require.NotContains(t, MRZKey(info).String()+MRZKey(info).GoString(), "090012345")
}

func TestReadNoTrustIsNotVerified(t *testing.T) {
	_, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, imgs[sim.ProfileCCCD]), nil)
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.ErrorIs(t, res.Err(), ErrNotVerified)
	require.Equal(t, check.NotRun, res.Check(CheckPassiveAuth).Status)
	require.Equal(t, "Nguyễn Văn An", res.Document.FullName(), "from DG13, with diacritics")
}

func TestReadTamperedFails(t *testing.T) {
	p, imgs := fixtures(t)
	img := *imgs[sim.ProfileCCCD]
	img.Files = map[chip.File][]byte{}
	for f, b := range imgs[sim.ProfileCCCD].Files {
		img.Files[f] = b
	}
	dg13 := append([]byte(nil), img.Files[chip.EFDG13]...)
	dg13[len(dg13)-1] ^= 0x01
	img.Files[chip.EFDG13] = dg13
	card, err := sim.New(&img, nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, &img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.Equal(t, check.Failed, res.Check(CheckPassiveAuth).Status)
}

func TestReadReopensAfterSMError(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	// The ninth response (the second protected read, after EF.CardAccess,
	// PACE and SELECT) is corrupted: the reader opens the chip again and
	// reads on.
	card, err := sim.New(img, &sim.Config{Faults: sim.Faults{CorruptResponse: 9}})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.True(t, res.Verified())

	// A failure after Chip Authentication: the reader opens the chip and
	// runs Chip Authentication again (2 more APDUs), then reads on.
	card, err = sim.New(img, &sim.Config{Faults: sim.Faults{CorruptResponse: 13}})
	require.NoError(t, err)
	res, err = Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.True(t, res.Verified(), "%v", res.Err())
	n := 0
	for _, c := range res.Checks {
		if c.Name == CheckChipAuth {
			n++
		}
	}
	require.Equal(t, 1, n, "one chip authentication check")
	// 17 for a clean read, plus the failed read, PACE (5), SELECT and
	// Chip Authentication (2) before the file is read again.
	require.Equal(t, 17+9, res.APDUs)

	// Without retries the error stops the read, typed.
	card, err = sim.New(img, &sim.Config{Faults: sim.Faults{CorruptResponse: 9}})
	require.NoError(t, err)
	res, err = Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Retries: -1})
	require.Error(t, err)
	var se *sm.Error
	require.True(t, errors.As(err, &se), "%v", err)
	require.False(t, res.Verified())
}

func TestReadTornCard(t *testing.T) {
	_, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, &sim.Config{ShortOnly: true, Faults: sim.Faults{TearAfterAPDUs: 20}})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), nil)
	require.ErrorIs(t, err, sim.ErrRemoved)
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	require.False(t, res.Verified())
	// Twenty answered, the twenty-first found the card gone.
	require.Equal(t, 21, res.APDUs)
}

func TestReadDetectsClone(t *testing.T) {
	p, imgs := fixtures(t)
	for _, profile := range []string{sim.ProfileCCCD, sim.ProfileICAOPassport} {
		img := imgs[profile]
		card, err := sim.New(img, &sim.Config{Faults: sim.Faults{Clone: true}})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
		require.ErrorIs(t, err, eac.ErrCloneSuspected, profile)
		require.Equal(t, check.Failed, res.Check(CheckChipAuth).Status)
		require.False(t, res.Verified())
		require.Nil(t, res.Document, "nothing read from a clone is handed out")
	}
}

// TestReadCloneRejectingSMIsIncomplete: a clone that checks our MAC and
// answers a plain 6988, as a genuine chip does whose command was spoiled
// on the way in, is never verified, and never called a clone either: two
// status bytes that anyone on the link can forge are no cryptographic
// evidence (issue 13's rule). The read ends incomplete after its retries.
func TestReadCloneRejectingSMIsIncomplete(t *testing.T) {
	p, imgs := fixtures(t)
	for _, profile := range []string{sim.ProfileCCCD, sim.ProfileICAOPassport} {
		img := imgs[profile]
		card, err := sim.New(img, &sim.Config{Faults: sim.Faults{Clone: true, CloneRejectsSM: true}})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
		require.Error(t, err, profile)
		require.NotErrorIs(t, err, eac.ErrCloneSuspected, profile)
		require.ErrorIs(t, err, ErrIncomplete, profile)
		require.NotEqual(t, check.Passed, res.Check(CheckChipAuth).Status, profile)
		require.NotEqual(t, check.Failed, res.Check(CheckChipAuth).Status, profile)
		require.True(t, res.Incomplete(), profile)
		require.False(t, res.Verified(), profile)
	}
}

func TestReadActiveAuthenticationFailure(t *testing.T) {
	p, imgs := fixtures(t)
	// The passport's chip signs with the CCCD's Active Authentication key:
	// DG15 does not match it.
	img := *imgs[sim.ProfileICAOPassport]
	img.Secrets.AAKey = imgs[sim.ProfileCCCD].Secrets.AAKey
	card, err := sim.New(&img, nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, &img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.Equal(t, check.Passed, res.Check(CheckPassiveAuth).Status)
	require.Equal(t, check.Failed, res.Check(CheckActiveAuth).Status)
	require.ErrorIs(t, res.Check(CheckActiveAuth).Err, aa.ErrSignature)
	require.False(t, res.Verified())
	require.ErrorIs(t, res.Err(), aa.ErrSignature)
}

func TestReadTerminalAuthentication(t *testing.T) {
	p, _ := fixtures(t)
	full, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: signedAt, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	dg4only, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: signedAt, Access: cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD,
		Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return signedAt }, TrustPoints: [][]byte{full.CVCA.Raw}})
	require.NoError(t, err)

	read := func(t *testing.T, term *Terminal) *Result {
		card, err := sim.New(img, nil)
		require.NoError(t, err)
		res, err := Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Terminal: term})
		require.NoError(t, err)
		return res
	}
	// The right chain: DG3 read and verified.
	res := read(t, &Terminal{Chain: []*cvc.Certificate{full.DV, full.IS}, Signer: full.ISKey})
	require.NoError(t, res.Err())
	require.Equal(t, check.Passed, res.Check(CheckTerminal).Status)
	require.Equal(t, img.Files[chip.EFDG3], res.Document.Raw(chip.EFDG3))
	require.NotNil(t, res.Document.DG3)

	// No credentials: DG3 not read, TA not run, the rest verified.
	res = read(t, nil)
	require.True(t, res.Verified())
	require.Equal(t, check.NotRun, res.Check(CheckTerminal).Status)
	require.Nil(t, res.Document.Raw(chip.EFDG3))

	// A chain the chip does not trust: TA fails, DG3 not read.
	res = read(t, &Terminal{Chain: []*cvc.Certificate{dg4only.DV, dg4only.IS}, Signer: dg4only.ISKey})
	require.Equal(t, check.Failed, res.Check(CheckTerminal).Status)
	require.Nil(t, res.Document.Raw(chip.EFDG3))
	require.False(t, res.Verified())
}

func TestReadFileFaults(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	read := func(f sim.Faults) (*Result, error) {
		card, err := sim.New(img, &sim.Config{Faults: f})
		require.NoError(t, err)
		return Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	}
	// A file that lies about its length: a typed error naming it, and
	// the other files read.
	res, err := read(sim.Faults{LyingFile: chip.EFDG2})
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.Equal(t, check.Failed, res.Check(CheckRead).Status)
	require.ErrorIs(t, res.Check(CheckRead).Err, ErrFilesMissing)
	require.ErrorIs(t, res.Err(), ErrTruncated)
	var fe *FileError
	require.ErrorAs(t, res.Check(CheckRead).Err, &fe)
	require.Equal(t, chip.EFDG2, fe.File)
	require.Equal(t, []chip.File{chip.EFDG2}, res.Missing())
	require.NotNil(t, res.Document.DG1)

	// A data group that does not match EF.SOD: read, but not verified,
	// and the data group named.
	res, err = read(sim.Faults{TamperedFile: chip.EFDG13})
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.Equal(t, check.Failed, res.Check(CheckPassiveAuth).Status)
	for _, d := range res.PassiveAuth.DataGroups {
		if d.Number == 13 {
			require.Equal(t, pki.DGMismatch, d.Status)
		} else if d.Number != 3 {
			require.Equal(t, pki.DGOK, d.Status, "DG%d", d.Number)
		}
	}
	// A broken EF.SOD.
	res, err = read(sim.Faults{TamperedFile: chip.EFSOD})
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.Equal(t, check.Failed, res.Check(CheckPassiveAuth).Status)

	// A slow card and a context that ends: stopped within one APDU.
	card, err := sim.New(img, &sim.Config{Faults: sim.Faults{Delay: 20 * time.Millisecond}})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Read(ctx, card, mrzKey(t, img), nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 200*time.Millisecond)
}

func TestReadPACEMappings(t *testing.T) {
	p, _ := fixtures(t)
	for _, m := range []secinfo.Mapping{secinfo.IntegratedMapping, secinfo.ChipAuthenticationMapping} {
		doc, err := sim.DemoCCCD()
		require.NoError(t, err)
		img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, PACEMapping: m,
			Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return signedAt }})
		require.NoError(t, err)
		for _, clone := range []bool{false, true} {
			card, err := sim.New(img, &sim.Config{Faults: sim.Faults{Clone: clone}})
			require.NoError(t, err)
			res, err := Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			if clone {
				if m == secinfo.ChipAuthenticationMapping {
					// PACE-CAM itself exposes the clone.
					require.NoError(t, err)
					require.Equal(t, check.Failed, res.Check(CheckChipAuth).Status)
					require.ErrorIs(t, res.Check(CheckChipAuth).Err, pace.ErrCAM)
					require.False(t, res.Verified())
				} else {
					require.ErrorIs(t, err, eac.ErrCloneSuspected)
				}
				continue
			}
			require.NoError(t, err)
			require.NoError(t, res.Err(), m)
			require.Equal(t, m, res.PACE.PACE.Mapping)
			require.Equal(t, check.Passed, res.Check(CheckChipAuth).Status)
			if m == secinfo.ChipAuthenticationMapping {
				require.NotNil(t, res.Document.Raw(chip.EFCardSecurity))
			}
		}
	}
}

// A man in the middle spoils EF.CardAccess so that the reader sees no PACE
// and uses BAC: DG14, signed, shows the downgrade.
func TestReadDetectsDowngrade(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	mitm := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
		if cmd.INS == 0xB0 && cmd.P1 == 0x80|chip.EFCardAccess.SFI() {
			return apdu.Response{SW: apdu.SWFileNotFound}, nil
		}
		return card.Transmit(ctx, cmd)
	})
	res, err := Read(context.Background(), mitm, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.Equal(t, BAC, res.Access.Method)
	require.Equal(t, check.Failed, res.Check(CheckDowngrade).Status)
	require.ErrorIs(t, res.Err(), ErrDowngrade)
	require.False(t, res.Verified())
}

func TestReadECDSAActiveAuthentication(t *testing.T) {
	p, _ := fixtures(t)
	for _, c := range []*ec.Curve{ec.BrainpoolP256r1(), ec.P256()} {
		key, err := ec.GenerateKey(c, rand.Reader)
		require.NoError(t, err)
		doc, err := sim.DemoCCCD()
		require.NoError(t, err)
		img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, AAKey: key,
			Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return signedAt }})
		require.NoError(t, err)
		card, err := sim.New(img, &sim.Config{ShortOnly: true})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
		require.NoError(t, err)
		require.NoError(t, res.Err(), c.Name())
		require.Equal(t, check.Passed, res.Check(CheckActiveAuth).Status, "an ECDSA signature fits a short APDU")
	}
}

func TestReadWithoutDG1IsNotVerified(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt },
		Files: []chip.File{chip.EFDG2}})
	require.NoError(t, err)
	require.ErrorIs(t, res.Check(CheckPassiveAuth).Err, ErrNoHolderData)
	require.False(t, res.Verified())
}

func TestReadCCCDWithBAC(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	for _, short := range []bool{false, true} {
		card, err := sim.New(img, &sim.Config{ShortOnly: short})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, UseBAC: true})
		require.NoError(t, err)
		require.NoError(t, res.Err())
		require.Equal(t, BAC, res.Access.Method)
		require.Equal(t, check.Passed, res.Check(CheckChipAuth).Status)
		require.Equal(t, "Nguyễn Văn An", res.Document.FullName())
	}
	// A CAN cannot open a chip with BAC.
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	_, err = Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{UseBAC: true})
	require.ErrorIs(t, err, ErrNoKey)
}

// A card whose ATR says nothing about extended length (as PC/SC readers
// often build contactless ATRs): the reader learns it from EF.ATR/INFO, one
// APDU, instead of reading everything in short APDUs.
func TestReadLearnsExtendedLengthFromATRInfo(t *testing.T) {
	p, imgs := fixtures(t)
	img := *imgs[sim.ProfileCCCD]
	img.ATR = []byte{0x3B, 0x80, 0x80, 0x01, 0x01} // no historical bytes
	for _, tc := range []struct {
		name  string
		opts  sim.Config
		apdus int
	}{
		{"extended card", sim.Config{}, 17 + 1},
		// EF.ATR/INFO promises more than this card takes: 6700 makes
		// the reader shrink (16 KiB, 4 KiB, then 1 KiB fits) and keep
		// 1 KiB responses: far fewer APDUs than short ones.
		{"1 KiB card", sim.Config{MaxResponse: 1024}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, err := sim.New(&img, &tc.opts)
			require.NoError(t, err)
			_, known := ATRCapabilities(card.ATR())
			require.False(t, known)
			res, err := Read(context.Background(), card, mrzKey(t, &img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			require.NoError(t, err)
			require.NoError(t, res.Err())
			if tc.apdus > 0 {
				require.Equal(t, tc.apdus, res.APDUs)
			} else {
				require.Less(t, res.APDUs, 50)
			}
		})
	}
	// Without EF.ATR/INFO the reader stays short: 91 APDUs, plus the
	// try, plus Active Authentication (its RSA-2048 signature with one
	// GET RESPONSE).
	delete(img.Files, chip.EFATRInfo)
	card, err := sim.New(&img, nil)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, &img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	require.NoError(t, res.Err())
	require.Equal(t, check.Passed, res.Check(CheckActiveAuth).Status)
	require.Equal(t, 91+1+2, res.APDUs)
}

func TestATRCapabilities(t *testing.T) {
	for _, tc := range []struct {
		atr             []byte
		extended, known bool
	}{
		{sim.DefaultATR(true), true, true},
		{sim.DefaultATR(false), false, true},
		{[]byte{0x3B, 0x80, 0x80, 0x01, 0x01}, false, false},
		{nil, false, false},
		{[]byte{0x3B, 0x8F}, false, false},
	} {
		e, k := ATRCapabilities(tc.atr)
		require.Equal(t, tc.extended, e, "% X", tc.atr)
		require.Equal(t, tc.known, k, "% X", tc.atr)
	}
}

func TestExtendedFromATR(t *testing.T) {
	require.Equal(t, ExtendedOn, ExtendedFromATR(sim.DefaultATR(true)))
	require.Equal(t, ExtendedOff, ExtendedFromATR(sim.DefaultATR(false)))
	require.Equal(t, ExtendedAuto, ExtendedFromATR([]byte{0x3B, 0x80, 0x80, 0x01, 0x01}))
}

func TestReadTrace(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	res, err := Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Logger: log})
	require.NoError(t, err)
	require.Equal(t, res.APDUs, strings.Count(buf.String(), "msg=apdu"))
	require.Contains(t, buf.String(), "header=0022C1A4")
	for _, secret := range []string{img.Secrets.CAN, "001090012345", "Nguy"} {
		require.NotContains(t, buf.String(), secret)
	}
}
