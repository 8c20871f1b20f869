//go:build cgo

package hsm_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/miekg/pkcs11"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/hsm/hsmtest"
)

func open(t *testing.T, tok *hsmtest.Token) *hsm.Token {
	t.Helper()
	h, err := hsm.Open(hsm.Config{Module: tok.Module, Token: tok.Label, PIN: hsm.PIN(tok.PIN)})
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })
	return h
}

func TestGenerateSignVerify(t *testing.T) {
	tok := hsmtest.New(t, "ds-token", testPIN)
	h := open(t, tok)
	digest := sha256.Sum256([]byte("EF.SOD signed attributes"))
	for _, tc := range []struct {
		kt   hsm.KeyType
		opts crypto.SignerOpts
	}{
		{hsm.P256, crypto.SHA256},
		{hsm.P384, crypto.SHA256},
		{hsm.P521, crypto.SHA256},
		{hsm.RSA2048, crypto.SHA256},
		{hsm.RSA3072, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: crypto.SHA256}},
	} {
		t.Run(tc.kt.String(), func(t *testing.T) {
			label := "ds-" + tc.kt.String()
			k, err := h.GenerateKey(label, tc.kt)
			require.NoError(t, err)
			require.Equal(t, label, k.Label())
			sig, err := k.Sign(rand.Reader, digest[:], tc.opts)
			require.NoError(t, err)
			switch pub := k.Public().(type) {
			case *ecdsa.PublicKey:
				require.True(t, ecdsa.VerifyASN1(pub, digest[:], sig), "ECDSA signature (DER) does not verify")
			case *rsa.PublicKey:
				if pss, ok := tc.opts.(*rsa.PSSOptions); ok {
					require.NoError(t, rsa.VerifyPSS(pub, crypto.SHA256, digest[:], sig, pss))
				} else {
					require.NoError(t, rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig))
				}
			default:
				require.FailNow(t, fmt.Sprintf("public key %T", pub))
			}
			// The same label again is refused; the key is found by it.
			_, err = h.GenerateKey(label, tc.kt)
			require.ErrorIs(t, err, hsm.ErrKeyExists)
			again, err := h.Key(label)
			require.NoError(t, err)
			require.Equal(t, k.Public(), again.Public())
		})
	}
	_, err := h.Key("no such key")
	require.ErrorIs(t, err, hsm.ErrKeyNotFound)
}

// TestBrainpool: brainpool keys, which crypto11 cannot address, are made
// and used through the module directly: SoftHSM2 takes the curves.
func TestBrainpool(t *testing.T) {
	tok := hsmtest.New(t, "bp-token", testPIN)
	h := open(t, tok)
	digest := sha256.Sum256([]byte("EF.SOD signed attributes"))
	for _, kt := range []hsm.KeyType{hsm.BrainpoolP256r1, hsm.BrainpoolP384r1} {
		label := "bp-" + kt.String()
		k, err := h.GenerateKey(label, kt)
		require.NoError(t, err)
		pub, ok := k.Public().(*ec.PublicKey)
		require.True(t, ok, "%T", k.Public())
		require.Equal(t, map[hsm.KeyType]string{hsm.BrainpoolP256r1: "brainpoolP256r1", hsm.BrainpoolP384r1: "brainpoolP384r1"}[kt], pub.Curve().Name())
		for range 3 {
			sig, err := k.Sign(nil, digest[:], crypto.SHA256)
			require.NoError(t, err)
			require.True(t, pub.VerifyASN1(digest[:], sig))
		}
		_, err = h.GenerateKey(label, kt)
		require.ErrorIs(t, err, hsm.ErrKeyExists)
		again, err := h.Key(label)
		require.NoError(t, err)
		require.Equal(t, pub.Bytes(), again.Public().(*ec.PublicKey).Bytes())
	}
	raw := tok.OpenRaw(t, tok.Label, tok.PIN)
	for _, kt := range []hsm.KeyType{hsm.BrainpoolP256r1, hsm.BrainpoolP384r1} {
		label := "bp-" + kt.String()
		obj := raw.PrivateKey(t, label)
		require.False(t, raw.Bool(t, obj, pkcs11.CKA_EXTRACTABLE))
		require.True(t, raw.Bool(t, obj, pkcs11.CKA_SENSITIVE))
		require.Empty(t, raw.KeyLeaks(t, label))
	}
	raw.Close()

	// A new session of the token finds them again.
	require.NoError(t, h.Close())
	h2 := open(t, tok)
	k, err := h2.Key("bp-brainpoolP256r1")
	require.NoError(t, err)
	sig, err := k.Sign(nil, digest[:], crypto.SHA256)
	require.NoError(t, err)
	require.True(t, k.Public().(*ec.PublicKey).VerifyASN1(digest[:], sig))
}

