package cvc

import (
	"encoding/asn1"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestCrossCheckOpenPACE has OpenPACE's cvc-print (Debian package
// openpace) read and verify the chain this package creates: the CVCA and
// DV certificates go into its trust directory, named by CHR. OpenPACE
// checks validity against the current time, so the chain starts today.
func TestCrossCheckOpenPACE(t *testing.T) {
	path, err := exec.LookPath("cvc-print")
	if err != nil {
		t.Skip("cvc-print not installed (apt-get install openpace): cross-check with OpenPACE skipped")
	}
	for _, curve := range []*ec.Curve{ec.BrainpoolP256r1(), ec.BrainpoolP384r1(), ec.P256()} {
		t.Run(curve.Name(), func(t *testing.T) {
			h, err := NewHierarchy(&HierarchyConfig{Curve: curve, Protocol: protocolFor(curve), Date: time.Now().Add(-24 * time.Hour), Access: ReadDG3, Rand: pkitest.SeedReader("openpace")})
			require.NoError(t, err)
			dir := t.TempDir()
			for _, c := range []*Certificate{h.CVCA, h.DV} {
				require.NoError(t, os.WriteFile(filepath.Join(dir, string(c.CHR)), c.Raw, 0o600))
			}
			isFile := filepath.Join(dir, "is.cvcert")
			require.NoError(t, os.WriteFile(isFile, h.IS.Raw, 0o600))
			for _, tc := range []struct {
				file string
				want []string
			}{
				{isFile, []string{"CAR: VNDV00001", "CHR: VNIS00001", "Read fingerprint", "Terminal certificate", "certificate verified"}},
				{filepath.Join(dir, "VNDV00001"), []string{"CAR: VNCVCA00001", "CHR: VNDV00001", "Read fingerprint", "Read iris", "DV certificate", "certificate verified"}},
			} {
				out, _ := exec.Command(path, "--cvc="+tc.file, "--cvc-dir="+dir).CombinedOutput()
				for _, w := range tc.want {
					require.Contains(t, string(out), w, "cvc-print output:\n%s", out)
				}
				require.False(t, strings.Contains(string(out), "not verified"), "%s", out)
			}
		})
	}
}

func protocolFor(c *ec.Curve) asn1.ObjectIdentifier {
	if c.BitSize() > 256 {
		return secinfo.OIDTAECDSASHA384
	}
	return secinfo.OIDTAECDSASHA256
}
