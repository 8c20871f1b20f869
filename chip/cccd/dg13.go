package cccd

import (
	"encoding/asn1"
	"errors"
	"math"

	"golang.org/x/crypto/cryptobyte"

	"github.com/cancuoc/cancuoc/tlv"
)

// Tag is the tag of EF.DG13 ([APPLICATION 13], constructed).
const Tag tlv.Tag = 0x6D

// MaxSize is the default size limit of a DG13 file: 16 KiB, eight times the
// largest DG13 seen on real cards (well under 1 KiB) and plenty for
// addresses of several hundred bytes.
const MaxSize = 16 << 10

// MaxFieldNumber is the largest field number accepted. The CCCD profile
// uses 1 to 16; larger numbers are kept as unknown fields.
const MaxFieldNumber = math.MaxUint16

// maxValueDepth bounds the nesting inside a field value ('30' inside '30'
// ...). The CCCD profile needs 1.
const maxValueDepth = 8

// ASN.1 universal tags used in DG13.
const (
	tagInteger         tlv.Tag = 0x02
	tagOctetString     tlv.Tag = 0x04
	tagOID             tlv.Tag = 0x06
	tagUTF8String      tlv.Tag = 0x0C
	tagPrintableString tlv.Tag = 0x13
	tagIA5String       tlv.Tag = 0x16
	tagSequence        tlv.Tag = 0x30
	tagSet             tlv.Tag = 0x31
)

// Tags of the string types a value may carry. Cards write some fields as
// PrintableString and others as UTF8String; IA5String is accepted too.
const (
	UTF8String      = tagUTF8String
	PrintableString = tagPrintableString
	IA5String       = tagIA5String
	OctetString     = tagOctetString
	Sequence        = tagSequence
)

// UTF8Charset is the OBJECT IDENTIFIER 1.0.10646.1.0.8 (ISO/IEC 10646,
// transfer form UTF-8) that real DG13 files carry after the version, naming
// the encoding of their text.
var UTF8Charset = asn1.ObjectIdentifier{1, 0, 10646, 1, 0, 8}

// DG13 is the contents of EF.DG13 on a Vietnamese chip-based citizen
// identity card (CCCD) or identity card (Law on Identification 2023):
//
//	6D {
//	  SEQUENCE {
//	    INTEGER version                    -- 1
//	    OBJECT IDENTIFIER charset          -- 1.0.10646.1.0.8, UTF-8
//	    SET {
//	      SEQUENCE { INTEGER n, value ... } -- one per field, n = 1..16
//	      ...
//	    }
//	  }
//	}
//
// Fields are kept in the order of the file, unknown ones included, so that
// Encode gives back the bytes read. Field and Citizen look fields up by
// their number, never by their position.
type DG13 struct {
	Version int
	Charset asn1.ObjectIdentifier
	Fields  []Field
}

// Field is one element of the SET: a SEQUENCE holding the field number and
// the values after it (one string for most fields, two nested SEQUENCEs for
// the parents, none or one nested SEQUENCE for the spouse).
type Field struct {
	Number int
	Values []Value
	// Raw is the whole SEQUENCE as read (or as built). Encode does not use
	// it: it encodes Number and Values, so that edits take effect.
	Raw []byte
}

// Value is one ASN.1 object after the field number: its tag and its
// contents. Contents of a constructed value (a SEQUENCE) are its encoded
// children, which Children decodes.
type Value struct {
	Tag   tlv.Tag
	Bytes []byte
}

// IsString reports whether v has one of the string types that DG13 text
// uses: UTF8String, PrintableString or IA5String.
func (v Value) IsString() bool {
	return v.Tag == tagUTF8String || v.Tag == tagPrintableString || v.Tag == tagIA5String
}

// Children decodes the contents of a constructed value as a sequence of
// values (strictly, as DER).
func (v Value) Children() ([]Value, error) {
	if !v.Tag.Constructed() {
		return nil, errAt(0, -1, ErrFieldValue)
	}
	var out []Value
	r := tlv.NewReader(v.Bytes)
	for r.Next() {
		t := r.TLV()
		out = append(out, Value{Tag: t.Tag, Bytes: t.Value})
	}
	if err := r.Err(); err != nil {
		return nil, &Error{Offset: -1, Err: ErrMalformed, cause: err}
	}
	return out, nil
}

