package bac

import (
	"errors"

	"github.com/cancuoc/cancuoc/apdu"
)

// Sentinel errors. The protocol's errors are *Error values wrapping one of
// these; errors of the apdu.Transmitter (a transport failure) are returned
// as they are.
var (
	// ErrMRZInfo: MRZ information of the wrong length or with characters
	// outside 0-9, A-Z and '<'.
	ErrMRZInfo = errors.New("malformed MRZ information")
	// ErrCheckDigit: a check digit of the MRZ information is wrong.
	ErrCheckDigit = errors.New("wrong check digit in MRZ information")
	// ErrKey: Open or NewChip without a key.
	ErrKey = errors.New("no BAC key")
	// ErrChallenge: GET CHALLENGE did not return 8 bytes with 9000.
	ErrChallenge = errors.New("bad GET CHALLENGE response")
	// ErrAccessDenied: the chip refused EXTERNAL AUTHENTICATE (6300 or
	// another status): most often the MRZ information is not the
	// document's.
	ErrAccessDenied = errors.New("access denied by the chip (wrong MRZ information?)")
	// ErrResponse: the EXTERNAL AUTHENTICATE response is not 40 bytes.
	ErrResponse = errors.New("bad EXTERNAL AUTHENTICATE response")
	// ErrMAC: the MAC of the other side's cryptogram does not verify.
	ErrMAC = errors.New("cryptogram MAC verification failed")
	// ErrNonce: the decrypted cryptogram does not hold the expected
	// random numbers.
	ErrNonce = errors.New("random numbers in the cryptogram do not match")
	// ErrRandom: the random source failed.
	ErrRandom = errors.New("random source failed")
	// ErrNoChallenge: (chip) EXTERNAL AUTHENTICATE without a fresh GET
	// CHALLENGE.
	ErrNoChallenge = errors.New("no challenge issued")
	// ErrCommand: (chip) a command with wrong parameters or length.
	ErrCommand = errors.New("malformed command")
)

// Error is a BAC failure: the step (Op), the card's status word when it
// is the cause (SW) and the sentinel (Err). It never holds keys, nonces or
// the MRZ information. With SW set it also matches apdu status sentinels.
type Error struct {
	Op  string
	SW  apdu.StatusWord
	Err error
}

func (e *Error) Error() string {
	s := "bac: " + e.Op
	if e.SW != 0 {
		s += ": status " + e.SW.String()
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the sentinel and, when SW is set, an *apdu.StatusError.
func (e *Error) Unwrap() []error {
	if e.SW != 0 {
		return []error{e.Err, &apdu.StatusError{SW: e.SW}}
	}
	return []error{e.Err}
}
