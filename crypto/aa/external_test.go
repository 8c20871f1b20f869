package aa

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	cryptorand "crypto/rand"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestOpenSSLRSA verifies responses whose RSA operation OpenSSL did, and
// signs the same M1 with the chip side into the same bytes.
func TestOpenSSLRSA(t *testing.T) {
	for _, tc := range []struct {
		file, key string
		hash      crypto.Hash
	}{
		{"openssl/aa-rsa2048-sha256.txt", "rsa-2048.pkcs8.der", crypto.SHA256},
		{"openssl/aa-rsa4096-sha1.txt", "rsa-4096.pkcs8.der", crypto.SHA1},
	} {
		v := readVector(t, tc.file)
		k := loadKey(t, tc.key).(*rsa.PrivateKey)
		ver, err := NewVerifier(&k.PublicKey, nil)
		require.NoError(t, err)
		require.NoError(t, ver.Verify(v["challenge"], v["signature"]), tc.file)

		r, bad := recoverRSA(&k.PublicKey, v["signature"], crypto.SHA1)
		require.Empty(t, bad)
		require.Equal(t, v["m1"], r.m1)
		require.Equal(t, tc.hash, r.hash)

		c, err := NewChip(k, &ChipConfig{Rand: io.MultiReader(bytes.NewReader(v["m1"]), cryptorand.Reader), Hash: tc.hash})
		require.NoError(t, err)
		sig, err := c.Sign(v["challenge"])
		require.NoError(t, err)
		require.Equal(t, v["signature"], sig, tc.file)
	}
}

// TestOpenSSLECDSA verifies ECDSA signatures of OpenSSL, as a chip would
// return them: plain r || s, and DER as some chips do.
func TestOpenSSLECDSA(t *testing.T) {
	for _, tc := range []struct {
		file, key string
		alg       []int
	}{
		{"openssl/aa-ecdsa-brainpoolP256r1-sha256.txt", "ec-brainpoolP256r1.pkcs8.der", secinfo.OIDECDSAPlainSHA256},
		{"openssl/aa-ecdsa-brainpoolP384r1-sha384.txt", "ec-brainpoolP384r1.pkcs8.der", secinfo.OIDECDSAPlainSHA384},
		{"openssl/aa-ecdsa-prime256v1-sha256.txt", "ec-prime256v1.pkcs8.der", secinfo.OIDECDSAWithSHA256},
	} {
		v := readVector(t, tc.file)
		c, err := NewChip(loadKey(t, tc.key), nil)
		require.NoError(t, err)
		pub := c.Public()
		var curve *ec.Curve
		switch p := pub.(type) {
		case *ec.PublicKey:
			curve = p.Curve()
		default:
			curve = ec.P256()
		}
		sig, err := ec.ASN1ToPlain(curve, v["signature-der"])
		require.NoError(t, err)
		info := &secinfo.ActiveAuthenticationInfo{Protocol: secinfo.OIDAA, Version: 1, SignatureAlgorithm: tc.alg}
		ver, err := NewVerifier(pub, info)
		require.NoError(t, err)
		require.NoError(t, ver.Verify(v["challenge"], sig), tc.file)
		sig[len(sig)-1] ^= 1
		require.ErrorIs(t, ver.Verify(v["challenge"], sig), ErrSignature)
		// The DER form, which some chips send: the same signature.
		require.NoError(t, ver.Verify(v["challenge"], v["signature-der"]), tc.file)
		der := bytes.Clone(v["signature-der"])
		der[len(der)-1] ^= 1
		require.ErrorIs(t, ver.Verify(v["challenge"], der), ErrSignature)
	}
}

// TestKeyEncodings parses every OpenSSL key file, writes it back and
// parses that again.
func TestKeyEncodings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "keys", "*.der"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		der, err := os.ReadFile(f)
		require.NoError(t, err)
		k, err := ParsePrivateKey(der)
		require.NoError(t, err, f)
		out, err := MarshalPrivateKey(k)
		require.NoError(t, err, f)
		k2, err := ParsePrivateKey(out)
		require.NoError(t, err, f)
		require.True(t, k2.(interface{ Equal(crypto.PrivateKey) bool }).Equal(k), f)
		out2, err := MarshalPrivateKey(k2)
		require.NoError(t, err)
		require.Equal(t, out, out2, f)
	}

	// Brainpool: the RFC 5915 encoding OpenSSL writes, byte for byte.
	for _, curve := range []string{"brainpoolP256r1", "brainpoolP384r1"} {
		want, err := os.ReadFile(filepath.Join("testdata", "keys", "ec-"+curve+".rfc5915.der"))
		require.NoError(t, err)
		k := loadKey(t, "ec-"+curve+".pkcs8.der")
		require.IsType(t, (*ec.PrivateKey)(nil), k)
		got, err := MarshalPrivateKey(k)
		require.NoError(t, err)
		require.Equal(t, want, got, curve)
	}
	// The explicit-parameter file gives the named curve.
	k := loadKey(t, "ec-brainpoolP256r1-explicit.rfc5915.der").(*ec.PrivateKey)
	require.Equal(t, ec.BrainpoolP256r1(), k.Curve())

	// An *ec.PrivateKey on P-256 goes to PKCS #8 and comes back as ecdsa.
	ek, err := ec.GenerateKey(ec.P256(), cryptorand.Reader)
	require.NoError(t, err)
	der, err := MarshalPrivateKey(ek)
	require.NoError(t, err)
	back, err := ParsePrivateKey(der)
	require.NoError(t, err)
	c1, err := NewChip(back, nil)
	require.NoError(t, err)
	require.IsType(t, (*ecdsa.PrivateKey)(nil), back)
	require.Equal(t, mustSPKI(t, mustChip(t, ek)), mustSPKI(t, c1))
}

