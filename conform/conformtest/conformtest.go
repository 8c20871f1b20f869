// Package conformtest builds signed objects that break the profiles of
// ICAO Doc 9303 on purpose, re-signed with the test PKI (crypto/pki/pkitest)
// so that their signatures verify: only a profile check can catch what is
// wrong with them, as in the conformance test suites of BSI TR-03105 and
// ICAO's RF & Protocol Testing.
//
// It is for tests; its keys protect nothing.
package conformtest

import (
	"crypto"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/tlv"
)

func tagged(n uint8) cbasn1.Tag   { return cbasn1.Tag(n).ContextSpecific().Constructed() }
func implicit(n uint8) cbasn1.Tag { return cbasn1.Tag(n).ContextSpecific() }

// Time is a validity time as encoded: its ASN.1 type and its characters.
type Time struct {
	Tag   cbasn1.Tag
	Value string
}

// UTC returns t the way RFC 5280 §4.1.2.5 encodes it.
func UTC(t time.Time) Time {
	t = t.UTC()
	if t.Year() >= 1950 && t.Year() < 2050 {
		return Time{cbasn1.UTCTime, t.Format("060102150405Z")}
	}
	return Time{cbasn1.GeneralizedTime, t.Format("20060102150405Z")}
}

// Generalized returns t as GeneralizedTime whatever its year.
func Generalized(t time.Time) Time {
	return Time{cbasn1.GeneralizedTime, t.UTC().Format("20060102150405Z")}
}

// Certificate is a to-be-signed certificate whose every field can be set
// to a value the profile forbids.
type Certificate struct {
	// Version is the X.509 version (1, 2 or 3).
	Version int
	// Serial is the content of the serialNumber INTEGER (two's
	// complement), so negative and overlong serials can be written.
	Serial              []byte
	Issuer, Subject     []byte // DER names
	NotBefore, NotAfter Time
	SPKI                []byte
	// UniqueIDs adds an issuerUniqueID and a subjectUniqueID.
	UniqueIDs  bool
	Extensions []pki.Extension
	// TBSAlgorithm, when set, is written as the signature field inside
	// tbsCertificate instead of the issuer's algorithm (which still signs
	// and is written outside).
	TBSAlgorithm []byte
}

// From returns the fields of an existing certificate, to change some of
// them and sign again.
func From(c *pki.Certificate) *Certificate {
	return &Certificate{
		Version: c.Version, Serial: SerialBytes(c.SerialNumber),
		Issuer: c.Issuer.Raw, Subject: c.Subject.Raw,
		NotBefore: UTC(c.NotBefore), NotAfter: UTC(c.NotAfter),
		SPKI:       c.PublicKey.Raw,
		Extensions: slices.Clone(c.Extensions),
	}
}

// Without removes the extension oid.
func (t *Certificate) Without(oid asn1.ObjectIdentifier) *Certificate {
	t.Extensions = slices.DeleteFunc(t.Extensions, func(e pki.Extension) bool { return e.OID.Equal(oid) })
	return t
}

// With replaces (or adds) an extension.
func (t *Certificate) With(e pki.Extension) *Certificate {
	for i := range t.Extensions {
		if t.Extensions[i].OID.Equal(e.OID) {
			t.Extensions[i] = e
			return t
		}
	}
	t.Extensions = append(t.Extensions, e)
	return t
}

// Critical sets the criticality of extension oid.
func (t *Certificate) Critical(oid asn1.ObjectIdentifier, critical bool) *Certificate {
	for i := range t.Extensions {
		if t.Extensions[i].OID.Equal(oid) {
			t.Extensions[i].Critical = critical
		}
	}
	return t
}

// Sign signs the certificate with the issuer's key (the issuer's own
// signature algorithm, PKCS #1 v1.5 or ECDSA with SHA-256) and parses it.
func (t *Certificate) Sign(issuer pkitest.Entity) (*pki.Certificate, error) {
	alg := issuer.Cert.TBSSignatureAlgorithm
	if t.Issuer == nil {
		t.Issuer = issuer.Cert.Subject.Raw
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if t.Version != 1 {
			b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { b.AddASN1Int64(int64(t.Version - 1)) })
		}
		b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) { b.AddBytes(t.Serial) })
		if t.TBSAlgorithm != nil {
			b.AddBytes(t.TBSAlgorithm)
		} else {
			b.AddBytes(alg)
		}
		b.AddBytes(t.Issuer)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, tm := range []Time{t.NotBefore, t.NotAfter} {
				b.AddASN1(tm.Tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(tm.Value)) })
			}
		})
		b.AddBytes(t.Subject)
		b.AddBytes(t.SPKI)
		if t.UniqueIDs {
			b.AddASN1(implicit(1), func(b *cryptobyte.Builder) { b.AddBytes([]byte{0, 1, 2}) })
			b.AddASN1(implicit(2), func(b *cryptobyte.Builder) { b.AddBytes([]byte{0, 3, 4}) })
		}
		if len(t.Extensions) > 0 {
			b.AddASN1(tagged(3), func(b *cryptobyte.Builder) { addExtensions(b, t.Extensions) })
		}
	})
	der, err := signTBS(&b, issuer.Key, alg)
	if err != nil {
		return nil, err
	}
	return pki.ParseCertificate(der)
}

