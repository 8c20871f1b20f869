package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/tlv"
)

// TestNewUserMessages holds the exit codes and messages a new user met:
// each case fails on the tool as it was before (issue 19).
func TestNewUserMessages(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileCCCD)
	trust := filepath.Join(pkiDir, pkiTrustDir)
	img, err := sim.Load(card)
	require.NoError(t, err)

	t.Run("malformed CAN is bad usage, like a malformed MRZ, and is not echoed", func(t *testing.T) {
		for _, can := range []string{"12ab56", "01 345", "０１２３４５"} {
			code, _, stderr := runCmd(t, "read", "--sim", card, "--can", can)
			require.Equal(t, exitUsage, code, stderr)
			require.Contains(t, stderr, "--can")
			require.NotContains(t, stderr, can)
		}
		code, _, _ := runCmd(t, "read", "--sim", card, "--mrz", "090012345,9001,350101")
		require.Equal(t, exitUsage, code)
	})
	t.Run("an unknown policy is bad usage everywhere, said once", func(t *testing.T) {
		for _, args := range [][]string{
			{"read", "--sim", card, "--policy", "nope"},
			{"demo", "--policy", "nope"},
			{"verify", t.TempDir(), "--trust", trust, "--policy", "nope"},
			{"serve", "--trust", trust, "--listen", "127.0.0.1:0", "--allow-anonymous", "--policy", "nope"},
		} {
			code, _, stderr := runCmd(t, args...)
			require.Equal(t, exitUsage, code, "%v: %s", args, stderr)
			require.Equal(t, 1, strings.Count(stderr, `"nope"`), "%v: %s", args, stderr)
			require.Contains(t, stderr, "bank, conformance, lenient")
		}
	})
	t.Run("missing trust directory names --trust", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope")
		code, _, stderr := runCmd(t, "read", "--sim", card, "--trust", missing)
		require.Equal(t, exitFail, code)
		require.Contains(t, stderr, "--trust "+missing)
		require.NotContains(t, stderr, "stat ")
		code, _, stderr = runCmd(t, "verify", t.TempDir(), "--trust", missing)
		require.Equal(t, exitFail, code)
		require.Contains(t, stderr, "--trust "+missing)
	})
	t.Run("verify of a directory that is not there says so", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nonexistent")
		code, _, stderr := runCmd(t, "verify", missing, "--trust", trust)
		require.Equal(t, exitFail, code)
		require.Contains(t, stderr, "does not exist")
		require.NotContains(t, stderr, "EF.SOD")
	})
	t.Run("verify refuses a file larger than its LDS limit", func(t *testing.T) {
		dir := t.TempDir()
		f, err := os.Create(filepath.Join(dir, "DG2.bin"))
		require.NoError(t, err)
		require.NoError(t, f.Truncate(1<<30)) // 1 GiB, sparse: never read
		require.NoError(t, f.Close())
		code, _, stderr := runCmd(t, "verify", dir, "--trust", trust)
		require.Equal(t, exitFail, code)
		require.Contains(t, stderr, "DG2.bin: file too large")
	})
	t.Run("dump of the tool's own card image shows its files, not its secrets", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, "dump", card)
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "cancuoc card image, profile cccd")
		require.Contains(t, stdout, "DG1 (")
		require.Contains(t, stdout, "EF.SOD (")
		require.NotContains(t, stdout, img.Secrets.MRZInfo)
		require.NotContains(t, stdout, strings.ToUpper(hexOf(img.Secrets.AAKey[:16])))
		code, stdout, stderr = runCmd(t, "dump", card, "--json")
		require.Equal(t, exitOK, code, stderr)
		var v struct {
			CardImage string `json:"card_image"`
			Files     []struct {
				File string `json:"file"`
			} `json:"files"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &v))
		require.Equal(t, card, v.CardImage)
		require.Len(t, v.Files, len(img.Files))
		other := filepath.Join(t.TempDir(), "other.json")
		require.NoError(t, os.WriteFile(other, []byte(`{"a": 1}`), 0o600))
		code, _, stderr = runCmd(t, "dump", other)
		require.Equal(t, exitFail, code)
		require.Contains(t, stderr, "JSON document, not BER-TLV")
	})
	t.Run("dump of an empty file is an error", func(t *testing.T) {
		for _, content := range []string{"", " \n"} {
			p := filepath.Join(t.TempDir(), "empty")
			require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
			code, stdout, stderr := runCmd(t, "dump", p)
			require.Equal(t, exitFail, code)
			require.Empty(t, stdout)
			require.Contains(t, stderr, "empty")
		}
	})
	t.Run("dump shows OIDs dotted and named", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "EF.CardAccess.bin")
		require.NoError(t, os.WriteFile(p, img.Files[chip.EFCardAccess], 0o600))
		code, stdout, stderr := runCmd(t, "dump", p)
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, "0.4.0.127.0.7.2.2.4.2.2 id-PACE-ECDH-GM-AES-CBC-CMAC-128")
		p = filepath.Join(t.TempDir(), "EF.SOD.bin")
		require.NoError(t, os.WriteFile(p, img.Files[chip.EFSOD], 0o600))
		code, stdout, stderr = runCmd(t, "dump", p, "--json")
		require.Equal(t, exitOK, code, stderr)
		require.Contains(t, stdout, `"value": "1.2.840.113549.1.7.2 id-signedData"`)
		require.Contains(t, stdout, `"value": "2.23.136.1.1.1 id-icao-mrtd-security-ldsSecurityObject"`)
		// Not a valid OBJECT IDENTIFIER: hex, said so.
		require.Equal(t, "0680 (not a valid OBJECT IDENTIFIER)", oidText([]byte{0x06, 0x80}))
		require.Equal(t, "2.999.3", oidText([]byte{0x88, 0x37, 0x03}))
	})
	t.Run("pki with no argument says usage once", func(t *testing.T) {
		for _, args := range [][]string{{"pki"}, {"pki", "frob"}} {
			code, _, stderr := runCmd(t, args...)
			require.Equal(t, exitUsage, code)
			require.Equal(t, 1, strings.Count(stderr, "usage:"), stderr)
			require.Contains(t, stderr, "pki init")
		}
	})
	t.Run("sim says serving only when vpcd is there", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close()) // nothing listens there now
		code, _, stderr := runCmd(t, "sim", card, "--vpcd", addr)
		require.Equal(t, exitFail, code)
		require.NotContains(t, stderr, "serving")
		require.Contains(t, stderr, "cannot reach the vpcd driver at "+addr)
	})
	t.Run("read --json prints a JSON error when it stops", func(t *testing.T) {
		for _, args := range [][]string{
			{"read", "--sim", card, "--can", "999999", "--trust", trust, "--json"},
			{"read", "--sim", filepath.Join(t.TempDir(), "none.card"), "--json"},
		} {
			code, stdout, stderr := runCmd(t, args...)
			require.Equal(t, exitFail, code)
			var v map[string]any
			require.NoError(t, json.Unmarshal([]byte(stdout), &v), stdout)
			require.Equal(t, false, v["verified"])
			require.NotEmpty(t, v["error"])
			require.NotEmpty(t, stderr)
		}
	})
	t.Run("issue --json claims no verdict", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "c.card")
		code, stdout, stderr := runCmd(t, "issue", "--test-pki", pkiDir, "--out", out, "--json")
		require.Equal(t, exitOK, code, stderr)
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(stdout), &v))
		require.NotContains(t, v, "verified")
		require.NotContains(t, v, "checks")
		require.Equal(t, out, v["card"])
		require.Contains(t, v, "holder")
	})
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	s := make([]byte, 0, 2*len(b))
	for _, c := range b {
		s = append(s, digits[c>>4], digits[c&15])
	}
	return string(s)
}

// TestDumpJSONStreamed: dump --json writes, one node at a time, exactly
// what encoding/json makes of the whole tree; flags may come before the
// file; a file past the node budget is refused with a clear message.
func TestDumpJSONStreamed(t *testing.T) {
	_, card := issued(t, sim.ProfileCCCD)
	img, err := sim.Load(card)
	require.NoError(t, err)
	for f, b := range img.Files {
		nodes, err := tlv.Lenient.Decode(b)
		require.NoError(t, err, f)
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		require.NoError(t, enc.Encode(jsonNodes(nodes, 0)))
		w := bufio.NewWriter(&got)
		writeJSONNodes(w, nodes, 0, "")
		w.WriteString("\n")
		require.NoError(t, w.Flush())
		require.Equal(t, want.String(), got.String(), f)
	}
	p := filepath.Join(t.TempDir(), "DG1.bin")
	require.NoError(t, os.WriteFile(p, img.Files[chip.EFDG1], 0o600))
	code, stdout, stderr := runCmd(t, "dump", "--json", p)
	require.Equal(t, exitOK, code, stderr)
	require.True(t, json.Valid([]byte(stdout)))
	code, _, stderr = runCmd(t, "dump", p, "extra")
	require.Equal(t, exitUsage, code, stderr)

	p = filepath.Join(t.TempDir(), "empty-objects")
	require.NoError(t, os.WriteFile(p, bytes.Repeat([]byte{0x01, 0x00}, tlv.DefaultMaxNodes+1), 0o600))
	code, stdout, stderr = runCmd(t, "dump", "--json", p)
	require.Equal(t, exitFail, code)
	require.Empty(t, stdout)
	require.Contains(t, stderr, "more than 65536 TLV objects")
}

func TestHexText(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []byte
		ok   bool
	}{
		{"61 03 5F 01 02\n", []byte{0x61, 0x03, 0x5F, 0x01, 0x02}, true},
		{"0a0B\r\n\t0c", []byte{0x0a, 0x0b, 0x0c}, true},
		{"abc", nil, false},
		{"zz", nil, false},
		{"", nil, false},
		{" \n", nil, false},
		{"\x01\x00", nil, false},
	} {
		got, ok := hexText([]byte(c.in))
		require.Equal(t, c.ok, ok, c.in)
		if ok {
			require.Equal(t, c.want, got, c.in)
		}
	}
}

// TestFileSizeCaps: every file a command reads has a size cap with a clear
// error, also for a file that never ends (/dev/zero).
func TestFileSizeCaps(t *testing.T) {
	pkiDir, card := issued(t, sim.ProfileCCCD)
	big := filepath.Join(t.TempDir(), "big")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(1<<30)) // 1 GiB, sparse
	require.NoError(t, f.Close())
	dsKey := filepath.Join(pkiDir, pkiDSDir, pkiDSKey)
	dsCert := filepath.Join(pkiDir, pkiDSDir, pkiDSCert)
	out := filepath.Join(t.TempDir(), "c.card")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dump", big}, "larger than"},
		{[]string{"dump", "/dev/zero"}, "larger than"},
		{[]string{"read", "--sim", big}, "larger than"},
		{[]string{"read", "--sim", "/dev/zero"}, "larger than"},
		{[]string{"issue", "--out", out, "--ds-key", big, "--ds-cert", dsCert}, "too large"},
		{[]string{"issue", "--out", out, "--ds-key", "/dev/zero", "--ds-cert", dsCert}, "too large"},
		{[]string{"issue", "--out", out, "--ds-key", dsKey, "--ds-cert", "/dev/zero"}, "too large"},
		{[]string{"issue", "--out", out, "--test-pki", pkiDir, "--cvca", "/dev/zero"}, "too large"},
		{[]string{"read", "--sim", card, "--trust", "/dev/zero"}, "--trust /dev/zero"},
		{[]string{"read", "--sim", card, "--trust", filepath.Join(pkiDir, pkiTrustDir), "--deviation-list", "/dev/zero"}, "too large"},
		{[]string{"serve", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--listen", "127.0.0.1:0", "--api-keys", "/dev/zero"}, "too large"},
		{[]string{"serve", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--listen", "127.0.0.1:0", "--api-keys", big}, "too large"},
		{[]string{"serve", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--listen", "127.0.0.1:0", "--allow-anonymous", "--challenge-key-file", "/dev/zero"}, "too large"},
	} {
		code, _, stderr := runCmd(t, c.args...)
		require.NotEqual(t, exitOK, code, c.args)
		require.Contains(t, stderr, c.want, c.args)
	}
	// The inspection system's credentials.
	eacDir := t.TempDir()
	for _, name := range []string{pkiDV, pkiIS, pkiISKey} {
		require.NoError(t, os.Symlink(big, filepath.Join(eacDir, name)))
	}
	code, _, stderr := runCmd(t, "read", "--sim", card, "--terminal", eacDir)
	require.Equal(t, exitFail, code)
	require.Contains(t, stderr, "file too large")
}
