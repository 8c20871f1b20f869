//go:build cgo

package hsmtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/miekg/pkcs11"
	"github.com/stretchr/testify/require"
)

// Raw is a direct PKCS#11 session on the token, beside whatever the code
// under test opened: tests use it to try to take a key out of the token and
// to log the token out under a running batch. Login state belongs to the
// process, so Logout here logs out every session of the process.
type Raw struct {
	Ctx     *pkcs11.Ctx
	Session pkcs11.SessionHandle
	final   bool // this Raw initialized the module and finalizes it
}

// OpenRaw opens a read-write session on the token labelled label and logs
// in with pin (an existing login of the process is kept). Open it after the
// code under test opened the token: crypto11 refuses a module that someone
// else initialized.
func (tok *Token) OpenRaw(t testing.TB, label, pin string) *Raw {
	t.Helper()
	r, err := tok.Dial(label, pin)
	require.NoError(t, err)
	t.Cleanup(r.Close)
	return r
}

// Dial is OpenRaw for goroutines other than the test's: it returns its
// error, and the caller closes the Raw.
func (tok *Token) Dial(label, pin string) (*Raw, error) {
	p := pkcs11.New(tok.Module)
	if p == nil {
		return nil, fmt.Errorf("cannot load %s", tok.Module)
	}
	r := &Raw{Ctx: p, final: true}
	if err := p.Initialize(); err != nil {
		if !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
			p.Destroy()
			return nil, fmt.Errorf("C_Initialize: %w", err)
		}
		r.final = false
	}
	fail := func(err error) (*Raw, error) { r.Close(); return nil, err }
	slots, err := p.GetSlotList(true)
	if err != nil {
		return fail(fmt.Errorf("C_GetSlotList: %w", err))
	}
	found := false
	for _, s := range slots {
		ti, err := p.GetTokenInfo(s)
		if err == nil && ti.Label == label {
			if r.Session, err = p.OpenSession(s, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION); err != nil {
				return fail(fmt.Errorf("C_OpenSession: %w", err))
			}
			found = true
			break
		}
	}
	if !found {
		return fail(fmt.Errorf("no token %q", label))
	}
	if err := p.Login(r.Session, pkcs11.CKU_USER, pin); err != nil &&
		!errors.Is(err, pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN)) {
		return fail(fmt.Errorf("C_Login: %w", err))
	}
	return r, nil
}

// Close closes the session (and finalizes the module if this Raw
// initialized it).
func (r *Raw) Close() {
	if r.Ctx == nil {
		return
	}
	_ = r.Ctx.CloseSession(r.Session)
	if r.final {
		_ = r.Ctx.Finalize()
	}
	r.Ctx.Destroy()
	r.Ctx = nil
}

// Logout logs the process out of the token.
func (r *Raw) Logout(t testing.TB) {
	t.Helper()
	require.NoError(t, r.Ctx.Logout(r.Session), "C_Logout")
}

// LogoutErr is Logout for other goroutines.
func (r *Raw) LogoutErr() error { return r.Ctx.Logout(r.Session) }

// PrivateKey finds the private key object labelled label.
func (r *Raw) PrivateKey(t testing.TB, label string) pkcs11.ObjectHandle {
	t.Helper()
	tmpl := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
	}
	require.NoError(t, r.Ctx.FindObjectsInit(r.Session, tmpl), "C_FindObjectsInit")
	objs, _, err := r.Ctx.FindObjects(r.Session, 2)
	require.NoError(t, err, "C_FindObjects")
	require.NoError(t, r.Ctx.FindObjectsFinal(r.Session), "C_FindObjectsFinal")
	require.Equal(t, 1, len(objs), "want one private key %q, found %d", label, len(objs))
	return objs[0]
}

// Bool reads a boolean attribute of an object.
func (r *Raw) Bool(t testing.TB, obj pkcs11.ObjectHandle, attr uint) bool {
	t.Helper()
	a, err := r.Ctx.GetAttributeValue(r.Session, obj, []*pkcs11.Attribute{pkcs11.NewAttribute(attr, nil)})
	require.NoError(t, err, "C_GetAttributeValue(0x%X)", attr)
	return len(a) == 1 && len(a[0].Value) == 1 && a[0].Value[0] != 0
}

// KeyLeaks tries every way PKCS#11 offers to take the private key labelled
// label out of the token: reading its secret attributes (CKA_VALUE of an
// EC key, CKA_PRIVATE_EXPONENT and the primes of an RSA key) and wrapping
// it under a fresh AES key. It returns a description of the first attempt
// that succeeded, or "" when the token refused them all.
func (r *Raw) KeyLeaks(t testing.TB, label string) string {
	t.Helper()
	obj := r.PrivateKey(t, label)
	for _, attr := range []struct {
		name string
		typ  uint
	}{
		{"CKA_VALUE", pkcs11.CKA_VALUE}, {"CKA_PRIVATE_EXPONENT", pkcs11.CKA_PRIVATE_EXPONENT},
		{"CKA_PRIME_1", pkcs11.CKA_PRIME_1}, {"CKA_PRIME_2", pkcs11.CKA_PRIME_2},
	} {
		a, err := r.Ctx.GetAttributeValue(r.Session, obj, []*pkcs11.Attribute{pkcs11.NewAttribute(attr.typ, nil)})
		switch {
		case err == nil && len(a) == 1 && len(a[0].Value) > 0:
			return "C_GetAttributeValue(" + attr.name + ") returned the value"
		case err == nil, errors.Is(err, pkcs11.Error(pkcs11.CKR_ATTRIBUTE_SENSITIVE)),
			errors.Is(err, pkcs11.Error(pkcs11.CKR_ATTRIBUTE_TYPE_INVALID)):
			// Refused as sensitive, or not an attribute of this key type.
		default:
			// Refused for another reason: the attempt proved nothing.
			return "C_GetAttributeValue(" + attr.name + ") failed for another reason: " + err.Error()
		}
	}
	wrap, err := r.Ctx.GenerateKey(r.Session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_GEN, nil)},
		[]*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_TOKEN, false), pkcs11.NewAttribute(pkcs11.CKA_VALUE_LEN, 32),
			pkcs11.NewAttribute(pkcs11.CKA_WRAP, true), pkcs11.NewAttribute(pkcs11.CKA_ENCRYPT, true),
		})
	require.NoError(t, err, "C_GenerateKey(AES wrapping key)")
	out, err := r.Ctx.WrapKey(r.Session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_AES_KEY_WRAP_PAD, nil)}, wrap, obj)
	switch {
	case err == nil && len(out) > 0:
		return "C_WrapKey wrapped it"
	case errors.Is(err, pkcs11.Error(pkcs11.CKR_KEY_UNEXTRACTABLE)), errors.Is(err, pkcs11.Error(pkcs11.CKR_KEY_NOT_WRAPPABLE)):
		return ""
	case err != nil:
		return "C_WrapKey failed for another reason (the attempt proved nothing): " + err.Error()
	}
	return "C_WrapKey returned nothing"
}
