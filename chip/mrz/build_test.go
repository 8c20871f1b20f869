package mrz

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNew(t *testing.T) {
	// A German-style passport with a one-letter state code, national
	// characters, a long name and an empty sex.
	m, err := New(TD3, Fields{
		DocumentCode: "p", IssuingState: "d", DocumentNumber: "c01x00t47",
		DateOfBirth: "640812", DateOfExpiry: "271031", Nationality: "d",
		PrimaryIdentifier:   "Mustermann-Schmidt-Großkopf",
		SecondaryIdentifier: "Erika Anna-Lena Jürgen",
	})
	require.NoError(t, err)
	// 28 characters of primary identifier and two fillers leave 9 for the
	// secondary identifier, cut in the middle of a word (Part 3 §4.6).
	require.Equal(t, "P<D<<MUSTERMANN<SCHMIDT<GROSSKOPF<<ERIKA<ANN", strings.Split(m.String(), "\n")[0])
	require.Equal(t, Unspecified, m.Sex)
	require.Equal(t, "ERIKA ANN", m.SecondaryIdentifier)
	require.Equal(t, "MUSTERMANN SCHMIDT GROSSKOPF", m.PrimaryIdentifier)
	require.Equal(t, "C01X00T47", m.DocumentNumber)
	require.NoError(t, m.Verify())
	again, err := Parse(m.String())
	require.NoError(t, err)
	require.Equal(t, m, again)

	// A TD1 with a long document number and optional data after it.
	m, err = New(TD1, Fields{
		DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890734", OptionalData1: "ab 1",
		OptionalData2: "x y", DateOfBirth: "340712", Sex: Male, DateOfExpiry: "950712", Nationality: "UTO",
		PrimaryIdentifier: "Stevenson", SecondaryIdentifier: "Peter John",
	})
	require.NoError(t, err)
	lines, err := m.Lines()
	require.NoError(t, err)
	require.Equal(t, "I<UTOD23145890<7349<AB<1<<<<<<", lines[0])
	require.Equal(t, "X<Y", m.OptionalData2)
	again, err = Parse(m.String())
	require.NoError(t, err)
	require.Equal(t, m, again)

	// A visa.
	m, err = New(MRVB, Fields{DocumentCode: "V", IssuingState: "UTO", DocumentNumber: "L8988901C",
		DateOfBirth: "400907", Sex: Female, DateOfExpiry: "961210", Nationality: "XXX",
		PrimaryIdentifier: "Eriksson", SecondaryIdentifier: "Anna Maria"})
	require.NoError(t, err)
	require.Equal(t, readVector(t, "icao9303/p7_mrvb_specimen.mrz"), m.String())

	for _, tt := range []struct {
		name string
		f    Format
		in   Fields
		err  error
	}{
		{"unknown format", 0, Fields{}, ErrField},
		{"cyrillic name", TD3, Fields{PrimaryIdentifier: "Иванов"}, ErrCharset},
		{"cyrillic given name", TD3, Fields{PrimaryIdentifier: "A", SecondaryIdentifier: "Иван"}, ErrCharset},
		{"digits in name", TD3, Fields{PrimaryIdentifier: "Louis 14"}, ErrCharset},
		{"missing fields", TD3, Fields{PrimaryIdentifier: "A"}, ErrDocumentCode},
		{"visa code on passport", TD3, Fields{DocumentCode: "V", IssuingState: "UTO", DocumentNumber: "1",
			DateOfBirth: "400907", DateOfExpiry: "961210", Nationality: "UTO"}, ErrDocumentCode},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.f, tt.in)
			require.Nil(t, m)
			require.ErrorIs(t, err, tt.err)
		})
	}
}

