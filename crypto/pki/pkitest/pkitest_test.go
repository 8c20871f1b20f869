package pkitest

import (
	"bytes"
	"crypto/x509"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNewKeyDeterministic(t *testing.T) {
	for _, k := range []KeyType{P256, P384, BrainpoolP256r1, BrainpoolP512r1} {
		a, err := NewKey(k, SeedReader("x"))
		require.NoError(t, err)
		b, err := NewKey(k, SeedReader("x"))
		require.NoError(t, err)
		c, err := NewKey(k, SeedReader("y"))
		require.NoError(t, err)
		pa, _ := SubjectPublicKeyInfo(k, a.Public())
		pb, _ := SubjectPublicKeyInfo(k, b.Public())
		pc, _ := SubjectPublicKeyInfo(k, c.Public())
		require.Equal(t, pa, pb, k.String())
		require.NotEqual(t, pa, pc, k.String())
	}
	_, err := NewKey(KeyType(99), SeedReader("x"))
	require.ErrorIs(t, err, ErrUnsupported)
}

func TestProfile(t *testing.T) {
	now := time.Date(2030, 6, 1, 0, 0, 0, 0, time.UTC)
	p, err := New(Config{Now: now, Country: "VN", CSCA: BrainpoolP512r1Explicit, DS: BrainpoolP256r1})
	require.NoError(t, err)
	csca := p.CSCA.Cert
	require.True(t, csca.IsCA && csca.BasicConstraintsValid)
	require.Equal(t, 0, csca.MaxPathLen)
	require.Equal(t, x509.KeyUsageCertSign|x509.KeyUsageCRLSign, csca.KeyUsage)
	require.NotNil(t, csca.PrivateKeyUsagePeriod)
	require.True(t, csca.PublicKey.ExplicitParameters)
	require.NoError(t, csca.CheckSignatureFrom(csca))

	ds := p.DS.Cert
	require.Equal(t, x509.KeyUsageDigitalSignature, ds.KeyUsage)
	require.Equal(t, csca.SubjectKeyID, ds.AuthorityKeyID)
	require.Equal(t, []string{"I", "P"}, ds.DocumentTypes)
	require.Len(t, ds.CRLDistributionPoints, 1)
	require.NoError(t, ds.CheckSignatureFrom(csca))

	require.True(t, bytes.Equal(p.Link.Subject.Raw, csca.Subject.Raw))
	require.Equal(t, csca.SubjectKeyID, p.Link.AuthorityKeyID)
	require.Equal(t, p.NewCSCA.Cert.SubjectKeyID, p.Link.SubjectKeyID)
	require.NoError(t, p.Link.CheckSignatureFrom(csca))
	require.NoError(t, p.NewDS.Cert.CheckSignatureFrom(p.Link))
	require.True(t, p.Link.PublicKey.ExplicitParameters)

	q, err := New(Config{Now: now, Country: "VN", CSCA: BrainpoolP512r1Explicit, DS: BrainpoolP256r1})
	require.NoError(t, err)
	require.Equal(t, p.CRL, q.CRL, "deterministic")
	require.Equal(t, p.Link.Raw, q.Link.Raw)
}
