package cccd

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

const (
	shortResidence = "Số 1 Phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội"
	longResidence  = "Số nhà 123, Ngõ 45, Ngách 67, Hẻm 8, Tổ dân phố số 9, Đường Nguyễn Văn Cừ, " +
		"Phường Bồ Đề, Quận Long Biên, Thành phố Hà Nội, Việt Nam"
)

// an is the synthetic person of the fixtures.
func an(residence string) Citizen {
	return Citizen{
		PersonalNumber:         "001090012345",
		FullName:               "NGUYỄN VĂN AN",
		DateOfBirth:            Date{Raw: "01/01/1990", Year: 1990, Month: 1, Day: 1},
		Sex:                    "Nam",
		Nationality:            "Việt Nam",
		Ethnicity:              "Kinh",
		Religion:               "Không",
		PlaceOfOrigin:          "Xã Vân Nội, Huyện Đông Anh, Hà Nội",
		PlaceOfResidence:       residence,
		IdentificationFeatures: "Nốt ruồi C:1cm trên trước mép phải",
		DateOfIssue:            Date{Raw: "01/01/2021", Year: 2021, Month: 1, Day: 1},
		DateOfExpiry:           Date{Raw: "01/01/2035", Year: 2035, Month: 1, Day: 1},
		Father:                 "NGUYỄN VĂN BÌNH",
		Mother:                 "TRẦN THỊ CÚC",
		Spouse:                 "LÊ THỊ DUNG",
		OldIDNumber:            "012345678",
		Field16:                []byte("00112233AABBCCDD"),
		Present:                AllFields,
	}
}

func expected(name string) (Citizen, []int) {
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	switch name {
	case "full":
		return an(shortResidence), all
	case "long-residence":
		return an(longResidence), all
	case "absent":
		c := an(shortResidence)
		c.Religion, c.Spouse, c.OldIDNumber = "", "", ""
		c.Present = AllFields.Without(FieldReligion, FieldSpouse, FieldOldIDNumber)
		return c, []int{1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 16}
	case "no-expiry":
		c := an(shortResidence)
		c.PersonalNumber = "001150067890"
		c.FullName = "TRẦN THỊ BÉ"
		c.DateOfBirth = Date{Raw: "15/06/1950", Year: 1950, Month: 6, Day: 15}
		c.Sex = "Nữ"
		c.DateOfExpiry = Date{Raw: NoExpiryText}
		c.NoExpiry = true
		c.Spouse = ""
		return c, all
	}
	panic(name)
}

func TestParseFixtures(t *testing.T) {
	for _, name := range fixtureNames {
		t.Run(name, func(t *testing.T) {
			b := fixture(t, name)
			d, err := ParseDG13(b)
			require.NoError(t, err)
			require.Equal(t, 1, d.Version)
			require.True(t, d.Charset.Equal(UTF8Charset))

			want, numbers := expected(name)
			var got []int
			for _, f := range d.Fields {
				got = append(got, f.Number)
				require.Equal(t, byte(0x30), f.Raw[0])
			}
			require.Equal(t, numbers, got, "fields in card order")

			c, err := d.Citizen()
			require.NoError(t, err)
			require.Equal(t, want, c, "Citizen")

			// Round trip through the fields: the same bytes.
			out, err := d.Encode()
			require.NoError(t, err)
			require.Equal(t, b, out)

			// Round trip through the typed view: the same bytes.
			built, err := NewDG13(c)
			require.NoError(t, err)
			out, err = built.Encode()
			require.NoError(t, err)
			require.Equal(t, b, out)
			require.Equal(t, d, built, "NewDG13")
		})
	}
}

