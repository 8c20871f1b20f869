package mrz

import (
	"strings"
)

// Filler is the MRZ filler character.
const Filler = '<'

// MaxInputLen is the longest input Parse looks at: the 90 characters of a
// TD1 with line breaks and some slack. Anything longer is ErrLength.
const MaxInputLen = 128

// Format is the layout of a machine readable zone.
type Format uint8

// The formats of Doc 9303.
const (
	// TD1: three lines of 30 characters, identity cards (Part 5).
	TD1 Format = iota + 1
	// TD2: two lines of 36 characters (Part 6).
	TD2
	// TD3: two lines of 44 characters, passports (Part 4).
	TD3
	// MRVA: full-size visa, two lines of 44 characters (Part 7).
	MRVA
	// MRVB: smaller visa, two lines of 36 characters (Part 7).
	MRVB
)

func (f Format) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	case MRVA:
		return "MRV-A"
	case MRVB:
		return "MRV-B"
	}
	return "Format(?)"
}

// Sex is the sex field: 'M', 'F', '<' (unspecified) or 'X' (unspecified,
// written by some issuers instead of '<').
type Sex byte

// Values of the sex field.
const (
	Male        Sex = 'M'
	Female      Sex = 'F'
	Unspecified Sex = Filler
	SexX        Sex = 'X'
)

// String returns the character of the field: "M", "F", "<" or "X".
func (s Sex) String() string { return string(rune(s)) }

func validSex(s Sex) bool {
	return s == Male || s == Female || s == Unspecified || s == SexX
}

// Fields are the data elements of an MRZ, decoded: fillers that pad a
// field are removed, fillers inside the name become spaces.
type Fields struct {
	// DocumentCode is one or two characters: "P" (passport), "I", "A" or
	// "C" (official travel documents), "ID", "V" (visa), ...
	DocumentCode string
	// IssuingState is the three-letter code of the issuing state or
	// organization ("UTO", "VNM", "D" for Germany).
	IssuingState string
	// DocumentNumber is the whole number, including, on TD1 and TD2, the
	// characters beyond the ninth that the zone carries in the optional
	// data (Parts 5 and 6, long document numbers).
	DocumentNumber string
	// OptionalData1 is the optional data of line 1 of a TD1 (after the
	// continuation of a long document number, if any), or the only optional
	// data field of TD2, TD3 (the personal number) and visas. Fillers
	// inside it are kept.
	OptionalData1 string
	// DateOfBirth is YYMMDD; unknown parts are "<<".
	DateOfBirth Date
	Sex         Sex
	// DateOfExpiry is YYMMDD (for a visa, the "valid until" date).
	DateOfExpiry Date
	// Nationality is the holder's three-letter nationality code.
	Nationality string
	// OptionalData2 is the optional data of line 2 of a TD1.
	OptionalData2 string
	// PrimaryIdentifier (surname) and SecondaryIdentifier (given names)
	// hold the name as the zone writes it, with spaces for single fillers:
	// "ERIKSSON", "ANNA MARIA".
	PrimaryIdentifier   string
	SecondaryIdentifier string
}

// CheckDigits are the check digits of an MRZ as ASCII characters. A zero
// byte is a digit not yet computed. OptionalData is the check digit of the
// TD3 personal number ('<' or '0' when the field is empty); Composite is
// absent (0) in visas.
type CheckDigits struct {
	DocumentNumber byte
	DateOfBirth    byte
	DateOfExpiry   byte
	OptionalData   byte
	Composite      byte
}

// MRZ is a machine readable zone: its format, its fields and its check
// digits as written.
//
// An MRZ holds personal data and, in DocumentNumber, DateOfBirth and
// DateOfExpiry with their check digits, the BAC key seed (see Info): do
// not log it.
type MRZ struct {
	Format Format
	Fields
	CheckDigits CheckDigits
}

// span is a field's place: line and columns [start, end), 0-based.
type span struct{ line, start, end int }

