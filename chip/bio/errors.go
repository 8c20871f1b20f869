package bio

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by the parsers and encoders of this
// package is an *Error wrapping one of these (or, for BER-TLV framing
// faults inside the group template, a *tlv.Error), so callers test with
// errors.Is(err, bio.ErrTruncated) and read the offset with errors.As.
var (
	// ErrTruncated: the input ends inside a field or an announced block.
	ErrTruncated = errors.New("truncated")
	// ErrTrailingData: bytes left after the last block a record announces.
	ErrTrailingData = errors.New("trailing data")
	// ErrFormat: the format identifier is not the one expected ("FAC\0",
	// "FIR\0", "IIR\0").
	ErrFormat = errors.New("wrong format identifier")
	// ErrVersion: a version other than "010\0" (the 2005 editions that ICAO
	// Doc 9303 Part 10 references).
	ErrVersion = errors.New("unsupported version")
	// ErrLength: a length field that disagrees with the structure around it.
	ErrLength = errors.New("inconsistent length")
	// ErrCount: a count field that is zero where one is required, or that
	// disagrees with the number of blocks present.
	ErrCount = errors.New("inconsistent count")
	// ErrTooLarge: a size or a count above this package's limits
	// (MaxImageSize, MaxTemplates, MaxImages, MaxBlockSize).
	ErrTooLarge = errors.New("too large")
	// ErrTag: a data object that does not belong where it was found.
	ErrTag = errors.New("unexpected tag")
	// ErrDuplicate: a data object that may occur once occurs twice.
	ErrDuplicate = errors.New("duplicate data object")
	// ErrMissing: a mandatory data object or field is absent.
	ErrMissing = errors.New("missing mandatory data object")
	// ErrValue: a field whose value has the wrong size or is out of range.
	ErrValue = errors.New("invalid value")
	// ErrImageFormat: image bytes that are none of the formats a record
	// may carry (see DetectImageFormat), or that disagree with the record's
	// declared image type.
	ErrImageFormat = errors.New("unsupported image format")
	// ErrEnciphered: the biometric data block is enciphered ('7F2E') and
	// cannot be decoded as a record.
	ErrEnciphered = errors.New("biometric data block is enciphered")
)

// Record names used in Error.Record.
const (
	RecordGroup  = "BIT" // the biometric information group template '7F61'
	RecordFace   = "FAC" // ISO/IEC 19794-5 face image record
	RecordFinger = "FIR" // ISO/IEC 19794-4 finger image record
	RecordIris   = "IIR" // ISO/IEC 19794-6 iris image record
)

// Error describes a parsing or encoding failure: in which record (Record,
// one of the Record* constants, or "image" for DecodeImageInfo), at which
// field (Field, the name the standard gives it), at which byte offset of
// the input handed to the parser (Offset; for encoding errors, where the
// field would be in the record being built, or 0 for the group and its
// header), and what went wrong (Err, a sentinel error or a *tlv.Error).
// The offsets of Template.Face, Finger and Iris count from the start of
// the data block.
//
// Error messages never carry field values, only names and offsets.
type Error struct {
	Record string
	Field  string
	Offset int
	Err    error
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("bio: %s: offset %d: %v", e.Record, e.Offset, e.Err)
	}
	return fmt.Sprintf("bio: %s: %s at offset %d: %v", e.Record, e.Field, e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func newErr(record, field string, off int, err error) *Error {
	return &Error{Record: record, Field: field, Offset: off, Err: err}
}