func TestFieldLookup(t *testing.T) {
	d, err := ParseDG13(fixture(t, "absent"))
	require.NoError(t, err)
	f, ok := d.Field(FieldFullName)
	require.True(t, ok)
	require.Equal(t, []Value{{Tag: UTF8String, Bytes: []byte("NGUYỄN VĂN AN")}}, f.Values)
	_, ok = d.Field(FieldSpouse)
	require.False(t, ok, "absent field")
	s, ok := d.Text(FieldPlaceOfOrigin)
	require.True(t, ok)
	require.Equal(t, "Xã Vân Nội, Huyện Đông Anh, Hà Nội", s)
	_, ok = d.Text(FieldParents)
	require.False(t, ok, "not a single string")
	_, ok = d.Text(FieldReligion)
	require.False(t, ok, "absent")

	// Absent is told apart from present and empty.
	e, err := ParseDG13(fixture(t, "no-expiry"))
	require.NoError(t, err)
	f, ok = e.Field(FieldSpouse)
	require.True(t, ok)
	require.Empty(t, f.Values)
	require.Equal(t, []byte{0x30, 0x03, 0x02, 0x01, 0x0E}, f.Raw)
	c, _ := e.Citizen()
	require.True(t, c.Present.Has(FieldSpouse))
	c2, _ := d.Citizen()
	require.False(t, c2.Present.Has(FieldSpouse))
}

// TestRealCardOpenings checks the fixtures against the field openings that a
// public reader recorded from real cards (testdata/public-readers).
func TestRealCardOpenings(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "public-readers", "prefixes.txt"))
	require.NoError(t, err)
	d, err := ParseDG13(fixture(t, "full"))
	require.NoError(t, err)
	e, err := ParseDG13(fixture(t, "no-expiry"))
	require.NoError(t, err)
	checked := 0
	for _, line := range strings.Split(string(raw), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		num, list, _ := strings.Cut(line, "\t")
		n, err := strconv.Atoi(num)
		require.NoError(t, err)
		var want []byte
		for _, s := range strings.Fields(list) {
			v, err := strconv.Atoi(s)
			require.NoError(t, err)
			want = append(want, byte(v))
		}
		src := d
		if n == FieldSpouse || n == FieldDateOfExpiry {
			// Empty spouse; the expiry prefix is of a date, so take it from
			// the full fixture.
			if n == FieldSpouse {
				src = e
			}
		}
		f, ok := src.Field(n)
		require.True(t, ok, "field %d", n)
		require.True(t, bytes.HasPrefix(f.Raw, want), "field %d opens % X, real cards % X", n, f.Raw[:min(len(f.Raw), len(want))], want)
		checked++
	}
	require.Equal(t, 11, checked)
}

func TestLongFormLengths(t *testing.T) {
	b := fixture(t, "long-residence")
	require.Equal(t, []byte{0x6D, 0x82}, b[:2], "file over 255 bytes")
	d, err := ParseDG13(b)
	require.NoError(t, err)
	f, ok := d.Field(FieldPlaceOfResidence)
	require.True(t, ok)
	require.Equal(t, []byte{0x30, 0x81}, f.Raw[:2])
	require.Greater(t, len(f.Values[0].Bytes), 127)
	require.Equal(t, longResidence, string(f.Values[0].Bytes))
}

func TestTrailingPadding(t *testing.T) {
	b := fixture(t, "full")
	padded := append(append([]byte{}, b...), 0x00, 0x00, 0xFF, 0xFF)

	_, err := ParseDG13(padded)
	require.ErrorIs(t, err, ErrTrailingData)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, len(b), e.Offset)

	d, err := Lenient.ParseDG13(padded)
	require.NoError(t, err)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, b, out, "padding is not part of the DG13")

	_, err = Lenient.ParseDG13(append(padded, 0x01))
	require.ErrorIs(t, err, ErrTrailingData, "only 00 and FF are padding")
	_, err = Lenient.ParseDG13(append([]byte{0x00}, b...))
	require.ErrorIs(t, err, ErrMalformed, "no padding before the object")
}

func TestStringTypesInterchangeable(t *testing.T) {
	// Personal number as UTF8String, name as PrintableString (ASCII name),
	// dates swapped too, an IA5String ethnicity.
	b := wrap(t,
		field(1, u8("001090012345")),
		field(2, ps("NGUYEN VAN AN")),
		field(3, u8("01/01/1990")),
		field(6, tlv.AppendTLV(nil, 0x16, []byte("Kinh"))),
		field(12, ps("01/01/2035")),
	)
	d, err := ParseDG13(b)
	require.NoError(t, err)
	c, err := d.Citizen()
	require.NoError(t, err)
	require.Equal(t, "001090012345", c.PersonalNumber)
	require.Equal(t, "NGUYEN VAN AN", c.FullName)
	require.Equal(t, 1990, c.DateOfBirth.Year)
	require.Equal(t, "Kinh", c.Ethnicity)
	require.Equal(t, 2035, c.DateOfExpiry.Year)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, b, out, "types are kept as read")
}

