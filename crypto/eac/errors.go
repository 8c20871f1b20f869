package eac

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
)

// Sentinel errors. Every error of this package is an *Error wrapping one of
// them, so callers test with errors.Is(err, eac.ErrCloneSuspected).
var (
	// ErrUnsupported: a protocol, version, cipher or key type this package
	// (or the chip) does not offer.
	ErrUnsupported = errors.New("unsupported EAC protocol or key")
	// ErrInvalidKey: a public key that is not a valid element of its group
	// (not on the curve, out of range), or a static key that does not
	// parse.
	ErrInvalidKey = errors.New("invalid public key")
	// ErrMalformed: command or response data that does not parse: a missing
	// or duplicated data object, a wrong length.
	ErrMalformed = errors.New("malformed EAC data")
	// ErrSequence: a step out of order (GENERAL AUTHENTICATE before MSE:Set
	// AT, EXTERNAL AUTHENTICATE without a challenge or a terminal
	// certificate).
	ErrSequence = errors.New("EAC step out of sequence")
	// ErrKeyReference: a key identifier or certificate reference the chip
	// does not know.
	ErrKeyReference = errors.New("unknown key reference")
	// ErrChip: the chip refused a step (see Error.SW).
	ErrChip = errors.New("chip refused the EAC step")
	// ErrCloneSuspected: the first response protected with the Chip
	// Authentication keys does not verify: the chip does not hold the
	// private key of the public key in DG14 (a clone with copied data
	// groups), or the exchange was tampered with.
	ErrCloneSuspected = errors.New("chip authentication failed: clone suspected")
	// ErrCertificate: a card verifiable certificate that does not verify,
	// is not valid at the chip's date, or does not chain.
	ErrCertificate = errors.New("certificate not accepted")
	// ErrAuthentication: the terminal's signature (EXTERNAL AUTHENTICATE)
	// does not verify. The chip answers it with 6300.
	ErrAuthentication = errors.New("terminal authentication failed")
	// ErrRandom: the random source failed.
	ErrRandom = errors.New("random source failed")
)

// Error describes a Chip or Terminal Authentication failure: the step (Op,
// such as "MSE:Set KAT", "GENERAL AUTHENTICATE", "PSO:Verify Certificate"),
// the status word concerned (on the terminal side the one the chip
// answered, on the chip side the one to answer with; 0 when none) and the
// sentinel (Err). It never holds keys or shared secrets.
//
// When SW is set the error also matches the apdu status sentinels, as in
// errors.Is(err, apdu.ErrSecurityStatusNotSatisfied) for 6982.
type Error struct {
	Op  string
	SW  apdu.StatusWord
	Err error
	// Cause is the underlying error when there is one (the secure
	// messaging failure behind ErrCloneSuspected, a certificate's
	// parse error).
	Cause error
}

func (e *Error) Error() string {
	s := "eac: " + e.Op
	if e.SW != 0 {
		s += fmt.Sprintf(": status %s", e.SW)
	}
	s += ": " + e.Err.Error()
	if e.Cause != nil {
		s += ": " + e.Cause.Error()
	}
	return s
}

// Unwrap returns the sentinel, the Cause when set and, when SW is set, an
// *apdu.StatusError.
func (e *Error) Unwrap() []error {
	out := []error{e.Err}
	if e.Cause != nil {
		out = append(out, e.Cause)
	}
	if e.SW != 0 {
		out = append(out, &apdu.StatusError{SW: e.SW})
	}
	return out
}

// swVerificationFailed is 6300, the answer to a failed authentication.
const swVerificationFailed apdu.StatusWord = 0x6300

func newErr(op string, sw apdu.StatusWord, err error) *Error {
	return &Error{Op: op, SW: sw, Err: err}
}

// ChipStatus is the status word a chip answers a failed step with: the SW
// of an *Error, 9000 for nil and 6F00 (no precise diagnosis) for anything
// else.
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
