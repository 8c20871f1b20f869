package secinfo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// spkiSeeds are SubjectPublicKeyInfos of real and standard keys: the Chip
// Authentication key of gmrtd's Malaysian DG14 and a P-256 key as
// crypto/x509 encodes it.
func spkiSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	s, err := Lenient.ParseDG14(vectors.Hex(tb, "testdata/gmrtd/dg14_my.hex"))
	require.NoError(tb, err)
	k, ok := s.Infos[0].(*ChipAuthenticationPublicKeyInfo)
	require.True(tb, ok)
	// A fixed point of P-256 (its generator), so the seed is the same each run.
	g, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), vectors.Unhex(tb,
		"046B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"+
			"4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"))
	require.NoError(tb, err)
	der, err := x509.MarshalPKIXPublicKey(g)
	require.NoError(tb, err)
	return [][]byte{k.PublicKey.Raw, der}
}

func TestParseSubjectPublicKeyInfo(t *testing.T) {
	for _, der := range spkiSeeds(t) {
		k, err := ParseSubjectPublicKeyInfo(der)
		require.NoError(t, err)
		require.Equal(t, der, k.Raw)
		var b cryptobyte.Builder
		k.marshal(&b)
		require.Equal(t, der, b.BytesOrPanic(), "round trip")

		// Nothing may follow the key; the offset counts from the start,
		// also in a buffer with room to spare.
		more := append(append(make([]byte, 0, len(der)+40), der...), 0x05, 0x00)
		_, err = ParseSubjectPublicKeyInfo(more)
		var e *Error
		require.ErrorAs(t, err, &e)
		require.ErrorIs(t, err, ErrTrailingData)
		require.Equal(t, len(der), e.Offset)

		// Unused bits in the BIT STRING are refused: with the last
		// octet's low bit cleared the BIT STRING is valid DER of a length
		// that is not whole octets (ErrValue).
		bad := append([]byte(nil), der...)
		bad[len(bad)-len(k.PublicKey)-1] = 1 // the unused-bits octet
		bad[len(bad)-1] &^= 1
		_, err = ParseSubjectPublicKeyInfo(bad)
		require.ErrorIs(t, err, ErrValue)
	}
	_, err := ParseSubjectPublicKeyInfo(nil)
	require.ErrorIs(t, err, ErrSyntax)
}

func FuzzParseSubjectPublicKeyInfo(f *testing.F) {
	for _, s := range spkiSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseSubjectPublicKeyInfo(b)
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		var out cryptobyte.Builder
		k.marshal(&out)
		require.Equal(t, b, out.BytesOrPanic(), "round trip")
	})
}