// signTBS signs the to-be-signed structure b holds with key under alg and
// returns SEQUENCE { tbs, alg, BIT STRING signature }: the signed
// certificate or CRL.
func signTBS(b *cryptobyte.Builder, key crypto.Signer, alg []byte) ([]byte, error) {
	tbs, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	sig, err := signWith(key, alg, tbs)
	if err != nil {
		return nil, err
	}
	var c cryptobyte.Builder
	c.AddASN1(cbasn1.SEQUENCE, func(c *cryptobyte.Builder) {
		c.AddBytes(tbs)
		c.AddBytes(alg)
		c.AddASN1BitString(sig)
	})
	return c.Bytes()
}

// addExtensions writes Extensions: a SEQUENCE of each Extension.
func addExtensions(b *cryptobyte.Builder, exts []pki.Extension) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, e := range exts {
			AddExtension(b, e)
		}
	})
}

// AddExtension writes one Extension.
func AddExtension(b *cryptobyte.Builder, e pki.Extension) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(e.OID)
		if e.Critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1OctetString(e.Value)
	})
}

// signWith signs msg with key under the AlgorithmIdentifier alg (PKCS #1
// v1.5 or ECDSA; the hash comes from alg).
func signWith(key crypto.Signer, alg, msg []byte) ([]byte, error) {
	a, err := pki.ParseSignatureAlgorithm(alg)
	if err != nil {
		return nil, err
	}
	h := a.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	if a.Scheme == pki.RSAPSS {
		return nil, errors.New("conformtest: RSASSA-PSS issuers are not supported")
	}
	d := h.New()
	d.Write(msg)
	return key.Sign(nil, d.Sum(nil), h)
}

// Attribute is a signed attribute: its type and its values, DER.
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte
}

// SignedData describes a CMS SignedData field by field; Build signs it.
// The zero values give what ICAO requires (version 3, digestAlgorithms
// naming the digest used, signer version 1 with issuerAndSerialNumber,
// content-type and message-digest signed attributes, the signer
// certificate in certificates).
type SignedData struct {
	Content     []byte
	ContentType asn1.ObjectIdentifier
	Hash        crypto.Hash // SHA-256 when zero

	// Version overrides the SignedData version.
	Version int
	// DigestAlgorithms overrides the digestAlgorithms SET.
	DigestAlgorithms []asn1.ObjectIdentifier
	// SignerVersion overrides the SignerInfo version.
	SignerVersion int
	// UseSubjectKeyID identifies the signer by subjectKeyIdentifier.
	UseSubjectKeyID bool
	// Certificates overrides the certificates field (nil: the signer's;
	// an empty non-nil slice leaves the field out).
	Certificates [][]byte
	// CRLs fills the crls field.
	CRLs [][]byte
	// NoSignedAttrs signs the content directly.
	NoSignedAttrs bool
	// OmitContentType and OmitMessageDigest leave those attributes out;
	// ContentTypeAttr overrides the content-type attribute's value.
	OmitContentType, OmitMessageDigest bool
	ContentTypeAttr                    asn1.ObjectIdentifier
	SigningTime                        time.Time
	ExtraAttrs                         []Attribute
	// TwoSigners writes the SignerInfo twice.
	TwoSigners bool
}

