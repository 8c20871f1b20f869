package aa

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestRoundTrip runs both sides against each other over encoded APDUs:
// RSA-1024 to 4096 with SHA-1 ('BC') and SHA-256 ('34CC'), ECDSA on
// P-256 and brainpoolP256r1/P384r1.
func TestRoundTrip(t *testing.T) {
	cases := []struct {
		key      string
		hash     crypto.Hash
		explicit bool
		minimal  bool
		trailer  []byte // RSA: expected trailer of F
		respLen  int
		extended bool
	}{
		{key: "rsa-1024.pkcs8.der", hash: crypto.SHA1, trailer: []byte{0xBC}, respLen: 128},
		{key: "rsa-1024.pkcs8.der", hash: crypto.SHA256, trailer: []byte{0x34, 0xCC}, respLen: 128},
		{key: "rsa-1024.pkcs8.der", hash: crypto.SHA1, explicit: true, trailer: []byte{0x33, 0xCC}, respLen: 128},
		{key: "rsa-1024.pkcs8.der", hash: crypto.SHA512, trailer: []byte{0x35, 0xCC}, respLen: 128},
		{key: "rsa-1024.pkcs8.der", hash: crypto.SHA384, trailer: []byte{0x36, 0xCC}, respLen: 128},
		{key: "rsa-1024.pkcs8.der", hash: crypto.SHA224, trailer: []byte{0x38, 0xCC}, respLen: 128},
		{key: "rsa-1024.pkcs1.der", hash: crypto.SHA1, minimal: true, trailer: []byte{0xBC}, respLen: 128},
		{key: "rsa-2048.pkcs8.der", hash: crypto.SHA1, trailer: []byte{0xBC}, respLen: 256, extended: true},
		{key: "rsa-2048.pkcs8.der", hash: crypto.SHA256, trailer: []byte{0x34, 0xCC}, respLen: 256, extended: true},
		{key: "rsa-2048.pkcs8.der", hash: crypto.SHA256, minimal: true, trailer: []byte{0x34, 0xCC}, respLen: 256, extended: true},
		{key: "rsa-3072.pkcs8.der", hash: crypto.SHA1, trailer: []byte{0xBC}, respLen: 384, extended: true},
		{key: "rsa-3072.pkcs8.der", hash: crypto.SHA256, trailer: []byte{0x34, 0xCC}, respLen: 384, extended: true},
		{key: "rsa-4096.pkcs8.der", hash: crypto.SHA1, trailer: []byte{0xBC}, respLen: 512, extended: true},
		{key: "rsa-4096.pkcs8.der", hash: crypto.SHA256, trailer: []byte{0x34, 0xCC}, respLen: 512, extended: true},
		{key: "ec-prime256v1.pkcs8.der", hash: crypto.SHA256, respLen: 64},
		{key: "ec-prime256v1.rfc5915.der", hash: crypto.SHA1, respLen: 64},
		{key: "ec-brainpoolP256r1.pkcs8.der", hash: crypto.SHA256, respLen: 64},
		{key: "ec-brainpoolP256r1.rfc5915.der", hash: crypto.SHA224, respLen: 64},
		{key: "ec-brainpoolP256r1-explicit.rfc5915.der", hash: 0, respLen: 64},
		{key: "ec-brainpoolP384r1.pkcs8.der", hash: crypto.SHA384, respLen: 96},
		{key: "ec-brainpoolP384r1.rfc5915.der", hash: crypto.SHA512, respLen: 96},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("%s/%v/explicit=%v/minimal=%v", tc.key, tc.hash, tc.explicit, tc.minimal)
		t.Run(name, func(t *testing.T) {
			key := loadKey(t, tc.key)
			c, err := NewChip(key, &ChipConfig{Rand: cryptorand.Reader, Hash: tc.hash, Explicit: tc.explicit, Minimal: tc.minimal})
			require.NoError(t, err)
			require.Equal(t, tc.respLen, c.ResponseLen())

			// The terminal gets the key as DG15 would give it.
			spki, err := c.SubjectPublicKeyInfo()
			require.NoError(t, err)
			info := c.Info()
			if _, ok := key.(*rsa.PrivateKey); ok {
				require.Nil(t, info)
			} else {
				require.NotNil(t, info)
				require.True(t, info.Protocol.Equal(secinfo.OIDAA))
			}

			for _, pub := range []crypto.PublicKey{c.Public(), spki} {
				v, err := NewVerifier(pub, info)
				require.NoError(t, err)
				require.Equal(t, tc.respLen, v.ResponseLen())
				require.Equal(t, tc.extended, v.NeedsExtendedLength())

				w := &wire{chip: c}
				require.NoError(t, Authenticate(context.Background(), w, v, nil))
				// 00 88 00 00 08 challenge, then Le '00' or '0000'.
				if tc.extended {
					require.Len(t, w.last, 4+3+8+2)
					require.Equal(t, []byte{0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x08}, w.last[:7])
					require.Equal(t, []byte{0x00, 0x00}, w.last[15:])
				} else {
					require.Len(t, w.last, 4+1+8+1)
					require.Equal(t, []byte{0x00, 0x88, 0x00, 0x00, 0x08}, w.last[:5])
					require.Equal(t, byte(0x00), w.last[13])
				}
			}

			// Authenticate with the DG15 bytes and a Config.
			require.NoError(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, spki, info), &Config{Rand: cryptorand.Reader}))

			// Signature structure for RSA.
			if k, ok := key.(*rsa.PrivateKey); ok {
				challenge := []byte("12345678")
				sig, err := c.Sign(challenge)
				require.NoError(t, err)
				r, bad := verifyRSA(&k.PublicKey, challenge, sig, crypto.SHA1)
				require.Empty(t, bad)
				require.True(t, r.partial)
				f := bigInt(sig)
				f.Exp(f, bigInt([]byte{byte(k.E >> 16), byte(k.E >> 8), byte(k.E)}), k.N)
				if tc.minimal {
					require.LessOrEqual(t, bigInt(sig).Cmp(new(big.Int).Rsh(k.N, 1)), 0)
					if f.Bit(0) == 1 { // n - F was signed
						f.Sub(k.N, f)
					}
				}
				fb := f.FillBytes(make([]byte, tc.respLen))
				require.Equal(t, byte(0x6A), fb[0])
				require.Equal(t, tc.trailer, fb[len(fb)-len(tc.trailer):])
			}
		})
	}
}