// Options select how strictly ParseDG13 reads. The zero value is strict.
type Options struct {
	// AllowTrailingPadding accepts bytes '00' and 'FF' after the '6D'
	// object. Readers that fetch a file in fixed-size blocks, and some
	// cards' file sizes, leave such padding behind; ISO/IEC 7816-4 §5.2.2
	// makes both bytes padding outside data objects. Inside the object
	// nothing is tolerated that DER forbids.
	AllowTrailingPadding bool
	// MaxSize bounds the input; 0 means MaxSize.
	MaxSize int
}

// Strict is the default: bytes after the object are an error.
var Strict = Options{}

// Lenient accepts the padding real reads show after the object.
var Lenient = Options{AllowTrailingPadding: true}

// ParseDG13 decodes a whole EF.DG13 file strictly. See Options.ParseDG13.
func ParseDG13(b []byte) (*DG13, error) { return Strict.ParseDG13(b) }

// ParseDG13 decodes a whole EF.DG13 file, '6D' tag included. It checks the
// framing of every object as DER (minimal lengths, long-form lengths for
// values over 127 bytes, no indefinite lengths), the version INTEGER and
// charset OID, each field's number (no duplicates), and that every field of
// the CCCD profile has the shape Citizen expects, so that Citizen cannot
// fail on a parsed DG13.
//
// The result does not alias b: the input is copied once, and every Raw and
// Bytes slice points into that copy.
func (o Options) ParseDG13(b []byte) (*DG13, error) {
	limit := o.MaxSize
	if limit <= 0 {
		limit = MaxSize
	}
	if len(b) > limit {
		return nil, errAt(0, limit, ErrTooLarge)
	}
	outer, rest, err := tlv.Parse(b)
	if err != nil {
		return nil, framing(0, err)
	}
	if outer.Tag != Tag {
		return nil, errAt(0, 0, ErrWrongTag)
	}
	for i, c := range rest {
		if !o.AllowTrailingPadding || (c != 0x00 && c != 0xFF) {
			return nil, errAt(0, len(outer.Raw)+i, ErrTrailingData)
		}
	}
	buf := make([]byte, len(outer.Raw))
	copy(buf, outer.Raw)

	top := tlv.NewReader(buf)
	top.Next() // cannot fail: the same bytes parsed above
	d := new(DG13)

	// 6D { SEQUENCE }
	in := top.Children()
	seq, err := only(&in, tagSequence, len(buf))
	if err != nil {
		return nil, err
	}
	// SEQUENCE { INTEGER, OID, SET }
	parts := in.Children()
	end := seq.Offset + len(seq.Raw)
	ver, err := next(&parts, tagInteger, end)
	if err != nil {
		return nil, err
	}
	v, ok := readInt(ver.Raw)
	if !ok || v < math.MinInt32 || v > math.MaxInt32 {
		return nil, errAt(0, ver.Offset, ErrMalformed)
	}
	d.Version = int(v)
	oid, err := next(&parts, tagOID, end)
	if err != nil {
		return nil, err
	}
	s := cryptobyte.String(oid.Raw)
	if !s.ReadASN1ObjectIdentifier(&d.Charset) {
		return nil, errAt(0, oid.Offset, ErrMalformed)
	}
	if _, err := next(&parts, tagSet, end); err != nil {
		return nil, err
	}
	fields := parts.Children()
	if parts.Next() {
		return nil, errAt(0, parts.TLV().Offset, ErrMalformed)
	}
	if err := parts.Err(); err != nil {
		return nil, framing(0, err)
	}

	// SET { SEQUENCE { INTEGER n, value ... } ... }
	// A first pass counts fields and values, so that all fields share one
	// allocation and all values another.
	nf, nv := count(fields)
	d.Fields = make([]Field, 0, nf)
	vals := make([]Value, 0, nv)
	offsets := make([]int, 0, nf)
	var small uint64       // field numbers below 64 already seen
	var large map[int]bool // the others
	for fields.Next() {
		f, err := parseField(&fields, &vals)
		if err != nil {
			return nil, err
		}
		dup := false
		if f.Number < 64 {
			dup = small&(1<<f.Number) != 0
			small |= 1 << f.Number
		} else {
			if large == nil {
				large = make(map[int]bool)
			}
			dup = large[f.Number]
			large[f.Number] = true
		}
		if dup {
			return nil, errAt(f.Number, fields.TLV().Offset, ErrDuplicateField)
		}
		d.Fields = append(d.Fields, f)
		offsets = append(offsets, fields.TLV().Offset)
	}
	if err := fields.Err(); err != nil {
		return nil, framing(0, err)
	}
	if err := d.decode(offsets, nil); err != nil {
		return nil, err
	}
	return d, nil
}

