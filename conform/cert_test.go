package conform_test

import (
	"crypto/x509"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/conform/conformtest"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

func keyUsage(ku x509.KeyUsage) []byte {
	return conformtest.Value(func(b *cryptobyte.Builder) {
		var bits asn1.BitString
		n := 0
		for i := 0; i < 9; i++ {
			if ku&(1<<uint(i)) != 0 {
				n = i + 1
			}
		}
		bits.Bytes = make([]byte, (n+7)/8)
		bits.BitLength = n
		for i := 0; i < n; i++ {
			if ku&(1<<uint(i)) != 0 {
				bits.Bytes[i/8] |= 0x80 >> uint(i%8)
			}
		}
		der, _ := asn1.Marshal(bits)
		b.AddBytes(der)
	})
}

func basicConstraints(ca bool, pathLen int) []byte {
	return conformtest.Value(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			if ca {
				b.AddASN1Boolean(true)
			}
			if pathLen >= 0 {
				b.AddASN1Int64(int64(pathLen))
			}
		})
	})
}

func oidSeq(oids ...asn1.ObjectIdentifier) []byte {
	return conformtest.Value(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, o := range oids {
				b.AddASN1ObjectIdentifier(o)
			}
		})
	})
}

func uriNames(uri string) []byte {
	return conformtest.Value(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.Tag(6).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes([]byte(uri)) })
		})
	})
}

func crlDP(uri string) []byte {
	return conformtest.Value(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.Tag(6).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes([]byte(uri)) })
					})
				})
			})
		})
	})
}

func mustName(t *testing.T, attrs ...pki.NameAttribute) []byte {
	n, err := pki.MarshalName(attrs...)
	require.NoError(t, err)
	return n
}

// resignSOD signs the LDS Security Object of img's EF.SOD again as sd
// describes, by signer with cert, and returns the files with that EF.SOD.
func resignSOD(t testing.TB, img *sim.Image, sd conformtest.SignedData, signer pkitest.Entity) map[chip.File][]byte {
	t.Helper()
	s, err := pki.ParseSOD(img.Files[chip.EFSOD])
	require.NoError(t, err)
	if sd.Content == nil {
		sd.Content = s.LDS
	}
	if sd.ContentType == nil {
		sd.ContentType = pki.OIDLDSSecurityObject
	}
	ci, err := sd.Build(signer.Key, signer.Cert)
	require.NoError(t, err)
	files := map[chip.File][]byte{}
	for f, b := range img.Files {
		files[f] = b
	}
	files[chip.EFSOD] = conformtest.SOD(ci)
	return files
}

func ids(fs []conform.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule.ID)
	}
	return out
}