// Build signs sd with signer (whose certificate is cert) and returns the
// DER ContentInfo.
func (sd *SignedData) Build(signer crypto.Signer, cert *pki.Certificate) ([]byte, error) {
	h := sd.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	hashOID := pki.HashOID(h)
	d := h.New()
	d.Write(sd.Content)
	digest := d.Sum(nil)
	var attrs [][]byte
	attr := func(oid asn1.ObjectIdentifier, vals ...[]byte) {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				for _, v := range vals {
					b.AddBytes(v)
				}
			})
		})
		attrs = append(attrs, b.BytesOrPanic())
	}
	if !sd.OmitContentType {
		ct := sd.ContentType
		if sd.ContentTypeAttr != nil {
			ct = sd.ContentTypeAttr
		}
		var b cryptobyte.Builder
		b.AddASN1ObjectIdentifier(ct)
		attr(pki.OIDAttrContentType, b.BytesOrPanic())
	}
	if !sd.OmitMessageDigest {
		var b cryptobyte.Builder
		b.AddASN1OctetString(digest)
		attr(pki.OIDAttrMessageDigest, b.BytesOrPanic())
	}
	if !sd.SigningTime.IsZero() {
		var b cryptobyte.Builder
		b.AddASN1UTCTime(sd.SigningTime.UTC())
		attr(pki.OIDAttrSigningTime, b.BytesOrPanic())
	}
	for _, a := range sd.ExtraAttrs {
		attr(a.Type, a.Values...)
	}
	slices.SortFunc(attrs, func(a, b []byte) int { return compareBytes(a, b) })
	var signedAttrs []byte
	signed := sd.Content
	if !sd.NoSignedAttrs {
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
			for _, a := range attrs {
				b.AddBytes(a)
			}
		})
		signedAttrs = b.BytesOrPanic()
		signed = signedAttrs
	}
	sigAlg, sig, err := signCMS(signer, h, signed)
	if err != nil {
		return nil, err
	}
	if signedAttrs != nil {
		signedAttrs[0] = 0xA0
	}
	version := sd.Version
	if version == 0 {
		version = 3
	}
	siVersion := sd.SignerVersion
	if siVersion == 0 {
		siVersion = 1
		if sd.UseSubjectKeyID {
			siVersion = 3
		}
	}
	digestAlgs := sd.DigestAlgorithms
	if digestAlgs == nil {
		digestAlgs = []asn1.ObjectIdentifier{hashOID}
	}
	certs := sd.Certificates
	if certs == nil {
		certs = [][]byte{cert.Raw}
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(pki.OIDSignedData)
		b.AddASN1(tagged(0), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(int64(version))
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					var algs [][]byte
					for _, o := range digestAlgs {
						var ab cryptobyte.Builder
						ab.AddASN1(cbasn1.SEQUENCE, func(ab *cryptobyte.Builder) { ab.AddASN1ObjectIdentifier(o) })
						algs = append(algs, ab.BytesOrPanic())
					}
					slices.SortFunc(algs, compareBytes)
					for _, a := range algs {
						b.AddBytes(a)
					}
				})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(sd.ContentType)
					b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { b.AddASN1OctetString(sd.Content) })
				})
				if len(certs) > 0 {
					b.AddASN1(tagged(0), func(b *cryptobyte.Builder) {
						for _, c := range certs {
							b.AddBytes(c)
						}
					})
				}
				if len(sd.CRLs) > 0 {
					b.AddASN1(tagged(1), func(b *cryptobyte.Builder) {
						for _, c := range sd.CRLs {
							b.AddBytes(c)
						}
					})
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					n := 1
					if sd.TwoSigners {
						n = 2
					}
					for range n {
						sd.addSignerInfo(b, cert, siVersion, hashOID, signedAttrs, sigAlg, sig)
					}
				})
			})
		})
	})
	return b.Bytes()
}

func (sd *SignedData) addSignerInfo(b *cryptobyte.Builder, cert *pki.Certificate, siVersion int, hashOID asn1.ObjectIdentifier, signedAttrs, sigAlg, sig []byte) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(int64(siVersion))
		if sd.UseSubjectKeyID {
			b.AddASN1(implicit(0), func(b *cryptobyte.Builder) { b.AddBytes(cert.SubjectKeyID) })
		} else {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddBytes(cert.Issuer.Raw)
				b.AddASN1BigInt(cert.SerialNumber)
			})
		}
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(hashOID) })
		if signedAttrs != nil {
			b.AddBytes(signedAttrs)
		}
		b.AddBytes(sigAlg)
		b.AddASN1OctetString(sig)
	})
}

// SOD wraps a ContentInfo as EF.SOD ('77').
func SOD(contentInfo []byte) []byte {
	return tlv.AppendTLV(nil, pki.SODTag, contentInfo)
}