// count returns the number of objects in r and of objects after the first
// inside each of them, stopping quietly at the first error (which the
// second pass reports).
func count(r tlv.Reader) (fields, values int) {
	for r.Next() {
		fields++
		c := r.Children()
		for first := true; c.Next(); first = false {
			if !first {
				values++
			}
		}
	}
	return fields, values
}

func parseField(r *tlv.Reader, vals *[]Value) (Field, error) {
	t := r.TLV()
	if t.Tag != tagSequence {
		return Field{}, errAt(0, t.Offset, ErrMalformed)
	}
	f := Field{Raw: t.Raw}
	c := r.Children()
	if !c.Next() {
		if err := c.Err(); err != nil {
			return Field{}, framing(0, err)
		}
		return Field{}, errAt(0, t.Offset, ErrMalformed)
	}
	num := c.TLV()
	if num.Tag != tagInteger {
		return Field{}, errAt(0, num.Offset, ErrMalformed)
	}
	n, ok := readInt(num.Raw)
	if !ok {
		return Field{}, errAt(0, num.Offset, ErrMalformed)
	}
	if n < 0 || n > MaxFieldNumber {
		return Field{}, errAt(0, num.Offset, ErrFieldNumber)
	}
	f.Number = int(n)
	start := len(*vals)
	for c.Next() {
		v := c.TLV()
		if v.Tag.Constructed() {
			if err := checkFraming(c.Children(), 1); err != nil {
				return Field{}, framing(f.Number, err)
			}
		}
		*vals = append(*vals, Value{Tag: v.Tag, Bytes: v.Value})
	}
	if err := c.Err(); err != nil {
		return Field{}, framing(f.Number, err)
	}
	if end := len(*vals); end > start {
		f.Values = (*vals)[start:end:end]
	}
	return f, nil
}

// checkFraming walks nested objects so that every byte of a field is valid
// DER framing, which makes Encode give back the same bytes.
func checkFraming(r tlv.Reader, depth int) error {
	for r.Next() {
		if t := r.TLV(); t.Tag.Constructed() {
			if depth >= maxValueDepth {
				return &tlv.Error{Offset: t.Offset, Tag: t.Tag, Err: tlv.ErrTooDeep}
			}
			if err := checkFraming(r.Children(), depth+1); err != nil {
				return err
			}
		}
	}
	return r.Err()
}

// only reads exactly one object with tag want from r, ending at end.
func only(r *tlv.Reader, want tlv.Tag, end int) (tlv.TLV, error) {
	t, err := next(r, want, end)
	if err != nil {
		return t, err
	}
	if r.Next() {
		return t, errAt(0, r.TLV().Offset, ErrMalformed)
	}
	if err := r.Err(); err != nil {
		return t, framing(0, err)
	}
	return t, nil
}

// next reads one object with tag want from r; end is where the enclosing
// object ends, the offset reported when the object is missing.
func next(r *tlv.Reader, want tlv.Tag, end int) (tlv.TLV, error) {
	if !r.Next() {
		if err := r.Err(); err != nil {
			return tlv.TLV{}, framing(0, err)
		}
		return tlv.TLV{}, errAt(0, end, ErrMalformed)
	}
	t := r.TLV()
	if t.Tag != want {
		return t, errAt(0, t.Offset, ErrMalformed)
	}
	return t, nil
}

// readInt decodes a DER INTEGER (whole TLV) that fits in an int64.
func readInt(raw []byte) (int64, bool) {
	var v int64
	s := cryptobyte.String(raw)
	if !s.ReadASN1Integer(&v) || !s.Empty() {
		return 0, false
	}
	return v, true
}

// framing turns a *tlv.Error into an *Error wrapping ErrMalformed, keeping
// its offset.
func framing(field int, err error) error {
	off := -1
	var te *tlv.Error
	if errors.As(err, &te) {
		off = te.Offset
	}
	return &Error{Field: field, Offset: off, Err: ErrMalformed, cause: err}
}

