//go:build pcsc

package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// TestRelayPCSC: "cancuoc sim" serves a card to pcscd through vpcd, and
// "cancuoc relay --reader" carries its APDUs from the real PC/SC stack to
// "cancuoc serve" over loopback, which verifies: a CCCD and a passport.
func TestRelayPCSC(t *testing.T) {
	pcsctest.Start(t)
	for _, tc := range []struct {
		profile string
		args    []string
		simArgs []string
		apdus   int
	}{
		{sim.ProfileCCCD, []string{"--can", "012345"}, []string{"--select-mf-6d00"}, 16}, // 17 on the card: EF.CardAccess read by the client
		{sim.ProfileICAOPassport, []string{"--mrz", mrzOfIssued(t, sim.ProfileICAOPassport)}, nil, 0},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			pkiDir, card := issued(t, tc.profile)
			url, keyFile, _ := served(t, pkiDir, false)

			pc, err := pcsc.Establish()
			require.NoError(t, err)
			defer pc.Close()
			defer simOnVPCD(t, pc, card, tc.simArgs...)()

			args := append([]string{"relay", "--reader", pcsctest.Reader, "--server", url, "--api-key-file", keyFile, "--json"}, tc.args...)
			code, stdout, stderr := runCmd(t, args...)
			require.Equal(t, exitOK, code, stderr)
			var r relayResult
			require.NoError(t, json.Unmarshal([]byte(stdout), &r))
			require.Equal(t, "verified", r.Verdict.Outcome)
			if tc.apdus != 0 {
				require.Equal(t, tc.apdus, r.Wire.APDUs, "over PC/SC and the relay: a local read's 17 less EF.CardAccess, which the client read")
			}
		})
	}
}

// mrzOfIssued is the MRZ key of the test card of a profile, as
// "DOC,YYMMDD,YYMMDD".
func mrzOfIssued(t *testing.T, profile string) string {
	t.Helper()
	_, card := issued(t, profile)
	img, err := sim.Load(card)
	require.NoError(t, err)
	k, err := relayKey(img.Files, "", "")
	require.NoError(t, err)
	return k.Document + "," + k.Birth + "," + k.Expiry
}
