package dh

import (
	"errors"
	"fmt"
)

// Sentinel errors, returned wrapped in an *Error: test them with errors.Is.
var (
	// ErrInvalidGroup: group parameters that fail validation.
	ErrInvalidGroup = errors.New("invalid group parameters")
	// ErrUnknownGroup: a standardized identifier other than 0, 1, 2.
	ErrUnknownGroup = errors.New("unknown group")
	// ErrInvalidPublic: a public value outside (1, p-1) or, when the group
	// order q is known, not of order q.
	ErrInvalidPublic = errors.New("invalid public value")
	// ErrInvalidPrivate: a private value outside [1, q-1] (or [1, p-2]).
	ErrInvalidPrivate = errors.New("invalid private value")
	// ErrWeakSecret: a shared secret or mapped generator equal to 1 or
	// p-1 (only possible with invalid inputs).
	ErrWeakSecret = errors.New("degenerate shared secret")
	// ErrNoSubgroupOrder: a group without q whose p is not a safe prime,
	// so that a peer's value cannot be checked to lie in a large subgroup.
	ErrNoSubgroupOrder = errors.New("group without subgroup order q and p not a safe prime")
	// ErrWeakGroup: explicit parameters whose subgroup is too small.
	ErrWeakGroup = errors.New("subgroup too small")
	// ErrGroupMismatch: keys of different groups.
	ErrGroupMismatch = errors.New("group mismatch")
	// ErrMalformed: ASN.1 that does not parse as the structure expected.
	ErrMalformed = errors.New("malformed ASN.1")
	// ErrUnsupported: well-formed input outside this package's scope.
	ErrUnsupported = errors.New("unsupported")
	// ErrTooLarge: input beyond the size limits of this package.
	ErrTooLarge = errors.New("too large")
)

// Error describes a failure: the operation, the byte offset in the input
// when meaningful (-1 otherwise) and the sentinel error. It never carries
// secret values.
type Error struct {
	Op     string
	Offset int
	Err    error
}

func (e *Error) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("dh: %s at offset %d: %v", e.Op, e.Offset, e.Err)
	}
	return fmt.Sprintf("dh: %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func newError(op string, err error) *Error { return &Error{Op: op, Offset: -1, Err: err} }
