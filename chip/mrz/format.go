package mrz

import (
	"strings"
)

// Lines formats m as its lines of text, writing the check digits stored in
// m.CheckDigits (see ComputeCheckDigits). For an MRZ read by Parse or
// ParseLenient the result is the input, byte for byte.
//
// The fields must already be in the MRZ character set (New transliterates
// and truncates; Lines does not) and fit their places; errors are *Error
// values naming the field.
func (m *MRZ) Lines() ([]string, error) {
	g, err := m.grid()
	if err != nil {
		return nil, err
	}
	return g[:m.Format.Lines()], nil
}

// Bytes formats m as the characters of its lines without line breaks, the
// form in which DG1 (tag '5F1F') stores the zone: 90, 72 or 88 bytes.
func (m *MRZ) Bytes() ([]byte, error) {
	g, err := m.grid()
	if err != nil {
		return nil, err
	}
	n := m.Format.Lines()
	b := make([]byte, 0, n*m.Format.Width())
	for _, l := range g[:n] {
		b = append(b, l...)
	}
	return b, nil
}

// String formats m as its lines joined by "\n", or, when m cannot be
// formatted, a description of the error. The result is the whole zone,
// personal data and BAC key seed included: do not log it.
func (m *MRZ) String() string {
	g, err := m.grid()
	if err != nil {
		return "<invalid MRZ: " + err.Error() + ">"
	}
	return strings.Join(g[:m.Format.Lines()], "\n")
}

// Verify recomputes the check digits and reports each one that differs
// from m.CheckDigits, as Parse does.
func (m *MRZ) Verify() error {
	g, err := m.grid()
	if err != nil {
		return err
	}
	l := m.Format.layout()
	return checkAll(l, &g, m.DocumentNumber, m.CheckDigits, m.numberCDSpan())
}

// ComputeCheckDigits validates the fields of m and sets m.CheckDigits from
// them. An empty TD3 personal number gets '<' as its check digit.
func (m *MRZ) ComputeCheckDigits() error {
	l := m.Format.layout()
	if l == nil {
		return &Error{Err: ErrField}
	}
	cd, err := CheckDigit(m.DocumentNumber)
	if err != nil {
		return &Error{Field: FieldDocumentNumber, Err: ErrCharset}
	}
	saved := m.CheckDigits
	m.CheckDigits = CheckDigits{DocumentNumber: cd, DateOfBirth: '0', DateOfExpiry: '0'}
	if !l.optCD.empty() {
		m.CheckDigits.OptionalData = '0'
	}
	if !l.composite.empty() {
		m.CheckDigits.Composite = '0'
	}
	g, err := m.grid()
	if err != nil {
		m.CheckDigits = saved
		return err
	}
	want := expected(l, &g, m.DocumentNumber)
	if !l.optCD.empty() && m.OptionalData1 == "" {
		want.OptionalData = Filler
	}
	m.CheckDigits = want
	if !l.composite.empty() {
		// The composite covers the other check digits: compute it again
		// over the zone holding them.
		g, _ = m.grid()
		m.CheckDigits.Composite = expected(l, &g, m.DocumentNumber).Composite
	}
	return nil
}

func (m *MRZ) numberCDSpan() span {
	l := m.Format.layout()
	if len(m.DocumentNumber) > 9 && l.longNumber {
		i := l.opt1.start + len(m.DocumentNumber) - 9
		return span{l.opt1.line, i, i + 1}
	}
	return l.numberCD
}

