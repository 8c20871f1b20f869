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

// listField is one field of a data group made of a tag list ('5C') and
// optional fields (DG11, DG12): its tag and where its value lives, one of
// text, date, raw or, for the one repeated field, list (written in the 'A0'
// template with a count; read from there or, as some issuers write it,
// directly in the file).
type listField struct {
	tag  tlv.Tag
	text *string
	date **Date
	raw  *[]byte
	list *[]string
}

// parseListFile parses f: the tag list (mandatory, not checked against the
// fields present), fields at most once each (the repeated one any number of
// times), objects it does not know kept in unknown as encoded.
func parseListFile(f File, b []byte, fields []listField, unknown *[][]byte) error {
	_, r, err := open(f, b)
	if err != nil {
		return err
	}
	var repeated *listField
	for i := range fields {
		if fields[i].list != nil {
			repeated = &fields[i]
		}
	}
	s := seen{}
	for r.Next() {
		t := r.TLV()
		if t.Tag != repeated.tag {
			if err := s.once(f, t); err != nil {
				return err
			}
		}
		var fl *listField
		for i := range fields {
			if fields[i].tag == t.Tag {
				fl = &fields[i]
			}
		}
		switch {
		case t.Tag == TagList:
			if _, err := parseTagList(f, t); err != nil {
				return err
			}
		case t.Tag == tagListTemplate:
			entries, err := parseTextList(f, r.Children(), repeated.tag)
			if err != nil {
				return err
			}
			*repeated.list = append(*repeated.list, entries...)
		case fl == nil:
			*unknown = append(*unknown, clone(t.Raw))
		case fl.list != nil:
			*fl.list = append(*fl.list, string(t.Value))
		case fl.text != nil:
			*fl.text = string(t.Value)
		case fl.date != nil:
			*fl.date = dateField(t.Value)
		default:
			*fl.raw = clone(t.Value)
		}
	}
	if err := r.Err(); err != nil {
		return perr(f, 0, 0, err)
	}
	if !s[TagList] {
		return &ParseError{File: f, Tag: TagList, Err: ErrMissingField}
	}
	return nil
}

// encodeListFile encodes f: the tag list naming the fields present and the
// unknown objects, then the fields in the order given, then the unknown
// objects.
func encodeListFile(f File, fields []listField, unknown [][]byte) ([]byte, error) {
	var buf [16][]byte // the values of binary and date fields, each formatted once
	values := buf[:0]
	var list []byte
	for i := range fields {
		fl := &fields[i]
		var v []byte
		present := false
		switch {
		case fl.list != nil:
			present = len(*fl.list) > 0
		case fl.text != nil:
			present = *fl.text != ""
		case fl.date != nil:
			v = (*fl.date).value()
		default:
			v = *fl.raw
		}
		values = append(values, v)
		if present || len(v) > 0 {
			list = fl.tag.AppendTo(list)
		}
	}
	for _, u := range unknown {
		list = unknownTag(u).AppendTo(list)
	}
	return encodeFile(f, func(b *tlv.Builder) error {
		b.Add(TagList, list)
		for i := range fields {
			fl := &fields[i]
			switch {
			case fl.list != nil:
				if err := addTextList(f, b, fl.tag, *fl.list); err != nil {
					return err
				}
			case fl.text != nil:
				addText(b, fl.tag, *fl.text)
			default:
				addBytes(b, fl.tag, values[i])
			}
		}
		return addUnknown(f, b, unknown)
	})
}
