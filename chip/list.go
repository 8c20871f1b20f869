package chip

import "github.com/cancuoc/cancuoc/tlv"

// TagCount is the tag of the count that opens a list template ('02').
const TagCount tlv.Tag = 0x02

// tagListTemplate is the template 'A0' that holds a count and repeated
// entries in DG11 (other names) and DG12 (other persons).
const tagListTemplate tlv.Tag = 0xA0

// parseTextList reads 'A0' { '02' count, entry ... }: the count must match
// the number of entries, and any other object is an error.
func parseTextList(f File, r tlv.Reader, entry tlv.Tag) ([]string, error) {
	var out []string
	count := -1
	for r.Next() {
		t := r.TLV()
		switch {
		case t.Tag == TagCount && count < 0 && len(out) == 0:
			n, err := countValue(f, t)
			if err != nil {
				return nil, err
			}
			count = n
		case t.Tag == entry && count >= 0:
			if len(out) == count {
				return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: errorf(ErrInvalidValue, "more entries than the count")}
			}
			out = append(out, string(t.Value))
		default:
			return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: ErrWrongTag}
		}
	}
	if err := r.Err(); err != nil {
		return nil, perr(f, 0, 0, err)
	}
	if count < 0 {
		return nil, &ParseError{File: f, Tag: TagCount, Err: ErrMissingField}
	}
	if len(out) != count {
		return nil, &ParseError{File: f, Tag: entry, Err: errorf(ErrInvalidValue, "fewer entries than the count")}
	}
	return out, nil
}

// addTextList writes 'A0' { '02' count, entry ... } when list is not empty.
func addTextList(f File, b *tlv.Builder, entry tlv.Tag, list []string) error {
	if len(list) == 0 {
		return nil
	}
	if len(list) > 99 {
		return &ParseError{File: f, Tag: entry, Err: errorf(ErrTooLarge, "more than 99 entries")}
	}
	b.AddConstructed(tagListTemplate, func(b *tlv.Builder) {
		b.AddByte(TagCount, byte(len(list)))
		for _, s := range list {
			b.AddString(entry, s)
		}
	})
	return nil
}

// unknownTag returns the tag of an object kept raw (0 if it is malformed,
// which cannot happen for objects that came from a parser).
func unknownTag(raw []byte) tlv.Tag {
	t, _, err := tlv.ParseTag(raw)
	if err != nil {
		return 0
	}
	return t
}

// addUnknown writes objects kept raw, each of which must be exactly one
// well-formed object.
func addUnknown(f File, b *tlv.Builder, unknown [][]byte) error {
	for _, u := range unknown {
		t, err := decoding.ParseOne(u)
		if err != nil || len(t.Raw) != len(u) {
			return &ParseError{File: f, Err: errorf(ErrInvalidValue, "unknown object is not one encoded object")}
		}
		b.AddRaw(u)
	}
	return nil
}

// dateField reads a date field; an empty value is an absent field.
func dateField(v []byte) *Date {
	if len(v) == 0 {
		return nil
	}
	return ParseDate(v)
}
