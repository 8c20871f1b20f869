// Package pkitest builds a complete, deterministic test PKI of the ICAO
// Doc 9303 Part 12 profile: a Country Signing CA (CSCA), a Document Signer
// (DS), a CRL, a CSCA key rollover (new self-signed CSCA and the link
// certificate that certifies it with the old key), a DS of the new key and
// a master list signer. The same seed and time give the same keys and
// certificates, so tests and fixtures are exact.
//
// It is for tests, examples and the card simulator; its keys are derived
// from a public seed and protect nothing.
package pkitest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// KeyType is the algorithm and size of a test key.
type KeyType int

const (
	RSA2048 KeyType = iota
	P256
	P384
	BrainpoolP256r1
	BrainpoolP512r1
	// BrainpoolP512r1Explicit is brainpoolP512r1 with explicit domain
	// parameters in its SubjectPublicKeyInfo, as Vietnam's CSCA has.
	BrainpoolP512r1Explicit
)

func (k KeyType) String() string {
	return [...]string{"RSA-2048", "P-256", "P-384", "brainpoolP256r1", "brainpoolP512r1", "brainpoolP512r1-explicit"}[k]
}

// ErrUnsupported is returned for unknown key types.
var ErrUnsupported = errors.New("pkitest: key type not supported")

// SeedReader returns a deterministic stream of bytes (ChaCha8) keyed by
// the SHA-256 of seed.
func SeedReader(seed string) io.Reader {
	return rand.NewChaCha8(sha256.Sum256([]byte(seed)))
}

// NewKey derives a private key of type k from r: the same bytes from r give
// the same key. (crypto/rsa and crypto/ecdsa ignore their random source
// since Go 1.26, so the derivation is done here.)
func NewKey(k KeyType, r io.Reader) (crypto.Signer, error) {
	switch k {
	case RSA2048:
		return rsaKey(r, 2048)
	case P256:
		return ecdsaKey(elliptic.P256(), r)
	case P384:
		return ecdsaKey(elliptic.P384(), r)
	case BrainpoolP256r1:
		return ecKey(ec.BrainpoolP256r1(), r)
	case BrainpoolP512r1, BrainpoolP512r1Explicit:
		return ecKey(ec.BrainpoolP512r1(), r)
	}
	return nil, fmt.Errorf("%w: %v", ErrUnsupported, k)
}

// DeterministicSigner is a crypto/ec key that signs with the RFC 6979
// nonce alone (ec.PrivateKey.SignDeterministic), so that test signatures
// are reproducible on every curve.
type DeterministicSigner struct{ *ec.PrivateKey }

// Sign returns the DER ECDSA signature of digest; rand is ignored.
func (k DeterministicSigner) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	r, s, err := k.SignDeterministic(digest, opts)
	if err != nil {
		return nil, err
	}
	return ec.EncodeSignatureASN1(r, s), nil
}

func ecKey(c *ec.Curve, r io.Reader) (crypto.Signer, error) {
	k, err := ec.GenerateKey(c, r)
	if err != nil {
		return nil, err
	}
	return DeterministicSigner{k}, nil
}

// SubjectPublicKeyInfo returns the SPKI of key type k for pub: explicit
// domain parameters for BrainpoolP512r1Explicit, the default encoding
// otherwise.
func SubjectPublicKeyInfo(k KeyType, pub crypto.PublicKey) ([]byte, error) {
	if ek, ok := pub.(*ec.PublicKey); ok && k == BrainpoolP512r1Explicit {
		return ec.MarshalSubjectPublicKeyInfo(ek, true)
	}
	return pki.MarshalPublicKey(pub)
}

func ecdsaKey(c elliptic.Curve, r io.Reader) (*ecdsa.PrivateKey, error) {
	n := c.Params().N
	size := (n.BitLen() + 7) / 8
	buf := make([]byte, size+8)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	// d = 1 + (x mod (n-1)): uniform enough with 64 extra bits.
	d := new(big.Int).SetBytes(buf)
	d.Mod(d, new(big.Int).Sub(n, big.NewInt(1)))
	d.Add(d, big.NewInt(1))
	return ecdsa.ParseRawPrivateKey(c, d.FillBytes(make([]byte, size)))
}

