package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/server"
)

// relayResult is the part of the server's result the tests look at.
type relayResult struct {
	Verdict struct {
		Outcome string `json:"outcome"`
	} `json:"verdict"`
	Wire struct {
		APDUs int `json:"apdus"`
	} `json:"wire"`
	Holder struct {
		FullName string `json:"full_name"`
	} `json:"holder"`
}

// relayAPIKey is the API key of the test client.
const relayAPIKey = "relay-test-key-0123456789"

// served runs "cancuoc serve" in process on a loopback port with the test
// PKI's trust and one API key, over TLS when withTLS (a self-signed server
// certificate, returned as caFile for "cancuoc relay --ca"). It returns
// the relay URL, the API key file and the CA file.
func served(t *testing.T, pkiDir string, withTLS bool) (url, keyFile, caFile string) {
	t.Helper()
	dir := t.TempDir()
	keyFile = filepath.Join(dir, "api-key")
	require.NoError(t, os.WriteFile(keyFile, []byte(relayAPIKey+"\n"), 0o600))
	keys := filepath.Join(dir, "api-keys")
	require.NoError(t, os.WriteFile(keys, []byte("test-bank "+server.HashAPIKey(relayAPIKey)+"\n"), 0o600))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	args := []string{"serve", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--listen", addr, "--api-keys", keys, "--rate", "0"}
	scheme := "http"
	hc := &http.Client{Timeout: 2 * time.Second}
	if withTLS {
		scheme = "https"
		certFile, keyPEM := filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem")
		pool := selfSigned(t, certFile, keyPEM)
		caFile = certFile
		args = append(args, "--tls-cert", certFile, "--tls-key", keyPEM)
		hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(args, &env{ctx: ctx, stdout: &bytes.Buffer{}, stderr: &lockedWriter{w: &stderr}, stdin: strings.NewReader("")})
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	require.Eventually(t, func() bool {
		resp, err := hc.Get(scheme + "://" + addr + "/healthz")
		if err != nil {
			return false
		}
		_ = resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "cancuoc serve did not come up")
	ws := "ws"
	if withTLS {
		ws = "wss"
	}
	return ws + "://" + addr + "/v1/relay", keyFile, caFile
}

// lockedWriter lets a goroutine's command write while the test reads.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// String returns what was written, when w is a *bytes.Buffer.
func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.w.(*bytes.Buffer); ok {
		return b.String()
	}
	return ""
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// (PEM), and returns a pool that trusts it.
func selfSigned(t *testing.T, certFile, keyFile string) *x509.CertPool {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cancuoc relay test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	require.NoError(t, err)
	kb, err := x509.MarshalPKCS8PrivateKey(k)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600))
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool
}

// TestRelayCommand runs "cancuoc relay --sim" against "cancuoc serve" over
// loopback (TLS for one): a CCCD with its CAN and its MRZ, a passport with
// the MRZ from its DG1; then a wrong API key, a wrong CAN, an untrusted
// server certificate and bad usage.
func TestRelayCommand(t *testing.T) {
	for _, tc := range []struct {
		name    string
		profile string
		args    []string
		holder  string
		apdus   int
		tls     bool
	}{
		{"cccd/can/tls", sim.ProfileCCCD, []string{"--can", "012345"}, "Nguyễn Văn An", 16, true}, // 17 on the card: EF.CardAccess read by the client
		{"cccd/mrz", sim.ProfileCCCD, []string{"--mrz", "090012345,900101,350101"}, "Nguyễn Văn An", 16, false},
		{"passport/mrz-from-dg1", sim.ProfileICAOPassport, nil, "", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkiDir, card := issued(t, tc.profile)
			url, keyFile, caFile := served(t, pkiDir, tc.tls)
			if caFile != "" {
				tc.args = append(tc.args, "--ca", caFile)
			}

			args := append([]string{"relay", "--sim", card, "--server", url, "--api-key-file", keyFile, "--json"}, tc.args...)
			code, stdout, stderr := runCmd(t, args...)
			require.Equal(t, exitOK, code, stderr)
			var r relayResult
			require.NoError(t, json.Unmarshal([]byte(stdout), &r))
			require.Equal(t, "verified", r.Verdict.Outcome)
			if tc.holder != "" {
				require.Equal(t, tc.holder, r.Holder.FullName)
			}
			if tc.apdus != 0 {
				require.Equal(t, tc.apdus, r.Wire.APDUs)
			}
			require.NotContains(t, stderr, "012345")

			// Human output: the verdict on stderr.
			code, _, stderr = runCmd(t, append([]string{"relay", "--sim", card, "--server", url, "--api-key-file", keyFile}, tc.args...)...)
			require.Equal(t, exitOK, code, stderr)
			require.Contains(t, stderr, "Verdict: verified")
		})
	}

	pkiDir, card := issued(t, sim.ProfileCCCD)
	url, keyFile, _ := served(t, pkiDir, false)
	wrongKey := filepath.Join(t.TempDir(), "wrong")
	require.NoError(t, os.WriteFile(wrongKey, []byte("nope"), 0o600))

	// The server's base URL, as a new user gives it: the relay endpoint
	// is taken (it was HTTP 404).
	base := strings.TrimSuffix(url, "/v1/relay")
	for _, u := range []string{base, base + "/", strings.Replace(base, "ws://", "http://", 1)} {
		code, _, stderr := runCmd(t, "relay", "--sim", card, "--server", u, "--api-key-file", keyFile, "--can", "012345")
		require.Equal(t, exitOK, code, "%s: %s", u, stderr)
	}

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
	// A server that trusts another CSCA: read, not verified, exit 1, and
	// the reasons on stderr.
	other := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(other, pkiTrustDir), 0o755))
	selfSigned(t, filepath.Join(other, pkiTrustDir, "other-csca.pem"), filepath.Join(t.TempDir(), "k.pem"))
	otherURL, _, _ := served(t, other, false)
	code, stdout, stderr := runCmd(t, "relay", "--sim", card, "--server", otherURL, "--api-key-file", keyFile, "--can", "012345")
	require.Equal(t, exitFail, code, stderr)
	require.Contains(t, stdout, `"outcome": "not verified"`)
	require.Contains(t, stderr, "Verdict: not verified")
	require.Regexp(t, `\n  \S+: `, stderr, "a reason: code, subject, detail")
	// TLS without trusting the server's certificate: refused.
	tlsURL, _, _ := served(t, pkiDir, true)
	code, _, stderr = runCmd(t, "relay", "--sim", card, "--server", tlsURL, "--api-key-file", keyFile, "--can", "012345")
	require.Equal(t, exitFail, code)
	require.Contains(t, stderr, "certificate")
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
