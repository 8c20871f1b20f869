package mrz

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// set returns the zone text with the character at line, column (1-based)
// replaced by c.
func set(text string, line, col int, c string) string {
	lines := strings.Split(text, "\n")
	l := lines[line-1]
	lines[line-1] = l[:col-1] + c + l[col:]
	return strings.Join(lines, "\n")
}

const longTD1 = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		err        error
		line, col  int
		field      Field
		lenientsOK bool // ParseLenient accepts it (with a check digit error or none)
	}{
		{"empty", "", ErrLength, 0, 0, FieldNone, false},
		{"too long", strings.Repeat("<", MaxInputLen+1), ErrLength, 0, 0, FieldNone, false},
		{"89 characters", strings.ReplaceAll(specimenTD3, "\n", "")[1:], ErrLength, 0, 0, FieldNone, false},
		{"four lines", specimenTD1 + "\nA\n", ErrLength, 4, 0, FieldNone, false},
		{"ragged lines", specimenTD1[:len(specimenTD1)-1], ErrLength, 3, 0, FieldNone, false},
		{"two lines of 30", specimenTD1[:61], ErrLength, 0, 0, FieldNone, false},
		{"blank line", "\n", ErrLength, 0, 0, FieldNone, false},
		{"lower case", set(specimenTD1, 2, 5, "a"), ErrCharset, 2, 5, FieldNone, false},
		{"space", set(specimenTD3, 1, 44, " "), ErrCharset, 1, 44, FieldNone, false},
		{"code starts with filler", set(specimenTD1, 1, 1, "<"), ErrDocumentCode, 1, 1, FieldDocumentCode, false},
		{"code starts with digit", set(specimenTD3, 1, 1, "1"), ErrDocumentCode, 1, 1, FieldDocumentCode, false},
		{"visa code on TD1", set(specimenTD1, 1, 1, "V"), ErrDocumentCode, 1, 1, FieldDocumentCode, false},
		{"digit in code", set(specimenTD3, 1, 2, "3"), ErrDocumentCode, 1, 2, FieldDocumentCode, true},
		{"digit in state", set(specimenTD3, 1, 4, "7"), ErrField, 1, 3, FieldIssuingState, false},
		{"empty state", set(set(set(specimenTD1, 1, 3, "<"), 1, 4, "<"), 1, 5, "<"), ErrField, 1, 3, FieldIssuingState, false},
		{"filler inside state", set(specimenTD1, 1, 4, "<"), ErrField, 1, 3, FieldIssuingState, false},
		{"digit in nationality", set(specimenTD3, 2, 13, "0"), ErrField, 2, 11, FieldNationality, false},
		{"digit in name", set(specimenTD1, 3, 12, "4"), ErrField, 3, 12, FieldName, true},
		{"empty document number", "I<UTO<<<<<<<<<0<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<0\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", ErrDocumentNumber, 1, 6, FieldDocumentNumber, false},
		{"long number, filler in first nine", set(longTD1, 1, 10, "<"), ErrDocumentNumber, 1, 10, FieldDocumentNumber, false},
		{"long number, no continuation", set(longTD1, 1, 16, "<"), ErrDocumentNumber, 1, 16, FieldDocumentNumber, false},
		{"long number, check digit only", set(set(longTD1, 1, 17, "<"), 1, 18, "<"), ErrDocumentNumber, 1, 16, FieldDocumentNumber, false},
		{"long number, no filler after", "I<UTOD23145890<7349ABCDEFGHIJK\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<", ErrDocumentNumber, 1, 16, FieldDocumentNumber, false},
		{"month 13", set(specimenTD1, 2, 3, "1"), ErrDate, 2, 3, FieldDateOfBirth, false},
		{"day 00", set(set(specimenTD1, 2, 5, "0"), 2, 6, "0"), ErrDate, 2, 5, FieldDateOfBirth, false},
		{"31 April", set(set(specimenTD3, 2, 26, "3"), 2, 27, "1"), ErrDate, 2, 26, FieldDateOfExpiry, false},
		{"half-unknown year", set(specimenTD3, 2, 14, "<"), ErrDate, 2, 14, FieldDateOfBirth, false},
		{"unknown expiry", set(set(specimenTD3, 2, 22, "<"), 2, 23, "<"), ErrDate, 2, 22, FieldDateOfExpiry, true},
		{"sex Q", set(specimenTD1, 2, 8, "Q"), ErrSex, 2, 8, FieldSex, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			require.Nil(t, m)
			require.ErrorIs(t, err, tt.err)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tt.line, e.Line, "line")
			if tt.col != 0 {
				require.Equal(t, tt.col, e.Column, "column")
			}
			require.Equal(t, tt.field, e.Field)
			require.NotEmpty(t, e.Error())

			m, err = ParseLenient(tt.in)
			if !tt.lenientsOK {
				require.Nil(t, m)
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NotNil(t, m)
			if err != nil {
				require.ErrorIs(t, err, ErrCheckDigit)
			}
			require.Equal(t, tt.in, m.String())
		})
	}
}