// TestDocumentSignerProfile: for each rule of the Document Signer profile,
// a DS certificate breaking it (re-signed by the test CSCA) signs a
// document; the finding names the rule, and passive authentication alone
// passes where marked.
func TestDocumentSignerProfile(t *testing.T) {
	p := testPKI(t)
	img := issue(t, sim.ProfileICAOPassport, 0)
	csca := pkitest.Entity{Key: p.CSCA.Key, Cert: p.CSCA.Cert}
	later := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		change func(c *conformtest.Certificate)
		rule   conform.Rule
		pa     bool // passive authentication alone passes
	}{
		{"no authority key identifier", func(c *conformtest.Certificate) { c.Without(pki.OIDExtAuthorityKeyID) }, conform.CertAuthorityKeyID, true},
		{"no key usage", func(c *conformtest.Certificate) { c.Without(pki.OIDExtKeyUsage) }, conform.CertKeyUsage, true},
		{"key usage not critical", func(c *conformtest.Certificate) { c.Critical(pki.OIDExtKeyUsage, false) }, conform.CertKeyUsage, true},
		{"key usage of a CA", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtKeyUsage, Critical: true, Value: keyUsage(x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign)})
		}, conform.CertKeyUsage, true},
		{"version 1", func(c *conformtest.Certificate) { c.Version, c.Extensions = 1, nil }, conform.CertVersion, true},
		{"negative serial number", func(c *conformtest.Certificate) { c.Serial = []byte{0x80, 0x01} }, conform.CertSerialNumber, true},
		{"serial number of 21 octets", func(c *conformtest.Certificate) {
			c.Serial = append([]byte{0x01}, make([]byte, 20)...)
		}, conform.CertSerialNumber, true},
		{"GeneralizedTime before 2050", func(c *conformtest.Certificate) { c.NotAfter = conformtest.Generalized(later) }, conform.CertValidity, true},
		{"unique identifiers", func(c *conformtest.Certificate) { c.UniqueIDs = true }, conform.CertUniqueIdentifiers, true},
		{"lower-case country", func(c *conformtest.Certificate) {
			c.Subject = mustName(t, pki.NameAttribute{Type: pki.OIDCountry, Value: "vn"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: "DS"})
		}, conform.CertCountry, true},
		{"subject country differs from issuer", func(c *conformtest.Certificate) {
			c.Subject = mustName(t, pki.NameAttribute{Type: pki.OIDCountry, Value: "DE"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: "DS"})
		}, conform.CertCountry, true},
		{"no common name", func(c *conformtest.Certificate) {
			c.Subject = mustName(t, pki.NameAttribute{Type: pki.OIDCountry, Value: "VN"}, pki.NameAttribute{Type: pki.OIDOrganization, Value: "x"})
		}, conform.CertCommonName, true},
		{"no private key usage period", func(c *conformtest.Certificate) { c.Without(pki.OIDExtPrivateKeyUsagePeriod) }, conform.CertPrivateKeyUsagePeriod, true},
		{"no subjectAltName", func(c *conformtest.Certificate) { c.Without(pki.OIDExtSubjectAltName) }, conform.CertAltNames, true},
		{"issuerAltName without directoryName", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtIssuerAltName, Value: uriNames("https://example.invalid")})
		}, conform.CertAltNames, true},
		{"basic constraints in a DS", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtBasicConstraints, Critical: true, Value: basicConstraints(false, -1)})
		}, conform.CertBasicConstraints, true},
		{"extended key usage in a DS", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtExtendedKeyUsage, Value: oidSeq(pki.OIDCSCAMasterListSigningKey)})
		}, conform.CertExtKeyUsage, false}, // crypto/pki refuses a DS with another role's key usage
		{"no CRL distribution points", func(c *conformtest.Certificate) { c.Without(pki.OIDExtCRLDistributionPoints) }, conform.CertCRLDistributionPoints, true},
		{"CRL distribution point over ftp", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtCRLDistributionPoints, Value: crlDP("ftp://example.invalid/x.crl")})
		}, conform.CertCRLDistributionPoints, true},
		{"no document type list", func(c *conformtest.Certificate) { c.Without(pki.OIDExtDocumentTypeList) }, conform.CertDocumentTypeList, true},
		{"document type list critical", func(c *conformtest.Certificate) { c.Critical(pki.OIDExtDocumentTypeList, true) }, conform.CertNonCritical, true},
		{"document type list without the document's type", func(c *conformtest.Certificate) {
			c.With(conformtest.DocumentTypeList("I"))
		}, conform.DSDocumentType, true},
		{"name constraints", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: asn1.ObjectIdentifier{2, 5, 29, 30}, Value: []byte{0x30, 0x00}})
		}, conform.CertForbiddenExtension, true},
		{"name change in a DS", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtNameChange, Value: []byte{0x05, 0x00}})
		}, conform.CertForbiddenExtension, true},
		{"tbsCertificate signature field differs", func(c *conformtest.Certificate) {
			c.TBSAlgorithm = []byte{0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03} // ecdsa-with-SHA384
		}, conform.CertSignatureAlgorithm, false},
		{"unknown critical extension", func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{0x05, 0x00}})
		}, conform.CertUnknownCritical, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := conformtest.From(p.DS.Cert)
			tc.change(tmpl)
			cert, err := tmpl.Sign(csca)
			require.NoError(t, err)
			if tc.pa {
				require.NoError(t, cert.CheckSignatureFrom(p.CSCA.Cert))
			}
			files := resignSOD(t, img, conformtest.SignedData{}, pkitest.Entity{Key: p.DS.Key, Cert: cert})
			fs := conform.Check(conform.Document{Files: files})
			requireVerdicts(t, files, fs, tc.rule, tc.pa)
			for _, f := range fs {
				if f.Rule.ID == tc.rule.ID {
					require.Equal(t, "Document Signer certificate", f.Object)
					require.NotEmpty(t, f.Detail)
				}
			}
		})
	}
}

