package reader

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/secinfo/secinfotest"
)

// cccdTrace reads the CCCD fixture cleanly and returns the INS of every
// APDU, in order (index 0 is APDU 1).
func cccdTrace(t *testing.T, opts sim.Config) []byte {
	t.Helper()
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, &opts)
	require.NoError(t, err)
	var ins []byte
	tr := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
		ins = append(ins, cmd.INS)
		return card.Transmit(ctx, cmd)
	})
	res, err := Read(context.Background(), tr, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Extended: extendedOf(opts)})
	require.NoError(t, err)
	require.NoError(t, res.Err())
	return ins
}

func extendedOf(o sim.Config) Extended {
	if o.ShortOnly {
		return ExtendedOff
	}
	return ExtendedOn
}

// caIndex returns the APDU number (from 1) of Chip Authentication's
// GENERAL AUTHENTICATE: the fifth, after PACE's four.
func caIndex(t *testing.T, ins []byte) int {
	n := 0
	for i, b := range ins {
		if b == apdu.INSGeneralAuthenticate {
			if n++; n == 5 {
				return i + 1
			}
		}
	}
	require.FailNow(t, "no Chip Authentication in the trace")
	return 0
}

// Finding 1: only cryptographic evidence says clone. A corrupted response,
// a plain 6988 or a response without DO '99' at the first protected
// exchange after Chip Authentication, or during Chip Authentication's own
// GENERAL AUTHENTICATE, is retried (the chip opened again, Chip
// Authentication again) and the genuine chip verified; a torn card there
// is incomplete, never a clone.
func TestFieldCloneOnlyOnEvidence(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	ga := caIndex(t, cccdTrace(t, sim.Config{}))
	first := ga + 1 // EF.SOD's first READ BINARY
	for _, tc := range []struct {
		name   string
		faults sim.Faults
	}{
		{"corrupted first response after CA", sim.Faults{CorruptResponse: first}},
		{"6988 at the first read after CA", sim.Faults{KillSession: first}},
		{"no DO 99 at the first read after CA", sim.Faults{NoDO99: first}},
		{"corrupted CA response", sim.Faults{CorruptResponse: ga}},
		{"6988 to CA's GENERAL AUTHENTICATE", sim.Faults{KillSession: ga}},
		{"corrupted second read after CA", sim.Faults{CorruptResponse: first + 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, err := sim.New(img, &sim.Config{Faults: tc.faults})
			require.NoError(t, err)
			res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			require.NoError(t, err)
			require.NoError(t, res.Err())
			require.Equal(t, check.Passed, res.Check(CheckChipAuth).Status)
		})
	}
	// Without retries the same faults leave the read incomplete: not a
	// clone, not verified.
	for _, f := range []sim.Faults{{CorruptResponse: first}, {KillSession: first}, {KillSession: ga}} {
		card, err := sim.New(img, &sim.Config{Faults: f})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Retries: -1})
		require.ErrorIs(t, err, ErrIncomplete)
		require.NotErrorIs(t, err, eac.ErrCloneSuspected)
		require.True(t, res.Incomplete())
		require.False(t, res.Verified())
		require.NotEqual(t, check.Failed, res.Check(CheckChipAuth).Status)
	}
	// A card torn away right after Chip Authentication: incomplete and
	// named, not a clone.
	for _, n := range []int{ga - 1, ga, first} {
		card, err := sim.New(img, &sim.Config{Faults: sim.Faults{TearAfterAPDUs: n}})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
		require.ErrorIs(t, err, ErrIncomplete)
		require.ErrorIs(t, err, ErrCardRemoved)
		require.ErrorIs(t, err, sim.ErrRemoved)
		require.NotErrorIs(t, err, eac.ErrCloneSuspected)
		require.False(t, res.Verified())
		require.Nil(t, res.Document)
	}
	// A real clone still is one: its first protected response fails
	// under two Chip Authentications in a row.
	card, err := sim.New(img, &sim.Config{Faults: sim.Faults{Clone: true}})
	require.NoError(t, err)
	res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.ErrorIs(t, err, eac.ErrCloneSuspected)
	require.NotErrorIs(t, err, ErrIncomplete)
	require.Equal(t, check.Failed, res.Check(CheckChipAuth).Status)
}

