package ec

import (
	"bytes"
	"crypto/ecdh"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func checkErr(t *testing.T, err error) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e, "error %v (%T) is not an *ec.Error", err, err)
}

// FuzzDecodePoint: no panic; every accepted point is on the curve and
// re-encodes to the input (uncompressed or compressed form).
func FuzzDecodePoint(f *testing.F) {
	for _, c := range Curves() {
		g := c.Generator()
		f.Add(byte(0), g.Bytes())
		f.Add(byte(0), g.BytesCompressed())
	}
	f.Add(byte(2), []byte{0})
	f.Add(byte(3), []byte{4, 1, 2})
	curves := Curves()
	f.Fuzz(func(t *testing.T, which byte, b []byte) {
		c := curves[int(which)%len(curves)]
		p, err := c.DecodePoint(b)
		if err != nil {
			checkErr(t, err)
			return
		}
		require.True(t, p.IsOnCurve(), "accepted a point that is not a finite curve point")
		require.False(t, p.IsInfinity(), "accepted a point that is not a finite curve point")
		var again []byte
		switch b[0] {
		case 4:
			again = p.Bytes()
		default:
			again = p.BytesCompressed()
		}
		require.True(t, bytes.Equal(again, b), "re-encoding %x gave %x", b, again)
	})
}

func addFiles(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err == nil {
			f.Add(b)
		}
	}
}

// FuzzParseECParameters: no panic, typed errors; accepted parameters
// encode and parse back to the same curve.
func FuzzParseECParameters(f *testing.F) {
	addFiles(f, "testdata/openssl/explicit-*.der")
	for _, c := range Curves() {
		der, _ := MarshalECParameters(c, false)
		f.Add(der)
	}
	f.Add([]byte{5, 0})
	bp := BrainpoolP256r1()
	f.Add(specifiedDomain(bp, bp.n, nil))
	f.Add(specifiedDomain(bp, big.NewInt(0), nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, explicit, err := ParseECParameters(b)
		if err != nil {
			checkErr(t, err)
			return
		}
		der, err := MarshalECParameters(c, explicit)
		require.NoError(t, err)
		c2, explicit2, err := ParseECParameters(der)
		require.NoError(t, err, "round trip")
		require.Equal(t, explicit, explicit2, "round trip: %v", err)
		require.True(t, c2.Equal(c), "round trip: %v", err)
	})
}

// FuzzParseSubjectPublicKeyInfo: no panic, typed errors; accepted keys
// round trip.
func FuzzParseSubjectPublicKeyInfo(f *testing.F) {
	addFiles(f, "testdata/openssl/*spki.der")
	for _, c := range Curves() {
		k, _ := NewPrivateKey(c, []byte{7})
		der, _ := MarshalSubjectPublicKeyInfo(&k.PublicKey, false)
		f.Add(der)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, explicit, err := ParseSubjectPublicKeyInfo(b)
		if err != nil {
			checkErr(t, err)
			return
		}
		der, err := MarshalSubjectPublicKeyInfo(pub, explicit)
		require.NoError(t, err)
		pub2, _, err := ParseSubjectPublicKeyInfo(der)
		require.NoError(t, err, "round trip")
		require.True(t, pub2.Equal(pub), "round trip: %v", err)
	})
}

// FuzzParseSignatureASN1: no panic; accepted signatures are canonical DER.
func FuzzParseSignatureASN1(f *testing.F) {
	addFiles(f, "testdata/openssl/*.sig")
	f.Add([]byte{0x30, 6, 2, 1, 1, 2, 1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, s, err := ParseSignatureASN1(b)
		if err != nil {
			checkErr(t, err)
			return
		}
		require.True(t, bytes.Equal(EncodeSignatureASN1(r, s), b), "accepted a non-canonical encoding")
	})
}

// FuzzScalarMult checks the generic arithmetic on fuzzer-chosen scalars:
// on P-256 against crypto/ecdh (base point and arbitrary point), on
// brainpoolP256r1 by linearity, k1*G + k2*G = (k1+k2)*G = k1*(G) via the
// window method.
func FuzzScalarMult(f *testing.F) {
	f.Add([]byte{1}, []byte{2})
	f.Add(bytes.Repeat([]byte{0xFF}, 32), bytes.Repeat([]byte{0xFF}, 32))
	f.Add(P256().N().Bytes(), []byte{7})
	stdP256 := ecdh.P256()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if len(a) > 32 || len(b) > 32 {
			return
		}
		c := P256()
		k1 := new(big.Int).SetBytes(a)
		k2 := new(big.Int).SetBytes(b)
		k1.Mod(k1, c.n)
		k2.Mod(k2, c.n)
		if k1.Sign() != 0 && k2.Sign() != 0 {
			s1, err := stdP256.NewPrivateKey(k1.FillBytes(make([]byte, 32)))
			require.NoError(t, err)
			s2, err := stdP256.NewPrivateKey(k2.FillBytes(make([]byte, 32)))
			require.NoError(t, err)
			p1 := c.ScalarBaseMult(k1)
			require.True(t, bytes.Equal(p1.Bytes(), s1.PublicKey().Bytes()), "k*G differs from crypto/ecdh for k = %x", k1)
			z, err := s2.ECDH(s1.PublicKey())
			require.NoError(t, err)
			require.True(t, bytes.Equal(p1.ScalarMult(k2).XBytes(), z), "k2*(k1*G) differs from crypto/ecdh")
		}
		bp := BrainpoolP256r1()
		g := bp.Generator()
		sum := new(big.Int).Add(k1, k2)
		lhs := bp.ScalarBaseMult(k1).Add(bp.ScalarBaseMult(k2))
		require.True(t, lhs.Equal(bp.ScalarBaseMult(sum)), "linearity fails for %x, %x", k1, k2)
		require.True(t, lhs.Equal(g.ScalarMult(sum)), "linearity fails for %x, %x", k1, k2)
	})
}
