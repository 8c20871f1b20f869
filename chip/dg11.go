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

// fields lists DG11's fields in the order of Doc 9303-10.
func (d *DG11) fields() [13]listField {
	return [...]listField{
		{tag: TagFullName, text: &d.FullName},
		{tag: TagOtherName, list: &d.OtherNames},
		{tag: TagPersonalNumber, text: &d.PersonalNumber},
		{tag: TagFullDateOfBirth, date: &d.FullDateOfBirth},
		{tag: TagPlaceOfBirth, text: &d.PlaceOfBirth},
		{tag: TagAddress, text: &d.Address},
		{tag: TagTelephone, text: &d.Telephone},
		{tag: TagProfession, text: &d.Profession},
		{tag: TagTitle, text: &d.Title},
		{tag: TagPersonalSummary, text: &d.PersonalSummary},
		{tag: TagProofOfCitizenship, raw: &d.ProofOfCitizenship},
		{tag: TagOtherTDNumbers, text: &d.OtherTDNumbers},
		{tag: TagCustodyInfo, text: &d.CustodyInfo},
	}
}

// ParseDG11 parses DG11. The tag list is mandatory, though not checked
// against the fields present; other names are read from the 'A0' template
// (whose count must match) and, as some issuers write them, from '5F0F'
// objects directly in the file.
func ParseDG11(b []byte) (*DG11, error) {
	d := &DG11{}
	fields := d.fields()
	if err := parseListFile(EFDG11, b, fields[:], &d.Unknown); err != nil {
		return nil, err
	}
	return d, nil
}

// Encode returns DG11 as the chip stores it, fields in the order of Doc
// 9303-10 and the tag list naming them.
func (d *DG11) Encode() ([]byte, error) {
	fields := d.fields()
	return encodeListFile(EFDG11, fields[:], d.Unknown)
}