// TestClone: a chip with another key of the same kind fails, with
// ErrSignature.
func TestClone(t *testing.T) {
	pairs := [][2]string{
		{"rsa-1024.pkcs8.der", "rsa-2048.pkcs8.der"},
		{"ec-brainpoolP256r1.pkcs8.der", "ec-prime256v1.pkcs8.der"},
	}
	for _, p := range pairs {
		genuine := loadKey(t, p[0])
		var clone crypto.Signer
		switch k := genuine.(type) {
		case *rsa.PrivateKey:
			// Same size, other key: generated.
			var err error
			clone, err = rsa.GenerateKey(cryptorand.Reader, k.N.BitLen())
			require.NoError(t, err)
		case *ec.PrivateKey:
			var err error
			clone, err = ec.GenerateKey(k.Curve(), cryptorand.Reader)
			require.NoError(t, err)
		default:
			require.FailNow(t, "unexpected key type", "%T", genuine)
		}
		gc, err := NewChip(genuine, nil)
		require.NoError(t, err)
		cc, err := NewChip(clone, nil)
		require.NoError(t, err)
		err = Authenticate(context.Background(), &wire{chip: cc}, verifier(t, gc.Public(), gc.Info()), nil)
		require.ErrorIs(t, err, ErrSignature, p[0])
		var e *Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, "verify", e.Op)
		// And the genuine chip passes.
		require.NoError(t, Authenticate(context.Background(), &wire{chip: gc}, verifier(t, gc.Public(), gc.Info()), nil))
	}
}