func TestCheckDigitErrors(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
		field     Field
		want, got byte
	}{
		{"TD3 document number", specimenTD3, 2, 10, FieldDocumentNumber, '6', '5'},
		{"TD3 birth", specimenTD3, 2, 20, FieldDateOfBirth, '2', '5'},
		{"TD3 expiry", specimenTD3, 2, 28, FieldDateOfExpiry, '9', '5'},
		{"TD3 personal number", specimenTD3, 2, 43, FieldOptionalData1, '1', '5'},
		{"TD3 composite", specimenTD3, 2, 44, FieldComposite, '0', '5'},
		{"TD3 letter for digit", specimenTD3, 2, 20, FieldDateOfBirth, '2', 'X'},
		{"TD1 document number", specimenTD1, 1, 15, FieldDocumentNumber, '7', '5'},
		{"TD1 birth", specimenTD1, 2, 7, FieldDateOfBirth, '2', '5'},
		{"TD1 expiry", specimenTD1, 2, 15, FieldDateOfExpiry, '9', '5'},
		{"TD1 composite", specimenTD1, 2, 30, FieldComposite, '6', '5'},
		{"TD1 long number", longTD1, 1, 19, FieldDocumentNumber, '9', '5'},
		{"TD2 composite", "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6", 2, 36, FieldComposite, '6', '5'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := set(tt.in, tt.line, tt.col, string(tt.got))
			m, err := Parse(in)
			require.Nil(t, m)
			require.ErrorIs(t, err, ErrCheckDigit)
			var cde *CheckDigitError
			require.ErrorAs(t, err, &cde)
			require.Equal(t, tt.field, cde.Field)
			require.Equal(t, string(tt.want), string(cde.Want))
			require.Equal(t, string(tt.got), string(cde.Got))
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tt.line, e.Line)
			require.Equal(t, tt.col, e.Column)
			// The digits stay out of the message.
			require.Equal(t, "check digit of "+tt.field.String()+" does not match", cde.Error())

			m, err = ParseLenient(in)
			require.NotNil(t, m)
			require.ErrorIs(t, err, ErrCheckDigit)
			require.Equal(t, in, m.String(), "lenient round trip keeps the wrong digit")
			require.ErrorIs(t, m.Verify(), ErrCheckDigit)
			require.NoError(t, m.ComputeCheckDigits())
			require.NoError(t, m.Verify())
		})
	}
}

// All failures are reported, each with its position.
func TestCheckDigitErrorsJoined(t *testing.T) {
	in := set(set(specimenTD3, 2, 10, "0"), 2, 20, "0")
	_, err := Parse(in)
	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	var fields []Field
	for _, e := range joined.Unwrap() {
		var cde *CheckDigitError
		require.ErrorAs(t, e, &cde)
		fields = append(fields, cde.Field)
	}
	// The composite covers both digits that changed, and still matches by
	// chance or not; the two field digits are reported in order.
	require.Equal(t, []Field{FieldDocumentNumber, FieldDateOfBirth}, fields[:2])
}

