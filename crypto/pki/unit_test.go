package pki_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

func TestMasterList(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	ml, err := p.MasterList()
	require.NoError(t, err)

	parsed, err := pki.ParseMasterList(ml)
	require.NoError(t, err)
	require.Len(t, parsed.Certificates, 3)
	require.False(t, parsed.Verified)

	v, err := pki.VerifyMasterList(ml, p.Trust(), verifyAt(testNow.Add(time.Hour)))
	require.NoError(t, err)
	require.True(t, v.Verified)
	require.False(t, v.SelfContained)
	require.Equal(t, p.CSCA.Cert.Raw, v.Issuer.Raw)
	require.Equal(t, p.MLSigner.Cert.Raw, v.Signer.Raw)

	// Without a trust store the list is anchored only in itself: refused,
	// unless the caller opts in by name.
	_, err = pki.VerifyMasterList(ml, nil, verifyAt(testNow.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrSelfContainedMasterList)
	self, err := pki.VerifySelfContainedMasterList(ml, verifyAt(testNow.Add(time.Hour)))
	require.NoError(t, err)
	require.True(t, self.SelfContained)
	require.True(t, self.Verified)

	// A store fed from the master list verifies documents of both keys.
	trust := pki.NewTrustStore()
	require.NoError(t, trust.AddMasterList(v))
	require.Len(t, trust.CSCAs(), 3)
	dgs := cccdDataGroups()
	for _, ds := range []pkitest.Entity{p.DS, p.NewDS} {
		sod, err := p.SignSOD(ds, dgs, testNow)
		require.NoError(t, err)
		require.True(t, pki.Verify(sod, dgs, trust, verifyAt(testNow.Add(time.Hour))).Valid)
	}
	require.Error(t, pki.NewTrustStore().AddMasterList(parsed), "unverified lists are refused")
	_, err = pki.NewTrustStore().AddMasterListData(ml, verifyAt(testNow))
	require.ErrorIs(t, err, pki.ErrNoIssuer, "an empty store vouches for nothing")
	seeded := pki.NewTrustStore()
	seeded.AddCSCA(p.CSCA.Cert)
	_, err = seeded.AddMasterListData(ml, verifyAt(testNow))
	require.NoError(t, err)
	require.Len(t, seeded.CSCAs(), 3)

	// Another country's CSCA does not vouch for this list.
	other, err := pkitest.New(pkitest.Config{Seed: "other", Country: "DE", Now: testNow, CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	_, err = pki.VerifyMasterList(ml, other.Trust(), verifyAt(testNow.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrNoIssuer)

	// Tampering with a certificate of the list breaks the digest.
	bad := bytes.Clone(ml)
	i := bytes.Index(bad, p.NewCSCA.Cert.Raw)
	bad[i+len(p.NewCSCA.Cert.Raw)-1] ^= 1
	_, err = pki.VerifyMasterList(bad, p.Trust(), verifyAt(testNow.Add(time.Hour)))
	require.ErrorIs(t, err, pki.ErrDigestMismatch)

	// A document signer is not a master list signer when it has an EKU
	// without id-icao-cscaMasterListSigningKey; an SOD is not a list.
	sod, err := p.SignSOD(p.DS, dgs, testNow)
	require.NoError(t, err)
	_, err = pki.ParseMasterList(sod[4:])
	require.ErrorIs(t, err, pki.ErrWrongContentType)

	// Expired signer.
	_, err = pki.VerifyMasterList(ml, p.Trust(), verifyAt(testNow.Add(-48*time.Hour)))
	require.ErrorIs(t, err, pki.ErrExpired)
}

func TestSignedDataOptions(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	content := []byte("hello")
	for _, tc := range []struct {
		name string
		opts pki.SignedDataConfig
	}{
		{"issuerAndSerial", pki.SignedDataConfig{}},
		{"subjectKeyIdentifier", pki.SignedDataConfig{UseSubjectKeyID: true, SigningTime: testNow}},
		{"SHA-384", pki.SignedDataConfig{SignConfig: pki.SignConfig{Hash: crypto.SHA384}}},
		{"SHA-1", pki.SignedDataConfig{SignConfig: pki.SignConfig{Hash: crypto.SHA1}}},
		{"SHA-224 with chain", pki.SignedDataConfig{SignConfig: pki.SignConfig{Hash: crypto.SHA224}, ExtraCertificates: [][]byte{p.CSCA.Cert.Raw}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			der, err := pki.SignSignedData(content, pki.OIDData, p.DS.Key, p.DS.Cert, &tc.opts)
			require.NoError(t, err)
			sd, err := pki.ParseSignedData(der)
			require.NoError(t, err)
			require.Equal(t, content, sd.Content)
			require.True(t, sd.ContentType.Equal(pki.OIDData))
			si := sd.SignerInfos[0]
			if tc.opts.UseSubjectKeyID {
				require.Equal(t, 3, si.Version)
				require.Equal(t, 3, sd.Version)
				require.Equal(t, p.DS.Cert.SubjectKeyID, si.SubjectKeyID)
				require.True(t, si.SigningTime.Equal(testNow))
			} else {
				require.Equal(t, 1, si.Version)
				require.Equal(t, 1, sd.Version)
				require.Equal(t, 0, si.SerialNumber.Cmp(p.DS.Cert.SerialNumber))
			}
			cert, err := sd.Verify()
			require.NoError(t, err)
			require.Equal(t, p.DS.Cert.Raw, cert.Raw)
			require.Len(t, sd.Certificates, 1+len(tc.opts.ExtraCertificates))
		})
	}
	_, err := pki.SignSignedData(content, pki.OIDData, p.DS.Key, p.DS.Cert, &pki.SignedDataConfig{SignConfig: pki.SignConfig{Hash: crypto.MD5}})
	require.ErrorIs(t, err, pki.ErrUnsupportedAlgorithm)

	// No certificate: Verify cannot find the signer.
	der, err := pki.SignSignedData(content, pki.OIDData, p.DS.Key, p.DS.Cert, &pki.SignedDataConfig{OmitCertificate: true})
	require.NoError(t, err)
	sd, err := pki.ParseSignedData(der)
	require.NoError(t, err)
	_, err = sd.Verify()
	require.ErrorIs(t, err, pki.ErrSignerNotFound)
	require.NoError(t, sd.CheckSignature(sd.SignerInfos[0], p.DS.Cert))
	require.ErrorIs(t, sd.CheckSignature(sd.SignerInfos[0], p.CSCA.Cert), pki.ErrBadSignature)
	rsa := testPKI(t, pkitest.RSA2048)
	require.ErrorIs(t, sd.CheckSignature(sd.SignerInfos[0], rsa.DS.Cert), pki.ErrUnsupportedKey)
}

func TestSignatureAlgorithmParameters(t *testing.T) {
	for _, tc := range []struct {
		name    string
		der     string
		scheme  pki.SignatureScheme
		hash    crypto.Hash
		pss     *pki.PSSParameters
		errLike error
	}{
		{"sha256WithRSA NULL", "300d06092a864886f70d01010b0500", pki.RSAPKCS1v15, crypto.SHA256, nil, nil},
		{"sha256WithRSA absent", "300b06092a864886f70d01010b", pki.RSAPKCS1v15, crypto.SHA256, nil, nil},
		{"sha1WithRSA", "300d06092a864886f70d0101050500", pki.RSAPKCS1v15, crypto.SHA1, nil, nil},
		{"ecdsa-with-SHA384", "300a06082a8648ce3d040303", pki.ECDSA, crypto.SHA384, nil, nil},
		{"ecdsa-plain-SHA256 (BSI)", "300c060a04007f00070101040103", pki.ECDSAPlain, crypto.SHA256, nil, nil},
		{"PSS absent: all defaults", "300b06092a864886f70d01010a", pki.RSAPSS, crypto.SHA1,
			&pki.PSSParameters{Hash: crypto.SHA1, MGFHash: crypto.SHA1, SaltLength: 20, TrailerField: 1}, nil},
		{"PSS empty sequence", "300d06092a864886f70d01010a3000", pki.RSAPSS, crypto.SHA1,
			&pki.PSSParameters{Hash: crypto.SHA1, MGFHash: crypto.SHA1, SaltLength: 20, TrailerField: 1}, nil},
		// The parameters of the BSI TR-03105-5 document signer.
		{"PSS SHA-256 NULL params salt 32", "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120",
			pki.RSAPSS, crypto.SHA256, &pki.PSSParameters{Hash: crypto.SHA256, MGFHash: crypto.SHA256, SaltLength: 32, TrailerField: 1}, nil},
		{"PSS SHA-256 absent hash params, trailer 1", "304206092a864886f70d01010a3035a00d300b0609608648016503040201a11a301806092a864886f70d010108300b0609608648016503040201a203020120a303020101",
			pki.RSAPSS, crypto.SHA256, &pki.PSSParameters{Hash: crypto.SHA256, MGFHash: crypto.SHA256, SaltLength: 32, TrailerField: 1}, nil},
		{"PSS MGF1 hash differs", "303d06092a864886f70d01010a3030a00d300b0609608648016503040201a11a301806092a864886f70d010108300b0609608648016503040203a203020120",
			pki.UnknownScheme, 0, nil, pki.ErrUnsupportedAlgorithm},
		{"PSS trailer 2", "301206092a864886f70d01010a3005a303020102",
			pki.UnknownScheme, 0, nil, pki.ErrUnsupportedAlgorithm},
		{"PSS garbage", "300e06092a864886f70d01010a0401ff", pki.UnknownScheme, 0, nil, pki.ErrUnsupportedAlgorithm},
		{"RSA with bad params", "300e06092a864886f70d01010b0401ff", pki.RSAPKCS1v15, crypto.SHA256, nil, pki.ErrUnsupportedAlgorithm},
		{"MD5withRSA", "300d06092a864886f70d0101040500", pki.UnknownScheme, 0, nil, pki.ErrUnsupportedAlgorithm},
		{"Ed25519", "300506032b6570", pki.UnknownScheme, 0, nil, pki.ErrUnsupportedAlgorithm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := pki.ParseSignatureAlgorithm(vectors.Unhex(t, tc.der))
			require.NoError(t, err)
			if tc.errLike != nil {
				require.ErrorIs(t, a.Err, tc.errLike)
				return
			}
			require.NoError(t, a.Err)
			require.Equal(t, tc.scheme, a.Scheme)
			require.Equal(t, tc.hash, a.Hash)
			require.Equal(t, tc.pss, a.PSS)
		})
	}
	_, err := pki.ParseSignatureAlgorithm(vectors.Unhex(t, "300b06092a864886f70d01010b00"))
	require.ErrorIs(t, err, pki.ErrMalformed)
}

func TestNames(t *testing.T) {
	der, err := pki.MarshalName(
		pki.NameAttribute{Type: pki.OIDCountry, Value: "VN"},
		pki.NameAttribute{Type: pki.OIDOrganization, Value: "Bộ Công an"},
		pki.NameAttribute{Type: pki.OIDCommonName, Value: "CSCA VN"},
	)
	require.NoError(t, err)
	p := testPKI(t, pkitest.P256)
	certDER, err := pki.CreateCertificate(&pki.CertificateTemplate{SerialNumber: big.NewInt(7), Subject: der,
		NotBefore: testNow, NotAfter: testNow.Add(time.Hour)}, p.CSCA.Cert, p.DS.Key.Public(), p.CSCA.Key, nil)
	require.NoError(t, err)
	c, err := pki.ParseCertificate(certDER)
	require.NoError(t, err)
	require.Equal(t, "C=VN, O=Bộ Công an, CN=CSCA VN", c.Subject.String())
	require.Equal(t, "VN", c.Subject.Country())
	std, err := x509.ParseCertificate(certDER)
	require.NoError(t, err)
	require.Equal(t, []string{"Bộ Công an"}, std.Subject.Organization)

	// BMPString and T61String values, as older CSCAs use.
	bmp := vectors.Unhex(t, "3019311730150603550403 1e0e 0043005300430041002000dc0062")
	n, err := parseNameForTest(bmp)
	require.NoError(t, err)
	require.Equal(t, "CN=CSCA Üb", n.String())

	a, _ := parseNameForTest(vectors.Unhex(t, "3012311030 0e06035504031307 43534341 20564e"))
	b, _ := parseNameForTest(vectors.Unhex(t, "3012311030 0e0603550403 0c07 63736361 20 766e"))
	require.True(t, a.Equal(b), "PrintableString and UTF8String compare case-insensitively")
	d, _ := parseNameForTest(vectors.Unhex(t, "3012311030 0e0603550403 0c07 63736361 20 766f"))
	require.False(t, a.Equal(d))
}

// parseNameForTest parses a Name through a CRL issuer field.
func parseNameForTest(name []byte) (pki.Name, error) {
	p := pkiForNames
	if p == nil {
		return pki.Name{}, nil
	}
	tbs := append(append([]byte{0x02, 0x01, 0x01}, p...), name...)
	tbs = append(tbs, []byte("\x17\x0d250101000000Z")...)
	seq := append([]byte{0x30, byte(len(tbs))}, tbs...)
	crl := append(append([]byte{}, seq...), p...)
	crl = append(crl, 0x03, 0x01, 0x00)
	crl = append([]byte{0x30, byte(len(crl))}, crl...)
	l, err := pki.ParseCRL(crl)
	if err != nil {
		return pki.Name{}, err
	}
	return l.Issuer, nil
}

var pkiForNames = []byte{0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}

func TestCRL(t *testing.T) {
	p := testPKI(t, pkitest.RSA2048)
	revoked := []pki.RevokedCertificate{
		{SerialNumber: big.NewInt(5), RevocationTime: testNow},
		{SerialNumber: new(big.Int).Lsh(big.NewInt(1), 150), RevocationTime: testNow.Add(time.Hour)},
	}
	der, err := pki.CreateCRL(&pki.CRLTemplate{Number: big.NewInt(42), ThisUpdate: testNow, NextUpdate: testNow.Add(24 * time.Hour), Revoked: revoked},
		p.CSCA.Cert, p.CSCA.Key, &pki.SignConfig{PSS: true, Hash: crypto.SHA256})
	require.NoError(t, err)
	l, err := pki.ParseCRL(der)
	require.NoError(t, err)
	require.NoError(t, l.CheckSignatureFrom(p.CSCA.Cert))
	require.ErrorIs(t, l.CheckSignatureFrom(p.DS.Cert), pki.ErrNameMismatch)
	require.Equal(t, int64(42), l.Number.Int64())
	require.True(t, l.NextUpdate.Equal(testNow.Add(24*time.Hour)))
	require.Equal(t, revoked, l.Revoked)
	_, ok := l.IsRevoked(big.NewInt(5))
	require.True(t, ok)
	_, ok = l.IsRevoked(big.NewInt(6))
	require.False(t, ok)
	std, err := x509.ParseRevocationList(der)
	require.NoError(t, err)
	std2, _ := x509.ParseCertificate(p.CSCA.Cert.Raw)
	require.NoError(t, std.CheckSignatureFrom(std2))
	require.Equal(t, int64(42), std.Number.Int64())
}

func TestLimitsAndErrors(t *testing.T) {
	big := make([]byte, pki.MaxMasterListSize+1)
	_, err := pki.ParseCertificate(big[:pki.MaxCertificateSize+1])
	require.ErrorIs(t, err, pki.ErrTooLarge)
	_, err = pki.ParseSignedData(big[:pki.MaxSODSize+1])
	require.ErrorIs(t, err, pki.ErrTooLarge)
	_, err = pki.ParseSOD(big[:pki.MaxSODSize+1])
	require.ErrorIs(t, err, pki.ErrTooLarge)
	_, err = pki.ParseCRL(big[:pki.MaxCRLSize+1])
	require.ErrorIs(t, err, pki.ErrTooLarge)
	_, err = pki.ParseMasterList(big)
	require.ErrorIs(t, err, pki.ErrTooLarge)

	p := testPKI(t, pkitest.P256)
	_, err = pki.ParseCertificate(append(bytes.Clone(p.DS.Cert.Raw), 0))
	require.ErrorIs(t, err, pki.ErrTrailingData)
	_, err = pki.ParseCertificate(p.DS.Cert.Raw[:100])
	var pe *pki.ParseError
	require.ErrorAs(t, err, &pe)
	require.ErrorIs(t, err, pki.ErrMalformed)

	// A certificate with a critical extension nobody knows parses, and
	// chains fail on it.
	der, err := pki.CreateCertificate(&pki.CertificateTemplate{SerialNumber: bigOne, Subject: p.DS.Cert.Subject.Raw,
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pki.Extension{{OID: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}},
		p.CSCA.Cert, p.DS.Key.Public(), p.CSCA.Key, nil)
	require.NoError(t, err)
	c, err := pki.ParseCertificate(der)
	require.NoError(t, err)
	require.Len(t, c.UnhandledCritical, 1)
	sod, err := pki.NewSOD(crypto.SHA256, cccdDataGroups(), p.DS.Key, c, nil)
	require.NoError(t, err)
	r := pki.Verify(sod, cccdDataGroups(), p.Trust(), verifyAt(testNow))
	require.ErrorIs(t, r.Check(pki.CheckKeyUsage).Err, pki.ErrUnhandledCritical)
	require.False(t, r.Valid)

	// A DS certificate used as issuer is refused (not a CA).
	der, err = pki.CreateCertificate(&pki.CertificateTemplate{SerialNumber: bigOne, Subject: p.DS.Cert.Subject.Raw,
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour)}, p.DS.Cert, p.DS.Key.Public(), p.DS.Key, nil)
	require.NoError(t, err)
	sub, err := pki.ParseCertificate(der)
	require.NoError(t, err)
	tr := pki.NewTrustStore()
	tr.AddCSCA(p.DS.Cert)
	sod, err = pki.NewSOD(crypto.SHA256, cccdDataGroups(), p.DS.Key, sub, nil)
	require.NoError(t, err)
	r = pki.Verify(sod, cccdDataGroups(), tr, verifyAt(testNow))
	require.Equal(t, check.Passed, r.Check(pki.CheckChain).Status)
	require.ErrorIs(t, r.Check(pki.CheckKeyUsage).Err, pki.ErrKeyUsage)
}

var bigOne = big.NewInt(1)

// TestExplicitNISTKey: a P-256 key written with explicit parameters is read
// back as a crypto/ecdsa key (the stdlib verifies), flagged explicit.
func TestExplicitNISTKey(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	ecPub, err := ec.PublicKeyFromECDSA(p.DS.Key.Public().(*ecdsa.PublicKey))
	require.NoError(t, err)
	spki, err := ec.MarshalSubjectPublicKeyInfo(ecPub, true)
	require.NoError(t, err)
	der, err := pki.CreateCertificate(&pki.CertificateTemplate{SerialNumber: big.NewInt(99), Subject: p.DS.Cert.Subject.Raw,
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		SubjectPublicKeyInfo: spki}, p.CSCA.Cert, nil, p.CSCA.Key, nil)
	require.NoError(t, err)
	c, err := pki.ParseCertificate(der)
	require.NoError(t, err)
	require.True(t, c.PublicKey.ExplicitParameters)
	require.IsType(t, &ecdsa.PublicKey{}, c.PublicKey.Key)
	require.True(t, p.DS.Key.Public().(*ecdsa.PublicKey).Equal(c.PublicKey.Key))
	sod, err := pki.NewSOD(crypto.SHA256, cccdDataGroups(), p.DS.Key, c, nil)
	require.NoError(t, err)
	require.True(t, pki.Verify(sod, cccdDataGroups(), p.Trust(), verifyAt(testNow)).Valid)
}

// TestLinkCertificateNameChange: a CSCA that changes its name issues a link
// certificate with the ICAO name change extension; documents signed under
// the new name chain through it to the old CSCA.
func TestLinkCertificateNameChange(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	newName, err := pki.MarshalName(pki.NameAttribute{Type: pki.OIDCountry, Value: "VN"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: "CSCA VN 2"})
	require.NoError(t, err)
	newKey, err := pkitest.NewKey(pkitest.P256, pkitest.SeedReader("renamed"))
	require.NoError(t, err)
	tmpl := &pki.CertificateTemplate{SerialNumber: big.NewInt(77), Subject: newName, NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.AddDate(10, 0, 0),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraints: true, IsCA: true, MaxPathLen: 0, NameChange: true}
	der, err := pki.CreateCertificate(tmpl, p.CSCA.Cert, newKey.Public(), p.CSCA.Key, nil)
	require.NoError(t, err)
	link, err := pki.ParseCertificate(der)
	require.NoError(t, err)
	require.True(t, link.NameChange)
	require.Empty(t, link.UnhandledCritical)
	_, err = x509.ParseCertificate(der)
	require.NoError(t, err)

	dsDER, err := pki.CreateCertificate(&pki.CertificateTemplate{SerialNumber: big.NewInt(78), Subject: p.DS.Cert.Subject.Raw,
		NotBefore: testNow.Add(-time.Hour), NotAfter: testNow.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature},
		link, p.DS.Key.Public(), newKey, nil)
	require.NoError(t, err)
	ds, err := pki.ParseCertificate(dsDER)
	require.NoError(t, err)
	sod, err := pki.NewSOD(crypto.SHA256, cccdDataGroups(), p.DS.Key, ds, &pki.SignedDataConfig{SigningTime: testNow})
	require.NoError(t, err)

	trust := pki.NewTrustStore()
	trust.AddCSCA(p.CSCA.Cert)
	trust.AddLinkCertificate(link)
	r := pki.Verify(sod, cccdDataGroups(), trust, verifyAt(testNow.Add(time.Hour)))
	require.True(t, r.Valid, "%v", r.Err())
	require.Len(t, r.Chain, 3)
	require.Equal(t, check.NotRun, r.Check(pki.CheckRevocation).Status, "no CRL of the new name")
}
