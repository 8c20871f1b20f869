package cccd

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"unicode/utf8"

	"github.com/cancuoc/cancuoc/tlv"
)

// Field numbers of the CCCD profile of DG13.
const (
	FieldPersonalNumber         = 1  // số định danh cá nhân, 12 digits (PrintableString)
	FieldFullName               = 2  // họ, chữ đệm và tên (UTF8String)
	FieldDateOfBirth            = 3  // ngày sinh, dd/mm/yyyy (PrintableString)
	FieldSex                    = 4  // giới tính, "Nam" or "Nữ" (UTF8String)
	FieldNationality            = 5  // quốc tịch, "Việt Nam" (UTF8String)
	FieldEthnicity              = 6  // dân tộc, e.g. "Kinh" (UTF8String)
	FieldReligion               = 7  // tôn giáo, e.g. "Không" (UTF8String)
	FieldPlaceOfOrigin          = 8  // quê quán (UTF8String)
	FieldPlaceOfResidence       = 9  // nơi thường trú (UTF8String), often over 127 bytes
	FieldIdentificationFeatures = 10 // đặc điểm nhận dạng (UTF8String)
	FieldDateOfIssue            = 11 // ngày cấp, dd/mm/yyyy (PrintableString)
	FieldDateOfExpiry           = 12 // có giá trị đến, dd/mm/yyyy or "Không thời hạn" (UTF8String)
	FieldParents                = 13 // SEQUENCE { father }, SEQUENCE { mother }
	FieldSpouse                 = 14 // nothing, or SEQUENCE { spouse }
	FieldOldIDNumber            = 15 // số CMND cũ, 9 digits (PrintableString)
	Field16                     = 16 // 16 characters of unpublished meaning, kept raw
)

// NoExpiryText is what cards write as the date of expiry of a card that
// does not expire (for holders aged 60 and over): "Không thời hạn".
const NoExpiryText = "Không thời hạn"

// FieldSet is a set of field numbers 1 to 16 of the CCCD profile.
type FieldSet uint32

// AllFields holds fields 1 to 16.
const AllFields FieldSet = 0x1FFFE

// Has reports whether field n is in the set.
func (s FieldSet) Has(n int) bool { return n >= 1 && n <= 16 && s&(1<<n) != 0 }

// With returns the set with fields ns added (numbers outside 1 to 16 are
// ignored).
func (s FieldSet) With(ns ...int) FieldSet {
	for _, n := range ns {
		if n >= 1 && n <= 16 {
			s |= 1 << n
		}
	}
	return s
}

// Without returns the set with fields ns removed.
func (s FieldSet) Without(ns ...int) FieldSet {
	for _, n := range ns {
		if n >= 1 && n <= 16 {
			s &^= 1 << n
		}
	}
	return s
}

// Citizen is the typed view of the sixteen fields of a CCCD's DG13.
//
// Present tells which fields the file holds, so that a field that is absent
// is told apart from one that is present and empty (a spouse field with no
// name, as cards write for unmarried holders). Building a DG13 from a
// Citizen whose Present is zero writes every field that has a value.
//
// Citizen holds personal data: String and GoString redact it, so that a
// stray %v in a log prints no name, number or address.
type Citizen struct {
	PersonalNumber         string
	FullName               string
	DateOfBirth            Date
	Sex                    string
	Nationality            string
	Ethnicity              string
	Religion               string
	PlaceOfOrigin          string
	PlaceOfResidence       string
	IdentificationFeatures string
	DateOfIssue            Date
	DateOfExpiry           Date
	// NoExpiry is set when the date of expiry is text that is no date,
	// such as NoExpiryText: the card does not expire.
	NoExpiry    bool
	Father      string
	Mother      string
	Spouse      string
	OldIDNumber string
	// Field16 is the contents of field 16, as read (nil when empty).
	Field16 []byte
	// Present is the set of fields present in the file.
	Present FieldSet
}

// String redacts: it tells only how many fields are present.
func (c Citizen) String() string {
	n := 0
	for i := 1; i <= 16; i++ {
		if c.Present.Has(i) {
			n++
		}
	}
	return "cccd.Citizen{" + strconv.Itoa(n) + " fields, redacted}"
}

// GoString redacts as String does.
func (c Citizen) GoString() string { return c.String() }

// Format prints String for every verb, so that %d, %x or %+v never show
// the citizen's data (the personal number gives the card's CAN).
func (c Citizen) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// MarshalJSON writes String as a JSON string: a program that shows the
// fields (a kiosk page, a report) names the ones it shows.
func (c Citizen) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// LogValue is String, for log/slog.
func (c Citizen) LogValue() slog.Value { return slog.StringValue(c.String()) }

// SexCode decodes the sex field: "Nam" is Male, "Nữ" is Female (the
// ASCII spelling "Nu" too); anything else is SexUnknown.
func (c Citizen) SexCode() Sex {
	switch c.Sex {
	case "Nam", "NAM", "nam":
		return Male
	case "Nữ", "NỮ", "nữ", "Nu", "NU", "nu":
		return Female
	}
	return SexUnknown
}