func TestParentsAndSpouseVariants(t *testing.T) {
	tests := []struct {
		name           string
		field          []byte
		father, mother string
		spouse         string
	}{
		{"both", field(13, sq(u8("CHA")), sq(u8("MẸ"))), "CHA", "MẸ", ""},
		{"father only", field(13, sq(u8("CHA"))), "CHA", "", ""},
		{"empty parents", field(13), "", "", ""},
		{"empty entries", field(13, sq(), sq(u8("MẸ"))), "", "MẸ", ""},
		{"one sequence of two names", field(13, sq(u8("CHA"), u8("MẸ"))), "CHA", "MẸ", ""},
		{"bare strings", field(13, u8("CHA"), u8("MẸ")), "CHA", "MẸ", ""},
		{"spouse", field(14, sq(u8("VỢ"))), "", "", "VỢ"},
		{"empty spouse", field(14), "", "", ""},
		{"spouse empty sequence", field(14, sq()), "", "", ""},
		{"spouse bare string", field(14, ps("VO")), "", "", "VO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := wrap(t, tt.field)
			d, err := ParseDG13(b)
			require.NoError(t, err)
			c, err := d.Citizen()
			require.NoError(t, err)
			require.Equal(t, tt.father, c.Father)
			require.Equal(t, tt.mother, c.Mother)
			require.Equal(t, tt.spouse, c.Spouse)
			out, err := d.Encode()
			require.NoError(t, err)
			require.Equal(t, b, out)
			checkCitizenRoundTrip(t, d)
		})
	}
}

func TestUnknownFieldsKept(t *testing.T) {
	b := wrap(t,
		field(1, ps("001090012345")),
		field(17, u8("mới"), tlv.AppendTLV(nil, 0x04, []byte{1, 2, 3})),
		field(0),
		field(300, sq(sq(u8("x")))),
		field(2, u8("NGUYỄN VĂN AN")),
	)
	d, err := ParseDG13(b)
	require.NoError(t, err)
	var nums []int
	for _, f := range d.Fields {
		nums = append(nums, f.Number)
	}
	require.Equal(t, []int{1, 17, 0, 300, 2}, nums)
	c, err := d.Citizen()
	require.NoError(t, err)
	require.Equal(t, FieldSet(0).With(1, 2), c.Present)
	out, err := d.Encode()
	require.NoError(t, err)
	require.Equal(t, b, out)
}

// TestSetOrder documents that real cards do not sort the SET as DER's SET OF
// rule (X.690 §11.6) would: Encode keeps the card order.
func TestSetOrder(t *testing.T) {
	d, err := ParseDG13(fixture(t, "full"))
	require.NoError(t, err)
	raws := make([][]byte, len(d.Fields))
	for i, f := range d.Fields {
		raws[i] = f.Raw
	}
	sorted := append([][]byte{}, raws...)
	sort.SliceStable(sorted, func(i, j int) bool { return bytes.Compare(sorted[i], sorted[j]) < 0 })
	require.NotEqual(t, raws, sorted, "card order 1..16 is not DER order")
	// DER order would put field 4 ("Nam", SEQUENCE of 8 bytes) first.
	require.Equal(t, []byte{0x30, 0x08, 0x02, 0x01, 0x04}, sorted[0][:5])
}

func TestInputNotAliased(t *testing.T) {
	b := fixture(t, "full")
	d, err := ParseDG13(b)
	require.NoError(t, err)
	before, _ := d.Citizen()
	for i := range b {
		b[i] = 0xAA
	}
	after, _ := d.Citizen()
	require.Equal(t, before, after)
}