// TestTampered: every single-bit change of a response, and truncated or
// extended responses, fail with ErrSignature.
func TestTampered(t *testing.T) {
	for _, name := range []string{"rsa-1024.pkcs8.der", "ec-brainpoolP256r1.pkcs8.der", "ec-prime256v1.pkcs8.der"} {
		c, err := NewChip(loadKey(t, name), nil)
		require.NoError(t, err)
		v, err := NewVerifier(c.Public(), c.Info())
		require.NoError(t, err)
		challenge := []byte{1, 2, 3, 4, 5, 6, 7, 8}
		sig, err := c.Sign(challenge)
		require.NoError(t, err)
		require.NoError(t, v.Verify(challenge, sig))
		for i := range len(sig) * 8 {
			if i%5 != 0 && testing.Short() {
				continue
			}
			bad := bytes.Clone(sig)
			bad[i/8] ^= 1 << (i % 8)
			require.ErrorIs(t, v.Verify(challenge, bad), ErrSignature, "%s bit %d", name, i)
		}
		require.ErrorIs(t, v.Verify(challenge, sig[1:]), ErrSignature)
		require.ErrorIs(t, v.Verify(challenge, append(bytes.Clone(sig), 0)), ErrSignature)
		require.ErrorIs(t, v.Verify(challenge, nil), ErrSignature)
		require.ErrorIs(t, v.Verify(challenge[:7], sig), ErrChallenge)

		// Over the wire: a mangled response.
		w := &wire{chip: c, mangle: func(b []byte) []byte { b[len(b)/2] ^= 0x80; return b }}
		require.ErrorIs(t, Authenticate(context.Background(), w, v, nil), ErrSignature)
	}
}

// TestRSAOutOfRange: s = 0, s >= n and a representative without the
// right header fail.
func TestRSAOutOfRange(t *testing.T) {
	k := loadKey(t, "rsa-1024.pkcs8.der").(*rsa.PrivateKey)
	v, err := NewVerifier(&k.PublicKey, nil)
	require.NoError(t, err)
	ch := []byte("abcdefgh")
	require.ErrorIs(t, v.Verify(ch, make([]byte, 128)), ErrSignature)
	require.ErrorIs(t, v.Verify(ch, k.N.FillBytes(make([]byte, 128))), ErrSignature)
	require.ErrorIs(t, v.Verify(ch, bytes.Repeat([]byte{0xFF}, 128)), ErrSignature)

	// Well-formed RSA of a representative with a bad header, padding or
	// trailer: each is named in the error.
	good := func() *representative {
		r := &representative{partial: true, hash: crypto.SHA1, m1: make([]byte, capacity(128, crypto.SHA1, false))}
		h := crypto.SHA1.New()
		h.Write(r.m1)
		h.Write(ch)
		r.digest = h.Sum(nil)
		return r
	}
	sign := func(f []byte) []byte {
		s, err := rsaPrivate(k, f, cryptorand.Reader)
		require.NoError(t, err)
		return s
	}
	f, ok := good().encode(128)
	require.True(t, ok)
	require.NoError(t, v.Verify(ch, sign(f)))
	for _, tc := range []struct {
		change func(f []byte)
		detail string
	}{
		{func(f []byte) { f[0] = 0x2A }, "header"},
		{func(f []byte) { f[0] = 0x7A }, "header"},
		{func(f []byte) { f[0] = 0x69 }, "header"},
		{func(f []byte) { f[0] = 0x6B; f[1] = 0xBB; f[2] = 0x00 }, "padding"},
		{func(f []byte) { f[127] = 0xAC }, "trailer"},
		{func(f []byte) { f[126], f[127] = 0x37, 0xCC }, "hash function not available"},
		{func(f []byte) { f[126], f[127] = 0x3F, 0xCC }, "hash identifier in trailer"},
		{func(f []byte) { f[126], f[127] = 0x34, 0xCC }, "hash"},
		{func(f []byte) { f[5] ^= 1 }, "hash"},
		{func(f []byte) { f[0] = 0x4A }, "recovered message"},
	} {
		f, _ := good().encode(128)
		tc.change(f)
		err := v.Verify(ch, sign(f))
		require.ErrorIs(t, err, ErrSignature)
		var e *Error
		require.ErrorAs(t, err, &e)
		require.Equal(t, tc.detail, e.Detail, "%x", f[:2])
	}
}

