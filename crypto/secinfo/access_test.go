package secinfo

import (
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/require"
)

func paceInfo(t *testing.T, oid asn1.ObjectIdentifier, version, param int, hasParam bool) *PACEInfo {
	t.Helper()
	p, err := ParsePACEProtocol(oid)
	require.NoError(t, err)
	return &PACEInfo{Protocol: oid, PACE: p, Version: version, ParameterID: param, HasParameterID: hasParam}
}

func TestBestPACE(t *testing.T) {
	ecGM128 := paceInfo(t, OIDPACEECDHGMAES128, 2, 13, true)
	ecGM256 := paceInfo(t, OIDPACEECDHGMAES256, 2, 13, true)
	ecIM256 := paceInfo(t, OIDPACEECDHIMAES256, 2, 13, true)
	ecCAM256 := paceInfo(t, OIDPACEECDHCAMAES256, 2, 13, true)
	dhGM256 := paceInfo(t, OIDPACEDHGMAES256, 2, 2, true)
	ecGM3DES := paceInfo(t, OIDPACEECDHGM3DES, 2, 13, true)
	ecGM256v1 := paceInfo(t, OIDPACEECDHGMAES256, 1, 13, true)
	ecGM256Explicit := paceInfo(t, OIDPACEECDHGMAES256, 2, 32, true)
	explicitParams := &PACEDomainParameterInfo{Protocol: OIDPACEECDHGM, KeyAgreement: ECDH, Mapping: GenericMapping,
		DomainParameter: AlgorithmIdentifier{Algorithm: OIDECPublicKey, Parameters: []byte{0x05, 0x00}}, ParameterID: 32, HasParameterID: true}
	noParams := paceInfo(t, OIDPACEECDHGMAES256, 2, 0, false)
	wrongType := paceInfo(t, OIDPACEECDHGMAES256, 2, 2, true) // ECDH with a MODP group
	imP224 := paceInfo(t, OIDPACEECDHIMAES256, 2, 10, true)   // P-224 cannot do IM
	reserved := paceInfo(t, OIDPACEECDHGMAES256, 2, 5, true)  // RFU ID

	tests := []struct {
		name  string
		infos []Info
		want  *PACEInfo
	}{
		{"one", []Info{ecGM128}, ecGM128},
		{"ECDH before DH", []Info{dhGM256, ecGM128}, ecGM128},
		{"longer AES key", []Info{ecGM128, ecGM256}, ecGM256},
		{"AES before 3DES", []Info{ecGM3DES, ecGM128}, ecGM128},
		{"GM before CAM before IM", []Info{ecIM256, ecCAM256, ecGM256}, ecGM256},
		{"CAM before IM", []Info{ecIM256, ecCAM256}, ecCAM256},
		{"standardized before explicit", []Info{explicitParams, ecGM256Explicit, ecGM256}, ecGM256},
		{"explicit when alone", []Info{ecGM256Explicit, explicitParams}, ecGM256Explicit},
		{"version 2 before 1", []Info{ecGM256v1, ecGM256}, ecGM256},
		{"first found on a tie", []Info{ecGM128, paceInfo(t, OIDPACEECDHGMAES128, 2, 12, true)}, ecGM128},
		{"unusable ones skipped", []Info{noParams, wrongType, imP224, reserved, ecGM3DES}, ecGM3DES},
		{"nothing usable", []Info{noParams, wrongType, imP224, reserved, ecGM256Explicit}, nil},
		{"no PACE", []Info{&TerminalAuthenticationInfo{Protocol: OIDTA, Version: 1}}, nil},
	}
	for _, tc := range tests {
		s := &SecurityInfos{Infos: tc.infos}
		require.Same(t, tc.want, s.BestPACE(), tc.name)
	}
}

func TestPACEDomainParameter(t *testing.T) {
	withID := &PACEDomainParameterInfo{Protocol: OIDPACEECDHIM, KeyAgreement: ECDH, Mapping: IntegratedMapping, ParameterID: 40, HasParameterID: true}
	withoutID := &PACEDomainParameterInfo{Protocol: OIDPACEDHGM, KeyAgreement: DH, Mapping: GenericMapping}
	s := &SecurityInfos{Infos: []Info{withID, withoutID}}
	require.Same(t, withID, s.PACEDomainParameter(paceInfo(t, OIDPACEECDHIMAES128, 2, 40, true)))
	require.Nil(t, s.PACEDomainParameter(paceInfo(t, OIDPACEECDHIMAES128, 2, 41, true)))
	require.Nil(t, s.PACEDomainParameter(paceInfo(t, OIDPACEECDHGMAES128, 2, 40, true)))
	require.Same(t, withoutID, s.PACEDomainParameter(paceInfo(t, OIDPACEDHGMAES128, 2, 0, false)))
}

func TestChipAuthenticationPairing(t *testing.T) {
	ca := func(oid asn1.ObjectIdentifier, version int, id int64, has bool) *ChipAuthenticationInfo {
		p, err := ParseCAProtocol(oid)
		require.NoError(t, err)
		return &ChipAuthenticationInfo{Protocol: oid, CA: p, Version: version, KeyID: id, HasKeyID: has}
	}
	pk := func(ka KeyAgreement, id int64, has bool) *ChipAuthenticationPublicKeyInfo {
		oid := OIDPKECDH
		if ka == DH {
			oid = OIDPKDH
		}
		return &ChipAuthenticationPublicKeyInfo{Protocol: oid, KeyAgreement: ka, KeyID: id, HasKeyID: has}
	}
	entry := func(i *ChipAuthenticationInfo, k *ChipAuthenticationPublicKeyInfo) ChipAuthentication {
		return ChipAuthentication{Protocol: i.Protocol, CA: i.CA, Version: i.Version, KeyID: i.KeyID, HasKeyID: i.HasKeyID, Info: i, PublicKey: k}
	}

	// keyIds pair infos and keys.
	i1, i2 := ca(OIDCAECDHAES128, 1, 1, true), ca(OIDCADHAES128, 1, 2, true)
	k1, k2 := pk(ECDH, 1, true), pk(DH, 2, true)
	s := &SecurityInfos{Infos: []Info{k2, i1, k1, i2}}
	require.Equal(t, []ChipAuthentication{entry(i1, k1), entry(i2, k2)}, s.ChipAuthentication())

	// No keyIds, one key: paired (the CCCD/passport DG14 case).
	i3, k3 := ca(OIDCAECDHAES128, 1, 0, false), pk(ECDH, 0, false)
	s = &SecurityInfos{Infos: []Info{i3, k3}}
	require.Equal(t, []ChipAuthentication{entry(i3, k3)}, s.ChipAuthentication())

	// Info with a keyId, the only key without one: paired.
	i4 := ca(OIDCAECDHAES256, 1, 7, true)
	s = &SecurityInfos{Infos: []Info{i4, k3}}
	require.Equal(t, []ChipAuthentication{entry(i4, k3)}, s.ChipAuthentication())

	// Key agreement must agree; an info without its key (EF.CardAccess
	// announcing CA v2) stands alone, and the unpaired key gets the
	// inferred CA v1 3DES.
	i5 := ca(OIDCADHAES128, 2, 0, false)
	s = &SecurityInfos{Infos: []Info{i5, k3}}
	require.Equal(t, []ChipAuthentication{
		entry(i5, nil),
		{Protocol: OIDCAECDH3DES, CA: CAProtocol{ECDH, TripleDES, 16}, Version: 1, PublicKey: k3},
	}, s.ChipAuthentication())

	require.Empty(t, (&SecurityInfos{}).ChipAuthentication())
}