func TestNewDG13(t *testing.T) {
	// Present zero: every field with a value, in ascending order.
	c := an(shortResidence)
	c.Present = 0
	c.Religion = ""
	d, err := NewDG13(c)
	require.NoError(t, err)
	var nums []int
	for _, f := range d.Fields {
		nums = append(nums, f.Number)
	}
	require.Equal(t, []int{1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16}, nums)

	// NoExpiry with no text writes the card's text.
	c = Citizen{PersonalNumber: "001090012345", NoExpiry: true}
	d, err = NewDG13(c)
	require.NoError(t, err)
	f, ok := d.Field(FieldDateOfExpiry)
	require.True(t, ok)
	require.Equal(t, []Value{{Tag: UTF8String, Bytes: []byte(NoExpiryText)}}, f.Values)
	f, _ = d.Field(FieldPersonalNumber)
	require.Equal(t, PrintableString, f.Values[0].Tag)

	// A number with a character PrintableString lacks becomes UTF8String.
	d, err = NewDG13(Citizen{PersonalNumber: "00109001234#"})
	require.NoError(t, err)
	f, _ = d.Field(FieldPersonalNumber)
	require.Equal(t, UTF8String, f.Values[0].Tag)

	// Field 16 that is not text becomes an OCTET STRING.
	d, err = NewDG13(Citizen{Field16: []byte{0xFF, 0x00}})
	require.NoError(t, err)
	f, _ = d.Field(Field16)
	require.Equal(t, OctetString, f.Values[0].Tag)
	checkCitizenRoundTrip(t, d)

	// Invalid UTF-8 is refused, naming the field.
	_, err = NewDG13(Citizen{FullName: "\xff"})
	require.ErrorIs(t, err, ErrFieldValue)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, FieldFullName, e.Field)
	_, err = NewDG13(Citizen{Mother: "\xff"})
	require.ErrorIs(t, err, ErrFieldValue)
	_, err = NewDG13(Citizen{Spouse: "\xff"})
	require.ErrorIs(t, err, ErrFieldValue)
}

func TestEncodeErrors(t *testing.T) {
	d := &DG13{Version: 1, Charset: UTF8Charset, Fields: []Field{{Number: -1}}}
	_, err := d.Encode()
	require.ErrorIs(t, err, ErrFieldNumber)
	d = &DG13{Version: 1, Charset: nil}
	_, err = d.Encode()
	require.ErrorIs(t, err, ErrMalformed)
	d = &DG13{Version: 1, Charset: UTF8Charset, Fields: []Field{{Number: 2, Values: []Value{{Tag: 0x1F}}}}}
	_, err = d.Encode()
	require.ErrorIs(t, err, ErrMalformed)
	require.ErrorIs(t, err, tlv.ErrInvalidTag)
}

func TestCitizenErrorsOnEditedDG13(t *testing.T) {
	d, err := ParseDG13(fixture(t, "full"))
	require.NoError(t, err)
	f, _ := d.Field(FieldSex)
	f.Values = []Value{{Tag: 0x02, Bytes: []byte{1}}}
	_, err = d.Citizen()
	require.ErrorIs(t, err, ErrFieldValue)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, FieldSex, e.Field)
	require.Equal(t, -1, e.Offset)
}

