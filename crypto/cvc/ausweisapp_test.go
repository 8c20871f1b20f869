package cvc

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

func readHexCert(t testing.TB, name string) *Certificate {
	t.Helper()
	raw := vectors.Hex(t, filepath.Join("testdata", "ausweisapp", name))
	c, err := Parse(raw)
	require.NoError(t, err, name)
	require.Equal(t, raw, c.Raw)
	return c
}

// TestAusweisAppVectors verifies two real chains of the German eID PKI,
// including a CVCA link certificate, and re-encodes every body byte for
// byte.
func TestAusweisAppVectors(t *testing.T) {
	c102 := readHexCert(t, "cvca-DECVCAeID00102.hex")
	link := readHexCert(t, "cvca-DECVCAeID00102_DECVCAeID00103.hex")
	c103 := readHexCert(t, "cvca-DECVCAeID00103.hex")
	dv103 := readHexCert(t, "cvdv-DEDVeIDDTR101415.hex")
	test4 := readHexCert(t, "cvca-DETESTeID00004.hex")
	dv35 := readHexCert(t, "cvdv-DEDVeIDDPST00035.hex")
	at := readHexCert(t, "cvat-DEDEMODEV00038.hex")

	verify := func(c *Certificate, issuer *Certificate, inherit *Verifier) *Verifier {
		t.Helper()
		v, err := issuer.PublicKey.Verifier(curveOf(inherit))
		require.NoError(t, err)
		require.NoError(t, c.CheckSignatureFrom(v), "%s", c.CHR)
		out, err := c.PublicKey.Verifier(v.Curve())
		require.NoError(t, err)
		return out
	}
	v102 := verify(c102, c102, nil)
	verify(link, c102, nil)
	v103 := verify(c103, c103, nil)
	verify(dv103, c103, nil)
	vt4 := verify(test4, test4, nil)
	vdv := verify(dv35, test4, nil)
	vat := verify(at, dv35, vt4)
	require.True(t, vat.Curve().Equal(v102.Curve()), "keys inherit brainpoolP256r1")
	require.NotNil(t, vdv)

	// The link certificate carries the new CVCA key: the same as in the
	// self-signed 00103 certificate, signed by 00102.
	require.Equal(t, Reference("DECVCAeID00102"), link.CAR)
	require.Equal(t, Reference("DECVCAeID00103"), link.CHR)
	require.False(t, link.IsSelfSigned())
	require.Equal(t, c103.PublicKey.Point, link.PublicKey.Point)
	require.ErrorIs(t, link.CheckSignatureFrom(v103), ErrSignature)

	// Authentication terminal CHATs: 5 bytes, not an inspection system.
	require.True(t, at.CHAT.Type.Equal(OIDAuthenticationTerminal))
	require.Equal(t, []byte{0x00, 0x05, 0x13, 0xFF, 0x87}, at.CHAT.Authorization)
	require.Equal(t, RoleTerminal, at.CHAT.Role())
	require.Equal(t, RoleCVCA, c102.CHAT.Role())
	require.Equal(t, RoleDVForeign, dv35.CHAT.Role()) // 40: non-official DV of the eID PKI
	require.False(t, at.CHAT.CanRead(3))
	require.True(t, at.PublicKey.Protocol.Equal(secinfo.OIDTAECDSASHA256))
	require.Len(t, at.Extensions, 0x5E)
	require.Equal(t, date(2014, 3, 13), at.Effective)
	require.Equal(t, date(2014, 4, 11), at.Expiry)

	for _, c := range []*Certificate{c102, link, c103, dv103, test4, dv35, at} {
		tm := Template{CAR: c.CAR, CHR: c.CHR, PublicKey: c.PublicKey, CHAT: c.CHAT, Effective: c.Effective, Expiry: c.Expiry, Extensions: c.Extensions}
		body, err := tm.MarshalBody()
		require.NoError(t, err)
		require.Equal(t, c.Body, body, "%s", c.CHR)
	}
}

func curveOf(v *Verifier) *ec.Curve {
	if v == nil {
		return nil
	}
	return v.Curve()
}