// Finding 2: a card left on the reader is read again and again: each read
// starts from a known state (the MF selected again), with the CAN and
// with the MRZ.
func TestFieldReadSameCardAgain(t *testing.T) {
	p, imgs := fixtures(t)
	for _, profile := range []string{sim.ProfileCCCD, sim.ProfileICAOPassport, passportPACE} {
		img := imgs[profile]
		for _, quirk := range []bool{false, true} {
			card, err := sim.New(img, &sim.Config{SelectMFQuirk: quirk})
			require.NoError(t, err)
			for i := 1; i <= 10; i++ {
				key := mrzKey(t, img)
				if i%2 == 0 && profile != sim.ProfileICAOPassport {
					key = CANKey(img.Secrets.CAN)
				}
				res, err := Read(context.Background(), card, key, &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
				require.NoError(t, err, "%s read %d", profile, i)
				require.NoError(t, res.Err(), "%s read %d", profile, i)
			}
		}
	}
}

// Finding 3: a data group EF.SOD lists that the card does not have (6A82),
// or refuses (6982, protected), does not lose the read.
func TestFieldAbsentOrRefusedFile(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	for _, tc := range []struct {
		name   string
		faults sim.Faults
		want   error
	}{
		{"absent", sim.Faults{AbsentFile: chip.EFDG13}, ErrFileNotFound},
		{"refused", sim.Faults{DeniedFile: chip.EFDG13}, ErrAccessDenied},
		{"absent DG2", sim.Faults{AbsentFile: chip.EFDG2}, ErrFileNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, err := sim.New(img, &sim.Config{Faults: tc.faults})
			require.NoError(t, err)
			res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			require.NoError(t, err)
			require.NotNil(t, res.Document)
			require.False(t, res.Verified())
			require.False(t, res.Incomplete())
			missing := tc.faults.AbsentFile | tc.faults.DeniedFile
			require.Equal(t, []chip.File{missing}, res.Missing())
			require.ErrorIs(t, res.Err(), ErrFilesMissing)
			require.ErrorIs(t, res.Err(), tc.want)
			for f, b := range img.Files {
				if f != missing && f != chip.EFDG3 && f != chip.EFATRInfo {
					require.Equal(t, b, res.Document.Raw(f), f.String())
				}
			}
			require.Equal(t, check.Passed, res.Check(CheckChipAuth).Status)
			require.Equal(t, check.Passed, res.Check(CheckActiveAuth).Status)
		})
	}
}

// Finding 8: an attacker who answers "file not found" to EF.CardAccess
// does not get a BAC read verified, even when the caller allowed a
// fallback (PACE was never tried, so nothing failed).
func TestFieldNoSilentDowngradeWithFallback(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	mitm := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
		if cmd.INS == 0xB0 && cmd.P1 == 0x80|chip.EFCardAccess.SFI() ||
			cmd.INS == apdu.INSSelect && cmd.P1 != 0x04 {
			return apdu.Response{SW: apdu.SWFileNotFound}, nil
		}
		return card.Transmit(ctx, cmd)
	})
	res, err := Read(context.Background(), mitm, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, AllowBACFallback: true})
	require.NoError(t, err)
	require.Equal(t, BAC, res.Access.Method)
	require.False(t, res.Verified())
	require.ErrorIs(t, res.Err(), ErrDowngrade)
	// The caller's own choice of BAC stays verified.
	card, err = sim.New(img, nil)
	require.NoError(t, err)
	res, err = Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, UseBAC: true})
	require.NoError(t, err)
	require.NoError(t, res.Err())
}

// Finding 7: EF.CardAccess refused before PACE (iPhones and CCCDs): a clear
// error naming what is needed, and a read with the caller's EF.CardAccess
// or PACE parameters.
func TestFieldSuppliedCardAccess(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	opts := sim.Config{Quirks: sim.Quirks{CardAccessDenied: true}, DisableBAC: true}
	card, err := sim.New(img, &opts)
	require.NoError(t, err)
	_, err = Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.ErrorIs(t, err, ErrNeedCardAccess)
	require.ErrorIs(t, err, ErrAccessDenied)
	require.NotErrorIs(t, err, ErrIncomplete)
	_, err = Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.ErrorIs(t, err, ErrNeedCardAccess)

	res, err := Read(context.Background(), card, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt },
		CardAccess: img.Files[chip.EFCardAccess]})
	require.NoError(t, err)
	require.NoError(t, res.Err())
	require.Equal(t, check.Passed, res.Check(CheckCardAccess).Status, "the caller's EF.CardAccess is checked against DG14")
	require.Nil(t, res.Document.Raw(chip.EFCardAccess), "not read from the chip")
	require.Nil(t, res.PassiveAuth.Err())
}

