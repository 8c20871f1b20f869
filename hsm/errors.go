package hsm

import (
	"errors"
	"fmt"
)

// Sentinels for errors.Is; every error of this package wraps one of them.
var (
	// ErrNoCgo: the module was built without cgo, which PKCS#11 needs.
	ErrNoCgo = errors.New("hsm: PKCS#11 needs a build with cgo (CGO_ENABLED=1)")
	// ErrModule: the PKCS#11 module (a shared library) cannot be loaded.
	ErrModule = errors.New("hsm: cannot load the PKCS#11 module")
	// ErrTokenNotFound: no token with the label is present.
	ErrTokenNotFound = errors.New("hsm: token not found")
	// ErrPINIncorrect: the token refused the user PIN.
	ErrPINIncorrect = errors.New("hsm: PIN incorrect")
	// ErrPINLocked: the user PIN is locked (too many wrong PINs).
	ErrPINLocked = errors.New("hsm: PIN locked")
	// ErrNoPIN: no PIN was given.
	ErrNoPIN = errors.New("hsm: no PIN")
	// ErrLoggedOut: the token's session is no longer logged in, or the
	// key's handle went invalid (what a token answers once a logout hid
	// its private objects, or when the key was deleted).
	ErrLoggedOut = errors.New("hsm: token logged out")
	// ErrTokenRemoved: the token or its session went away.
	ErrTokenRemoved = errors.New("hsm: token removed or session closed")
	// ErrKeyNotFound: no key pair with the label is in the token.
	ErrKeyNotFound = errors.New("hsm: key not found")
	// ErrKeyExists: a key pair with the label is already in the token.
	ErrKeyExists = errors.New("hsm: key already exists")
	// ErrUnsupportedKey: the key type cannot be made or used through
	// this package or by this token.
	ErrUnsupportedKey = errors.New("hsm: unsupported key type")
	// ErrToken: any other error the token returned.
	ErrToken = errors.New("hsm: token error")
)

// Error is an operation on a token that failed. It never holds the PIN.
type Error struct {
	Op   string // "open token \"L\"", "sign with key \"K\"", ...
	Kind error  // one of the sentinels
	// Code is the PKCS#11 return value (CKR_*), 0 when the error did not
	// come from the token.
	Code uint
	Err  error // the underlying error, if any
}

func (e *Error) Error() string {
	s := e.Op + ": " + e.Kind.Error()
	if e.Code != 0 {
		s += fmt.Sprintf(" (%s)", ckrName(e.Code))
	} else if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap gives the sentinel and the underlying error.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// TokenFailure reports whether err says the token as a whole stopped working
// (absent, removed, logged out, PIN locked or refused): every later
// operation will fail too, unlike an error about one record.
func TokenFailure(err error) bool {
	for _, k := range []error{ErrNoCgo, ErrModule, ErrTokenNotFound, ErrPINIncorrect, ErrPINLocked, ErrNoPIN,
		ErrLoggedOut, ErrTokenRemoved, ErrToken} {
		if errors.Is(err, k) {
			return true
		}
	}
	return false
}

// ckrName names the PKCS#11 return values this package sees most.
func ckrName(code uint) string {
	names := map[uint]string{
		0x11: "CKR_ATTRIBUTE_SENSITIVE", 0x30: "CKR_DEVICE_ERROR", 0x31: "CKR_DEVICE_MEMORY",
		0x32: "CKR_DEVICE_REMOVED", 0x70: "CKR_MECHANISM_INVALID", 0x82: "CKR_OBJECT_HANDLE_INVALID", 0xA0: "CKR_PIN_INCORRECT",
		0xA2: "CKR_PIN_LEN_RANGE", 0xA4: "CKR_PIN_LOCKED", 0xB0: "CKR_SESSION_CLOSED",
		0xB3: "CKR_SESSION_HANDLE_INVALID", 0xE0: "CKR_TOKEN_NOT_PRESENT", 0x101: "CKR_USER_NOT_LOGGED_IN",
		0x130: "CKR_DOMAIN_PARAMS_INVALID", 0x140: "CKR_CURVE_NOT_SUPPORTED", 0x5: "CKR_GENERAL_ERROR",
	}
	if n, ok := names[code]; ok {
		return fmt.Sprintf("%s, 0x%X", n, code)
	}
	return fmt.Sprintf("CKR 0x%X", code)
}