// TestFullRecovery: a representative with full recovery whose M1 ends
// with the challenge verifies; padding is read.
func TestFullRecovery(t *testing.T) {
	k := loadKey(t, "rsa-1024.pkcs8.der").(*rsa.PrivateKey)
	v, err := NewVerifier(&k.PublicKey, nil)
	require.NoError(t, err)
	ch := []byte("ABCDEFGH")
	for _, hash := range []crypto.Hash{crypto.SHA1, crypto.SHA256} {
		full := append(make([]byte, capacity(128, hash, hash != crypto.SHA1)-8), ch...)
		for _, m1 := range [][]byte{ch, append([]byte("prefix"), ch...), full} {
			h := hash.New()
			h.Write(m1)
			r := &representative{m1: m1, digest: h.Sum(nil), hash: hash}
			if hash != crypto.SHA1 {
				r.id, _ = HashIdentifier(hash)
			}
			f, ok := r.encode(128)
			require.True(t, ok)
			require.Equal(t, byte(0x40), f[0]&0xF0)
			s, err := rsaPrivate(k, f, cryptorand.Reader)
			require.NoError(t, err)
			require.NoError(t, v.Verify(ch, s), "len %d", len(m1))
			require.ErrorIs(t, v.Verify([]byte("ABCDEFGX"), s), ErrSignature)
		}
	}
	// Too long for the capacity.
	_, ok := (&representative{m1: make([]byte, 107), digest: make([]byte, 20), hash: crypto.SHA1}).encode(128)
	require.False(t, ok)
}

// TestExtendedLength: ShortOnly refuses a response above 256 bytes before
// sending; a card answering 6700 to the extended command gives both
// errors.
func TestExtendedLength(t *testing.T) {
	c, err := NewChip(loadKey(t, "rsa-3072.pkcs8.der"), nil)
	require.NoError(t, err)
	v, err := NewVerifier(c.Public(), nil)
	require.NoError(t, err)
	w := &wire{chip: c}
	err = Authenticate(context.Background(), w, v, &Config{ShortOnly: true})
	require.ErrorIs(t, err, ErrNeedsExtendedLength)
	require.Zero(t, w.answers)

	shortCard := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		if cmd.Extended {
			return apdu.Response{SW: apdu.SWWrongLength}, nil
		}
		return c.Handle(cmd)
	})
	err = Authenticate(context.Background(), shortCard, v, nil)
	require.ErrorIs(t, err, ErrNeedsExtendedLength)
	require.ErrorIs(t, err, apdu.ErrWrongLength)

	// ShortOnly does not matter for a response that fits a short APDU
	// under secure messaging (RSA-1024: 128 bytes).
	c2, err := NewChip(loadKey(t, "rsa-1024.pkcs8.der"), nil)
	require.NoError(t, err)
	require.NoError(t, Authenticate(context.Background(), &wire{chip: c2}, verifier(t, c2.Public(), nil), nil))
	v2, err := NewVerifier(c2.Public(), nil)
	require.NoError(t, err)
	require.NoError(t, Authenticate(context.Background(), &wire{chip: c2}, v2, &Config{ShortOnly: true}))

	// A short Le for a 384-byte response: the chip answers 6700.
	resp, err := c.Handle(apdu.InternalAuthenticate(make([]byte, 8)))
	require.ErrorIs(t, err, ErrCommand)
	require.Equal(t, apdu.SWWrongLength, resp.SW)
}

