package chip

import (
	"github.com/cancuoc/cancuoc/tlv"
)

// decoding is the framing every parser of this package accepts: BER-TLV as
// tlv.Lenient reads it, that is strict DER-like framing plus the two quirks
// met on real documents (padding bytes '00'/'FF' around objects, lengths
// written in more bytes than needed). The raw bytes are kept by callers, so
// hashes stay exact whatever the framing.
var decoding = tlv.Lenient

// open checks the size of a file and its outer tag, and returns the outer
// object with a Reader over its contents whose offsets count from the start
// of the file.
func open(f File, b []byte) (tlv.TLV, tlv.Reader, error) {
	if len(b) > f.MaxSize() {
		return tlv.TLV{}, tlv.Reader{}, &ParseError{File: f, Offset: f.MaxSize(), Err: ErrTooLarge}
	}
	if _, err := decoding.ParseOne(b); err != nil {
		return tlv.TLV{}, tlv.Reader{}, perr(f, 0, 0, err)
	}
	r := decoding.NewReader(b)
	r.Next()
	outer := r.TLV()
	if outer.Tag != f.Tag() {
		return tlv.TLV{}, tlv.Reader{}, &ParseError{File: f, Tag: outer.Tag, Offset: outer.Offset, Err: ErrWrongTag}
	}
	return outer, r.Children(), nil
}

// seen tracks which tags a parser has met, to reject duplicates.
type seen map[tlv.Tag]bool

func (s seen) once(f File, t tlv.TLV) error {
	if s[t.Tag] {
		return &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: ErrDuplicateField}
	}
	s[t.Tag] = true
	return nil
}

// clone copies b, keeping nil as nil, so that parsed values never alias the
// caller's buffer.
func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append([]byte{}, b...)
}

// countValue reads the one-byte count of a template ('02' '01' n), which
// Doc 9303 bounds to 1..99; 0 is accepted for an empty list.
func countValue(f File, t tlv.TLV) (int, error) {
	if len(t.Value) != 1 || t.Value[0] > 99 {
		return 0, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: errorf(ErrInvalidValue, "count must be one byte 0..99")}
	}
	return int(t.Value[0]), nil
}

// encodeFile runs build inside the file's outer tag and checks the size.
func encodeFile(f File, build func(b *tlv.Builder) error) ([]byte, error) {
	var b tlv.Builder
	var ferr error
	b.AddConstructed(f.Tag(), func(b *tlv.Builder) { ferr = build(b) })
	if ferr != nil {
		return nil, ferr
	}
	out, err := b.Bytes()
	if err != nil {
		return nil, perr(f, 0, 0, err)
	}
	if len(out) > f.MaxSize() {
		return nil, &ParseError{File: f, Offset: f.MaxSize(), Err: ErrTooLarge}
	}
	return out, nil
}

// addText writes a text field when it is not empty.
func addText(b *tlv.Builder, t tlv.Tag, s string) {
	if s != "" {
		b.AddString(t, s)
	}
}

// addBytes writes a binary field when it is not empty.
func addBytes(b *tlv.Builder, t tlv.Tag, v []byte) {
	if len(v) > 0 {
		b.Add(t, v)
	}
}

// parseTagList splits a tag list value ('5C') into tags.
func parseTagList(f File, t tlv.TLV) ([]tlv.Tag, error) {
	var out []tlv.Tag
	v := t.Value
	for len(v) > 0 {
		tag, n, err := tlv.ParseTag(v)
		if err != nil {
			return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.ValueOffset() + len(t.Value) - len(v), Err: err}
		}
		out = append(out, tag)
		v = v[n:]
	}
	return out, nil
}
