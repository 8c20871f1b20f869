package pki_test

import (
	"crypto"
	"crypto/x509"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

func readVector(t testing.TB, dir, name string) []byte {
	t.Helper()
	return vectors.Read(t, filepath.Join("testdata", dir, name))
}

// TestPublishedSODs verifies real EF.SOD files from the BSI TR-03105-5
// reference data set and the ETSI TR 103 200 prototype platform: RSASSA-PSS
// signatures, signed attributes and data group hashes. Their CSCAs are not
// published with them, so the chain must fail, and only the chain.
func TestPublishedSODs(t *testing.T) {
	for _, tc := range []struct {
		dir        string
		serial     string
		subject    string
		dataGroups []int
		notAfter   time.Time
	}{
		{"bsi-tr03105-5", "0142FD5CF927", "C=DE, O=HJP Consulting, OU=Document Signer, CN=HJP PB DS", []int{1, 2, 3, 4, 14}, time.Date(2014, 12, 11, 21, 43, 18, 0, time.UTC)},
		{"etsi-tr103200", "0130846F2B3E", "C=DE, O=ETSI, OU=Document Signer, CN=ETSI DS", []int{1, 2, 3, 4, 14, 15}, time.Date(2012, 6, 6, 15, 18, 56, 0, time.UTC)},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			sodFile := readVector(t, tc.dir, "EF_SOD.bin")
			dgs := map[int][]byte{1: readVector(t, tc.dir, "EF_DG1.bin"), 14: readVector(t, tc.dir, "EF_DG14.bin")}

			sod, err := pki.ParseSOD(sodFile)
			require.NoError(t, err)
			sd := sod.SignedData
			require.Equal(t, 3, sd.Version)
			require.Equal(t, []crypto.Hash{crypto.SHA256}, sd.DigestAlgorithms)
			require.Len(t, sd.Certificates, 1)
			si := sd.SignerInfos[0]
			require.Equal(t, 1, si.Version)
			serial, _ := new(big.Int).SetString(tc.serial, 16)
			require.Equal(t, serial, si.SerialNumber)
			require.True(t, si.SigningTime.IsZero())
			alg := si.SignatureAlgorithm
			require.Equal(t, pki.RSAPSS, alg.Scheme)
			require.Equal(t, pki.PSSParameters{Hash: crypto.SHA256, MGFHash: crypto.SHA256, SaltLength: 32, TrailerField: 1}, *alg.PSS)
			var numbers []int
			for _, d := range sod.SecurityObject.DataGroupHashes {
				numbers = append(numbers, d.DataGroup)
			}
			require.ElementsMatch(t, tc.dataGroups, numbers)

			ds := sd.Certificates[0]
			require.Equal(t, tc.subject, ds.Subject.String())
			require.Equal(t, x509.KeyUsageDigitalSignature, ds.KeyUsage)
			require.True(t, ds.NotAfter.Equal(tc.notAfter))
			require.Equal(t, pki.RSAPSS, ds.SignatureAlgorithm.Scheme)
			std, err := x509.ParseCertificate(ds.Raw)
			require.NoError(t, err)
			require.Equal(t, std.SubjectKeyId, ds.SubjectKeyID)
			require.Equal(t, std.AuthorityKeyId, ds.AuthorityKeyID)

			r := pki.Verify(sodFile, dgs, pki.NewTrustStore(), verifyAt(tc.notAfter.Add(-time.Hour)))
			for _, n := range []check.Name{pki.CheckSODStructure, pki.CheckContentType, pki.CheckMessageDigest, pki.CheckSignerCert, pki.CheckSignature, pki.CheckDataGroups} {
				require.Equal(t, check.Passed, r.Check(n).Status, "%s: %v", n, r.Check(n).Err)
			}
			require.Equal(t, check.Failed, r.Check(pki.CheckChain).Status)
			require.ErrorIs(t, r.Err(), pki.ErrNoIssuer)
			require.False(t, r.Valid)
			for _, d := range r.DataGroups {
				want := pki.DGNotRead
				if d.Number == 1 || d.Number == 14 {
					want = pki.DGOK
				}
				require.Equal(t, want, d.Status, "DG%d", d.Number)
			}

			// The DS certificate as trust anchor is not a CSCA: still no
			// issuer (names do not chain).
			tr := pki.NewTrustStore()
			tr.AddCSCA(ds)
			r = pki.Verify(sodFile, dgs, tr, verifyAt(tc.notAfter.Add(-time.Hour)))
			require.ErrorIs(t, r.Check(pki.CheckChain).Err, pki.ErrNoIssuer)

			// One flipped bit anywhere in DG1 is detected.
			dgs[1][10] ^= 0x20
			r = pki.Verify(sodFile, dgs, pki.NewTrustStore(), verifyAt(tc.notAfter))
			require.Equal(t, check.Failed, r.Check(pki.CheckDataGroups).Status)
		})
	}
}