// TestChipHandle: the status words of the chip side.
func TestChipHandle(t *testing.T) {
	c, err := NewChip(loadKey(t, "ec-brainpoolP256r1.pkcs8.der"), nil)
	require.NoError(t, err)
	ok := apdu.InternalAuthenticate(make([]byte, 8))
	resp, err := c.Handle(ok)
	require.NoError(t, err)
	require.Equal(t, apdu.SWSuccess, resp.SW)
	require.Len(t, resp.Data, 64)

	for _, tc := range []struct {
		cmd apdu.Command
		sw  apdu.StatusWord
		err error
	}{
		{apdu.Command{INS: 0x84, Ne: 8}, apdu.SWINSNotSupported, ErrCommand},
		{apdu.Command{INS: 0x88, P1: 1, Data: make([]byte, 8), Ne: 256}, apdu.SWWrongP1P2, ErrCommand},
		{apdu.Command{INS: 0x88, Data: make([]byte, 7), Ne: 256}, apdu.SWWrongLength, ErrChallenge},
		{apdu.Command{INS: 0x88, Data: make([]byte, 9), Ne: 256}, apdu.SWWrongLength, ErrChallenge},
		{apdu.Command{INS: 0x88, Data: make([]byte, 8)}, apdu.SWWrongLength, ErrCommand},
		{apdu.Command{INS: 0x88, Data: make([]byte, 8), Ne: 32}, 0x6C40, ErrCommand},
	} {
		resp, err := c.Handle(tc.cmd)
		require.ErrorIs(t, err, tc.err)
		require.Equal(t, tc.sw, resp.SW)
		require.Empty(t, resp.Data)
	}

	// A failing random source: 6F00.
	bad, err := NewChip(loadKey(t, "rsa-1024.pkcs8.der"), &ChipConfig{Rand: failReader{}})
	require.NoError(t, err)
	resp, err = bad.Handle(ok)
	require.Error(t, err)
	require.Equal(t, apdu.SWNoPreciseDiagnosis, resp.SW)
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

// TestChipKeys: the key types NewChip takes and refuses, and the default
// hashes.
func TestChipKeys(t *testing.T) {
	rk := loadKey(t, "rsa-1024.pkcs8.der").(*rsa.PrivateKey)
	c, err := NewChip(rk, nil)
	require.NoError(t, err)
	require.Equal(t, crypto.SHA1, c.Hash())
	require.Nil(t, c.Info())

	_, err = NewChip(rk, &ChipConfig{Hash: crypto.MD5})
	require.ErrorIs(t, err, ErrAlgorithm)
	_, err = NewChip(&rsa.PrivateKey{PublicKey: rsa.PublicKey{N: bigInt([]byte{0xFF, 0xFF}), E: 3}, D: bigInt([]byte{1})}, nil)
	require.ErrorIs(t, err, ErrUnsupportedKey)
	_, err = NewChip(rsaSigner{rk}, nil)
	require.ErrorIs(t, err, ErrUnsupportedKey)
	_, err = NewChip(nil, nil)
	require.ErrorIs(t, err, ErrUnsupportedKey)
	_, err = NewChip((*rsa.PrivateKey)(nil), nil)
	require.ErrorIs(t, err, ErrUnsupportedKey)

	for _, tc := range []struct {
		curve *ec.Curve
		hash  crypto.Hash
		oid   []int
	}{
		{ec.BrainpoolP256r1(), crypto.SHA256, secinfo.OIDECDSAPlainSHA256},
		{ec.BrainpoolP384r1(), crypto.SHA384, secinfo.OIDECDSAPlainSHA384},
		{ec.BrainpoolP512r1(), crypto.SHA512, secinfo.OIDECDSAPlainSHA512},
		{ec.P521(), crypto.SHA512, secinfo.OIDECDSAPlainSHA512},
		{ec.BrainpoolP224r1(), crypto.SHA256, secinfo.OIDECDSAPlainSHA256},
	} {
		k, err := ec.GenerateKey(tc.curve, cryptorand.Reader)
		require.NoError(t, err)
		c, err := NewChip(k, nil)
		require.NoError(t, err)
		require.Equal(t, tc.hash, c.Hash())
		require.Equal(t, tc.oid, []int(c.Info().SignatureAlgorithm))
		require.NoError(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, c.Public(), c.Info()), nil), tc.curve.Name())
	}

	// *ecdsa.PrivateKey and a generic EC crypto.Signer (an HSM stand-in).
	ek := loadKey(t, "ec-prime256v1.pkcs8.der").(*ecdsa.PrivateKey)
	for _, key := range []crypto.Signer{ek, opaque{ek}} {
		c, err := NewChip(key, &ChipConfig{Hash: crypto.SHA384})
		require.NoError(t, err)
		require.NoError(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, &ek.PublicKey, c.Info()), nil))
	}
	bk := loadKey(t, "ec-brainpoolP256r1.pkcs8.der").(*ec.PrivateKey)
	c, err = NewChip(opaque{bk}, nil)
	require.NoError(t, err)
	require.NoError(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, c.Public(), c.Info()), nil))
}

