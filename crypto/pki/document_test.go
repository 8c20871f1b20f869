package pki_test

import (
	"crypto"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/stretchr/testify/require"
)

func TestSignAndVerifyDocument(t *testing.T) {
	p := testPKI(t, pkitest.BrainpoolP256r1)
	d := &chip.Document{DG12: &chip.DG12{IssuingAuthority: "CUC CANH SAT", DateOfIssue: chip.NewDate(2024, 12, 31)}}
	require.NoError(t, d.Set(chip.EFDG1, readVector(t, "bsi-tr03105-5", "EF_DG1.bin")))
	require.NoError(t, d.Set(chip.EFDG14, readVector(t, "bsi-tr03105-5", "EF_DG14.bin")))
	sod, err := pki.SignDocument(d, crypto.SHA256, p.DS.Key, p.DS.Cert, nil) // no signing time
	require.NoError(t, err)
	require.Equal(t, sod, d.Raw(chip.EFSOD))

	// Read back from the file bytes, as a reader would.
	files, err := d.Encode()
	require.NoError(t, err)
	read, err := chip.ParseDocument(files)
	require.NoError(t, err)
	issued := pki.DocumentIssueDate(read)
	require.Equal(t, time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), issued)

	late := p.DS.Cert.NotAfter.AddDate(1, 0, 0)
	r := pki.VerifyDocument(read, p.Trust(), pki.VerifyOptions{At: late, IssuedAt: issued})
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

	// Without the date of issue the expired DS fails.
	r = pki.VerifyDocument(read, p.Trust(), pki.VerifyOptions{At: late})
	require.ErrorIs(t, r.Check(pki.CheckValidity).Err, pki.ErrExpired)

	r = pki.VerifyDocument(&chip.Document{}, p.Trust(), pki.VerifyOptions{At: late})
	require.Equal(t, check.Failed, r.Check(pki.CheckSODStructure).Status)
}
