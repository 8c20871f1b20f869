package pki

import (
	"crypto"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// CertificateTemplate describes a certificate for CreateCertificate. The
// extensions are written in the order of the fields, with the criticality
// of ICAO Doc 9303 Part 12 §7.1 (key usage and basic constraints critical,
// the others not).
type CertificateTemplate struct {
	SerialNumber *big.Int
	// Subject is the DER name (see MarshalName). The issuer name is the
	// subject of the issuer certificate, or Subject when self-signed.
	Subject             []byte
	NotBefore, NotAfter time.Time

	KeyUsage x509.KeyUsage // omitted when zero
	// BasicConstraints writes the extension with IsCA and MaxPathLen
	// (negative: no path length constraint).
	BasicConstraints bool
	IsCA             bool
	MaxPathLen       int
	// SubjectKeyID defaults to the SHA-1 of the subject public key bits
	// (RFC 5280 §4.2.1.2 method 1) when nil; AuthorityKeyID to the
	// issuer's SubjectKeyID.
	SubjectKeyID          []byte
	AuthorityKeyID        []byte
	PrivateKeyUsagePeriod *Period
	// DocumentTypes writes the ICAO document type list extension when
	// non-nil.
	DocumentTypes         []string
	CRLDistributionPoints []string
	NameChange            bool
	ExtKeyUsage           []asn1.ObjectIdentifier
	ExtraExtensions       []Extension
	// SubjectPublicKeyInfo, when set, is written instead of the encoding
	// of the public key (for explicit EC parameters, see
	// ec.MarshalSubjectPublicKeyInfo).
	SubjectPublicKeyInfo []byte
}

// CreateCertificate builds and signs an X.509 v3 certificate for pub,
// issued by issuer (nil: self-signed, in which case signer must hold the
// private key of pub). The signer is any crypto.Signer (an HSM, a
// crypto/ecdsa, crypto/rsa or crypto/ec key); the signature algorithm
// follows its key type and config. The output is DER and, for deterministic
// signers, the same bytes for the same inputs.
func CreateCertificate(tmpl *CertificateTemplate, issuer *Certificate, pub crypto.PublicKey, signer crypto.Signer, config *SignConfig) ([]byte, error) {
	if tmpl.SerialNumber == nil || tmpl.SerialNumber.Sign() <= 0 {
		return nil, errors.New("pki: certificate serial number must be positive")
	}
	spki := tmpl.SubjectPublicKeyInfo
	if spki == nil {
		var err error
		if spki, err = MarshalPublicKey(pub); err != nil {
			return nil, err
		}
	}
	s := cryptobyte.String(spki)
	var pki PublicKeyInfo
	if !parsePublicKeyInfo(&s, &pki) || len(s) != 0 {
		return nil, malformed("certificate", "subjectPublicKeyInfo")
	}
	if pki.Err != nil {
		return nil, pki.Err
	}
	issuerName, aki := tmpl.Subject, tmpl.AuthorityKeyID
	ski := tmpl.SubjectKeyID
	if ski == nil {
		ski = keyID(spki)
	}
	if issuer != nil {
		issuerName = issuer.Subject.Raw
		if aki == nil {
			aki = issuer.SubjectKeyID
		}
	} else if aki == nil {
		aki = ski
	}
	algRaw, err := algorithmFor(signer, config)
	if err != nil {
		return nil, err
	}
	exts, err := tmpl.extensions(ski, aki)
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { b.AddASN1Int64(2) })
		b.AddASN1BigInt(tmpl.SerialNumber)
		b.AddBytes(algRaw)
		b.AddBytes(issuerName)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addTime(b, tmpl.NotBefore)
			addTime(b, tmpl.NotAfter)
		})
		b.AddBytes(tmpl.Subject)
		b.AddBytes(spki)
		if len(exts) > 0 {
			b.AddASN1(tagged(3), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, e := range exts {
						addExtension(b, e)
					}
				})
			})
		}
	})
	tbs, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return signTBS(tbs, algRaw, signer, config)
}

// signTBS signs a to-be-signed structure and wraps it as
// SEQUENCE { tbs, algorithm, BIT STRING signature } (certificates and CRLs).
func signTBS(tbs, algRaw []byte, signer crypto.Signer, config *SignConfig) ([]byte, error) {
	alg, sig, err := signMessage(signer, config, tbs)
	if err != nil {
		return nil, err
	}
	if string(alg.Raw) != string(algRaw) {
		return nil, errors.New("pki: signature algorithm changed while signing")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(algRaw)
		addBitString(b, sig)
	})
	return b.Bytes()
}

// algorithmFor returns the AlgorithmIdentifier signMessage will use.
func algorithmFor(signer crypto.Signer, config *SignConfig) ([]byte, error) {
	if config == nil {
		config = &SignConfig{}
	}
	h := config.hash()
	scheme, salt, err := schemeFor(signer.Public(), config)
	if err != nil {
		return nil, err
	}
	return marshalSignatureAlgorithm(scheme, h, salt)
}

