package pace

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
)

// Sentinel errors. Every error of this package is an *Error wrapping one of
// them, so callers test with errors.Is(err, pace.ErrAuthentication).
var (
	// ErrUnsupported: a protocol identifier, domain parameter identifier,
	// cipher or mapping that this package (or the chip) does not offer.
	ErrUnsupported = errors.New("unsupported PACE protocol or domain parameters")
	// ErrPassword: a password that is empty or malformed, or whose
	// reference the chip does not know.
	ErrPassword = errors.New("password not usable")
	// ErrAuthentication: the authentication tokens do not verify, which
	// with an honest peer means the two sides used different passwords.
	// The chip answers it with 6300.
	ErrAuthentication = errors.New("authentication failed (wrong password?)")
	// ErrInvalidKey: an ephemeral public key that is not a valid element of
	// the group (not on the curve, out of range, not in the subgroup), or
	// that equals the receiver's own key.
	ErrInvalidKey = errors.New("invalid ephemeral public key")
	// ErrMalformed: protocol data that does not parse: a missing or
	// duplicated data object, a wrong length, a nonce that is not a whole
	// number of cipher blocks.
	ErrMalformed = errors.New("malformed PACE data")
	// ErrSequence: a step out of order (GENERAL AUTHENTICATE before MSE:Set
	// AT, a repeated step, the chaining bit on the last step).
	ErrSequence = errors.New("PACE step out of sequence")
	// ErrChip: the chip refused a step with a status word other than the
	// ones given a meaning above (see Error.SW).
	ErrChip = errors.New("chip refused the PACE step")
	// ErrCAM: the chip authentication data of PACE-CAM does not verify
	// against the chip's static public key.
	ErrCAM = errors.New("chip authentication mapping does not verify")
	// ErrRandom: the random source failed.
	ErrRandom = errors.New("random source failed")
)

// Error describes a PACE failure: the step (Op: "MSE:Set AT", "encrypted
// nonce", "map nonce", "key agreement", "mutual authentication", "verify
// CAM"), the status word concerned (SW: on the terminal side the one the
// chip answered, on the chip side the one to answer with; 0 when none) and
// the sentinel (Err). It never holds passwords, nonces or keys.
//
// When SW is set the error also matches the apdu status sentinels, as in
// errors.Is(err, apdu.ErrVerificationFailed) for 6300.
type Error struct {
	Op  string
	SW  apdu.StatusWord
	Err error
}

func (e *Error) Error() string {
	s := "pace: " + e.Op
	if e.SW != 0 {
		s += fmt.Sprintf(": status %s", e.SW)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the sentinel and, when SW is set, an *apdu.StatusError.
func (e *Error) Unwrap() []error {
	if e.SW == 0 {
		return []error{e.Err}
	}
	return []error{e.Err, &apdu.StatusError{SW: e.SW}}
}

func newErr(op string, sw apdu.StatusWord, err error) *Error {
	return &Error{Op: op, SW: sw, Err: err}
}

// ChipStatus is the status word a chip answers a failed step with: the SW
// of a *Error, and 6F00 (no precise diagnosis) for anything else.
func ChipStatus(err error) apdu.StatusWord {
	var e *Error
	if errors.As(err, &e) && e.SW != 0 {
		return e.SW
	}
	if err == nil {
		return apdu.SWSuccess
	}
	return apdu.SWNoPreciseDiagnosis
}
