package chip

import "github.com/cancuoc/cancuoc/tlv"

// Tags of DG11, additional personal details (Doc 9303-10 §4.7.11).
const (
	TagFullName           tlv.Tag = 0x5F0E // name of holder, in full ("SURNAME<<GIVEN<NAMES")
	TagOtherName          tlv.Tag = 0x5F0F // other name, inside 'A0' with a count
	TagPersonalNumber     tlv.Tag = 0x5F10 // personal number
	TagFullDateOfBirth    tlv.Tag = 0x5F2B // full date of birth, "YYYYMMDD"
	TagPlaceOfBirth       tlv.Tag = 0x5F11 // place of birth, fields separated by '<'
	TagAddress            tlv.Tag = 0x5F42 // permanent address, fields separated by '<'
	TagTelephone          tlv.Tag = 0x5F12 // telephone
	TagProfession         tlv.Tag = 0x5F13 // profession
	TagTitle              tlv.Tag = 0x5F14 // title
	TagPersonalSummary    tlv.Tag = 0x5F15 // personal summary
	TagProofOfCitizenship tlv.Tag = 0x5F16 // proof of citizenship, an image (ISO/IEC 10918)
	TagOtherTDNumbers     tlv.Tag = 0x5F17 // other valid travel document numbers, separated by '<'
	TagCustodyInfo        tlv.Tag = 0x5F18 // custody information
)

// DG11 holds additional personal details: '6B' { '5C' tag list, then the
// fields present }. Every field is optional; an empty string or slice is an
// absent field. Text is kept exactly as stored (ICAO writes names with '<'
// separators, some issuers write UTF-8).
type DG11 struct {
	FullName           string   // '5F0E'
	OtherNames         []string // '5F0F' entries of 'A0'
	PersonalNumber     string   // '5F10'
	FullDateOfBirth    *Date    // '5F2B'
	PlaceOfBirth       string   // '5F11'
	Address            string   // '5F42'
	Telephone          string   // '5F12'
	Profession         string   // '5F13'
	Title              string   // '5F14'
	PersonalSummary    string   // '5F15'
	ProofOfCitizenship []byte   // '5F16', image bytes
	OtherTDNumbers     string   // '5F17'
	CustodyInfo        string   // '5F18'
	// Unknown holds objects this package does not know, as encoded.
	Unknown [][]byte
}

// ParseDG11 parses DG11. The tag list is mandatory, though not checked
// against the fields present; other names are read from the 'A0' template
// (whose count must match) and, as some issuers write them, from '5F0F'
// objects directly in the file.
func ParseDG11(b []byte) (*DG11, error) {
	const f = EFDG11
	_, r, err := open(f, b)
	if err != nil {
		return nil, err
	}
	d := &DG11{}
	s := seen{}
	for r.Next() {
		t := r.TLV()
		if t.Tag != TagOtherName {
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
		case TagFullName:
			d.FullName = v
		case tagListTemplate:
			names, err := parseTextList(f, r.Children(), TagOtherName)
			if err != nil {
				return nil, err
			}
			d.OtherNames = append(d.OtherNames, names...)
		case TagOtherName:
			d.OtherNames = append(d.OtherNames, v)
		case TagPersonalNumber:
			d.PersonalNumber = v
		case TagFullDateOfBirth:
			d.FullDateOfBirth = dateField(t.Value)
		case TagPlaceOfBirth:
			d.PlaceOfBirth = v
		case TagAddress:
			d.Address = v
		case TagTelephone:
			d.Telephone = v
		case TagProfession:
			d.Profession = v
		case TagTitle:
			d.Title = v
		case TagPersonalSummary:
			d.PersonalSummary = v
		case TagProofOfCitizenship:
			d.ProofOfCitizenship = clone(t.Value)
		case TagOtherTDNumbers:
			d.OtherTDNumbers = v
		case TagCustodyInfo:
			d.CustodyInfo = v
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

// Encode returns DG11 as the chip stores it, fields in the order of Doc
// 9303-10 and the tag list naming them.
func (d *DG11) Encode() ([]byte, error) {
	const f = EFDG11
	type field struct {
		tag tlv.Tag
		v   []byte
	}
	fields := []field{
		{TagFullName, []byte(d.FullName)},
		{TagOtherName, nil}, // placeholder for the 'A0' template
		{TagPersonalNumber, []byte(d.PersonalNumber)},
		{TagFullDateOfBirth, d.FullDateOfBirth.value()},
		{TagPlaceOfBirth, []byte(d.PlaceOfBirth)},
		{TagAddress, []byte(d.Address)},
		{TagTelephone, []byte(d.Telephone)},
		{TagProfession, []byte(d.Profession)},
		{TagTitle, []byte(d.Title)},
		{TagPersonalSummary, []byte(d.PersonalSummary)},
		{TagProofOfCitizenship, d.ProofOfCitizenship},
		{TagOtherTDNumbers, []byte(d.OtherTDNumbers)},
		{TagCustodyInfo, []byte(d.CustodyInfo)},
	}
	var list []byte
	for _, fl := range fields {
		if len(fl.v) > 0 || (fl.tag == TagOtherName && len(d.OtherNames) > 0) {
			list = fl.tag.AppendTo(list)
		}
	}
	for _, u := range d.Unknown {
		list = unknownTag(u).AppendTo(list)
	}
	return encodeFile(f, func(b *tlv.Builder) error {
		b.Add(TagList, list)
		for _, fl := range fields {
			if fl.tag == TagOtherName {
				if err := addTextList(f, b, TagOtherName, d.OtherNames); err != nil {
					return err
				}
				continue
			}
			addBytes(b, fl.tag, fl.v)
		}
		return addUnknown(f, b, d.Unknown)
	})
}
