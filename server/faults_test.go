package server_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"math/big"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/server"
)

func TestUnauthorized(t *testing.T) {
	s := start(t, server.Config{})
	for name, key := range map[string]string{"none": "", "wrong": "not-a-key", "other's prefix": bankKey[:10], "long": strings.Repeat("k", 300)} {
		c := newClient(t, key)
		req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/challenge", nil)
		resp, b := c.do(req, true)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, name)
		require.Equal(t, "unauthorized", errorCode(t, b))
		require.Equal(t, `Bearer realm="cancuoc"`, resp.Header.Get("WWW-Authenticate"))
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/challenge", nil)
	req.Header.Set("Authorization", "Basic Zm9vOmJhcg==")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	// The right key still works.
	newClient(t, bankKey).challenge(s.url)
	require.NotContains(t, s.logs.String(), "not-a-key")
}

func TestBadBodies(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{MaxUploadBytes: 256 << 10})
	c := newClient(t, bankKey)
	post := func(ct string, body []byte) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/verify", bytes.NewReader(body))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, b := c.do(req, false)
		return resp.StatusCode, errorCode(t, b)
	}
	junk := make([]byte, 4096)
	rand.Read(junk)
	code, e := post("application/octet-stream", junk)
	require.Equal(t, [2]any{http.StatusUnsupportedMediaType, "unsupported_media_type"}, [2]any{code, e})
	code, e = post("multipart/form-data; boundary=xyz", junk)
	require.Equal(t, [2]any{http.StatusBadRequest, "bad_request"}, [2]any{code, e})
	code, e = post("", nil)
	require.Equal(t, [2]any{http.StatusUnsupportedMediaType, "unsupported_media_type"}, [2]any{code, e})

	// Oversized: the whole body, and one file above its own limit.
	ch := c.challenge(s.url)
	big := map[chip.File][]byte{chip.EFSOD: w.cccd.files[chip.EFSOD], chip.EFDG1: w.cccd.files[chip.EFDG1], chip.EFDG2: make([]byte, 300<<10)}
	ct, body := uploadBody(t, big, ch.Token, nil)
	code, e = post(ct, body)
	require.Equal(t, [2]any{http.StatusRequestEntityTooLarge, "too_large"}, [2]any{code, e})
	big = map[chip.File][]byte{chip.EFSOD: w.cccd.files[chip.EFSOD], chip.EFDG1: make([]byte, chip.SmallFileLimit+1)}
	ct, body = uploadBody(t, big, ch.Token, nil)
	code, e = post(ct, body)
	require.Equal(t, [2]any{http.StatusRequestEntityTooLarge, "too_large"}, [2]any{code, e})

	// Unknown parts, missing parts, a part twice.
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("challenge", ch.Token)
	mw.WriteField("DG99", "x")
	mw.Close()
	code, e = post(mw.FormDataContentType(), b.Bytes())
	require.Equal(t, [2]any{http.StatusBadRequest, "bad_request"}, [2]any{code, e})
	ct, body = uploadBody(t, map[chip.File][]byte{chip.EFDG1: w.cccd.files[chip.EFDG1]}, ch.Token, nil)
	code, e = post(ct, body)
	require.Equal(t, [2]any{http.StatusBadRequest, "bad_request"}, [2]any{code, e}, "no EF.SOD")
	ct, body = uploadBody(t, w.cccd.files, "", nil)
	code, e = post(ct, body)
	require.Equal(t, [2]any{http.StatusBadRequest, "bad_request"}, [2]any{code, e}, "no challenge")

	// Garbage files with a good challenge: a verdict, not a crash.
	garbage := map[chip.File][]byte{}
	for f := range w.cccd.files {
		g := make([]byte, 200)
		rand.Read(g)
		garbage[f] = g
	}
	code, rb := c.verify(s.url, garbage, ch.Token, make([]byte, 256))
	require.Equal(t, http.StatusOK, code)
	r := result(t, rb)
	require.Equal(t, server.NotVerified, r.Verdict.Outcome)
	require.False(t, r.Proven.DataAuthentic)
	require.Nil(t, r.Holder)

	// Unknown endpoints and methods.
	req, _ := http.NewRequest(http.MethodGet, s.url+"/v1/nothing", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)

	// The server keeps serving.
	ch = c.challenge(s.url)
	code, rb = c.verify(s.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, server.Verified, result(t, rb).Verdict.Outcome)
}

