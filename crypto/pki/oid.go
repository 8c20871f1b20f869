package pki

import "encoding/asn1"

// Object identifiers used by the ICAO PKI (Doc 9303 Part 10 §4.6.2, Part 12
// §9 and Appendix A), CMS (RFC 5652) and X.509 (RFC 5280, RFC 4055,
// RFC 5758, BSI TR-03111).
var (
	OIDData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	OIDSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}

	OIDAttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDAttrMessageDigest = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDAttrSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}

	// OIDLDSSecurityObject is id-icao-mrtd-security-ldsSecurityObject, the
	// eContentType of EF.SOD.
	OIDLDSSecurityObject = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	// OIDCSCAMasterList is id-icao-cscaMasterList.
	OIDCSCAMasterList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	// OIDCSCAMasterListSigningKey is the extended key usage of a master
	// list signer certificate.
	OIDCSCAMasterListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 3}
	// OIDExtNameChange is the ICAO name change extension of a CSCA link
	// certificate.
	OIDExtNameChange = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 1}
	// OIDExtDocumentTypeList is the ICAO document type list extension of a
	// document signer certificate.
	OIDExtDocumentTypeList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 6, 2}

	OIDRSAEncryption    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	OIDSHA1WithRSA      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	OIDSHA256WithRSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	OIDSHA384WithRSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	OIDSHA512WithRSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	OIDSHA224WithRSA    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	OIDRSASSAPSS        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	OIDMGF1             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	OIDECPublicKey      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	OIDECDSAWithSHA1    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	OIDECDSAWithSHA224  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	OIDECDSAWithSHA256  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	OIDECDSAWithSHA384  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	OIDECDSAWithSHA512  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECDSAPlainPrefix = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1}
	OIDSHA1             = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	OIDSHA256           = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDSHA384           = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	OIDSHA512           = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	OIDSHA224           = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	oidNamedCurveP224   = asn1.ObjectIdentifier{1, 3, 132, 0, 33}
	oidNamedCurveP256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidNamedCurveP384   = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidNamedCurveP521   = asn1.ObjectIdentifier{1, 3, 132, 0, 35}

	OIDExtSubjectKeyID          = asn1.ObjectIdentifier{2, 5, 29, 14}
	OIDExtKeyUsage              = asn1.ObjectIdentifier{2, 5, 29, 15}
	OIDExtPrivateKeyUsagePeriod = asn1.ObjectIdentifier{2, 5, 29, 16}
	OIDExtSubjectAltName        = asn1.ObjectIdentifier{2, 5, 29, 17}
	OIDExtIssuerAltName         = asn1.ObjectIdentifier{2, 5, 29, 18}
	OIDExtBasicConstraints      = asn1.ObjectIdentifier{2, 5, 29, 19}
	OIDExtCRLNumber             = asn1.ObjectIdentifier{2, 5, 29, 20}
	OIDExtCRLDistributionPoints = asn1.ObjectIdentifier{2, 5, 29, 31}
	OIDExtCertificatePolicies   = asn1.ObjectIdentifier{2, 5, 29, 32}
	OIDExtAuthorityKeyID        = asn1.ObjectIdentifier{2, 5, 29, 35}
	OIDExtExtendedKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
)
