package mrz

import (
	"errors"
	"strings"
)

// grid is the text of an MRZ, one string per line.
type grid [3]string

func (g *grid) at(s span) string { return g[s.line][s.start:s.end] }

// Parse reads a machine readable zone: three lines of 30 characters (TD1),
// two of 36 (TD2, or MRV-B when the document code starts with 'V') or two
// of 44 (TD3, or MRV-A). The lines may be joined directly or separated by
// "\n" or "\r\n", with an optional final line break.
//
// Parse is strict: every character must be in the MRZ character set, every
// field well formed and every check digit right. Errors are *Error values
// naming the line and column; check digit failures are all reported,
// joined, each an *Error wrapping a *CheckDigitError. Use ParseLenient to
// read documents issued with wrong check digits.
func Parse(s string) (*MRZ, error) {
	m, err := parse(s, true)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ParseLenient reads a machine readable zone as Parse does, but returns the
// MRZ even when check digits do not match, together with an error joining
// one *Error (wrapping a *CheckDigitError) per failure; the check digits
// are kept as written, so that String gives back the input and Info gives
// the key seed the issuer used. It also accepts fillers in the date of
// expiry, digits in the name and any character after the first of the
// document code. Other errors return a nil MRZ.
func ParseLenient(s string) (*MRZ, error) {
	return parse(s, false)
}

func splitLines(s string) (g grid, n, width int, err error) {
	if len(s) > MaxInputLen {
		return g, 0, 0, &Error{Err: ErrLength}
	}
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	if strings.IndexByte(s, '\n') < 0 {
		switch len(s) {
		case 90:
			return grid{s[:30], s[30:60], s[60:]}, 3, 30, nil
		case 72:
			return grid{s[:36], s[36:]}, 2, 36, nil
		case 88:
			return grid{s[:44], s[44:]}, 2, 44, nil
		}
		return g, 0, 0, &Error{Err: ErrLength}
	}
	for s != "" || n == 0 {
		if n == len(g) {
			return g, 0, 0, &Error{Line: n + 1, Err: ErrLength}
		}
		line, rest, _ := strings.Cut(s, "\n")
		g[n] = strings.TrimSuffix(line, "\r")
		n++
		s = rest
	}
	width = len(g[0])
	for i := 1; i < n; i++ {
		if len(g[i]) != width {
			return g, 0, 0, &Error{Line: i + 1, Err: ErrLength}
		}
	}
	if !(n == 3 && width == 30) && !(n == 2 && (width == 36 || width == 44)) {
		return g, 0, 0, &Error{Err: ErrLength}
	}
	return g, n, width, nil
}

func parse(s string, strict bool) (*MRZ, error) {
	g, n, width, err := splitLines(s)
	if err != nil {
		return nil, err
	}
	for i := range n {
		for j := 0; j < width; j++ {
			if !validChar(g[i][j]) {
				return nil, &Error{Line: i + 1, Column: j + 1, Err: ErrCharset}
			}
		}
	}
	var f Format
	switch {
	case n == 3:
		f = TD1
	case width == 36 && g[0][0] == 'V':
		f = MRVB
	case width == 36:
		f = TD2
	case g[0][0] == 'V':
		f = MRVA
	default:
		f = TD3
	}
	l := f.layout()
	m := &MRZ{Format: f}
	fail := func(sp span, off int, fld Field, e error) (*MRZ, error) {
		return nil, &Error{Line: sp.line + 1, Column: sp.start + off + 1, Field: fld, Err: e}
	}

	code := g.at(l.code)
	if !isAlpha(code[0]) || (f == TD1 && code[0] == 'V') {
		return fail(l.code, 0, FieldDocumentCode, ErrDocumentCode)
	}
	if strict && !isAlpha(code[1]) && code[1] != Filler {
		return fail(l.code, 1, FieldDocumentCode, ErrDocumentCode)
	}
	m.DocumentCode = trimFillers(code)

	var ok bool
	if m.IssuingState, ok = parseCountry(g.at(l.state)); !ok {
		return fail(l.state, 0, FieldIssuingState, ErrField)
	}
	if m.Nationality, ok = parseCountry(g.at(l.nat)); !ok {
		return fail(l.nat, 0, FieldNationality, ErrField)
	}

	var i int
	if m.PrimaryIdentifier, m.SecondaryIdentifier, i = parseName(g.at(l.name), strict); i >= 0 {
		return fail(l.name, i, FieldName, ErrField)
	}

	// Document number, possibly continued in the optional data.
	number := g.at(l.number)
	numberCD := l.numberCD
	opt1 := g.at(l.opt1)
	m.CheckDigits.DocumentNumber = g.at(l.numberCD)[0]
	if l.longNumber && m.CheckDigits.DocumentNumber == Filler {
		if strings.IndexByte(number, Filler) >= 0 {
			return fail(l.number, strings.IndexByte(number, Filler), FieldDocumentNumber, ErrDocumentNumber)
		}
		j := strings.IndexByte(opt1, Filler)
		if j < 2 {
			return fail(l.opt1, 0, FieldDocumentNumber, ErrDocumentNumber)
		}
		m.DocumentNumber = number + opt1[:j-1]
		m.CheckDigits.DocumentNumber = opt1[j-1]
		numberCD = span{l.opt1.line, l.opt1.start + j - 1, l.opt1.start + j}
		opt1 = opt1[j+1:]
	} else {
		m.DocumentNumber = trimFillers(number)
		if m.DocumentNumber == "" {
			return fail(l.number, 0, FieldDocumentNumber, ErrDocumentNumber)
		}
	}
	m.OptionalData1 = trimFillers(opt1)
	if !l.opt2.empty() {
		m.OptionalData2 = trimFillers(g.at(l.opt2))
	}

	m.DateOfBirth = Date(g.at(l.dob))
	if err := m.DateOfBirth.Validate(true); err != nil {
		return fail(l.dob, err.(*Error).Column-1, FieldDateOfBirth, ErrDate)
	}
	m.DateOfExpiry = Date(g.at(l.doe))
	if err := m.DateOfExpiry.Validate(!strict); err != nil {
		return fail(l.doe, err.(*Error).Column-1, FieldDateOfExpiry, ErrDate)
	}
	m.Sex = Sex(g.at(l.sex)[0])
	if !validSex(m.Sex) {
		return fail(l.sex, 0, FieldSex, ErrSex)
	}

	m.CheckDigits.DateOfBirth = g.at(l.dobCD)[0]
	m.CheckDigits.DateOfExpiry = g.at(l.doeCD)[0]
	if !l.optCD.empty() {
		m.CheckDigits.OptionalData = g.at(l.optCD)[0]
	}
	if !l.composite.empty() {
		m.CheckDigits.Composite = g.at(l.composite)[0]
	}
	if err := checkAll(l, &g, m.DocumentNumber, m.CheckDigits, numberCD); err != nil {
		if strict {
			return nil, err
		}
		return m, err
	}
	return m, nil
}

// parseCountry reads a state or nationality code: one to three letters
// padded with fillers.
func parseCountry(s string) (string, bool) {
	t := trimFillers(s)
	if t == "" {
		return "", false
	}
	for i := 0; i < len(t); i++ {
		if !isAlpha(t[i]) {
			return "", false
		}
	}
	return t, true
}

// parseName splits the name field at its first double filler (Part 3)
// after removing the padding, and turns the remaining fillers into spaces.
// bad is the index of a character that is not a letter or filler (digits
// are allowed when not strict), or -1.
func parseName(s string, strict bool) (primary, secondary string, bad int) {
	if strict {
		for i := 0; i < len(s); i++ {
			if !isAlpha(s[i]) && s[i] != Filler {
				return "", "", i
			}
		}
	}
	t := trimFillers(s)
	primary, secondary, _ = strings.Cut(t, "<<")
	return fillersToSpaces(primary), fillersToSpaces(secondary), -1
}

func fillersToSpaces(s string) string {
	if strings.IndexByte(s, Filler) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "<", " ")
}

