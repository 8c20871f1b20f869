package secinfo

import "encoding/asn1"

// Object identifiers of BSI TR-03110-3 Appendix A.1.1 and A.2.1 (the bsi-de
// subtree), ICAO Doc 9303-11 §9.2 (PACE with Chip Authentication Mapping,
// Active Authentication), ICAO Doc 9303-1 §4.4 (id-EFDIR), BSI TR-03111
// §5.2.1.1 (plain ECDSA signatures) and ANSI X9.62/X9.42 (public keys and
// ECDSA signatures).
//
// The names follow the ASN.1 names of those documents with the constant
// parts left out: every AES protocol is AES-CBC-CMAC and every 3DES protocol
// is 3DES-CBC-CBC, so id-PACE-ECDH-GM-AES-CBC-CMAC-128 is
// OIDPACEECDHGMAES128. OIDName gives the full ASN.1 name back.
var (
	// bsi-de: itu-t(0) identified-organization(4) etsi(0) reserved(127)
	// etsi-identified-organization(0) 7.
	OIDBSIDE = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7}

	// id-ecc: bsi-de algorithms(1) 1 (BSI TR-03111 §5.1).
	OIDECC = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1}
	// ecdsa-plain-signatures: id-ecc signatures(4) 1 (BSI TR-03111 §5.2.1.1).
	OIDECDSAPlainSignatures = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1}
	OIDECDSAPlainSHA1       = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 1}
	OIDECDSAPlainSHA224     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 2}
	OIDECDSAPlainSHA256     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 3}
	OIDECDSAPlainSHA384     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 4}
	OIDECDSAPlainSHA512     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 5}
	OIDECDSAPlainRIPEMD160  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1, 6}

	// standardizedDomainParameters: bsi-de algorithms(1) 2 (TR-03110-3
	// A.2.1.1). In an AlgorithmIdentifier its parameter is the INTEGER ID
	// of Table 4 (see StandardizedDomainParameter).
	OIDStandardizedDomainParameters = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 2}

	// id-PK: bsi-de protocols(2) smartcard(2) 1. Protocols of
	// ChipAuthenticationPublicKeyInfo.
	OIDPK     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1}
	OIDPKDH   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1, 1}
	OIDPKECDH = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 1, 2}

	// id-TA: bsi-de protocols(2) smartcard(2) 2, the protocol of
	// TerminalAuthenticationInfo, and its signature algorithms (used in
	// card verifiable certificates).
	OIDTA             = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2}
	OIDTARSA          = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1}
	OIDTARSAv15SHA1   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1, 1}
	OIDTARSAv15SHA256 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1, 2}
	OIDTARSAPSSSHA1   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1, 3}
	OIDTARSAPSSSHA256 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1, 4}
	OIDTARSAv15SHA512 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1, 5}
	OIDTARSAPSSSHA512 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 1, 6}
	OIDTAECDSA        = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 2}
	OIDTAECDSASHA1    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 2, 1}
	OIDTAECDSASHA224  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 2, 2}
	OIDTAECDSASHA256  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 2, 3}
	OIDTAECDSASHA384  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 2, 4}
	OIDTAECDSASHA512  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 2, 2, 5}

	// id-CA: bsi-de protocols(2) smartcard(2) 3. id-CA-DH and id-CA-ECDH
	// are the protocols of ChipAuthenticationDomainParameterInfo, the
	// others those of ChipAuthenticationInfo.
	OIDCA           = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3}
	OIDCADH         = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 1}
	OIDCADH3DES     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 1, 1}
	OIDCADHAES128   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 1, 2}
	OIDCADHAES192   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 1, 3}
	OIDCADHAES256   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 1, 4}
	OIDCAECDH       = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 2}
	OIDCAECDH3DES   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 1}
	OIDCAECDHAES128 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 2}
	OIDCAECDHAES192 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 3}
	OIDCAECDHAES256 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3, 2, 4}

	// id-PACE: bsi-de protocols(2) smartcard(2) 4. The five mapping
	// identifiers (DH-GM, ECDH-GM, DH-IM, ECDH-IM, ECDH-CAM) are the
	// protocols of PACEDomainParameterInfo, the others those of PACEInfo.
	// Chip Authentication Mapping exists only with ECDH and AES
	// (ICAO Doc 9303-11 §9.2); 3DES exists with GM and IM.
	OIDPACE              = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4}
	OIDPACEDHGM          = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 1}
	OIDPACEDHGM3DES      = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 1, 1}
	OIDPACEDHGMAES128    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 1, 2}
	OIDPACEDHGMAES192    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 1, 3}
	OIDPACEDHGMAES256    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 1, 4}
	OIDPACEECDHGM        = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2}
	OIDPACEECDHGM3DES    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 1}
	OIDPACEECDHGMAES128  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 2}
	OIDPACEECDHGMAES192  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 3}
	OIDPACEECDHGMAES256  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 2, 4}
	OIDPACEDHIM          = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 3}
	OIDPACEDHIM3DES      = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 3, 1}
	OIDPACEDHIMAES128    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 3, 2}
	OIDPACEDHIMAES192    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 3, 3}
	OIDPACEDHIMAES256    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 3, 4}
	OIDPACEECDHIM        = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 4}
	OIDPACEECDHIM3DES    = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 4, 1}
	OIDPACEECDHIMAES128  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 4, 2}
	OIDPACEECDHIMAES192  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 4, 3}
	OIDPACEECDHIMAES256  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 4, 4}
	OIDPACEECDHCAM       = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 6}
	OIDPACEECDHCAMAES128 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 6, 2}
	OIDPACEECDHCAMAES192 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 6, 3}
	OIDPACEECDHCAMAES256 = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4, 6, 4}

	// id-RI: bsi-de protocols(2) smartcard(2) 5 (Restricted
	// Identification, eID cards; kept as UnknownInfo).
	OIDRI     = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 5}
	OIDRIDH   = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 5, 1}
	OIDRIECDH = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 5, 2}
	// id-CI: bsi-de protocols(2) smartcard(2) 6 (CardInfo, formerly
	// CardInfoLocator).
	OIDCI = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 6}
	// id-eIDSecurity: bsi-de protocols(2) smartcard(2) 7.
	OIDEIDSecurity = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 7}
	// id-PT: bsi-de protocols(2) smartcard(2) 8 (PrivilegedTerminalInfo).
	OIDPT = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 8}

	// id-SecurityObject: bsi-de applications(3) eID(2) 1, the content type
	// of the SignedData in EF.CardSecurity and EF.ChipSecurity
	// (TR-03110-3 A.1.2.5).
	OIDSecurityObject = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 2, 1}

	// id-icao-mrtd-security: joint-iso-itu-t(2) international(23)
	// icao(136) mrtd(1) security(1) (ICAO Doc 9303-1 §4.4).
	OIDICAOMRTDSecurity = asn1.ObjectIdentifier{2, 23, 136, 1, 1}
	// id-icao-mrtd-security-aaProtocolObject: {id-icao-mrtd-security 5},
	// the protocol of ActiveAuthenticationInfo.
	OIDAA = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 5}
	// id-EFDIR: {id-icao-mrtd-security 13}, the protocol of EFDIRInfo.
	OIDEFDIR = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 13}

	// id-ecPublicKey (ANSI X9.62) and dhpublicnumber (ANSI X9.42): the
	// algorithms of explicit domain parameters and public keys
	// (TR-03110-3 A.2.1.2).
	OIDECPublicKey    = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	OIDDHPublicNumber = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
	// ecdsa-with-SHA* (ANSI X9.62, RFC 5758): signature algorithms that
	// ActiveAuthenticationInfo names for ECDSA Active Authentication.
	OIDECDSAWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	OIDECDSAWithSHA224 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	OIDECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	OIDECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	OIDECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