func TestNewVNMID(t *testing.T) {
	for _, pn := range []string{"", "00109001234", "0010900123456", "00109001234A"} {
		_, err := NewVNMID(pn, "Nguyễn Văn An", "900101", Male, "350101")
		require.ErrorIs(t, err, ErrField, pn)
	}
	_, err := NewVNMID("001090012345", "Nguyễn Văn An", "901301", Male, "350101")
	require.ErrorIs(t, err, ErrDate)

	// A one-word name has no secondary identifier.
	m, err := NewVNMID("001090012345", "  Mai ", "900101", Female, "350101")
	require.NoError(t, err)
	require.Equal(t, "MAI", m.PrimaryIdentifier)
	require.Equal(t, "", m.SecondaryIdentifier)

	// PersonalNumber refuses what is not a VNM identity card.
	for _, tt := range []struct {
		name string
		edit func(m *MRZ)
	}{
		{"passport format", func(m *MRZ) { m.Format = TD3 }},
		{"other state", func(m *MRZ) { m.IssuingState = "UTO" }},
		{"not an ID card", func(m *MRZ) { m.DocumentCode = "AC" }},
		{"no personal number", func(m *MRZ) { m.OptionalData1 = "" }},
		{"letters", func(m *MRZ) { m.OptionalData1 = "00109001234X" }},
		{"number does not end with the document number", func(m *MRZ) { m.DocumentNumber = "090012346" }},
	} {
		m, err := Parse(vnmTD1)
		require.NoError(t, err)
		pn, ok := m.PersonalNumber()
		require.True(t, ok)
		require.Equal(t, "001090012345", pn)
		tt.edit(m)
		pn, ok = m.PersonalNumber()
		require.False(t, ok, tt.name)
		require.Empty(t, pn)
	}
}

func TestInfo(t *testing.T) {
	info, err := NewInfo("L898902C", "690806", "940623")
	require.NoError(t, err)
	require.Equal(t, "L898902C<369080619406236", string(info.Bytes()))
	require.Equal(t, "L898902C<", info.DocumentNumber())
	require.False(t, info.IsZero())
	require.True(t, Info{}.IsZero())

	// Redaction, whatever the verb.
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3s"} {
		s := fmt.Sprintf(format, info)
		require.Equal(t, "mrz.Info{REDACTED}", s, format)
		s = fmt.Sprintf(format, &info)
		require.NotContains(t, s, "L898902C", format)
		require.NotContains(t, s, "690806", format)
	}
	require.Equal(t, "mrz.Info{REDACTED}", info.String())
	require.Equal(t, "mrz.Info{REDACTED}", info.GoString())
	s := fmt.Sprintf("%+v", struct{ I Info }{info})
	require.NotContains(t, s, "L898902C")

	for _, tt := range []struct {
		num      string
		dob, doe Date
		err      error
	}{
		{"", "690806", "940623", ErrDocumentNumber},
		{"L89<", "690806", "940623", ErrDocumentNumber},
		{"l898902c", "690806", "940623", ErrCharset},
		{"L898902C", "691306", "940623", ErrDate},
		{"L898902C", "690806", "94062", ErrDate},
	} {
		_, err := NewInfo(tt.num, tt.dob, tt.doe)
		require.ErrorIs(t, err, tt.err, tt.num)
	}
	// Unknown parts of a date of birth are fillers in the seed too.
	info, err = NewInfo("L898902C", "69<<<<", "940623")
	require.NoError(t, err)
	require.Equal(t, "L898902C<369<<<<"+"9"+"9406236", string(info.Bytes()))
}

func TestBytes(t *testing.T) {
	m, err := Parse(vnmTD1)
	require.NoError(t, err)
	b, err := m.Bytes()
	require.NoError(t, err)
	require.Equal(t, strings.ReplaceAll(vnmTD1, "\n", ""), string(b))
	again, err := Parse(string(b))
	require.NoError(t, err)
	require.Equal(t, m, again)
	m.Sex = 'Q'
	_, err = m.Bytes()
	require.ErrorIs(t, err, ErrSex)
}
