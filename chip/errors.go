package chip

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/tlv"
)

// Sentinel errors. The parsers of this package return *ParseError values
// that wrap one of these or a tlv error (tlv.ErrTruncated and the like), so
// callers test with errors.Is and read the file, tag and offset with
// errors.As.
var (
	// ErrWrongTag: the file, or a field inside it, starts with another tag
	// than the one Doc 9303 prescribes.
	ErrWrongTag = errors.New("wrong tag")
	// ErrTooLarge: the file is larger than File.MaxSize, or a value is
	// longer than the encoding allows.
	ErrTooLarge = errors.New("too large")
	// ErrMissingField: a mandatory field is absent.
	ErrMissingField = errors.New("missing field")
	// ErrDuplicateField: a field that may appear once appears twice.
	ErrDuplicateField = errors.New("duplicate field")
	// ErrInvalidValue: a field whose value is malformed (a version that is
	// not digits, a count that does not match the entries, bad DER).
	ErrInvalidValue = errors.New("invalid value")
	// ErrUnknownFile: a File value that names no file, or a tag of no file.
	ErrUnknownFile = errors.New("unknown file")
)

// ParseError describes why a file could not be parsed or encoded: which
// file, inside which tag when known (0 otherwise), at which byte offset of
// the file, and the cause (a sentinel above or a tlv error). It never
// carries the values of fields, which are personal data.
type ParseError struct {
	File   File
	Tag    tlv.Tag
	Offset int
	Err    error
}

func (e *ParseError) Error() string {
	if e.Tag != 0 {
		return fmt.Sprintf("chip: %s: tag %s at offset %d: %v", e.File, e.Tag, e.Offset, e.Err)
	}
	return fmt.Sprintf("chip: %s: offset %d: %v", e.File, e.Offset, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// perr builds a *ParseError. When err is a *tlv.Error, its offset (relative
// to the bytes given to tlv, which are the file itself) and tag are taken.
func perr(f File, t tlv.Tag, off int, err error) error {
	var te *tlv.Error
	if errors.As(err, &te) {
		if te.Tag != 0 {
			t = te.Tag
		}
		off = te.Offset
	}
	return &ParseError{File: f, Tag: t, Offset: off, Err: err}
}

// errorf wraps a sentinel with a short reason that holds no field values.
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
