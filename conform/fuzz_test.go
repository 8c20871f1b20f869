package conform_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// fuzzFiles are the files every fuzz target puts one hostile file among.
var fuzzFiles = []chip.File{chip.EFSOD, chip.EFCOM, chip.EFDG1, chip.EFDG2, chip.EFDG14, chip.EFCardAccess, chip.EFCardSecurity, chip.EFATRInfo}

// FuzzCheck: any bytes in any file, the others those of an issued card:
// Check never panics and its findings name a rule.
func FuzzCheck(f *testing.F) {
	img := issue(f, sim.ProfileCCCD, secinfo.ChipAuthenticationMapping)
	for i, file := range fuzzFiles {
		f.Add(uint8(i), img.Files[file])
	}
	f.Add(uint8(0), []byte{0x77, 0x84, 0xFF, 0xFF, 0xFF, 0xFF})
	info, _ := mrz.NewInfo("C03005988", "900101", "350101")
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		files := map[chip.File][]byte{}
		for k, v := range img.Files {
			files[k] = v
		}
		files[fuzzFiles[int(which)%len(fuzzFiles)]] = b
		for _, fi := range conform.Check(conform.Document{Files: files, OpenedWith: info, PrintedMRZ: string(b)}) {
			require.NotEqual(t, "", fi.Rule.ID, "finding without rule or object: %v", fi)
			require.NotEqual(t, "", fi.Object, "finding without rule or object: %v", fi)
		}
	})
}

// FuzzCheckCertificate: any certificate that parses, under every role.
func FuzzCheckCertificate(f *testing.F) {
	p := testPKI(f)
	for _, c := range []*pki.Certificate{p.CSCA.Cert, p.DS.Cert, p.Link, p.MLSigner.Cert} {
		f.Add(c.Raw)
	}
	f.Add(p.CRL)
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := pki.ParseCertificate(b); err == nil {
			for r := conform.RoleCSCA; r <= conform.RoleDeviationListSigner; r++ {
				conform.CheckCertificate(c, r)
			}
		}
		if l, err := pki.ParseCRL(b); err == nil {
			conform.CheckCRL(l, p.CSCA.Cert)
		}
	})
}
