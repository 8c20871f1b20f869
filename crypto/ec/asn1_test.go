package ec

import (
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

var opensslNames = map[string]string{
	"brainpoolP192r1": "brainpoolP192r1", "brainpoolP224r1": "brainpoolP224r1",
	"brainpoolP256r1": "brainpoolP256r1", "brainpoolP320r1": "brainpoolP320r1",
	"brainpoolP384r1": "brainpoolP384r1", "brainpoolP512r1": "brainpoolP512r1",
	"P-192": "prime192v1", "P-224": "secp224r1", "P-256": "prime256v1",
	"P-384": "secp384r1", "P-521": "secp521r1",
}

// OpenSSL's explicit encodings of every named curve must parse to that
// curve, and ours must be byte-identical to OpenSSL's (-no_seed).
func TestExplicitParamsOpenSSL(t *testing.T) {
	for _, c := range Curves() {
		t.Run(c.Name(), func(t *testing.T) {
			der, err := os.ReadFile("testdata/openssl/explicit-" + opensslNames[c.Name()] + ".der")
			require.NoError(t, err)
			got, explicit, err := ParseECParameters(der)
			require.NoError(t, err)
			require.True(t, explicit)
			require.Same(t, c, got)
			mine, err := MarshalECParameters(c, true)
			require.NoError(t, err)
			require.Equal(t, der, mine)
			named, err := MarshalECParameters(c, false)
			require.NoError(t, err)
			got, explicit, err = ParseECParameters(named)
			require.NoError(t, err)
			require.False(t, explicit)
			require.Same(t, c, got)
		})
	}
	// With the SEC 2 seed in Curve (BIT STRING).
	der, err := os.ReadFile("testdata/openssl/explicit-seed-prime256v1.der")
	require.NoError(t, err)
	got, explicit, err := ParseECParameters(der)
	require.NoError(t, err)
	require.True(t, explicit)
	require.Same(t, P256(), got)
}

// The Vietnamese CSCA case: an ECDSA brainpoolP512r1 key with explicit
// parameters, and a SHA-512 signature made by OpenSSL with it.
func TestBrainpoolP512r1ExplicitSPKI(t *testing.T) {
	der, err := os.ReadFile("testdata/openssl/bp512-explicit-spki.der")
	require.NoError(t, err)
	pub, explicit, err := ParseSubjectPublicKeyInfo(der)
	require.NoError(t, err)
	require.True(t, explicit)
	require.Same(t, BrainpoolP512r1(), pub.Curve())
	again, err := MarshalSubjectPublicKeyInfo(pub, true)
	require.NoError(t, err)
	require.Equal(t, der, again, "explicit SPKI round trip")

	namedDER, err := os.ReadFile("testdata/openssl/bp512-named-spki.der")
	require.NoError(t, err)
	pub2, explicit, err := ParseSubjectPublicKeyInfo(namedDER)
	require.NoError(t, err)
	require.False(t, explicit)
	require.True(t, pub.Equal(pub2))
	again, err = MarshalSubjectPublicKeyInfo(pub, false)
	require.NoError(t, err)
	require.Equal(t, namedDER, again)

	msg, err := os.ReadFile("testdata/openssl/message.txt")
	require.NoError(t, err)
	sig, err := os.ReadFile("testdata/openssl/bp512-sha512.sig")
	require.NoError(t, err)
	digest := sha512.Sum512(msg)
	require.True(t, pub.VerifyASN1(digest[:], sig))
	digest[0] ^= 1
	require.False(t, pub.VerifyASN1(digest[:], sig))

	// The private key (PKCS#8 / SEC 1 with explicit parameters) gives the
	// same public key.
	pemBytes, err := os.ReadFile("testdata/openssl/bp512-explicit-key.pem")
	require.NoError(t, err)
	blk, _ := pem.Decode(pemBytes)
	require.NotNil(t, blk)
	d := sec1PrivateScalar(t, blk.Bytes)
	priv, err := NewPrivateKey(BrainpoolP512r1(), d)
	require.NoError(t, err)
	require.True(t, priv.PublicKey.Equal(pub))
}

// sec1PrivateScalar pulls the privateKey OCTET STRING out of an SEC 1
// ECPrivateKey (RFC 5915): SEQUENCE { 1, OCTET STRING d, ... }.
func sec1PrivateScalar(t *testing.T, der []byte) []byte {
	t.Helper()
	// Minimal reader: 30 len 02 01 01 04 len d
	i := 2
	if der[1]&0x80 != 0 {
		i += int(der[1] & 0x7f)
	}
	require.Equal(t, []byte{2, 1, 1, 4}, der[i:i+4])
	l := int(der[i+4])
	return der[i+5 : i+5+l]
}

// SPKI of every curve, named and explicit, round trips; the standard
// library reads our named NIST encodings.
func TestSPKIRoundTrip(t *testing.T) {
	for _, c := range Curves() {
		k, err := GenerateKey(c, rand.NewChaCha8([32]byte{3}))
		require.NoError(t, err)
		for _, explicit := range []bool{false, true} {
			der, err := MarshalSubjectPublicKeyInfo(&k.PublicKey, explicit)
			require.NoError(t, err)
			pub, ex, err := ParseSubjectPublicKeyInfo(der)
			require.NoError(t, err, c.Name())
			require.Equal(t, explicit, ex)
			require.True(t, pub.Equal(&k.PublicKey))
			if !explicit && c.stdECDSA != nil {
				_, err := x509.ParsePKIXPublicKey(der)
				require.NoError(t, err, c.Name())
			}
		}
	}
}

func TestParseECParametersErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/openssl/explicit-brainpoolP256r1.der")
	require.NoError(t, err)
	mut := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"empty", nil, ErrMalformed},
		{"implicitlyCA", []byte{5, 0}, ErrUnsupported},
		{"unknown OID", vectors.Unhex(t, "06092B2403030208010101"), ErrUnknownCurve},
		{"trailing", append(append([]byte(nil), good...), 0), ErrMalformed},
		{"truncated", good[:len(good)-1], ErrMalformed},
		{"version 0", mut(func(b []byte) []byte { b[5] = 0; return b }), ErrUnsupported},
		{"char-two field", mut(func(b []byte) []byte { b[15] = 2; return b }), ErrUnsupported},
		{"b changed", mut(func(b []byte) []byte { b[100] ^= 1; return b }), ErrNotOnCurve},
		{"G changed", mut(func(b []byte) []byte { b[140] ^= 1; return b }), ErrNotOnCurve},
		{"order changed", mut(func(b []byte) []byte { b[len(b)-5] ^= 1; return b }), ErrInvalidCurve},
		{"too large", make([]byte, MaxParametersLen+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseECParameters(tc.in)
			require.ErrorIs(t, err, tc.err)
		})
	}
}

func TestParseSPKIErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/openssl/bp512-named-spki.der")
	require.NoError(t, err)
	rsa := vectors.Unhex(t, "300D06092A864886F70D0101010500")
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"empty", nil, ErrMalformed},
		{"RSA", append(append([]byte{0x30, byte(len(rsa) + 3)}, rsa...), 3, 1, 0), ErrUnsupported},
		{"truncated", good[:len(good)-1], ErrMalformed},
		{"off-curve key", func() []byte { b := append([]byte(nil), good...); b[len(b)-1] ^= 1; return b }(), ErrNotOnCurve},
		{"too large", make([]byte, MaxSPKILen+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseSubjectPublicKeyInfo(tc.in)
			require.ErrorIs(t, err, tc.err)
		})
	}
}

// Live interoperability with the openssl command, when installed: OpenSSL
// signs with an explicit-parameter brainpoolP512r1 key and we verify; we
// sign and OpenSSL verifies.
func TestOpenSSLInterop(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed: live interoperability test skipped")
	}
	dir := t.TempDir()
	run := func(args ...string) string {
		out, err := exec.Command(bin, args...).CombinedOutput()
		require.NoError(t, err, "openssl %s: %s", strings.Join(args, " "), out)
		return string(out)
	}
	for _, name := range []string{"brainpoolP256r1", "brainpoolP512r1", "prime192v1"} {
		key := filepath.Join(dir, name+".pem")
		spki := filepath.Join(dir, name+".der")
		msg := filepath.Join(dir, "msg")
		sig := filepath.Join(dir, name+".sig")
		require.NoError(t, os.WriteFile(msg, []byte("interop "+name), 0o600))
		run("ecparam", "-name", name, "-param_enc", "explicit", "-genkey", "-noout", "-out", key)
		run("ec", "-in", key, "-param_enc", "explicit", "-pubout", "-outform", "DER", "-out", spki)
		run("dgst", "-sha256", "-sign", key, "-out", sig, msg)
		der, err := os.ReadFile(spki)
		require.NoError(t, err)
		pub, explicit, err := ParseSubjectPublicKeyInfo(der)
		require.NoError(t, err)
		require.True(t, explicit)
		s, err := os.ReadFile(sig)
		require.NoError(t, err)
		m, err := os.ReadFile(msg)
		require.NoError(t, err)
		digest := sha256.Sum256(m)
		require.True(t, pub.VerifyASN1(digest[:], s), name)

		// Our signature, verified by OpenSSL with our SPKI.
		blk, _ := pem.Decode([]byte(run("ec", "-in", key, "-no_public")))
		require.NotNil(t, blk)
		priv, err := NewPrivateKey(pub.Curve(), sec1PrivateScalar(t, blk.Bytes))
		require.NoError(t, err)
		ours, err := priv.Sign(nil, digest[:], crypto.SHA256)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(sig, ours, 0o600))
		mySPKI, err := MarshalSubjectPublicKeyInfo(&priv.PublicKey, true)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(spki, mySPKI, 0o600))
		out := run("dgst", "-sha256", "-verify", spki, "-keyform", "DER", "-signature", sig, msg)
		require.Contains(t, out, "Verified OK")
	}
}

