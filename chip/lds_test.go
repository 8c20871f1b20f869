package chip

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
	"github.com/stretchr/testify/require"
)

// requireParseError checks that err is a *ParseError about file f that
// matches target.
func requireParseError(t *testing.T, err error, f File, target error) *ParseError {
	t.Helper()
	require.Error(t, err)
	var pe *ParseError
	require.True(t, errors.As(err, &pe), "%T is not a *ParseError", err)
	require.Equal(t, f, pe.File)
	require.ErrorIs(t, err, target)
	return pe
}

func TestCOMVectors(t *testing.T) {
	tests := []struct {
		file string
		want *COM
	}{
		{"icao9303/com_a1_case1.hex", &COM{LDSVersion: "0107", UnicodeVersion: "040000", DataGroups: []File{EFDG1, EFDG2, EFDG4, EFDG12}}},
		{"icao9303/com_a1_case2.hex", &COM{LDSVersion: "1599", UnicodeVersion: "040000", DataGroups: []File{EFDG1, EFDG2, EFDG4, EFDG12}}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			in := vectors.Hex(t, "testdata/"+tc.file)
			c, err := ParseCOM(in)
			require.NoError(t, err)
			require.Equal(t, tc.want, c)
			out, err := c.Encode()
			require.NoError(t, err)
			require.Equal(t, in, out)
		})
	}
	c, _ := ParseCOM(vectors.Hex(t, "testdata/icao9303/com_a1_case1.hex"))
	maj, minor, ok := c.LDS()
	require.True(t, ok)
	require.Equal(t, []int{1, 7}, []int{maj, minor})
	require.True(t, c.Has(EFDG12))
	require.False(t, c.Has(EFDG3))
	require.Equal(t, &COM{LDSVersion: "0107", UnicodeVersion: "040000", DataGroups: []File{EFDG1}}, NewCOM(EFDG1))
	_, _, ok = (&COM{LDSVersion: "1.7"}).LDS()
	require.False(t, ok)
}

// A CCCD lists DG1, DG2, DG3, DG13, DG14 and DG15.
func TestCOMCCCD(t *testing.T) {
	c := NewCOM(EFDG1, EFDG2, EFDG3, EFDG13, EFDG14, EFDG15)
	b, err := c.Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "60 18 5F01 04 30313037 5F36 06 303430303030 5C 06 61 75 63 6D 6E 6F"), b)
	back, err := ParseCOM(b)
	require.NoError(t, err)
	require.Equal(t, c, back)
}

func TestCOMUnknownKept(t *testing.T) {
	in := vectors.Unhex(t, "60 1A 5F01 04 30313038 5F36 06 303430303030 5C 04 6175766C 53 02 ABCD")
	c, err := ParseCOM(in)
	require.NoError(t, err)
	require.Equal(t, [][]byte{{0x53, 0x02, 0xAB, 0xCD}}, c.Unknown)
	out, err := c.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
}

func TestCOMLenientFraming(t *testing.T) {
	// Non-minimal length '81 16' and padding after the file, as some
	// documents have them.
	c, err := ParseCOM(vectors.Unhex(t, "60 81 16 5F01 04 30313037 5F36 06 303430303030 5C 04 6175766C 00 00 FF"))
	require.NoError(t, err)
	require.Equal(t, []File{EFDG1, EFDG2, EFDG4, EFDG12}, c.DataGroups)
}

func TestCOMErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		tag  tlv.Tag
		err  error
	}{
		{"wrong outer tag", "61 03 5C 01 61", 0x61, ErrWrongTag},
		{"truncated", "60 16 5F01 04 3031", 0x60, tlv.ErrTruncated},
		{"empty", "", 0, tlv.ErrTruncated},
		{"trailing", "60 00 01", 0, tlv.ErrTrailingData},
		{"missing tag list", "60 10 5F01 04 30313037 5F36 06 303430303030", TagList, ErrMissingField},
		{"missing LDS version", "60 0F 5F36 06 303430303030 5C 04 6175766C", TagLDSVersion, ErrMissingField},
		{"missing Unicode version", "60 0D 5F01 04 30313037 5C 04 6175766C", TagUnicodeVersion, ErrMissingField},
		{"bad LDS version", "60 16 5F01 04 3031302E 5F36 06 303430303030 5C 04 6175766C", TagLDSVersion, ErrInvalidValue},
		{"short LDS version", "60 15 5F01 03 303130 5F36 06 303430303030 5C 04 6175766C", TagLDSVersion, ErrInvalidValue},
		{"bad Unicode version", "60 16 5F01 04 30313037 5F36 06 30343030302E 5C 04 6175766C", TagUnicodeVersion, ErrInvalidValue},
		{"not a data group", "60 13 5F01 04 30313037 5F36 06 303430303030 5C 01 77", TagList, ErrUnknownFile},
		{"duplicate data group", "60 14 5F01 04 30313037 5F36 06 303430303030 5C 02 6161", TagList, ErrDuplicateField},
		{"duplicate field", "60 19 5F01 04 30313037 5F01 04 30313037 5F36 06 303430303030 5C 00", TagLDSVersion, ErrDuplicateField},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := []byte(tc.in)
			if tc.in != "" {
				in = vectors.Unhex(t, tc.in)
			}
			_, err := ParseCOM(in)
			pe := requireParseError(t, err, EFCOM, tc.err)
			require.Equal(t, tc.tag, pe.Tag)
			require.NotContains(t, err.Error(), "0107")
		})
	}
	big := make([]byte, SmallFileLimit+1)
	_, err := ParseCOM(big)
	requireParseError(t, err, EFCOM, ErrTooLarge)

	for _, c := range []*COM{
		{LDSVersion: "107", UnicodeVersion: "040000"},
		{LDSVersion: "0107", UnicodeVersion: "4.0.0"},
	} {
		_, err := c.Encode()
		requireParseError(t, err, EFCOM, ErrInvalidValue)
	}
	_, err = (&COM{LDSVersion: "0107", UnicodeVersion: "040000", DataGroups: []File{EFSOD}}).Encode()
	requireParseError(t, err, EFCOM, ErrUnknownFile)
	_, err = (&COM{LDSVersion: "0107", UnicodeVersion: "040000", Unknown: [][]byte{{0x53, 0x05}}}).Encode()
	requireParseError(t, err, EFCOM, ErrInvalidValue)
}

func TestDG1Vector(t *testing.T) {
	in := vectors.Hex(t, "testdata/icao9303/dg1_a2_td1.hex")
	d, err := ParseDG1(in)
	require.NoError(t, err)
	require.Equal(t, "I<NLDXI85935F86999999990<<<<<<7208148F1108268NLD<<<<<<<<<<<8VAN<DER<STEEN<<MARIANNE<LOUISE", d.Text)
	require.Equal(t, mrz.TD1, d.MRZ.Format)
	require.Equal(t, "XI85935F8", d.MRZ.DocumentNumber)
	require.Equal(t, "NLD", d.MRZ.IssuingState)
	require.Equal(t, "VAN DER STEEN", d.MRZ.PrimaryIdentifier)
	require.Equal(t, "MARIANNE LOUISE", d.MRZ.SecondaryIdentifier)
	require.Equal(t, mrz.Date("720814"), d.MRZ.DateOfBirth)
	require.Equal(t, mrz.Date("110826"), d.MRZ.DateOfExpiry)
	require.Equal(t, "999999990", d.MRZ.OptionalData1)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
	// Text alone encodes too.
	out, err = (&DG1{Text: d.Text}).Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
	nd, err := NewDG1(d.MRZ)
	require.NoError(t, err)
	require.Equal(t, d.Text, nd.Text)
}

