package pki

import (
	"crypto"
	"encoding/asn1"
	"errors"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignedDataConfig configures how SignSignedData (and SignSOD, NewSOD,
// CreateMasterList) build and sign the SignedData. A nil
// *SignedDataConfig means every default.
type SignedDataConfig struct {
	SignConfig
	// SigningTime adds the signing-time attribute when not zero; zero (the
	// default) leaves it out. It is the object's attribute, not "now".
	SigningTime time.Time
	// UseSubjectKeyID identifies the signer by [0] subjectKeyIdentifier
	// (SignerInfo version 3) instead of issuerAndSerialNumber (version 1,
	// the form ICAO Doc 9303 Part 10 recommends, the default).
	UseSubjectKeyID bool
	// OmitCertificate leaves the signer certificate out of the
	// certificates field (ICAO requires it in EF.SOD); default: included.
	OmitCertificate bool
	// ExtraCertificates are DER certificates added after the signer's
	// (default: none).
	ExtraCertificates [][]byte
}

// SignSignedData builds a DER ContentInfo with a SignedData that
// encapsulates content of type contentType, signed by signer whose
// certificate is cert. The signed attributes are content-type,
// message-digest and, when config.SigningTime is set, signing-time, sorted
// as DER requires. The output is the same bytes for the same key, content
// and time when the signature is deterministic (RSA PKCS #1 v1.5, ECDSA
// with a nil config.Rand).
func SignSignedData(content []byte, contentType asn1.ObjectIdentifier, signer crypto.Signer, cert *Certificate, config *SignedDataConfig) ([]byte, error) {
	if config == nil {
		config = &SignedDataConfig{}
	}
	if cert == nil {
		return nil, errors.New("pki: SignSignedData needs the signer certificate")
	}
	if config.UseSubjectKeyID && cert.SubjectKeyID == nil {
		return nil, errors.New("pki: signer certificate has no subject key identifier")
	}
	h := config.hash()
	if !h.Available() || HashOID(h) == nil {
		return nil, &ParseError{Kind: "SignedData", Field: "hash", Err: ErrUnsupportedAlgorithm}
	}
	d := h.New()
	d.Write(content)
	digest := d.Sum(nil)

	var attrs [][]byte
	addAttr := func(oid asn1.ObjectIdentifier, value func(b *cryptobyte.Builder)) error {
		a, err := build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oid)
				b.AddASN1(cbasn1.SET, value)
			})
		})
		attrs = append(attrs, a)
		return err
	}
	err := errors.Join(
		addAttr(OIDAttrContentType, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(contentType) }),
		addAttr(OIDAttrMessageDigest, func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest) }),
	)
	if !config.SigningTime.IsZero() {
		err = errors.Join(err, addAttr(OIDAttrSigningTime, func(b *cryptobyte.Builder) { addTime(b, config.SigningTime) }))
	}
	if err != nil {
		return nil, err
	}
	setOf := derSetOf(attrs)
	signedAttrs, err := build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(setOf) })
	})
	if err != nil {
		return nil, err
	}
	alg, sig, err := signMessage(signer, &config.SignConfig, signedAttrs)
	if err != nil {
		return nil, err
	}
	signedAttrs[0] = 0xA0 // [0] IMPLICIT in the SignerInfo

	sdVersion, siVersion := int64(1), int64(1)
	if config.UseSubjectKeyID {
		siVersion = 3
	}
	if config.UseSubjectKeyID || !contentType.Equal(OIDData) {
		sdVersion = 3
	}
	var certs [][]byte
	if !config.OmitCertificate {
		certs = append(certs, cert.Raw)
	}
	certs = append(certs, config.ExtraCertificates...)

	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(OIDSignedData)
		b.AddASN1(tagged(0), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(sdVersion)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { addHashAlgorithm(b, h, false) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(contentType)
					b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { b.AddASN1OctetString(content) })
				})
				if len(certs) > 0 {
					b.AddASN1(tagged(0), func(b *cryptobyte.Builder) { b.AddBytes(derSetOf(certs)) })
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1Int64(siVersion)
						if config.UseSubjectKeyID {
							b.AddASN1(implicit(0), func(b *cryptobyte.Builder) { b.AddBytes(cert.SubjectKeyID) })
						} else {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
								b.AddBytes(cert.Issuer.Raw)
								b.AddASN1BigInt(cert.SerialNumber)
							})
						}
						addHashAlgorithm(b, h, false)
						b.AddBytes(signedAttrs)
						b.AddBytes(alg.Raw)
						b.AddASN1OctetString(sig)
					})
				})
			})
		})
	})
	return b.Bytes()
}
