package chip

import "github.com/cancuoc/cancuoc/tlv"

// Tags of DG12, additional document details (Doc 9303-10 §4.7.12).
const (
	TagIssuingAuthority        tlv.Tag = 0x5F19 // issuing authority
	TagDateOfIssue             tlv.Tag = 0x5F26 // date of issue, "YYYYMMDD"
	TagOtherPerson             tlv.Tag = 0x5F1A // name of another person, inside 'A0' with a count
	TagEndorsements            tlv.Tag = 0x5F1B // endorsements and observations
	TagTaxExitRequirements     tlv.Tag = 0x5F1C // tax or exit requirements
	TagImageFront              tlv.Tag = 0x5F1D // image of the front of the document (ISO/IEC 10918)
	TagImageRear               tlv.Tag = 0x5F1E // image of the rear of the document (ISO/IEC 10918)
	TagPersonalizationTime     tlv.Tag = 0x5F55 // date and time of personalization, "YYYYMMDDhhmmss"
	TagPersonalizationSystemSN tlv.Tag = 0x5F56 // serial number of the personalization system
)

// DG12 holds additional document details: '6C' { '5C' tag list, then the
// fields present }. Every field is optional; an empty string or slice is an
// absent field.
type DG12 struct {
	IssuingAuthority    string   // '5F19'
	DateOfIssue         *Date    // '5F26'
	OtherPersons        []string // '5F1A' entries of 'A0'
	Endorsements        string   // '5F1B'
	TaxExitRequirements string   // '5F1C'
	ImageFront          []byte   // '5F1D'
	ImageRear           []byte   // '5F1E'
	PersonalizationTime *Date    // '5F55'
	// PersonalizationSystemSerial is the serial number of the
	// personalization system ('5F56').
	PersonalizationSystemSerial string
	// Unknown holds objects this package does not know, as encoded.
	Unknown [][]byte
}

// ParseDG12 parses DG12. The tag list is mandatory, though not checked
// against the fields present; the dates are read leniently (see Date).
func ParseDG12(b []byte) (*DG12, error) {
	const f = EFDG12
	_, r, err := open(f, b)
	if err != nil {
		return nil, err
	}
	d := &DG12{}
	s := seen{}
	for r.Next() {
		t := r.TLV()
		if t.Tag != TagOtherPerson {
			if err := s.once(f, t); err != nil {
				return nil, err
			}
		}
		v := string(t.Value)
		switch t.Tag {
		case TagList:
			if _, err := parseTagList(f, t); err != nil {
				return nil, err
			}
		case TagIssuingAuthority:
			d.IssuingAuthority = v
		case TagDateOfIssue:
			d.DateOfIssue = dateField(t.Value)
		case tagListTemplate:
			names, err := parseTextList(f, r.Children(), TagOtherPerson)
			if err != nil {
				return nil, err
			}
			d.OtherPersons = append(d.OtherPersons, names...)
		case TagOtherPerson:
			d.OtherPersons = append(d.OtherPersons, v)
		case TagEndorsements:
			d.Endorsements = v
		case TagTaxExitRequirements:
			d.TaxExitRequirements = v
		case TagImageFront:
			d.ImageFront = clone(t.Value)
		case TagImageRear:
			d.ImageRear = clone(t.Value)
		case TagPersonalizationTime:
			d.PersonalizationTime = dateField(t.Value)
		case TagPersonalizationSystemSN:
			d.PersonalizationSystemSerial = v
		default:
			d.Unknown = append(d.Unknown, clone(t.Raw))
		}
	}
	if err := r.Err(); err != nil {
		return nil, perr(f, 0, 0, err)
	}
	if !s[TagList] {
		return nil, &ParseError{File: f, Tag: TagList, Err: ErrMissingField}
	}
	return d, nil
}

// Encode returns DG12 as the chip stores it, fields in the order of Doc
// 9303-10 and the tag list naming them.
func (d *DG12) Encode() ([]byte, error) {
	const f = EFDG12
	type field struct {
		tag tlv.Tag
		v   []byte
	}
	fields := []field{
		{TagIssuingAuthority, []byte(d.IssuingAuthority)},
		{TagDateOfIssue, d.DateOfIssue.value()},
		{TagOtherPerson, nil}, // placeholder for the 'A0' template
		{TagEndorsements, []byte(d.Endorsements)},
		{TagTaxExitRequirements, []byte(d.TaxExitRequirements)},
		{TagImageFront, d.ImageFront},
		{TagImageRear, d.ImageRear},
		{TagPersonalizationTime, d.PersonalizationTime.value()},
		{TagPersonalizationSystemSN, []byte(d.PersonalizationSystemSerial)},
	}
	var list []byte
	for _, fl := range fields {
		if len(fl.v) > 0 || (fl.tag == TagOtherPerson && len(d.OtherPersons) > 0) {
			list = fl.tag.AppendTo(list)
		}
	}
	for _, u := range d.Unknown {
		list = unknownTag(u).AppendTo(list)
	}
	return encodeFile(f, func(b *tlv.Builder) error {
		b.Add(TagList, list)
		for _, fl := range fields {
			if fl.tag == TagOtherPerson {
				if err := addTextList(f, b, TagOtherPerson, d.OtherPersons); err != nil {
					return err
				}
				continue
			}
			addBytes(b, fl.tag, fl.v)
		}
		return addUnknown(f, b, d.Unknown)
	})
}
