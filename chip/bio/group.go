package bio

import (
	"errors"

	"github.com/cancuoc/cancuoc/tlv"
)

// Tags of the biometric information group template (ICAO Doc 9303 Part
// 10, §4.7.2, after ISO/IEC 7816-11).
const (
	TagGroup             tlv.Tag = 0x7F61 // biometric information group template
	TagCount             tlv.Tag = 0x02   // number of instances of the template
	TagTemplate          tlv.Tag = 0x7F60 // biometric information template
	TagHeader            tlv.Tag = 0xA1   // biometric header template (BHT)
	TagData              tlv.Tag = 0x5F2E // biometric data block (BDB)
	TagDataEnciphered    tlv.Tag = 0x7F2E // enciphered biometric data block
	TagHeaderVersion     tlv.Tag = 0x80   // ICAO header version
	TagBiometricType     tlv.Tag = 0x81
	TagBiometricSubtype  tlv.Tag = 0x82
	TagCreationTime      tlv.Tag = 0x83
	TagValidityPeriod    tlv.Tag = 0x85
	TagCreator           tlv.Tag = 0x86 // creator of the reference data (PID)
	TagFormatOwner       tlv.Tag = 0x87
	TagFormatType        tlv.Tag = 0x88
	maxHeaderTagSequence         = 0xBE
)

// Limits applied by the parsers and the encoders.
const (
	// MaxTemplates bounds the number of biometric information templates
	// in one group (ICAO documents hold one face, two fingers, two eyes).
	MaxTemplates = 64
	// MaxBlockSize bounds one biometric data block (one record).
	MaxBlockSize = 8 << 20
	// MaxImageSize bounds one image inside a record.
	MaxImageSize = 1 << 20
	// MaxImages bounds the number of images (or finger views, or iris
	// images per eye) in one record.
	MaxImages = 64
)

// HeaderVersion is the ICAO header version '0101' (tag '80').
const HeaderVersion uint16 = 0x0101

// BiometricType is the CBEFF biometric type (tag '81', ISO/IEC 19785-1):
// a bit field of which ICAO uses three values.
type BiometricType uint32

// Biometric types used by ICAO Doc 9303.
const (
	BiometricFace   BiometricType = 0x02 // facial features, DG2
	BiometricFinger BiometricType = 0x08 // fingerprint, DG3
	BiometricIris   BiometricType = 0x10 // iris, DG4
)

// BiometricSubtype is the CBEFF biometric subtype (tag '82'): bit 0 right,
// bit 1 left, bits 2-4 the finger (ISO/IEC 19785-1). Zero means no
// information given, as for a face.
type BiometricSubtype uint8

// Biometric subtype bits and finger values; a finger subtype combines a
// side and a finger, such as SubtypeRight|SubtypePointer.
const (
	SubtypeNone    BiometricSubtype = 0x00
	SubtypeRight   BiometricSubtype = 0x01
	SubtypeLeft    BiometricSubtype = 0x02
	SubtypeThumb   BiometricSubtype = 0x04
	SubtypePointer BiometricSubtype = 0x08
	SubtypeMiddle  BiometricSubtype = 0x0C
	SubtypeRing    BiometricSubtype = 0x10
	SubtypeLittle  BiometricSubtype = 0x14
)

// CBEFF format owner and format types (tags '87' and '88') registered for
// ISO/IEC JTC 1/SC 37 and used for the records of this package.
const (
	FormatOwnerSC37       uint16 = 0x0101
	FormatTypeFingerImage uint16 = 0x0007 // ISO/IEC 19794-4
	FormatTypeFaceImage   uint16 = 0x0008 // ISO/IEC 19794-5
	FormatTypeIrisImage   uint16 = 0x0009 // ISO/IEC 19794-6
)

// Group is a biometric information group template '7F61': the contents of
// DG2, DG3 or DG4 inside their data group tag ('75', '63', '76'), which the
// chip package adds and removes.
type Group struct {
	Templates []Template
}

// Template is one biometric information template '7F60': a header and a
// biometric data block holding one record (ISO/IEC 19794-5, -4 or -6).
type Template struct {
	Header Header
	// Data is the biometric data block: the value of '5F2E', or of '7F2E'
	// when Enciphered. Parsed templates alias the parser's input.
	Data       []byte
	Enciphered bool
}

// Element is a data object kept as it was: a tag and its value.
type Element struct {
	Tag   tlv.Tag
	Value []byte
}

