//go:build pcsc

package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
)

// waitState polls the page's state until it is want.
func waitState(t *testing.T, base, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, st := state(t, base)
		if st == want {
			return
		}
		require.False(t, time.Now().After(deadline), "state %q, want %q", st, want)
		time.Sleep(100 * time.Millisecond)
	}
}

// TestKioskReaderLoop runs the kiosk on pcscd's vpcd reader: it waits for a
// card, reads the simulated card placed there (through the real PC/SC
// stack), shows it, and clears the page when the card goes away.
func TestKioskReaderLoop(t *testing.T) {
	pcsctest.Start(t)
	card, trust, face := issued(t, nil)
	img, err := sim.Load(card)
	require.NoError(t, err)

	base := startKiosk(t, "--reader", pcsctest.Reader, "--mrz", "090012345,900101,350101", "--trust", trust)
	waitState(t, base, stateWaiting)
	_, body := get(t, base+"/")
	require.Contains(t, string(body), "Place the card on the reader")
	require.NotContains(t, string(body), `id="read"`, "no read button without a card on the reader")

	for round := range 2 { // a card, taken away, and placed again
		chip, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		served := make(chan error, 1)
		go func() { served <- vpcd.Serve(ctx, pcsctest.VPCDAddr, chip.VPCD(), nil) }()

		waitState(t, base, stateDone)
		_, body = get(t, base+"/")
		page := string(body)
		require.Contains(t, page, `<dd id="name">Nguyễn Văn An</dd>`, "round %d", round)
		require.Contains(t, page, `id="verdict">ĐÃ XÁC THỰC`, "round %d", round)
		_, photo := get(t, base+"/photo")
		require.Equal(t, face, photo)
		require.Contains(t, page, `id="read"`, "a card on the reader can be read again")

		// The card left on the reader, read again and again: each read
		// starts from a known chip state.
		for again := range 3 {
			seq, _ := state(t, base)
			resp, err := client.PostForm(base+"/read", url.Values{})
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusSeeOther, resp.StatusCode)
			seq2, st := state(t, base)
			require.Greater(t, seq2, seq)
			require.Equal(t, stateDone, st, "round %d, read again %d", round, again)
			_, body = get(t, base+"/")
			require.Contains(t, string(body), `id="verdict">ĐÃ XÁC THỰC`, "round %d, read again %d", round, again)
		}

		cancel() // the card leaves the reader
		<-served
		waitState(t, base, stateWaiting)
		_, body = get(t, base+"/")
		require.NotContains(t, string(body), "Nguyễn", "the holder's data leaves the page with the card")
		require.NotContains(t, string(body), "last-error")
	}

	// A card torn away during the read: it leaves the reader (pcscd sees
	// it go), and the error stays on the page, as a note under "place the
	// card", until the next card.
	chip, err := sim.New(img, &sim.Config{SelectMFQuirk: true, Faults: sim.Faults{TearAfterAPDUs: 4}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- vpcd.Serve(ctx, pcsctest.VPCDAddr, chip.VPCD(), nil) }()
	require.ErrorIs(t, <-served, vpcd.ErrCardRemoved)
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, body = get(t, base+"/")
		if _, st := state(t, base); st == stateWaiting && strings.Contains(string(body), `id="last-error"`) {
			break
		}
		require.False(t, time.Now().After(deadline), "no error note after the card was torn away")
		time.Sleep(100 * time.Millisecond)
	}
	require.Contains(t, string(body), "card removed", "the error names the removal")
	require.NotContains(t, string(body), "Nguyễn")
}
