package relay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// TestRelayRead runs reader.Read on a server over a real loopback socket,
// the simulated card behind relay.Client: a CCCD and a passport, with the
// CAN and the MRZ, extended and short APDUs. The server's verdict must be
// the same as a local read's, with the same APDU count.
func TestRelayRead(t *testing.T) {
	p, imgs := fixtures(t)
	ts := newTestServer(t, relay.Limits{})
	for _, tc := range []struct {
		name    string
		profile string
		can     bool
		short   bool
		access  string
		inFrame bool
	}{
		{"cccd/can", sim.ProfileCCCD, true, false, "PACE", false},
		{"cccd/can/start-in-frame", sim.ProfileCCCD, true, false, "PACE", true},
		{"cccd/mrz/short", sim.ProfileCCCD, false, true, "PACE", false},
		{"passport/mrz", sim.ProfileICAOPassport, false, false, "BAC", true},
		{"passport/mrz/short", sim.ProfileICAOPassport, false, true, "BAC", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img := imgs[tc.profile]
			key := mrzOf(t, img)
			if tc.can {
				key = relay.CANKey(img.Secrets.CAN)
			}
			// The same read, locally, for the APDU count.
			local, err := sim.New(img, sim.Options{ShortOnly: tc.short, SelectMFQuirk: true})
			require.NoError(t, err)
			rkey := reader.CANKey(img.Secrets.CAN)
			if !tc.can {
				rkey, err = reader.ParseMRZKey(key.Document + "," + key.Birth + "," + key.Expiry)
				require.NoError(t, err)
			}
			want, err := reader.Read(context.Background(), local, rkey, reader.Options{Trust: p.Trust(), Time: verifyAt})
			require.NoError(t, err)
			require.True(t, want.Verified())

			card, err := sim.New(img, sim.Options{ShortOnly: tc.short, SelectMFQuirk: true})
			require.NoError(t, err)
			var progress []relay.Progress
			c := &relay.Client{URL: ts.URL(), StartInFrame: tc.inFrame, Progress: func(p relay.Progress) { progress = append(progress, p) }}
			b, err := c.Run(context.Background(), card, relay.Start{Key: key, Policy: "default"})
			require.NoError(t, err)
			r := decode(t, b)
			require.True(t, r.Verified, "%+v", r)
			require.Equal(t, "verified", r.Verdict.Outcome)
			require.Contains(t, r.Access, tc.access)
			require.Equal(t, want.APDUs, r.APDUs, "the relay adds no APDU")
			require.Equal(t, card.Stats().APDUs, r.APDUs, "every command reached the card")
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
		require.Equal(t, 17, func() int {
			card, err := sim.New(imgs[sim.ProfileCCCD], sim.Options{SelectMFQuirk: true})
			require.NoError(t, err)
			b, err := (&relay.Client{URL: ts.URL()}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
			require.NoError(t, err)
			ts.next(t)
			return decode(t, b).APDUs
		}(), "a CCCD over the relay: 17 APDUs, as locally")
	}
}

// TestRelayWrongKey: the chip refuses the key; the server says so in an
// error frame, and the client gets a typed error.
func TestRelayWrongKey(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, relay.Limits{})
	card, err := sim.New(imgs[sim.ProfileCCCD], sim.Options{})
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
	ts := newTestServer(t, relay.Limits{})
	card, err := sim.New(imgs[sim.ProfileCCCD], sim.Options{Faults: sim.Faults{TearAfterAPDUs: 9}})
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
	ts := newTestServer(t, relay.Limits{})
	card, err := sim.New(imgs[sim.ProfileCCCD], sim.Options{Faults: sim.Faults{Delay: 20 * time.Millisecond}})
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
