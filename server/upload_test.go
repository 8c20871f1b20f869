package server_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/server"
)

func TestUploadVerified(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{})
	c := newClient(t, bankKey)
	ch := c.challenge(s.url)
	require.Len(t, ch.Nonce, 8)
	require.WithinDuration(t, time.Now().Add(server.DefaultChallengeTTL), ch.ExpiresAt, 2*time.Second)

	code, b := c.verify(s.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code, string(b))
	r := result(t, b)
	require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
	require.Equal(t, server.PolicyBank, r.Verdict.Policy)
	require.True(t, r.Proven.DataAuthentic)
	require.True(t, r.Proven.LiveChip)
	require.Equal(t, "upload", r.Mode)
	for _, n := range []check.Name{server.CheckChallenge, server.CheckParse, server.CheckPassive, server.CheckActiveAuth} {
		require.Contains(t, r.Checks, server.Check{Name: n, Status: check.Passed})
	}
	// Holder data from DG13, with its diacritics.
	doc, err := chip.ParseDocument(w.cccd.files)
	require.NoError(t, err)
	cit, ok := doc.Citizen()
	require.True(t, ok)
	require.Equal(t, cit.FullName, r.Holder.FullName)
	require.NotEqual(t, strings.ToUpper(r.Holder.FullName), r.Holder.FullName, "Vietnamese with diacritics, not the MRZ's")
	require.Equal(t, cit.PlaceOfResidence, r.Holder.PlaceOfResidence)
	require.Equal(t, doc.PersonalNumber(), r.Holder.PersonalNumber)
	// The face: DG2's JPEG byte for byte.
	img, _, ok := doc.FaceImage()
	require.True(t, ok)
	require.Equal(t, "image/jpeg", r.Face.MIME)
	require.Equal(t, img, r.Face.Data)
	require.False(t, r.Face.Converted)
	// The evidence bundle: canonical again once indented, and it
	// re-verifies offline with the trust files alone.
	rep := verifyEvidence(t, r)
	require.True(t, rep.Verified(), rep.Disagreements)
	require.Len(t, rep.Bundle.Files, len(w.cccd.files))
	require.Equal(t, ch.Nonce, rep.Bundle.ActiveAuth.Challenge)
	require.Regexp(t, "^[0-9a-f]{16}$", r.RequestID)

	// Metrics count the verdict; logs hold no personal data nor keys.
	resp, err := http.Get(s.url + "/metrics")
	require.NoError(t, err)
	m, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Contains(t, string(m), `cancuoc_verdicts_total{mode="upload",outcome="verified",policy="bank"} 1`)
	require.Contains(t, string(m), `cancuoc_http_requests_total{code="200",route="POST /v1/verify"} 1`)
	require.Contains(t, string(m), `cancuoc_relay_sessions_open 0`)
	checkLogs(t, s.logs.String())
}

// TestDrain: a server told to stop finishes the verification in progress,
// and its readiness turns 503 meanwhile.
func TestDrain(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{})
	c := newClient(t, bankKey)
	ch := c.challenge(s.url)
	ct, body := uploadBody(t, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	// Send the headers and half the body, stop the server, then send the rest.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	head := "POST /v1/verify HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + bankKey + "\r\nContent-Type: " + ct +
		"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	_, err = conn.Write(append([]byte(head), body[:len(body)/2]...))
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond)
	stopped := make(chan struct{})
	go func() { s.stop(); close(stopped) }()
	time.Sleep(200 * time.Millisecond)
	select {
	case <-stopped:
		require.FailNow(t, "stopped with a request in progress")
	default:
	}
	resp, err := http.Get(s.url + "/readyz")
	if err == nil { // the listener may be closed already
		resp.Body.Close()
		require.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	}
	_, err = conn.Write(body[len(body)/2:])
	require.NoError(t, err)
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, server.Verified, result(t, b).Verdict.Outcome)
	<-stopped
}

