package ec

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestStdlibConversion(t *testing.T) {
	for _, std := range []elliptic.Curve{elliptic.P224(), elliptic.P256(), elliptic.P384(), elliptic.P521()} {
		sk, err := ecdsa.GenerateKey(std, nil)
		require.NoError(t, err)
		pub, err := PublicKeyFromECDSA(&sk.PublicKey)
		require.NoError(t, err)
		require.Equal(t, std.Params().Name, pub.Curve().Name())
		back, err := pub.ECDSA()
		require.NoError(t, err)
		require.True(t, back.Equal(&sk.PublicKey))
	}
	k, err := NewPrivateKey(BrainpoolP256r1(), []byte{1})
	require.NoError(t, err)
	_, err = k.PublicKey.ECDSA()
	require.ErrorIs(t, err, ErrUnsupported)
	_, err = PublicKeyFromECDSA(nil)
	require.ErrorIs(t, err, ErrUnknownCurve)
}