// rsaSigner hides the *rsa.PrivateKey behind crypto.Signer.
type rsaSigner struct{ crypto.Signer }

// opaque hides an EC key behind crypto.Signer.
type opaque struct{ crypto.Signer }

// TestVerifierKeys: the key forms NewVerifier takes and refuses.
func TestVerifierKeys(t *testing.T) {
	ek := loadKey(t, "ec-brainpoolP256r1.pkcs8.der").(*ec.PrivateKey)
	info := &secinfo.ActiveAuthenticationInfo{Protocol: secinfo.OIDAA, Version: 1, SignatureAlgorithm: secinfo.OIDECDSAWithSHA256}

	_, err := NewVerifier(&ek.PublicKey, nil)
	require.ErrorIs(t, err, ErrAlgorithm)
	_, err = NewVerifier(&ek.PublicKey, &secinfo.ActiveAuthenticationInfo{SignatureAlgorithm: secinfo.OIDAA})
	require.ErrorIs(t, err, ErrAlgorithm)
	v, err := NewVerifier(&ek.PublicKey, info)
	require.NoError(t, err)
	require.Equal(t, 64, v.ResponseLen())

	// ecdsa-with-SHA256 and ecdsa-plain-SHA256 name the same signature.
	c, err := NewChip(ek, &ChipConfig{Hash: crypto.SHA256})
	require.NoError(t, err)
	require.NoError(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, &ek.PublicKey, info), nil))
	// A hash mismatch fails.
	info384 := &secinfo.ActiveAuthenticationInfo{SignatureAlgorithm: secinfo.OIDECDSAWithSHA384}
	require.ErrorIs(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, &ek.PublicKey, info384), nil), ErrSignature)

	for _, bad := range []crypto.PublicKey{
		nil, 42, (*rsa.PublicKey)(nil), (*ec.PublicKey)(nil), (*ecdsa.PublicKey)(nil), []byte(nil),
		[]byte{0x30, 0x00}, bytes.Repeat([]byte{0x30}, MaxSPKILen+1),
		&rsa.PublicKey{N: bigInt(bytes.Repeat([]byte{0xFF}, 64)), E: 3},                           // 512 bits
		&rsa.PublicKey{N: bigInt(bytes.Repeat([]byte{0xFF}, 128)), E: 2},                          // even exponent
		&rsa.PublicKey{N: bigInt(append([]byte{0x7F}, bytes.Repeat([]byte{0xFF}, 128)...)), E: 3}, // 1031 bits
		&rsa.PublicKey{N: bigInt(bytes.Repeat([]byte{0xFE}, 128)), E: 3},                          // even modulus
	} {
		_, err := NewVerifier(bad, info)
		require.ErrorIs(t, err, ErrUnsupportedKey, "%T", bad)
	}
}