// Header is the biometric header template (BHT), ICAO Doc 9303 Part 10
// §4.7.2, after ISO/IEC 7816-11 and ISO/IEC 19785-1 (CBEFF). Optional data
// objects are nil when absent. FormatOwner and FormatType are mandatory.
//
// Encoding writes the data objects in ascending tag order, merging Other
// into them; a header read in another order is re-encoded in that order.
type Header struct {
	// Tag is the header template's own tag: 'A1' (a group may number them
	// 'A1', 'A2', ...). Zero encodes as 'A1'.
	Tag tlv.Tag
	// Version is the ICAO header version, tag '80', normally HeaderVersion.
	Version *uint16
	// Type is the biometric type, tag '81' (1 to 3 bytes).
	Type *BiometricType
	// TypeSize is the number of bytes of '81' when it was not minimally
	// encoded (such as '00 00 02'); 0 means minimal.
	TypeSize int
	// Subtype is the biometric subtype, tag '82'.
	Subtype *BiometricSubtype
	// CreationTime is the creation date and time, tag '83', 7 bytes, kept
	// as encoded.
	CreationTime []byte
	// ValidityPeriod is the validity period, tag '85', 8 bytes (from and
	// to dates), kept as encoded.
	ValidityPeriod []byte
	// Creator is the creator of the biometric reference data (a PID),
	// tag '86'.
	Creator *uint16
	// FormatOwner, tag '87', is FormatOwnerSC37 for ISO/IEC 19794 records.
	FormatOwner uint16
	// FormatType, tag '88', names the record format (FormatType*).
	FormatType uint16
	// Other holds data objects this package does not interpret, in the
	// order read.
	Other []Element
}

// NewHeader returns a header for an ISO/IEC 19794 record: ICAO header
// version 0101, the given biometric type and subtype, format owner SC 37
// and the given format type. The subtype is omitted when it is
// SubtypeNone.
func NewHeader(t BiometricType, sub BiometricSubtype, formatType uint16) Header {
	v := HeaderVersion
	h := Header{Tag: TagHeader, Version: &v, Type: &t, FormatOwner: FormatOwnerSC37, FormatType: formatType}
	if sub != SubtypeNone {
		h.Subtype = &sub
	}
	return h
}

// ParseGroup decodes a biometric information group template '7F61'
// strictly (minimal BER lengths, no padding), so that Encode gives back
// the same bytes. The templates' Data alias b.
func ParseGroup(b []byte) (*Group, error) { return parseGroup(b, tlv.Strict) }

// ParseGroupLenient is ParseGroup accepting non-minimal BER lengths and
// '00'/'FF' padding around objects, as some issuers write them. Encode
// then writes the canonical form, which differs from b.
func ParseGroupLenient(b []byte) (*Group, error) { return parseGroup(b, tlv.Lenient) }

func wrapTLV(field string, err error) error {
	var te *tlv.Error
	if errors.As(err, &te) {
		return &Error{Record: RecordGroup, Field: field, Offset: te.Offset, Err: err}
	}
	return &Error{Record: RecordGroup, Field: field, Err: err}
}

func parseGroup(b []byte, opts tlv.Options) (*Group, error) {
	top, err := opts.ParseOne(b)
	if err != nil {
		return nil, wrapTLV("group template", err)
	}
	if top.Tag != TagGroup {
		return nil, newErr(RecordGroup, "group template", top.Offset, ErrTag)
	}
	r := opts.NewReader(b)
	r.Next()
	r = r.Children()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return nil, wrapTLV("number of instances", err)
		}
		return nil, newErr(RecordGroup, "number of instances", top.ValueOffset(), ErrMissing)
	}
	cnt := r.TLV()
	if cnt.Tag != TagCount {
		return nil, newErr(RecordGroup, "number of instances", cnt.Offset, ErrMissing)
	}
	if len(cnt.Value) != 1 {
		return nil, newErr(RecordGroup, "number of instances", cnt.ValueOffset(), ErrValue)
	}
	want := int(cnt.Value[0])
	if want == 0 || want > MaxTemplates {
		return nil, newErr(RecordGroup, "number of instances", cnt.ValueOffset(), ErrCount)
	}
	g := &Group{Templates: make([]Template, 0, want)}
	for r.Next() {
		t := r.TLV()
		if t.Tag != TagTemplate {
			return nil, newErr(RecordGroup, "biometric information template", t.Offset, ErrTag)
		}
		if len(g.Templates) == want {
			return nil, newErr(RecordGroup, "biometric information template", t.Offset, ErrCount)
		}
		tpl, err := parseTemplate(r.Children(), t)
		if err != nil {
			return nil, err
		}
		g.Templates = append(g.Templates, tpl)
	}
	if err := r.Err(); err != nil {
		return nil, wrapTLV("biometric information template", err)
	}
	if len(g.Templates) != want {
		return nil, newErr(RecordGroup, "number of instances", cnt.ValueOffset(), ErrCount)
	}
	return g, nil
}