// specifiedDomain encodes a SpecifiedECDomain with arbitrary values, for
// hostile-input tests.
func specifiedDomain(c *Curve, n, h *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(OIDPrimeField)
			b.AddASN1BigInt(c.p)
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1OctetString(c.a.FillBytes(make([]byte, c.byteLen)))
			b.AddASN1OctetString(c.b.FillBytes(make([]byte, c.byteLen)))
		})
		b.AddASN1OctetString(c.Generator().BytesCompressed())
		b.AddASN1BigInt(n)
		if h != nil {
			b.AddASN1BigInt(h)
		}
	})
	return b.BytesOrPanic()
}

func TestParseECParametersHostileOrder(t *testing.T) {
	c := BrainpoolP256r1()
	for _, tc := range []struct {
		name string
		n, h *big.Int
	}{
		{"zero order, no cofactor", big.NewInt(0), nil},
		{"negative order", big.NewInt(-7), nil},
		{"order 1", big.NewInt(1), nil},
		{"zero cofactor", c.n, big.NewInt(0)},
		{"negative cofactor", c.n, big.NewInt(-1)},
		{"huge cofactor", c.n, new(big.Int).Lsh(big.NewInt(1), 70)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseECParameters(specifiedDomain(c, tc.n, tc.h))
			require.ErrorIs(t, err, ErrInvalidCurve)
		})
	}
	// Compressed base point, cofactor absent: accepted as the named curve.
	got, explicit, err := ParseECParameters(specifiedDomain(c, c.n, nil))
	require.NoError(t, err)
	require.True(t, explicit)
	require.Same(t, c, got)
}