// TestKeyNeverLeaves tries to take each kind of key out of the token.
func TestKeyNeverLeaves(t *testing.T) {
	tok := hsmtest.New(t, "leak-token", testPIN)
	h := open(t, tok)
	for _, kt := range []hsm.KeyType{hsm.P256, hsm.P384, hsm.RSA2048} {
		_, err := h.GenerateKey("k-"+kt.String(), kt)
		require.NoError(t, err)
	}
	raw := tok.OpenRaw(t, tok.Label, tok.PIN)
	for _, kt := range []hsm.KeyType{hsm.P256, hsm.P384, hsm.RSA2048} {
		label := "k-" + kt.String()
		obj := raw.PrivateKey(t, label)
		require.False(t, raw.Bool(t, obj, pkcs11.CKA_EXTRACTABLE), "%s: CKA_EXTRACTABLE", label)
		require.True(t, raw.Bool(t, obj, pkcs11.CKA_SENSITIVE), "%s: CKA_SENSITIVE", label)
		require.True(t, raw.Bool(t, obj, pkcs11.CKA_NEVER_EXTRACTABLE), "%s: CKA_NEVER_EXTRACTABLE", label)
		require.True(t, raw.Bool(t, obj, pkcs11.CKA_ALWAYS_SENSITIVE), "%s: CKA_ALWAYS_SENSITIVE", label)
		require.True(t, raw.Bool(t, obj, pkcs11.CKA_PRIVATE), "%s: CKA_PRIVATE", label)
		require.Empty(t, raw.KeyLeaks(t, label), "%s left the token", label)
	}
}

func TestOpenErrors(t *testing.T) {
	tok := hsmtest.New(t, "err-token", testPIN)
	for _, tc := range []struct {
		name string
		cfg  hsm.Config
		want error
	}{
		{"no such token", hsm.Config{Module: tok.Module, Token: "absent", PIN: testPIN}, hsm.ErrTokenNotFound},
		{"wrong PIN", hsm.Config{Module: tok.Module, Token: tok.Label, PIN: "wrong-" + testPIN}, hsm.ErrPINIncorrect},
		{"no PIN", hsm.Config{Module: tok.Module, Token: tok.Label}, hsm.ErrNoPIN},
		{"no module", hsm.Config{Module: filepath.Join(t.TempDir(), "nothing.so"), Token: tok.Label, PIN: testPIN}, hsm.ErrModule},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := hsm.Open(tc.cfg)
			require.ErrorIs(t, err, tc.want)
			require.True(t, hsm.TokenFailure(err))
			require.NotContains(t, err.Error(), testPIN, "the PIN is in the error")
			require.NotContains(t, fmt.Sprintf("%+v %#v", err, err), testPIN)
		})
	}
}

// TestLoggedOutMidway logs the token out between two signatures, as an HSM
// operator or a timeout would: the next signature says so, as a token
// failure, without the PIN.
func TestLoggedOutMidway(t *testing.T) {
	tok := hsmtest.New(t, "logout-token", testPIN)
	h := open(t, tok)
	k, err := h.GenerateKey("ds", hsm.P256)
	require.NoError(t, err)
	digest := sha256.Sum256([]byte("x"))
	_, err = k.Sign(nil, digest[:], crypto.SHA256)
	require.NoError(t, err)
	tok.OpenRaw(t, tok.Label, tok.PIN).Logout(t)
	_, err = k.Sign(nil, digest[:], crypto.SHA256)
	require.ErrorIs(t, err, hsm.ErrLoggedOut)
	require.True(t, hsm.TokenFailure(err))
	var he *hsm.Error
	require.True(t, errors.As(err, &he))
	// SoftHSM2 hides the private key once logged out.
	require.Contains(t, []uint{pkcs11.CKR_USER_NOT_LOGGED_IN, pkcs11.CKR_OBJECT_HANDLE_INVALID}, he.Code)
	require.Contains(t, err.Error(), "logged out")
	require.NotContains(t, err.Error(), testPIN)
}
