package pki_test

import (
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/stretchr/testify/require"
)

// oidSecurityObject is id-SecurityObject (BSI TR-03110), the content type
// of EF.CardSecurity.
var oidSecurityObject = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 2, 1}

// listSigner makes a list signer certificate issued by the CSCA with the
// extended key usage eku.
func listSigner(t *testing.T, p *pkitest.PKI, label string, serial int64, eku asn1.ObjectIdentifier) pkitest.Entity {
	t.Helper()
	k, err := pkitest.NewKey(pkitest.P256, pkitest.SeedReader(label))
	require.NoError(t, err)
	name, err := pki.MarshalName(pki.NameAttribute{Type: pki.OIDCountry, Value: "VN"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: label})
	require.NoError(t, err)
	der, err := pki.CreateCertificate(&pki.CertificateTemplate{
		SerialNumber: big.NewInt(serial), Subject: name,
		NotBefore: testNow.Add(-48 * time.Hour), NotAfter: testNow.Add(365 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []asn1.ObjectIdentifier{eku},
	}, p.CSCA.Cert, k.Public(), p.CSCA.Key, nil)
	require.NoError(t, err)
	c, err := pki.ParseCertificate(der)
	require.NoError(t, err)
	return pkitest.Entity{Key: k, Cert: c}
}

// makeCRL makes a CRL of the CSCA (signed with key, number n, issued at
// testNow+offset) revoking serials.
func makeCRL(t *testing.T, issuer *pki.Certificate, key pkitest.Entity, n int64, offset time.Duration, serials ...*big.Int) []byte {
	t.Helper()
	var rev []pki.RevokedCertificate
	for _, s := range serials {
		rev = append(rev, pki.RevokedCertificate{SerialNumber: s, RevocationTime: testNow})
	}
	b, err := pki.CreateCRL(&pki.CRLTemplate{Number: big.NewInt(n), ThisUpdate: testNow.Add(offset),
		NextUpdate: testNow.Add(offset + 30*24*time.Hour), Revoked: rev}, issuer, key.Key, nil)
	require.NoError(t, err)
	return b
}

// TestTrustPathRevokedSigner: a revoked signer is refused on every kind of
// signed object (EF.SOD, EF.CardSecurity, master list, deviation list,
// CRL), and the same object signed by a signer in good standing passes.
func TestTrustPathRevokedSigner(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	at := testNow.Add(time.Hour)
	dls := listSigner(t, p, "DL signer", 0x7001, pki.OIDDeviationListSigningKey)
	dlsRevoked := listSigner(t, p, "DL signer revoked", 0x7002, pki.OIDDeviationListSigningKey)
	mlsRevoked := listSigner(t, p, "ML signer revoked", 0x7003, pki.OIDCSCAMasterListSigningKey)

	// The trust: the CSCA, its link certificate to the new key, and a
	// CRL of the old key revoking the revoked DS, both revoked list
	// signers and the link certificate (so that the new key is revoked:
	// a CRL it signs is refused).
	linkRevokedTrust := func() *pki.TrustStore {
		ts := pki.NewTrustStore()
		ts.AddCSCA(p.CSCA.Cert)
		ts.AddLinkCertificate(p.Link)
		require.NoError(t, ts.AddCRL(makeCRL(t, p.CSCA.Cert, p.CSCA, 2, 0, p.RevokedDS.Cert.SerialNumber,
			dlsRevoked.Cert.SerialNumber, mlsRevoked.Cert.SerialNumber, p.Link.SerialNumber)))
		return ts
	}
	goodTrust := func() *pki.TrustStore {
		ts := pki.NewTrustStore()
		ts.AddCSCA(p.CSCA.Cert)
		ts.AddLinkCertificate(p.Link)
		require.NoError(t, ts.AddCRL(makeCRL(t, p.CSCA.Cert, p.CSCA, 2, 0, p.RevokedDS.Cert.SerialNumber,
			dlsRevoked.Cert.SerialNumber, mlsRevoked.Cert.SerialNumber)))
		return ts
	}
	signed := func(ct asn1.ObjectIdentifier, e pkitest.Entity) []byte {
		b, err := pki.SignSignedData([]byte{0x31, 0x00}, ct, e.Key, e.Cert, &pki.SignedDataConfig{SigningTime: testNow})
		require.NoError(t, err)
		return b
	}
	masterList := func(e pkitest.Entity) []byte {
		b, err := pki.CreateMasterList([]*pki.Certificate{p.CSCA.Cert}, e.Key, e.Cert, &pki.SignedDataConfig{SigningTime: testNow})
		require.NoError(t, err)
		return b
	}
	sod := func(e pkitest.Entity) error {
		b, err := p.SignSOD(e, map[int][]byte{1: {0x61, 0x00}}, testNow)
		require.NoError(t, err)
		return pki.Verify(b, map[int][]byte{1: {0x61, 0x00}}, linkRevokedTrust(), verifyAt(at)).Err()
	}
	cases := []struct {
		name        string
		good, bad   func() error
		badKeyUsage bool
	}{
		{"EF.SOD", func() error { return sod(p.DS) }, func() error { return sod(p.RevokedDS) }, false},
		{"EF.CardSecurity", func() error {
			_, err := pki.VerifySignedObject(signed(oidSecurityObject, p.DS), oidSecurityObject, goodTrust(), pki.RoleDocumentSigner, verifyAt(at))
			return err
		}, func() error {
			_, err := pki.VerifySignedObject(signed(oidSecurityObject, p.RevokedDS), oidSecurityObject, goodTrust(), pki.RoleDocumentSigner, verifyAt(at))
			return err
		}, false},
		{"EF.CardSecurity under a revoked link", func() error {
			_, err := pki.VerifySignedObject(signed(oidSecurityObject, p.NewDS), oidSecurityObject, goodTrust(), pki.RoleDocumentSigner, verifyAt(at))
			return err
		}, func() error {
			_, err := pki.VerifySignedObject(signed(oidSecurityObject, p.NewDS), oidSecurityObject, linkRevokedTrust(), pki.RoleDocumentSigner, verifyAt(at))
			return err
		}, false},
		{"master list", func() error {
			_, err := pki.VerifyMasterList(masterList(p.MLSigner), goodTrust(), verifyAt(at))
			return err
		}, func() error {
			_, err := pki.VerifyMasterList(masterList(mlsRevoked), goodTrust(), verifyAt(at))
			return err
		}, false},
		{"deviation list", func() error {
			_, err := pki.VerifySignedObject(signed(pki.OIDDeviationList, dls), pki.OIDDeviationList, goodTrust(),
				pki.RoleDeviationListSigner, verifyAt(at))
			return err
		}, func() error {
			_, err := pki.VerifySignedObject(signed(pki.OIDDeviationList, dlsRevoked), pki.OIDDeviationList, goodTrust(),
				pki.RoleDeviationListSigner, verifyAt(at))
			return err
		}, false},
		{"deviation list signed by a master list signer", nil, func() error {
			_, err := pki.VerifySignedObject(signed(pki.OIDDeviationList, p.MLSigner), pki.OIDDeviationList, goodTrust(),
				pki.RoleDeviationListSigner, verifyAt(at))
			return err
		}, true},
		{"EF.SOD signed by a deviation list signer", nil, func() error {
			b, err := p.SignSOD(dls, map[int][]byte{1: {0x61, 0x00}}, testNow)
			require.NoError(t, err)
			return pki.Verify(b, map[int][]byte{1: {0x61, 0x00}}, goodTrust(), verifyAt(at)).Err()
		}, true},
		{"CRL", func() error {
			l, err := pki.ParseCRL(makeCRL(t, p.NewCSCA.Cert, p.NewCSCA, 3, time.Minute))
			require.NoError(t, err)
			_, err = goodTrust().VerifyCRL(l, verifyAt(at))
			return err
		}, func() error {
			// Signed by the new key, whose link certificate is revoked.
			l, err := pki.ParseCRL(makeCRL(t, p.NewCSCA.Cert, p.NewCSCA, 3, time.Minute))
			require.NoError(t, err)
			_, err = linkRevokedTrust().VerifyCRL(l, verifyAt(at))
			return err
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.good != nil {
				require.NoError(t, c.good())
			}
			err := c.bad()
			require.Error(t, err)
			var ve *pki.VerifyError
			require.ErrorAs(t, err, &ve)
			if c.badKeyUsage {
				require.ErrorIs(t, err, pki.ErrKeyUsage)
			} else if c.name == "CRL" {
				require.ErrorIs(t, err, pki.ErrBadSignature)
			} else {
				require.ErrorIs(t, err, pki.ErrRevoked)
			}
		})
	}
}

// TestTrustPathCRLState: what the CRLs say about a path, as Path.Revocation.
func TestTrustPathCRLState(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	other, err := pkitest.New(pkitest.Config{Seed: "other", Now: testNow, CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	at := testNow.Add(time.Hour)
	cases := []struct {
		name      string
		crls      [][]byte
		links     []*pki.Certificate
		signer    *pki.Certificate
		at        time.Time
		want      pki.Revocation
		status    check.Status
		statusCRL check.Status // with RequireCRL
	}{
		{"fresh", [][]byte{p.CRL}, nil, p.DS.Cert, at, pki.CRLFresh, check.Passed, check.Passed},
		{"revoking", [][]byte{p.CRL}, nil, p.RevokedDS.Cert, at, pki.CRLRevoking, check.Failed, check.Failed},
		{"absent", nil, nil, p.DS.Cert, at, pki.CRLAbsent, check.NotRun, check.Failed},
		{"stale", [][]byte{p.CRL}, nil, p.DS.Cert, testNow.Add(100 * 24 * time.Hour), pki.CRLStale, check.NotRun, check.Failed},
		// A CRL with the CSCA's name from another PKI: not signed by a
		// trusted key, so not used.
		{"forged only", [][]byte{other.CRL}, nil, p.RevokedDS.Cert, at, pki.CRLInvalid, check.Failed, check.Failed},
		// A newer forged CRL that does not list the revoked DS does not
		// hide the genuine one.
		{"forged newer", [][]byte{p.CRL, makeCRL(t, other.CSCA.Cert, other.CSCA, 9, time.Minute)}, nil, p.RevokedDS.Cert, at, pki.CRLRevoking, check.Failed, check.Failed},
		// Nor does one signed by the key of a link certificate that does
		// not chain to the anchor (the other PKI's link, same names).
		{"newer CRL of an unchained link", [][]byte{p.CRL, makeCRL(t, other.NewCSCA.Cert, other.NewCSCA, 9, time.Minute)},
			[]*pki.Certificate{other.Link}, p.RevokedDS.Cert, at, pki.CRLRevoking, check.Failed, check.Failed},
		// A newer CRL of the new key, whose link chains, is the one used.
		{"newer CRL of the new key", [][]byte{p.CRL, makeCRL(t, p.NewCSCA.Cert, p.NewCSCA, 9, time.Minute, p.DS.Cert.SerialNumber)},
			[]*pki.Certificate{p.Link}, p.DS.Cert, at, pki.CRLRevoking, check.Failed, check.Failed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, require_ := range []bool{false, true} {
				ts := pki.NewTrustStore()
				ts.AddCSCA(p.CSCA.Cert)
				for _, l := range c.links {
					ts.AddLinkCertificate(l)
				}
				for _, b := range c.crls {
					require.NoError(t, ts.AddCRL(b))
				}
				path := ts.VerifyPath(c.signer, 0, testNow, &pki.VerifyConfig{Time: verifyAt(c.at).Time, RequireCRL: require_})
				require.Equal(t, c.want, path.Revocation)
				want := c.status
				if require_ {
					want = c.statusCRL
				}
				require.Equal(t, want, path.Check(pki.CheckRevocation).Status, path.Check(pki.CheckRevocation).Err)
				require.Equal(t, want != check.Failed, path.Valid)
				if c.want == pki.CRLFresh || c.want == pki.CRLRevoking {
					require.Len(t, path.CRLs, 1)
				}
			}
		})
	}
}
