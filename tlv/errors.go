package tlv

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by the decoding functions of this
// package is an *Error wrapping one of these, so callers test with
// errors.Is(err, tlv.ErrTruncated) and read the offset with errors.As.
var (
	// ErrTruncated: the input ends inside a tag, a length or a value.
	ErrTruncated = errors.New("truncated")
	// ErrTagTooLong: a tag of more than MaxTagLen bytes.
	ErrTagTooLong = errors.New("tag too long")
	// ErrNonMinimalTag: a tag number with a leading zero septet ('5F80..').
	ErrNonMinimalTag = errors.New("non-minimal tag encoding")
	// ErrInvalidTag: a tag value that is not a well-formed encoding.
	ErrInvalidTag = errors.New("invalid tag")
	// ErrIndefiniteLength: the length byte '80', which DER and the eMRTD
	// LDS do not allow.
	ErrIndefiniteLength = errors.New("indefinite length")
	// ErrLengthTooLong: a long-form length of more than MaxLengthBytes bytes.
	ErrLengthTooLong = errors.New("length field too long")
	// ErrNonMinimalLength: a length encoded in more bytes than needed.
	ErrNonMinimalLength = errors.New("non-minimal length encoding")
	// ErrTrailingData: bytes left over after the last object.
	ErrTrailingData = errors.New("trailing data")
	// ErrTooDeep: constructed objects nested deeper than MaxDepth.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrTooManyNodes: more objects than Decode's node budget (MaxNodes).
	ErrTooManyNodes = errors.New("too many objects")
	// ErrNotFound: a tag or tag path that is not present.
	ErrNotFound = errors.New("not found")
	// ErrTooLarge: a value longer than the encoder supports.
	ErrTooLarge = errors.New("too large")
)

// Error describes a decoding failure: what went wrong (Err, one of the
// sentinel errors), at which byte offset of the outermost input, and inside
// which tag when the tag was already read (Tag is 0 otherwise).
type Error struct {
	Offset int
	Tag    Tag
	Err    error
}

func (e *Error) Error() string {
	if e.Tag != 0 {
		return fmt.Sprintf("tlv: tag %s at offset %d: %v", e.Tag, e.Offset, e.Err)
	}
	return fmt.Sprintf("tlv: offset %d: %v", e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