// Citizen returns the typed view of d. On a DG13 from ParseDG13 it cannot
// fail; on one edited or built by hand it fails with an *Error wrapping
// ErrFieldValue naming the field whose value does not have the expected
// shape.
func (d *DG13) Citizen() (Citizen, error) {
	var c Citizen
	if err := d.decode(nil, &c); err != nil {
		return Citizen{}, err
	}
	return c, nil
}

// decode checks the known fields' shapes and, when c is not nil, fills c.
// offsets, when not nil, gives each field's offset in the input for error
// reports. With c nil it allocates nothing.
func (d *DG13) decode(offsets []int, c *Citizen) error {
	keep := c != nil
	for i := range d.Fields {
		f := &d.Fields[i]
		if f.Number < 1 || f.Number > 16 {
			continue // unknown field, kept in d.Fields only
		}
		var s, s2 string
		ok := true
		switch f.Number {
		case FieldParents:
			s, s2, ok = parents(f.Values, keep)
		case FieldSpouse:
			switch len(f.Values) {
			case 0:
			case 1:
				s, ok = nestedText(f.Values[0], keep)
			default:
				ok = false
			}
		case Field16:
			switch len(f.Values) {
			case 0:
			case 1:
				ok = !f.Values[0].Tag.Constructed()
				if ok && keep && len(f.Values[0].Bytes) > 0 {
					c.Field16 = append([]byte{}, f.Values[0].Bytes...)
				}
			default:
				ok = false
			}
		default:
			switch len(f.Values) {
			case 0:
			case 1:
				s, ok = text(f.Values[0], keep)
			default:
				ok = false
			}
		}
		if !ok {
			off := -1
			if offsets != nil {
				off = offsets[i]
			}
			return errAt(f.Number, off, ErrFieldValue)
		}
		if keep {
			c.set(f.Number, s, s2)
			c.Present = c.Present.With(f.Number)
		}
	}
	return nil
}

func (c *Citizen) set(n int, s, s2 string) {
	switch n {
	case FieldPersonalNumber:
		c.PersonalNumber = s
	case FieldFullName:
		c.FullName = s
	case FieldDateOfBirth:
		c.DateOfBirth = dateFromText(s)
	case FieldSex:
		c.Sex = s
	case FieldNationality:
		c.Nationality = s
	case FieldEthnicity:
		c.Ethnicity = s
	case FieldReligion:
		c.Religion = s
	case FieldPlaceOfOrigin:
		c.PlaceOfOrigin = s
	case FieldPlaceOfResidence:
		c.PlaceOfResidence = s
	case FieldIdentificationFeatures:
		c.IdentificationFeatures = s
	case FieldDateOfIssue:
		c.DateOfIssue = dateFromText(s)
	case FieldDateOfExpiry:
		c.DateOfExpiry = dateFromText(s)
		c.NoExpiry = s != "" && !c.DateOfExpiry.IsDate()
	case FieldParents:
		c.Father, c.Mother = s, s2
	case FieldSpouse:
		c.Spouse = s
	case FieldOldIDNumber:
		c.OldIDNumber = s
	}
}

// text decodes a string value (keep: into a Go string; otherwise it only
// checks). UTF8String, PrintableString and IA5String are taken alike:
// cards are not consistent in which they use for which field. The bytes
// must be valid UTF-8 (the charset the file names).
func text(v Value, keep bool) (string, bool) {
	if !v.IsString() || !utf8.Valid(v.Bytes) {
		return "", false
	}
	if !keep {
		return "", true
	}
	return string(v.Bytes), true
}

// nestedText decodes a parent's or spouse's entry: SEQUENCE { string } as
// cards write it, an empty SEQUENCE, or (tolerated) a bare string.
func nestedText(v Value, keep bool) (string, bool) {
	if v.IsString() {
		return text(v, keep)
	}
	kids, n, ok := children2(v)
	if !ok || n > 1 {
		return "", false
	}
	if n == 0 {
		return "", true
	}
	return text(kids[0], keep)
}

// children2 decodes up to two children of a SEQUENCE value without
// allocating; n is their number (3 meaning "more than two").
func children2(v Value) (kids [2]Value, n int, ok bool) {
	if v.Tag != tagSequence {
		return kids, 0, false
	}
	r := tlv.NewReader(v.Bytes)
	for r.Next() {
		if n == 2 {
			return kids, 3, true
		}
		kids[n] = Value{Tag: r.TLV().Tag, Bytes: r.TLV().Value}
		n++
	}
	return kids, n, r.Err() == nil
}

// parents decodes the values of field 13: SEQUENCE { father } and
// SEQUENCE { mother }, either possibly missing. One public reader describes
// the two names inside a single SEQUENCE { father, mother }; that form is
// accepted too.
func parents(vs []Value, keep bool) (father, mother string, ok bool) {
	switch len(vs) {
	case 0:
		return "", "", true
	case 1:
		if kids, n, ok := children2(vs[0]); ok && n == 2 {
			f, ok1 := text(kids[0], keep)
			m, ok2 := text(kids[1], keep)
			return f, m, ok1 && ok2
		}
		father, ok = nestedText(vs[0], keep)
		return father, "", ok
	case 2:
		f, ok1 := nestedText(vs[0], keep)
		m, ok2 := nestedText(vs[1], keep)
		return f, m, ok1 && ok2
	}
	return "", "", false
}

