package cvc

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/tlv"
)

// Sentinel errors. Every error of this package is an *Error wrapping one of
// them: test with errors.Is(err, cvc.ErrMalformed).
var (
	// ErrMalformed: bytes that are not a card verifiable certificate: a
	// missing, duplicated, misplaced or unknown data object, a wrong length.
	ErrMalformed = errors.New("malformed certificate")
	// ErrTooLarge: input beyond MaxCertificateLen.
	ErrTooLarge = errors.New("certificate too large")
	// ErrDate: a date that is not six digits YYMMDD of a real day, or an
	// expiration date before the effective date.
	ErrDate = errors.New("invalid date")
	// ErrReference: a certification authority or holder reference that is
	// not 2 to 16 printable ISO/IEC 8859-1 characters (a CHR: a country
	// code, a mnemonic of up to 9 and a sequence number of 5).
	ErrReference = errors.New("invalid reference")
	// ErrUnsupported: a public key algorithm, curve or profile this
	// package does not support.
	ErrUnsupported = errors.New("unsupported algorithm")
	// ErrInvalidKey: a public key that does not decode (a point not on the
	// curve, domain parameters missing where they are needed).
	ErrInvalidKey = errors.New("invalid public key")
	// ErrSignature: a signature that does not verify.
	ErrSignature = errors.New("signature verification failed")
)

// Error describes a failure: the operation (Op: "parse", "verify",
// "create"), the data object concerned (Tag, 0 when none), the byte offset
// in the input where it starts (-1 when not meaningful) and the sentinel.
type Error struct {
	Op     string
	Tag    tlv.Tag
	Offset int
	Err    error
}

func (e *Error) Error() string {
	s := "cvc: " + e.Op
	if e.Tag != 0 {
		s += " " + e.Tag.String()
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset %d", e.Offset)
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func newErr(op string, tag tlv.Tag, off int, err error) *Error {
	return &Error{Op: op, Tag: tag, Offset: off, Err: err}
}
