package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/policy"
)

// requireConforms checks a card the tool issued against the Doc 9303
// profiles (package conform): no finding at all.
func requireConforms(t *testing.T, card string) {
	t.Helper()
	img, err := sim.Load(card)
	require.NoError(t, err)
	d, err := chip.ParseDG1(img.Files[chip.EFDG1])
	require.NoError(t, err)
	require.Empty(t, conform.Check(conform.Document{Files: img.Files, OpenedWith: d.MRZ.Info()}), "issued card %s", card)
}

// TestReadConformance: read prints the conformance findings, in --json
// and as text; a card the tool issued has none; a printed MRZ that is not
// the chip's DG1 gives a named finding of a security rule.
func TestReadConformance(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileCCCD)
	trust := filepath.Join(pkiDir, pkiTrustDir)

	code, stdout, stderr := runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--json")
	require.Equal(t, exitOK, code, stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.NotNil(t, r.Findings, "findings are always in the JSON")
	require.Empty(t, r.Findings, "a card the tool issued follows the profiles")
	require.Contains(t, stdout, `"findings": []`)

	code, stdout, _ = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust)
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "Conformance: no finding")

	// Another document's MRZ as the printed one.
	other := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
	code, stdout, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--printed-mrz", other, "--json")
	require.Equal(t, exitOK, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.Len(t, r.Findings, 1)
	require.Equal(t, conform.DG1PrintedMRZ.ID, r.Findings[0].Rule.ID)
	require.True(t, r.Findings[0].Rule.Security)
	require.Contains(t, r.Findings[0].Detail, "printed MRZ")
	require.NotContains(t, r.Findings[0].Detail, "L898902C3", "fields named, never their values")

	code, stdout, _ = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--printed-mrz", other)
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "[SECURITY] dg1.printed-mrz")

	// The presets weigh it: a security rule fails bank and conformance.
	for _, tc := range []struct {
		policy string
		code   int
		want   policy.Verdict
	}{{"lenient", exitOK, policy.Verified}, {"bank", exitFail, policy.NotVerified}, {"conformance", exitFail, policy.NotVerified}} {
		code, stdout, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--printed-mrz", other, "--policy", tc.policy, "--json")
		require.Equal(t, tc.code, code, "%s: %s", tc.policy, stderr)
		var rp report
		require.NoError(t, json.Unmarshal([]byte(stdout), &rp))
		require.Equal(t, tc.want, rp.Verdict, tc.policy)
		found := false
		for _, reason := range rp.Reasons {
			found = found || reason.Code == policy.CodeFinding && reason.Subject == conform.DG1PrintedMRZ.ID
		}
		require.True(t, found, "%s: the finding is a reason: %+v", tc.policy, rp.Reasons)
	}

	// A deviation list without trust to verify it is refused.
	code, _, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--deviation-list", filepath.Join(pkiDir, "none.der"))
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "--deviation-list needs --trust")
}

// TestDeviationListCommand: pki init writes a Deviation List Signer; pki
// deviation-list signs a list with it; read --deviation-list verifies it
// against the trust directory and reports the deviation it publishes as
// known. A list whose signature is spoiled is refused.
func TestDeviationListCommand(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileCCCD)
	trust := filepath.Join(pkiDir, pkiTrustDir)
	list := filepath.Join(t.TempDir(), "dl.der")
	code, stdout, stderr := runCmd(t, "pki", "deviation-list", "--test-pki", pkiDir, "--type", "mrz-wrong-data",
		"--description", "printed MRZ of batch 7 differs", "--document-number", "090012345", "--out", list)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "deviation list (mrz-wrong-data)")

	other := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
	code, stdout, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--printed-mrz", other,
		"--deviation-list", list, "--json")
	require.Equal(t, exitOK, code, stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.Len(t, r.Findings, 1)
	require.NotNil(t, r.Findings[0].Known)
	require.Equal(t, "VN", r.Findings[0].Known.Issuer)
	require.Equal(t, "printed MRZ of batch 7 differs", r.Findings[0].Known.Description)

	// A list for another document number leaves the finding as it is.
	list2 := filepath.Join(t.TempDir(), "dl2.der")
	code, _, stderr = runCmd(t, "pki", "deviation-list", "--test-pki", pkiDir, "--type", "mrz", "--document-number", "X", "--out", list2)
	require.Equal(t, exitOK, code, stderr)
	code, stdout, _ = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--printed-mrz", other, "--deviation-list", list2, "--json")
	require.Equal(t, exitOK, code)
	var r2 report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r2))
	require.Len(t, r2.Findings, 1)
	require.Nil(t, r2.Findings[0].Known)

	// A spoiled signature: refused.
	b, err := os.ReadFile(list)
	require.NoError(t, err)
	b[len(b)-3] ^= 0x01
	require.NoError(t, os.WriteFile(list, b, 0o600))
	code, _, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust, "--deviation-list", list)
	require.NotEqual(t, exitOK, code)
	require.Contains(t, stderr, "refused")

	code, _, _ = runCmd(t, "pki", "deviation-list", "--test-pki", pkiDir, "--type", "nonsense", "--out", list)
	require.Equal(t, exitUsage, code)
}
