package bio

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

// requireErr checks that err is an *Error for the given record, field and
// offset, wrapping sentinel.
func requireErr(t *testing.T, err error, sentinel error, record, field string, offset int) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, record, e.Record, "record in %v", err)
	if field != "" {
		require.Equal(t, field, e.Field, "field in %v", err)
	}
	if offset >= 0 {
		require.Equal(t, offset, e.Offset, "offset in %v", err)
	}
}

// parseErrCase is an input a record's parser must refuse, with sentinel,
// naming field at offset.
type parseErrCase struct {
	name     string
	in       []byte
	sentinel error
	field    string
	offset   int
}

// requireParseErrs runs parse on each case's input as a subtest and requires
// its typed error of record (requireErr) with a message.
func requireParseErrs[R any](t *testing.T, record string, parse func([]byte) (R, error), tests []parseErrCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(tc.in)
			requireErr(t, err, tc.sentinel, record, tc.field, tc.offset)
			require.NotEmpty(t, err.Error())
		})
	}
}

// encoder is a record that encodes itself.
type encoder interface{ Encode() ([]byte, error) }

// encodeErrCase is a record Encode must refuse, with sentinel, naming field.
type encodeErrCase[R encoder] struct {
	name     string
	r        R
	sentinel error
	field    string
}

// requireEncodeErrs encodes each case's record as a subtest and requires its
// typed error of record (requireErr) naming the field at offset (-1: any).
func requireEncodeErrs[R encoder](t *testing.T, record string, offset int, tests []encodeErrCase[R]) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.r.Encode()
			requireErr(t, err, tc.sentinel, record, tc.field, offset)
		})
	}
}

// requireKnownAnswer requires value() to encode to want and want to parse
// back to value(), and returns what it parsed.
func requireKnownAnswer[R encoder](t *testing.T, want []byte, value func() R, parse func([]byte) (R, error)) R {
	t.Helper()
	got, err := value().Encode()
	require.NoError(t, err)
	require.Equal(t, want, got)
	r, err := parse(want)
	require.NoError(t, err)
	require.Equal(t, value(), r)
	return r
}

func ptr[T any](v T) *T { return &v }

// wrapGroup builds '7F61' { '02' count, templates... } by hand.
func wrapGroup(t testing.TB, count string, templates ...string) []byte {
	t.Helper()
	var body []byte
	body = append(body, vectors.Unhex(t, "02 01"+count)...)
	for _, s := range templates {
		body = append(body, vectors.Unhex(t, s)...)
	}
	return tlv.AppendTLV(nil, TagGroup, body)
}

func tpl(t testing.TB, inner string) string {
	t.Helper()
	return hex.EncodeToString(tlv.AppendTLV(nil, TagTemplate, vectors.Unhex(t, inner)))
}

// Biometric header templates as printed in public test code, read from a
// passport's DG2 (NFCPassportReader, Tests/NFCPassportReaderTests/
// DataGroupParsingTests.swift) and sent by a personalization tool.
const (
	bhtPassport = "A1 12 8002 0100 8101 02 8201 00 8702 0101 8802 0008"
	bhtNoVer    = "A1 0E 8101 02 8201 00 8702 0101 8802 0008"
)

func TestParseGroupPublicHeaders(t *testing.T) {
	for _, tc := range []struct {
		name string
		bht  string
		want Header
	}{
		{"passport", bhtPassport, Header{Tag: 0xA1, Version: ptr(uint16(0x0100)), Type: ptr(BiometricFace),
			Subtype: ptr(SubtypeNone), FormatOwner: 0x0101, FormatType: 0x0008}},
		{"no version", bhtNoVer, Header{Tag: 0xA1, Type: ptr(BiometricFace),
			Subtype: ptr(SubtypeNone), FormatOwner: 0x0101, FormatType: 0x0008}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := wrapGroup(t, "01", tpl(t, tc.bht+"5F2E 03 010203"))
			g, err := ParseGroup(in)
			require.NoError(t, err)
			require.Len(t, g.Templates, 1)
			require.Equal(t, tc.want, g.Templates[0].Header)
			require.Equal(t, []byte{1, 2, 3}, g.Templates[0].Data)
			require.False(t, g.Templates[0].Enciphered)
			out, err := g.Encode()
			require.NoError(t, err)
			require.Equal(t, in, out)
		})
	}
}

