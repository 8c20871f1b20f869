package mrz

import (
	"strings"
)

// New builds an MRZ of the given format from fields as a personalization
// profile holds them, and computes its check digits:
//
//   - the names are transliterated (see Transliterate: "Nguyễn Văn Đức",
//     "O'Brien-Smith") and, if they do not fit, truncated (see TruncateName);
//   - the other text fields are upper-cased, spaces becoming fillers;
//   - a zero Sex is written as Unspecified ('<').
//
// The document code must fit the format ('V...' for visas only); a
// document number longer than 9 characters is written by the long-number
// rule on TD1 and TD2 and is an error elsewhere. Errors are *Error values
// naming the field.
func New(f Format, fields Fields) (*MRZ, error) {
	l := f.layout()
	if l == nil {
		return nil, &Error{Err: ErrField}
	}
	m := &MRZ{Format: f, Fields: fields}
	up := func(s string) string { return strings.ReplaceAll(strings.ToUpper(s), " ", "<") }
	m.DocumentCode = up(m.DocumentCode)
	m.IssuingState = up(m.IssuingState)
	m.Nationality = up(m.Nationality)
	m.DocumentNumber = up(m.DocumentNumber)
	m.OptionalData1 = trimFillers(up(m.OptionalData1))
	m.OptionalData2 = trimFillers(up(m.OptionalData2))
	if m.Sex == 0 {
		m.Sex = Unspecified
	}
	p, err := Transliterate(fields.PrimaryIdentifier)
	if err != nil {
		return nil, &Error{Field: FieldName, Err: ErrCharset}
	}
	s, err := Transliterate(fields.SecondaryIdentifier)
	if err != nil {
		return nil, &Error{Field: FieldName, Err: ErrCharset}
	}
	if strings.ContainsAny(p+s, "0123456789") {
		return nil, &Error{Field: FieldName, Err: ErrCharset}
	}
	p, s, _ = TruncateName(p, s, l.name.end-l.name.start)
	m.PrimaryIdentifier, m.SecondaryIdentifier = fillersToSpaces(p), fillersToSpaces(s)
	if err := m.ComputeCheckDigits(); err != nil {
		return nil, err
	}
	return m, nil
}

// TruncateName fits a name into a name field of width characters. primary
// and secondary are in MRZ form (letters, single fillers between words, as
// Transliterate returns them). The field holds the primary identifier, and,
// when there is a secondary identifier, two fillers and the secondary
// identifier. When that is too long, following Doc 9303 Parts 3 and 4 (names
// are cut from the right, the secondary identifier first):
//
//   - if the primary identifier, the two fillers and at least the first
//     character of the secondary identifier fit, the secondary identifier
//     is cut at the end of the field;
//   - otherwise the primary identifier is cut to leave room for the two
//     fillers and the initial of the secondary identifier (or cut at the
//     end of the field if there is no secondary identifier).
//
// A cut never leaves a filler at the end of the field. truncated reports
// whether anything was cut.
func TruncateName(primary, secondary string, width int) (p, s string, truncated bool) {
	n := len(primary)
	if secondary != "" {
		n += 2 + len(secondary)
	}
	if n <= width {
		return primary, secondary, false
	}
	switch {
	case secondary != "" && len(primary)+3 <= width:
		s = trimFillers(secondary[:width-len(primary)-2])
		return primary, s, true
	case secondary != "" && width > 3:
		return trimFillers(primary[:width-3]), secondary[:1], true
	default:
		return trimFillers(primary[:min(width, len(primary))]), "", true
	}
}
