package aa

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
	//lint:ignore SA1019 the ISO/IEC 9796-2 vectors are RIPEMD-160; no other package provides it
	"golang.org/x/crypto/ripemd160"

	cryptorand "crypto/rand"
)

var _ = ripemd160.New // registers crypto.RIPEMD160

func vectorKey(v map[string][]byte) *rsa.PrivateKey {
	return &rsa.PrivateKey{
		PublicKey: rsa.PublicKey{N: bigInt(v["modulus"]), E: int(bigInt(v["public-exponent"]).Int64())},
		D:         bigInt(v["private-exponent"]),
	}
}

// TestBouncyCastleAA checks an eMRTD INTERNAL AUTHENTICATE response
// (RSA-1024, SHA-1 'BC', partial recovery) through the public API, and
// re-creates it with the chip side fed the recovered M1.
func TestBouncyCastleAA(t *testing.T) {
	v := readVector(t, "bouncycastle/aa-rsa1024-sha1.txt")
	key := vectorKey(v)
	pub := &key.PublicKey

	ver, err := NewVerifier(pub, nil)
	require.NoError(t, err)
	require.Equal(t, 128, ver.ResponseLen())
	require.False(t, ver.NeedsExtendedLength())
	require.NoError(t, ver.Verify(v["challenge"], v["signature"]))

	r, bad := recoverRSA(pub, v["signature"], crypto.SHA1)
	require.Empty(t, bad)
	require.True(t, r.partial)
	require.Zero(t, r.id)
	require.Len(t, r.m1, 128-1-20-1)

	// Any other challenge, or a changed signature, fails.
	other := bytes.Clone(v["challenge"])
	other[7] = 1
	require.ErrorIs(t, ver.Verify(other, v["signature"]), ErrSignature)
	for _, i := range []int{0, 64, 127} {
		sig := bytes.Clone(v["signature"])
		sig[i] ^= 0x01
		require.ErrorIs(t, ver.Verify(v["challenge"], sig), ErrSignature, i)
	}

	// The chip side signs the same M1 into the same bytes (the blinding
	// takes further random bytes and does not change the result).
	chip, err := NewChip(key, &ChipConfig{Rand: io.MultiReader(bytes.NewReader(r.m1), cryptorand.Reader), Hash: crypto.SHA1})
	require.NoError(t, err)
	sig, err := chip.Sign(v["challenge"])
	require.NoError(t, err)
	require.Equal(t, v["signature"], sig)

	// min(s, n-s) verifies too.
	require.NoError(t, ver.Verify(v["challenge"], minimal(pub.N, v["signature"])))
}

// TestBouncyCastlePartialRIPEMD160 checks scheme 1 with partial recovery
// and the implicit trailer standing for RIPEMD-160.
func TestBouncyCastlePartialRIPEMD160(t *testing.T) {
	v := readVector(t, "bouncycastle/scheme1-partial-ripemd160-implicit.txt")
	key := vectorKey(v)
	msg, sig := v["message"], v["signature"]

	r, bad := recoverRSA(&key.PublicKey, sig, crypto.RIPEMD160)
	require.Empty(t, bad)
	require.True(t, r.partial)
	require.Equal(t, crypto.RIPEMD160, r.hash)
	require.Len(t, r.m1, 80-1-20-1)
	require.Equal(t, msg[:len(r.m1)], r.m1)

	m2 := msg[len(r.m1):]
	_, bad = verifyRSA(&key.PublicKey, m2, sig, crypto.RIPEMD160)
	require.Empty(t, bad)
	_, bad = verifyRSA(&key.PublicKey, m2[1:], sig, crypto.RIPEMD160)
	require.Equal(t, "hash", bad)
	// Read with SHA-1 as the implied hash, the digest does not match.
	_, bad = verifyRSA(&key.PublicKey, m2, sig, crypto.SHA1)
	require.Equal(t, "hash", bad)

	// Signing: encode F and apply the private key (no CRT values here).
	h := crypto.RIPEMD160.New()
	h.Write(msg)
	f, ok := (&representative{partial: true, m1: msg[:len(r.m1)], digest: h.Sum(nil), hash: crypto.RIPEMD160}).encode(80)
	require.True(t, ok)
	got, err := rsaPrivate(key, f, cryptorand.Reader)
	require.NoError(t, err)
	require.Equal(t, sig, got)
}

// TestBouncyCastleFullRIPEMD128 checks full recovery with padding and an
// explicit trailer naming RIPEMD-128, whose hash Go cannot compute.
func TestBouncyCastleFullRIPEMD128(t *testing.T) {
	v := readVector(t, "bouncycastle/scheme1-full-ripemd128-explicit.txt")
	key := vectorKey(v)
	msg, sig := v["message"], v["signature"]

	r, bad := recoverRSA(&key.PublicKey, sig, crypto.SHA1)
	require.Empty(t, bad)
	require.False(t, r.partial)
	require.Equal(t, byte(0x32), r.id)
	require.Zero(t, r.hash)
	require.Len(t, r.digest, 16)
	require.Equal(t, msg, r.m1)
	require.Equal(t, "hash function not available", r.check(nil))

	// The encoding, padding included, gives the same representative.
	f, ok := (&representative{m1: msg, digest: r.digest, hash: crypto.MD5, id: 0x32}).encode(80)
	require.True(t, ok) // MD5 stands in: same 16-byte size
	got, err := rsaPrivate(key, f, cryptorand.Reader)
	require.NoError(t, err)
	require.Equal(t, sig, got)
}
