package pki_test

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/stretchr/testify/require"
)

var testNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// pkiCache avoids re-deriving RSA keys in every test.
var pkiCache = map[pkitest.KeyType]*pkitest.PKI{}

func testPKI(t testing.TB, k pkitest.KeyType) *pkitest.PKI {
	t.Helper()
	if p, ok := pkiCache[k]; ok {
		return p
	}
	p, err := pkitest.New(pkitest.Config{Now: testNow, CSCA: k, DS: k})
	if errors.Is(err, pkitest.ErrUnsupported) {
		t.Skipf("%v: %v", k, err)
	}
	require.NoError(t, err)
	pkiCache[k] = p
	return p
}

// cccdDataGroups returns files shaped like a CCCD's: DG1, a 20 KB DG2,
// DG13, DG14, DG15.
func cccdDataGroups() map[int][]byte {
	dg := func(tag byte, n int) []byte {
		b := []byte{tag, 0x82, byte(n >> 8), byte(n)}
		for i := 0; i < n; i++ {
			b = append(b, byte(i*7+int(tag)))
		}
		return b
	}
	return map[int][]byte{1: dg(0x61, 93), 2: dg(0x75, 20000), 13: dg(0x6D, 600), 14: dg(0x6E, 300), 15: dg(0x6F, 300)}
}

var keyTypes = []pkitest.KeyType{pkitest.RSA2048, pkitest.P256, pkitest.BrainpoolP256r1, pkitest.BrainpoolP512r1Explicit}

func requireAllPassed(t *testing.T, r *pki.Result) {
	t.Helper()
	for _, c := range r.Checks {
		require.Equal(t, check.Passed, c.Status, "%s: %v", c.Name, c.Err)
	}
	require.True(t, r.Valid, "%v", r.Err())
	require.NoError(t, r.Err())
}

func TestPassiveAuthentication(t *testing.T) {
	for _, k := range keyTypes {
		t.Run(k.String(), func(t *testing.T) {
			p := testPKI(t, k)
			dgs := cccdDataGroups()
			sod, err := p.SignSOD(p.DS, dgs, testNow)
			require.NoError(t, err)

			r := pki.Verify(sod, dgs, p.Trust(), verifyAt(testNow.Add(time.Hour)))
			requireAllPassed(t, r)
			require.Len(t, r.Chain, 2)
			require.Equal(t, p.CSCA.Cert.Raw, r.Chain[1].Raw)
			require.Len(t, r.DataGroups, 5)
			for _, d := range r.DataGroups {
				require.Equal(t, pki.DGOK, d.Status, "DG%d", d.Number)
			}

			// Altered DG2, an unread DG15, an unprotected DG11.
			bad := cccdDataGroups()
			bad[2][100] ^= 1
			delete(bad, 15)
			bad[11] = []byte{0x6B, 0x00}
			r = pki.Verify(sod, bad, p.Trust(), verifyAt(testNow.Add(time.Hour)))
			require.False(t, r.Valid)
			require.Equal(t, check.Failed, r.Check(pki.CheckDataGroups).Status)
			require.Equal(t, check.Passed, r.Check(pki.CheckSignature).Status)
			status := map[int]pki.DGStatus{}
			for _, d := range r.DataGroups {
				status[d.Number] = d.Status
			}
			require.Equal(t, map[int]pki.DGStatus{1: pki.DGOK, 2: pki.DGMismatch, 11: pki.DGNotInSOD, 13: pki.DGOK, 14: pki.DGOK, 15: pki.DGNotRead}, status)
			require.ErrorIs(t, r.Err(), pki.ErrDigestMismatch)
			require.ErrorIs(t, r.Err(), pki.ErrDataGroupNotInSOD)
			var ve *pki.VerifyError
			require.ErrorAs(t, r.Err(), &ve)

			// Reading fewer data groups is fine.
			r = pki.Verify(sod, map[int][]byte{1: dgs[1]}, p.Trust(), verifyAt(testNow.Add(time.Hour)))
			require.True(t, r.Valid, "%v", r.Err())
		})
	}
}

