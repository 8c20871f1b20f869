package chip

import (
	"fmt"
	"strings"

	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/tlv"
)

// TagMRZ is the tag of the MRZ inside DG1.
const TagMRZ tlv.Tag = 0x5F1F

// DG1 holds the machine readable zone: '61' { '5F1F' MRZ }, the zone's lines
// joined without separators (90 characters for a TD1 such as the CCCD, 72
// for a TD2, 88 for a TD3 passport).
//
// DG1 is personal data and, through the document number and dates, the
// BAC key seed: do not log it.
type DG1 struct {
	// Text is the MRZ as stored.
	Text string
	// MRZ is the decoded zone; nil when Text could not be read (see
	// ParseDG1Lenient).
	MRZ *mrz.MRZ
}

// NewDG1 returns a DG1 holding m.
func NewDG1(m *mrz.MRZ) (*DG1, error) {
	lines, err := m.Lines()
	if err != nil {
		return nil, &ParseError{File: EFDG1, Tag: TagMRZ, Err: err}
	}
	return &DG1{Text: strings.Join(lines, ""), MRZ: m}, nil
}

// ParseDG1 parses DG1 and its MRZ strictly (mrz.Parse): every check digit
// must be right. Errors wrap the mrz package's errors (mrz.ErrCheckDigit and
// the like) and never contain characters of the zone.
func ParseDG1(b []byte) (*DG1, error) {
	d, err := parseDG1(b, false)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// ParseDG1Lenient parses DG1 as issued, even when the MRZ has wrong check
// digits or cannot be decoded at all. Whenever the file itself is well
// formed it returns a DG1 with Text set, MRZ set when mrz.ParseLenient
// could decode it, and an error (a *ParseError wrapping the mrz errors)
// describing what was wrong with the zone, or nil. Errors in the file's
// framing return a nil DG1.
func ParseDG1Lenient(b []byte) (*DG1, error) { return parseDG1(b, true) }

func parseDG1(b []byte, lenient bool) (*DG1, error) {
	const f = EFDG1
	_, r, err := open(f, b)
	if err != nil {
		return nil, err
	}
	var field tlv.TLV
	found := false
	for r.Next() {
		t := r.TLV()
		if t.Tag != TagMRZ {
			return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: ErrWrongTag}
		}
		if found {
			return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: ErrDuplicateField}
		}
		field, found = t, true
	}
	if err := r.Err(); err != nil {
		return nil, perr(f, 0, 0, err)
	}
	if !found {
		return nil, &ParseError{File: f, Tag: TagMRZ, Err: ErrMissingField}
	}
	d := &DG1{Text: string(field.Value)}
	if !lenient {
		m, err := mrz.Parse(d.Text)
		if err != nil {
			return nil, &ParseError{File: f, Tag: TagMRZ, Offset: field.Offset, Err: err}
		}
		d.MRZ = m
		return d, nil
	}
	m, err := mrz.ParseLenient(d.Text)
	d.MRZ = m
	if err != nil {
		return d, &ParseError{File: f, Tag: TagMRZ, Offset: field.Offset, Err: err}
	}
	return d, nil
}

// Encode returns DG1 as the chip stores it: the lines of MRZ when it is
// set, Text otherwise.
func (d *DG1) Encode() ([]byte, error) {
	const f = EFDG1
	text := d.Text
	if d.MRZ != nil {
		lines, err := d.MRZ.Lines()
		if err != nil {
			return nil, &ParseError{File: f, Tag: TagMRZ, Err: err}
		}
		text = strings.Join(lines, "")
	}
	if text == "" {
		return nil, &ParseError{File: f, Tag: TagMRZ, Err: ErrMissingField}
	}
	return encodeFile(f, func(b *tlv.Builder) error {
		b.AddString(TagMRZ, text)
		return nil
	})
}

const redactedDG1 = "chip.DG1{REDACTED}"

// String hides the zone: DG1 holds the BAC key seed. Read Text or MRZ
// explicitly when the zone is needed.
func (d *DG1) String() string { return redactedDG1 }

// GoString hides the zone, as String does.
func (d *DG1) GoString() string { return redactedDG1 }

// Format hides the zone from every fmt verb.
func (d *DG1) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redactedDG1)) }