func TestEmptyPersonalNumberCheckDigit(t *testing.T) {
	// An empty TD3 personal number may carry '<' or '0' as check digit.
	m, err := New(TD3, Fields{DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3",
		DateOfBirth: "740812", Sex: Female, DateOfExpiry: "120415", Nationality: "UTO",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"})
	require.NoError(t, err)
	require.Equal(t, byte('<'), m.CheckDigits.OptionalData)
	s := m.String()
	require.Equal(t, "L898902C36UTO7408122F1204159<<<<<<<<<<<<<<<8", strings.Split(s, "\n")[1])
	m2, err := Parse(s)
	require.NoError(t, err)
	require.Equal(t, s, m2.String())

	zero := set(s, 2, 43, "0")
	m3, err := Parse(zero)
	require.NoError(t, err, "'0' is accepted for an empty personal number")
	require.Equal(t, zero, m3.String())
}

func TestFormatErrors(t *testing.T) {
	base := func() *MRZ {
		m, err := Parse(specimenTD1)
		require.NoError(t, err)
		return m
	}
	tests := []struct {
		name  string
		edit  func(m *MRZ)
		err   error
		field Field
	}{
		{"unknown format", func(m *MRZ) { m.Format = 0 }, ErrField, FieldNone},
		{"format 9", func(m *MRZ) { m.Format = 9 }, ErrField, FieldNone},
		{"empty code", func(m *MRZ) { m.DocumentCode = "" }, ErrDocumentCode, FieldDocumentCode},
		{"visa code", func(m *MRZ) { m.DocumentCode = "V" }, ErrDocumentCode, FieldDocumentCode},
		{"visa without V", func(m *MRZ) { m.Format = MRVB; m.OptionalData2 = ""; m.CheckDigits.Composite = 0 }, ErrDocumentCode, FieldDocumentCode},
		{"long code", func(m *MRZ) { m.DocumentCode = "IDX" }, ErrTooLong, FieldDocumentCode},
		{"lower-case code", func(m *MRZ) { m.DocumentCode = "Id" }, ErrCharset, FieldDocumentCode},
		{"state", func(m *MRZ) { m.IssuingState = "U2O" }, ErrField, FieldIssuingState},
		{"long state", func(m *MRZ) { m.IssuingState = "UTOP" }, ErrField, FieldIssuingState},
		{"nationality", func(m *MRZ) { m.Nationality = "" }, ErrField, FieldNationality},
		{"name charset", func(m *MRZ) { m.PrimaryIdentifier = "ERIKSSÖN" }, ErrCharset, FieldName},
		{"name double space", func(m *MRZ) { m.PrimaryIdentifier = "VAN  DER" }, ErrField, FieldName},
		{"name trailing space", func(m *MRZ) { m.PrimaryIdentifier = "VAN " }, ErrField, FieldName},
		{"name too long", func(m *MRZ) { m.SecondaryIdentifier = strings.Repeat("A", 21) }, ErrTooLong, FieldName},
		{"empty number", func(m *MRZ) { m.DocumentNumber = "" }, ErrDocumentNumber, FieldDocumentNumber},
		{"number ends with filler", func(m *MRZ) { m.DocumentNumber = "D2<" }, ErrDocumentNumber, FieldDocumentNumber},
		{"number charset", func(m *MRZ) { m.DocumentNumber = "D2-3" }, ErrCharset, FieldDocumentNumber},
		{"short number, filler check digit", func(m *MRZ) { m.CheckDigits.DocumentNumber = '<' }, ErrField, FieldDocumentNumber},
		{"long number too long", func(m *MRZ) { m.DocumentNumber = strings.Repeat("1", 23) }, ErrTooLong, FieldDocumentNumber},
		{"long number and optional data too long", func(m *MRZ) { m.DocumentNumber = strings.Repeat("1", 21); m.OptionalData1 = "AB" }, ErrTooLong, FieldDocumentNumber},
		{"long number with filler", func(m *MRZ) { m.DocumentNumber = "D2314589<734" }, ErrDocumentNumber, FieldDocumentNumber},
		{"long number charset", func(m *MRZ) { m.DocumentNumber = "D23145890a34" }, ErrCharset, FieldDocumentNumber},
		{"long number charset in first nine", func(m *MRZ) { m.DocumentNumber = "d23145890734" }, ErrCharset, FieldDocumentNumber},
		{"bad check digit", func(m *MRZ) { m.CheckDigits.DocumentNumber = 'a' }, ErrField, FieldDocumentNumber},
		{"long number bad check digit", func(m *MRZ) { m.DocumentNumber = "D23145890734"; m.CheckDigits.DocumentNumber = '?' }, ErrField, FieldDocumentNumber},
		{"long number, optional data charset", func(m *MRZ) { m.DocumentNumber = "D23145890734"; m.OptionalData1 = "a" }, ErrCharset, FieldOptionalData1},
		{"optional data too long", func(m *MRZ) { m.OptionalData1 = strings.Repeat("1", 16) }, ErrTooLong, FieldOptionalData1},
		{"optional data 2 too long", func(m *MRZ) { m.OptionalData2 = strings.Repeat("1", 12) }, ErrTooLong, FieldOptionalData2},
		{"optional data 2 charset", func(m *MRZ) { m.OptionalData2 = "x" }, ErrCharset, FieldOptionalData2},
		{"birth", func(m *MRZ) { m.DateOfBirth = "7408" }, ErrDate, FieldDateOfBirth},
		{"expiry", func(m *MRZ) { m.DateOfExpiry = "120431" }, ErrDate, FieldDateOfExpiry},
		{"sex", func(m *MRZ) { m.Sex = 0 }, ErrSex, FieldSex},
		{"check digit missing", func(m *MRZ) { m.CheckDigits.DateOfBirth = 0 }, ErrField, FieldDateOfBirth},
		{"check digit not applicable", func(m *MRZ) { m.CheckDigits.OptionalData = '1' }, ErrField, FieldOptionalData1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.edit(m)
			lines, err := m.Lines()
			require.Nil(t, lines)
			require.ErrorIs(t, err, tt.err)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tt.field, e.Field)
			require.True(t, strings.HasPrefix(m.String(), "<invalid MRZ: "), m.String())
			require.Error(t, m.Verify())
		})
	}
	t.Run("optional data 2 on TD3", func(t *testing.T) {
		m, err := Parse(specimenTD3)
		require.NoError(t, err)
		m.OptionalData2 = "X"
		_, err = m.Lines()
		require.ErrorIs(t, err, ErrTooLong)
	})
	t.Run("long number on TD3", func(t *testing.T) {
		m, err := Parse(specimenTD3)
		require.NoError(t, err)
		m.DocumentNumber = "L898902C31"
		_, err = m.Lines()
		require.ErrorIs(t, err, ErrTooLong)
	})
}