func TestPassiveAuthenticationFailures(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	dgs := cccdDataGroups()
	at := testNow.Add(time.Hour)
	sod, err := p.SignSOD(p.DS, dgs, testNow)
	require.NoError(t, err)

	t.Run("no trust", func(t *testing.T) {
		r := pki.Verify(sod, dgs, pki.NewTrustStore(), verifyAt(at))
		require.False(t, r.Valid)
		require.Equal(t, check.Failed, r.Check(pki.CheckChain).Status)
		require.ErrorIs(t, r.Check(pki.CheckChain).Err, pki.ErrNoIssuer)
		require.Equal(t, check.NotRun, r.Check(pki.CheckValidity).Status)
		require.Equal(t, check.Passed, r.Check(pki.CheckSignature).Status)
		require.Equal(t, check.Passed, r.Check(pki.CheckDataGroups).Status)
	})
	t.Run("other CSCA", func(t *testing.T) {
		other, err := pkitest.New(pkitest.Config{Seed: "other", Now: testNow, CSCA: pkitest.P256, DS: pkitest.P256})
		require.NoError(t, err)
		r := pki.Verify(sod, dgs, other.Trust(), verifyAt(at))
		require.False(t, r.Valid)
		require.ErrorIs(t, r.Check(pki.CheckChain).Err, pki.ErrNoIssuer)
	})
	t.Run("revoked", func(t *testing.T) {
		s, err := p.SignSOD(p.RevokedDS, dgs, testNow)
		require.NoError(t, err)
		r := pki.Verify(s, dgs, p.Trust(), verifyAt(at))
		require.False(t, r.Valid)
		require.Equal(t, check.Failed, r.Check(pki.CheckRevocation).Status)
		require.ErrorIs(t, r.Err(), pki.ErrRevoked)
	})
	t.Run("no CRL", func(t *testing.T) {
		tr := pki.NewTrustStore()
		tr.AddCSCA(p.CSCA.Cert)
		r := pki.Verify(sod, dgs, tr, verifyAt(at))
		require.True(t, r.Valid, "%v", r.Err())
		require.Equal(t, check.NotRun, r.Check(pki.CheckRevocation).Status)
		require.ErrorIs(t, r.Check(pki.CheckRevocation).Err, pki.ErrNoCRL)
		r = pki.Verify(sod, dgs, tr, &pki.VerifyConfig{Time: verifyAt(at).Time, RequireCRL: true})
		require.False(t, r.Valid)
		require.Equal(t, check.Failed, r.Check(pki.CheckRevocation).Status)
	})
	t.Run("CRL of another key", func(t *testing.T) {
		other, err := pkitest.New(pkitest.Config{Seed: "other", Now: testNow, CSCA: pkitest.P256, DS: pkitest.P256})
		require.NoError(t, err)
		tr := pki.NewTrustStore()
		tr.AddCSCA(p.CSCA.Cert)
		require.NoError(t, tr.AddCRL(other.CRL)) // same name, other key
		r := pki.Verify(sod, dgs, tr, verifyAt(at))
		require.False(t, r.Valid)
		require.ErrorIs(t, r.Check(pki.CheckRevocation).Err, pki.ErrBadSignature)
	})
	t.Run("stale CRL", func(t *testing.T) {
		r := pki.Verify(sod, dgs, p.Trust(), verifyAt(testNow.Add(200*24*time.Hour)))
		require.True(t, r.Valid, "%v", r.Err())
		require.ErrorIs(t, r.Check(pki.CheckRevocation).Err, pki.ErrCRLStale)
	})
	t.Run("link certificate", func(t *testing.T) {
		s, err := p.SignSOD(p.NewDS, dgs, testNow)
		require.NoError(t, err)
		r := pki.Verify(s, dgs, p.Trust(), verifyAt(at))
		require.Len(t, r.Chain, 3)
		require.Equal(t, p.Link.Raw, r.Chain[1].Raw)
		require.Equal(t, p.CSCA.Cert.Raw, r.Chain[2].Raw)
		// The CRL of the old key covers the name: not revoked.
		require.True(t, r.Valid, "%v", r.Err())
		// Without the link certificate the new DS does not chain.
		tr := pki.NewTrustStore()
		tr.AddCSCA(p.CSCA.Cert)
		r = pki.Verify(s, dgs, tr, verifyAt(at))
		require.ErrorIs(t, r.Check(pki.CheckChain).Err, pki.ErrNoIssuer)
	})
	t.Run("DS expired after issuance", func(t *testing.T) {
		late := p.DS.Cert.NotAfter.Add(365 * 24 * time.Hour)
		r := pki.Verify(sod, dgs, p.Trust(), verifyAt(late))
		require.Equal(t, check.Passed, r.Check(pki.CheckValidity).Status, "%v", r.Check(pki.CheckValidity).Err)
		require.Equal(t, testNow, r.ValidityTime)

		noTime, err := p.SignSOD(p.DS, dgs, time.Time{})
		require.NoError(t, err)
		r = pki.Verify(noTime, dgs, p.Trust(), verifyAt(late))
		require.Equal(t, check.Failed, r.Check(pki.CheckValidity).Status)
		require.ErrorIs(t, r.Err(), pki.ErrExpired)
		r = pki.Verify(noTime, dgs, p.Trust(), &pki.VerifyConfig{Time: verifyAt(late).Time, IssuedAt: testNow})
		require.Equal(t, check.Passed, r.Check(pki.CheckValidity).Status)
	})
	t.Run("signed outside the key usage period", func(t *testing.T) {
		s, err := p.SignSOD(p.DS, dgs, testNow.Add(200*24*time.Hour))
		require.NoError(t, err)
		r := pki.Verify(s, dgs, p.Trust(), verifyAt(testNow.Add(201*24*time.Hour)))
		require.Equal(t, check.Failed, r.Check(pki.CheckValidity).Status)
	})
	t.Run("signing time in the future", func(t *testing.T) {
		r := pki.Verify(sod, dgs, p.Trust(), verifyAt(testNow.Add(-time.Hour)))
		require.Equal(t, check.Failed, r.Check(pki.CheckValidity).Status)
	})
	t.Run("bad signature", func(t *testing.T) {
		s := bytes.Clone(sod)
		s[len(s)-3] ^= 0x01 // inside the ECDSA signature
		r := pki.Verify(s, dgs, p.Trust(), verifyAt(at))
		require.False(t, r.Valid)
		require.Equal(t, check.Failed, r.Check(pki.CheckSignature).Status)
	})
	t.Run("altered LDS", func(t *testing.T) {
		s := bytes.Clone(sod)
		lso := r0(t, sod).SignedData.Content
		i := bytes.Index(s, lso)
		s[i+len(lso)-1] ^= 1 // last byte of the last hash
		r := pki.Verify(s, dgs, p.Trust(), verifyAt(at))
		require.Equal(t, check.Failed, r.Check(pki.CheckMessageDigest).Status)
		require.False(t, r.Valid)
	})
	t.Run("unknown signature algorithm", func(t *testing.T) {
		// ecdsa-with-SHA256 (2A 86 48 CE 3D 04 03 02) becomes 04 03 09.
		oid := []byte{0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02}
		s := bytes.Clone(sod)
		i := bytes.LastIndex(s, oid)
		require.Positive(t, i)
		s[i+len(oid)-1] = 0x09
		r := pki.Verify(s, dgs, p.Trust(), verifyAt(at))
		require.False(t, r.Valid)
		require.Equal(t, check.Failed, r.Check(pki.CheckSignature).Status)
		require.ErrorIs(t, r.Check(pki.CheckSignature).Err, pki.ErrUnsupportedAlgorithm)
	})
	t.Run("garbage", func(t *testing.T) {
		r := pki.Verify([]byte{0x77, 0x01, 0x00}, dgs, p.Trust(), verifyAt(at))
		require.False(t, r.Valid)
		require.Equal(t, check.Failed, r.Check(pki.CheckSODStructure).Status)
		for _, c := range r.Checks[1:] {
			require.Equal(t, check.NotRun, c.Status)
		}
		require.Len(t, r.Checks, 10)
	})
}