func (s span) empty() bool { return s.end <= s.start }

type layout struct {
	lines, width                 int
	code, state, name            span
	number, numberCD, nat        span
	dob, dobCD, sex, doe, doeCD  span
	opt1, optCD, opt2, composite span
	compositeOver                []span
	longNumber                   bool
}

var layouts = [...]layout{
	TD1: {
		lines: 3, width: 30,
		code: span{0, 0, 2}, state: span{0, 2, 5}, number: span{0, 5, 14}, numberCD: span{0, 14, 15},
		opt1: span{0, 15, 30},
		dob:  span{1, 0, 6}, dobCD: span{1, 6, 7}, sex: span{1, 7, 8}, doe: span{1, 8, 14}, doeCD: span{1, 14, 15},
		nat: span{1, 15, 18}, opt2: span{1, 18, 29}, composite: span{1, 29, 30},
		name:          span{2, 0, 30},
		compositeOver: []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}},
		longNumber:    true,
	},
	TD2: {
		lines: 2, width: 36,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 36},
		number: span{1, 0, 9}, numberCD: span{1, 9, 10}, nat: span{1, 10, 13},
		dob: span{1, 13, 19}, dobCD: span{1, 19, 20}, sex: span{1, 20, 21}, doe: span{1, 21, 27}, doeCD: span{1, 27, 28},
		opt1: span{1, 28, 35}, composite: span{1, 35, 36},
		compositeOver: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}},
		longNumber:    true,
	},
	TD3: {
		lines: 2, width: 44,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 44},
		number: span{1, 0, 9}, numberCD: span{1, 9, 10}, nat: span{1, 10, 13},
		dob: span{1, 13, 19}, dobCD: span{1, 19, 20}, sex: span{1, 20, 21}, doe: span{1, 21, 27}, doeCD: span{1, 27, 28},
		opt1: span{1, 28, 42}, optCD: span{1, 42, 43}, composite: span{1, 43, 44},
		compositeOver: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}},
	},
	MRVA: {
		lines: 2, width: 44,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 44},
		number: span{1, 0, 9}, numberCD: span{1, 9, 10}, nat: span{1, 10, 13},
		dob: span{1, 13, 19}, dobCD: span{1, 19, 20}, sex: span{1, 20, 21}, doe: span{1, 21, 27}, doeCD: span{1, 27, 28},
		opt1: span{1, 28, 44},
	},
	MRVB: {
		lines: 2, width: 36,
		code: span{0, 0, 2}, state: span{0, 2, 5}, name: span{0, 5, 36},
		number: span{1, 0, 9}, numberCD: span{1, 9, 10}, nat: span{1, 10, 13},
		dob: span{1, 13, 19}, dobCD: span{1, 19, 20}, sex: span{1, 20, 21}, doe: span{1, 21, 27}, doeCD: span{1, 27, 28},
		opt1: span{1, 28, 36},
	},
}

func (f Format) layout() *layout {
	if f < TD1 || f > MRVB {
		return nil
	}
	return &layouts[f]
}

// Lines is the number of lines of the format (0 for an unknown format).
func (f Format) Lines() int {
	if l := f.layout(); l != nil {
		return l.lines
	}
	return 0
}

// Width is the number of characters per line (0 for an unknown format).
func (f Format) Width() int {
	if l := f.layout(); l != nil {
		return l.width
	}
	return 0
}

// MaxDocumentNumberLen is the longest document number the format can hold:
// 9, or more on TD1 and TD2 where the number continues in the optional
// data, followed by its check digit and a filler.
func (f Format) MaxDocumentNumberLen() int {
	l := f.layout()
	switch {
	case l == nil:
		return 0
	case l.longNumber:
		return 9 + l.opt1.end - l.opt1.start - 2
	}
	return 9
}

func trimFillers(s string) string {
	return strings.TrimRight(s, "<")
}

func isAlpha(c byte) bool { return c >= 'A' && c <= 'Z' }
