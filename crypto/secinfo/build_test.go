package secinfo

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// Building the CCCD EF.CardAccess in Go gives the vector's bytes.
func TestBuildCCCDCardAccess(t *testing.T) {
	s := &SecurityInfos{Infos: []Info{
		NewPACEInfo(PACEProtocol{ECDH, GenericMapping, AES, 16}, 13),
		NewChipAuthenticationInfo(CAProtocol{ECDH, AES, 16}, 1),
		&TerminalAuthenticationInfo{Protocol: OIDTA, Version: 1},
	}}
	b, err := s.Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Hex(t, "testdata/cccd/efcardaccess.hex"), b)

	require.Nil(t, NewPACEInfo(PACEProtocol{ECDH, ChipAuthenticationMapping, TripleDES, 16}, 13))
	require.Nil(t, NewChipAuthenticationInfo(CAProtocol{ECDH, AES, 8}, 1))
}

func TestInfoStrings(t *testing.T) {
	s, err := ParseDG14(vectors.Hex(t, "testdata/synthetic/dg14_ca_aa.hex"))
	require.NoError(t, err)
	var got []string
	for _, i := range s.Infos {
		got = append(got, fmt.Sprint(i))
	}
	require.Equal(t, []string{
		"id-TA version 1",
		"id-CA-ECDH-AES-CBC-CMAC-128 version 1 keyId 1",
		"id-CA-ECDH-AES-CBC-CMAC-256 version 1 keyId 2",
		"id-icao-mrtd-security-aaProtocolObject version 1 signatureAlgorithm ecdsa-with-SHA256",
		"id-PK-ECDH standardizedDomainParameters key of 65 bytes keyId 1",
		"id-PK-ECDH id-ecPublicKey key of 65 bytes keyId 2",
	}, got)

	pace := NewPACEInfo(PACEProtocol{ECDH, GenericMapping, AES, 16}, 13)
	require.Equal(t, "id-PACE-ECDH-GM-AES-CBC-CMAC-128 version 2 parameterId 13 (brainpoolP256r1)", pace.String())
	ta := &TerminalAuthenticationInfo{Protocol: OIDTA, Version: 1, HasEFCVCA: true, EFCVCA: FileID{FID: [2]byte{0x01, 0x1C}, SFID: 0x1C, HasSFID: true}}
	require.Equal(t, "id-TA version 1 efCVCA 011C/1C", ta.String())
	u := &UnknownInfo{Protocol: OIDEFDIR, Raw: make([]byte, 9)}
	require.Equal(t, "id-EFDIR (9 bytes)", u.String())
	d := &PACEDomainParameterInfo{Protocol: OIDPACEECDHGM, DomainParameter: AlgorithmIdentifier{Algorithm: OIDECPublicKey}, ParameterID: 32, HasParameterID: true}
	require.Equal(t, "id-PACE-ECDH-GM domainParameter id-ecPublicKey parameterId 32", d.String())
	c := &ChipAuthenticationDomainParameterInfo{Protocol: OIDCAECDH, DomainParameter: AlgorithmIdentifier{Algorithm: OIDStandardizedDomainParameters}}
	require.Equal(t, "id-CA-ECDH domainParameter standardizedDomainParameters", c.String())

	// A TA FileID round trip.
	b, err := (&SecurityInfos{Infos: []Info{ta}}).Encode()
	require.NoError(t, err)
	s2, err := Parse(b)
	require.NoError(t, err)
	ta.Raw = b[2:]
	require.Equal(t, ta, s2.Infos[0])
}
