//go:build cgo

package main

import (
	"context"
	"crypto"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/hsm/hsmtest"
	"github.com/cancuoc/cancuoc/reader"
)

const tokenPIN = "station-PIN-314"

// requireCardsVerified reads the card image of each line in out as a reader
// does (the key from its DG1, every file, passive authentication against
// trust) and requires it verified.
func requireCardsVerified(t *testing.T, out string, trust *pki.TrustStore, lines ...int) {
	t.Helper()
	for _, line := range lines {
		img, err := sim.Load(filepath.Join(out, fmt.Sprintf("card-%04d.card", line)))
		require.NoError(t, err)
		card, err := sim.New(img, nil)
		require.NoError(t, err)
		key, err := reader.KeyFromDG1(img.Files[chip.EFDG1])
		require.NoError(t, err)
		res, err := reader.Read(context.Background(), card, key, &reader.Config{Trust: trust})
		require.NoError(t, err)
		require.True(t, res.Verified(), "line %d: %v", line, res.Err())
	}
}

// tokenPKI makes the Document Signer key in the token and a test PKI around
// it, laid out as "cancuoc pki init --pkcs11" does (no key file).
func tokenPKI(t *testing.T, tok *hsmtest.Token) (*pkitest.PKI, string) {
	t.Helper()
	h, err := hsm.Open(hsm.Config{Module: tok.Module, Token: tok.Label, PIN: tokenPIN})
	require.NoError(t, err)
	key, err := h.GenerateKey("cancuoc-ds", hsm.P256)
	require.NoError(t, err)
	p, err := pkitest.New(pkitest.Config{Seed: "issuance hsm test", Now: time.Now().Add(-time.Hour),
		CSCA: pkitest.P256, DS: pkitest.P256, DSKey: key})
	require.NoError(t, err)
	require.NoError(t, h.Close())
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ds"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, dsCertFile), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.DS.Cert.Raw}), 0o644))
	return p, dir
}

// TestBatchPKCS11 issues the batch with the Document Signer in SoftHSM2
// and reads every card back on the simulator (checkBatch).
func TestBatchPKCS11(t *testing.T) {
	tok := hsmtest.New(t, "station", tokenPIN)
	p, pkiDir := tokenPKI(t, tok)
	t.Setenv("CANCUOC_PKCS11_PIN", tokenPIN)
	out := filepath.Join(t.TempDir(), "cards")
	code, stdout, stderr := runMain(t, "--in", holders, "--out", out, "--test-pki", pkiDir,
		"--pkcs11", tok.Module, "--token", tok.Label, "--workers", "2")
	require.Equal(t, exitFailed, code, "one record is bad: %s", stderr)
	require.Contains(t, stdout, "issued 4 cards, 1 failed, 4 signatures by the Document Signer")
	require.NotContains(t, stdout+stderr, tokenPIN)
	checkBatch(t, out, p.Trust())

	raw := tok.OpenRaw(t, tok.Label, tok.PIN)
	require.Empty(t, raw.KeyLeaks(t, "cancuoc-ds"))
}

// logoutAfter logs the token out (a real C_Logout, as an operator or a
// session timeout would) once n signatures were made.
type logoutAfter struct {
	crypto.Signer
	n      int64
	count  atomic.Int64
	logout func()
}

func (s *logoutAfter) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if s.count.Add(1) == s.n+1 {
		s.logout()
	}
	return s.Signer.Sign(r, digest, opts)
}

