package cccd

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error that ParseDG13 returns is an *Error wrapping
// one of these (and, for framing errors, the *tlv.Error that found the
// problem), so callers test with errors.Is(err, cccd.ErrMalformed) and read
// the field number and offset with errors.As.
var (
	// ErrTooLarge: the input is longer than the size limit (MaxSize unless
	// Options.MaxSize says otherwise).
	ErrTooLarge = errors.New("DG13 too large")
	// ErrWrongTag: the file does not start with the DG13 tag '6D'.
	ErrWrongTag = errors.New("not a DG13 ('6D') object")
	// ErrMalformed: the bytes are not the DG13 structure: bad TLV framing,
	// a missing or misplaced element, an INTEGER or OBJECT IDENTIFIER that
	// is not valid DER.
	ErrMalformed = errors.New("malformed DG13")
	// ErrTrailingData: bytes after the '6D' object (padding '00'/'FF' is
	// accepted there only with Options.AllowTrailingPadding).
	ErrTrailingData = errors.New("trailing data after DG13")
	// ErrFieldNumber: a field number that is negative or above
	// MaxFieldNumber.
	ErrFieldNumber = errors.New("field number out of range")
	// ErrDuplicateField: two fields with the same number.
	ErrDuplicateField = errors.New("duplicate field")
	// ErrFieldValue: a known field whose value does not have the shape of
	// the CCCD profile (a string where a string is expected, the parents'
	// and spouse's nested SEQUENCEs), or text that is not valid UTF-8.
	ErrFieldValue = errors.New("unexpected field value")
	// ErrPersonalNumber: a personal identification number that is not 12
	// ASCII digits.
	ErrPersonalNumber = errors.New("personal number is not 12 digits")
	// ErrInconsistent: the personal number disagrees with the year of
	// birth or the sex written in other fields.
	ErrInconsistent = errors.New("personal number inconsistent with other fields")
	// ErrDate: a date that is not dd/mm/yyyy with a valid day and month.
	ErrDate = errors.New("not a dd/mm/yyyy date")
)

// Error describes a failure: what went wrong (Err, one of the sentinel
// errors), in which field (Field is the field number, 0 outside any field)
// and at which byte offset of the input given to ParseDG13 (-1 when not
// about input bytes, as for the builder). It never contains field values:
// DG13 holds personal data and the CAN.
type Error struct {
	Field  int
	Offset int
	Err    error
	cause  error // the *tlv.Error behind a framing problem, if any
}

func (e *Error) Error() string {
	s := "cccd: "
	if e.Field != 0 {
		s += "field " + strconv.Itoa(e.Field) + ": "
	}
	if e.Offset >= 0 {
		s += "offset " + strconv.Itoa(e.Offset) + ": "
	}
	s += e.Err.Error()
	if e.cause != nil {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the sentinel and, for framing errors, the *tlv.Error.
func (e *Error) Unwrap() []error {
	if e.cause != nil {
		return []error{e.Err, e.cause}
	}
	return []error{e.Err}
}

func errAt(field, offset int, err error) *Error {
	return &Error{Field: field, Offset: offset, Err: err}
}