func TestDG1CheckDigits(t *testing.T) {
	// The appendix as printed: composite check digit '4' instead of '8'.
	in := vectors.Hex(t, "testdata/icao9303/dg1_a2_td1.hex")
	in[len(in)-31] = '4'
	_, err := ParseDG1(in)
	pe := requireParseError(t, err, EFDG1, mrz.ErrCheckDigit)
	require.Equal(t, TagMRZ, pe.Tag)
	require.NotContains(t, err.Error(), "XI85935F8")

	d, err := ParseDG1Lenient(in)
	requireParseError(t, err, EFDG1, mrz.ErrCheckDigit)
	require.NotNil(t, d)
	require.Equal(t, "XI85935F8", d.MRZ.DocumentNumber)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out, "lenient parse keeps the check digits as issued")

	// An MRZ that cannot be read at all: Text kept, MRZ nil.
	d, err = ParseDG1Lenient(vectors.Unhex(t, "61 06 5F1F 03 414243"))
	requireParseError(t, err, EFDG1, mrz.ErrLength)
	require.Equal(t, "ABC", d.Text)
	require.Nil(t, d.MRZ)
}

func TestDG1Errors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"wrong tag", "60 03 5F1F 00", ErrWrongTag},
		{"missing MRZ", "61 00", ErrMissingField},
		{"other field", "61 03 5F20 00", ErrWrongTag},
		{"duplicate", "61 06 5F1F 00 5F1F 00", ErrDuplicateField},
		{"truncated", "61 05 5F1F 05 41", tlv.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDG1(vectors.Unhex(t, tc.in))
			requireParseError(t, err, EFDG1, tc.err)
			d, err := ParseDG1Lenient(vectors.Unhex(t, tc.in))
			requireParseError(t, err, EFDG1, tc.err)
			require.Nil(t, d)
		})
	}
	_, err := (&DG1{}).Encode()
	requireParseError(t, err, EFDG1, ErrMissingField)
	_, err = (&DG1{MRZ: &mrz.MRZ{}}).Encode()
	require.Error(t, err)
	_, err = NewDG1(&mrz.MRZ{})
	require.Error(t, err)
}

func TestDG11Vector(t *testing.T) {
	in := vectors.Hex(t, "testdata/icao9303/dg11_a5.hex")
	d, err := ParseDG11(in)
	require.NoError(t, err)
	require.Equal(t, &DG11{
		FullName:     "SMITH<<JOHN<J",
		PlaceOfBirth: "ANYTOWN<MN",
		Address:      "123 MAPLE RD<ANYTOWN<MN",
		Telephone:    "16125551212",
		Profession:   "TRAVEL<AGENT",
	}, d)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
}

func TestDG11AllFields(t *testing.T) {
	d := &DG11{
		FullName:           "NGUYEN<<VAN<AN",
		OtherNames:         []string{"Nguyễn Văn An", "NGUYEN<<AN"},
		PersonalNumber:     "001090012345",
		FullDateOfBirth:    NewDate(1990, 1, 1),
		PlaceOfBirth:       "HA NOI<VIET NAM",
		Address:            "1 PHO HUE<HA NOI",
		Telephone:          "0240000000",
		Profession:         "KY SU",
		Title:              "KS",
		PersonalSummary:    "SYNTHETIC",
		ProofOfCitizenship: []byte{0xFF, 0xD8, 0xFF, 0xD9},
		OtherTDNumbers:     "C0000000<B0000000",
		CustodyInfo:        "NONE",
		Unknown:            [][]byte{{0x5F, 0x7F, 0x01, 0x2A}},
	}
	b, err := d.Encode()
	require.NoError(t, err)
	// The tag list names every field in order, the unknown one last.
	list, err := tlv.Find(b, 0x6B, TagList)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "5F0E 5F0F 5F10 5F2B 5F11 5F42 5F12 5F13 5F14 5F15 5F16 5F17 5F18 5F7F"), list.Value)
	other, err := tlv.Find(b, 0x6B, 0xA0)
	require.NoError(t, err)
	require.Equal(t, byte(2), other.Value[2])
	back, err := ParseDG11(b)
	require.NoError(t, err)
	require.Equal(t, d, back)
	require.Equal(t, "1990-01-01", back.FullDateOfBirth.String())
}

// Some issuers write other names directly, without the 'A0' template.
func TestDG11OtherNamesWithoutTemplate(t *testing.T) {
	in := vectors.Unhex(t, "6B 0F 5C 02 5F0F 5F0F 04 4E3C3C41 5F0F 01 42")
	d, err := ParseDG11(in)
	require.NoError(t, err)
	require.Equal(t, []string{"N<<A", "B"}, d.OtherNames)
}