// expected computes the check digits the fields of g call for.
func expected(l *layout, g *grid, number string) (want CheckDigits) {
	want.DocumentNumber = checkDigitParts(number)
	want.DateOfBirth = checkDigitParts(g.at(l.dob))
	want.DateOfExpiry = checkDigitParts(g.at(l.doe))
	if !l.optCD.empty() {
		want.OptionalData = checkDigitParts(g.at(l.opt1))
	}
	if !l.composite.empty() {
		var sum, n int
		for _, sp := range l.compositeOver {
			s := g.at(sp)
			for i := 0; i < len(s); i++ {
				v, _ := charValue(s[i])
				sum += v * weights[n%3]
				n++
			}
		}
		want.Composite = byte('0' + sum%10)
	}
	return want
}

// checkAll compares the check digits written in g (got) with those its
// fields call for and joins one error per mismatch.
func checkAll(l *layout, g *grid, number string, got CheckDigits, numberCD span) error {
	want := expected(l, g, number)
	var errs []error
	add := func(sp span, fld Field, w, gt byte) {
		errs = append(errs, &Error{Line: sp.line + 1, Column: sp.start + 1, Field: fld,
			Err: &CheckDigitError{Field: fld, Want: w, Got: gt}})
	}
	if want.DocumentNumber != got.DocumentNumber {
		add(numberCD, FieldDocumentNumber, want.DocumentNumber, got.DocumentNumber)
	}
	if want.DateOfBirth != got.DateOfBirth {
		add(l.dobCD, FieldDateOfBirth, want.DateOfBirth, got.DateOfBirth)
	}
	if want.DateOfExpiry != got.DateOfExpiry {
		add(l.doeCD, FieldDateOfExpiry, want.DateOfExpiry, got.DateOfExpiry)
	}
	if !l.optCD.empty() {
		// An empty personal number may have '<' or '0' as its check digit
		// (Part 4, personal number check digit).
		empty := trimFillers(g.at(l.opt1)) == ""
		if !(want.OptionalData == got.OptionalData || empty && got.OptionalData == Filler) {
			add(l.optCD, FieldOptionalData1, want.OptionalData, got.OptionalData)
		}
	}
	if !l.composite.empty() && want.Composite != got.Composite {
		add(l.composite, FieldComposite, want.Composite, got.Composite)
	}
	return errors.Join(errs...)
}