func TestUploadWithoutAA(t *testing.T) {
	w := newWorld(t)
	for _, policy := range []string{server.PolicyBank, server.PolicyLenient} {
		s := start(t, server.Config{Policy: policy})
		c := newClient(t, bankKey)
		ch := c.challenge(s.url)
		code, b := c.verify(s.url, w.cccd.files, ch.Token, nil)
		require.Equal(t, http.StatusOK, code)
		r := result(t, b)
		require.True(t, r.Proven.DataAuthentic)
		require.False(t, r.Proven.LiveChip, "without AA only the data's authenticity")
		require.Contains(t, r.Proven.Statement, "may be a copy")
		require.Contains(t, r.Checks, server.Check{Name: server.CheckActiveAuth, Status: check.NotRun,
			Error: "no aa_signature uploaded: only the data's authenticity can be proven"})
		if policy == server.PolicyBank {
			require.Equal(t, server.NotVerified, r.Verdict.Outcome)
			require.True(t, hasReason(r, "chip-authenticity-unproven"), r.Verdict.Reasons)
		} else {
			require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
		}
	}
}

func TestUploadTampered(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{})
	c := newClient(t, bankKey)
	for name, tc := range map[string]struct {
		files  func() map[chip.File][]byte
		sig    func(nonce []byte) []byte
		want   check.Name
		notRun bool // the check wanted is not run (else it failed)
	}{
		"DG13 altered": {files: func() map[chip.File][]byte {
			f := maps.Clone(w.cccd.files)
			f[chip.EFDG13] = bytes.Clone(f[chip.EFDG13])
			f[chip.EFDG13][len(f[chip.EFDG13])-1] ^= 1
			return f
		}, want: server.CheckPassive},
		"SOD signature altered": {files: func() map[chip.File][]byte {
			f := maps.Clone(w.cccd.files)
			f[chip.EFSOD] = bytes.Clone(f[chip.EFSOD])
			f[chip.EFSOD][len(f[chip.EFSOD])-3] ^= 1
			return f
		}, want: server.CheckPassive},
		"signature over another nonce": {sig: func([]byte) []byte { return w.cccd.sign(t, []byte("12345678")) }, want: server.CheckActiveAuth},
		"signature bit flipped": {sig: func(n []byte) []byte {
			s := w.cccd.sign(t, n)
			s[10] ^= 1
			return s
		}, want: server.CheckActiveAuth},
		"DG15 dropped": {files: func() map[chip.File][]byte {
			f := maps.Clone(w.cccd.files)
			delete(f, chip.EFDG15)
			return f
		}, want: server.CheckActiveAuth, notRun: true},
	} {
		t.Run(name, func(t *testing.T) {
			ch := c.challenge(s.url)
			files := w.cccd.files
			if tc.files != nil {
				files = tc.files()
			}
			sig := w.cccd.sign(t, ch.Nonce)
			if tc.sig != nil {
				sig = tc.sig(ch.Nonce)
			}
			code, b := c.verify(s.url, files, ch.Token, sig)
			require.Equal(t, http.StatusOK, code, string(b))
			r := result(t, b)
			require.Equal(t, server.NotVerified, r.Verdict.Outcome)
			require.False(t, r.Proven.LiveChip)
			found := false
			want := check.Failed
			if tc.notRun {
				want = check.NotRun
			}
			for _, c := range r.Checks {
				if c.Name == tc.want {
					require.Equal(t, want, c.Status, c.Error)
					found = true
				}
			}
			require.True(t, found, "%s failed", tc.want)
			if tc.want == server.CheckActiveAuth && want == check.Failed {
				// Not "nothing shows a live chip": a chip failed to
				// prove its key.
				require.Contains(t, r.Proven.Statement, "clone", r.Proven.Statement)
				require.True(t, r.Proven.CloneSuspected)
				require.Nil(t, r.Holder, "a suspected clone's data is not handed out")
				require.Nil(t, r.Face)
			}
			if tc.want == server.CheckPassive {
				require.Nil(t, r.Holder, "data that failed verification is not handed out")
				require.Nil(t, r.Face)
				rep := verifyEvidence(t, r)
				require.NoError(t, rep.Err(), "the bundle records the refusal faithfully")
				require.False(t, rep.Verified())
			}
		})
	}
	// And the server keeps serving.
	ch := c.challenge(s.url)
	code, b := c.verify(s.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, server.Verified, result(t, b).Verdict.Outcome)
}