// TestCAProfile: CSCA, link and list signer certificates breaking their
// profiles, each validly signed.
func TestCAProfile(t *testing.T) {
	p := testPKI(t)
	self := pkitest.Entity{Key: p.CSCA.Key, Cert: p.CSCA.Cert}
	for _, tc := range []struct {
		name   string
		from   *pki.Certificate
		role   conform.Role
		change func(c *conformtest.Certificate)
		rule   conform.Rule
	}{
		{"CSCA without basic constraints", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) { c.Without(pki.OIDExtBasicConstraints) }, conform.CertBasicConstraints},
		{"CSCA basic constraints not critical", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) { c.Critical(pki.OIDExtBasicConstraints, false) }, conform.CertBasicConstraints},
		{"CSCA path length 1", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtBasicConstraints, Critical: true, Value: basicConstraints(true, 1)})
		}, conform.CertBasicConstraints},
		{"CSCA without subject key identifier", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) { c.Without(pki.OIDExtSubjectKeyID) }, conform.CertSubjectKeyID},
		{"CSCA key usage without cRLSign", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtKeyUsage, Critical: true, Value: keyUsage(x509.KeyUsageCertSign)})
		}, conform.CertKeyUsage},
		{"CSCA with extended key usage", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtExtendedKeyUsage, Value: oidSeq(pki.OIDCSCAMasterListSigningKey)})
		}, conform.CertExtKeyUsage},
		{"CSCA with document type list", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) { c.With(conformtest.DocumentTypeList("P")) }, conform.CertDocumentTypeList},
		{"CSCA without private key usage period", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) { c.Without(pki.OIDExtPrivateKeyUsagePeriod) }, conform.CertPrivateKeyUsagePeriod},
		{"CSCA subject key identifier critical", p.CSCA.Cert, conform.RoleCSCA, func(c *conformtest.Certificate) { c.Critical(pki.OIDExtSubjectKeyID, true) }, conform.CertNonCritical},
		{"link without authority key identifier", p.Link, conform.RoleLink, func(c *conformtest.Certificate) { c.Without(pki.OIDExtAuthorityKeyID) }, conform.CertAuthorityKeyID},
		{"master list signer without extended key usage", p.MLSigner.Cert, conform.RoleMasterListSigner, func(c *conformtest.Certificate) { c.Without(pki.OIDExtExtendedKeyUsage) }, conform.CertExtKeyUsage},
		{"deviation list signer with the master list OID", p.MLSigner.Cert, conform.RoleDeviationListSigner, func(c *conformtest.Certificate) {
			c.With(pki.Extension{OID: pki.OIDExtExtendedKeyUsage, Critical: true, Value: oidSeq(pki.OIDCSCAMasterListSigningKey)})
		}, conform.CertExtKeyUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := conformtest.From(tc.from)
			tc.change(tmpl)
			c, err := tmpl.Sign(self)
			require.NoError(t, err)
			require.NoError(t, c.CheckSignatureFrom(p.CSCA.Cert))
			fs := conform.CheckCertificate(c, tc.role)
			require.Contains(t, ids(fs), tc.rule.ID)
			require.Equal(t, tc.role.String(), fs[0].Object)
		})
	}
}

