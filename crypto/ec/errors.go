package ec

import (
	"errors"
	"fmt"
)

// Sentinel errors. Functions of this package return them wrapped in an
// *Error, so callers test with errors.Is(err, ec.ErrNotOnCurve) and read
// the operation and offset with errors.As.
var (
	// ErrInvalidEncoding: bytes that are not a well-formed point encoding
	// (wrong length, unknown first byte).
	ErrInvalidEncoding = errors.New("invalid point encoding")
	// ErrNotOnCurve: coordinates that do not satisfy the curve equation.
	ErrNotOnCurve = errors.New("point not on curve")
	// ErrCoordinateRange: a coordinate that is not in [0, p-1].
	ErrCoordinateRange = errors.New("coordinate out of range")
	// ErrInfinity: the point at infinity where a finite point is required
	// (a public key, a shared secret, an encoding).
	ErrInfinity = errors.New("point at infinity")
	// ErrNotInSubgroup: a point whose order is not the curve order n (only
	// possible on curves with a cofactor above 1).
	ErrNotInSubgroup = errors.New("point not in the prime-order subgroup")
	// ErrInvalidScalar: a private key or scalar outside [1, n-1].
	ErrInvalidScalar = errors.New("invalid scalar")
	// ErrInvalidCurve: explicit domain parameters that fail validation.
	ErrInvalidCurve = errors.New("invalid curve parameters")
	// ErrWeakCurve: explicit domain parameters that are valid but weak: a
	// subgroup order n below MinOrderBits bits or a cofactor above
	// MaxCofactor (a small subgroup leaves few possible shared secrets).
	ErrWeakCurve = errors.New("weak curve parameters")
	// ErrUnknownCurve: an OID, name or standardized id this package does
	// not know.
	ErrUnknownCurve = errors.New("unknown curve")
	// ErrCurveMismatch: two objects (keys, points) on different curves.
	ErrCurveMismatch = errors.New("curve mismatch")
	// ErrInvalidSignature: a signature that is malformed (verification
	// failures are reported by a false result, not by this error).
	ErrInvalidSignature = errors.New("malformed signature")
	// ErrMalformed: ASN.1 that does not parse as the structure expected.
	ErrMalformed = errors.New("malformed ASN.1")
	// ErrUnsupported: well-formed input that uses a feature outside this
	// package (characteristic-two fields, implicitlyCA parameters, ...).
	ErrUnsupported = errors.New("unsupported")
	// ErrTooLarge: input beyond the size limits of this package.
	ErrTooLarge = errors.New("too large")
)

// Error describes a failure: the operation (Op, such as "decode point" or
// "parse ECParameters"), the curve name when known, the byte offset in the
// input when meaningful (-1 otherwise) and the sentinel error.
// It never carries secret values.
type Error struct {
	Op     string
	Curve  string
	Offset int
	Err    error
}

func (e *Error) Error() string {
	s := "ec: " + e.Op
	if e.Curve != "" {
		s += " (" + e.Curve + ")"
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset %d", e.Offset)
	}
	return s + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

func newError(op string, c *Curve, err error) *Error {
	e := &Error{Op: op, Offset: -1, Err: err}
	if c != nil {
		e.Curve = c.name
	}
	return e
}

func asErr(err error, target **Error) bool { return errors.As(err, target) }
