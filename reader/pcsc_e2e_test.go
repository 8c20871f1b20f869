//go:build pcsc

package reader

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// TestPCSCEndToEnd serves a personalized card from the simulator to a real
// pcscd through the vsmartcard vpcd driver and reads it through
// github.com/ebfe/scard: access control, every file, passive
// authentication.
func TestPCSCEndToEnd(t *testing.T) {
	pcsctest.Start(t)
	p, imgs := fixtures(t)
	for _, tc := range []struct {
		profile string
		short   bool
		can     bool
	}{
		{sim.ProfileCCCD, false, false}, {sim.ProfileCCCD, true, true},
		{sim.ProfileICAOPassport, false, false}, {sim.ProfileICAOPassport, true, false},
		{passportPACE, false, true},
	} {
		name := fmt.Sprintf("%s/short=%v/can=%v", tc.profile, tc.short, tc.can)
		t.Run(name, func(t *testing.T) {
			img := imgs[tc.profile]
			card, err := sim.New(img, &sim.Config{ShortOnly: tc.short, SelectMFQuirk: true})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			c := insertVPCD(t, card)
			atrExt, _ := ATRCapabilities(c.ATR())
			require.Equal(t, !tc.short, atrExt, "ATR through pcscd: % X", c.ATR())

			ext := ExtendedFromATR(c.ATR())
			key := mrzKey(t, img)
			if tc.can {
				key = CANKey(img.Secrets.CAN)
			}
			res, err := Read(ctx, apdu.NewTransmitter(c), key, &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Extended: ext})
			require.NoError(t, err)
			require.NoError(t, res.Err())
			require.True(t, res.Verified())
			for f, b := range img.Files {
				if !f.InMF() && f != chip.EFDG3 {
					require.Equal(t, b, res.Document.Raw(f), f.String())
				}
			}
			require.Equal(t, card.Stats().APDUs, res.APDUs, "no APDU is lost or added on the way")
			t.Logf("%s: %d APDUs, %d bytes, %v through pcscd", name, res.APDUs, res.Bytes, res.Duration)
		})
	}
}

// insertVPCD serves card to pcscd's vpcd reader and connects to it. When
// the test ends it takes the card out and waits until pcscd saw it go, so
// that the next test meets its own card.
func insertVPCD(t *testing.T, card *sim.Card) *pcsc.Card {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	serveCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(serveCtx, pcsctest.VPCDAddr, card.VPCD(), nil) }()
	pc, err := pcsc.Establish()
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	t.Cleanup(func() {
		stop()
		<-served
		require.NoError(t, pc.WaitForRemoval(ctx, pcsctest.Reader))
	})
	rd, err := pc.WaitForCard(ctx, pcsctest.Reader)
	require.NoError(t, err)
	c, err := pc.Connect(rd)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// TestPCSCReadSameCardAgain leaves one card on the reader and reads it ten
// times in one pcscd session, as a kiosk does: five times each connecting
// anew (as `cancuoc read` run again does; Connect resets the card), and
// five times on one connection (the reader selects the master file again
// itself). Every read verifies, the second and the tenth included.
func TestPCSCReadSameCardAgain(t *testing.T) {
	pcsctest.Start(t)
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	card, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	serveCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(serveCtx, pcsctest.VPCDAddr, card.VPCD(), nil) }()
	pc, err := pcsc.Establish()
	require.NoError(t, err)
	defer pc.Close()
	defer func() {
		stop()
		<-served
		require.NoError(t, pc.WaitForRemoval(ctx, pcsctest.Reader))
	}()
	rd, err := pc.WaitForCard(ctx, pcsctest.Reader)
	require.NoError(t, err)
	read := func(c *pcsc.Card, i int) {
		key := mrzKey(t, img)
		if i%2 == 0 {
			key = CANKey(img.Secrets.CAN)
		}
		res, err := Read(ctx, apdu.NewTransmitter(c), key, &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Extended: ExtendedFromATR(c.ATR())})
		require.NoError(t, err, "read %d", i)
		require.NoError(t, res.Err(), "read %d", i)
		require.True(t, res.Verified(), "read %d", i)
		t.Logf("read %d: %d APDUs, %v", i, res.APDUs, res.Duration)
	}
	for i := 1; i <= 5; i++ {
		c, err := pc.Connect(rd)
		require.NoError(t, err)
		read(c, i)
		require.NoError(t, c.Close())
	}
	c, err := pc.Connect(rd)
	require.NoError(t, err)
	defer c.Close()
	for i := 6; i <= 10; i++ {
		read(c, i)
	}
}

// TestPCSCCardRemoved tears the card away through pcscd at several points
// of a read: the error names the removal (ErrCardRemoved, as with the
// simulator in process) and the read is incomplete, never a verdict.
func TestPCSCCardRemoved(t *testing.T) {
	pcsctest.Start(t)
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	pc, err := pcsc.Establish()
	require.NoError(t, err)
	defer pc.Close()
	for _, n := range []int{3, 9, 13} {
		card, err := sim.New(img, &sim.Config{SelectMFQuirk: true, Faults: sim.Faults{TearAfterAPDUs: n}})
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		served := make(chan error, 1)
		go func() { served <- vpcd.Serve(ctx, pcsctest.VPCDAddr, card.VPCD(), nil) }()
		rd, err := pc.WaitForCard(ctx, pcsctest.Reader)
		require.NoError(t, err)
		c, err := pc.Connect(rd)
		require.NoError(t, err)
		res, err := Read(ctx, apdu.NewTransmitter(c), mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Extended: ExtendedFromATR(c.ATR())})
		require.ErrorIs(t, err, ErrCardRemoved, "torn after %d", n)
		require.ErrorIs(t, err, pcsc.ErrCardRemoved)
		require.ErrorIs(t, err, ErrIncomplete)
		require.True(t, res.Incomplete())
		require.False(t, res.Verified())
		require.ErrorIs(t, <-served, vpcd.ErrCardRemoved)
		_ = c.Close()
		require.NoError(t, pc.WaitForRemoval(ctx, pcsctest.Reader))
		cancel()
	}
}
