package mrz

import (
	"strings"

	"github.com/cancuoc/cancuoc/chip/internal/ascii"
)

// NewVNMID builds the TD1 zone of a Vietnamese citizen identity card (Căn
// cước công dân, CCCD, and the newer Căn cước) from the holder's 12-digit
// personal identification number and full name as printed ("Nguyễn Văn
// An": the first word is the surname, the rest the given names):
//
//	line 1  ID VNM, the last 9 digits of the personal number and their
//	        check digit, the whole 12-digit number in the optional data
//	line 2  date of birth, sex, date of expiry, VNM, no optional data,
//	        composite check digit
//	line 3  the name without diacritics (NGUYEN<<VAN<AN)
func NewVNMID(personalNumber, fullName string, dateOfBirth Date, sex Sex, dateOfExpiry Date) (*MRZ, error) {
	if !ascii.Digits(personalNumber, 12) {
		return nil, &Error{Field: FieldOptionalData1, Err: ErrField}
	}
	primary, secondary, _ := strings.Cut(strings.TrimSpace(fullName), " ")
	return New(TD1, Fields{
		DocumentCode:        "ID",
		IssuingState:        "VNM",
		DocumentNumber:      personalNumber[3:],
		OptionalData1:       personalNumber,
		DateOfBirth:         dateOfBirth,
		Sex:                 sex,
		DateOfExpiry:        dateOfExpiry,
		Nationality:         "VNM",
		PrimaryIdentifier:   primary,
		SecondaryIdentifier: secondary,
	})
}

// PersonalNumber returns the 12-digit personal identification number of a
// Vietnamese identity card: a TD1 issued by VNM with a document code
// starting with 'I', whose optional data 1 is the 12 digits ending with the
// document number. ok is false for any other document.
//
// The card access number (CAN) of a CCCD is derived from this number; that
// rule lives with the CCCD profile (package chip/cccd), not here.
func (m *MRZ) PersonalNumber() (pn string, ok bool) {
	if m.Format != TD1 || m.IssuingState != "VNM" || !strings.HasPrefix(m.DocumentCode, "I") {
		return "", false
	}
	pn = m.OptionalData1
	if !ascii.Digits(pn, 12) || pn[3:] != m.DocumentNumber {
		return "", false
	}
	return pn, true
}