// TestCardAccessFromChip: Config.CardAccessFromChip takes the caller's
// EF.CardAccess as the chip's (a relay client read it next to the card):
// no READ BINARY for it, kept among the files read, and checked against
// DG14 as the chip's own. A file with a SecurityInfo DG14 lacks fails that
// check; one without PACE makes a BAC read the downgrade check fails; bytes
// that do not parse are ignored and the chip's file is read.
func TestCardAccessFromChip(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	genuine := img.Files[chip.EFCardAccess]
	// A SecurityInfo DG14 lacks, added to the chip's own.
	added, err := secinfotest.WithExtraInfo(genuine)
	require.NoError(t, err)
	local, err := sim.New(img, nil)
	require.NoError(t, err)
	want, err := Read(context.Background(), local, CANKey(img.Secrets.CAN), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
	require.NoError(t, err)
	for _, tc := range []struct {
		name       string
		cardAccess []byte
		mrz        bool
		apdus      int
		failed     check.Name // the check that fails; "" for verified
		kept       []byte     // EF.CardAccess among the files read
	}{
		{"genuine", genuine, false, want.APDUs - 1, "", genuine},
		{"info added", added, false, want.APDUs - 1, CheckCardAccess, added},
		{"no PACE", []byte{0x31, 0x00}, true, 0, CheckDowngrade, nil},
		{"garbage", []byte{0x04, 0x01}, false, want.APDUs, "", genuine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, err := sim.New(img, nil)
			require.NoError(t, err)
			key := CANKey(img.Secrets.CAN)
			if tc.mrz {
				key = mrzKey(t, img)
			}
			res, err := Read(context.Background(), card, key, &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt },
				CardAccess: tc.cardAccess, CardAccessFromChip: true})
			require.NoError(t, err)
			require.Equal(t, card.Stats().APDUs, res.APDUs)
			if tc.apdus != 0 {
				require.Equal(t, tc.apdus, res.APDUs)
			}
			if tc.kept != nil {
				require.Equal(t, tc.kept, res.Document.Raw(chip.EFCardAccess), "kept as the chip's")
			}
			require.Nil(t, res.PassiveAuth.Err(), "the chip's data verifies")
			if tc.failed == "" {
				require.True(t, res.Verified(), "%v", res.Checks)
				require.Equal(t, check.Passed, res.Check(CheckCardAccess).Status)
				return
			}
			require.False(t, res.Verified())
			require.Equal(t, check.Failed, res.Check(tc.failed).Status, "%v", res.Checks)
		})
	}
}

// Finding 9: a card removed is named, typed, and incomplete.
func TestFieldCardRemovedNamed(t *testing.T) {
	_, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	for _, n := range []int{0 + 1, 5, 12, 15} {
		card, err := sim.New(img, &sim.Config{Faults: sim.Faults{TearAfterAPDUs: n}})
		require.NoError(t, err)
		res, err := Read(context.Background(), card, mrzKey(t, img), nil)
		require.ErrorIs(t, err, ErrCardRemoved)
		require.ErrorIs(t, err, apdu.ErrCardRemoved)
		require.ErrorIs(t, err, ErrIncomplete)
		require.True(t, res.Incomplete(), "%v", res.Checks)
		require.True(t, errors.Is(res.Err(), ErrIncomplete))
	}
}

// Findings 4 to 6: links and cards that take less than the reader asks.
// A short link refusing Le '00' (256) or taking at most 160 bytes per
// response is stepped down by the reader itself; a plain 6700 to every
// extended protected READ BINARY sends it to short length with the send
// sequence counter in step; 61XX brings an RSA-2048 Active Authentication
// signature on short-only links; stray padding after the data with 6282
// is cut off. Each verifies.
func TestFieldLinkProfiles(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	for _, name := range []string{"le256-refused", "max-response-160", "extended-sm-plain-6700", "short-only", "6282-stray-padding", "6cxx"} {
		t.Run(name, func(t *testing.T) {
			pr, ok := sim.ProfileByName(name)
			require.True(t, ok)
			var o sim.Config
			pr.Apply(&o)
			card, err := sim.New(img, &o)
			require.NoError(t, err)
			res, err := Read(context.Background(), card, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			require.NoError(t, err)
			require.NoError(t, res.Err())
			require.Equal(t, check.Passed, res.Check(CheckActiveAuth).Status, "Active Authentication on every link")
			for f, b := range img.Files {
				if f != chip.EFDG3 && f != chip.EFATRInfo {
					require.Equal(t, b, res.Document.Raw(f), f.String())
				}
			}
		})
	}
}