func r0(t *testing.T, sod []byte) *pki.SOD {
	s, err := pki.ParseSOD(sod)
	require.NoError(t, err)
	return s
}

func TestCertificatesMatchStdlib(t *testing.T) {
	for _, k := range []pkitest.KeyType{pkitest.RSA2048, pkitest.P256} {
		t.Run(k.String(), func(t *testing.T) {
			p := testPKI(t, k)
			for _, e := range []*pki.Certificate{p.CSCA.Cert, p.DS.Cert, p.Link, p.NewCSCA.Cert, p.NewDS.Cert, p.MLSigner.Cert} {
				std, err := x509.ParseCertificate(e.Raw)
				require.NoError(t, err)
				require.Equal(t, std.SerialNumber, e.SerialNumber)
				require.Equal(t, std.KeyUsage, e.KeyUsage)
				require.Equal(t, std.SubjectKeyId, e.SubjectKeyID)
				require.Equal(t, std.AuthorityKeyId, e.AuthorityKeyID)
				require.Equal(t, std.Subject.String() != "", true)
				require.True(t, std.NotBefore.Equal(e.NotBefore))
				require.Equal(t, std.IsCA, e.IsCA)
			}
			cscaStd, _ := x509.ParseCertificate(p.CSCA.Cert.Raw)
			dsStd, _ := x509.ParseCertificate(p.DS.Cert.Raw)
			require.NoError(t, dsStd.CheckSignatureFrom(cscaStd))
			require.NoError(t, cscaStd.CheckSignatureFrom(cscaStd))
			crl, err := x509.ParseRevocationList(p.CRL)
			require.NoError(t, err)
			require.NoError(t, crl.CheckSignatureFrom(cscaStd))
			require.Len(t, crl.RevokedCertificateEntries, 1)
			require.NoError(t, p.DS.Cert.CheckSignatureFrom(p.CSCA.Cert))
			require.ErrorIs(t, p.CSCA.Cert.CheckSignatureFrom(p.DS.Cert), pki.ErrNameMismatch)
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, k := range []pkitest.KeyType{pkitest.RSA2048, pkitest.P256} {
		p := testPKI(t, k)
		q, err := pkitest.New(pkitest.Config{Now: testNow, CSCA: k, DS: k})
		require.NoError(t, err)
		require.Equal(t, p.CSCA.Cert.Raw, q.CSCA.Cert.Raw)
		require.Equal(t, p.DS.Cert.Raw, q.DS.Cert.Raw)
		require.Equal(t, p.CRL, q.CRL)
		a, err := p.SignSOD(p.DS, cccdDataGroups(), testNow)
		require.NoError(t, err)
		b, err := q.SignSOD(q.DS, cccdDataGroups(), testNow)
		require.NoError(t, err)
		require.Equal(t, a, b)
	}
}

func TestPSS(t *testing.T) {
	p := testPKI(t, pkitest.RSA2048)
	dgs := cccdDataGroups()
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA512} {
		for _, salt := range []int{0, -1, 20} {
			lso := sodLDS(t, dgs)
			sod, err := pki.SignSOD(lso, p.DS.Key, p.DS.Cert, &pki.SignedDataConfig{SignConfig: pki.SignConfig{Hash: h, PSS: true, SaltLength: salt}, SigningTime: testNow})
			require.NoError(t, err)
			r := pki.Verify(sod, dgs, p.Trust(), verifyAt(testNow.Add(time.Hour)))
			require.True(t, r.Valid, "%v salt %d: %v", h, salt, r.Err())
			alg := r.SOD.SignedData.SignerInfos[0].SignatureAlgorithm
			require.Equal(t, pki.RSAPSS, alg.Scheme)
			require.Equal(t, h, alg.PSS.Hash)
		}
	}
}

func sodLDS(t testing.TB, dgs map[int][]byte) []byte {
	t.Helper()
	p := testPKI(t, pkitest.P256)
	sod, err := p.SignSOD(p.DS, dgs, testNow)
	require.NoError(t, err)
	s, err := pki.ParseSOD(sod)
	require.NoError(t, err)
	return s.LDS
}

// TestVietnamProfile: a brainpoolP512r1 CSCA with explicit parameters (as
// Vietnam's) issuing a brainpoolP256r1 document signer.
func TestVietnamProfile(t *testing.T) {
	p, err := pkitest.New(pkitest.Config{Now: testNow, CSCA: pkitest.BrainpoolP512r1Explicit, DS: pkitest.BrainpoolP256r1,
		Sign: pki.SignConfig{Hash: crypto.SHA512}})
	require.NoError(t, err)
	require.True(t, p.CSCA.Cert.PublicKey.ExplicitParameters)
	require.False(t, p.DS.Cert.PublicKey.ExplicitParameters)
	_, err = x509.ParseCertificate(p.CSCA.Cert.Raw)
	require.Error(t, err, "crypto/x509 rejects what this package must read")
	dgs := cccdDataGroups()
	sod, err := p.SignSOD(p.DS, dgs, testNow)
	require.NoError(t, err)
	r := pki.Verify(sod, dgs, p.Trust(), verifyAt(testNow.Add(time.Hour)))
	requireAllPassed(t, r)
	require.Equal(t, "ECDSA-SHA-512", r.Check(pki.CheckSignature).Detail)
}

// TestConcurrentVerify: one trust store shared by many verifiers (run with
// -race).
func TestConcurrentVerify(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	dgs := cccdDataGroups()
	sod, err := p.SignSOD(p.DS, dgs, testNow)
	require.NoError(t, err)
	sod2, err := p.SignSOD(p.NewDS, dgs, testNow)
	require.NoError(t, err)
	trust := p.Trust()
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			s := sod
			if i%2 == 1 {
				s = sod2
			}
			if i%4 == 3 {
				trust.AddCSCA(p.NewCSCA.Cert) // writers alongside readers
			}
			errs <- pki.Verify(s, dgs, trust, verifyAt(testNow.Add(time.Hour))).Err()
		}()
	}
	for range 16 {
		require.NoError(t, <-errs)
	}
}
