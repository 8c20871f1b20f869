package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/reader"
)

// TestCCCD2023EndToEnd: the Identity Law 2023 card issued by the tool and
// read back. With the test PKI's inspection system: Terminal
// Authentication, DG3 and DG4 read, parsed (two fingers, two eyes) and
// their hashes verified. Without it: DG3 and DG4 not read, the rest
// verified.
func TestCCCD2023EndToEnd(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileCCCD2023)
	trust := filepath.Join(pkiDir, pkiTrustDir)

	code, out, stderr := runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust,
		"--terminal", filepath.Join(pkiDir, pkiEACDir), "--json")
	require.Equal(t, exitOK, code, stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.True(t, r.Verified)
	require.Equal(t, 2, r.Holder.Fingerprints)
	require.Equal(t, 2, r.Holder.Irises)
	hashes := map[int]string{}
	for _, d := range r.DataGroups {
		hashes[d.DataGroup] = d.Status
	}
	require.Equal(t, "OK", hashes[3])
	require.Equal(t, "OK", hashes[4])
	kinds := map[string]int{}
	for _, b := range r.Biometrics {
		kinds[b.Kind]++
		require.Equal(t, "JPEG", b.Format)
		require.Positive(t, b.Width)
		require.Positive(t, b.Bytes)
	}
	require.Equal(t, map[string]int{"finger": 2, "iris": 2}, kinds)
	require.Equal(t, check.Passed, checkStatus(r, reader.CheckTerminal))

	// Without Terminal Authentication: DG3 and DG4 stay closed, and the
	// read is still verified, under every policy (bank included: the data
	// groups a terminal has no right to are not required).
	for _, pol := range []string{"bank", "conformance", "lenient"} {
		code, out, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--policy", pol, "--json")
		require.Equal(t, exitOK, code, stderr)
		r = report{}
		require.NoError(t, json.Unmarshal([]byte(out), &r))
		require.True(t, r.Verified, pol)
		require.NotContains(t, r.Files, "DG3")
		require.NotContains(t, r.Files, "DG4")
		require.Empty(t, r.Biometrics)
		hashes := map[int]string{}
		for _, d := range r.DataGroups {
			hashes[d.DataGroup] = d.Status
		}
		require.Equal(t, "not read", hashes[3])
		require.Equal(t, "not read", hashes[4])
	}
}

func TestDemoCCCD2023(t *testing.T) {
	code, out, stderr := runCmd(t, "demo", "--profile", sim.ProfileCCCD2023)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "DG4 iris   right eye            JPEG 640x480")
	require.Contains(t, out, "DG3 finger left index finger    JPEG 160x200")
	require.Contains(t, out, "Not read: DG4 (not run): needs Terminal Authentication")
	require.Contains(t, out, "Verdict: VERIFIED (without the biometrics)")

	code, out, stderr = runCmd(t, "demo", "--profile", sim.ProfileCCCD2023, "--json")
	require.Equal(t, exitOK, code, stderr)
	var v struct {
		report
		WithoutTA *report `json:"without_terminal_authentication"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.True(t, v.Verified)
	require.Len(t, v.Biometrics, 4)
	require.NotNil(t, v.WithoutTA)
	require.True(t, v.WithoutTA.Verified)
	require.Empty(t, v.WithoutTA.Biometrics)
	closed := map[string]string{}
	for _, c := range v.WithoutTA.Closed {
		closed[c.File] = c.Status
	}
	require.Equal(t, map[string]string{"DG3": "not run", "DG4": "not run"}, closed)

	code, _, _ = runCmd(t, "demo", "--profile", "visa")
	require.Equal(t, exitUsage, code)
}

func checkStatus(r report, name check.Name) check.Status {
	for _, c := range r.Checks {
		if c.Name == name {
			return c.Status
		}
	}
	return -1 // no such check: no status
}

// TestIssueHolderCCCD2023: a complete holder record (fingerprint and iris
// image files) issued on the 2023 card and read back with Terminal
// Authentication: the holder's own fingers and eyes, hashes verified.
func TestIssueHolderCCCD2023(t *testing.T) {
	pkiDir, _ := issued(t, sim.ProfileCCCD)
	card := filepath.Join(t.TempDir(), "h.card")
	code, out, stderr := runCmd(t, "issue", "--holder", "../../issuance/testdata/holder-cccd-2023.json", "--test-pki", pkiDir, "--out", card)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "issued cccd-2023 card image")
	// How to open it, and what verifies it: the test PKI's CSCA and, for
	// DG3/DG4, its inspection system.
	require.Contains(t, out, "TEST DATA")
	require.Contains(t, out, "--can 012345 --trust "+filepath.Join(pkiDir, pkiTrustDir)+" --terminal "+filepath.Join(pkiDir, pkiEACDir))
	requireConforms(t, card)

	code, out, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", filepath.Join(pkiDir, pkiTrustDir),
		"--terminal", filepath.Join(pkiDir, pkiEACDir), "--json")
	require.Equal(t, exitOK, code, stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.True(t, r.Verified)
	hashes := map[int]string{}
	for _, d := range r.DataGroups {
		hashes[d.DataGroup] = d.Status
	}
	require.Equal(t, map[int]string{1: "OK", 2: "OK", 3: "OK", 4: "OK", 7: "OK", 13: "OK", 14: "OK", 15: "OK", 16: "OK"}, hashes)
	var sizes []string
	for _, b := range r.Biometrics {
		sizes = append(sizes, fmt.Sprintf("%s %s %dx%d", b.Kind, b.Position, b.Width, b.Height))
	}
	require.Equal(t, []string{"finger right index finger 160x200", "finger left index finger 160x200",
		"iris right eye 320x240", "iris left eye 320x240"}, sizes)

	// --profile cccd with a cccd-2023 record: they disagree.
	code, _, stderr = runCmd(t, "issue", "--holder", "../../issuance/testdata/holder-cccd-2023.json", "--test-pki", pkiDir,
		"--out", card, "--profile", "cccd")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, `holder record is for profile "cccd-2023"`)
}