// NewDG13 builds the DG13 of c as cards write it: version 1, charset
// UTF8Charset, fields in ascending order, the personal number, dates of
// birth and issue, old ID number and field 16 as PrintableString (as
// UTF8String when they hold characters PrintableString lacks), every other
// text as UTF8String, the parents as SEQUENCE { father } SEQUENCE { mother }
// (the mother's left out when empty), the spouse as SEQUENCE { spouse }
// or nothing.
//
// It writes the fields in c.Present, or, when Present is zero, every field
// with a value. It fails with an *Error wrapping ErrFieldValue when a text
// is not valid UTF-8.
func NewDG13(c Citizen) (*DG13, error) {
	present := c.Present
	if present == 0 {
		present = c.valued()
	}
	d := &DG13{Version: 1, Charset: append([]int(nil), UTF8Charset...)}
	for n := 1; n <= 16; n++ {
		if !present.Has(n) {
			continue
		}
		f := Field{Number: n}
		var err error
		switch n {
		case FieldParents:
			f.Values = []Value{nested(c.Father)}
			if c.Mother != "" {
				f.Values = append(f.Values, nested(c.Mother))
			}
			if !utf8.ValidString(c.Father) || !utf8.ValidString(c.Mother) {
				err = errAt(n, -1, ErrFieldValue)
			}
		case FieldSpouse:
			if c.Spouse != "" {
				f.Values = []Value{nested(c.Spouse)}
			}
			if !utf8.ValidString(c.Spouse) {
				err = errAt(n, -1, ErrFieldValue)
			}
		case Field16:
			f.Values = []Value{opaque(c.Field16)}
		default:
			s := c.textOf(n)
			if !utf8.ValidString(s) {
				err = errAt(n, -1, ErrFieldValue)
			}
			tag := tagUTF8String
			switch n {
			case FieldPersonalNumber, FieldDateOfBirth, FieldDateOfIssue, FieldOldIDNumber:
				if printable(s) {
					tag = tagPrintableString
				}
			}
			f.Values = []Value{{Tag: tag, Bytes: []byte(s)}}
		}
		if err != nil {
			return nil, err
		}
		raw, err := encodeField(&f)
		if err != nil {
			return nil, err
		}
		f.Raw = raw
		d.Fields = append(d.Fields, f)
	}
	return d, nil
}

// textOf returns the text NewDG13 writes for a string field.
func (c *Citizen) textOf(n int) string {
	switch n {
	case FieldPersonalNumber:
		return c.PersonalNumber
	case FieldFullName:
		return c.FullName
	case FieldDateOfBirth:
		return c.DateOfBirth.Raw
	case FieldSex:
		return c.Sex
	case FieldNationality:
		return c.Nationality
	case FieldEthnicity:
		return c.Ethnicity
	case FieldReligion:
		return c.Religion
	case FieldPlaceOfOrigin:
		return c.PlaceOfOrigin
	case FieldPlaceOfResidence:
		return c.PlaceOfResidence
	case FieldIdentificationFeatures:
		return c.IdentificationFeatures
	case FieldDateOfIssue:
		return c.DateOfIssue.Raw
	case FieldDateOfExpiry:
		if c.DateOfExpiry.Raw == "" && c.NoExpiry {
			return NoExpiryText
		}
		return c.DateOfExpiry.Raw
	case FieldOldIDNumber:
		return c.OldIDNumber
	}
	return ""
}

// valued is the set of fields of c that have a value.
func (c *Citizen) valued() FieldSet {
	var s FieldSet
	for n := 1; n <= 16; n++ {
		var has bool
		switch n {
		case FieldParents:
			has = c.Father != "" || c.Mother != ""
		case FieldSpouse:
			has = c.Spouse != ""
		case Field16:
			has = len(c.Field16) > 0
		default:
			has = c.textOf(n) != ""
		}
		if has {
			s = s.With(n)
		}
	}
	return s
}

func nested(s string) Value {
	return Value{Tag: tagSequence, Bytes: tlv.AppendTLV(nil, tagUTF8String, []byte(s))}
}

// opaque writes field 16's contents with the narrowest string type that
// holds them, OCTET STRING when they are not text.
func opaque(b []byte) Value {
	switch {
	case printable(string(b)):
		return Value{Tag: tagPrintableString, Bytes: append([]byte{}, b...)}
	case utf8.Valid(b):
		return Value{Tag: tagUTF8String, Bytes: append([]byte{}, b...)}
	}
	return Value{Tag: tagOctetString, Bytes: append([]byte{}, b...)}
}

// printable reports whether s uses only the PrintableString characters
// (X.680 §41.4): letters, digits, space and '()+,-./:=?.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == ' ', c == '\'', c == '(', c == ')', c == '+', c == ',', c == '-', c == '.', c == '/', c == ':', c == '=', c == '?':
		default:
			return false
		}
	}
	return true
}
