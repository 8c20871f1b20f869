package ec

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseSignaturePlain: no panic on any curve (the first byte picks it);
// a signature of the wrong length is a typed ErrInvalidSignature; an
// accepted one splits into r and s of OrderByteLen bytes each that
// EncodeSignaturePlain writes back to the input.
func FuzzParseSignaturePlain(f *testing.F) {
	curves := Curves()
	for i, c := range curves {
		l := c.OrderByteLen()
		sig := bytes.Repeat([]byte{0x5A}, 2*l)
		f.Add(byte(i), sig)
		f.Add(byte(i), sig[:2*l-1])
		f.Add(byte(i), append(sig, 0))
		f.Add(byte(i), make([]byte, 2*l))
		f.Add(byte(i), bytes.Repeat([]byte{0xFF}, 2*l))
	}
	f.Add(byte(0), []byte{})
	f.Fuzz(func(t *testing.T, pick byte, sig []byte) {
		c := curves[int(pick)%len(curves)]
		r, s, err := ParseSignaturePlain(c, sig)
		l := c.OrderByteLen()
		if err != nil {
			checkErr(t, err)
			require.ErrorIs(t, err, ErrInvalidSignature, "error %v is not ErrInvalidSignature", err)
			require.NotEqual(t, 2*l, len(sig), "%s: refused a signature of the right length: %v", c, err)
			return
		}
		require.Equal(t, 2*l, len(sig), "%s: accepted %d bytes, want %d", c, len(sig), 2*l)
		require.False(t, r.Sign() < 0, "%s: r or s out of range", c)
		require.False(t, s.Sign() < 0, "%s: r or s out of range", c)
		require.False(t, r.BitLen() > 8*l, "%s: r or s out of range", c)
		require.False(t, s.BitLen() > 8*l, "%s: r or s out of range", c)
		back, err := EncodeSignaturePlain(c, r, s)
		require.NoError(t, err, "%s: r, s of a parsed signature do not encode", c)
		require.True(t, bytes.Equal(back, sig), "%s: round trip %x, want %x", c, back, sig)
		// The DER form agrees where both are defined.
		if r.Sign() > 0 && s.Sign() > 0 {
			der, err := PlainToASN1(c, sig)
			require.NoError(t, err, "%s: PlainToASN1", c)
			plain, err := ASN1ToPlain(c, der)
			require.NoError(t, err, "%s: plain -> DER -> plain: %x", c, plain)
			require.True(t, bytes.Equal(plain, sig), "%s: plain -> DER -> plain: %x, %v", c, plain, err)
		}
	})
}