func rsaKey(r io.Reader, bits int) (*rsa.PrivateKey, error) {
	e := big.NewInt(65537)
	prime := func() (*big.Int, error) {
		buf := make([]byte, bits/16)
		for {
			if _, err := io.ReadFull(r, buf); err != nil {
				return nil, err
			}
			buf[0] |= 0xC0 // two top bits: the product has exactly bits bits
			buf[len(buf)-1] |= 1
			p := new(big.Int).SetBytes(buf)
			for i := 0; i < 10000; i++ {
				if p.ProbablyPrime(20) {
					pm1 := new(big.Int).Sub(p, big.NewInt(1))
					if new(big.Int).GCD(nil, nil, e, pm1).Cmp(big.NewInt(1)) == 0 && p.BitLen() == bits/2 {
						return p, nil
					}
				}
				p.Add(p, big.NewInt(2))
			}
		}
	}
	p, err := prime()
	if err != nil {
		return nil, err
	}
	q, err := prime()
	if err != nil {
		return nil, err
	}
	if p.Cmp(q) == 0 {
		return nil, errors.New("pkitest: equal primes")
	}
	n := new(big.Int).Mul(p, q)
	phi := new(big.Int).Mul(new(big.Int).Sub(p, big.NewInt(1)), new(big.Int).Sub(q, big.NewInt(1)))
	d := new(big.Int).ModInverse(e, phi)
	k := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: n, E: 65537}, D: d, Primes: []*big.Int{p, q}}
	k.Precompute()
	if err := k.Validate(); err != nil {
		return nil, err
	}
	return k, nil
}

// Entity is a key and its certificate.
type Entity struct {
	Key  crypto.Signer
	Cert *pki.Certificate
}

// Config chooses the test PKI.
type Config struct {
	// Seed names the deterministic key material; "cancuoc pkitest" when
	// empty.
	Seed string
	// Now is the time the PKI is made at: the certificates are valid from
	// a day before. 2025-01-01 when zero.
	Now time.Time
	// Country is the C of every name; "VN" when empty.
	Country string
	// CSCA and DS key types (the link CSCA uses the CSCA type).
	CSCA, DS KeyType
	// Sign is how the CAs and the DS sign (hash, PSS).
	Sign pki.SignConfig
	// CSCAKey and DSKey, when set, are the keys of the CSCA and of the DS
	// instead of keys derived from Seed: keys in an HSM (see package hsm)
	// or the caller's own. CSCA and DS must still name their types.
	CSCAKey, DSKey crypto.Signer
	// ICAOCode is the issuing state's code as the MRZ writes it ("VNM",
	// "D"), put in the alternative names Doc 9303-12 §7.1.1.2 requires;
	// derived from Country when empty.
	ICAOCode string
}

// icaoCodes maps the countries of the test PKIs to their MRZ codes.
var icaoCodes = map[string]string{"VN": "VNM", "DE": "D", "UT": "UTO", "FR": "FRA", "US": "USA", "GB": "GBR", "NL": "NLD"}

// altNames returns the subjectAltName and issuerAltName extensions of
// Doc 9303-12 §7.1.1.2: a directoryName whose localityName is the MRZ
// code of the issuing state.
func altNames(code string) []pki.Extension {
	dn, err := pki.MarshalName(pki.NameAttribute{Type: asn1OID{2, 5, 4, 7}, Value: code})
	if err != nil {
		panic(err)
	}
	// GeneralNames ::= SEQUENCE { directoryName [4] EXPLICIT Name }
	v := append([]byte{0x30, byte(len(dn) + 2), 0xA4, byte(len(dn))}, dn...)
	return []pki.Extension{{OID: pki.OIDExtSubjectAltName, Value: v}, {OID: pki.OIDExtIssuerAltName, Value: v}}
}

// PKI is a complete test PKI.
type PKI struct {
	Config Config
	// CSCA is the self-signed country signing CA, DS the document signer
	// it issued.
	CSCA, DS Entity
	// CRL is a v2 CRL of the CSCA listing RevokedDS.
	CRL       []byte
	RevokedDS Entity
	// NewCSCA is the self-signed certificate of the CSCA's next key, Link
	// the link certificate of that key signed with the old one, NewDS a
	// document signer issued under the new key.
	NewCSCA Entity
	Link    *pki.Certificate
	NewDS   Entity
	// MLSigner is a master list signer issued by the CSCA.
	MLSigner Entity
}

