package mrz

import (
	"fmt"
)

// Info is the "MRZ information" from which Basic Access Control (and PACE
// with the MRZ as password) derive their keys (Doc 9303 Part 11 §9.7.2 and
// §4.3): the document number, its check digit, the date of birth, its check
// digit, the date of expiry and its check digit, as printed in the zone
// (the whole document number, including the characters of a long number
// that TD1 and TD2 carry in the optional data).
//
// Info is a secret: whoever knows it can read the chip. Its String,
// GoString and Format methods print a redacted form; Bytes gives the value
// for key derivation.
type Info struct {
	documentNumber string
	numberCD       byte
	dateOfBirth    Date
	dobCD          byte
	dateOfExpiry   Date
	doeCD          byte
}

// NewInfo builds the MRZ information from the document number and the two
// dates (YYMMDD), computing the check digits. A document number shorter
// than 9 characters is padded with fillers, as the zone pads it; lower-case
// letters are not accepted. The date of birth may have unknown parts "<<".
func NewInfo(documentNumber string, dateOfBirth, dateOfExpiry Date) (Info, error) {
	if documentNumber == "" || documentNumber[len(documentNumber)-1] == Filler {
		return Info{}, &Error{Field: FieldDocumentNumber, Err: ErrDocumentNumber}
	}
	for len(documentNumber) < 9 {
		documentNumber += "<"
	}
	ncd, err := CheckDigit(documentNumber)
	if err != nil {
		return Info{}, &Error{Field: FieldDocumentNumber, Err: ErrCharset}
	}
	if err := dateOfBirth.Validate(true); err != nil {
		return Info{}, &Error{Field: FieldDateOfBirth, Err: ErrDate}
	}
	if err := dateOfExpiry.Validate(true); err != nil {
		return Info{}, &Error{Field: FieldDateOfExpiry, Err: ErrDate}
	}
	return Info{
		documentNumber: documentNumber,
		numberCD:       ncd,
		dateOfBirth:    dateOfBirth,
		dobCD:          checkDigitParts(string(dateOfBirth)),
		dateOfExpiry:   dateOfExpiry,
		doeCD:          checkDigitParts(string(dateOfExpiry)),
	}, nil
}

// Info returns the MRZ information of m, with the check digits as written
// in m (for a document issued with a wrong check digit, the chip's keys
// come from what was written).
func (m *MRZ) Info() Info {
	num := m.DocumentNumber
	for len(num) < 9 {
		num += "<"
	}
	return Info{
		documentNumber: num,
		numberCD:       m.CheckDigits.DocumentNumber,
		dateOfBirth:    m.DateOfBirth,
		dobCD:          m.CheckDigits.DateOfBirth,
		dateOfExpiry:   m.DateOfExpiry,
		doeCD:          m.CheckDigits.DateOfExpiry,
	}
}

// IsZero reports whether i is the zero Info (not built by NewInfo or
// MRZ.Info).
func (i Info) IsZero() bool { return i.documentNumber == "" }

// Bytes returns the MRZ information as the key derivation hashes it:
// document number (at least 9 characters), check digit, date of birth,
// check digit, date of expiry, check digit, in ASCII. Handle the result as
// key material.
func (i Info) Bytes() []byte {
	b := make([]byte, 0, len(i.documentNumber)+15)
	b = append(b, i.documentNumber...)
	b = append(b, i.numberCD)
	b = append(b, i.dateOfBirth...)
	b = append(b, i.dobCD)
	b = append(b, i.dateOfExpiry...)
	b = append(b, i.doeCD)
	return b
}

// DocumentNumber returns the document number as it enters the key
// derivation (padded to 9 characters with fillers).
func (i Info) DocumentNumber() string { return i.documentNumber }

const redacted = "mrz.Info{REDACTED}"

// String returns a redacted placeholder, never the secret.
func (i Info) String() string { return redacted }

// GoString returns a redacted placeholder, never the secret.
func (i Info) GoString() string { return redacted }

// Format prints the redacted placeholder for every verb, so that %v, %+v,
// %#v, %s, %q and %x cannot reveal the secret.
func (i Info) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redacted)) }
