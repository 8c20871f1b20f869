package pki_test

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// fuzzSeeds returns real inputs: the published and openssl-made vectors
// and a P-256 test PKI.
func fuzzSeeds(f *testing.F) (p *pkitest.PKI, sods [][]byte) {
	p, err := pkitest.New(pkitest.Config{Now: testNow, CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(f, err)
	for _, name := range []string{"testdata/bsi-tr03105-5/EF_SOD.bin", "testdata/etsi-tr103200/EF_SOD.bin", "testdata/openssl/EF_SOD.bin"} {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		sods = append(sods, b)
	}
	own, err := p.SignSOD(p.DS, map[int][]byte{1: {0x61, 0}, 2: {0x75, 0}}, testNow)
	require.NoError(f, err)
	return p, append(sods, own)
}

func checkParseError(t *testing.T, err error) {
	var pe *pki.ParseError
	require.ErrorAs(t, err, &pe, "error %v (%T) is not a *ParseError", err, err)
}

func FuzzParseCertificate(f *testing.F) {
	p, sods := fuzzSeeds(f)
	for _, c := range []*pki.Certificate{p.CSCA.Cert, p.DS.Cert, p.Link, p.MLSigner.Cert} {
		f.Add(c.Raw)
	}
	for _, s := range sods {
		sod, err := pki.ParseSOD(s)
		require.NoError(f, err)
		f.Add(sod.SignedData.Certificates[0].Raw)
	}
	if pem, err := os.ReadFile("testdata/openssl/csca.pem"); err == nil {
		if cs, err := pki.ParseCertificatePEM(pem); err == nil {
			f.Add(cs[0].Raw)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := pki.ParseCertificate(b)
		if err != nil {
			checkParseError(t, err)
			return
		}
		require.True(t, bytes.Equal(c.Raw, b), "raw fields do not point into the input")
		require.True(t, bytes.Contains(b, c.RawTBS), "raw fields do not point into the input")
		require.True(t, bytes.Contains(c.RawTBS, c.PublicKey.Raw), "raw fields do not point into the input")
		require.NotEqual(t, (c.PublicKey.Err == nil), (c.PublicKey.Key == nil), "exactly one of Key and Err must be set")
		_ = c.Subject.String()
		_ = c.CheckSignatureFrom(c)
		_ = c.CheckSignatureFrom(p.CSCA.Cert)
		again, err := pki.ParseCertificate(c.Raw)
		require.NoError(t, err, "re-parse differs")
		require.Equal(t, 0, again.SerialNumber.Cmp(c.SerialNumber), "re-parse differs")
		require.Equal(t, c.Subject.String(), again.Subject.String(), "re-parse differs")
	})
}

func FuzzParseSignedData(f *testing.F) {
	p, sods := fuzzSeeds(f)
	for _, s := range sods {
		f.Add(s)
		f.Add(s[4:])
	}
	f.Add([]byte{0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x03, 0, 0, 0, 0, 0, 0})
	ml, err := p.MasterList()
	require.NoError(f, err)
	f.Add(ml)
	trust := p.Trust()
	f.Fuzz(func(t *testing.T, b []byte) {
		if sd, err := pki.ParseSignedData(b); err != nil {
			checkParseError(t, err)
		} else {
			require.True(t, bytes.Equal(sd.Raw, b), "Raw is not the input")
			for _, si := range sd.SignerInfos {
				_ = sd.SignedBytes(si)
				_ = sd.CheckContent(si)
				for _, c := range sd.Certificates {
					_ = sd.CheckSignature(si, c)
				}
			}
			_, _ = sd.Verify()
		}
		if _, err := pki.ParseSOD(b); err != nil {
			checkParseError(t, err)
		}
		r := pki.Verify(b, map[int][]byte{1: {0x61, 0}, 3: {1}}, trust, verifyAt(testNow.Add(time.Hour)))
		require.Equal(t, 10, len(r.Checks), "%d checks, want 10", len(r.Checks))
		require.Equal(t, (r.Err() == nil), r.Valid, "Valid and Err disagree")
		for _, c := range r.Checks {
			require.Equal(t, (c.Err == nil), (c.Status == check.Passed), "check %s: status %v with error %v", c.Name, c.Status, c.Err)
		}
	})
}

func FuzzParseCRL(f *testing.F) {
	p, _ := fuzzSeeds(f)
	f.Add(p.CRL)
	if b, err := os.ReadFile("testdata/openssl/csca.crl"); err == nil {
		f.Add(b)
		if l, err := pki.ParseCRL(b); err == nil {
			f.Add(l.Raw)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := pki.ParseCRL(b)
		if err != nil {
			checkParseError(t, err)
			return
		}
		require.False(t, !bytes.HasPrefix(b, []byte("-----")) && !bytes.Equal(b, l.Raw), "raw fields do not point into the input")
		require.True(t, bytes.Contains(l.Raw, l.RawTBS), "raw fields do not point into the input")
		_ = l.CheckSignatureFrom(p.CSCA.Cert)
		for _, r := range l.Revoked {
			_, ok := l.IsRevoked(r.SerialNumber)
			require.True(t, ok, "listed serial not found")
		}
	})
}

func FuzzParseMasterList(f *testing.F) {
	p, _ := fuzzSeeds(f)
	ml, err := p.MasterList()
	require.NoError(f, err)
	f.Add(ml)
	trust := p.Trust()
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := pki.ParseMasterList(b)
		if err != nil {
			checkParseError(t, err)
			return
		}
		for _, c := range m.Certificates {
			require.False(t, !m.SignedData.BER && !bytes.Contains(b, c.Raw), "certificate not from the input")
		}
		v, err := pki.VerifyMasterList(b, trust, verifyAt(testNow.Add(time.Hour)))
		require.False(t, err == nil && (!v.Verified || v.Signer == nil || v.Issuer == nil), "verified without signer and issuer")
		_, _ = pki.VerifyMasterList(b, nil, verifyAt(testNow.Add(time.Hour)))
	})
}
