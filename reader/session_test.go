package reader

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

var (
	fixtureOnce sync.Once
	fixturePKI  *pkitest.PKI
	fixtureImg  map[string]*sim.Image
	fixtureErr  error
)

var (
	pkiNow   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	signedAt = time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	verifyAt = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
)

// fixtures personalizes one card of each profile, once.
func fixtures(t testing.TB) (*pkitest.PKI, map[string]*sim.Image) {
	t.Helper()
	fixtureOnce.Do(func() {
		fixturePKI, fixtureErr = pkitest.New(pkitest.Config{Now: pkiNow, CSCA: pkitest.P256, DS: pkitest.P256})
		if fixtureErr != nil {
			return
		}
		fixtureImg = map[string]*sim.Image{}
		for profile, mk := range map[string]func() (*chip.Document, error){
			sim.ProfileCCCD: sim.DemoCCCD, sim.ProfileICAOPassport: sim.DemoPassport,
		} {
			doc, err := mk()
			if err != nil {
				fixtureErr = err
				return
			}
			img, err := sim.Personalize(doc, sim.PersonalizeOptions{Profile: profile,
				Issuer: sim.Issuer{Signer: fixturePKI.DS.Key, Cert: fixturePKI.DS.Cert}, Time: signedAt})
			if err != nil {
				fixtureErr = err
				return
			}
			fixtureImg[profile] = img
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

func TestReadBAC(t *testing.T) {
	p, imgs := fixtures(t)
	for _, profile := range []string{sim.ProfileCCCD, sim.ProfileICAOPassport} {
		for _, short := range []bool{false, true} {
			t.Run(profile, func(t *testing.T) {
				img := imgs[profile]
				card, err := sim.New(img, sim.Options{ShortOnly: short})
				require.NoError(t, err)
				var last Progress
				res, err := Read(context.Background(), card, mrzKey(t, img), Options{
					Trust: p.Trust(), Time: verifyAt, Progress: func(pr Progress) { last = pr },
				})
				require.NoError(t, err)
				require.NoError(t, res.Err())
				require.True(t, res.Verified())
				require.Equal(t, "BAC", res.Access)
				require.Equal(t, chip.EFSOD, last.File)
				for f, b := range img.Files {
					if f.InMF() {
						continue
					}
					require.Equal(t, b, res.Document.Raw(f), f.String())
				}
				// Fewest APDUs: SELECT, GET CHALLENGE, EXTERNAL
				// AUTHENTICATE, then ceil(size/C) per file.
				chunk := MaxPlainResponse(65536, 8)
				if short {
					chunk = MaxPlainResponse(256, 8)
				}
				min := 3
				for f, b := range img.Files {
					if !f.InMF() {
						min += (len(b) + chunk - 1) / chunk
					}
				}
				require.Equal(t, min, res.APDUs)
				require.Equal(t, card.Stats().APDUs, res.APDUs)
			})
		}
	}
}

func TestReadWrongKey(t *testing.T) {
	_, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], sim.Options{})
	require.NoError(t, err)
	dob, _ := mrz.NewDate(1990, 1, 2)
	doe, _ := mrz.NewDate(2035, 1, 1)
	info, err := mrz.NewInfo("090012345", dob, doe)
	require.NoError(t, err)
	res, err := Read(context.Background(), card, MRZKey(info), Options{})
	require.ErrorIs(t, err, ErrAccess)
	require.Equal(t, Failed, res.Check(CheckAccess).Status)
	require.False(t, res.Verified())
	require.Nil(t, res.Document)

	_, err = Read(context.Background(), card, Key{}, Options{})
	require.ErrorIs(t, err, ErrNoKey)
	require.NotContains(t, MRZKey(info).String()+MRZKey(info).GoString(), "090012345")
}

func TestReadNoTrustIsNotVerified(t *testing.T) {
	_, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], sim.Options{})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, imgs[sim.ProfileCCCD]), Options{})
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.ErrorIs(t, res.Err(), ErrNotVerified)
	require.Equal(t, NotRun, res.Check(CheckPassiveAuth).Status)
	require.Equal(t, "NGUYEN VAN AN", res.Document.FullName())
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
	card, err := sim.New(&img, sim.Options{})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, &img), Options{Trust: p.Trust(), Time: verifyAt})
	require.NoError(t, err)
	require.False(t, res.Verified())
	require.Equal(t, Failed, res.Check(CheckPassiveAuth).Status)
}

func TestReadReopensAfterSMError(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	// The sixth response (the second protected read) has a wrong MAC:
	// the reader opens the chip again and reads on.
	card, err := sim.New(img, sim.Options{Faults: sim.Faults{CorruptResponse: 6}})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), Options{Trust: p.Trust(), Time: verifyAt})
	require.NoError(t, err)
	require.True(t, res.Verified())

	// Without retries the error stops the read, typed.
	card, err = sim.New(img, sim.Options{Faults: sim.Faults{CorruptResponse: 6}})
	require.NoError(t, err)
	res, err = Read(context.Background(), card, mrzKey(t, img), Options{Trust: p.Trust(), Time: verifyAt, Retries: -1})
	require.Error(t, err)
	var se *sm.Error
	require.True(t, errors.As(err, &se), "%v", err)
	require.False(t, res.Verified())
}

func TestReadTornCard(t *testing.T) {
	_, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, sim.Options{ShortOnly: true, Faults: sim.Faults{TearAfterAPDUs: 20}})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), Options{})
	require.ErrorIs(t, err, sim.ErrRemoved)
	var fe *FileError
	require.ErrorAs(t, err, &fe)
	require.False(t, res.Verified())
	// Twenty answered, the twenty-first found the card gone.
	require.Equal(t, 21, res.APDUs)
}

func TestATRExtendedLength(t *testing.T) {
	require.True(t, ATRExtendedLength(sim.DefaultATR(true)))
	require.False(t, ATRExtendedLength(sim.DefaultATR(false)))
	require.False(t, ATRExtendedLength(nil))
	require.False(t, ATRExtendedLength([]byte{0x3B, 0x8F}))
}
