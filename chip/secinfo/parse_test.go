package secinfo

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseCCCDCardAccess(t *testing.T) {
	b := readHex(t, "cccd/efcardaccess.hex")
	s, err := Parse(b)
	require.NoError(t, err)
	require.True(t, s.Sorted)
	require.Equal(t, b, s.Raw)
	require.Len(t, s.Infos, 3)

	ta := s.Infos[0].(*TerminalAuthenticationInfo)
	require.Equal(t, &TerminalAuthenticationInfo{Protocol: OIDTA, Version: 1, Raw: b[2:17]}, ta)

	ca := s.Infos[1].(*ChipAuthenticationInfo)
	require.Equal(t, &ChipAuthenticationInfo{Protocol: OIDCAECDHAES128, CA: CAProtocol{ECDH, AES, 16}, Version: 1, Raw: b[17:34]}, ca)

	pace := s.Infos[2].(*PACEInfo)
	require.Equal(t, &PACEInfo{
		Protocol: OIDPACEECDHGMAES128, PACE: PACEProtocol{ECDH, GenericMapping, AES, 16},
		Version: 2, ParameterID: 13, HasParameterID: true, Raw: b[34:],
	}, pace)
	std, ok := pace.Standardized()
	require.True(t, ok)
	require.Equal(t, "brainpoolP256r1", std.Name)

	require.Equal(t, []*PACEInfo{pace}, s.PACE())
	require.Same(t, pace, s.BestPACE())

	out, err := s.Encode()
	require.NoError(t, err)
	require.Equal(t, b, out)
}