// TestSlowClients: a client that sends its headers or body too slowly is
// cut off by the deadlines and holds no worker.
func TestSlowClients(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{ReadHeaderTimeout: 300 * time.Millisecond, BodyTimeout: 500 * time.Millisecond, Workers: 1})
	addr := strings.TrimPrefix(s.url, "http://")

	// Headers that never end.
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.Write([]byte("POST /v1/challenge HTTP/1.1\r\nHost: x\r\n"))
	require.NoError(t, err)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	_, err = io.ReadAll(conn)
	require.NoError(t, err, "the server closes the connection")
	require.Less(t, time.Since(start), 3*time.Second)

	// A body that never ends.
	c := newClient(t, bankKey)
	ch := c.challenge(s.url)
	ct, body := uploadBody(t, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	conn2, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn2.Close()
	head := "POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + bankKey + "\r\nContent-Type: " + ct +
		"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	_, err = conn2.Write(append([]byte(head), body[:len(body)/2]...))
	require.NoError(t, err)
	conn2.SetReadDeadline(time.Now().Add(5 * time.Second))
	start = time.Now()
	resp, err := io.ReadAll(conn2)
	require.NoError(t, err)
	require.Less(t, time.Since(start), 3*time.Second)
	require.Contains(t, string(resp), "408")

	// Meanwhile and after, the one worker verifies others.
	ch = c.challenge(s.url)
	code, rb := c.verify(s.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, server.Verified, result(t, rb).Verdict.Outcome)
}

func TestRateLimit(t *testing.T) {
	s := start(t, server.Config{RateLimit: 1, Burst: 3})
	c := newClient(t, bankKey)
	for range 3 {
		c.challenge(s.url)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/challenge", nil)
	resp, b := c.do(req, true)
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	require.Equal(t, "rate_limited", errorCode(t, b))
	require.NotEmpty(t, resp.Header.Get("Retry-After"))
	// Another client has its own bucket.
	newClient(t, otherAPI).challenge(s.url)
}

// TestCRLStaleAndReload: a CRL past its next update makes the bank
// policy's verdict incomplete (the lenient one does not need it); a new
// CRL dropped into the trust directory is taken on Reload, without a
// restart.
func TestCRLStaleAndReload(t *testing.T) {
	w := newWorld(t)
	dir := t.TempDir()
	csca, err := os.ReadFile(filepath.Join(w.trust, "csca.pem"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.pem"), csca, 0o644))
	crl, err := pki.ParseCRL(w.pki.CRL)
	require.NoError(t, err)
	require.False(t, crl.NextUpdate.IsZero())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.crl"), w.pki.CRL, 0o644))

	now := time.Now()
	clock := now
	for _, policy := range []string{server.PolicyBank, server.PolicyLenient} {
		s := start(t, server.Config{TrustPath: dir, Policy: policy, ChallengeTTL: time.Hour, Time: func() time.Time { return clock }})
		c := newClient(t, bankKey)
		verify := func() *server.Result {
			ch := c.challenge(s.url)
			code, b := c.verify(s.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
			require.Equal(t, http.StatusOK, code)
			return result(t, b)
		}
		clock = now
		require.Equal(t, server.Verified, verify().Verdict.Outcome)
		clock = crl.NextUpdate.Add(time.Minute) // the CRL is stale now
		r := verify()
		if policy == server.PolicyBank {
			require.Equal(t, server.NotVerified, r.Verdict.Outcome)
			require.True(t, hasReason(r, "crl-stale"), r.Verdict.Reasons)
		} else {
			require.Equal(t, server.Verified, r.Verdict.Outcome)
		}
		require.True(t, r.Proven.DataAuthentic)

		// A fresh CRL arrives; Reload takes it.
		fresh, err := pki.CreateCRL(&pki.CRLTemplate{Number: big.NewInt(2), ThisUpdate: clock.Add(-time.Minute), NextUpdate: clock.Add(24 * time.Hour)}, w.pki.CSCA.Cert, w.pki.CSCA.Key, nil)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.crl"), fresh, 0o644))
		require.NoError(t, s.srv.Reload())
		require.Equal(t, server.Verified, verify().Verdict.Outcome)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.crl"), w.pki.CRL, 0o644))
		// A broken trust directory: the server keeps the store it has.
		require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.pem"), []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o644))
		require.Error(t, s.srv.Reload())
		require.NoError(t, os.Remove(filepath.Join(dir, "broken.pem")))
		clock = now
		require.Equal(t, server.Verified, verify().Verdict.Outcome)
	}
}
