//go:build pcsc

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
	"github.com/cancuoc/cancuoc/internal/transcript"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// simOnVPCD runs "cancuoc sim card --vpcd ... args" as the card of pcscd's
// vpcd reader and waits until pc sees the card. The caller defers the
// returned stop: it ends the sim, requires a clean exit and waits until pcscd
// sees the card removed. If the card never appears, stop runs before the
// failure returns, as the caller's deferred stop would.
func simOnVPCD(t *testing.T, pc *pcsc.Context, card string, args ...string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	simErr := &lockedWriter{w: &bytes.Buffer{}}
	done := make(chan int, 1)
	go func() {
		done <- run(append([]string{"sim", card, "--vpcd", pcsctest.VPCDAddr}, args...),
			&env{ctx: ctx, stdout: &bytes.Buffer{}, stderr: simErr, stdin: strings.NewReader("")})
	}()
	stop = func() {
		cancel()
		require.Equal(t, exitOK, <-done, simErr.String())
		wctx, wcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer wcancel()
		require.NoError(t, pc.WaitForRemoval(wctx, pcsctest.Reader))
	}
	wctx, wcancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer wcancel()
	_, err := pc.WaitForCard(wctx, pcsctest.Reader)
	if err != nil {
		defer stop()
	}
	require.NoError(t, err, simErr.String())
	return stop
}

// TestSimReadersReadPCSC runs "cancuoc sim" as the card of pcscd's vpcd
// reader, then "cancuoc readers" and "cancuoc read --reader" against it:
// the whole way through the real PC/SC stack.
func TestSimReadersReadPCSC(t *testing.T) {
	pcsctest.Start(t)
	pkiDir, card := issued(t, sim.ProfileCCCD)

	pc, err := pcsc.Establish()
	require.NoError(t, err)
	defer pc.Close()
	defer simOnVPCD(t, pc, card, "--select-mf-6d00")()

	code, out, stderr := runCmd(t, "readers", "--json")
	require.Equal(t, exitOK, code, stderr)
	var rs []struct {
		Name        string `json:"name"`
		CardPresent bool   `json:"card_present"`
		ATR         string `json:"atr"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rs))
	found := false
	for _, r := range rs {
		if r.Name == pcsctest.Reader {
			found = true
			require.True(t, r.CardPresent)
			require.Equal(t, "3b878001803180738021c025", r.ATR)
		}
	}
	require.True(t, found, out)

	// The card stays on the reader: read it again and again, with the MRZ
	// and with the CAN (a second read once failed with "the chip offers no
	// PACE").
	for i := 1; i <= 4; i++ {
		key := []string{"--mrz", "090012345,900101,350101"}
		if i%2 == 0 {
			key = []string{"--can", "012345"}
		}
		code, out, stderr = runCmd(t, append(append([]string{"read", "--reader", pcsctest.Reader}, key...),
			"--trust", filepath.Join(pkiDir, pkiTrustDir), "--json")...)
		require.Equal(t, exitOK, code, "read %d: %s", i, stderr)
		var r report
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		require.True(t, r.Verified, "read %d", i)
		require.Equal(t, "Nguyễn Văn An", r.Holder.FullName)
		// EF.CardAccess, PACE (5), SELECT, Chip Authentication (2), one
		// read per file (7), Active Authentication.
		require.Equal(t, 17, r.APDUs, "read %d", i)
	}

	// Recorded as a real card is (--record), read again from the
	// transcript (--replay): the ATR is pcscd's, the same commands.
	path := filepath.Join(t.TempDir(), "card.apdu")
	code, _, stderr = runCmd(t, "read", "--reader", pcsctest.Reader, "--can", "012345", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--record", path)
	require.Equal(t, exitOK, code, stderr)
	tr, err := transcript.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "PC/SC reader "+pcsctest.Reader, tr.Get("card"))
	require.Equal(t, "3B878001803180738021C025", tr.Get("atr"))
	require.Len(t, tr.Exchanges, 17)
	code, _, stderr = runCmd(t, "read", "--replay", path, "--can", "012345", "--trust", filepath.Join(pkiDir, pkiTrustDir))
	require.Equal(t, exitOK, code, stderr)
}

// TestSimQuirkReadPCSC serves cards that behave as kinds of real cards
// (--quirk) through pcscd and reads each with 'cancuoc read --reader':
// every one verifies, at the APDU count its quirk costs.
func TestSimQuirkReadPCSC(t *testing.T) {
	pcsctest.Start(t)
	pkiDir, card := issued(t, sim.ProfileCCCD)
	pc, err := pcsc.Establish()
	require.NoError(t, err)
	defer pc.Close()
	for _, tc := range []struct {
		quirk string
		apdus int
	}{
		{"extended-sm-plain-6700", 94},
		{"pace-only-6d00", 17},
		{"6282-stray-padding", 17},
	} {
		t.Run(tc.quirk, func(t *testing.T) {
			defer simOnVPCD(t, pc, card, "--quirk", tc.quirk)()
			code, out, stderr := runCmd(t, "read", "--reader", pcsctest.Reader, "--mrz", "090012345,900101,350101",
				"--trust", filepath.Join(pkiDir, pkiTrustDir), "--json")
			require.Equal(t, exitOK, code, stderr)
			var r report
			require.NoError(t, json.Unmarshal([]byte(out), &r))
			require.True(t, r.Verified)
			require.Equal(t, tc.apdus, r.APDUs)
		})
	}
}
