package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/secinfo/secinfotest"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// TestRelayRead runs reader.Read on a server over a real loopback socket,
// the simulated card behind relay.Client: a CCCD and a passport, with the
// CAN and the MRZ, extended and short APDUs. The server's verdict must be
// the same as a local read's, with the same APDU count on the card. By
// default the client reads EF.CardAccess itself and sends it with the
// start: the server then exchanges one APDU less (a chip without the file,
// the passport here, costs the card that one refused READ BINARY more).
func TestRelayRead(t *testing.T) {
	p, imgs := fixtures(t)
	ts := newTestServer(t, nil)
	for _, tc := range []struct {
		name    string
		profile string
		can     bool
		short   bool
		access  string
		inFrame bool
		// serverReads: Client.ServerReadsCardAccess.
		serverReads bool
	}{
		{"cccd/can", sim.ProfileCCCD, true, false, "PACE", false, false},
		{"cccd/can/start-in-frame", sim.ProfileCCCD, true, false, "PACE", true, false},
		{"cccd/can/server-reads-card-access", sim.ProfileCCCD, true, false, "PACE", false, true},
		{"cccd/mrz/short", sim.ProfileCCCD, false, true, "PACE", false, false},
		{"cccd/mrz/short/server-reads-card-access", sim.ProfileCCCD, false, true, "PACE", true, true},
		{"passport/mrz", sim.ProfileICAOPassport, false, false, "BAC", true, false},
		{"passport/mrz/short", sim.ProfileICAOPassport, false, true, "BAC", false, false},
		{"passport/mrz/server-reads-card-access", sim.ProfileICAOPassport, false, false, "BAC", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := imgs[tc.profile]
			key := mrzOf(t, img)
			if tc.can {
				key = relay.CANKey(img.Secrets.CAN)
			}
			// The same read, locally, for the APDU count.
			local, err := sim.New(img, &sim.Config{ShortOnly: tc.short, SelectMFQuirk: true})
			require.NoError(t, err)
			rkey := reader.CANKey(img.Secrets.CAN)
			if !tc.can {
				rkey, err = reader.ParseMRZKey(key.Document + "," + key.Birth + "," + key.Expiry)
				require.NoError(t, err)
			}
			want, err := reader.Read(context.Background(), local, rkey, &reader.Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			require.NoError(t, err)
			require.True(t, want.Verified())

			card, err := sim.New(img, &sim.Config{ShortOnly: tc.short, SelectMFQuirk: true})
			require.NoError(t, err)
			var progress []relay.Progress
			c := &relay.Client{URL: ts.URL(), StartInFrame: tc.inFrame, ServerReadsCardAccess: tc.serverReads,
				Progress: func(p relay.Progress) { progress = append(progress, p) }}
			b, err := c.Run(context.Background(), card, relay.Start{Key: key, Policy: "default"})
			require.NoError(t, err)
			r := decode(t, b)
			require.True(t, r.Verified, "%+v", r)
			require.Equal(t, "verified", r.Verdict.Outcome)
			require.Contains(t, r.Access, tc.access)
			hasCardAccess := img.Files[chip.EFCardAccess] != nil
			switch {
			case tc.serverReads:
				require.Equal(t, want.APDUs, r.APDUs, "the relay adds no APDU")
				require.Equal(t, card.Stats().APDUs, r.APDUs, "every command reached the card")
			case hasCardAccess:
				require.Equal(t, want.APDUs-1, r.APDUs, "the client's EF.CardAccess saves the server one APDU")
				require.Equal(t, want.APDUs, card.Stats().APDUs, "the card sees the APDUs of a local read")
			default:
				require.Equal(t, want.APDUs, r.APDUs, "no EF.CardAccess to send: the server reads as ever")
				require.Equal(t, want.APDUs+1, card.Stats().APDUs, "the client's READ BINARY, refused, and the server's")
			}
			require.NotEmpty(t, r.Holder)
			require.Equal(t, "passed", r.Checks[reader.CheckPassiveAuth])
			for _, c := range want.Checks {
				require.Equal(t, c.Status.String(), r.Checks[c.Name], c.Name)
			}

			sod := false
			for _, pr := range progress {
				require.Equal(t, "read", pr.Stage)
				require.LessOrEqual(t, pr.Read, pr.Total)
				sod = sod || pr.File == "EF.SOD" && pr.Read == pr.Total
			}
			require.True(t, sod, "progress reached the end of EF.SOD")

			o := ts.next(t)
			require.NoError(t, o.err)
			require.True(t, o.result.Verified)
		})
	}
	if !testing.Short() {
		card, err := sim.New(imgs[sim.ProfileCCCD], &sim.Config{SelectMFQuirk: true})
		require.NoError(t, err)
		b, err := (&relay.Client{URL: ts.URL()}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
		require.NoError(t, err)
		ts.next(t)
		require.Equal(t, 17, card.Stats().APDUs, "a CCCD: 17 APDUs on the card, as locally")
		require.Equal(t, 16, decode(t, b).APDUs, "16 of them over the relay")
	}
}

// TestRelayWrongKey: the chip refuses the key; the server says so in an
// error frame, and the client gets a typed error.
func TestRelayWrongKey(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, nil)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	_, err = (&relay.Client{URL: ts.URL()}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("654321")})
	require.ErrorIs(t, err, &relay.Error{Code: relay.CodeAccessDenied})
	require.NotContains(t, err.Error(), "654321")
	o := ts.next(t)
	require.ErrorIs(t, o.err, reader.ErrAccess)
}