var (
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	ecdsaWith        = map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA224: {1, 2, 840, 10045, 4, 3, 1}, crypto.SHA256: {1, 2, 840, 10045, 4, 3, 2},
		crypto.SHA384: {1, 2, 840, 10045, 4, 3, 3}, crypto.SHA512: {1, 2, 840, 10045, 4, 3, 4},
	}
)

// signCMS signs msg for a SignerInfo: rsaEncryption (PKCS #1 v1.5) or
// ecdsa-with-SHAxxx.
func signCMS(key crypto.Signer, h crypto.Hash, msg []byte) (alg, sig []byte, err error) {
	d := h.New()
	d.Write(msg)
	sig, err = key.Sign(nil, d.Sum(nil), h)
	if err != nil {
		return nil, nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if _, ok := key.Public().(*rsa.PublicKey); ok {
			b.AddASN1ObjectIdentifier(oidRSAEncryption)
			b.AddASN1NULL()
			return
		}
		o, ok := ecdsaWith[h]
		if !ok {
			err = fmt.Errorf("conformtest: no ECDSA algorithm for %v", h)
			return
		}
		b.AddASN1ObjectIdentifier(o)
	})
	if err != nil {
		return nil, nil, err
	}
	return b.BytesOrPanic(), sig, nil
}

func compareBytes(a, b []byte) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return int(a[i]) - int(b[i])
		}
	}
	return len(a) - len(b)
}

// SerialBytes returns the two's complement content of an INTEGER n.
func SerialBytes(n *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1BigInt(n)
	der := b.BytesOrPanic()
	return der[2:]
}

// CRL is a to-be-signed CRL whose every field can break the profile.
type CRL struct {
	// Version is 1 (no version field) or 2.
	Version    int
	Issuer     []byte
	ThisUpdate Time
	// NextUpdate is left out when its Value is "".
	NextUpdate Time
	// Revoked entries; EmptyRevoked writes an empty revokedCertificates.
	Revoked      []pki.RevokedCertificate
	EmptyRevoked bool
	Extensions   []pki.Extension
	// TBSAlgorithm, as for Certificate.
	TBSAlgorithm []byte
}

// Sign signs the CRL with the issuer's key and parses it.
func (l *CRL) Sign(issuer pkitest.Entity) (*pki.CRL, []byte, error) {
	alg := issuer.Cert.TBSSignatureAlgorithm
	if l.Issuer == nil {
		l.Issuer = issuer.Cert.Subject.Raw
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if l.Version != 1 {
			b.AddASN1Int64(int64(l.Version - 1))
		}
		if l.TBSAlgorithm != nil {
			b.AddBytes(l.TBSAlgorithm)
		} else {
			b.AddBytes(alg)
		}
		b.AddBytes(l.Issuer)
		b.AddASN1(l.ThisUpdate.Tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(l.ThisUpdate.Value)) })
		if l.NextUpdate.Value != "" {
			b.AddASN1(l.NextUpdate.Tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(l.NextUpdate.Value)) })
		}
		if len(l.Revoked) > 0 || l.EmptyRevoked {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, r := range l.Revoked {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1BigInt(r.SerialNumber)
						tm := UTC(r.RevocationTime)
						b.AddASN1(tm.Tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(tm.Value)) })
						if len(r.Extensions) > 0 {
							addExtensions(b, r.Extensions)
						}
					})
				}
			})
		}
		if len(l.Extensions) > 0 {
			b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { addExtensions(b, l.Extensions) })
		}
	})
	der, err := signTBS(&b, issuer.Key, alg)
	if err != nil {
		return nil, nil, err
	}
	parsed, err := pki.ParseCRL(der)
	return parsed, der, err
}

// CRLFrom returns the fields of an existing CRL.
func CRLFrom(l *pki.CRL) *CRL {
	c := &CRL{Version: l.Version, Issuer: l.Issuer.Raw, ThisUpdate: UTC(l.ThisUpdate), Revoked: l.Revoked, Extensions: slices.Clone(l.Extensions)}
	if !l.NextUpdate.IsZero() {
		c.NextUpdate = UTC(l.NextUpdate)
	}
	return c
}

// DocumentTypeList returns the ICAO DocumentTypeList extension (Doc
// 9303-12 §7.1.1.6) naming types.
func DocumentTypeList(types ...string) pki.Extension {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
			for _, t := range types {
				b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(t)) })
			}
		})
	})
	return pki.Extension{OID: pki.OIDExtDocumentTypeList, Value: b.BytesOrPanic()}
}

// Value encodes an extension value with f.
func Value(f func(b *cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	f(&b)
	return b.BytesOrPanic()
}