// keyID is the SHA-1 of the subjectPublicKey BIT STRING contents.
func keyID(spki []byte) []byte {
	s := cryptobyte.String(spki)
	var seq cryptobyte.String
	var bits asn1.BitString
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.SkipASN1(cbasn1.SEQUENCE) || !seq.ReadASN1BitString(&bits) {
		return nil
	}
	sum := sha1.Sum(bits.Bytes)
	return sum[:]
}

func addExtension(b *cryptobyte.Builder, e Extension) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(e.OID)
		if e.Critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1OctetString(e.Value)
	})
}

func build(f func(b *cryptobyte.Builder)) ([]byte, error) {
	var b cryptobyte.Builder
	f(&b)
	return b.Bytes()
}

func (t *CertificateTemplate) extensions(ski, aki []byte) ([]Extension, error) {
	var exts []Extension
	add := func(oid asn1.ObjectIdentifier, critical bool, f func(b *cryptobyte.Builder)) error {
		v, err := build(f)
		if err != nil {
			return err
		}
		exts = append(exts, Extension{OID: oid, Critical: critical, Value: v})
		return nil
	}
	var errs []error
	if aki != nil {
		errs = append(errs, add(OIDExtAuthorityKeyID, false, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(implicit(0), func(b *cryptobyte.Builder) { b.AddBytes(aki) })
			})
		}))
	}
	if ski != nil {
		errs = append(errs, add(OIDExtSubjectKeyID, false, func(b *cryptobyte.Builder) { b.AddASN1OctetString(ski) }))
	}
	if t.KeyUsage != 0 {
		errs = append(errs, add(OIDExtKeyUsage, true, func(b *cryptobyte.Builder) { addKeyUsage(b, t.KeyUsage) }))
	}
	if p := t.PrivateKeyUsagePeriod; p != nil {
		errs = append(errs, add(OIDExtPrivateKeyUsagePeriod, false, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if !p.NotBefore.IsZero() {
					b.AddASN1(implicit(0), func(b *cryptobyte.Builder) {
						b.AddBytes([]byte(p.NotBefore.UTC().Format("20060102150405Z")))
					})
				}
				if !p.NotAfter.IsZero() {
					b.AddASN1(implicit(1), func(b *cryptobyte.Builder) {
						b.AddBytes([]byte(p.NotAfter.UTC().Format("20060102150405Z")))
					})
				}
			})
		}))
	}
	if t.BasicConstraints {
		errs = append(errs, add(OIDExtBasicConstraints, true, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if t.IsCA {
					b.AddASN1Boolean(true)
					if t.MaxPathLen >= 0 {
						b.AddASN1Int64(int64(t.MaxPathLen))
					}
				}
			})
		}))
	}
	if len(t.ExtKeyUsage) > 0 {
		errs = append(errs, add(OIDExtExtendedKeyUsage, false, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, o := range t.ExtKeyUsage {
					b.AddASN1ObjectIdentifier(o)
				}
			})
		}))
	}
	if len(t.CRLDistributionPoints) > 0 {
		errs = append(errs, add(OIDExtCRLDistributionPoints, false, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, u := range t.CRLDistributionPoints {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1(tagged(0), func(b *cryptobyte.Builder) {
							b.AddASN1(tagged(0), func(b *cryptobyte.Builder) {
								b.AddASN1(implicit(6), func(b *cryptobyte.Builder) { b.AddBytes([]byte(u)) })
							})
						})
					})
				}
			})
		}))
	}
	if t.DocumentTypes != nil {
		var types [][]byte
		for _, d := range t.DocumentTypes {
			if len(d) < 1 || len(d) > 2 || !isPrintable(d) {
				return nil, fmt.Errorf("pki: document type %q is not 1 or 2 printable characters", d)
			}
			e, _ := build(func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(d)) })
			})
			types = append(types, e)
		}
		errs = append(errs, add(OIDExtDocumentTypeList, false, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(0)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(derSetOf(types)) })
			})
		}))
	}
	if t.NameChange {
		errs = append(errs, add(OIDExtNameChange, false, func(b *cryptobyte.Builder) { b.AddASN1NULL() }))
	}
	exts = append(exts, t.ExtraExtensions...)
	return exts, errors.Join(errs...)
}

// addKeyUsage writes the KeyUsage BIT STRING with trailing zero bits
// removed (DER, X.690 §11.2.2).
func addKeyUsage(b *cryptobyte.Builder, ku x509.KeyUsage) {
	n := 0
	for i := 0; i < 9; i++ {
		if ku&(1<<uint(i)) != 0 {
			n = i + 1
		}
	}
	nb := (n + 7) / 8
	v := make([]byte, 1+nb)
	v[0] = byte(nb*8 - n)
	for i := 0; i < n; i++ {
		if ku&(1<<uint(i)) != 0 {
			v[1+i/8] |= 0x80 >> uint(i%8)
		}
	}
	b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) { b.AddBytes(v) })
}
