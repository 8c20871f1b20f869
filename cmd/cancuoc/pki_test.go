package main

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// TestPKIInitBrainpool: "pki init --key brainpoolP256r1" writes every key
// (the Document Signer's, the deviation list signer's) as PKCS#8 with the
// brainpool namedCurve, which crypto/x509 cannot write; the keys load with
// pki.LoadSigner and match their certificates; a card issued with them
// (from the directory, and from the key file by path) reads verified; a
// deviation list signs; and OpenSSL reads the key files as the same keys.
func TestPKIInitBrainpool(t *testing.T) {
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	code, _, stderr := runCmd(t, "pki", "init", "--key", "brainpoolP256r1", pkiDir)
	require.Equal(t, exitOK, code, stderr)

	for _, kc := range []struct{ key, cert string }{
		{filepath.Join(pkiDir, pkiDSDir, pkiDSKey), filepath.Join(pkiDir, pkiDSDir, pkiDSCert)},
		{filepath.Join(pkiDir, pkiDLDir, pkiDLKey), filepath.Join(pkiDir, pkiDLDir, pkiDLCert)},
	} {
		b, err := os.ReadFile(kc.key)
		require.NoError(t, err)
		blk, _ := pem.Decode(b)
		require.NotNil(t, blk)
		require.Equal(t, "PRIVATE KEY", blk.Type, "PKCS#8")
		k, err := aa.ParsePrivateKey(blk.Bytes)
		require.NoError(t, err)
		ek, ok := k.(*ec.PrivateKey)
		require.True(t, ok, "%T", k)
		require.Equal(t, ec.BrainpoolP256r1(), ek.Curve())

		signer, cert, err := pki.LoadSigner(kc.key, kc.cert)
		require.NoError(t, err)
		pub, err := pki.MarshalPublicKey(signer.Public())
		require.NoError(t, err)
		require.Equal(t, cert.PublicKey.Raw, pub, "the key is the certificate's")

		if _, err := exec.LookPath("openssl"); err == nil {
			// An independent reader of PKCS#8: the public key OpenSSL
			// derives from the file is the certificate's.
			out, err := exec.Command("openssl", "pkey", "-in", kc.key, "-pubout", "-outform", "DER").Output()
			require.NoError(t, err, "openssl reads %s", kc.key)
			require.Equal(t, cert.PublicKey.Raw, out)
		}
	}

	card := filepath.Join(dir, "cccd.card")
	code, _, stderr = runCmd(t, "issue", "--profile", sim.ProfileCCCD, "--test-pki", pkiDir, "--out", card)
	require.Equal(t, exitOK, code, stderr)
	code, _, stderr = runCmd(t, "issue", "--profile", sim.ProfileCCCD, "--ds-key", filepath.Join(pkiDir, pkiDSDir, pkiDSKey),
		"--ds-cert", filepath.Join(pkiDir, pkiDSDir, pkiDSCert), "--out", card+".2")
	require.Equal(t, exitOK, code, stderr)
	for _, c := range []string{card, card + ".2"} {
		code, stdout, stderr := runCmd(t, "read", "--sim", c, "--can", "012345", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--json")
		require.Equal(t, exitOK, code, stderr)
		var r report
		require.NoError(t, json.Unmarshal([]byte(stdout), &r))
		require.True(t, r.Verified, "%+v", r.Reasons)
	}

	list := filepath.Join(dir, "dl.der")
	code, _, stderr = runCmd(t, "pki", "deviation-list", "--test-pki", pkiDir, "--type", "mrz-wrong-data",
		"--document-number", "090012345", "--out", list)
	require.Equal(t, exitOK, code, stderr)
	code, _, stderr = runCmd(t, "read", "--sim", card, "--can", "012345", "--trust", filepath.Join(pkiDir, pkiTrustDir), "--deviation-list", list)
	require.Equal(t, exitOK, code, stderr)
}