func name(country, cn string) []byte {
	b, err := pki.MarshalName(
		pki.NameAttribute{Type: pki.OIDCountry, Value: country},
		pki.NameAttribute{Type: pki.OIDOrganization, Value: "cancuoc test PKI"},
		pki.NameAttribute{Type: pki.OIDCommonName, Value: cn},
	)
	if err != nil {
		panic(err)
	}
	return b
}

// New builds the test PKI of c.
func New(c Config) (*PKI, error) {
	if c.Seed == "" {
		c.Seed = "cancuoc pkitest"
	}
	if c.Now.IsZero() {
		c.Now = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if c.Country == "" {
		c.Country = "VN"
	}
	if c.ICAOCode == "" {
		c.ICAOCode = icaoCodes[c.Country]
		if c.ICAOCode == "" {
			c.ICAOCode = c.Country
		}
	}
	alt := altNames(c.ICAOCode)
	crlDP := []string{"https://pkd.example.invalid/" + c.Country + ".crl"}
	p := &PKI{Config: c}
	key := func(label string, k KeyType) (crypto.Signer, error) {
		switch {
		case label == "csca1" && c.CSCAKey != nil:
			return c.CSCAKey, nil
		case label == "ds1" && c.DSKey != nil:
			return c.DSKey, nil
		}
		return NewKey(k, SeedReader(c.Seed+"/"+label+"/"+k.String()))
	}
	sign := &c.Sign
	now := c.Now
	day := 24 * time.Hour
	year := 365 * day
	cscaName := name(c.Country, "CSCA "+c.Country+" TEST")
	serial := int64(0x1000)
	next := func() *big.Int { serial++; return big.NewInt(serial) }

	newCA := func(label string, from time.Time) (Entity, error) {
		k, err := key(label, c.CSCA)
		if err != nil {
			return Entity{}, err
		}
		spki, err := SubjectPublicKeyInfo(c.CSCA, k.Public())
		if err != nil {
			return Entity{}, err
		}
		tmpl := &pki.CertificateTemplate{
			SerialNumber: next(), Subject: cscaName, SubjectPublicKeyInfo: spki,
			NotBefore: from.Add(-day), NotAfter: from.Add(15 * year),
			KeyUsage:         x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
			BasicConstraints: true, IsCA: true, MaxPathLen: 0,
			PrivateKeyUsagePeriod: &pki.Period{NotBefore: from.Add(-day), NotAfter: from.Add(5 * year)},
			CRLDistributionPoints: crlDP,
			ExtraExtensions:       alt,
		}
		der, err := pki.CreateCertificate(tmpl, nil, k.Public(), k, sign)
		if err != nil {
			return Entity{}, err
		}
		cert, err := pki.ParseCertificate(der)
		return Entity{k, cert}, err
	}
	newDS := func(label string, issuer Entity, from time.Time) (Entity, error) {
		k, err := key(label, c.DS)
		if err != nil {
			return Entity{}, err
		}
		tmpl := &pki.CertificateTemplate{
			SerialNumber: next(), Subject: name(c.Country, "DS "+c.Country+" TEST "+label),
			NotBefore: from.Add(-day), NotAfter: from.Add(10*year + 90*day),
			KeyUsage:              x509.KeyUsageDigitalSignature,
			PrivateKeyUsagePeriod: &pki.Period{NotBefore: from.Add(-day), NotAfter: from.Add(90 * day)},
			DocumentTypes:         []string{"I", "P"},
			CRLDistributionPoints: crlDP,
			ExtraExtensions:       alt,
		}
		der, err := pki.CreateCertificate(tmpl, issuer.Cert, k.Public(), issuer.Key, sign)
		if err != nil {
			return Entity{}, err
		}
		cert, err := pki.ParseCertificate(der)
		return Entity{k, cert}, err
	}
	var err error
	if p.CSCA, err = newCA("csca1", now); err != nil {
		return nil, err
	}
	if p.DS, err = newDS("ds1", p.CSCA, now); err != nil {
		return nil, err
	}
	if p.RevokedDS, err = newDS("ds-revoked", p.CSCA, now); err != nil {
		return nil, err
	}
	crl, err := pki.CreateCRL(&pki.CRLTemplate{
		Number: big.NewInt(1), ThisUpdate: now, NextUpdate: now.Add(90 * day),
		Revoked: []pki.RevokedCertificate{{SerialNumber: p.RevokedDS.Cert.SerialNumber, RevocationTime: now}},
	}, p.CSCA.Cert, p.CSCA.Key, sign)
	if err != nil {
		return nil, err
	}
	p.CRL = crl
	// Key rollover: the new key's self-signed certificate and the link
	// certificate (same name, the new key certified by the old one).
	if p.NewCSCA, err = newCA("csca2", now); err != nil {
		return nil, err
	}
	linkTmpl := &pki.CertificateTemplate{
		SerialNumber: next(), Subject: cscaName,
		NotBefore: now.Add(-day), NotAfter: p.CSCA.Cert.NotAfter,
		KeyUsage:         x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraints: true, IsCA: true, MaxPathLen: 0,
		SubjectKeyID:          p.NewCSCA.Cert.SubjectKeyID,
		SubjectPublicKeyInfo:  p.NewCSCA.Cert.PublicKey.Raw,
		PrivateKeyUsagePeriod: &pki.Period{NotBefore: now.Add(-day), NotAfter: now.Add(5 * year)},
		CRLDistributionPoints: crlDP,
		ExtraExtensions:       alt,
	}
	der, err := pki.CreateCertificate(linkTmpl, p.CSCA.Cert, p.NewCSCA.Key.Public(), p.CSCA.Key, sign)
	if err != nil {
		return nil, err
	}
	if p.Link, err = pki.ParseCertificate(der); err != nil {
		return nil, err
	}
	if p.NewDS, err = newDS("ds2", p.NewCSCA, now); err != nil {
		return nil, err
	}
	mk, err := key("mlsigner", c.DS)
	if err != nil {
		return nil, err
	}
	der, err = pki.CreateCertificate(&pki.CertificateTemplate{
		SerialNumber: next(), Subject: name(c.Country, "Master List Signer "+c.Country+" TEST"),
		NotBefore: now.Add(-day), NotAfter: now.Add(2 * year),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		CRLDistributionPoints: crlDP,
		// Doc 9303-12 Table 6: extKeyUsage critical in list signers.
		ExtraExtensions: append(slices.Clone(alt), criticalEKU(pki.OIDCSCAMasterListSigningKey)),
	}, p.CSCA.Cert, mk.Public(), p.CSCA.Key, sign)
	if err != nil {
		return nil, err
	}
	mlc, err := pki.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	p.MLSigner = Entity{mk, mlc}
	return p, nil
}

// Trust returns a trust store with the CSCA, the link certificate and the
// CRL.
func (p *PKI) Trust() *pki.TrustStore {
	t := pki.NewTrustStore()
	t.AddCSCA(p.CSCA.Cert)
	t.AddLinkCertificate(p.Link)
	if err := t.AddCRL(p.CRL); err != nil {
		panic(err)
	}
	return t
}

// SignSOD signs the data groups with the DS at signingTime (no
// signing-time attribute when zero), with the hash of the config.
func (p *PKI) SignSOD(ds Entity, dataGroups map[int][]byte, signingTime time.Time) ([]byte, error) {
	h := p.Config.Sign.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	return pki.NewSOD(h, dataGroups, ds.Key, ds.Cert, &pki.SignedDataConfig{SignConfig: p.Config.Sign, SigningTime: signingTime})
}

// MasterList returns a master list of the CSCA, the new CSCA and the link
// certificate, signed by MLSigner.
func (p *PKI) MasterList() ([]byte, error) {
	return pki.CreateMasterList([]*pki.Certificate{p.CSCA.Cert, p.NewCSCA.Cert, p.Link}, p.MLSigner.Key, p.MLSigner.Cert,
		&pki.SignedDataConfig{SignConfig: p.Config.Sign, SigningTime: p.Config.Now})
}
