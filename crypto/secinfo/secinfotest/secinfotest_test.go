package secinfotest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

// TestWithExtraInfo: the file keeps its own infos and gains ExtraInfo; a
// file that does not parse is an error.
func TestWithExtraInfo(t *testing.T) {
	// EF.CardAccess with one PACEInfo: id-PACE-ECDH-GM-AES-CBC-CMAC-128,
	// version 2, parameter 13.
	genuine := vectors.Unhex(t, "3114 3012 060A 04007F00070202040202 020102 02010D")
	forged, err := WithExtraInfo(genuine)
	require.NoError(t, err)
	got, err := secinfo.Parse(forged)
	require.NoError(t, err)
	own, err := secinfo.Parse(genuine)
	require.NoError(t, err)
	require.ElementsMatch(t, append(own.Infos, ExtraInfo()), got.Infos)

	_, err = WithExtraInfo([]byte("not a SET"))
	require.Error(t, err)
}
