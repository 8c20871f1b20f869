package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// relayResult is the part of a verification server's result the tests
// look at.
type relayResult struct {
	Verdict struct {
		Outcome string `json:"outcome"`
	} `json:"verdict"`
	APDUs  int    `json:"apdus"`
	Holder string `json:"holder"`
}

// relayServer is a verification server's relay endpoint on a loopback
// socket: relay.Accept, reader.Read over the session with the test PKI's
// trust, the verdict as JSON. It wants "Authorization: Bearer test-key".
func relayServer(t *testing.T, pkiDir string) string {
	t.Helper()
	trust, _, err := pki.LoadTrust(filepath.Join(pkiDir, pkiTrustDir), time.Now())
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer test-key" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		s, start, err := relay.Accept(r.Context(), w, r, relay.Limits{})
		if err != nil {
			return
		}
		defer s.Close()
		key := reader.CANKey(start.Key.CAN)
		if !start.Key.IsCAN() {
			if key, err = reader.ParseMRZKey(start.Key.Document + "," + start.Key.Birth + "," + start.Key.Expiry); err != nil {
				_ = s.Fail(relay.CodeBadStart, "invalid MRZ key")
				return
			}
		}
		res, err := reader.Read(s.Context(), s, key, reader.Options{Trust: trust, Progress: func(p reader.Progress) {
			_ = s.Progress(relay.Progress{Stage: "read", File: p.File.String(), Read: p.Read, Total: p.Total})
		}})
		if cause := s.Cause(); cause != nil {
			_ = s.Fail(relay.CodeOf(cause), "")
			return
		}
		if errors.Is(err, reader.ErrAccess) {
			_ = s.Fail(relay.CodeAccessDenied, "the chip refused the key")
			return
		}
		var out relayResult
		out.Verdict.Outcome = "not verified"
		if err == nil && res.Verified() {
			out.Verdict.Outcome = "verified"
		}
		out.APDUs = res.APDUs
		if res.Document != nil && res.Document.DG1 != nil {
			out.Holder = res.Document.DG1.MRZ.PrimaryIdentifier
		}
		b, _ := json.Marshal(out)
		_ = s.Finish(b)
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/relay"
}

// TestRelayCommand runs "cancuoc relay --sim" against a relay server over
// loopback: a CCCD with its CAN and a passport with the MRZ from its DG1.
func TestRelayCommand(t *testing.T) {
	for _, tc := range []struct {
		profile string
		args    []string
		holder  string
		apdus   int
	}{
		{sim.ProfileCCCD, []string{"--can", "012345"}, "NGUYEN", 17},
		{sim.ProfileCCCD, []string{"--mrz", "090012345,900101,350101"}, "NGUYEN", 17},
		{sim.ProfileICAOPassport, nil, "", 0},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			pkiDir, card := issued(t, tc.profile)
			url := relayServer(t, pkiDir)
			keyFile := filepath.Join(t.TempDir(), "api-key")
			require.NoError(t, os.WriteFile(keyFile, []byte("test-key\n"), 0o600))

			args := append([]string{"relay", "--sim", card, "--server", url, "--api-key-file", keyFile, "--json"}, tc.args...)
			code, stdout, stderr := runCmd(t, args...)
			require.Equal(t, exitOK, code, stderr)
			var r relayResult
			require.NoError(t, json.Unmarshal([]byte(stdout), &r))
			require.Equal(t, "verified", r.Verdict.Outcome)
			if tc.holder != "" {
				require.Equal(t, tc.holder, r.Holder)
			}
			if tc.apdus != 0 {
				require.Equal(t, tc.apdus, r.APDUs)
			}
			require.NotContains(t, stderr, "012345")

			// Human output: the verdict on stderr.
			code, _, stderr = runCmd(t, append([]string{"relay", "--sim", card, "--server", url, "--api-key-file", keyFile}, tc.args...)...)
			require.Equal(t, exitOK, code, stderr)
			require.Contains(t, stderr, "Verdict: verified")
		})
	}

	pkiDir, card := issued(t, sim.ProfileCCCD)
	url := relayServer(t, pkiDir)
	keyFile := filepath.Join(t.TempDir(), "api-key")
	require.NoError(t, os.WriteFile(keyFile, []byte("test-key"), 0o600))
	wrongKey := filepath.Join(t.TempDir(), "wrong")
	require.NoError(t, os.WriteFile(wrongKey, []byte("nope"), 0o600))

	// A wrong API key: refused before any APDU.
	code, _, stderr := runCmd(t, "relay", "--sim", card, "--server", url, "--api-key-file", wrongKey)
	require.Equal(t, exitFail, code)
	require.Contains(t, stderr, "refused the API key")
	require.NotContains(t, stderr, "nope")
	// A wrong CAN: the chip refuses it, the server says so.
	code, _, stderr = runCmd(t, "relay", "--sim", card, "--server", url, "--api-key-file", keyFile, "--can", "999999")
	require.Equal(t, exitFail, code)
	require.Contains(t, stderr, "access_denied")
	require.NotContains(t, stderr, "999999")
	// Usage.
	for _, args := range [][]string{
		{"relay", "--sim", card},
		{"relay", "--server", url},
		{"relay", "--sim", card, "--reader", "x", "--server", url},
		{"relay", "--sim", card, "--server", url, "--can", "12a"},
		{"relay", "--sim", card, "--server", url, "--cert", "c.pem"},
		{"relay", "--sim", card, "--server", url, "extra"},
	} {
		code, _, _ := runCmd(t, args...)
		require.Equal(t, exitUsage, code, args)
	}
}