func parseTemplate(r tlv.Reader, parent tlv.TLV) (Template, error) {
	var tpl Template
	if !r.Next() {
		if err := r.Err(); err != nil {
			return tpl, wrapTLV("biometric header template", err)
		}
		return tpl, newErr(RecordGroup, "biometric header template", parent.Offset, ErrMissing)
	}
	h := r.TLV()
	if h.Tag < TagHeader || h.Tag > maxHeaderTagSequence || h.Tag&0xE0 != 0xA0 {
		return tpl, newErr(RecordGroup, "biometric header template", h.Offset, ErrTag)
	}
	var err error
	if tpl.Header, err = parseHeader(r.Children(), h); err != nil {
		return tpl, err
	}
	if !r.Next() {
		if err := r.Err(); err != nil {
			return tpl, wrapTLV("biometric data block", err)
		}
		return tpl, newErr(RecordGroup, "biometric data block", parent.Offset, ErrMissing)
	}
	d := r.TLV()
	switch d.Tag {
	case TagData:
	case TagDataEnciphered:
		tpl.Enciphered = true
	default:
		return tpl, newErr(RecordGroup, "biometric data block", d.Offset, ErrTag)
	}
	if len(d.Value) > MaxBlockSize {
		return tpl, newErr(RecordGroup, "biometric data block", d.Offset, ErrTooLarge)
	}
	tpl.Data = d.Value
	if r.Next() {
		return tpl, newErr(RecordGroup, "biometric information template", r.TLV().Offset, ErrTag)
	}
	if err := r.Err(); err != nil {
		return tpl, wrapTLV("biometric information template", err)
	}
	return tpl, nil
}

func u16of(v []byte) uint16 { return uint16(v[0])<<8 | uint16(v[1]) }

func parseHeader(r tlv.Reader, bht tlv.TLV) (Header, error) {
	h := Header{Tag: bht.Tag}
	var seen [9]bool // tags '80' to '88'
	haveOwner, haveType := false, false
	for r.Next() {
		e := r.TLV()
		if e.Tag >= 0x80 && e.Tag <= 0x88 && e.Tag != 0x84 {
			i := int(e.Tag - 0x80)
			if seen[i] {
				return h, newErr(RecordGroup, "biometric header template", e.Offset, ErrDuplicate)
			}
			seen[i] = true
		}
		v := e.Value
		bad := func(field string) (Header, error) {
			return h, newErr(RecordGroup, field, e.ValueOffset(), ErrValue)
		}
		switch e.Tag {
		case TagHeaderVersion:
			if len(v) != 2 {
				return bad("ICAO header version")
			}
			x := u16of(v)
			h.Version = &x
		case TagBiometricType:
			if len(v) < 1 || len(v) > 3 {
				return bad("biometric type")
			}
			var x BiometricType
			for _, c := range v {
				x = x<<8 | BiometricType(c)
			}
			h.Type = &x
			if len(v) > 1 && v[0] == 0 {
				h.TypeSize = len(v)
			}
		case TagBiometricSubtype:
			if len(v) != 1 {
				return bad("biometric subtype")
			}
			x := BiometricSubtype(v[0])
			h.Subtype = &x
		case TagCreationTime:
			if len(v) != 7 {
				return bad("creation date and time")
			}
			h.CreationTime = v
		case TagValidityPeriod:
			if len(v) != 8 {
				return bad("validity period")
			}
			h.ValidityPeriod = v
		case TagCreator:
			if len(v) != 2 {
				return bad("creator")
			}
			x := u16of(v)
			h.Creator = &x
		case TagFormatOwner:
			if len(v) != 2 {
				return bad("format owner")
			}
			h.FormatOwner, haveOwner = u16of(v), true
		case TagFormatType:
			if len(v) != 2 {
				return bad("format type")
			}
			h.FormatType, haveType = u16of(v), true
		default:
			h.Other = append(h.Other, Element{Tag: e.Tag, Value: v})
		}
	}
	if err := r.Err(); err != nil {
		return h, wrapTLV("biometric header template", err)
	}
	if !haveOwner {
		return h, newErr(RecordGroup, "format owner", bht.Offset, ErrMissing)
	}
	if !haveType {
		return h, newErr(RecordGroup, "format type", bht.Offset, ErrMissing)
	}
	return h, nil
}
