//go:build cgo

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/miekg/pkcs11"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/hsm/hsmtest"
)

const tokenPIN = "cancuoc-77-PIN"

// TestPKCS11EndToEnd is the HSM path from a fresh token to a verified read:
// SoftHSM2 token -> pki init with the Document Signer key made in the token
// -> issue cards signed by the token -> read them on the simulator ->
// verified, the EF.SOD signer being the token's key, which the token
// refuses to give out.
func TestPKCS11EndToEnd(t *testing.T) {
	tok := hsmtest.New(t, "issuing-station", tokenPIN)
	t.Setenv(defaultPINEnv, tokenPIN)
	for _, tc := range []struct {
		key         string
		cscaInToken bool
	}{
		{"p256", false},
		{"p384", true},
		{"rsa2048", false},
		// brainpoolP256r1: pki init writes other keys of the PKI
		// (deviation list signer) as PKCS#8, which Go cannot do for
		// brainpool; hsm's TestBrainpool covers the
		// token side.
	} {
		t.Run(tc.key, func(t *testing.T) {
			dir := t.TempDir()
			pkiDir := filepath.Join(dir, "pki")
			label := "ds-" + tc.key
			args := []string{"pki", "init", "--pkcs11", tok.Module, "--token", tok.Label, "--key", tc.key, "--key-label", label}
			if tc.cscaInToken {
				args = append(args, "--csca-in-token", "--csca-label", "csca-"+tc.key)
			}
			code, out, stderr := runCmd(t, append(args, pkiDir)...)
			require.Equal(t, exitOK, code, stderr)
			require.Contains(t, out, "made in token")
			require.NotContains(t, out+stderr, tokenPIN)
			// No key file: only where the key is.
			_, err := os.Stat(filepath.Join(pkiDir, pkiDSDir, pkiDSKey))
			require.ErrorIs(t, err, os.ErrNotExist)
			ref, err := os.ReadFile(filepath.Join(pkiDir, pkiDSDir, pkiPKCS11File))
			require.NoError(t, err)
			require.NotContains(t, string(ref), tokenPIN)
			dsCert, err := pki.LoadCertificate(filepath.Join(pkiDir, pkiDSDir, pkiDSCert))
			require.NoError(t, err)

			// A batch of cards: the synthetic holder and a holder record,
			// signed through the token (module and label from the PKI's
			// reference, PIN from the environment).
			trust := filepath.Join(pkiDir, pkiTrustDir)
			for i, holder := range []string{"", "../../issuance/testdata/holder-cccd.json", ""} {
				card := filepath.Join(dir, "card"+string(rune('0'+i))+".card")
				args := []string{"issue", "--test-pki", pkiDir, "--out", card}
				if holder != "" {
					args = append(args, "--holder", holder)
				}
				code, out, stderr := runCmd(t, args...)
				require.Equal(t, exitOK, code, stderr)
				require.Contains(t, out, "TEST DATA")

				code, out, stderr = runCmd(t, "read", "--sim", card, "--trust", trust, "--json")
				require.Equal(t, exitOK, code, stderr)
				var r report
				require.NoError(t, json.Unmarshal([]byte(out), &r))
				require.True(t, r.Verified, "%+v", r.Checks)

				img, err := sim.Load(card)
				require.NoError(t, err)
				sod, err := pki.ParseSOD(img.Files[chip.EFSOD])
				require.NoError(t, err)
				require.Len(t, sod.SignedData.Certificates, 1)
				require.True(t, bytes.Equal(dsCert.Raw, sod.SignedData.Certificates[0].Raw), "EF.SOD carries the token's Document Signer")
			}

			raw := tok.OpenRaw(t, tok.Label, tok.PIN)
			obj := raw.PrivateKey(t, label)
			require.False(t, raw.Bool(t, obj, pkcs11.CKA_EXTRACTABLE))
			require.True(t, raw.Bool(t, obj, pkcs11.CKA_SENSITIVE))
			require.Empty(t, raw.KeyLeaks(t, label))
			if tc.cscaInToken {
				require.Empty(t, raw.KeyLeaks(t, "csca-"+tc.key))
			}
			raw.Close()

			// The same label again: refused, nothing overwritten.
			code, _, stderr = runCmd(t, append(args, filepath.Join(dir, "pki2"))...)
			require.Equal(t, exitFail, code)
			require.Contains(t, stderr, "already exists")
		})
	}
}

// TestPKCS11Errors: every way the token can fail says what failed, and the
// PIN appears nowhere.
func TestPKCS11Errors(t *testing.T) {
	tok := hsmtest.New(t, "errors", tokenPIN)
	dir := t.TempDir()
	pinFile := filepath.Join(dir, "pin")
	require.NoError(t, os.WriteFile(pinFile, []byte(tokenPIN+"\n"), 0o600))
	wrongFile := filepath.Join(dir, "wrong")
	require.NoError(t, os.WriteFile(wrongFile, []byte("wrong-"+tokenPIN), 0o600))

	pkiDir := filepath.Join(dir, "pki")
	code, _, stderr := runCmd(t, "pki", "init", "--pkcs11", tok.Module, "--token", tok.Label, "--pin-file", pinFile, pkiDir)
	require.Equal(t, exitOK, code, stderr)

	card := filepath.Join(dir, "c.card")
	for _, tc := range []struct {
		name string
		args []string
		env  string
		code int
		want string
	}{
		{"wrong PIN", []string{"issue", "--test-pki", pkiDir, "--out", card, "--pin-file", wrongFile}, "", exitFail, "PIN incorrect"},
		{"no PIN", []string{"issue", "--test-pki", pkiDir, "--out", card, "--pin-env", "H18_NO_SUCH_VAR"}, "", exitFail, "H18_NO_SUCH_VAR is not set"},
		{"absent token", []string{"issue", "--test-pki", pkiDir, "--out", card, "--token", "no-such-token", "--pin-file", pinFile}, "", exitFail, "token not found"},
		{"absent key", []string{"issue", "--test-pki", pkiDir, "--out", card, "--key-label", "other", "--pin-file", pinFile}, "", exitFail, "key not found"},
		{"no module", []string{"issue", "--test-pki", pkiDir, "--out", card, "--pkcs11", filepath.Join(dir, "none.so"), "--pin-file", pinFile}, "", exitFail, "cannot load the PKCS#11 module"},
		{"PIN on the command line", []string{"issue", "--test-pki", pkiDir, "--out", card, "--pin", tokenPIN}, "", exitUsage, "flag provided but not defined"},
		{"unknown key type", []string{"pki", "init", "--pkcs11", tok.Module, "--token", tok.Label, "--pin-file", pinFile, "--key", "ed25519", "--key-label", "x", filepath.Join(dir, "x")}, "", exitUsage, "unknown key type"},
		{"module without token", []string{"pki", "init", "--pkcs11", tok.Module, "--pin-file", pinFile, filepath.Join(dir, "x")}, "", exitUsage, "--pkcs11 MODULE and --token LABEL go together"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCmd(t, tc.args...)
			require.Equal(t, tc.code, code, stderr)
			require.Contains(t, stderr, tc.want)
			require.NotContains(t, out+stderr, tokenPIN)
			_, err := os.Stat(card)
			require.ErrorIs(t, err, os.ErrNotExist, "no card without a signature")
		})
	}
}