// grid writes the zone.
func (m *MRZ) grid() (grid, error) {
	var g grid
	l := m.Format.layout()
	if l == nil {
		return g, &Error{Err: ErrField}
	}
	var buf [3 * 44]byte
	b := buf[:l.lines*l.width]
	for i := range b {
		b[i] = Filler
	}
	put := func(sp span, fld Field, s string) error {
		if len(s) > sp.end-sp.start {
			return &Error{Field: fld, Err: ErrTooLong}
		}
		for i := 0; i < len(s); i++ {
			if !validChar(s[i]) {
				return &Error{Field: fld, Err: ErrCharset}
			}
		}
		copy(b[sp.line*l.width+sp.start:], s)
		return nil
	}
	putCD := func(sp span, fld Field, c byte) error {
		if !validChar(c) {
			return &Error{Field: fld, Err: ErrField}
		}
		b[sp.line*l.width+sp.start] = c
		return nil
	}

	code := m.DocumentCode
	if len(code) == 0 || !isAlpha(code[0]) || (code[0] == 'V') != (m.Format == MRVA || m.Format == MRVB) {
		return g, &Error{Field: FieldDocumentCode, Err: ErrDocumentCode}
	}
	if err := put(l.code, FieldDocumentCode, code); err != nil {
		return g, err
	}
	if err := putCountry(put, l.state, FieldIssuingState, m.IssuingState); err != nil {
		return g, err
	}
	if err := putCountry(put, l.nat, FieldNationality, m.Nationality); err != nil {
		return g, err
	}
	name, err := joinName(m.PrimaryIdentifier, m.SecondaryIdentifier)
	if err != nil {
		return g, err
	}
	if err := put(l.name, FieldName, name); err != nil {
		return g, err
	}

	num := m.DocumentNumber
	if num == "" || num[len(num)-1] == Filler {
		return g, &Error{Field: FieldDocumentNumber, Err: ErrDocumentNumber}
	}
	opt1 := m.OptionalData1
	if len(num) > 9 {
		if !l.longNumber {
			return g, &Error{Field: FieldDocumentNumber, Err: ErrTooLong}
		}
		if strings.IndexByte(num, Filler) >= 0 || m.CheckDigits.DocumentNumber == Filler {
			return g, &Error{Field: FieldDocumentNumber, Err: ErrDocumentNumber}
		}
		// Parts 5 and 6 (long document numbers): nine characters, a
		// filler for check digit, the rest and the check digit at the
		// start of the optional data, then a filler.
		if len(num)-9+2+len(opt1) > l.opt1.end-l.opt1.start {
			return g, &Error{Field: FieldDocumentNumber, Err: ErrTooLong}
		}
		if err := put(l.number, FieldDocumentNumber, num[:9]); err != nil {
			return g, err
		}
		b[l.numberCD.line*l.width+l.numberCD.start] = Filler
		if err := put(l.opt1, FieldDocumentNumber, num[9:]); err != nil {
			return g, err
		}
		if err := putCD(m.numberCDSpan(), FieldDocumentNumber, m.CheckDigits.DocumentNumber); err != nil {
			return g, err
		}
		n := len(num) - 9 + 2
		if err := put(span{l.opt1.line, l.opt1.start + n, l.opt1.end}, FieldOptionalData1, opt1); err != nil {
			return g, err
		}
	} else {
		if err := put(l.number, FieldDocumentNumber, num); err != nil {
			return g, err
		}
		if m.CheckDigits.DocumentNumber == Filler && l.longNumber {
			return g, &Error{Field: FieldDocumentNumber, Err: ErrField}
		}
		if err := putCD(l.numberCD, FieldDocumentNumber, m.CheckDigits.DocumentNumber); err != nil {
			return g, err
		}
		if err := put(l.opt1, FieldOptionalData1, opt1); err != nil {
			return g, err
		}
	}
	if l.opt2.empty() {
		if m.OptionalData2 != "" {
			return g, &Error{Field: FieldOptionalData2, Err: ErrTooLong}
		}
	} else if err := put(l.opt2, FieldOptionalData2, m.OptionalData2); err != nil {
		return g, err
	}

	if err := m.DateOfBirth.Validate(true); err != nil {
		return g, &Error{Field: FieldDateOfBirth, Err: ErrDate}
	}
	if err := m.DateOfExpiry.Validate(true); err != nil {
		return g, &Error{Field: FieldDateOfExpiry, Err: ErrDate}
	}
	_ = put(l.dob, FieldDateOfBirth, string(m.DateOfBirth))
	_ = put(l.doe, FieldDateOfExpiry, string(m.DateOfExpiry))
	if !validSex(m.Sex) {
		return g, &Error{Field: FieldSex, Err: ErrSex}
	}
	b[l.sex.line*l.width+l.sex.start] = byte(m.Sex)

	cds := []struct {
		sp  span
		fld Field
		c   byte
	}{
		{l.dobCD, FieldDateOfBirth, m.CheckDigits.DateOfBirth},
		{l.doeCD, FieldDateOfExpiry, m.CheckDigits.DateOfExpiry},
		{l.optCD, FieldOptionalData1, m.CheckDigits.OptionalData},
		{l.composite, FieldComposite, m.CheckDigits.Composite},
	}
	for _, cd := range cds {
		if cd.sp.empty() {
			if cd.c != 0 {
				return g, &Error{Field: cd.fld, Err: ErrField}
			}
			continue
		}
		if err := putCD(cd.sp, cd.fld, cd.c); err != nil {
			return g, err
		}
	}
	s := string(b)
	for i := 0; i < l.lines; i++ {
		g[i] = s[i*l.width : (i+1)*l.width]
	}
	return g, nil
}

func putCountry(put func(span, Field, string) error, sp span, fld Field, s string) error {
	if _, ok := parseCountry(s); !ok || len(s) > 3 {
		return &Error{Field: fld, Err: ErrField}
	}
	return put(sp, fld, s)
}

// joinName writes the name field (without padding): the primary
// identifier, and if there is a secondary identifier, two fillers and the
// secondary identifier, spaces written as fillers. Both must be made of
// letters, spaces (and digits, which only ParseLenient accepts back); the primary identifier may not contain two
// spaces in a row (they would read back as the separator).
func joinName(primary, secondary string) (string, error) {
	for _, s := range [2]string{primary, secondary} {
		for i := 0; i < len(s); i++ {
			if !isAlpha(s[i]) && s[i] != ' ' && (s[i] < '0' || s[i] > '9') {
				return "", &Error{Field: FieldName, Err: ErrCharset}
			}
		}
	}
	if strings.Contains(primary, "  ") || strings.HasSuffix(primary, " ") || strings.HasSuffix(secondary, " ") {
		return "", &Error{Field: FieldName, Err: ErrField}
	}
	name := primary
	if secondary != "" {
		name += "  " + secondary
	}
	return strings.ReplaceAll(name, " ", "<"), nil
}
