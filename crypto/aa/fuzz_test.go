package aa

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
)

// fuzzVerifiers are the keys FuzzVerify checks responses against: the
// RSA-1024 key of the Bouncy Castle AA vector, RSA-2048, brainpoolP256r1
// and P-256.
func fuzzVerifiers(f *testing.F) []*Verifier {
	v := readVector(f, "bouncycastle/aa-rsa1024-sha1.txt")
	bc, err := NewVerifier(&vectorKey(v).PublicKey, nil)
	require.NoError(f, err)
	out := []*Verifier{bc}
	for _, name := range []string{"rsa-2048.pkcs8.der", "ec-brainpoolP256r1.pkcs8.der", "ec-prime256v1.pkcs8.der"} {
		c, err := NewChip(loadKey(f, name), nil)
		require.NoError(f, err)
		ver, err := NewVerifier(c.Public(), c.Info())
		require.NoError(f, err)
		out = append(out, ver)
	}
	return out
}

// FuzzVerify feeds any response to the verifiers: no panic, and every
// failure is an *Error wrapping ErrSignature or ErrChallenge.
func FuzzVerify(f *testing.F) {
	vs := fuzzVerifiers(f)
	v := readVector(f, "bouncycastle/aa-rsa1024-sha1.txt")
	f.Add(uint8(0), v["challenge"], v["signature"])
	f.Add(uint8(0), v["challenge"], minimal(vectorKey(v).N, v["signature"]))
	o := readVector(f, "openssl/aa-rsa2048-sha256.txt")
	f.Add(uint8(1), o["challenge"], o["signature"])
	f.Add(uint8(2), o["challenge"], make([]byte, 64))
	f.Add(uint8(3), o["challenge"], bytes.Repeat([]byte{0xFF}, 64))
	f.Add(uint8(1), []byte{}, []byte{})
	f.Fuzz(func(t *testing.T, which uint8, challenge, response []byte) {
		ver := vs[int(which)%len(vs)]
		err := ver.Verify(challenge, response)
		if err == nil {
			return
		}
		var e *Error
		require.ErrorAs(t, err, &e, "unexpected error %v", err)
		require.False(t, !(errors.Is(err, ErrSignature) || errors.Is(err, ErrChallenge)), "unexpected error %v", err)
	})
}

// FuzzRecover reads any representative F: no panic, and a representative
// that parses encodes back to the same bytes.
func FuzzRecover(f *testing.F) {
	for _, file := range []string{"openssl/aa-rsa2048-sha256.txt", "openssl/aa-rsa4096-sha1.txt"} {
		f.Add(readVector(f, file)["representative"])
	}
	f.Add([]byte{0x6B, 0xBA, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0xBC})
	f.Add([]byte{0x4B, 0xBB, 0xBA, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 0x33, 0xCC})
	f.Add([]byte{0x6A, 0x32, 0xCC})
	f.Fuzz(func(t *testing.T, b []byte) {
		r, bad := parseRepresentative(b, crypto.SHA1)
		if bad != "" {
			require.True(t, r == nil, "result with an error")
			return
		}
		_ = r.check([]byte("12345678"))
		if r.hash == 0 {
			return // a hash without crypto.Hash: nothing to encode with
		}
		out, ok := r.encode(len(b))
		require.True(t, ok, "parsed but does not encode: %x", b)
		require.True(t, bytes.Equal(out, b), "round trip\n in %x\nout %x", b, out)
	})
}

// FuzzRSARecover runs the public-key operation on any signature bytes
// with the 640-bit Bouncy Castle key, reaching the representative parser
// with values a fuzzer cannot aim at.
func FuzzRSARecover(f *testing.F) {
	v := readVector(f, "bouncycastle/scheme1-partial-ripemd160-implicit.txt")
	pub := &rsa.PublicKey{N: bigInt(v["modulus"]), E: 3}
	f.Add(v["signature"])
	f.Add(readVector(f, "bouncycastle/scheme1-full-ripemd128-explicit.txt")["signature"])
	f.Fuzz(func(t *testing.T, sig []byte) {
		_, _ = verifyRSA(pub, []byte("12345678"), sig, crypto.SHA1)
	})
}

// FuzzParsePrivateKey: no panic on any bytes; a key that parses writes
// and parses back to the same key.
func FuzzParsePrivateKey(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "keys", "*.der"))
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		if len(b) < 1000 { // the large RSA keys make slow seeds
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		k, err := ParsePrivateKey(der)
		if err != nil {
			require.False(t, !errors.Is(err, ErrMalformedKey) && !errors.Is(err, ErrUnsupportedKey), "unexpected error %v", err)
			return
		}
		out, err := MarshalPrivateKey(k)
		require.NoError(t, err, "parsed key does not marshal")
		k2, err := ParsePrivateKey(out)
		require.NoError(t, err, "marshalled key does not parse")
		require.True(t, k2.(interface{ Equal(crypto.PrivateKey) bool }).Equal(k), "round trip changed the key")
	})
}

// FuzzChipHandle sends any command APDU to an EC chip: no panic, and an
// error exactly when the status word is not 9000.
func FuzzChipHandle(f *testing.F) {
	c, err := NewChip(loadKey(f, "ec-brainpoolP256r1.pkcs8.der"), nil)
	require.NoError(f, err)
	b, _ := apdu.InternalAuthenticate(make([]byte, 8)).Bytes()
	f.Add(b)
	f.Add([]byte{0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x00})
	f.Add([]byte{0x00, 0x88, 0x01, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x20})
	f.Fuzz(func(t *testing.T, b []byte) {
		cmd, err := apdu.ParseCommand(b)
		if err != nil {
			return
		}
		resp, err := c.Handle(cmd)
		require.Equal(t, (resp.SW == apdu.SWSuccess), (err == nil), "SW %04X with error %v", uint16(resp.SW), err)
		require.False(t, err == nil && len(resp.Data) != 64, "response of %d bytes", len(resp.Data))
	})
}
