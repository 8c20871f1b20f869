//go:build cgo

package hsm

import (
	"errors"
	"fmt"
	"testing"

	"github.com/miekg/pkcs11"
	"github.com/stretchr/testify/require"
)

// TestClassify: each PKCS#11 return value a token can give lands on the
// sentinel a batch acts on, every one of them a token failure (the batch
// stops signing and keeps the records), and the PIN never shows even when a
// module puts it in its message.
func TestClassify(t *testing.T) {
	const pin = "s3cret-PIN"
	for _, tc := range []struct {
		err  error
		want error
	}{
		{pkcs11.Error(pkcs11.CKR_PIN_INCORRECT), ErrPINIncorrect},
		{pkcs11.Error(pkcs11.CKR_PIN_LOCKED), ErrPINLocked},
		{pkcs11.Error(pkcs11.CKR_USER_NOT_LOGGED_IN), ErrLoggedOut},
		{pkcs11.Error(pkcs11.CKR_OBJECT_HANDLE_INVALID), ErrLoggedOut},
		{pkcs11.Error(pkcs11.CKR_TOKEN_NOT_PRESENT), ErrTokenRemoved},
		{pkcs11.Error(pkcs11.CKR_DEVICE_REMOVED), ErrTokenRemoved},
		{pkcs11.Error(pkcs11.CKR_SESSION_HANDLE_INVALID), ErrTokenRemoved},
		{pkcs11.Error(pkcs11.CKR_DEVICE_ERROR), ErrToken},
		{pkcs11.Error(pkcs11.CKR_GENERAL_ERROR), ErrToken},
		{fmt.Errorf("wrapped: %w", pkcs11.Error(pkcs11.CKR_DEVICE_MEMORY)), ErrToken},
		{errors.New("could not find PKCS#11 token"), ErrTokenNotFound},
		{errors.New("module said the PIN " + pin + " is odd"), ErrToken},
	} {
		t.Run(tc.err.Error(), func(t *testing.T) {
			err := classify("sign with key \"ds\"", tc.err, pin)
			require.ErrorIs(t, err, tc.want)
			require.True(t, TokenFailure(err))
			require.NotContains(t, err.Error(), pin)
			require.Contains(t, err.Error(), "sign with key")
		})
	}
	// Not a token failure: a key type the token does not take, a key
	// that is not there.
	require.False(t, TokenFailure(classify("generate", pkcs11.Error(pkcs11.CKR_CURVE_NOT_SUPPORTED), pin)))
	require.False(t, TokenFailure(&Error{Op: "find", Kind: ErrKeyNotFound}))
}