// TestBatchTokenLoggedOut: the token logs out after two cards. Those two are
// issued, the rest "not issued" with the reason, none lost; the rerun
// issues only those, and the first two cards are not touched.
func TestBatchTokenLoggedOut(t *testing.T) {
	tok := hsmtest.New(t, "flaky", tokenPIN)
	p, pkiDir := tokenPKI(t, tok)
	t.Setenv("CANCUOC_PKCS11_PIN", tokenPIN)
	var logoutErr error
	wrapSigner = func(s crypto.Signer) crypto.Signer {
		return &logoutAfter{Signer: s, n: 2, logout: func() {
			raw, err := tok.Dial(tok.Label, tok.PIN) // after the station opened the token
			if err == nil {
				err = raw.LogoutErr()
				raw.Close()
			}
			logoutErr = err
		}}
	}
	defer func() { wrapSigner = nil }()

	out := filepath.Join(t.TempDir(), "cards")
	args := []string{"--in", holders, "--out", out, "--test-pki", pkiDir, "--pkcs11", tok.Module, "--token", tok.Label, "--workers", "1"}
	code, stdout, stderr := runMain(t, args...)
	require.NoError(t, logoutErr)
	require.Equal(t, exitFailed, code, stderr)
	require.Contains(t, stdout, "issued 2 cards, 3 failed, 2 signatures", stderr)
	require.Contains(t, stdout, "2 records NOT issued: the token failed")
	require.Contains(t, stdout, "logged out")
	require.NotContains(t, stdout+stderr, tokenPIN)
	recs := readAudit(t, filepath.Join(out, "audit.jsonl"))
	require.Len(t, recs, 5)
	outcomes := map[int]string{}
	for _, r := range recs {
		outcomes[r.Line] = r.Outcome
		if r.Outcome == outcomeNotIssued {
			require.Contains(t, r.Error, "logged out")
			require.NoFileExists(t, filepath.Join(out, fmt.Sprintf("card-%04d.card", r.Line)))
		}
	}
	require.Equal(t, map[int]string{1: outcomeIssued, 2: outcomeIssued, 3: outcomeNotIssued, 4: outcomeFailed, 5: outcomeNotIssued}, outcomes)
	first, err := os.ReadFile(filepath.Join(out, "card-0001.card"))
	require.NoError(t, err)

	// The rerun (a new login): only lines 3 and 5 are signed; line 4 is
	// still a bad record.
	wrapSigner = nil
	code, stdout, stderr = runMain(t, args...)
	require.Equal(t, exitFailed, code, stderr)
	require.Contains(t, stdout, "issued 2 cards, 1 failed, 2 signatures")
	require.Contains(t, stdout, "2 records issued by an earlier run, not issued again")
	require.Contains(t, stderr, "line 1: *********321 already issued card-0001.card")
	again, err := os.ReadFile(filepath.Join(out, "card-0001.card"))
	require.NoError(t, err)
	require.Equal(t, first, again, "an issued card is not issued again")
	recs = readAudit(t, filepath.Join(out, "audit.jsonl"))
	require.Len(t, recs, 10)
	for _, r := range recs[5:] {
		outcomes[r.Line] = r.Outcome
	}
	require.Equal(t, map[int]string{1: outcomeAlready, 2: outcomeAlready, 3: outcomeIssued, 4: outcomeFailed, 5: outcomeIssued}, outcomes)

	// Every card of the two runs verifies, as a reader sees it.
	requireCardsVerified(t, out, p.Trust(), 1, 2, 3, 5)
}

// TestBatchTokenUnavailable: a token that refuses the PIN or is absent at
// the start: every good record is logged "not issued" (the bad one
// "failed"), no card is written, the PIN appears nowhere; the rerun with
// the token back issues them all.
func TestBatchTokenUnavailable(t *testing.T) {
	tok := hsmtest.New(t, "station", tokenPIN)
	p, pkiDir := tokenPKI(t, tok)
	dir := t.TempDir()
	wrong := filepath.Join(dir, "wrong-pin")
	require.NoError(t, os.WriteFile(wrong, []byte("not-"+tokenPIN), 0o600))
	right := filepath.Join(dir, "pin")
	require.NoError(t, os.WriteFile(right, []byte(tokenPIN), 0o600))
	for _, tc := range []struct {
		name, token, pinFile, want string
	}{
		{"wrong PIN", tok.Label, wrong, "PIN incorrect"},
		{"absent token", "no-such-token", right, "token not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "cards")
			args := []string{"--in", holders, "--out", out, "--test-pki", pkiDir, "--pkcs11", tok.Module, "--workers", "2"}
			code, stdout, stderr := runMain(t, append(args, "--token", tc.token, "--pin-file", tc.pinFile)...)
			require.Equal(t, exitFailed, code)
			require.Contains(t, stderr, tc.want)
			require.Contains(t, stdout, "issued 0 cards, 5 failed, 0 signatures")
			require.Contains(t, stdout, "4 records NOT issued: the token failed")
			require.NotContains(t, stdout+stderr, tokenPIN)
			recs := readAudit(t, filepath.Join(out, "audit.jsonl"))
			require.Len(t, recs, 5)
			for _, r := range recs {
				if r.Line == badLine {
					require.Equal(t, outcomeFailed, r.Outcome)
					continue
				}
				require.Equal(t, outcomeNotIssued, r.Outcome)
				require.Contains(t, r.Error, tc.want)
				require.NoFileExists(t, filepath.Join(out, fmt.Sprintf("card-%04d.card", r.Line)))
			}

			code, stdout, stderr = runMain(t, append(args, "--token", tok.Label, "--pin-file", right)...)
			require.Equal(t, exitFailed, code, stderr)
			require.Contains(t, stdout, "issued 4 cards, 1 failed, 4 signatures")
			requireCardsVerified(t, out, p.Trust(), 1, 2, 3, 5)
		})
	}
}