func fullHeader() Header {
	h := NewHeader(BiometricFinger, SubtypeRight|SubtypePointer, FormatTypeFingerImage)
	h.CreationTime = []byte{0x20, 0x26, 0x11, 0x25, 0x12, 0x00, 0x00}
	h.ValidityPeriod = []byte{0x20, 0x26, 0x11, 0x25, 0x20, 0x36, 0x11, 0x24}
	h.Creator = ptr(uint16(0x0042))
	h.Other = []Element{{Tag: 0x84, Value: []byte{9}}, {Tag: 0x89, Value: []byte{1, 2}}, {Tag: 0x9F01, Value: []byte{}}}
	return h
}

func TestGroupRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte{0xAB}, 300)
	g := &Group{Templates: []Template{
		{Header: NewHeader(BiometricFace, SubtypeNone, FormatTypeFaceImage), Data: []byte("FAC")},
		{Header: fullHeader(), Data: big},
		{Header: NewHeader(BiometricIris, SubtypeLeft, FormatTypeIrisImage), Data: []byte{0xEE}, Enciphered: true},
	}}
	g.Templates[2].Header.Tag = 0xA3
	out, err := g.Encode()
	require.NoError(t, err)
	back, err := ParseGroup(out)
	require.NoError(t, err)
	require.Equal(t, g, back)
	again, err := back.Encode()
	require.NoError(t, err)
	require.Equal(t, out, again)

	// The header objects come out in ascending tag order, Other merged in.
	h, err := tlv.Find(out, TagGroup, TagTemplate)
	require.NoError(t, err)
	_ = h
	second := out[bytes.Index(out, []byte{0x80, 0x02, 0x01, 0x01, 0x81, 0x01, 0x08}):]
	r := tlv.NewReader(second)
	var tags []tlv.Tag
	for r.Next() && r.TLV().Tag != TagData {
		tags = append(tags, r.TLV().Tag)
	}
	require.Equal(t, []tlv.Tag{0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x9F01}, tags)

	// AppendBinary appends.
	pre := []byte{0xCA, 0xFE}
	app, err := g.AppendBinary(pre)
	require.NoError(t, err)
	require.Equal(t, append([]byte{0xCA, 0xFE}, out...), app)
	mb, err := g.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, out, mb)
}

func TestHeaderTagDefault(t *testing.T) {
	g := &Group{Templates: []Template{{Header: Header{FormatOwner: 0x0101, FormatType: 0x0008}, Data: []byte{1}}}}
	out, err := g.Encode()
	require.NoError(t, err)
	require.Equal(t, wrapGroup(t, "01", tpl(t, "A1 08 8702 0101 8802 0008 5F2E 01 01")), out)
	err = (&Error{Record: RecordGroup, Offset: 3, Err: ErrTag}).Unwrap()
	require.Equal(t, ErrTag, err)
	require.Equal(t, "bio: BIT: offset 3: unexpected tag", (&Error{Record: RecordGroup, Offset: 3, Err: ErrTag}).Error())
}

func TestHeaderTypeSize(t *testing.T) {
	in := wrapGroup(t, "01", tpl(t, "A1 0D 8103 000002 8702 0101 8802 0008 5F2E 00"))
	g, err := ParseGroup(in)
	require.NoError(t, err)
	require.Equal(t, BiometricFace, *g.Templates[0].Header.Type)
	require.Equal(t, 3, g.Templates[0].Header.TypeSize)
	out, err := g.Encode()
	require.NoError(t, err)
	require.Equal(t, in, out)

	g.Templates[0].Header.Type = ptr(BiometricType(0x010000))
	g.Templates[0].Header.TypeSize = 2
	_, err = g.Encode()
	requireErr(t, err, ErrValue, RecordGroup, "biometric type", -1)
	g.Templates[0].Header.TypeSize = 0
	out, err = g.Encode()
	require.NoError(t, err)
	require.True(t, bytes.Contains(out, vectors.Unhex(t, "8103 010000")))
	g.Templates[0].Header.Type = ptr(BiometricType(0x01000000))
	_, err = g.Encode()
	requireErr(t, err, ErrValue, RecordGroup, "biometric type", -1)
}

