package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/reader"
)

// runCmd runs the tool in process and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &env{ctx: context.Background(), stdout: &out, stderr: &errb, stdin: strings.NewReader("")})
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	code, _, stderr := runCmd(t)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "commands:")
	code, _, _ = runCmd(t, "--help")
	require.Equal(t, exitOK, code)
	code, _, stderr = runCmd(t, "frobnicate")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "unknown command")
	for name := range commands {
		code, _, stderr := runCmd(t, name, "--help")
		require.Equal(t, exitOK, code, name)
		require.Contains(t, stderr, "usage: cancuoc "+name, name)
		code, _, _ = runCmd(t, name, "--no-such-flag")
		require.Equal(t, exitUsage, code, name)
	}
}

func TestDemo(t *testing.T) {
	code, out, stderr := runCmd(t, "demo")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "Nguyễn Văn An")
	require.Contains(t, out, "Verdict: VERIFIED")

	code, out, _ = runCmd(t, "demo", "--json", "--short")
	require.Equal(t, exitOK, code)
	var r report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.True(t, r.Verified)
	require.Equal(t, "001090012345", r.Holder.PersonalNumber)
	require.Equal(t, "PACE id-PACE-ECDH-GM-AES-CBC-CMAC-128 (13)", r.Access)
	require.Greater(t, r.APDUs, 70, "short APDUs: a 15 KB face takes many reads")

	code, _, stderr = runCmd(t, "demo", "--trace")
	require.Equal(t, exitOK, code)
	require.Contains(t, stderr, "msg=apdu")
	require.NotContains(t, stderr, "001090012345", "the trace carries no data")

	code, _, _ = runCmd(t, "demo", "extra")
	require.Equal(t, exitUsage, code)
}

// issued makes a test PKI and a card image in a temporary directory.
func issued(t *testing.T, profile string) (pkiDir, card string) {
	t.Helper()
	dir := t.TempDir()
	pkiDir = filepath.Join(dir, "pki")
	code, out, stderr := runCmd(t, "pki", "init", pkiDir)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "test PKI in")
	require.Contains(t, stderr, "TEST PKI ONLY", "pki init says its keys derive from a public seed")
	require.Contains(t, stderr, "public seed")
	st, err := os.Stat(filepath.Join(pkiDir, pkiDSDir, pkiDSKey))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	card = filepath.Join(dir, profile+".card")
	code, _, stderr = runCmd(t, "issue", "--profile", profile, "--test-pki", pkiDir, "--out", card)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stderr, "TEST CARD ONLY", "issue with the test PKI says the card is test-only")
	// The same when the test PKI's key and certificate are given by path.
	code, _, stderr = runCmd(t, "issue", "--profile", profile, "--ds-key", filepath.Join(pkiDir, pkiDSDir, pkiDSKey),
		"--ds-cert", filepath.Join(pkiDir, pkiDSDir, pkiDSCert), "--cvca", filepath.Join(pkiDir, pkiEACDir, pkiCVCA), "--out", card+".2")
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stderr, "TEST CARD ONLY")
	requireConforms(t, card)
	requireConforms(t, card+".2")
	return pkiDir, card
}