// TestRelayCardRemoved: the card leaves the field mid-read. The client
// reports a card error frame; the server's read ends incomplete (never a
// verdict on the document), and the server keeps serving.
func TestRelayCardRemoved(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, nil)
	card, err := sim.New(imgs[sim.ProfileCCCD], &sim.Config{Faults: sim.Faults{TearAfterAPDUs: 9}})
	require.NoError(t, err)
	c := &relay.Client{URL: ts.URL()} // sim.ErrRemoved wraps apdu.ErrCardRemoved: tag_lost
	b, err := c.Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
	if err == nil {
		// The server may still send its result: incomplete.
		r := decode(t, b)
		require.False(t, r.Verified)
		require.Equal(t, "incomplete", r.Verdict.Outcome)
	} else {
		var ce *relay.CardError
		require.ErrorAs(t, err, &ce)
		require.Equal(t, relay.CardTagLost, ce.Code)
		require.Equal(t, 10, ce.ID)
	}
	o := ts.next(t)
	require.Error(t, o.err)
	require.ErrorIs(t, o.cause, relay.ErrCard)
	require.Equal(t, relay.CodeCard, relay.CodeOf(o.cause))
	if o.result != nil {
		require.False(t, o.result.Verified)
		require.Equal(t, "incomplete", o.result.Verdict.Outcome)
	}
	ts.healthy(t)
}

// TestRelayCancel: the client's context ends mid-read; a cancel frame
// reaches the server, whose read stops.
func TestRelayCancel(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, nil)
	card, err := sim.New(imgs[sim.ProfileCCCD], &sim.Config{Faults: sim.Faults{Delay: 20 * time.Millisecond}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	c := &relay.Client{URL: ts.URL(), Progress: func(relay.Progress) { cancel() }}
	start := time.Now()
	_, err = c.Run(ctx, card, relay.Start{Key: relay.CANKey("123456")})
	require.ErrorIs(t, err, context.Canceled)
	require.Less(t, time.Since(start), 3*time.Second)
	o := ts.next(t)
	require.ErrorIs(t, o.cause, relay.ErrCancelled)
	require.Equal(t, relay.CodeCancelled, o.code)
	ts.healthy(t)
}

// TestRelayForgedCardAccess: the start's EF.CardAccess is the client's
// word only, and a client that lies gains nothing. The server checks it
// against the chip's signed DG14 as it would the file it read itself: an
// added SecurityInfo fails the EF.CardAccess check, hiding PACE makes the
// read a BAC read that the downgrade check fails, and bytes that do not
// parse are ignored (the server reads the chip's own). None is verified
// but the last, which is the genuine chip read in full.
func TestRelayForgedCardAccess(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, nil)
	img := imgs[sim.ProfileCCCD]
	genuine := img.Files[chip.EFCardAccess]
	// A SecurityInfo DG14 lacks, added to the chip's own.
	added, err := secinfotest.WithExtraInfo(genuine)
	require.NoError(t, err)
	for _, tc := range []struct {
		name       string
		cardAccess []byte
		can        bool
		outcome    string
		check      check.Name // the failed check
		serverAPDU int        // APDUs the server exchanged
	}{
		{"genuine", genuine, true, "verified", "", 16},
		{"info added/can", added, true, "not verified", reader.CheckCardAccess, 16},
		{"info added/mrz", added, false, "not verified", reader.CheckCardAccess, 16},
		{"pace hidden/mrz", []byte{0x31, 0x00}, false, "not verified", reader.CheckDowngrade, 0},
		{"garbage", []byte("not a SET of SecurityInfos"), true, "verified", "", 17},
	} {
		t.Run(tc.name, func(t *testing.T) {
			card, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
			require.NoError(t, err)
			key := mrzOf(t, img)
			if tc.can {
				key = relay.CANKey(img.Secrets.CAN)
			}
			b, err := (&relay.Client{URL: ts.URL()}).Run(context.Background(), card, relay.Start{Key: key, CardAccess: tc.cardAccess})
			require.NoError(t, err)
			r := decode(t, b)
			o := ts.next(t)
			require.Equal(t, tc.outcome, r.Verdict.Outcome, "%+v", r)
			require.Equal(t, tc.outcome == "verified", r.Verified)
			if tc.check != "" {
				require.Equal(t, "failed", r.Checks[tc.check], "%+v", r.Checks)
				require.Equal(t, "passed", r.Checks[reader.CheckPassiveAuth], "the data is the chip's; the lie is what fails")
			}
			if tc.check == reader.CheckDowngrade {
				require.Equal(t, "BAC", r.Access, "no PACE offered: BAC")
			}
			if tc.serverAPDU != 0 {
				require.Equal(t, tc.serverAPDU, r.APDUs)
			}
			require.NotNil(t, o.result)
		})
	}
}
