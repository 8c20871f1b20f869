package pkitest

import (
	"crypto/x509"
	"encoding/asn1"
	"math/big"

	"github.com/cancuoc/cancuoc/crypto/pki"
)

// DeviationListSigner returns a Deviation List Signer issued by the CSCA
// (Doc 9303-12 §7.1.1 Table 6: digitalSignature, a critical extended key
// usage id-icao-DeviationListSigningKey, the alternative names and CRL
// distribution points), its key derived from the seed like the others.
func (p *PKI) DeviationListSigner() (Entity, error) {
	c := p.Config
	k, err := NewKey(c.DS, SeedReader(c.Seed+"/dlsigner/"+c.DS.String()))
	if err != nil {
		return Entity{}, err
	}
	exts := append(altNames(c.ICAOCode), criticalEKU(pki.OIDDeviationListSigningKey))
	der, err := pki.CreateCertificate(&pki.CertificateTemplate{
		SerialNumber: big.NewInt(0x2000), Subject: name(c.Country, "Deviation List Signer "+c.Country+" TEST"),
		NotBefore: p.CSCA.Cert.NotBefore, NotAfter: p.MLSigner.Cert.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		CRLDistributionPoints: []string{"https://pkd.example.invalid/" + c.Country + ".crl"},
		ExtraExtensions:       exts,
	}, p.CSCA.Cert, k.Public(), p.CSCA.Key, &c.Sign)
	if err != nil {
		return Entity{}, err
	}
	cert, err := pki.ParseCertificate(der)
	return Entity{k, cert}, err
}

// criticalEKU is the extended key usage extension of a list signer,
// critical as Doc 9303-12 Table 6 requires.
func criticalEKU(oid asn1.ObjectIdentifier) pki.Extension {
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{oid})
	if err != nil {
		panic(err)
	}
	return pki.Extension{OID: pki.OIDExtExtendedKeyUsage, Critical: true, Value: eku}
}
