package pki_test

import (
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/stretchr/testify/require"
)

// TestOpenSSLFixture verifies the committed openssl-made SOD whose CSCA is
// brainpoolP512r1 with explicit parameters, with the folder as trust store.
func TestOpenSSLFixture(t *testing.T) {
	trust := pki.NewTrustStore()
	require.NoError(t, trust.LoadDir("testdata/openssl"))
	cscas := trust.CSCAs()
	require.Len(t, cscas, 2) // csca.pem and ds.pem: a folder is trusted as given
	var csca *pki.Certificate
	for _, c := range cscas {
		if c.IsCA {
			csca = c
		}
	}
	require.NotNil(t, csca)
	require.True(t, csca.PublicKey.ExplicitParameters)
	require.Equal(t, "C=VN, O=openssl fixture, CN=CSCA explicit bP512r1", csca.Subject.String())
	require.NoError(t, csca.CheckSignatureFrom(csca))

	sod := readVector(t, "openssl", "EF_SOD.bin")
	dgs := map[int][]byte{1: readVector(t, "openssl", "EF_DG1.bin"), 2: readVector(t, "openssl", "EF_DG2.bin")}
	parsed, err := pki.ParseSOD(sod)
	require.NoError(t, err)
	at := parsed.SignedData.SignerInfos[0].SigningTime.Add(time.Hour)
	r := pki.Verify(sod, dgs, trust, verifyAt(at))
	requireAllPassed(t, r)
	require.Equal(t, csca.Raw, r.Chain[1].Raw)

	crl, err := pki.ParseCRL(readVector(t, "openssl", "csca.crl"))
	require.NoError(t, err)
	require.NoError(t, crl.CheckSignatureFrom(csca))
	require.Equal(t, 2, crl.Version)
	require.Len(t, crl.Revoked, 1)
	require.Equal(t, int64(3), crl.Revoked[0].SerialNumber.Int64())
	require.Equal(t, int64(1), crl.Number.Int64())
	require.Equal(t, csca.SubjectKeyID, crl.AuthorityKeyID)
}

// verifyAt is the configuration of a verification at the fixed time t.
func verifyAt(t time.Time) *pki.VerifyConfig {
	return &pki.VerifyConfig{Time: func() time.Time { return t }}
}

// loadAt is the configuration of LoadTrust at the fixed time t.
func loadAt(t time.Time) *pki.LoadConfig {
	return &pki.LoadConfig{Time: func() time.Time { return t }}
}