func TestComputeCheckDigitsErrors(t *testing.T) {
	m := &MRZ{}
	require.ErrorIs(t, m.ComputeCheckDigits(), ErrField)
	m, err := Parse(specimenTD1)
	require.NoError(t, err)
	saved := m.CheckDigits
	m.DocumentNumber = "d2"
	require.ErrorIs(t, m.ComputeCheckDigits(), ErrCharset)
	m.DocumentNumber = "D23145890"
	m.Sex = 'Q'
	require.ErrorIs(t, m.ComputeCheckDigits(), ErrSex)
	require.Equal(t, saved, m.CheckDigits, "check digits untouched on error")
}

func TestErrorStrings(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&Error{Err: ErrLength}, "mrz: wrong length"},
		{&Error{Line: 2, Column: 5, Err: ErrCharset}, "mrz: line 2 column 5: character outside the MRZ character set"},
		{&Error{Field: FieldSex, Err: ErrSex}, "mrz: sex: invalid sex"},
		{&Error{Line: 1, Column: 15, Field: FieldDocumentNumber, Err: &CheckDigitError{Field: FieldDocumentNumber, Want: '7', Got: '5'}},
			"mrz: document number at line 1 column 15: check digit of document number does not match"},
	} {
		require.Equal(t, tt.want, tt.err.Error())
	}
	require.Equal(t, "Field(200)", Field(200).String())
	for f := FieldNone; f <= FieldComposite; f++ {
		require.NotContains(t, f.String(), "Field(")
	}
	require.Equal(t, "Format(?)", Format(0).String())
	require.Equal(t, "F <", fmt.Sprint(Female, Unspecified))
	for f, s := range map[Format]string{TD1: "TD1", TD2: "TD2", TD3: "TD3", MRVA: "MRV-A", MRVB: "MRV-B"} {
		require.Equal(t, s, f.String())
	}
	require.Equal(t, 0, Format(0).Lines())
	require.Equal(t, 0, Format(0).Width())
	require.Equal(t, 0, Format(0).MaxDocumentNumberLen())
	require.Equal(t, 22, TD1.MaxDocumentNumberLen())
	require.Equal(t, 14, TD2.MaxDocumentNumberLen())
	require.Equal(t, 9, TD3.MaxDocumentNumberLen())
	require.Equal(t, fmt.Sprint(3, 30), fmt.Sprint(TD1.Lines(), TD1.Width()))
}
