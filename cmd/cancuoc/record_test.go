package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/transcript"
)

// TestReadRecordReplay records a read with --record, as of a real card,
// and reads it again from the transcript with --replay: the same report.
// Other flags make the reader send otherwise, and the replay says at
// which APDU.
func TestReadRecordReplay(t *testing.T) {
	pkiDir, card := issued(t, "cccd")
	trust := filepath.Join(pkiDir, pkiTrustDir)
	path := filepath.Join(t.TempDir(), "read.apdu")
	code, recorded, stderr := runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--record", path, "--json")
	require.Equal(t, exitOK, code, stderr)
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the holder's data: its owner's only")
	tr, err := transcript.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "can", tr.Get("key"))
	require.Equal(t, "verified", tr.Get("verdict"))
	require.Equal(t, "17", tr.Get("apdus"))
	require.Len(t, tr.Exchanges, 17)
	require.NotEmpty(t, tr.Get("atr"))
	require.NotEmpty(t, tr.Get(transcript.FieldReaderRand))
	text, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NotContains(t, string(text), "012345", "the CAN is nowhere in the file")

	code, replayed, stderr := runCmd(t, "read", "--replay", path, "--can", "012345", "--trust", trust, "--json")
	require.Equal(t, exitOK, code, stderr)
	// The same report, but for the read's duration.
	dur := func(s string) string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, `"ms":`) {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	require.Equal(t, dur(recorded), dur(replayed))

	for _, tc := range []struct {
		args    []string
		noTrust bool
		code    int
		want    string
	}{
		// Other options: refused before the read.
		{args: []string{"--can", "012345", "--bac"}, code: exitUsage, want: "recorded with the options defaults, not UseBAC"},
		{args: []string{"--mrz", "090012345,900101,350101"}, code: exitUsage, want: "recorded with the CAN, not the MRZ"},
		// Another CAN: the nonce decrypts otherwise, so the mapped
		// generator does, and PACE's key agreement on it (APDU 5)
		// sends another public key.
		{args: []string{"--can", "012346"}, code: exitFail, want: "APDU 5 of 17 differs"},
		// No trust: the same APDUs, another verdict.
		{args: []string{"--can", "012345"}, noTrust: true, code: exitFail, want: `the read ends otherwise: verdict "not verified", recorded "verified"`},
		{args: []string{"--can", "012345", "--record", path}, code: exitUsage, want: "give --record or --replay, not both"},
		{args: []string{"--can", "012345", "--sim", card}, code: exitUsage, want: "give --reader, --sim or --replay"},
	} {
		args := append([]string{"read", "--replay", path}, tc.args...)
		if !tc.noTrust {
			args = append(args, "--trust", trust)
		}
		code, _, stderr := runCmd(t, args...)
		require.Equal(t, tc.code, code, "%v: %s", tc.args, stderr)
		require.Contains(t, stderr, tc.want, tc.args)
	}

	// A read that fails is recorded too (the cards worth keeping), and
	// replays to the same failure.
	failed := filepath.Join(t.TempDir(), "failed.apdu")
	code, _, stderr = runCmd(t, "read", "--sim", card, "--can", "999999", "--trust", trust, "--record", failed)
	require.Equal(t, exitFail, code, stderr)
	tr, err = transcript.ReadFile(failed)
	require.NoError(t, err)
	require.Contains(t, tr.Get("error"), "PACE")
	require.Less(t, len(tr.Exchanges), 17)
	code, _, stderr2 := runCmd(t, "read", "--replay", failed, "--can", "999999", "--trust", trust)
	require.Equal(t, exitFail, code, stderr2)
	require.Equal(t, stderr, stderr2, "the same failure")
}
