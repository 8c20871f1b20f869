package pki

import (
	"crypto"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MasterList is a CSCA Master List (Doc 9303 Part 12 §9): a SignedData of
// content type id-icao-cscaMasterList whose content is
//
//	CscaMasterList ::= SEQUENCE { version INTEGER (v0), certList SET OF Certificate }
//
// signed by a master list signer certificate that a CSCA issued.
type MasterList struct {
	SignedData   *SignedData
	Version      int
	Certificates []*Certificate
	// Signer is the master list signer certificate, Issuer the CSCA that
	// verified it, once Verified.
	Signer, Issuer *Certificate
	Verified       bool
	// Path is the signer's trust path, once checked.
	Path *Path
	// SelfContained is set when Issuer came from the list itself rather
	// than from a trust store given to VerifyMasterList: the list is then
	// consistent but its authenticity rests on how it was obtained.
	SelfContained bool
}

// ParseMasterList parses a master list of at most MaxMasterListSize bytes
// without verifying it.
func ParseMasterList(der []byte) (*MasterList, error) {
	const kind = "master list"
	sd, err := parseSignedData(der, MaxMasterListSize)
	if err != nil {
		return nil, err
	}
	if !sd.ContentType.Equal(OIDCSCAMasterList) {
		return nil, &ParseError{Kind: kind, Field: "eContentType " + sd.ContentType.String(), Err: ErrWrongContentType}
	}
	s := cryptobyte.String(sd.Content)
	var seq, set cryptobyte.String
	var ver int64
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || len(s) != 0 || !seq.ReadASN1Int64WithTag(&ver, cbasn1.INTEGER) ||
		!seq.ReadASN1(&set, cbasn1.SET) || len(seq) != 0 {
		return nil, malformed(kind, "CscaMasterList")
	}
	if ver != 0 {
		return nil, &ParseError{Kind: kind, Field: "version", Err: ErrUnsupportedVersion}
	}
	ml := &MasterList{SignedData: sd}
	for len(set) > 0 {
		c, err := readCertificate(&set)
		if err != nil {
			return nil, err
		}
		ml.Certificates = append(ml.Certificates, c)
	}
	return ml, nil
}

// VerifyMasterList parses a master list and verifies it on the trust path
// (VerifySignedData with RoleMasterListSigner): the signed attributes and
// the signature by the embedded signer certificate, and that certificate
// issued by a CSCA of trust, valid at the signing time (or at the time of
// verification, config.Time, when there is none), with the master list signer profile of Doc 9303-12 (key usage
// digitalSignature, extended key usage id-icao-cscaMasterListSigningKey,
// not a CA: CheckSignerRole), and not revoked by a verified CRL of trust.
// A Document Signer certificate cannot sign a master list.
//
// trust must not be nil: a list checked only against the CSCAs it contains
// proves nothing by itself (anyone can make one), so a nil trust gives an
// ErrSelfContainedMasterList error. A caller who obtained the list over an
// authenticated channel opts in with VerifySelfContainedMasterList.
func VerifyMasterList(der []byte, trust *TrustStore, config *VerifyConfig) (*MasterList, error) {
	return verifyMasterList(der, trust, config, false)
}

// VerifySelfContainedMasterList verifies a master list against the
// self-signed CSCAs it contains, with the same signer profile as
// VerifyMasterList, and marks the result SelfContained. Its authenticity
// rests entirely on how the list was obtained (from a national PKD over
// an authenticated channel, for instance): the caller opts in by calling
// this function.
func VerifySelfContainedMasterList(der []byte, config *VerifyConfig) (*MasterList, error) {
	return verifyMasterList(der, nil, config, true)
}

func verifyMasterList(der []byte, trust *TrustStore, config *VerifyConfig, selfContained bool) (*MasterList, error) {
	ml, err := ParseMasterList(der)
	if err != nil {
		return nil, err
	}
	if trust == nil {
		if !selfContained {
			return ml, &VerifyError{Check: CheckChain, Object: "master list", Err: fmt.Errorf(
				"%w: no trust store given (verify against a trust store holding the CSCA, or opt in with VerifySelfContainedMasterList)",
				ErrSelfContainedMasterList)}
		}
		trust = NewTrustStore()
		for _, c := range ml.Certificates {
			if c.IsSelfIssued() {
				trust.AddCSCA(c)
			}
		}
		ml.SelfContained = true
	}
	so, err := VerifySignedData(ml.SignedData, OIDCSCAMasterList, trust, RoleMasterListSigner, config)
	ml.Signer = so.Signer
	if so.Path != nil {
		ml.Issuer = so.Path.Anchor()
		ml.Path = so.Path
	}
	if err != nil {
		return ml, err
	}
	ml.Verified = true
	return ml, nil
}

// CreateMasterList builds and signs a CSCA master list holding certs.
func CreateMasterList(certs []*Certificate, signer crypto.Signer, signerCert *Certificate, config *SignedDataConfig) ([]byte, error) {
	raws := make([][]byte, len(certs))
	for i, c := range certs {
		raws[i] = c.Raw
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(derSetOf(raws)) })
	})
	content, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	return SignSignedData(content, OIDCSCAMasterList, signer, signerCert, config)
}