// TestCRLProfile: CRLs breaking Doc 9303-12 §7.1.4, each signed by the
// test CSCA.
func TestCRLProfile(t *testing.T) {
	p := testPKI(t)
	good, err := pki.ParseCRL(p.CRL)
	require.NoError(t, err)
	csca := pkitest.Entity{Key: p.CSCA.Key, Cert: p.CSCA.Cert}
	withoutExt := func(l *conformtest.CRL, oid asn1.ObjectIdentifier) {
		var keep []pki.Extension
		for _, e := range l.Extensions {
			if !e.OID.Equal(oid) {
				keep = append(keep, e)
			}
		}
		l.Extensions = keep
	}
	for _, tc := range []struct {
		name   string
		change func(l *conformtest.CRL)
		rule   conform.Rule
	}{
		{"version 1", func(l *conformtest.CRL) {
			l.Version, l.Extensions = 1, nil
			for i := range l.Revoked {
				l.Revoked[i].Extensions = nil
			}
		}, conform.CRLVersion},
		{"no nextUpdate", func(l *conformtest.CRL) { l.NextUpdate = conformtest.Time{} }, conform.CRLNextUpdate},
		{"GeneralizedTime thisUpdate", func(l *conformtest.CRL) { l.ThisUpdate = conformtest.Generalized(testNow) }, conform.CRLTimeEncoding},
		{"empty revokedCertificates", func(l *conformtest.CRL) { l.Revoked, l.EmptyRevoked = nil, true }, conform.CRLRevokedCertificates},
		{"no authority key identifier", func(l *conformtest.CRL) { withoutExt(l, pki.OIDExtAuthorityKeyID) }, conform.CRLAuthorityKeyID},
		{"no CRL number", func(l *conformtest.CRL) { withoutExt(l, pki.OIDExtCRLNumber) }, conform.CRLNumber},
		{"critical CRL number", func(l *conformtest.CRL) {
			for i := range l.Extensions {
				if l.Extensions[i].OID.Equal(pki.OIDExtCRLNumber) {
					l.Extensions[i].Critical = true
				}
			}
		}, conform.CRLNumber},
		{"reason code entry extension", func(l *conformtest.CRL) {
			l.Revoked = []pki.RevokedCertificate{{SerialNumber: big.NewInt(7), RevocationTime: testNow,
				Extensions: []pki.Extension{{OID: asn1.ObjectIdentifier{2, 5, 29, 21}, Value: []byte{0x0A, 0x01, 0x01}}}}}
		}, conform.CRLForbiddenExtension},
		{"tbsCertList signature field differs", func(l *conformtest.CRL) {
			l.TBSAlgorithm = []byte{0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03} // ecdsa-with-SHA384
		}, conform.CRLSignatureAlgorithm},
		{"delta CRL indicator", func(l *conformtest.CRL) {
			l.Extensions = append(l.Extensions, pki.Extension{OID: asn1.ObjectIdentifier{2, 5, 29, 27}, Critical: true, Value: []byte{0x02, 0x01, 0x01}})
		}, conform.CRLForbiddenExtension},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := conformtest.CRLFrom(good)
			tc.change(tmpl)
			l, _, err := tmpl.Sign(csca)
			require.NoError(t, err)
			if tc.rule.ID != conform.CRLSignatureAlgorithm.ID {
				require.NoError(t, l.CheckSignatureFrom(p.CSCA.Cert))
			}
			require.Contains(t, ids(conform.CheckCRL(l, p.CSCA.Cert)), tc.rule.ID)
		})
	}
	t.Run("lower-case issuer country", func(t *testing.T) {
		tmpl := conformtest.CRLFrom(good)
		tmpl.Issuer = mustName(t, pki.NameAttribute{Type: pki.OIDCountry, Value: "vn"}, pki.NameAttribute{Type: pki.OIDCommonName, Value: "CSCA"})
		l, _, err := tmpl.Sign(csca)
		require.NoError(t, err)
		require.Contains(t, ids(conform.CheckCRL(l, nil)), conform.CRLIssuerCountry.ID)
	})
}