func TestDG11Errors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		tag  tlv.Tag
		err  error
	}{
		{"wrong tag", "6C 02 5C 00", 0x6C, ErrWrongTag},
		{"missing tag list", "6B 03 5F0E 00", TagList, ErrMissingField},
		{"bad tag list", "6B 03 5C 01 5F", TagList, tlv.ErrTruncated},
		{"duplicate", "6B 08 5C 00 5F0E 00 5F0E 00", TagFullName, ErrDuplicateField},
		{"count too small", "6B 0E 5C 00 A0 0A 02 01 01 5F0F 01 41 5F0F 00", TagOtherName, ErrInvalidValue},
		{"count too large", "6B 0A 5C 00 A0 06 02 01 02 5F0F 00", TagOtherName, ErrInvalidValue},
		{"count missing", "6B 07 5C 00 A0 03 5F0F 00", TagOtherName, ErrWrongTag},
		{"no count at all", "6B 04 5C 00 A0 00", TagCount, ErrMissingField},
		{"count two bytes", "6B 08 5C 00 A0 04 02 02 0001", TagCount, ErrInvalidValue},
		{"count over 99", "6B 07 5C 00 A0 03 02 01 64", TagCount, ErrInvalidValue},
		{"other object in template", "6B 0A 5C 00 A0 06 02 01 01 5F0E 00", TagFullName, ErrWrongTag},
		{"truncated template", "6B 07 5C 00 A0 03 02 05 01", TagCount, tlv.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDG11(vectors.Unhex(t, tc.in))
			pe := requireParseError(t, err, EFDG11, tc.err)
			require.Equal(t, tc.tag, pe.Tag)
		})
	}
	many := make([]string, 100)
	_, err := (&DG11{OtherNames: many}).Encode()
	requireParseError(t, err, EFDG11, ErrTooLarge)
	_, err = (&DG11{Unknown: [][]byte{{0x5F}}}).Encode()
	requireParseError(t, err, EFDG11, ErrInvalidValue)
	_, err = (&DG11{ProofOfCitizenship: make([]byte, LargeFileLimit)}).Encode()
	requireParseError(t, err, EFDG11, ErrTooLarge)
}