func TestHeaderOutOfOrder(t *testing.T) {
	in := wrapGroup(t, "01", tpl(t, "A1 0B 8802 0008 8702 0101 8101 02 5F2E 00"))
	g, err := ParseGroup(in)
	require.NoError(t, err)
	out, err := g.Encode()
	require.NoError(t, err)
	require.Equal(t, wrapGroup(t, "01", tpl(t, "A1 0B 8101 02 8702 0101 8802 0008 5F2E 00")), out)
	back, err := ParseGroup(out)
	require.NoError(t, err)
	require.Equal(t, g, back)
}

func TestParseGroupLenient(t *testing.T) {
	strict := wrapGroup(t, "01", tpl(t, bhtPassport+"5F2E 02 0102"))
	padded := append(append([]byte{0x00}, strict...), 0xFF, 0xFF)
	_, err := ParseGroup(padded)
	require.ErrorIs(t, err, tlv.ErrInvalidTag)
	g, err := ParseGroupLenient(padded)
	require.NoError(t, err)
	out, err := g.Encode()
	require.NoError(t, err)
	require.Equal(t, strict, out)
}

func TestParseGroupErrors(t *testing.T) {
	ok := tpl(t, bhtPassport+"5F2E 01 00")
	okLen := len(vectors.Unhex(t, ok))
	tests := []parseErrCase{
		{"empty", nil, tlv.ErrTruncated, "group template", 0},
		{"wrong tag", vectors.Unhex(t, "7F60 03 020101"), ErrTag, "group template", 0},
		{"trailing", append(wrapGroup(t, "01", ok), 0), tlv.ErrTrailingData, "group template", 3 + 3 + okLen},
		{"empty group", vectors.Unhex(t, "7F61 00"), ErrMissing, "number of instances", 3},
		{"no count", tlv.AppendTLV(nil, TagGroup, vectors.Unhex(t, ok)), ErrMissing, "number of instances", 3},
		{"bad tlv in group", vectors.Unhex(t, "7F61 02 0281"), tlv.ErrTruncated, "number of instances", 4},
		{"count length", vectors.Unhex(t, "7F61 04 02020001"), ErrValue, "number of instances", 5},
		{"count zero", wrapGroup(t, "00"), ErrCount, "number of instances", 5},
		{"count too large", wrapGroup(t, "41", ok), ErrCount, "number of instances", 5},
		{"fewer templates", wrapGroup(t, "02", ok), ErrCount, "number of instances", 5},
		{"more templates", wrapGroup(t, "01", ok, ok), ErrCount, "biometric information template", 6 + okLen},
		{"not a template", wrapGroup(t, "01", "5F2E 00"), ErrTag, "biometric information template", 6},
		{"bad tlv after count", wrapGroup(t, "01", "7F60 05 00"), tlv.ErrTruncated, "biometric information template", 9},
		{"empty template", wrapGroup(t, "01", "7F60 00"), ErrMissing, "biometric header template", 6},
		{"bad tlv in template", wrapGroup(t, "01", "7F60 01 A1"), tlv.ErrTruncated, "biometric header template", 10},
		{"header tag", wrapGroup(t, "01", tpl(t, "A0 00 5F2E 00")), ErrTag, "biometric header template", 9},
		{"header tag primitive", wrapGroup(t, "01", tpl(t, "81 00 5F2E 00")), ErrTag, "biometric header template", 9},
		{"no data", wrapGroup(t, "01", tpl(t, bhtPassport)), ErrMissing, "biometric data block", 6},
		{"bad tlv after header", wrapGroup(t, "01", tpl(t, bhtNoVer+"5F")), tlv.ErrTruncated, "biometric data block", 9 + 16},
		{"data tag", wrapGroup(t, "01", tpl(t, bhtNoVer+"53 00")), ErrTag, "biometric data block", 9 + 16},
		{"extra object", wrapGroup(t, "01", tpl(t, bhtNoVer+"5F2E 00 53 00")), ErrTag, "biometric information template", 9 + 16 + 3},
		{"bad tlv after data", wrapGroup(t, "01", tpl(t, bhtNoVer+"5F2E 00 53")), tlv.ErrTruncated, "biometric information template", 9 + 16 + 4},
		{"bad tlv in header", wrapGroup(t, "01", tpl(t, "A1 02 8705 5F2E 00")), tlv.ErrTruncated, "biometric header template", 13},
		{"duplicate", wrapGroup(t, "01", tpl(t, "A1 0C 8702 0101 8702 0101 8802 0008 5F2E 00")), ErrDuplicate, "biometric header template", 15},
		{"no owner", wrapGroup(t, "01", tpl(t, "A1 04 8802 0008 5F2E 00")), ErrMissing, "format owner", 9},
		{"no type", wrapGroup(t, "01", tpl(t, "A1 04 8702 0101 5F2E 00")), ErrMissing, "format type", 9},
		{"version size", wrapGroup(t, "01", tpl(t, "A1 0B 8001 01 8702 0101 8802 0008 5F2E 00")), ErrValue, "ICAO header version", 13},
		{"type size 0", wrapGroup(t, "01", tpl(t, "A1 0A 8100 8702 0101 8802 0008 5F2E 00")), ErrValue, "biometric type", 13},
		{"type size 4", wrapGroup(t, "01", tpl(t, "A1 0E 8104 00000002 8702 0101 8802 0008 5F2E 00")), ErrValue, "biometric type", 13},
		{"subtype size", wrapGroup(t, "01", tpl(t, "A1 0A 8200 8702 0101 8802 0008 5F2E 00")), ErrValue, "biometric subtype", 13},
		{"creation size", wrapGroup(t, "01", tpl(t, "A1 0B 8301 00 8702 0101 8802 0008 5F2E 00")), ErrValue, "creation date and time", 13},
		{"validity size", wrapGroup(t, "01", tpl(t, "A1 0B 8501 00 8702 0101 8802 0008 5F2E 00")), ErrValue, "validity period", 13},
		{"creator size", wrapGroup(t, "01", tpl(t, "A1 0B 8601 00 8702 0101 8802 0008 5F2E 00")), ErrValue, "creator", 13},
		{"owner size", wrapGroup(t, "01", tpl(t, "A1 07 8701 01 8802 0008 5F2E 00")), ErrValue, "format owner", 13},
		{"format type size", wrapGroup(t, "01", tpl(t, "A1 07 8702 0101 8801 08 5F2E 00")), ErrValue, "format type", 17},
	}
	requireParseErrs(t, RecordGroup, ParseGroup, tests)
}