func mustChip(t *testing.T, k crypto.Signer) *Chip {
	c, err := NewChip(k, nil)
	require.NoError(t, err)
	return c
}

func mustSPKI(t *testing.T, c *Chip) []byte {
	b, err := c.SubjectPublicKeyInfo()
	require.NoError(t, err)
	return b
}

// TestParsePrivateKeyErrors: malformed and unsupported encodings.
func TestParsePrivateKeyErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "keys", "ec-brainpoolP256r1.rfc5915.der"))
	require.NoError(t, err)
	for i := range len(good) {
		_, err := ParsePrivateKey(good[:i])
		require.Error(t, err, i)
	}
	_, err = ParsePrivateKey(make([]byte, MaxPrivateKeyLen+1))
	require.ErrorIs(t, err, ErrMalformedKey)
	_, err = ParsePrivateKey(nil)
	require.ErrorIs(t, err, ErrMalformedKey)

	// Scalar zero and scalar n.
	zero := bytes.Clone(good)
	clear(zero[7:39])
	_, err = ParsePrivateKey(zero)
	require.ErrorIs(t, err, ErrMalformedKey)

	// PKCS #8 whose curve differs from the one inside.
	p8, err := os.ReadFile(filepath.Join("testdata", "keys", "ec-brainpoolP256r1.pkcs8.der"))
	require.NoError(t, err)
	i := bytes.Index(p8, []byte{0x06, 0x09, 0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07})
	require.Positive(t, i)
	other := bytes.Clone(p8)
	other[i+10] = 0x0B // brainpoolP384r1
	_, err = ParsePrivateKey(other)
	require.Error(t, err)

	// A curve without OID cannot be written.
	_, err = MarshalPrivateKey(nil)
	require.ErrorIs(t, err, ErrUnsupportedKey)
}

// TestECDSAHashOtherThanKeySize: DG14 names the hash, whatever the key size
// suggests (a P-256 key with SHA-512, a P-384 key with SHA-256): the chip
// signs with it and the verifier checks with it, plain and DER.
func TestECDSAHashOtherThanKeySize(t *testing.T) {
	for _, tc := range []struct {
		curve *ec.Curve
		alg   []int
		hash  crypto.Hash
	}{
		{ec.P256(), secinfo.OIDECDSAPlainSHA512, crypto.SHA512},
		{ec.BrainpoolP384r1(), secinfo.OIDECDSAPlainSHA256, crypto.SHA256},
	} {
		k, err := ec.GenerateKey(tc.curve, cryptorand.Reader)
		require.NoError(t, err)
		c, err := NewChip(k, &ChipConfig{Hash: tc.hash})
		require.NoError(t, err)
		challenge := bytes.Repeat([]byte{7}, ChallengeSize)
		sig, err := c.Sign(challenge)
		require.NoError(t, err)
		info := &secinfo.ActiveAuthenticationInfo{Protocol: secinfo.OIDAA, Version: 1, SignatureAlgorithm: tc.alg}
		ver, err := NewVerifier(c.Public(), info)
		require.NoError(t, err)
		require.NoError(t, ver.Verify(challenge, sig))
		h := tc.hash.New()
		h.Write(challenge)
		der, err := k.Sign(cryptorand.Reader, h.Sum(nil), tc.hash)
		require.NoError(t, err)
		require.NoError(t, ver.Verify(challenge, der), "DER")
		// The hash the key size suggests instead: refused.
		other := &secinfo.ActiveAuthenticationInfo{Protocol: secinfo.OIDAA, Version: 1, SignatureAlgorithm: secinfo.OIDECDSAPlainSHA384}
		ver, err = NewVerifier(c.Public(), other)
		require.NoError(t, err)
		require.ErrorIs(t, ver.Verify(challenge, sig), ErrSignature)
	}
}