// TestNoSecretsInErrors: errors of the chip side and of key parsing do not
// show key bytes.
func TestNoSecretsInErrors(t *testing.T) {
	der, err := MarshalPrivateKey(loadKey(t, "ec-brainpoolP256r1.pkcs8.der"))
	require.NoError(t, err)
	bad := bytes.Clone(der)
	bad[len(bad)-1] ^= 1 // the public key no longer matches
	_, err = ParsePrivateKey(bad)
	require.ErrorIs(t, err, ErrMalformedKey)
	d := loadKey(t, "ec-brainpoolP256r1.pkcs8.der").(*ec.PrivateKey).Bytes()
	require.NotContains(t, err.Error(), fmt.Sprintf("%x", d[:8]))
	require.NotContains(t, err.Error(), fmt.Sprintf("%X", d[:8]))
}

// TestChipString: %v and %#v of a chip do not print the private key.
func TestChipString(t *testing.T) {
	rk := loadKey(t, "rsa-1024.pkcs8.der").(*rsa.PrivateKey)
	c, err := NewChip(rk, nil)
	require.NoError(t, err)
	require.Equal(t, "aa.Chip{RSA-1024, SHA-1}", fmt.Sprintf("%v", c))
	require.Equal(t, "aa.Chip{RSA-1024, SHA-1}", fmt.Sprintf("%#v", c))
	require.NotContains(t, fmt.Sprintf("%+v", c), rk.D.String()[:10])
	ek := loadKey(t, "ec-brainpoolP256r1.pkcs8.der")
	c, err = NewChip(ek, nil)
	require.NoError(t, err)
	require.Equal(t, "aa.Chip{ECDSA brainpoolP256r1, SHA-256}", c.String())
}

// TestExplicitParameters: a DG15 with explicit brainpool parameters, as
// many eMRTDs write it, verifies.
func TestExplicitParameters(t *testing.T) {
	ek := loadKey(t, "ec-brainpoolP256r1.pkcs8.der").(*ec.PrivateKey)
	c, err := NewChip(ek, nil)
	require.NoError(t, err)
	spki, err := ec.MarshalSubjectPublicKeyInfo(&ek.PublicKey, true)
	require.NoError(t, err)
	named, err := c.SubjectPublicKeyInfo()
	require.NoError(t, err)
	require.Greater(t, len(spki), len(named))
	require.NoError(t, Authenticate(context.Background(), &wire{chip: c}, verifier(t, spki, c.Info()), nil))
}

// TestAuthenticateFailures: transport errors, refusals and a failing
// random source come back wrapped, not as ErrSignature.
func TestAuthenticateFailures(t *testing.T) {
	c, err := NewChip(loadKey(t, "ec-prime256v1.pkcs8.der"), nil)
	require.NoError(t, err)
	v, err := NewVerifier(c.Public(), c.Info())
	require.NoError(t, err)
	ctx := context.Background()

	gone := errors.New("card removed")
	err = Authenticate(ctx, apdu.TransmitterFunc(func(context.Context, apdu.Command) (apdu.Response, error) {
		return apdu.Response{}, gone
	}), v, nil)
	require.ErrorIs(t, err, gone)
	require.NotErrorIs(t, err, ErrSignature)

	err = Authenticate(ctx, apdu.TransmitterFunc(func(context.Context, apdu.Command) (apdu.Response, error) {
		return apdu.Response{SW: apdu.SWSecurityStatusNotSatisfied}, nil
	}), v, nil)
	require.ErrorIs(t, err, apdu.ErrSecurityStatusNotSatisfied)
	require.NotErrorIs(t, err, ErrSignature)
	require.NotErrorIs(t, err, ErrNeedsExtendedLength)

	err = Authenticate(ctx, &wire{chip: c}, v, &Config{Rand: failReader{}})
	require.Error(t, err)
	require.NotErrorIs(t, err, ErrSignature)

	// A fixed challenge source makes the command exact.
	w := &wire{chip: c}
	require.NoError(t, Authenticate(ctx, w, v, &Config{Rand: zeroReader{}}))
	require.Equal(t, []byte{0x00, 0x88, 0x00, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0x00}, w.last)
}