func TestParseErrors(t *testing.T) {
	full := fixture(t, "full")
	oid := tlv.AppendTLV(nil, 0x06, []byte{0x28, 0xD3, 0x16, 0x01, 0x00, 0x08})
	one := tlv.AppendTLV(nil, 0x02, []byte{1})
	custom := func(parts ...[]byte) []byte {
		return tlv.AppendTLV(nil, 0x6D, sq(parts...))
	}
	set := func(fields ...[]byte) []byte { return tlv.AppendTLV(nil, 0x31, bytes.Join(fields, nil)) }
	tests := []struct {
		name   string
		in     []byte
		err    error
		field  int
		offset int
	}{
		{"empty", nil, ErrMalformed, 0, 0},
		{"wrong tag", append([]byte{0x6C}, full[1:]...), ErrWrongTag, 0, 0},
		{"truncated", full[:len(full)-1], ErrMalformed, 0, 4},
		{"too large", make([]byte, MaxSize+1), ErrTooLarge, 0, MaxSize},
		{"indefinite length", vectors.Unhex(t, "6D80 0000"), ErrMalformed, 0, 1},
		{"non-minimal length", vectors.Unhex(t, "6D8103 300100"), ErrMalformed, 0, 1},
		{"empty 6D", vectors.Unhex(t, "6D00"), ErrMalformed, 0, 2},
		{"two sequences", tlv.AppendTLV(nil, 0x6D, append(sq(one, oid, set()), sq()...)), ErrMalformed, 0, 17},
		{"version not INTEGER", custom(ps("1"), oid, set()), ErrMalformed, 0, 4},
		{"version non-minimal", custom(vectors.Unhex(t, "02020001"), oid, set()), ErrMalformed, 0, 4},
		{"version too big", custom(vectors.Unhex(t, "020501FFFFFFFF"), oid, set()), ErrMalformed, 0, 4},
		{"missing OID", custom(one, set()), ErrMalformed, 0, 7},
		{"bad OID", custom(one, vectors.Unhex(t, "0602 2880"), set()), ErrMalformed, 0, 7},
		{"missing SET", custom(one, oid), ErrMalformed, 0, 15},
		{"extra after SET", custom(one, oid, set(), one), ErrMalformed, 0, 17},
		{"field not SEQUENCE", custom(one, oid, set(u8("x"))), ErrMalformed, 0, 17},
		{"field without number", custom(one, oid, set(sq())), ErrMalformed, 0, 17},
		{"field number not INTEGER", custom(one, oid, set(sq(u8("x")))), ErrMalformed, 0, 19},
		{"negative field number", custom(one, oid, set(sq(vectors.Unhex(t, "0201FF")))), ErrFieldNumber, 0, 19},
		{"field number too big", custom(one, oid, set(sq(vectors.Unhex(t, "0203010000")))), ErrFieldNumber, 0, 19},
		{"duplicate field", custom(one, oid, set(field(2, u8("A")), field(2, u8("B")))), ErrDuplicateField, 2, 25},
		{"bad nested framing", custom(one, oid, set(field(13, tlv.AppendTLV(nil, 0x30, []byte{0x0C, 0x05, 'a'})))), ErrMalformed, 13, 26},
		{"name is INTEGER", custom(one, oid, set(field(2, one))), ErrFieldValue, 2, 17},
		{"name not UTF-8", custom(one, oid, set(field(9, u8("\xc3")))), ErrFieldValue, 9, 17},
		{"name twice", custom(one, oid, set(field(2, u8("A"), u8("B")))), ErrFieldValue, 2, 17},
		{"three parents", custom(one, oid, set(field(13, sq(), sq(), sq()))), ErrFieldValue, 13, 17},
		{"parent SEQUENCE of two things", custom(one, oid, set(field(13, sq(u8("A"), u8("B")), sq()))), ErrFieldValue, 13, 17},
		{"parent INTEGER", custom(one, oid, set(field(13, one))), ErrFieldValue, 13, 17},
		{"two spouses", custom(one, oid, set(field(14, sq(), sq()))), ErrFieldValue, 14, 17},
		{"constructed field 16", custom(one, oid, set(field(16, sq()))), ErrFieldValue, 16, 17},
		{"two field 16 values", custom(one, oid, set(field(16, one, one))), ErrFieldValue, 16, 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDG13(tt.in)
			require.Nil(t, d)
			require.ErrorIs(t, err, tt.err)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tt.field, e.Field, "field")
			require.Equal(t, tt.offset, e.Offset, "offset")
			require.NotContains(t, err.Error(), "NGUY")
		})
	}
}

func TestErrorsWrapTLV(t *testing.T) {
	full := fixture(t, "full")
	_, err := ParseDG13(full[:100])
	require.ErrorIs(t, err, ErrMalformed)
	require.ErrorIs(t, err, tlv.ErrTruncated)
	require.Contains(t, err.Error(), "cccd: offset")
}

func TestNestingLimit(t *testing.T) {
	v := u8("x")
	for i := 0; i < maxValueDepth; i++ {
		v = sq(v)
	}
	_, err := ParseDG13(wrap(t, field(300, v)))
	require.NoError(t, err, "%d levels", maxValueDepth)
	_, err = ParseDG13(wrap(t, field(300, sq(v))))
	require.ErrorIs(t, err, ErrMalformed)
	require.ErrorIs(t, err, tlv.ErrTooDeep)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, 300, e.Field)
	require.Greater(t, e.Offset, 17)
}

