package conform_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
)

// TestPublishedDocuments: the EF.SOD, DG1 and DG14 of the test documents
// of BSI TR-03105-5 and ETSI TR 103 200 (crypto/pki/testdata) carry the
// encoding slips of documents made before Doc 9303's eighth edition (a
// Document Signer certificate without the extensions Table 6 now requires,
// an unsorted DG14) and no finding of a security rule: the bank preset
// warns on them and passes.
func TestPublishedDocuments(t *testing.T) {
	want := []string{"cert.private-key-usage-period", "cert.alt-names", "cert.alt-names", "cert.crl-distribution-points",
		"cert.document-type-list", "secinfos.der"}
	for _, dir := range []string{"bsi-tr03105-5", "etsi-tr103200"} {
		t.Run(dir, func(t *testing.T) {
			files := map[chip.File][]byte{}
			for f, name := range map[chip.File]string{chip.EFDG1: "EF_DG1.bin", chip.EFDG14: "EF_DG14.bin", chip.EFSOD: "EF_SOD.bin"} {
				b, err := os.ReadFile(filepath.Join("..", "crypto", "pki", "testdata", dir, name))
				require.NoError(t, err)
				files[f] = b
			}
			fs := conform.Check(conform.Document{Files: files})
			require.Equal(t, want, ids(fs))
			require.Empty(t, conform.Security(fs))
		})
	}
}
