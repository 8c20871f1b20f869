package chip

import (
	"github.com/cancuoc/cancuoc/chip/internal/ascii"
	"github.com/cancuoc/cancuoc/tlv"
)

// Tags of EF.COM (Doc 9303-10 §4.6.1).
const (
	TagLDSVersion     tlv.Tag = 0x5F01 // LDS version, "aabb" for LDS aa.bb
	TagUnicodeVersion tlv.Tag = 0x5F36 // Unicode version, "aabbcc" for aa.bb.cc
	TagList           tlv.Tag = 0x5C   // tag list: the tags of the data groups present
)

// COM is EF.COM: '60' { '5F01' LDS version, '5F36' Unicode version, '5C'
// tag list }. The tag list names the data groups present; EF.COM is not
// covered by EF.SOD, so readers use it as a hint only.
type COM struct {
	// LDSVersion is four digits "aabb": "0107" for LDS 1.7, "0108" for 1.8.
	LDSVersion string
	// UnicodeVersion is six digits "aabbcc": "040000" for Unicode 4.0.0.
	UnicodeVersion string
	// DataGroups lists the data groups present, in the order of the tag list.
	DataGroups []File
	// Unknown holds objects this package does not know, as encoded.
	Unknown [][]byte
}

// NewCOM returns an EF.COM for LDS 1.7 and Unicode 4.0.0 listing the given
// data groups.
func NewCOM(dataGroups ...File) *COM {
	return &COM{LDSVersion: "0107", UnicodeVersion: "040000", DataGroups: dataGroups}
}

// Has reports whether the tag list names f.
func (c *COM) Has(f File) bool {
	for _, g := range c.DataGroups {
		if g == f {
			return true
		}
	}
	return false
}

// LDS returns the LDS version as major and minor numbers (1, 7 for "0107").
func (c *COM) LDS() (major, minor int, ok bool) {
	if !ascii.Digits(c.LDSVersion, 4) {
		return 0, 0, false
	}
	return atoi(c.LDSVersion[:2]), atoi(c.LDSVersion[2:]), true
}

// ParseCOM parses EF.COM. Both versions and the tag list are mandatory; the
// versions must be digits of the right length and the tag list must name
// data groups, each once.
func ParseCOM(b []byte) (*COM, error) {
	_, r, err := open(EFCOM, b)
	if err != nil {
		return nil, err
	}
	c := &COM{}
	s := seen{}
	for r.Next() {
		t := r.TLV()
		switch t.Tag {
		case TagLDSVersion, TagUnicodeVersion, TagList:
			if err := s.once(EFCOM, t); err != nil {
				return nil, err
			}
		}
		switch t.Tag {
		case TagLDSVersion:
			if !ascii.Digits(string(t.Value), 4) {
				return nil, &ParseError{File: EFCOM, Tag: t.Tag, Offset: t.Offset, Err: errorf(ErrInvalidValue, "LDS version must be 4 digits")}
			}
			c.LDSVersion = string(t.Value)
		case TagUnicodeVersion:
			if !ascii.Digits(string(t.Value), 6) {
				return nil, &ParseError{File: EFCOM, Tag: t.Tag, Offset: t.Offset, Err: errorf(ErrInvalidValue, "Unicode version must be 6 digits")}
			}
			c.UnicodeVersion = string(t.Value)
		case TagList:
			c.DataGroups = make([]File, 0, len(t.Value))
			for i, v := range t.Value {
				f, ok := FileByTag(tlv.Tag(v))
				if !ok || f.DataGroup() == 0 {
					return nil, &ParseError{File: EFCOM, Tag: t.Tag, Offset: t.ValueOffset() + i, Err: errorf(ErrUnknownFile, "tag list entry is not a data group")}
				}
				if c.Has(f) {
					return nil, &ParseError{File: EFCOM, Tag: t.Tag, Offset: t.ValueOffset() + i, Err: ErrDuplicateField}
				}
				c.DataGroups = append(c.DataGroups, f)
			}
		default:
			c.Unknown = append(c.Unknown, clone(t.Raw))
		}
	}
	if err := r.Err(); err != nil {
		return nil, perr(EFCOM, 0, 0, err)
	}
	for _, t := range []tlv.Tag{TagLDSVersion, TagUnicodeVersion, TagList} {
		if !s[t] {
			return nil, &ParseError{File: EFCOM, Tag: t, Err: ErrMissingField}
		}
	}
	return c, nil
}

// Encode returns EF.COM as the chip stores it.
func (c *COM) Encode() ([]byte, error) {
	if !ascii.Digits(c.LDSVersion, 4) {
		return nil, &ParseError{File: EFCOM, Tag: TagLDSVersion, Err: errorf(ErrInvalidValue, "LDS version must be 4 digits")}
	}
	if !ascii.Digits(c.UnicodeVersion, 6) {
		return nil, &ParseError{File: EFCOM, Tag: TagUnicodeVersion, Err: errorf(ErrInvalidValue, "Unicode version must be 6 digits")}
	}
	list := make([]byte, 0, len(c.DataGroups))
	for _, f := range c.DataGroups {
		if f.DataGroup() == 0 {
			return nil, &ParseError{File: EFCOM, Tag: TagList, Err: errorf(ErrUnknownFile, "tag list entry is not a data group")}
		}
		list = append(list, byte(f.Tag()))
	}
	return encodeFile(EFCOM, func(b *tlv.Builder) error {
		b.AddString(TagLDSVersion, c.LDSVersion)
		b.AddString(TagUnicodeVersion, c.UnicodeVersion)
		b.Add(TagList, list)
		return addUnknown(EFCOM, b, c.Unknown)
	})
}

// atoi converts ASCII digits already checked by digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
