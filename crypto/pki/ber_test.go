package pki_test

import (
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/tlv"
	"github.com/stretchr/testify/require"
)

// toBER re-encodes DER with indefinite lengths on every constructed
// element, long-form lengths on primitive ones, and every OCTET STRING of
// more than 16 bytes outside certificates as a constructed one of two
// segments: what a careless BER encoder may produce.
func toBER(t *testing.T, der []byte) []byte {
	t.Helper()
	var out []byte
	for len(der) > 0 {
		tag, n := der[0], 1
		l, size, err := tlv.ParseLength(der[n:])
		require.NoError(t, err)
		v := der[n+size : n+size+l]
		switch {
		case tag&0x20 != 0:
			out = append(out, tag, 0x80)
			out = append(out, toBER(t, v)...)
			out = append(out, 0, 0)
		case tag == 0x04 && l > 16:
			half := l / 2
			out = append(out, 0x24, 0x80, 0x04, 0x81, byte(half))
			out = append(out, v[:half]...)
			out = append(out, 0x04, 0x82, byte((l-half)>>8), byte(l-half))
			out = append(out, v[half:]...)
			out = append(out, 0, 0)
		default:
			out = append(out, tag, 0x84, byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
			out = append(out, v...)
		}
		der = der[n+size+l:]
	}
	return out
}

func TestBERSignedData(t *testing.T) {
	p := testPKI(t, pkitest.P256)
	dgs := cccdDataGroups()
	sod, err := p.SignSOD(p.DS, dgs, testNow)
	require.NoError(t, err)
	outer, err := tlv.ParseOne(sod)
	require.NoError(t, err)
	ber := toBER(t, outer.Value)
	require.NotEqual(t, outer.Value, ber)

	sd, err := pki.ParseSignedData(ber)
	require.NoError(t, err)
	require.True(t, sd.BER)
	require.Equal(t, ber, sd.Raw)
	der, err := pki.ParseSignedData(outer.Value)
	require.NoError(t, err)
	require.False(t, der.BER)
	require.Equal(t, der.Content, sd.Content)
	cert, err := sd.Verify()
	require.NoError(t, err)
	require.Equal(t, p.DS.Cert.Raw, cert.Raw)

	berSOD := tlv.AppendTLV(nil, pki.SODTag, ber)
	r := pki.Verify(berSOD, dgs, p.Trust(), verifyAt(testNow.Add(time.Hour)))
	requireAllPassed(t, r)

	// Broken BER stays an error: missing end-of-contents, and truncation.
	_, err = pki.ParseSignedData(ber[:len(ber)-2])
	require.ErrorIs(t, err, pki.ErrMalformed)
	_, err = pki.ParseSignedData(append([]byte{0x30, 0x80}, ber[2:len(ber)-1]...))
	require.ErrorIs(t, err, pki.ErrMalformed)
}