func TestMaxSizeOption(t *testing.T) {
	full := fixture(t, "full")
	_, err := Options{MaxSize: len(full) - 1}.ParseDG13(full)
	require.ErrorIs(t, err, ErrTooLarge)
	_, err = Options{MaxSize: len(full)}.ParseDG13(full)
	require.NoError(t, err)
}

func TestCitizenRedacted(t *testing.T) {
	c := an(longResidence)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		require.Equal(t, "cccd.Citizen{16 fields, redacted}", s)
	}
}

func TestSexCode(t *testing.T) {
	require.Equal(t, Male, Citizen{Sex: "Nam"}.SexCode())
	require.Equal(t, Female, Citizen{Sex: "Nữ"}.SexCode())
	require.Equal(t, SexUnknown, Citizen{Sex: "?"}.SexCode())
}

// checkCitizenRoundTrip checks that building a DG13 from d's typed view and
// parsing it back gives the same typed view.
func checkCitizenRoundTrip(t testing.TB, d *DG13) {
	c1, err := d.Citizen()
	require.NoError(t, err, "Citizen")
	built, err := NewDG13(c1)
	require.NoError(t, err, "NewDG13")
	b, err := built.Encode()
	require.NoError(t, err, "Encode")
	back, err := ParseDG13(b)
	require.NoError(t, err, "parse of NewDG13 output")
	c2, err := back.Citizen()
	require.NoError(t, err, "Citizen of NewDG13 output")
	require.Equal(t, c1, c2, "Citizen round trip")
}

func TestValueChildren(t *testing.T) {
	d, err := ParseDG13(fixture(t, "full"))
	require.NoError(t, err)
	f, _ := d.Field(FieldParents)
	kids, err := f.Values[1].Children()
	require.NoError(t, err)
	require.Equal(t, []Value{{Tag: UTF8String, Bytes: []byte("TRẦN THỊ CÚC")}}, kids)
	require.True(t, kids[0].IsString())
	require.False(t, f.Values[1].IsString())

	_, err = Value{Tag: UTF8String, Bytes: []byte("x")}.Children()
	require.ErrorIs(t, err, ErrFieldValue)
	_, err = Value{Tag: Sequence, Bytes: []byte{0x0C, 0x05}}.Children()
	require.ErrorIs(t, err, ErrMalformed)
	require.ErrorIs(t, err, tlv.ErrTruncated)
}

func TestFieldNumberEncodings(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 255, 256, 0x7FFF, 0x8000, MaxFieldNumber} {
		var want []byte
		switch {
		case n < 0x80:
			want = []byte{0x02, 0x01, byte(n)}
		case n < 0x8000:
			want = []byte{0x02, 0x02, byte(n >> 8), byte(n)}
		default:
			want = []byte{0x02, 0x03, 0x00, byte(n >> 8), byte(n)}
		}
		require.Equal(t, want, intTLV(nil, n), "%d", n)
		got, ok := readInt(want)
		require.True(t, ok)
		require.Equal(t, int64(n), got)
		b := wrap(t, field(n, u8("x")))
		d, err := ParseDG13(b)
		require.NoError(t, err)
		require.Equal(t, n, d.Fields[0].Number)
		out, err := d.Encode()
		require.NoError(t, err)
		require.Equal(t, b, out)
	}
}

func TestField16Types(t *testing.T) {
	for _, tt := range []struct {
		in  []byte
		tag tlv.Tag
	}{
		{[]byte("00112233AABBCCDD"), PrintableString},
		{[]byte("Mã số"), UTF8String},
		{[]byte{0x00, 0xFF}, OctetString},
	} {
		d, err := NewDG13(Citizen{Field16: tt.in})
		require.NoError(t, err)
		f, ok := d.Field(Field16)
		require.True(t, ok)
		require.Equal(t, tt.tag, f.Values[0].Tag)
		checkCitizenRoundTrip(t, d)
	}
}