func TestChallengeRefused(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	clock := func() time.Time { return now }
	s := start(t, server.Config{Time: func() time.Time { return clock() }})
	other := start(t, server.Config{ChallengeKeys: [][]byte{otherKey}})
	c := newClient(t, bankKey)

	try := func(token string, nonce []byte) (int, string) {
		code, b := c.verify(s.url, w.cccd.files, token, w.cccd.sign(t, nonce))
		if code == http.StatusOK {
			return code, result(t, b).Verdict.Outcome
		}
		return code, errorCode(t, b)
	}

	// Used once: accepted; twice: refused.
	ch := c.challenge(s.url)
	code, out := try(ch.Token, ch.Nonce)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, server.Verified, out)
	code, out = try(ch.Token, ch.Nonce)
	require.Equal(t, [2]any{http.StatusConflict, "challenge_reused"}, [2]any{code, out})

	// Expired.
	ch = c.challenge(s.url)
	clock = func() time.Time { return now.Add(server.DefaultChallengeTTL + time.Second) }
	code, out = try(ch.Token, ch.Nonce)
	require.Equal(t, [2]any{http.StatusForbidden, "challenge_expired"}, [2]any{code, out})
	clock = func() time.Time { return now }

	// Issued to another client.
	ch = newClient(t, otherAPI).challenge(s.url)
	code, out = try(ch.Token, ch.Nonce)
	require.Equal(t, [2]any{http.StatusForbidden, "challenge_foreign"}, [2]any{code, out})

	// Issued under another key (another deployment).
	ch = c.challenge(other.url)
	code, out = try(ch.Token, ch.Nonce)
	require.Equal(t, [2]any{http.StatusForbidden, "challenge_unknown_key"}, [2]any{code, out})

	// Altered tokens.
	ch = c.challenge(s.url)
	raw, err := base64.RawURLEncoding.DecodeString(ch.Token)
	require.NoError(t, err)
	raw[7] ^= 1 // in the nonce
	code, out = try(base64.RawURLEncoding.EncodeToString(raw), ch.Nonce)
	require.Equal(t, [2]any{http.StatusForbidden, "challenge_foreign"}, [2]any{code, out})
	for _, bad := range []string{"x", strings.Repeat("A", 71), ch.Token[:len(ch.Token)-1] + "!"} {
		code, out = try(bad, ch.Nonce)
		require.Equal(t, [2]any{http.StatusBadRequest, "challenge_malformed"}, [2]any{code, out}, bad)
	}
	// The untouched token still works: refusals burn nothing.
	code, out = try(ch.Token, ch.Nonce)
	require.Equal(t, [2]any{http.StatusOK, server.Verified}, [2]any{code, out})
}

// TestChallengeOtherReplica: a challenge issued by one server is redeemed
// at a second one holding the same key; each refuses it a second time.
func TestChallengeOtherReplica(t *testing.T) {
	w := newWorld(t)
	a, b := start(t, server.Config{}), start(t, server.Config{})
	c := newClient(t, bankKey)
	ch := c.challenge(a.url)
	code, body := c.verify(b.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, server.Verified, result(t, body).Verdict.Outcome)
	code, body = c.verify(b.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusConflict, code)
	require.Equal(t, "challenge_reused", errorCode(t, body))
}

