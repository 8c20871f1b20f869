package ec

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/sha512"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

var hashes = map[string]crypto.Hash{
	"SHA-1": crypto.SHA1, "SHA-224": crypto.SHA224, "SHA-256": crypto.SHA256,
	"SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512,
}

func digestOf(h crypto.Hash, msg string) []byte {
	w := h.New()
	w.Write([]byte(msg))
	return w.Sum(nil)
}

// RFC 6979 A.2.5 and A.2.6: the nonce, r and s, and verification both
// through the generic code and the standard library.
func TestRFC6979(t *testing.T) {
	for _, set := range vectors.Blocks(t, "testdata/rfc6979/ecdsa.txt") {
		v := set.Values
		t.Run(v["curve"]+"/"+v["hash"]+"/"+v["msg"], func(t *testing.T) {
			c, err := ByName(v["curve"])
			require.NoError(t, err)
			h := hashes[v["hash"]]
			digest := digestOf(h, v["msg"])
			k, err := NewPrivateKey(c, vectors.Unhex(t, v["x"]))
			require.NoError(t, err)
			if ux, ok := v["Ux"]; ok {
				require.Equal(t, ux, hexPad(k.Point().X(), c))
				require.Equal(t, v["Uy"], hexPad(k.Point().Y(), c))
			}
			if want, ok := v["k"]; ok {
				g := newRFC6979(c.n, k.d, hashToInt(digest, c.n), h.New, nil)
				require.Equal(t, 0, hexInt(t, want).Cmp(g.next()))
			}
			r, s, err := k.SignDeterministic(digest, h)
			require.NoError(t, err)
			require.Equal(t, 0, hexInt(t, v["r"]).Cmp(r))
			require.Equal(t, 0, hexInt(t, v["s"]).Cmp(s))
			pub := &k.PublicKey
			require.True(t, pub.Verify(digest, r, s))
			require.True(t, pub.verifyGeneric(digest, r, s))
			plain, err := EncodeSignaturePlain(c, r, s)
			require.NoError(t, err)
			require.Equal(t, v["r"]+v["s"], hexUpper(plain))
			require.True(t, pub.VerifyPlain(digest, plain))
			der, err := PlainToASN1(c, plain)
			require.NoError(t, err)
			require.True(t, pub.VerifyASN1(digest, der))
			back, err := ASN1ToPlain(c, der)
			require.NoError(t, err)
			require.Equal(t, plain, back)
			// A changed digest or signature fails.
			bad := append([]byte(nil), digest...)
			bad[0] ^= 1
			require.False(t, pub.Verify(bad, r, s))
			require.False(t, pub.verifyGeneric(bad, r, s))
			require.False(t, pub.Verify(digest, s, r))
		})
	}
}

// Sign/verify on every curve, each direction; on the NIST curves the
// generic verifier must accept the standard library's signatures and the
// standard library must accept the generic ones.
func TestSignVerifyAllCurves(t *testing.T) {
	digest := sha256.Sum256([]byte("cancuoc"))
	for _, c := range Curves() {
		t.Run(c.Name(), func(t *testing.T) {
			k, err := GenerateKey(c, rand.NewChaCha8([32]byte{7}))
			require.NoError(t, err)
			sig, err := k.Sign(rand.NewChaCha8([32]byte{8}), digest[:], crypto.SHA256)
			require.NoError(t, err)
			require.True(t, k.PublicKey.VerifyASN1(digest[:], sig))
			r, s, err := ParseSignatureASN1(sig)
			require.NoError(t, err)
			require.True(t, k.PublicKey.verifyGeneric(digest[:], r, s))
			plain, err := k.SignPlain(nil, digest[:], crypto.SHA256)
			require.NoError(t, err)
			require.Len(t, plain, 2*c.OrderByteLen())
			require.True(t, k.PublicKey.VerifyPlain(digest[:], plain))
			dr, ds, err := k.SignDeterministic(digest[:], crypto.SHA256)
			require.NoError(t, err)
			require.True(t, k.PublicKey.Verify(digest[:], dr, ds))
			if c.stdECDSA != nil {
				pub, err := ecdsa.ParseUncompressedPublicKey(c.stdECDSA, k.PublicKey.Bytes())
				require.NoError(t, err)
				require.True(t, ecdsa.Verify(pub, digest[:], dr, ds))
			}
			// Truncation: a digest longer than n (SHA-512 on 256-bit curves).
			d512 := sha512.Sum512([]byte("cancuoc"))
			sig, err = k.Sign(nil, d512[:], crypto.SHA512)
			require.NoError(t, err)
			require.True(t, k.PublicKey.VerifyASN1(d512[:], sig))
			r, s, err = ParseSignatureASN1(sig)
			require.NoError(t, err)
			require.True(t, k.PublicKey.verifyGeneric(d512[:], r, s))
			// Wrong key.
			other, err := GenerateKey(c, rand.NewChaCha8([32]byte{9}))
			require.NoError(t, err)
			require.False(t, other.PublicKey.VerifyASN1(d512[:], sig))
		})
	}
}

func TestSignatureEncodingErrors(t *testing.T) {
	c := BrainpoolP256r1()
	for _, tc := range []struct {
		name string
		der  string
	}{
		{"empty", ""},
		{"not sequence", "020101"},
		{"trailing", "3006020101020101 00"},
		{"negative r", "30060201FF020101"},
		{"zero s", "3006020101020100"},
		{"non-minimal", "300702020001020101"},
		{"extra element", "3009020101020101020101"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseSignatureASN1(vectors.Unhex(t, tc.der))
			require.ErrorIs(t, err, ErrInvalidSignature)
		})
	}
	_, _, err := ParseSignaturePlain(c, make([]byte, 63))
	require.ErrorIs(t, err, ErrInvalidSignature)
	_, err = PlainToASN1(c, make([]byte, 64))
	require.ErrorIs(t, err, ErrInvalidSignature)
	big1 := new(big.Int).Lsh(big.NewInt(1), 300)
	_, err = EncodeSignaturePlain(c, big1, big.NewInt(1))
	require.ErrorIs(t, err, ErrInvalidSignature)
	k, err := GenerateKey(c, rand.NewChaCha8([32]byte{1}))
	require.NoError(t, err)
	_, err = k.Sign(nil, make([]byte, 20), crypto.SHA256)
	require.ErrorIs(t, err, ErrInvalidSignature)
	require.False(t, k.PublicKey.Verify(make([]byte, 32), c.N(), big.NewInt(1)))
	require.False(t, k.PublicKey.Verify(make([]byte, 32), big.NewInt(0), big.NewInt(1)))
	require.NotContains(t, k.String(), k.d.Text(16))
}
