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
		_, what, err := pki.LoadTrust(dir, now)
		require.NoError(t, err)
		want := map[int]string{0: "1 CSCA certificate from " + dir, 1: "2 CSCA certificates from " + dir}[i]
		require.Equal(t, want, what)
	}
}
