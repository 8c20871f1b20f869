package chip

import "github.com/cancuoc/cancuoc/tlv"

// Tags of DG16, persons to notify (Doc 9303-10 §4.7.16).
const (
	TagDateRecorded    tlv.Tag = 0x5F50 // date the entry was recorded, "YYYYMMDD"
	TagNotifyName      tlv.Tag = 0x5F51 // name of the person to notify
	TagNotifyTelephone tlv.Tag = 0x5F52 // telephone of the person to notify
	TagNotifyAddress   tlv.Tag = 0x5F53 // address of the person to notify, fields separated by '<'
)

// maxPersons is the number of entry templates 'A1' to 'BE' that one-byte
// context-specific tags can number.
const maxPersons = 30

// DG16 holds persons to notify: '70' { '02' count, 'A1' { person },
// 'A2' { person } ... }.
type DG16 struct {
	Persons []PersonToNotify
	// Unknown holds objects this package does not know, as encoded.
	Unknown [][]byte
}

// PersonToNotify is one entry of DG16. Empty fields are absent.
type PersonToNotify struct {
	DateRecorded *Date  // '5F50'
	Name         string // '5F51'
	Telephone    string // '5F52'
	Address      string // '5F53'
	// Unknown holds objects of the entry this package does not know.
	Unknown [][]byte
}

// ParseDG16 parses DG16. The count is mandatory and must match the number
// of entries; the entries are context-specific constructed objects ('A1',
// 'A2' ...), accepted in any numbering.
func ParseDG16(b []byte) (*DG16, error) {
	const f = EFDG16
	_, r, err := open(f, b)
	if err != nil {
		return nil, err
	}
	d := &DG16{}
	count := -1
	for r.Next() {
		t := r.TLV()
		switch {
		case t.Tag == TagCount:
			if count >= 0 {
				return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: ErrDuplicateField}
			}
			if count, err = countValue(f, t); err != nil {
				return nil, err
			}
		case t.Tag.Class() == tlv.ClassContextSpecific && t.Tag.Constructed():
			p, err := parsePerson(f, r.Children())
			if err != nil {
				return nil, err
			}
			d.Persons = append(d.Persons, p)
		default:
			d.Unknown = append(d.Unknown, clone(t.Raw))
		}
	}
	if err := r.Err(); err != nil {
		return nil, perr(f, 0, 0, err)
	}
	if count < 0 {
		return nil, &ParseError{File: f, Tag: TagCount, Err: ErrMissingField}
	}
	if count != len(d.Persons) {
		return nil, &ParseError{File: f, Tag: TagCount, Err: errorf(ErrInvalidValue, "count does not match the entries")}
	}
	return d, nil
}

func parsePerson(f File, r tlv.Reader) (PersonToNotify, error) {
	var p PersonToNotify
	s := seen{}
	for r.Next() {
		t := r.TLV()
		if err := s.once(f, t); err != nil {
			return p, err
		}
		switch t.Tag {
		case TagDateRecorded:
			p.DateRecorded = dateField(t.Value)
		case TagNotifyName:
			p.Name = string(t.Value)
		case TagNotifyTelephone:
			p.Telephone = string(t.Value)
		case TagNotifyAddress:
			p.Address = string(t.Value)
		default:
			p.Unknown = append(p.Unknown, clone(t.Raw))
		}
	}
	if err := r.Err(); err != nil {
		return p, perr(f, 0, 0, err)
	}
	return p, nil
}

// Encode returns DG16 as the chip stores it, entries numbered 'A1', 'A2' ...
// (at most 30).
func (d *DG16) Encode() ([]byte, error) {
	const f = EFDG16
	if len(d.Persons) > maxPersons {
		return nil, &ParseError{File: f, Tag: TagCount, Err: errorf(ErrTooLarge, "more than 30 persons")}
	}
	return encodeFile(f, func(b *tlv.Builder) error {
		b.AddByte(TagCount, byte(len(d.Persons)))
		for i, p := range d.Persons {
			var err error
			b.AddConstructed(tlv.Tag(0xA1+i), func(b *tlv.Builder) {
				addBytes(b, TagDateRecorded, p.DateRecorded.value())
				addText(b, TagNotifyName, p.Name)
				addText(b, TagNotifyTelephone, p.Telephone)
				addText(b, TagNotifyAddress, p.Address)
				err = addUnknown(f, b, p.Unknown)
			})
			if err != nil {
				return err
			}
		}
		return addUnknown(f, b, d.Unknown)
	})
}