// TestUploadOmittingDG15: a modified app that leaves DG15 (and DG14) out
// of its upload, though EF.SOD lists them, hides that the chip offers
// Active Authentication and Chip Authentication: under bank the chip's
// authenticity is unproven, never "not offered".
func TestUploadOmittingDG15(t *testing.T) {
	w := newWorld(t)
	for _, drop := range [][]chip.File{{chip.EFDG15}, {chip.EFDG14, chip.EFDG15}, {chip.EFDG14, chip.EFDG15, chip.EFCardAccess, chip.EFCOM}} {
		files := maps.Clone(w.cccd.files)
		for _, f := range drop {
			delete(files, f)
		}
		for _, policy := range []string{server.PolicyBank, server.PolicyLenient} {
			s := start(t, server.Config{Policy: policy})
			c := newClient(t, bankKey)
			ch := c.challenge(s.url)
			code, b := c.verify(s.url, files, ch.Token, nil)
			require.Equal(t, http.StatusOK, code, string(b))
			r := result(t, b)
			require.True(t, r.Proven.DataAuthentic, "%v", drop)
			require.False(t, r.Proven.LiveChip)
			require.True(t, hasReason(r, "chip-authenticity-unproven"), "%v %s: %v", drop, policy, r.Verdict.Reasons)
			require.False(t, hasReason(r, "chip-authenticity-not-offered"), "%v %s: %v", drop, policy, r.Verdict.Reasons)
			if policy == server.PolicyBank {
				require.Equal(t, server.NotVerified, r.Verdict.Outcome, "%v: %v", drop, r.Verdict.Reasons)
			} else {
				require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
			}
		}
	}
}

// TestUploadConformance: uploaded files get the Doc 9303 profile checks a
// read gets: none on a card the project issued; an EF.COM (unsigned)
// naming Unicode 5.0.0 gives the encoding finding, a warning under bank.
func TestUploadConformance(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{})
	c := newClient(t, bankKey)
	ch := c.challenge(s.url)
	code, b := c.verify(s.url, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code, string(b))
	require.Empty(t, result(t, b).Facts.Findings)

	files := map[chip.File][]byte{}
	for f, v := range w.cccd.files {
		files[f] = v
	}
	com, err := chip.ParseCOM(files[chip.EFCOM])
	require.NoError(t, err)
	com.UnicodeVersion = "050000"
	files[chip.EFCOM], err = com.Encode()
	require.NoError(t, err)
	ch = c.challenge(s.url)
	code, b = c.verify(s.url, files, ch.Token, w.cccd.sign(t, ch.Nonce))
	require.Equal(t, http.StatusOK, code, string(b))
	r := result(t, b)
	require.Len(t, r.Facts.Findings, 1)
	require.Equal(t, conform.COMUnicodeVersion.ID, r.Facts.Findings[0].Rule.ID)
	require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
}

// TestUploadRevokedSigner: files signed by a Document Signer that a
// verified CRL revokes are not authentic data, whatever the policy: no
// holder, no face, data_authentic false (they were handed out as "The data
// is authentic", the verdict alone saying crl-revoking).
func TestUploadRevokedSigner(t *testing.T) {
	w := newWorld(t)
	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	key, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("server test AA"))
	require.NoError(t, err)
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD,
		Issuer: sim.Issuer{Signer: w.pki.RevokedDS.Key, Cert: w.pki.RevokedDS.Cert}, Time: func() time.Time { return time.Now().Add(-time.Minute) }, AAKey: key})
	require.NoError(t, err)
	files := maps.Clone(w.cccd.files)
	for f := range files {
		files[f] = img.Files[f]
	}
	for _, policy := range []string{server.PolicyBank, server.PolicyLenient} {
		s := start(t, server.Config{Policy: policy})
		c := newClient(t, bankKey)
		ch := c.challenge(s.url)
		code, b := c.verify(s.url, files, ch.Token, w.cccd.sign(t, ch.Nonce))
		require.Equal(t, http.StatusOK, code, string(b))
		r := result(t, b)
		require.Equal(t, server.NotVerified, r.Verdict.Outcome, r.Verdict.Reasons)
		require.True(t, hasReason(r, "crl-revoking"), r.Verdict.Reasons)
		require.False(t, r.Proven.DataAuthentic, "%s: %s", policy, r.Proven.Statement)
		require.False(t, r.Proven.LiveChip)
		require.Nil(t, r.Holder, policy)
		require.Nil(t, r.Face, policy)
	}
}
