//go:build pcsc

package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// TestReaderPCSC verifies the simulated card through pcscd and the vpcd
// driver, as a card on a real reader.
func TestReaderPCSC(t *testing.T) {
	pcsctest.Start(t)
	f := newFixture(t)
	img, err := sim.Load(f.card)
	require.NoError(t, err)
	card, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(ctx, pcsctest.VPCDAddr, card.VPCD(), nil) }()
	pc, err := pcsc.Establish()
	require.NoError(t, err)
	defer pc.Close()
	defer func() {
		cancel()
		<-served
		wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer wcancel()
		require.NoError(t, pc.WaitForRemoval(wctx, pcsctest.Reader))
	}()
	wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer wcancel()
	_, err = pc.WaitForCard(wctx, pcsctest.Reader)
	require.NoError(t, err)

	// The same card, left on the reader, verified again and again.
	for i := 1; i <= 3; i++ {
		code, v := runJSON(t, "--reader", pcsctest.Reader, "--trust", f.trust, "--mrz", "090012345,900101,350101")
		require.Equal(t, exitVerified, code, "read %d", i)
		require.True(t, v.Verified)
		require.Equal(t, wantHolder, v.Holder)
		require.Contains(t, v.Source, pcsctest.Reader)
		require.Equal(t, "passed", checkNamed(t, v.Checks, reader.CheckPassiveAuth).Status)
	}

	// A reader needs a key: there is no image to take the MRZ from.
	code, _, stderr := runMain(t, "--reader", pcsctest.Reader, "--trust", f.trust)
	require.Equal(t, exitUsage, code, stderr)
}
