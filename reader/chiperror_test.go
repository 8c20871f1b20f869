package reader

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/pace"
)

// A chip's passing failure (6F00 no precise diagnosis, 6581 memory
// failure: protected when the session is) at any APDU of a full read says
// nothing about the chip or its data: the step is retried and the genuine
// card verified; without retries the read is incomplete. Never a clone
// (Chip or Active Authentication failed), never a file reported missing.
func TestChipErrorAtEveryAPDU(t *testing.T) {
	p, imgs := fixtures(t)
	passport := imgs[sim.ProfileICAOPassport]
	for _, c := range []tornCard{cccdCard(t), {passport, mrzKey(t, passport), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }}}} {
		chipErrorAtEveryAPDU(t, c)
	}
}

func chipErrorAtEveryAPDU(t *testing.T, c tornCard) {
	for _, l := range links {
		opts := sim.Config{ShortOnly: l.short}
		n := c.clean(t, opts)
		for _, sw := range []apdu.StatusWord{apdu.SWNoPreciseDiagnosis, 0x6581} {
			for _, retries := range []int{0, -1} {
				if retries < 0 && sw != apdu.SWNoPreciseDiagnosis {
					continue
				}
				rc := c
				rc.opts = copyConfig(c.opts)
				rc.opts.Retries = retries
				var st tornStats
				for i := 1; i <= n; i++ {
					o := opts
					o.Faults.ChipError, o.Faults.ChipErrorSW = i, sw
					what := fmt.Sprintf("%s %s, retries %d: %04X at APDU %d of %d", c.img.Profile, l.name, retries, uint16(sw), i, n)
					ok := checkTorn(t, &st, rc, o, what)
					if retries == 0 {
						assert.True(t, ok, "%s: not verified after retries", what)
					}
				}
				t.Logf("%s %s %04X retries %d: %d reads, %d verified, %d incomplete, %d access failed, %d not verified, %d clones",
					c.img.Profile, l.name, uint16(sw), retries, st.reads, st.verified, st.incomplete, st.accessFailed, st.notVerified, st.clones)
				require.Zero(t, st.clones+st.verifiedMissing+st.untyped+st.accessFailed+st.notVerified)
			}
		}
	}
}

// PACE's last answer, the chip's authentication token, spoiled on the way
// (its last byte): the chip accepted the reader's token, so the password
// is right; PACE runs again and the genuine card verifies. A wrong CAN
// (the chip's 6300) is not run again.
func TestPACEChipTokenSpoiledRetried(t *testing.T) {
	c := cccdCard(t)
	read := func(key Key, spoil bool) (*Result, int, error) {
		card, err := sim.New(c.img, nil)
		require.NoError(t, err)
		ga := 0
		tr := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
			r, err := card.Transmit(ctx, cmd)
			if cmd.INS == apdu.INSGeneralAuthenticate {
				if ga++; ga == 4 && spoil && len(r.Data) > 0 {
					r.Data[len(r.Data)-1] ^= 0x01
				}
			}
			return r, err
		})
		res, err := Read(context.Background(), tr, key, c.opts)
		return res, ga, err
	}
	res, _, err := read(c.key, true)
	require.NoError(t, err)
	require.True(t, res.Verified(), "%v", res.Err())

	wrong := "000000"
	if c.img.Secrets.CAN == wrong {
		wrong = "111111"
	}
	res, ga, err := read(CANKey(wrong), false)
	require.ErrorIs(t, err, ErrAccess)
	require.ErrorIs(t, err, pace.ErrAuthentication)
	require.Equal(t, 4, ga, "PACE run once: a wrong password is not tried again")
	require.False(t, res.Verified())
}

// BAC (passports) whose answers are spoiled or fail on the way: the
// chip's cryptogram corrupted (the chip accepted ours: the key is right),
// a status word other than 6300 to GET CHALLENGE or EXTERNAL
// AUTHENTICATE. BAC runs again and the genuine passport verifies; a wrong
// MRZ key (the chip's 6300) is tried once.
func TestBACFaultsRetried(t *testing.T) {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileICAOPassport]
	opts := &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Extended: ExtendedOn}
	// The APDU numbers of GET CHALLENGE and EXTERNAL AUTHENTICATE.
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	idx := map[byte]int{}
	var cmds []apdu.Command
	tr := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
		cmds = append(cmds, cmd)
		if _, ok := idx[cmd.INS]; !ok {
			idx[cmd.INS] = len(cmds)
		}
		return card.Transmit(ctx, cmd)
	})
	res, err := Read(context.Background(), tr, mrzKey(t, img), opts)
	require.NoError(t, err)
	require.True(t, res.Verified())
	require.Equal(t, BAC, res.Access.Method)
	gc, ea := idx[0x84], idx[0x82]
	require.NotZero(t, gc)
	require.Equal(t, gc+1, ea)
	sel := cmds[gc-2] // APDU gc-1: the SELECT of the application
	require.Equal(t, byte(apdu.INSSelect), sel.INS)
	require.Equal(t, byte(0x04), sel.P1)
	for _, tc := range []struct {
		name string
		f    sim.Faults
	}{
		{"cryptogram corrupted", sim.Faults{CorruptResponse: ea}},
		{"SELECT of the application corrupted", sim.Faults{CorruptResponse: gc - 1}},
		{"6F00 to SELECT of the application", sim.Faults{ChipError: gc - 1}},
		{"6988 to GET CHALLENGE", sim.Faults{KillSession: gc}},
		{"6988 to EXTERNAL AUTHENTICATE", sim.Faults{KillSession: ea}},
		{"6F00 to GET CHALLENGE", sim.Faults{ChipError: gc}},
		{"6581 to EXTERNAL AUTHENTICATE", sim.Faults{ChipError: ea, ChipErrorSW: 0x6581}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, err := sim.New(img, &sim.Config{Faults: tc.f})
			require.NoError(t, err)
			res, err := Read(context.Background(), card, mrzKey(t, img), opts)
			require.NoError(t, err)
			require.True(t, res.Verified(), "%v", res.Err())
		})
	}
	// A wrong key: one EXTERNAL AUTHENTICATE, access refused.
	card, err = sim.New(img, nil)
	require.NoError(t, err)
	eas := 0
	tr = apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
		if cmd.INS == 0x82 {
			eas++
		}
		return card.Transmit(ctx, cmd)
	})
	wrong, err := ParseMRZKey("X00000000,900101,300101")
	require.NoError(t, err)
	res, err = Read(context.Background(), tr, wrong, opts)
	require.ErrorIs(t, err, ErrAccess)
	require.ErrorIs(t, err, bac.ErrAccessDenied)
	require.NotErrorIs(t, err, ErrIncomplete)
	require.Equal(t, 1, eas)
	require.False(t, res.Verified())
}
