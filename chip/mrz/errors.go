package mrz

import (
	"errors"
	"fmt"
)

// Sentinel errors. Parse returns *Error values wrapping one of these (or a
// *CheckDigitError, which itself wraps ErrCheckDigit), so callers test with
// errors.Is(err, mrz.ErrCharset) and read the position with errors.As.
var (
	// ErrLength: the input is not 3 lines of 30, 2 of 36 or 2 of 44
	// characters, or is longer than MaxInputLen.
	ErrLength = errors.New("wrong length")
	// ErrCharset: a character outside 0-9, A-Z and the filler '<'.
	ErrCharset = errors.New("character outside the MRZ character set")
	// ErrDocumentCode: a document code that does not start with a letter or
	// does not suit the format (a visa code 'V' on a TD1, for instance).
	ErrDocumentCode = errors.New("invalid document code")
	// ErrDate: a date that is not YYMMDD (with fillers only where allowed).
	ErrDate = errors.New("invalid date")
	// ErrSex: a sex field other than 'M', 'F', 'X' or '<'.
	ErrSex = errors.New("invalid sex")
	// ErrDocumentNumber: a malformed document number, such as a long number
	// whose continuation in the optional data is missing or unterminated.
	ErrDocumentNumber = errors.New("invalid document number")
	// ErrCheckDigit: a check digit that does not match its field.
	ErrCheckDigit = errors.New("check digit mismatch")
	// ErrTooLong: a field value that does not fit its place in the format.
	ErrTooLong = errors.New("field too long")
	// ErrField: a field value that is malformed for its place (a state code
	// with digits, an empty document number, a check digit not yet computed).
	ErrField = errors.New("invalid field")
)

// Error describes a failure at a character position of the MRZ: Line and
// Column count from 1, as Doc 9303 numbers positions. Line and Column are 0
// when the failure concerns the whole input (ErrLength) or a field value
// given to the builder. Field names the field when known. Err is one of the
// sentinel errors or a *CheckDigitError.
//
// Error strings never contain the characters of the MRZ, which are personal
// data and, in part, the BAC key seed.
type Error struct {
	Line, Column int
	Field        Field
	Err          error
}

func (e *Error) Error() string {
	var where string
	switch {
	case e.Line > 0 && e.Field != FieldNone:
		where = fmt.Sprintf(" %s at line %d column %d", e.Field, e.Line, e.Column)
	case e.Line > 0:
		where = fmt.Sprintf(" line %d column %d", e.Line, e.Column)
	case e.Field != FieldNone:
		where = " " + e.Field.String()
	}
	if where == "" {
		return "mrz: " + e.Err.Error()
	}
	return "mrz:" + where + ": " + e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// CheckDigitError reports a check digit that does not match its field: Want
// is the digit computed from the field, Got the character found. Both are
// ASCII characters ('0'..'9', or '<' for an empty optional field).
//
// The digits are kept out of Error(): they are derived from the BAC key seed.
type CheckDigitError struct {
	Field     Field
	Want, Got byte
}

func (e *CheckDigitError) Error() string {
	return "check digit of " + e.Field.String() + " does not match"
}

func (e *CheckDigitError) Unwrap() error { return ErrCheckDigit }

// Field names an MRZ field, for errors and check digits.
type Field uint8

// The fields of an MRZ.
const (
	FieldNone Field = iota
	FieldDocumentCode
	FieldIssuingState
	FieldDocumentNumber
	FieldOptionalData1
	FieldDateOfBirth
	FieldSex
	FieldDateOfExpiry
	FieldNationality
	FieldOptionalData2
	FieldName
	FieldComposite
)

var fieldNames = [...]string{
	FieldNone:           "none",
	FieldDocumentCode:   "document code",
	FieldIssuingState:   "issuing state",
	FieldDocumentNumber: "document number",
	FieldOptionalData1:  "optional data 1",
	FieldDateOfBirth:    "date of birth",
	FieldSex:            "sex",
	FieldDateOfExpiry:   "date of expiry",
	FieldNationality:    "nationality",
	FieldOptionalData2:  "optional data 2",
	FieldName:           "name",
	FieldComposite:      "composite",
}

func (f Field) String() string {
	if int(f) < len(fieldNames) {
		return fieldNames[f]
	}
	return fmt.Sprintf("Field(%d)", uint8(f))
}
