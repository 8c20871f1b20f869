package pki_test

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

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