func TestDG12(t *testing.T) {
	// Other persons as the Doc 9303 supplement shows them, a date of issue
	// in BCD and a personalization time in ASCII, as documents write them.
	in := vectors.Unhex(t, `6C 51 5C 0A 5F19 5F26 5F1A 5F55 5F56
		5F19 0A 424F20434F4E4720414E
		5F26 04 20210915
		A0 15 02 01 01 5F1A 0F 534D4954483C3C4252454E44413C50
		5F55 0E 3230323130393135313032303330
		5F56 06 4D2D34303630`)
	d, err := ParseDG12(in)
	require.NoError(t, err)
	require.Equal(t, &DG12{
		IssuingAuthority:            "BO CONG AN",
		DateOfIssue:                 &Date{Raw: []byte{0x20, 0x21, 0x09, 0x15}, Year: 2021, Month: 9, Day: 15},
		OtherPersons:                []string{"SMITH<<BRENDA<P"},
		PersonalizationTime:         &Date{Raw: []byte("20210915102030"), Year: 2021, Month: 9, Day: 15, Hour: 10, Minute: 20, Second: 30, HasTime: true},
		PersonalizationSystemSerial: "M-4060",
	}, d)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)

	all := &DG12{
		IssuingAuthority:            "CUC CANH SAT",
		DateOfIssue:                 NewDate(2021, 9, 15),
		OtherPersons:                []string{"A<<B", "C<<D"},
		Endorsements:                "SEE PAGE 51",
		TaxExitRequirements:         "NOT APPLICABLE",
		ImageFront:                  []byte{0xFF, 0xD8, 0xFF, 0xD9},
		ImageRear:                   []byte{0xFF, 0xD8, 0xFF, 0xD9},
		PersonalizationTime:         &Date{Year: 2021, Month: 9, Day: 15, Hour: 1, HasTime: true},
		PersonalizationSystemSerial: "N-4962",
		Unknown:                     [][]byte{{0x5F, 0x7E, 0x00}},
	}
	b, err := all.Encode()
	require.NoError(t, err)
	list, err := tlv.Find(b, 0x6C, TagList)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "5F19 5F26 5F1A 5F1B 5F1C 5F1D 5F1E 5F55 5F56 5F7E"), list.Value)
	back, err := ParseDG12(b)
	require.NoError(t, err)
	all.PersonalizationTime = ParseDate([]byte("20210915010000"))
	require.Equal(t, all, back)

	_, err = ParseDG12(vectors.Unhex(t, "6C 03 5F19 00"))
	requireParseError(t, err, EFDG12, ErrMissingField)
	_, err = ParseDG12(vectors.Unhex(t, "6B 02 5C 00"))
	requireParseError(t, err, EFDG12, ErrWrongTag)
	_, err = ParseDG12(vectors.Unhex(t, "6C 08 5C 00 5F19 00 5F19 00"))
	requireParseError(t, err, EFDG12, ErrDuplicateField)
	_, err = ParseDG12(vectors.Unhex(t, "6C 07 5C 00 A0 03 02 01 01"))
	requireParseError(t, err, EFDG12, ErrInvalidValue)
	_, err = ParseDG12(vectors.Unhex(t, "6C 04 5C 02 5F"))
	requireParseError(t, err, EFDG12, tlv.ErrTruncated)
	_, err = ParseDG12(vectors.Unhex(t, "6C 04 5C 00 5F"))
	requireParseError(t, err, EFDG12, tlv.ErrTruncated)
	_, err = (&DG12{OtherPersons: make([]string, 100)}).Encode()
	requireParseError(t, err, EFDG12, ErrTooLarge)
	_, err = (&DG12{Unknown: [][]byte{{}}}).Encode()
	requireParseError(t, err, EFDG12, ErrInvalidValue)
}

func TestDG16Vector(t *testing.T) {
	in := vectors.Hex(t, "testdata/icao9303/dg16_a6.hex")
	d, err := ParseDG16(in)
	require.NoError(t, err)
	require.Equal(t, &DG16{Persons: []PersonToNotify{
		{DateRecorded: NewDate(2002, 1, 1), Name: "SMITH<<CHARLES<R", Telephone: "19525551212", Address: "123 MAPLE RD<ANYTOWN<MN<55100"},
		{DateRecorded: NewDate(2002, 3, 15), Name: "BROWN<<MARY<J", Telephone: "14155551212", Address: "49 REDWOOD LN<OCEAN BREEZE<CA<94000"},
	}}, d)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)
}

func TestDG16(t *testing.T) {
	d := &DG16{
		Persons: []PersonToNotify{{Name: "A<<B", Unknown: [][]byte{{0x5F, 0x54, 0x00}}}},
		Unknown: [][]byte{{0x53, 0x00}},
	}
	b, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "70 11 02 01 01 A1 0A 5F51 04 413C3C42 5F54 00 53 00"), b)
	back, err := ParseDG16(b)
	require.NoError(t, err)
	require.Equal(t, d, back)

	empty, err := (&DG16{}).Encode()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "70 03 02 01 00"), empty)

	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"wrong tag", "6F 03 02 01 00", ErrWrongTag},
		{"missing count", "70 02 A1 00", ErrMissingField},
		{"count mismatch", "70 05 02 01 02 A1 00", ErrInvalidValue},
		{"duplicate count", "70 06 02 01 00 02 01 00", ErrDuplicateField},
		{"bad count", "70 04 02 02 0000", ErrInvalidValue},
		{"duplicate in entry", "70 0B 02 01 01 A1 06 5F51 00 5F51 00", ErrDuplicateField},
		{"truncated entry", "70 08 02 01 01 A1 03 5F51 05", tlv.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDG16(vectors.Unhex(t, tc.in))
			requireParseError(t, err, EFDG16, tc.err)
		})
	}
	_, err = (&DG16{Persons: make([]PersonToNotify, 31)}).Encode()
	requireParseError(t, err, EFDG16, ErrTooLarge)
	_, err = (&DG16{Persons: []PersonToNotify{{Unknown: [][]byte{{0x01}}}}}).Encode()
	requireParseError(t, err, EFDG16, ErrInvalidValue)
	_, err = (&DG16{Unknown: [][]byte{{0x01}}}).Encode()
	requireParseError(t, err, EFDG16, ErrInvalidValue)
}