func TestParseGroupBlockTooLarge(t *testing.T) {
	data := make([]byte, MaxBlockSize+1)
	inner := append(vectors.Unhex(t, bhtNoVer), tlv.AppendTLV(nil, TagData, data)...)
	in := tlv.AppendTLV(nil, TagGroup, append(vectors.Unhex(t, "020101"), tlv.AppendTLV(nil, TagTemplate, inner)...))
	_, err := ParseGroup(in)
	requireErr(t, err, ErrTooLarge, RecordGroup, "biometric data block", -1)

	g := &Group{Templates: []Template{{Header: NewHeader(BiometricFace, 0, FormatTypeFaceImage), Data: data}}}
	_, err = g.Encode()
	requireErr(t, err, ErrTooLarge, RecordGroup, "biometric data block", 0)
}

func TestGroupEncodeErrors(t *testing.T) {
	h := NewHeader(BiometricFace, 0, FormatTypeFaceImage)
	one := func(mod func(*Header)) *Group {
		h := NewHeader(BiometricFace, 0, FormatTypeFaceImage)
		mod(&h)
		return &Group{Templates: []Template{{Header: h, Data: []byte{1}}}}
	}
	tests := []encodeErrCase[*Group]{
		{"no templates", &Group{}, ErrCount, "number of instances"},
		{"too many", &Group{Templates: make([]Template, MaxTemplates+1)}, ErrTooLarge, "number of instances"},
		{"header tag", one(func(h *Header) { h.Tag = 0x81 }), ErrTag, "biometric header template"},
		{"other known", one(func(h *Header) { h.Other = []Element{{Tag: 0x87, Value: []byte{1, 1}}} }), ErrDuplicate, "biometric header template"},
		{"other invalid", one(func(h *Header) { h.Other = []Element{{Tag: 0x5F, Value: nil}} }), ErrTag, "biometric header template"},
		{"other large", one(func(h *Header) { h.Other = []Element{{Tag: 0x89, Value: make([]byte, MaxBlockSize+1)}} }), ErrTooLarge, "biometric header template"},
		{"creation", one(func(h *Header) { h.CreationTime = []byte{1} }), ErrValue, "creation date and time"},
		{"validity", one(func(h *Header) { h.ValidityPeriod = []byte{} }), ErrValue, "validity period"},
		{"type size", one(func(h *Header) { h.TypeSize = 4 }), ErrValue, "biometric type"},
	}
	_ = h
	requireEncodeErrs(t, RecordGroup, 0, tests)
}
