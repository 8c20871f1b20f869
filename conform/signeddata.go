package conform

import (
	"crypto"
	"encoding/asn1"
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/tlv"
)

// OIDSecurityObject is id-SecurityObject (BSI TR-03110-3 §A.1.2.5), the
// eContentType of EF.CardSecurity.
var OIDSecurityObject = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 2, 1}

// allowedDigest reports whether Doc 9303-12 §4.1.6 permits h.
func allowedDigest(h crypto.Hash) bool {
	switch h {
	case crypto.SHA224, crypto.SHA256, crypto.SHA384, crypto.SHA512:
		return true
	}
	return false
}

func digestName(h crypto.Hash, oid asn1.ObjectIdentifier) string {
	if h != 0 {
		return h.String()
	}
	switch oid.String() {
	case "1.2.840.113549.2.5":
		return "MD5"
	case "1.2.840.113549.2.2":
		return "MD2"
	}
	return oid.String()
}

// rawDigestAlgorithms reads the OIDs of the digestAlgorithms SET of a DER
// ContentInfo (the parsed SignedData maps unknown OIDs to 0).
func rawDigestAlgorithms(ci []byte) ([]asn1.ObjectIdentifier, bool) {
	s := cryptobyte.String(ci)
	var seq, content, body, set cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.SkipASN1(cbasn1.OBJECT_IDENTIFIER) ||
		!seq.ReadASN1(&content, tagged(0)) || !content.ReadASN1(&body, cbasn1.SEQUENCE) ||
		!body.SkipASN1(cbasn1.INTEGER) || !body.ReadASN1(&set, cbasn1.SET) {
		return nil, false
	}
	var out []asn1.ObjectIdentifier
	for len(set) > 0 {
		var alg cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !set.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
			return nil, false
		}
		out = append(out, oid)
		if len(out) > 64 {
			return nil, false
		}
	}
	return out, true
}

// CheckSignedData checks a SignedData against the profile of EF.SOD
// (Doc 9303-10 §4.6.2.1, RFC 5652 §5), which EF.CardSecurity and the
// signed lists of Doc 9303-12 share: version, digestAlgorithms, signer
// identifier and SignerInfo version, the signer's certificate in the
// certificates field, signed attributes, the content type. object names
// the file or list, contentType the eContentType it must have.
func CheckSignedData(sd *pki.SignedData, object string, contentType asn1.ObjectIdentifier) []Finding {
	if sd == nil {
		return nil
	}
	r := &report{object: object}
	if sd.Version != 3 {
		r.add(SignedDataVersion, -1, "SignedData version %d", sd.Version)
	}
	if contentType != nil && !sd.ContentType.Equal(contentType) {
		r.add(SignedDataContentType, -1, "eContentType %s", sd.ContentType)
	}
	if len(sd.CRLs) > 0 {
		r.add(SignedDataCRLs, -1, "crls field holds %d entries", len(sd.CRLs))
	}
	if len(sd.SignerInfos) != 1 {
		r.add(SignedDataSigners, -1, "%d SignerInfos", len(sd.SignerInfos))
	}
	// digestAlgorithms, by OID.
	oids, ok := rawDigestAlgorithms(sd.Raw)
	if !ok || sd.BER {
		oids = nil
		for _, h := range sd.DigestAlgorithms {
			oids = append(oids, pki.HashOID(h))
		}
	}
	for i, oid := range oids {
		h := pki.HashFromOID(oid)
		if oid == nil {
			h = sd.DigestAlgorithms[i]
		}
		if !allowedDigest(h) {
			r.add(SignedDataAlgorithm, -1, "digestAlgorithms names %s", digestName(h, oid))
		}
	}
	for _, si := range sd.SignerInfos {
		inSet := false
		for _, oid := range oids {
			if oid.Equal(si.DigestAlgorithmOID) {
				inSet = true
			}
		}
		if !inSet {
			r.add(SignedDataDigestAlgorithms, -1, "SignerInfo digests with %s, which digestAlgorithms does not name", digestName(si.DigestAlgorithm, si.DigestAlgorithmOID))
		}
		if !allowedDigest(si.DigestAlgorithm) {
			r.add(SignedDataAlgorithm, -1, "SignerInfo digestAlgorithm is %s", digestName(si.DigestAlgorithm, si.DigestAlgorithmOID))
		}
		want := 1
		if si.SubjectKeyID != nil {
			want = 3
		}
		if si.Version != want {
			sid := "issuerAndSerialNumber"
			if si.SubjectKeyID != nil {
				sid = "subjectKeyIdentifier"
			}
			r.add(SignerInfoVersion, -1, "SignerInfo version %d with %s (want %d)", si.Version, sid, want)
		}
		n := 0
		for _, c := range sd.Certificates {
			if si.Matches(c) {
				n++
			}
		}
		switch n {
		case 0:
			r.add(SignerCertificate, -1, "no certificate matches the signer identifier")
		case 1:
		default:
			r.add(SignerCertificate, -1, "%d certificates match the signer identifier", n)
		}
		switch {
		case si.RawSignedAttrs == nil:
			r.add(SignedAttributes, -1, "no signedAttrs")
		case si.ContentTypeAttr == nil:
			r.add(SignedAttributes, -1, "no content-type attribute")
		case si.MessageDigest == nil:
			r.add(SignedAttributes, -1, "no message-digest attribute")
		}
		if si.ContentTypeAttr != nil && !si.ContentTypeAttr.Equal(sd.ContentType) {
			r.add(SignedDataContentType, -1, "content-type attribute %s differs from eContentType", si.ContentTypeAttr)
		}
	}
	return r.out
}

