package conform

// The rules this package checks, one per requirement. Their IDs are stable:
// deviation lists, policies and tests refer to them. Security is set for
// rules whose breach bears on what passive authentication and the opening
// of the chip prove (the algorithms, the signer's identity, the binding of
// DG1 to the chip that was opened, the signed EF.CardSecurity against the
// unsigned EF.CardAccess); the others are encoding rules.

// Certificates of the eMRTD PKI: ICAO Doc 9303-12 §7.1.1 (Tables 5 and 6)
// and RFC 5280.
var (
	CertVersion = Rule{ID: "cert.version", Source: "ICAO Doc 9303-12 §7.1.1 Table 5",
		Text: "certificates are X.509 version 3"}
	CertSerialNumber = Rule{ID: "cert.serial-number", Source: "ICAO Doc 9303-12 §7.1.1 Table 5; RFC 5280 §4.1.2.2",
		Text: "the serial number is a positive integer of at most 20 octets"}
	CertSignatureAlgorithm = Rule{ID: "cert.signature-algorithm", Source: "RFC 5280 §4.1.1.2",
		Text: "the signature field of tbsCertificate equals signatureAlgorithm"}
	CertValidity = Rule{ID: "cert.validity-encoding", Source: "ICAO Doc 9303-12 §7.1.1 Table 5; RFC 5280 §4.1.2.5",
		Text: "validity dates through 2049 are UTCTime, from 2050 GeneralizedTime, with seconds and Z"}
	CertUniqueIdentifiers = Rule{ID: "cert.unique-identifiers", Source: "ICAO Doc 9303-12 §7.1.1 Table 5",
		Text: "issuerUniqueID and subjectUniqueID are not used"}
	CertCountry = Rule{ID: "cert.country", Source: "ICAO Doc 9303-12 §7.1.1 Table 5, §7.1.1.1",
		Text: "issuer and subject hold countryName as an upper-case two-letter PrintableString, the same in both; serialNumber is PrintableString"}
	CertCommonName = Rule{ID: "cert.common-name", Source: "ICAO Doc 9303-12 §7.1.1.1",
		Text: "issuer and subject hold commonName"}
	CertAuthorityKeyID = Rule{ID: "cert.authority-key-id", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "authorityKeyIdentifier with keyIdentifier, non-critical: mandatory except in a self-signed CSCA"}
	CertSubjectKeyID = Rule{ID: "cert.subject-key-id", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "subjectKeyIdentifier, non-critical: mandatory in CSCA and link certificates"}
	CertKeyUsage = Rule{ID: "cert.key-usage", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "keyUsage is present and critical: keyCertSign and cRLSign for a CSCA, digitalSignature (and no CA usage) for signers"}
	CertPrivateKeyUsagePeriod = Rule{ID: "cert.private-key-usage-period", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "privateKeyUsagePeriod, non-critical, with notBefore or notAfter: mandatory in CSCA, link and Document Signer certificates"}
	CertAltNames = Rule{ID: "cert.alt-names", Source: "ICAO Doc 9303-12 §7.1.1 Table 6, §7.1.1.2",
		Text: "subjectAltName and issuerAltName are present, non-critical, each with a directoryName holding localityName"}
	CertBasicConstraints = Rule{ID: "cert.basic-constraints", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "basicConstraints is critical with cA TRUE and pathLenConstraint 0 in CSCA and link certificates, absent in others"}
	CertExtKeyUsage = Rule{ID: "cert.ext-key-usage", Source: "ICAO Doc 9303-12 §7.1.1 Table 6, §7.1.1.3",
		Text: "extKeyUsage is absent from CSCA, link and Document Signer certificates, critical with the list's OID in list signers"}
	CertCRLDistributionPoints = Rule{ID: "cert.crl-distribution-points", Source: "ICAO Doc 9303-12 §7.1.1 Table 6, §7.1.1.4",
		Text: "cRLDistributionPoints is present, non-critical, with ldap, http or https URIs"}
	CertDocumentTypeList = Rule{ID: "cert.document-type-list", Source: "ICAO Doc 9303-12 §7.1.1 Table 6, §7.1.1.6",
		Text: "a Document Signer certificate holds a non-critical DocumentTypeList; other certificates do not"}
	CertForbiddenExtension = Rule{ID: "cert.forbidden-extension", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "no policyMappings, subjectDirectoryAttributes, nameConstraints, policyConstraints, freshestCRL, Netscape certificate type; NameChange only in CSCA certificates"}
	CertUnknownCritical = Rule{ID: "cert.unknown-critical-extension", Source: "RFC 5280 §4.2; ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "no critical extension outside the profile"}
	CertNonCritical = Rule{ID: "cert.criticality", Source: "ICAO Doc 9303-12 §7.1.1 Table 6",
		Text: "extensions the profile marks non-critical are not critical"}
	// DSDocumentType is the DocumentTypeList of the Document Signer
	// against the document it signed.
	DSDocumentType = Rule{ID: "ds.document-type", Source: "ICAO Doc 9303-12 §7.1.1.6", Security: true,
		Text: "the Document Signer's DocumentTypeList allows the document code of DG1"}
)

// CRLs of a CSCA: ICAO Doc 9303-12 §7.1.4 (Tables 9 and 10) and RFC 5280.
var (
	CRLVersion = Rule{ID: "crl.version", Source: "ICAO Doc 9303-12 §7.1.4 Table 9",
		Text: "CRLs are version 2"}
	CRLSignatureAlgorithm = Rule{ID: "crl.signature-algorithm", Source: "ICAO Doc 9303-12 §7.1.4 Table 9; RFC 5280 §5.1.2.2",
		Text: "the signature field of tbsCertList equals signatureAlgorithm"}
	CRLTimeEncoding = Rule{ID: "crl.time-encoding", Source: "ICAO Doc 9303-12 §7.1.4 Table 9; RFC 5280 §5.1.2.4",
		Text: "thisUpdate and nextUpdate through 2049 are UTCTime, from 2050 GeneralizedTime, with seconds and Z"}
	CRLNextUpdate = Rule{ID: "crl.next-update", Source: "ICAO Doc 9303-12 §7.1.4 Table 9",
		Text: "nextUpdate is present"}
	CRLRevokedCertificates = Rule{ID: "crl.revoked-certificates", Source: "ICAO Doc 9303-12 §7.1.4 Table 9",
		Text: "revokedCertificates is absent when nothing is revoked, never empty"}
	CRLIssuerCountry = Rule{ID: "crl.issuer-country", Source: "ICAO Doc 9303-12 §7.1.4 Table 9",
		Text: "the issuer's countryName is an upper-case two-letter PrintableString"}
	CRLAuthorityKeyID = Rule{ID: "crl.authority-key-id", Source: "ICAO Doc 9303-12 §7.1.4 Table 10",
		Text: "authorityKeyIdentifier is present, non-critical, equal to the issuer's subjectKeyIdentifier"}
	CRLNumber = Rule{ID: "crl.number", Source: "ICAO Doc 9303-12 §7.1.4 Table 10",
		Text: "cRLNumber is present, non-critical, a non-negative integer of at most 20 octets"}
	CRLForbiddenExtension = Rule{ID: "crl.forbidden-extension", Source: "ICAO Doc 9303-12 §7.1.4 Table 10",
		Text: "no deltaCRLIndicator, issuingDistributionPoint, freshestCRL; no reasonCode, holdInstructionCode, invalidityDate, certificateIssuer entry extensions; other extensions non-critical"}
)

// The SignedData of EF.SOD (ICAO Doc 9303-10 §4.6.2, RFC 5652), also
// applied to EF.CardSecurity and to signed lists.
var (
	SignedDataVersion = Rule{ID: "sod.signed-data-version", Source: "ICAO Doc 9303-10 §4.6.2.1; RFC 5652 §5.1",
		Text: "SignedData is version 3"}
	SignedDataDigestAlgorithms = Rule{ID: "sod.digest-algorithms", Source: "RFC 5652 §5.1; ICAO Doc 9303-10 §4.6.2.1", Security: true,
		Text: "digestAlgorithms names the digest algorithm of every SignerInfo"}
	SignedDataAlgorithm = Rule{ID: "sod.algorithm", Source: "ICAO Doc 9303-12 §4.1.6", Security: true,
		Text: "every digest algorithm (digestAlgorithms, SignerInfo, LDS Security Object) is SHA-224, SHA-256, SHA-384 or SHA-512"}
	SignerInfoVersion = Rule{ID: "sod.signer-info-version", Source: "RFC 5652 §5.3; ICAO Doc 9303-10 §4.6.2.1", Security: true,
		Text: "SignerInfo version is 1 with issuerAndSerialNumber, 3 with subjectKeyIdentifier"}
	SignerCertificate = Rule{ID: "sod.signer-certificate", Source: "ICAO Doc 9303-10 §4.6.2.1; RFC 5652 §5.3", Security: true,
		Text: "the certificates field holds the certificate the signer identifier names, once"}
	SignedAttributes = Rule{ID: "sod.signed-attributes", Source: "RFC 5652 §5.3, §11.1, §11.2; ICAO Doc 9303-10 §4.6.2.1",
		Text: "signedAttrs are present with content-type and message-digest"}
	SignedDataContentType = Rule{ID: "sod.content-type", Source: "ICAO Doc 9303-10 §4.6.2.1", Security: true,
		Text: "eContentType is the object's type (id-icao-mrtd-security-ldsSecurityObject for EF.SOD) and the content-type attribute equals it"}
	SignedDataCRLs = Rule{ID: "sod.crls", Source: "ICAO Doc 9303-10 §4.6.2.1",
		Text: "the crls field is not used"}
	SignedDataSigners = Rule{ID: "sod.signer-infos", Source: "ICAO Doc 9303-10 §4.6.2.1",
		Text: "there is exactly one SignerInfo"}
	LDSSecurityObjectVersion = Rule{ID: "sod.lds-security-object-version", Source: "ICAO Doc 9303-10 §4.6.2.2",
		Text: "LDSSecurityObject is v0 without LDSVersionInfo, or v1 with it"}
	LDSDataGroupHashes = Rule{ID: "sod.data-group-hashes", Source: "ICAO Doc 9303-10 §4.6.2.2, §4.7",
		Text: "the hashes are of the algorithm's size, and DG1 and DG2 are hashed"}
)

// The LDS: ICAO Doc 9303-10 §4.6, §4.7, Doc 9303-3/4/5 for the MRZ, ISO/IEC
// 19794-5 for DG2, Doc 9303-11 for EF.CardAccess, EF.CardSecurity and DG14.
var (
	COMLDSVersion = Rule{ID: "com.lds-version", Source: "ICAO Doc 9303-10 §4.6.1",
		Text: "the LDS version is 0107 or 0108"}
	COMUnicodeVersion = Rule{ID: "com.unicode-version", Source: "ICAO Doc 9303-10 §4.6.1",
		Text: "the Unicode version is 040000"}
	COMTagList = Rule{ID: "com.tag-list", Source: "ICAO Doc 9303-10 §4.6.1",
		Text: "the tag list names exactly the data groups hashed in EF.SOD"}

	DG1Format = Rule{ID: "dg1.format", Source: "ICAO Doc 9303-10 §4.7.1; ICAO Doc 9303-3 §4",
		Text: "DG1 holds one MRZ of a Doc 9303 format in the MRZ character set"}
	DG1DocumentCode = Rule{ID: "dg1.document-code", Source: "ICAO Doc 9303-4 §4.2.2; ICAO Doc 9303-5 §4.2.2; ICAO Doc 9303-6 §4.2.2",
		Text: "the document code is P for TD3, A, C or I for TD1/TD2, V for visas; its second character is a letter or filler, not V"}
	DG1Sex = Rule{ID: "dg1.sex", Source: "ICAO Doc 9303-4 §4.2.2; ICAO Doc 9303-5 §4.2.2",
		Text: "sex is F, M or < (unspecified)"}
	DG1Name = Rule{ID: "dg1.name", Source: "ICAO Doc 9303-3 §4.6",
		Text: "the name field holds letters and fillers only, with a primary identifier first"}
	DG1DocumentNumber = Rule{ID: "dg1.document-number", Source: "ICAO Doc 9303-4 §4.2.2; ICAO Doc 9303-5 §4.2.4",
		Text: "the document number is letters and digits, without fillers inside"}
	DG1StateCodes = Rule{ID: "dg1.state-codes", Source: "ICAO Doc 9303-3 §5",
		Text: "issuing state and nationality are codes of letters padded with fillers"}
	DG1Dates = Rule{ID: "dg1.dates", Source: "ICAO Doc 9303-3 §4.4",
		Text: "date of birth and date of expiry are valid YYMMDD dates (unknown birth date parts as fillers)"}
	DG1CheckDigits = Rule{ID: "dg1.check-digits", Source: "ICAO Doc 9303-3 §4.9",
		Text: "every check digit matches its field"}
	DG1OpeningKey = Rule{ID: "dg1.opening-key", Source: "ICAO Doc 9303-11 §4.3, §9.7.2", Security: true,
		Text: "DG1's document number, date of birth and date of expiry are those of the MRZ key the chip was opened with"}
	DG1PrintedMRZ = Rule{ID: "dg1.printed-mrz", Source: "ICAO Doc 9303-10 §4.7.1", Security: true,
		Text: "DG1 is the MRZ printed on the document"}

	DG2FormatIdentifier = Rule{ID: "dg2.format-identifier", Source: "ISO/IEC 19794-5:2005 §5.4.1; ICAO Doc 9303-10 §4.7.2",
		Text: "the face record starts with the format identifier 'FAC' 00"}
	DG2Version = Rule{ID: "dg2.version", Source: "ISO/IEC 19794-5:2005 §5.4.2; ICAO Doc 9303-10 §4.7.2",
		Text: "the face record version is '010' 00"}
	DG2Lengths = Rule{ID: "dg2.lengths", Source: "ISO/IEC 19794-5:2005 §5.4.3, §5.4.4, §5.5.1",
		Text: "the record length equals the record, the number of facial images is at least 1 and the blocks fill the record exactly"}
	DG2Header = Rule{ID: "dg2.biometric-header", Source: "ICAO Doc 9303-10 §4.7.2; ISO/IEC 7816-11",
		Text: "each biometric header template names format owner 0101 (SC 37) and format type 0008 (face image)"}

	DG14CAKeyIDs = Rule{ID: "dg14.ca-key-ids", Source: "ICAO Doc 9303-11 §9.2.5; BSI TR-03110-3 §A.1.1.2",
		Text: "with several Chip Authentication keys each has a distinct keyId, and every ChipAuthenticationInfo names a key present"}
	DG14AAInfo = Rule{ID: "dg14.aa-info", Source: "ICAO Doc 9303-11 §6.1",
		Text: "with an ECDSA Active Authentication key in DG15, DG14 holds an ActiveAuthenticationInfo naming its signature algorithm"}
	SecurityInfosDER = Rule{ID: "secinfos.der", Source: "ICAO Doc 9303-11 §9.2; ITU-T X.690 §11.6",
		Text: "SecurityInfos are DER: the SET OF is sorted and nothing follows it"}
	CardSecurityCardAccess = Rule{ID: "cardsecurity.card-access", Source: "ICAO Doc 9303-11 §9.2.10; BSI TR-03110-3 §A.1.2", Security: true,
		Text: "every SecurityInfo of EF.CardAccess appears unchanged in EF.CardSecurity"}
	ATRInfoFormat = Rule{ID: "atrinfo.format", Source: "ICAO Doc 9303-10 §3.11.1; ISO/IEC 7816-4 §12.7.1",
		Text: "EF.ATR/INFO is a sequence of BER-TLV data objects; '7F66' holds two INTEGERs (maximum command and response lengths)"}
)

// Rules lists every rule of the package.
func Rules() []Rule {
	return []Rule{
		CertVersion, CertSerialNumber, CertSignatureAlgorithm, CertValidity, CertUniqueIdentifiers,
		CertCountry, CertCommonName, CertAuthorityKeyID, CertSubjectKeyID, CertKeyUsage,
		CertPrivateKeyUsagePeriod, CertAltNames, CertBasicConstraints, CertExtKeyUsage,
		CertCRLDistributionPoints, CertDocumentTypeList, CertForbiddenExtension, CertUnknownCritical,
		CertNonCritical, DSDocumentType,
		CRLVersion, CRLSignatureAlgorithm, CRLTimeEncoding, CRLNextUpdate, CRLRevokedCertificates,
		CRLIssuerCountry, CRLAuthorityKeyID, CRLNumber, CRLForbiddenExtension,
		SignedDataVersion, SignedDataDigestAlgorithms, SignedDataAlgorithm, SignerInfoVersion,
		SignerCertificate, SignedAttributes, SignedDataContentType, SignedDataCRLs, SignedDataSigners,
		LDSSecurityObjectVersion, LDSDataGroupHashes,
		COMLDSVersion, COMUnicodeVersion, COMTagList,
		DG1Format, DG1DocumentCode, DG1Sex, DG1Name, DG1DocumentNumber, DG1StateCodes, DG1Dates,
		DG1CheckDigits, DG1OpeningKey, DG1PrintedMRZ,
		DG2FormatIdentifier, DG2Version, DG2Lengths, DG2Header,
		DG14CAKeyIDs, DG14AAInfo, SecurityInfosDER, CardSecurityCardAccess, ATRInfoFormat, LDSFile,
	}
}
