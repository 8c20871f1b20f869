package secinfo

import (
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// The dotted forms are typed out from TR-03110-3 A.1.1 (bsi-de subtree),
// ICAO Doc 9303-11 §9.2 (CAM, AA), ICAO Doc 9303-1 §4.4 (id-EFDIR) and
// BSI TR-03111 §5.2.1.1, not computed from the variables under test.
func TestOIDNames(t *testing.T) {
	tests := []struct {
		oid    asn1.ObjectIdentifier
		dotted string
		name   string
	}{
		{OIDBSIDE, "0.4.0.127.0.7", "bsi-de"},
		{OIDStandardizedDomainParameters, "0.4.0.127.0.7.1.2", "standardizedDomainParameters"},
		{OIDECDSAPlainSHA1, "0.4.0.127.0.7.1.1.4.1.1", "ecdsa-plain-SHA1"},
		{OIDECDSAPlainSHA224, "0.4.0.127.0.7.1.1.4.1.2", "ecdsa-plain-SHA224"},
		{OIDECDSAPlainSHA256, "0.4.0.127.0.7.1.1.4.1.3", "ecdsa-plain-SHA256"},
		{OIDECDSAPlainSHA384, "0.4.0.127.0.7.1.1.4.1.4", "ecdsa-plain-SHA384"},
		{OIDECDSAPlainSHA512, "0.4.0.127.0.7.1.1.4.1.5", "ecdsa-plain-SHA512"},
		{OIDECDSAPlainRIPEMD160, "0.4.0.127.0.7.1.1.4.1.6", "ecdsa-plain-RIPEMD160"},
		{OIDPK, "0.4.0.127.0.7.2.2.1", "id-PK"},
		{OIDPKDH, "0.4.0.127.0.7.2.2.1.1", "id-PK-DH"},
		{OIDPKECDH, "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH"},
		{OIDTA, "0.4.0.127.0.7.2.2.2", "id-TA"},
		{OIDTARSA, "0.4.0.127.0.7.2.2.2.1", "id-TA-RSA"},
		{OIDTARSAv15SHA1, "0.4.0.127.0.7.2.2.2.1.1", "id-TA-RSA-v1-5-SHA-1"},
		{OIDTARSAv15SHA256, "0.4.0.127.0.7.2.2.2.1.2", "id-TA-RSA-v1-5-SHA-256"},
		{OIDTARSAPSSSHA1, "0.4.0.127.0.7.2.2.2.1.3", "id-TA-RSA-PSS-SHA-1"},
		{OIDTARSAPSSSHA256, "0.4.0.127.0.7.2.2.2.1.4", "id-TA-RSA-PSS-SHA-256"},
		{OIDTARSAv15SHA512, "0.4.0.127.0.7.2.2.2.1.5", "id-TA-RSA-v1-5-SHA-512"},
		{OIDTARSAPSSSHA512, "0.4.0.127.0.7.2.2.2.1.6", "id-TA-RSA-PSS-SHA-512"},
		{OIDTAECDSA, "0.4.0.127.0.7.2.2.2.2", "id-TA-ECDSA"},
		{OIDTAECDSASHA1, "0.4.0.127.0.7.2.2.2.2.1", "id-TA-ECDSA-SHA-1"},
		{OIDTAECDSASHA224, "0.4.0.127.0.7.2.2.2.2.2", "id-TA-ECDSA-SHA-224"},
		{OIDTAECDSASHA256, "0.4.0.127.0.7.2.2.2.2.3", "id-TA-ECDSA-SHA-256"},
		{OIDTAECDSASHA384, "0.4.0.127.0.7.2.2.2.2.4", "id-TA-ECDSA-SHA-384"},
		{OIDTAECDSASHA512, "0.4.0.127.0.7.2.2.2.2.5", "id-TA-ECDSA-SHA-512"},
		{OIDCA, "0.4.0.127.0.7.2.2.3", "id-CA"},
		{OIDCADH, "0.4.0.127.0.7.2.2.3.1", "id-CA-DH"},
		{OIDCADH3DES, "0.4.0.127.0.7.2.2.3.1.1", "id-CA-DH-3DES-CBC-CBC"},
		{OIDCADHAES128, "0.4.0.127.0.7.2.2.3.1.2", "id-CA-DH-AES-CBC-CMAC-128"},
		{OIDCADHAES192, "0.4.0.127.0.7.2.2.3.1.3", "id-CA-DH-AES-CBC-CMAC-192"},
		{OIDCADHAES256, "0.4.0.127.0.7.2.2.3.1.4", "id-CA-DH-AES-CBC-CMAC-256"},
		{OIDCAECDH, "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH"},
		{OIDCAECDH3DES, "0.4.0.127.0.7.2.2.3.2.1", "id-CA-ECDH-3DES-CBC-CBC"},
		{OIDCAECDHAES128, "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128"},
		{OIDCAECDHAES192, "0.4.0.127.0.7.2.2.3.2.3", "id-CA-ECDH-AES-CBC-CMAC-192"},
		{OIDCAECDHAES256, "0.4.0.127.0.7.2.2.3.2.4", "id-CA-ECDH-AES-CBC-CMAC-256"},
		{OIDPACE, "0.4.0.127.0.7.2.2.4", "id-PACE"},
		{OIDPACEDHGM, "0.4.0.127.0.7.2.2.4.1", "id-PACE-DH-GM"},
		{OIDPACEDHGM3DES, "0.4.0.127.0.7.2.2.4.1.1", "id-PACE-DH-GM-3DES-CBC-CBC"},
		{OIDPACEDHGMAES128, "0.4.0.127.0.7.2.2.4.1.2", "id-PACE-DH-GM-AES-CBC-CMAC-128"},
		{OIDPACEDHGMAES192, "0.4.0.127.0.7.2.2.4.1.3", "id-PACE-DH-GM-AES-CBC-CMAC-192"},
		{OIDPACEDHGMAES256, "0.4.0.127.0.7.2.2.4.1.4", "id-PACE-DH-GM-AES-CBC-CMAC-256"},
		{OIDPACEECDHGM, "0.4.0.127.0.7.2.2.4.2", "id-PACE-ECDH-GM"},
		{OIDPACEECDHGM3DES, "0.4.0.127.0.7.2.2.4.2.1", "id-PACE-ECDH-GM-3DES-CBC-CBC"},
		{OIDPACEECDHGMAES128, "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128"},
		{OIDPACEECDHGMAES192, "0.4.0.127.0.7.2.2.4.2.3", "id-PACE-ECDH-GM-AES-CBC-CMAC-192"},
		{OIDPACEECDHGMAES256, "0.4.0.127.0.7.2.2.4.2.4", "id-PACE-ECDH-GM-AES-CBC-CMAC-256"},
		{OIDPACEDHIM, "0.4.0.127.0.7.2.2.4.3", "id-PACE-DH-IM"},
		{OIDPACEDHIM3DES, "0.4.0.127.0.7.2.2.4.3.1", "id-PACE-DH-IM-3DES-CBC-CBC"},
		{OIDPACEDHIMAES128, "0.4.0.127.0.7.2.2.4.3.2", "id-PACE-DH-IM-AES-CBC-CMAC-128"},
		{OIDPACEDHIMAES192, "0.4.0.127.0.7.2.2.4.3.3", "id-PACE-DH-IM-AES-CBC-CMAC-192"},
		{OIDPACEDHIMAES256, "0.4.0.127.0.7.2.2.4.3.4", "id-PACE-DH-IM-AES-CBC-CMAC-256"},
		{OIDPACEECDHIM, "0.4.0.127.0.7.2.2.4.4", "id-PACE-ECDH-IM"},
		{OIDPACEECDHIM3DES, "0.4.0.127.0.7.2.2.4.4.1", "id-PACE-ECDH-IM-3DES-CBC-CBC"},
		{OIDPACEECDHIMAES128, "0.4.0.127.0.7.2.2.4.4.2", "id-PACE-ECDH-IM-AES-CBC-CMAC-128"},
		{OIDPACEECDHIMAES192, "0.4.0.127.0.7.2.2.4.4.3", "id-PACE-ECDH-IM-AES-CBC-CMAC-192"},
		{OIDPACEECDHIMAES256, "0.4.0.127.0.7.2.2.4.4.4", "id-PACE-ECDH-IM-AES-CBC-CMAC-256"},
		{OIDPACEECDHCAM, "0.4.0.127.0.7.2.2.4.6", "id-PACE-ECDH-CAM"},
		{OIDPACEECDHCAMAES128, "0.4.0.127.0.7.2.2.4.6.2", "id-PACE-ECDH-CAM-AES-CBC-CMAC-128"},
		{OIDPACEECDHCAMAES192, "0.4.0.127.0.7.2.2.4.6.3", "id-PACE-ECDH-CAM-AES-CBC-CMAC-192"},
		{OIDPACEECDHCAMAES256, "0.4.0.127.0.7.2.2.4.6.4", "id-PACE-ECDH-CAM-AES-CBC-CMAC-256"},
		{OIDRI, "0.4.0.127.0.7.2.2.5", "id-RI"},
		{OIDCI, "0.4.0.127.0.7.2.2.6", "id-CI"},
		{OIDEIDSecurity, "0.4.0.127.0.7.2.2.7", "id-eIDSecurity"},
		{OIDPT, "0.4.0.127.0.7.2.2.8", "id-PT"},
		{OIDSecurityObject, "0.4.0.127.0.7.3.2.1", "id-SecurityObject"},
		{OIDAA, "2.23.136.1.1.5", "id-icao-mrtd-security-aaProtocolObject"},
		{OIDEFDIR, "2.23.136.1.1.13", "id-EFDIR"},
		{OIDECPublicKey, "1.2.840.10045.2.1", "id-ecPublicKey"},
		{OIDDHPublicNumber, "1.2.840.10046.2.1", "dhpublicnumber"},
		{OIDECDSAWithSHA256, "1.2.840.10045.4.3.2", "ecdsa-with-SHA256"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.dotted, tc.oid.String(), tc.name)
		require.Equal(t, tc.name, OIDName(tc.oid))
	}
	require.Equal(t, "1.2.3", OIDName(asn1.ObjectIdentifier{1, 2, 3}))

	// Every name in the table is unique and every OID appears once.
	seen := map[string]string{}
	for _, e := range oidNames {
		require.NotContains(t, seen, e.oid.String(), e.name)
		seen[e.oid.String()] = e.name
	}
}

// The DER encoding of an identifier, as EF.CardAccess dumps show it.
func TestOIDEncoding(t *testing.T) {
	b, err := asn1.Marshal(OIDPACEECDHGMAES128)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "06 0A 04 00 7F 00 07 02 02 04 02 02"), b)
	b, err = asn1.Marshal(OIDAA)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "06 06 67 81 08 01 01 05"), b)
}