func TestIssueReadVerify(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileCCCD)
	trust := filepath.Join(pkiDir, pkiTrustDir)

	// Read with the MRZ key given, trust from the directory.
	out := filepath.Join(t.TempDir(), "read")
	code, stdout, stderr := runCmd(t, "read", "--sim", card, "--mrz", "090012345,900101,350101", "--trust", trust, "--out", out, "--json")
	require.Equal(t, exitOK, code, stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.True(t, r.Verified)
	require.Equal(t, "Nguyễn Văn An", r.Holder.FullName)
	for _, name := range []string{"DG1.bin", "DG2.bin", "DG13.bin", "EF.SOD.bin", "face.jpg"} {
		_, err := os.Stat(filepath.Join(out, name))
		require.NoError(t, err, name)
	}

	// With the inspection system's credentials, DG3 too.
	code, stdout, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", trust,
		"--terminal", filepath.Join(pkiDir, pkiEACDir), "--json")
	require.Equal(t, exitOK, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.True(t, r.Verified)
	require.Contains(t, r.Files, "DG3")
	require.Equal(t, 2, r.Holder.Fingerprints)
	found := false
	for _, c := range r.Checks {
		if c.Name == reader.CheckTerminal {
			found = c.Status == check.Passed
		}
	}
	require.True(t, found, "%+v", r.Checks)

	// BAC on request.
	code, stdout, stderr = runCmd(t, "read", "--sim", card, "--bac", "--trust", trust, "--json")
	require.Equal(t, exitOK, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.Equal(t, "BAC", r.Access)

	// A master list file alone is refused as trust, unless opted in.
	code, _, stderr = runCmd(t, "read", "--sim", card, "--trust", filepath.Join(pkiDir, pkiMLFile))
	require.NotEqual(t, exitOK, code)
	require.Contains(t, stderr, "--self-contained-master-list")
	code, _, stderr = runCmd(t, "read", "--sim", card, "--trust", filepath.Join(pkiDir, pkiMLFile), "--self-contained-master-list")
	require.Equal(t, exitOK, code, stderr)

	// A wrong MRZ key: access fails, exit 1.
	code, _, stderr = runCmd(t, "read", "--sim", card, "--mrz", "090012345,900102,350101")
	require.Equal(t, exitFail, code)
	require.Contains(t, stderr, "access control failed")
	// No trust: read, but not verified: exit 1.
	code, stdout, _ = runCmd(t, "read", "--sim", card)
	require.Equal(t, exitFail, code)
	require.Contains(t, stdout, "Verdict: NOT VERIFIED")
	// Bad usage.
	for _, args := range [][]string{
		{"read"},
		{"read", "--sim", card, "--reader", "x"},
		{"read", "--sim", card, "--mrz", "1,2"},
		{"read", "--sim", card, "--mrz", "090012345,900101,350101", "--can", "123456"},
	} {
		code, _, _ = runCmd(t, args...)
		require.Equal(t, exitUsage, code, args)
	}

	// verify the files read.
	code, stdout, stderr = runCmd(t, "verify", out, "--trust", trust, "--json")
	require.Equal(t, exitOK, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.True(t, r.Verified)
	require.Len(t, r.DataGroups, 6) // DG1, DG2, DG3 (in the SOD, not read: no TA), DG13, DG14, DG15

	// A changed DG13 fails verification.
	b, err := os.ReadFile(filepath.Join(out, "DG13.bin"))
	require.NoError(t, err)
	b[len(b)-1] ^= 1
	require.NoError(t, os.WriteFile(filepath.Join(out, "DG13.bin"), b, 0o600))
	code, stdout, _ = runCmd(t, "verify", out, "--trust", trust)
	require.Equal(t, exitFail, code)
	require.Contains(t, stdout, "DG13 hash")
	require.Contains(t, stdout, "NOT VERIFIED")
	code, _, _ = runCmd(t, "verify", out)
	require.Equal(t, exitUsage, code)
}

func TestIssueHolderAndPassport(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileICAOPassport)
	img, err := sim.Load(card)
	require.NoError(t, err)
	require.NotNil(t, img.Files[chip.EFDG11])

	out := filepath.Join(t.TempDir(), "h.card")
	code, stdout, stderr := runCmd(t, "issue", "--holder", "../../issuance/testdata/holder-cccd.json",
		"--ds-key", filepath.Join(pkiDir, pkiDSDir, pkiDSKey), "--ds-cert", filepath.Join(pkiDir, pkiDSDir, pkiDSCert),
		"--out", out, "--json")
	require.Equal(t, exitOK, code, stderr)
	var r report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.Equal(t, "Nguyễn Văn An", r.Holder.FullName)
	requireConforms(t, out)
	st, err := os.Stat(out)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	for _, args := range [][]string{
		{"issue", "--test-pki", pkiDir},
		{"issue", "--out", out},
		{"issue", "--out", out, "--test-pki", pkiDir, "--profile", "visa"},
		{"issue", "--out", out, "--test-pki", pkiDir, "--ds-key", "k"},
		{"pki", "init"},
		{"pki", "init", "--key", "dsa", t.TempDir()},
		{"pki"},
	} {
		code, _, _ := runCmd(t, args...)
		require.Equal(t, exitUsage, code, args)
	}
}

func TestDump(t *testing.T) {
	_, card := issued(t, sim.ProfileCCCD)
	img, err := sim.Load(card)
	require.NoError(t, err)
	dir := t.TempDir()
	bin := filepath.Join(dir, "dg1.bin")
	require.NoError(t, os.WriteFile(bin, img.Files[chip.EFDG1], 0o600))
	code, out, stderr := runCmd(t, "dump", bin)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, out, "61 DG1 (93)")
	require.Contains(t, out, `5F1F MRZ (90) "IDVNM`)

	hexFile := filepath.Join(dir, "com.hex")
	require.NoError(t, os.WriteFile(hexFile, []byte("60 16 5F01 04 30313037 5F36 06 303430303030 5C 04 6175766C\n"), 0o600))
	code, out, _ = runCmd(t, "dump", hexFile, "--json")
	require.Equal(t, exitOK, code)
	var nodes []nodeView
	require.NoError(t, json.Unmarshal([]byte(out), &nodes))
	require.Equal(t, "EF.COM", nodes[0].Name)
	require.Equal(t, "0107", nodes[0].Children[0].Value[1:5])

	bad := filepath.Join(dir, "bad.bin")
	require.NoError(t, os.WriteFile(bad, []byte{0x61, 0x05, 0x01}, 0o600))
	code, _, stderr = runCmd(t, "dump", bad)
	require.Equal(t, exitFail, code)
	require.Contains(t, stderr, "offset")
	code, _, _ = runCmd(t, "dump")
	require.Equal(t, exitUsage, code)
}

func TestParseFault(t *testing.T) {
	var f sim.Faults
	for _, s := range []string{"tear:3", "tear-bytes:100", "corrupt:2", "wrong-mac:5", "delay:10ms", "lie:DG2", "tamper:DG13", "clone",
		"kill:12", "no-do99:13", "absent:DG11", "denied:DG15"} {
		require.NoError(t, parseFault(&f, s), s)
	}
	require.Equal(t, sim.Faults{TearAfterAPDUs: 3, TearAfterBytes: 100, CorruptResponse: 2, WrongMAC: 5,
		Delay: 10 * time.Millisecond, LyingFile: chip.EFDG2, TamperedFile: chip.EFDG13, Clone: true,
		KillSession: 12, NoDO99: 13, AbsentFile: chip.EFDG11, DeniedFile: chip.EFDG15}, f)
	for _, s := range []string{"tear", "tear:x", "tear:-1", "lie:DG99", "melt:1", "delay:soon"} {
		require.ErrorIs(t, parseFault(&f, s), errUsage, s)
	}
}
