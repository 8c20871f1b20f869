package sm

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/tlv"
)

// Sentinel errors. Every error of a Session is an *Error wrapping one of
// these: callers test with errors.Is(err, sm.ErrMAC).
var (
	// ErrCipher: a Cipher value that is none of the four.
	ErrCipher = errors.New("unknown cipher")
	// ErrKeySize: a key whose length does not fit the cipher.
	ErrKeySize = errors.New("wrong key size")
	// ErrSSCSize: a send sequence counter that is not one block long.
	ErrSSCSize = errors.New("wrong send sequence counter size")
	// ErrBlockSize: data or IV that is not a whole number of blocks.
	ErrBlockSize = errors.New("not a multiple of the block size")
	// ErrMAC: the cryptographic checksum (DO '8E') does not verify.
	ErrMAC = errors.New("MAC verification failed")
	// ErrMissingDO: a mandatory secure messaging data object is absent
	// (DO '8E', DO '99' in a response, the protected CLA bits).
	ErrMissingDO = errors.New("missing secure messaging data object")
	// ErrUnexpectedDO: a data object that is not allowed where it is, or
	// twice, or out of order.
	ErrUnexpectedDO = errors.New("unexpected secure messaging data object")
	// ErrMalformedDO: a data object with a wrong length or content (DO
	// '99' not 2 bytes, DO '97' longer than 2, DO '87' without the
	// padding indicator 01, a cryptogram not a whole number of blocks).
	ErrMalformedDO = errors.New("malformed secure messaging data object")
	// ErrPadding: decrypted data without valid ISO/IEC 9797-1 method 2
	// padding.
	ErrPadding = errors.New("bad padding")
	// ErrNotProtected: a command without the secure messaging CLA bits, or
	// a response without secure messaging data objects.
	ErrNotProtected = errors.New("not protected by secure messaging")
	// ErrCardSM: the card answered 6987 or 6988 in plain: it found the
	// terminal's secure messaging wrong and closed the session.
	ErrCardSM = errors.New("card reported a secure messaging error")
	// ErrSequence: calls out of order (two Wraps without an Unwrap, a
	// terminal call on a chip-side session, ...), which would break the
	// send sequence counter.
	ErrSequence = errors.New("secure messaging calls out of sequence")
	// ErrTooLong: a protected APDU that would exceed the extended length
	// limits.
	ErrTooLong = errors.New("protected APDU too long")
	// ErrLengthRejected: the card answered a protected command whose
	// length fields it does not take (extended length, a Le too large)
	// with a plain '6700', before its secure messaging saw it (gmrtd
	// issue 457, Chinese passports). The session lives and its send
	// sequence counter is back where it was before the command, as the
	// card's is: resend with a smaller length. Only commands without a
	// data field are rolled back (nothing encrypted is ever sent twice
	// under one counter value).
	ErrLengthRejected = errors.New("card refused the protected command's length in plain")
	// ErrSessionDead: the session failed before and can no longer be used;
	// a new authentication (BAC, PACE) is needed.
	ErrSessionDead = errors.New("secure messaging session is dead")
)

// Error describes a secure messaging failure: the operation (Op: "wrap",
// "unwrap", "unwrap command", "wrap response"), the data object concerned
// when there is one (Tag), the plain status word of the card when it is
// the cause (SW, else 0) and the sentinel error (Err). It never holds key
// material or plaintext.
//
// When SW is set, the error also matches the apdu status sentinels:
// errors.Is(err, apdu.ErrSMDataObjectsIncorrect).
type Error struct {
	Op  string
	Tag tlv.Tag
	SW  apdu.StatusWord
	Err error
}

func (e *Error) Error() string {
	s := "sm: " + e.Op
	if e.Tag != 0 {
		s += fmt.Sprintf(": DO %s", e.Tag)
	}
	if e.SW != 0 {
		s += fmt.Sprintf(": status %s", e.SW)
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
