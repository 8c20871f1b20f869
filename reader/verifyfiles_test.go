package reader

import (
	"crypto"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// TestVerifyFilesDG12IssueDate: a document signed without a signing-time
// attribute, read after its Document Signer certificate expired, passes
// passive authentication through DG12's date of issue (the chain model),
// and fails without it. (This was crypto/pki's TestSignAndVerifyDocument,
// when pki signed and verified chip.Documents itself.)
func TestVerifyFilesDG12IssueDate(t *testing.T) {
	p, err := pkitest.New(pkitest.Config{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		CSCA: pkitest.BrainpoolP256r1, DS: pkitest.BrainpoolP256r1})
	require.NoError(t, err)
	d := &chip.Document{DG12: &chip.DG12{IssuingAuthority: "CUC CANH SAT", DateOfIssue: chip.NewDate(2024, 12, 31)}}
	for f, name := range map[chip.File]string{chip.EFDG1: "EF_DG1.bin", chip.EFDG14: "EF_DG14.bin"} {
		b, err := os.ReadFile(filepath.Join("..", "crypto", "pki", "testdata", "bsi-tr03105-5", name))
		require.NoError(t, err)
		require.NoError(t, d.Set(f, b))
	}
	files, err := d.Encode()
	require.NoError(t, err)
	sod, err := pki.NewSOD(crypto.SHA256, chip.DataGroupFiles(files), p.DS.Key, p.DS.Cert, nil) // no signing time
	require.NoError(t, err)
	require.NoError(t, d.Set(chip.EFSOD, sod))
	files[chip.EFSOD] = sod

	// Read back from the file bytes, as a reader would.
	read, err := chip.ParseDocument(files)
	require.NoError(t, err)
	issued := issueDate(read)
	require.Equal(t, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), issued)

	late := p.DS.Cert.NotAfter.AddDate(1, 0, 0)
	v := VerifyFiles(files, read, &Config{Trust: p.Trust(), Time: func() time.Time { return late }})
	require.NoError(t, v.Err)
	r := v.PassiveAuth
	require.Equal(t, issued, r.ValidityTime)
	for _, c := range r.Checks {
		if c.Name == pki.CheckRevocation {
			require.ErrorIs(t, c.Err, pki.ErrCRLStale)
			continue
		}
		require.Equal(t, check.Passed, c.Status, "%s: %v", c.Name, c.Err)
	}
	require.True(t, r.Valid)
	require.Len(t, r.DataGroups, 3) // DG1, DG12, DG14
	// The document parsed here when not given is the same.
	require.Equal(t, r.ValidityTime, VerifyFiles(files, nil, &Config{Trust: p.Trust(), Time: func() time.Time { return late }}).PassiveAuth.ValidityTime)

	// Without the date of issue the expired DS fails.
	r = pki.Verify(files[chip.EFSOD], chip.DataGroupFiles(files), p.Trust(), &pki.VerifyConfig{Time: func() time.Time { return late }})
	require.ErrorIs(t, r.Check(pki.CheckValidity).Err, pki.ErrExpired)

	// No EF.SOD: the structure check fails.
	v = VerifyFiles(map[chip.File][]byte{}, nil, &Config{Trust: p.Trust(), Time: func() time.Time { return late }})
	require.Equal(t, check.Failed, v.PassiveAuth.Check(pki.CheckSODStructure).Status)
	require.Error(t, v.Err)
}
