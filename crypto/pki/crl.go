package pki

import (
	"crypto"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// RevokedCertificate is one entry of a CRL.
type RevokedCertificate struct {
	SerialNumber   *big.Int
	RevocationTime time.Time
	Extensions     []Extension
}

// CRL is an X.509 certificate revocation list (RFC 5280 §5), as a CSCA
// issues it (Doc 9303 Part 12 §7.1.4).
type CRL struct {
	Raw, RawTBS           []byte
	Version               int // 1 or 2
	TBSSignatureAlgorithm []byte
	Issuer                Name
	ThisUpdate            time.Time
	NextUpdate            time.Time // zero when absent
	Revoked               []RevokedCertificate
	Extensions            []Extension
	AuthorityKeyID        []byte
	Number                *big.Int // CRL number, nil when absent
	SignatureAlgorithm    SignatureAlgorithm
	Signature             []byte
}

// ParseCRL parses a DER (or one PEM "X509 CRL" block) CRL of at most
// MaxCRLSize bytes.
func ParseCRL(der []byte) (*CRL, error) {
	const kind = "CRL"
	if len(der) > MaxCRLSize {
		return nil, &ParseError{Kind: kind, Err: ErrTooLarge}
	}
	if blk, _ := pem.Decode(der); blk != nil && blk.Type == "X509 CRL" {
		der = blk.Bytes
	}
	l := &CRL{}
	s := cryptobyte.String(der)
	var raw, body, tbs, t cryptobyte.String
	if !s.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "CertificateList")
	}
	if len(s) != 0 {
		return nil, &ParseError{Kind: kind, Err: ErrTrailingData}
	}
	l.Raw = raw
	if !raw.ReadASN1(&body, cbasn1.SEQUENCE) || !body.ReadASN1Element(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "tbsCertList")
	}
	l.RawTBS = tbs
	var araw, params []byte
	var oid asn1.ObjectIdentifier
	if !readAlgorithmIdentifier(&body, &araw, &oid, &params) {
		return nil, malformed(kind, "signatureAlgorithm")
	}
	l.SignatureAlgorithm = parseSignatureAlgorithm(araw, oid, params)
	var sig asn1.BitString
	if !body.ReadASN1BitString(&sig) || sig.BitLength%8 != 0 || len(body) != 0 {
		return nil, malformed(kind, "signatureValue")
	}
	l.Signature = sig.Bytes
	if !tbs.ReadASN1(&t, cbasn1.SEQUENCE) {
		return nil, malformed(kind, "tbsCertList")
	}
	l.Version = 1
	if t.PeekASN1Tag(cbasn1.INTEGER) {
		var v int64
		if !t.ReadASN1Int64WithTag(&v, cbasn1.INTEGER) {
			return nil, malformed(kind, "version")
		}
		if v != 1 {
			return nil, &ParseError{Kind: kind, Field: "version", Err: ErrUnsupportedVersion}
		}
		l.Version = 2
	}
	if !readAlgorithmIdentifier(&t, &l.TBSSignatureAlgorithm, &oid, &params) {
		return nil, malformed(kind, "signature")
	}
	if !parseName(&t, &l.Issuer) || !readTime(&t, &l.ThisUpdate) {
		return nil, malformed(kind, "issuer/thisUpdate")
	}
	if t.PeekASN1Tag(cbasn1.UTCTime) || t.PeekASN1Tag(cbasn1.GeneralizedTime) {
		if !readTime(&t, &l.NextUpdate) {
			return nil, malformed(kind, "nextUpdate")
		}
	}
	if t.PeekASN1Tag(cbasn1.SEQUENCE) {
		var rev cryptobyte.String
		if !t.ReadASN1(&rev, cbasn1.SEQUENCE) {
			return nil, malformed(kind, "revokedCertificates")
		}
		for len(rev) > 0 {
			var e cryptobyte.String
			r := RevokedCertificate{SerialNumber: new(big.Int)}
			if !rev.ReadASN1(&e, cbasn1.SEQUENCE) || !e.ReadASN1Integer(r.SerialNumber) || !readTime(&e, &r.RevocationTime) {
				return nil, malformed(kind, "revoked certificate")
			}
			if len(e) > 0 {
				if l.Version != 2 {
					return nil, malformed(kind, "entry extensions in a v1 CRL")
				}
				exts, err := readExtensions(e, kind)
				if err != nil {
					return nil, err
				}
				r.Extensions = exts
			}
			l.Revoked = append(l.Revoked, r)
		}
	}
	var exts cryptobyte.String
	var present bool
	if !t.ReadOptionalASN1(&exts, &present, tagged(0)) || len(t) != 0 {
		return nil, malformed(kind, "crlExtensions")
	}
	if present {
		if l.Version != 2 {
			return nil, malformed(kind, "extensions in a v1 CRL")
		}
		list, err := readExtensions(exts, kind)
		if err != nil {
			return nil, err
		}
		l.Extensions = list
		for _, e := range list {
			v := cryptobyte.String(e.Value)
			switch {
			case e.OID.Equal(OIDExtAuthorityKeyID):
				var seq, id cryptobyte.String
				if !v.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadOptionalASN1(&id, &present, implicit(0)) {
					return nil, malformed(kind, "authority key identifier")
				}
				if present {
					l.AuthorityKeyID = id
				}
			case e.OID.Equal(OIDExtCRLNumber):
				l.Number = new(big.Int)
				if !v.ReadASN1Integer(l.Number) || len(v) != 0 {
					return nil, malformed(kind, "CRL number")
				}
			}
		}
	}
	return l, nil
}