func TestDate(t *testing.T) {
	tests := []struct {
		raw   string
		valid bool
		str   string
		time  bool
	}{
		{"19900101", true, "1990-01-01", true},
		{"19900000", true, "1990-00-00", false}, // unknown month and day
		{"19900100", true, "1990-01-00", false},
		{"19900231", true, "1990-02-31", false}, // no such day
		{"20210915102030", true, "2021-09-15 10:20:30", true},
		{"19901301", false, "raw 3139393031333031", false},
		{"19900001", false, "raw 3139393030303031", false},
		{"00000101", false, "raw 3030303030313031", false},
		{"1990010", false, "raw 31393930303130", false},
		{"1990O101", false, "raw 313939304F313031", false},
		{"20210915250000", false, "raw 3230323130393135323530303030", false},
	}
	for _, tc := range tests {
		d := ParseDate([]byte(tc.raw))
		require.Equal(t, tc.valid, d.Valid(), tc.raw)
		require.Equal(t, tc.str, d.String(), tc.raw)
		_, ok := d.Time()
		require.Equal(t, tc.time, ok, tc.raw)
		require.Equal(t, []byte(tc.raw), d.value())
	}
	bcd := ParseDate([]byte{0x19, 0x90, 0x01, 0x01})
	require.Equal(t, "1990-01-01", bcd.String())
	bcd = ParseDate([]byte{0x19, 0x9A, 0x01, 0x01})
	require.False(t, bcd.Valid())
	bcdTime := ParseDate([]byte{0x20, 0x21, 0x09, 0x15, 0x10, 0x20, 0x30})
	require.Equal(t, "2021-09-15 10:20:30", bcdTime.String())

	var nilDate *Date
	require.Equal(t, "<nil>", nilDate.String())
	require.False(t, nilDate.Valid())
	require.Nil(t, nilDate.value())
	require.Nil(t, (&Date{}).value())
	require.Equal(t, []byte("19900101"), (&Date{Year: 1990, Month: 1, Day: 1}).value())
	require.Nil(t, dateField(nil))
}

func TestDG1Redacted(t *testing.T) {
	d, err := ParseDG1(vectors.Hex(t, "testdata/icao9303/dg1_a2_td1.hex"))
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(d), fmt.Sprintf("%v %+v %#v %s %q", d, d, d, d, d), d.String(), d.GoString()} {
		require.NotContains(t, s, "XI85935F8")
		require.Contains(t, s, "REDACTED")
	}
}

func TestDocumentCCCDAccessors(t *testing.T) {
	m, err := mrz.Parse("IDVNM0900123450001090012345<<<9001011M3501014VNM<<<<<<<<<<<5NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<")
	require.NoError(t, err)
	dg1, err := NewDG1(m)
	require.NoError(t, err)
	b1, err := dg1.Encode()
	require.NoError(t, err)
	d13, err := cccd.NewDG13(cccd.Citizen{PersonalNumber: "001090012345", FullName: "Nguyễn Văn An"})
	require.NoError(t, err)
	b13, err := d13.Encode()
	require.NoError(t, err)

	d, err := ParseDocument(map[File][]byte{EFDG1: b1, EFDG13: b13})
	require.NoError(t, err)
	require.Equal(t, "Nguyễn Văn An", d.FullName())
	require.Equal(t, "001090012345", d.PersonalNumber())
	c, ok := d.Citizen()
	require.True(t, ok)
	require.Equal(t, "Nguyễn Văn An", c.FullName)
	d, err = ParseDocument(map[File][]byte{EFDG1: b1})
	require.NoError(t, err)
	require.Equal(t, "NGUYEN VAN AN", d.FullName())
	require.Equal(t, "001090012345", d.PersonalNumber())
	_, ok = d.Citizen()
	require.False(t, ok)
}