// oidNames maps every identifier above to its ASN.1 name in the defining
// document.
var oidNames = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{OIDBSIDE, "bsi-de"},
	{OIDECC, "id-ecc"},
	{OIDECDSAPlainSignatures, "ecdsa-plain-signatures"},
	{OIDECDSAPlainSHA1, "ecdsa-plain-SHA1"},
	{OIDECDSAPlainSHA224, "ecdsa-plain-SHA224"},
	{OIDECDSAPlainSHA256, "ecdsa-plain-SHA256"},
	{OIDECDSAPlainSHA384, "ecdsa-plain-SHA384"},
	{OIDECDSAPlainSHA512, "ecdsa-plain-SHA512"},
	{OIDECDSAPlainRIPEMD160, "ecdsa-plain-RIPEMD160"},
	{OIDStandardizedDomainParameters, "standardizedDomainParameters"},
	{OIDPK, "id-PK"},
	{OIDPKDH, "id-PK-DH"},
	{OIDPKECDH, "id-PK-ECDH"},
	{OIDTA, "id-TA"},
	{OIDTARSA, "id-TA-RSA"},
	{OIDTARSAv15SHA1, "id-TA-RSA-v1-5-SHA-1"},
	{OIDTARSAv15SHA256, "id-TA-RSA-v1-5-SHA-256"},
	{OIDTARSAPSSSHA1, "id-TA-RSA-PSS-SHA-1"},
	{OIDTARSAPSSSHA256, "id-TA-RSA-PSS-SHA-256"},
	{OIDTARSAv15SHA512, "id-TA-RSA-v1-5-SHA-512"},
	{OIDTARSAPSSSHA512, "id-TA-RSA-PSS-SHA-512"},
	{OIDTAECDSA, "id-TA-ECDSA"},
	{OIDTAECDSASHA1, "id-TA-ECDSA-SHA-1"},
	{OIDTAECDSASHA224, "id-TA-ECDSA-SHA-224"},
	{OIDTAECDSASHA256, "id-TA-ECDSA-SHA-256"},
	{OIDTAECDSASHA384, "id-TA-ECDSA-SHA-384"},
	{OIDTAECDSASHA512, "id-TA-ECDSA-SHA-512"},
	{OIDCA, "id-CA"},
	{OIDCADH, "id-CA-DH"},
	{OIDCADH3DES, "id-CA-DH-3DES-CBC-CBC"},
	{OIDCADHAES128, "id-CA-DH-AES-CBC-CMAC-128"},
	{OIDCADHAES192, "id-CA-DH-AES-CBC-CMAC-192"},
	{OIDCADHAES256, "id-CA-DH-AES-CBC-CMAC-256"},
	{OIDCAECDH, "id-CA-ECDH"},
	{OIDCAECDH3DES, "id-CA-ECDH-3DES-CBC-CBC"},
	{OIDCAECDHAES128, "id-CA-ECDH-AES-CBC-CMAC-128"},
	{OIDCAECDHAES192, "id-CA-ECDH-AES-CBC-CMAC-192"},
	{OIDCAECDHAES256, "id-CA-ECDH-AES-CBC-CMAC-256"},
	{OIDPACE, "id-PACE"},
	{OIDPACEDHGM, "id-PACE-DH-GM"},
	{OIDPACEDHGM3DES, "id-PACE-DH-GM-3DES-CBC-CBC"},
	{OIDPACEDHGMAES128, "id-PACE-DH-GM-AES-CBC-CMAC-128"},
	{OIDPACEDHGMAES192, "id-PACE-DH-GM-AES-CBC-CMAC-192"},
	{OIDPACEDHGMAES256, "id-PACE-DH-GM-AES-CBC-CMAC-256"},
	{OIDPACEECDHGM, "id-PACE-ECDH-GM"},
	{OIDPACEECDHGM3DES, "id-PACE-ECDH-GM-3DES-CBC-CBC"},
	{OIDPACEECDHGMAES128, "id-PACE-ECDH-GM-AES-CBC-CMAC-128"},
	{OIDPACEECDHGMAES192, "id-PACE-ECDH-GM-AES-CBC-CMAC-192"},
	{OIDPACEECDHGMAES256, "id-PACE-ECDH-GM-AES-CBC-CMAC-256"},
	{OIDPACEDHIM, "id-PACE-DH-IM"},
	{OIDPACEDHIM3DES, "id-PACE-DH-IM-3DES-CBC-CBC"},
	{OIDPACEDHIMAES128, "id-PACE-DH-IM-AES-CBC-CMAC-128"},
	{OIDPACEDHIMAES192, "id-PACE-DH-IM-AES-CBC-CMAC-192"},
	{OIDPACEDHIMAES256, "id-PACE-DH-IM-AES-CBC-CMAC-256"},
	{OIDPACEECDHIM, "id-PACE-ECDH-IM"},
	{OIDPACEECDHIM3DES, "id-PACE-ECDH-IM-3DES-CBC-CBC"},
	{OIDPACEECDHIMAES128, "id-PACE-ECDH-IM-AES-CBC-CMAC-128"},
	{OIDPACEECDHIMAES192, "id-PACE-ECDH-IM-AES-CBC-CMAC-192"},
	{OIDPACEECDHIMAES256, "id-PACE-ECDH-IM-AES-CBC-CMAC-256"},
	{OIDPACEECDHCAM, "id-PACE-ECDH-CAM"},
	{OIDPACEECDHCAMAES128, "id-PACE-ECDH-CAM-AES-CBC-CMAC-128"},
	{OIDPACEECDHCAMAES192, "id-PACE-ECDH-CAM-AES-CBC-CMAC-192"},
	{OIDPACEECDHCAMAES256, "id-PACE-ECDH-CAM-AES-CBC-CMAC-256"},
	{OIDRI, "id-RI"},
	{OIDRIDH, "id-RI-DH"},
	{OIDRIECDH, "id-RI-ECDH"},
	{OIDCI, "id-CI"},
	{OIDEIDSecurity, "id-eIDSecurity"},
	{OIDPT, "id-PT"},
	{OIDSecurityObject, "id-SecurityObject"},
	{OIDICAOMRTDSecurity, "id-icao-mrtd-security"},
	{OIDAA, "id-icao-mrtd-security-aaProtocolObject"},
	{OIDEFDIR, "id-EFDIR"},
	{OIDECPublicKey, "id-ecPublicKey"},
	{OIDDHPublicNumber, "dhpublicnumber"},
	{OIDECDSAWithSHA1, "ecdsa-with-SHA1"},
	{OIDECDSAWithSHA224, "ecdsa-with-SHA224"},
	{OIDECDSAWithSHA256, "ecdsa-with-SHA256"},
	{OIDECDSAWithSHA384, "ecdsa-with-SHA384"},
	{OIDECDSAWithSHA512, "ecdsa-with-SHA512"},
}

// OIDName returns the ASN.1 name of a known object identifier, such as
// "id-PACE-ECDH-GM-AES-CBC-CMAC-128", or the dotted form (oid.String())
// when this package does not know it.
func OIDName(oid asn1.ObjectIdentifier) string {
	for _, e := range oidNames {
		if e.oid.Equal(oid) {
			return e.name
		}
	}
	return oid.String()
}

// hasPrefix reports whether oid lies in the subtree of prefix (or equals it).
func hasPrefix(oid, prefix asn1.ObjectIdentifier) bool {
	if len(oid) < len(prefix) {
		return false
	}
	return prefix.Equal(oid[:len(prefix)])
}