// CheckSignatureFrom verifies that issuer signed the CRL: names match,
// key identifiers agree when present, and the signature verifies.
func (l *CRL) CheckSignatureFrom(issuer *Certificate) error {
	if !l.Issuer.Equal(issuer.Subject) {
		return ErrNameMismatch
	}
	if l.AuthorityKeyID != nil && issuer.SubjectKeyID != nil && string(l.AuthorityKeyID) != string(issuer.SubjectKeyID) {
		return ErrNameMismatch
	}
	if string(l.TBSSignatureAlgorithm) != string(l.SignatureAlgorithm.Raw) {
		return ErrBadSignature
	}
	return issuer.CheckSignature(l.SignatureAlgorithm, l.RawTBS, l.Signature)
}

// IsRevoked reports whether serial is listed.
func (l *CRL) IsRevoked(serial *big.Int) (RevokedCertificate, bool) {
	for _, r := range l.Revoked {
		if r.SerialNumber.Cmp(serial) == 0 {
			return r, true
		}
	}
	return RevokedCertificate{}, false
}

// CRLTemplate describes a CRL for CreateCRL.
type CRLTemplate struct {
	Number                 *big.Int
	ThisUpdate, NextUpdate time.Time
	Revoked                []RevokedCertificate
}

// CreateCRL builds and signs a v2 CRL issued by issuer (whose key signer
// holds), with the authority key identifier and CRL number extensions
// that Doc 9303 Part 12 §7.1.4 requires.
func CreateCRL(tmpl *CRLTemplate, issuer *Certificate, signer crypto.Signer, config *SignConfig) ([]byte, error) {
	if tmpl.Number == nil || tmpl.Number.Sign() < 0 {
		return nil, errors.New("pki: CRL number must be non-negative")
	}
	algRaw, err := algorithmFor(signer, config)
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddBytes(algRaw)
		b.AddBytes(issuer.Subject.Raw)
		addTime(b, tmpl.ThisUpdate)
		if !tmpl.NextUpdate.IsZero() {
			addTime(b, tmpl.NextUpdate)
		}
		if len(tmpl.Revoked) > 0 {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, r := range tmpl.Revoked {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1BigInt(r.SerialNumber)
						addTime(b, r.RevocationTime)
						if len(r.Extensions) > 0 {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
								for _, e := range r.Extensions {
									addExtension(b, e)
								}
							})
						}
					})
				}
			})
		}
		b.AddASN1(tagged(0), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if issuer.SubjectKeyID != nil {
					aki, _ := build(func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1(implicit(0), func(b *cryptobyte.Builder) { b.AddBytes(issuer.SubjectKeyID) })
						})
					})
					addExtension(b, Extension{OID: OIDExtAuthorityKeyID, Value: aki})
				}
				num, _ := build(func(b *cryptobyte.Builder) { b.AddASN1BigInt(tmpl.Number) })
				addExtension(b, Extension{OID: OIDExtCRLNumber, Value: num})
			})
		})
	})
	tbs, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return signTBS(tbs, algRaw, signer, config)
}