// CheckSOD checks EF.SOD: its SignedData profile, the LDS Security Object
// and the Document Signer certificate it carries. A file that does not
// parse at all gives no finding here: passive authentication fails on it.
func CheckSOD(file []byte) []Finding {
	t, err := tlv.ParseOne(file)
	if err != nil || t.Tag != pki.SODTag {
		return nil
	}
	sd, err := pki.ParseSignedData(t.Value)
	if err != nil {
		return nil
	}
	out := CheckSignedData(sd, "EF.SOD", pki.OIDLDSSecurityObject)
	out = append(out, checkLDSSecurityObject(sd.Content)...)
	if len(sd.SignerInfos) > 0 {
		if c, err := sd.SignerCertificate(sd.SignerInfos[0]); err == nil {
			out = append(out, CheckCertificate(c, RoleDocumentSigner)...)
		}
	}
	return out
}

func checkLDSSecurityObject(content []byte) []Finding {
	r := &report{object: "EF.SOD"}
	if content == nil {
		return nil
	}
	lso, err := pki.ParseLDSSecurityObject(content)
	if err != nil {
		var pe *pki.ParseError
		if errors.As(err, &pe) {
			r.add(LDSSecurityObjectVersion, -1, "LDSSecurityObject does not parse: %v", pe.Err)
		}
		return r.out
	}
	if lso.Version == 1 && (len(lso.LDSVersion) != 4 || lso.LDSVersion < "0108" || !allDigits(lso.LDSVersion)) {
		r.add(LDSSecurityObjectVersion, -1, "v1 with LDS version %q (1.8 or later expected)", lso.LDSVersion)
	}
	h, known := lso.Hash()
	if !known || !allowedDigest(h) {
		r.add(SignedDataAlgorithm, -1, "LDSSecurityObject hashAlgorithm is %s", digestName(h, lso.HashAlgorithm))
	}
	has := map[int]bool{}
	for _, d := range lso.DataGroupHashes {
		has[d.DataGroup] = true
		if known && len(d.Hash) != h.Size() {
			r.add(LDSDataGroupHashes, -1, "DG%d hash of %d bytes for %s", d.DataGroup, len(d.Hash), h)
		}
	}
	for _, n := range []int{1, 2} {
		if !has[n] {
			r.add(LDSDataGroupHashes, -1, "DG%d is not hashed", n)
		}
	}
	return r.out
}
