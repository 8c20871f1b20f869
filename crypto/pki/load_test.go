package pki_test

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

func TestLoadTrustAndSigner(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	dir := t.TempDir()
	certPEM := func(c *pki.Certificate) []byte {
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	trustDir := filepath.Join(dir, "trust")
	require.NoError(t, os.Mkdir(trustDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(trustDir, "csca.pem"), certPEM(p.CSCA.Cert), 0o644))
	ml, err := p.MasterList()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ml.der"), ml, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.der"), p.CSCA.Cert.Raw, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "junk"), []byte("junk"), 0o644))

	for _, path := range []string{trustDir, filepath.Join(dir, "csca.der")} {
		ts, what, err := pki.LoadTrust(path, loadAt(now.Add(time.Hour)))
		require.NoError(t, err, path)
		require.NotEmpty(t, what)
		require.NotEmpty(t, ts.CSCAs(), path)
	}
	// A master list file alone is anchored only in itself: refused unless
	// the caller opts in by name.
	_, _, err = pki.LoadTrust(filepath.Join(dir, "ml.der"), loadAt(now.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrSelfContainedMasterList)
	ts, what, err := pki.LoadTrust(filepath.Join(dir, "ml.der"), &pki.LoadConfig{Time: loadAt(now.Add(time.Hour)).Time, AllowSelfContainedMasterList: true})
	require.NoError(t, err)
	require.Contains(t, what, "self-contained master list")
	require.Len(t, ts.CSCAs(), 3)
	_, _, err = pki.LoadTrust(filepath.Join(dir, "junk"), loadAt(now))
	require.Error(t, err)
	_, _, err = pki.LoadTrust(filepath.Join(dir, "missing"), loadAt(now))
	require.Error(t, err)

	der, err := x509.MarshalPKCS8PrivateKey(p.DS.Key)
	require.NoError(t, err)
	keyPath := filepath.Join(dir, "ds-key.pem")
	require.NoError(t, os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	certPath := filepath.Join(dir, "ds.pem")
	require.NoError(t, os.WriteFile(certPath, certPEM(p.DS.Cert), 0o644))
	signer, cert, err := pki.LoadSigner(keyPath, certPath)
	require.NoError(t, err)
	require.Equal(t, p.DS.Cert.Raw, cert.Raw)
	require.True(t, signer.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(p.DS.Key.Public()))
	_, _, err = pki.LoadSigner(certPath, certPath)
	require.Error(t, err)
	_, _, err = pki.LoadSigner(keyPath, filepath.Join(dir, "junk"))
	require.Error(t, err)
}

// TestLoadTrustSaysOneCertificate: "1 CSCA certificate", not "1 CSCA
// certificates"; two are plural.
func TestLoadTrustSaysOneCertificate(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	for i, seed := range []string{"one", "two"} {
		p, err := pkitest.New(pkitest.Config{Seed: seed, Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, seed+".pem"),
			pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CSCA.Cert.Raw}), 0o644))
		_, what, err := pki.LoadTrust(dir, loadAt(now))
		require.NoError(t, err)
		want := map[int]string{0: "1 CSCA certificate from " + dir, 1: "2 CSCA certificates from " + dir}[i]
		require.Equal(t, want, what)
	}
}

// TestLoadFileLimits: LoadTrust, LoadSigner and LoadCertificate refuse a
// file past their limit, even one that never ends, with ErrTooLarge.
func TestLoadFileLimits(t *testing.T) {
	_, _, err := pki.LoadTrust("/dev/zero", nil)
	require.ErrorIs(t, err, pki.ErrTooLarge)
	_, _, err = pki.LoadSigner("/dev/zero", "/dev/null")
	require.ErrorIs(t, err, pki.ErrTooLarge)
	_, err = pki.LoadCertificate("/dev/zero")
	require.ErrorIs(t, err, pki.ErrTooLarge)
}

// TestLoadDirLimit: a trust directory entry that is a symlink to a file
// that never ends is refused, not read for ever.
func TestLoadDirLimit(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, "zero.crl")))
	err := pki.NewTrustStore().LoadDir(dir)
	require.ErrorIs(t, err, pki.ErrTooLarge)
}