// Field returns the field numbered n, and whether it is present.
func (d *DG13) Field(n int) (*Field, bool) {
	for i := range d.Fields {
		if d.Fields[i].Number == n {
			return &d.Fields[i], true
		}
	}
	return nil, false
}

// Text returns the text of field n when the field is present and holds one
// string value (UTF8String, PrintableString or IA5String) that is valid
// UTF-8. It is the accessor for fields this package does not know, such as
// numbers above 16 on future cards; known fields are easier through Citizen.
func (d *DG13) Text(n int) (string, bool) {
	f, ok := d.Field(n)
	if !ok || len(f.Values) != 1 {
		return "", false
	}
	return text(f.Values[0], true)
}

// Encode returns the DER encoding of d, '6D' tag included. Fields are
// written in the order of d.Fields, which is not DER's order for SET OF
// (see the package documentation): that is the order of real cards, and it
// makes Encode give back, byte for byte, the file that ParseDG13 read.
// It fails only on values that cannot be encoded: an invalid tag, a field
// number out of range, a charset that is not a valid OID.
func (d *DG13) Encode() ([]byte, error) {
	var hdr cryptobyte.Builder
	hdr.AddASN1Int64(int64(d.Version))
	hdr.AddASN1ObjectIdentifier(d.Charset)
	head, err := hdr.Bytes()
	if err != nil {
		return nil, errAt(0, -1, ErrMalformed)
	}
	setLen := 0
	for i := range d.Fields {
		n, err := d.Fields[i].contentLen()
		if err != nil {
			return nil, err
		}
		setLen += 1 + tlv.LengthLen(n) + n
	}
	seqLen := len(head) + 1 + tlv.LengthLen(setLen) + setLen
	dgLen := 1 + tlv.LengthLen(seqLen) + seqLen
	out := make([]byte, 0, 1+tlv.LengthLen(dgLen)+dgLen)
	out = append(out, byte(Tag))
	out = tlv.AppendLength(out, dgLen)
	out = append(out, byte(tagSequence))
	out = tlv.AppendLength(out, seqLen)
	out = append(out, head...)
	out = append(out, byte(tagSet))
	out = tlv.AppendLength(out, setLen)
	for i := range d.Fields {
		out = d.Fields[i].appendTo(out)
	}
	return out, nil
}

// contentLen checks f and returns the length of its SEQUENCE's contents.
func (f *Field) contentLen() (int, error) {
	if f.Number < 0 || f.Number > MaxFieldNumber {
		return 0, errAt(f.Number, -1, ErrFieldNumber)
	}
	n := len(intTLV(nil, f.Number))
	for _, v := range f.Values {
		if !v.Tag.Valid() {
			return 0, &Error{Field: f.Number, Offset: -1, Err: ErrMalformed, cause: tlv.ErrInvalidTag}
		}
		if uint64(len(v.Bytes)) > MaxSize {
			return 0, errAt(f.Number, -1, ErrTooLarge)
		}
		n += v.Tag.Len() + tlv.LengthLen(len(v.Bytes)) + len(v.Bytes)
	}
	return n, nil
}

// appendTo appends f's SEQUENCE to dst; contentLen must have accepted f.
func (f *Field) appendTo(dst []byte) []byte {
	n, _ := f.contentLen()
	dst = append(dst, byte(tagSequence))
	dst = tlv.AppendLength(dst, n)
	dst = intTLV(dst, f.Number)
	for _, v := range f.Values {
		dst = tlv.AppendTLV(dst, v.Tag, v.Bytes)
	}
	return dst
}

// intTLV appends the DER INTEGER n, 0 <= n <= MaxFieldNumber.
func intTLV(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(tagInteger), 1, byte(n))
	case n < 0x8000:
		return append(dst, byte(tagInteger), 2, byte(n>>8), byte(n))
	default:
		return append(dst, byte(tagInteger), 3, 0, byte(n>>8), byte(n))
	}
}

// encodeField returns the DER encoding of one field.
func encodeField(f *Field) ([]byte, error) {
	n, err := f.contentLen()
	if err != nil {
		return nil, err
	}
	return f.appendTo(make([]byte, 0, 1+tlv.LengthLen(n)+n)), nil
}
