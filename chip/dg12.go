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

// fields lists DG12's fields in the order of Doc 9303-10.
func (d *DG12) fields() [9]listField {
	return [...]listField{
		{tag: TagIssuingAuthority, text: &d.IssuingAuthority},
		{tag: TagDateOfIssue, date: &d.DateOfIssue},
		{tag: TagOtherPerson, list: &d.OtherPersons},
		{tag: TagEndorsements, text: &d.Endorsements},
		{tag: TagTaxExitRequirements, text: &d.TaxExitRequirements},
		{tag: TagImageFront, raw: &d.ImageFront},
		{tag: TagImageRear, raw: &d.ImageRear},
		{tag: TagPersonalizationTime, date: &d.PersonalizationTime},
		{tag: TagPersonalizationSystemSN, text: &d.PersonalizationSystemSerial},
	}
}

// ParseDG12 parses DG12. The tag list is mandatory, though not checked
// against the fields present; the dates are read leniently (see Date).
func ParseDG12(b []byte) (*DG12, error) {
	d := &DG12{}
	fields := d.fields()
	if err := parseListFile(EFDG12, b, fields[:], &d.Unknown); err != nil {
		return nil, err
	}
	return d, nil
}

// Encode returns DG12 as the chip stores it, fields in the order of Doc
// 9303-10 and the tag list naming them.
func (d *DG12) Encode() ([]byte, error) {
	fields := d.fields()
	return encodeListFile(EFDG12, fields[:], d.Unknown)
}
