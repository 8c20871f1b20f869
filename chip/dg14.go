package chip

import (
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// DG14 holds the security options of the chip: '6E' { SecurityInfos },
// where SecurityInfos is a DER SET OF SecurityInfo (Doc 9303-11 §9.2): the
// protocols the chip supports (Chip Authentication, PACE, Terminal
// Authentication) and their public keys.
type DG14 struct {
	// SecurityInfos is the DER encoding of the SET, tag '31' included.
	SecurityInfos []byte
}

// ParseDG14 checks the outer tag and size of DG14 and that its contents are
// one DER SET, and keeps the SET.
func ParseDG14(b []byte) (*DG14, error) {
	outer, _, err := open(EFDG14, b)
	if err != nil {
		return nil, err
	}
	if err := checkOneDER(outer.Value, asn1.SET); err != nil {
		return nil, &ParseError{File: EFDG14, Tag: outer.Tag, Offset: outer.ValueOffset(), Err: err}
	}
	return &DG14{SecurityInfos: clone(outer.Value)}, nil
}

// NewDG14 returns a DG14 holding the DER encoding of s.
func NewDG14(s *secinfo.SecurityInfos) (*DG14, error) {
	set, err := s.Encode()
	if err != nil {
		return nil, &ParseError{File: EFDG14, Err: err}
	}
	return &DG14{SecurityInfos: set}, nil
}

// Infos parses the SecurityInfos with package crypto/secinfo, leniently
// (secinfo.Lenient: issued documents often have an unsorted SET). Errors
// are *ParseError values wrapping the secinfo error.
func (d *DG14) Infos() (*secinfo.SecurityInfos, error) {
	s, err := secinfo.Lenient.Parse(d.SecurityInfos)
	if err != nil {
		return nil, &ParseError{File: EFDG14, Tag: 0x31, Err: err}
	}
	return s, nil
}

// Encode returns DG14 as the chip stores it.
func (d *DG14) Encode() ([]byte, error) {
	if err := checkOneDER(d.SecurityInfos, asn1.SET); err != nil {
		return nil, &ParseError{File: EFDG14, Err: err}
	}
	return encodeFile(EFDG14, func(b *tlv.Builder) error {
		b.AddRaw(d.SecurityInfos)
		return nil
	})
}

// checkOneDER checks that b is exactly one DER element with the given tag.
func checkOneDER(b []byte, tag asn1.Tag) error {
	s := cryptobyte.String(b)
	var el cryptobyte.String
	if !s.ReadASN1Element(&el, tag) {
		return errorf(ErrInvalidValue, "not a DER %s", derName(tag))
	}
	if !s.Empty() {
		return errorf(ErrInvalidValue, "bytes after the DER %s", derName(tag))
	}
	return nil
}

func derName(tag asn1.Tag) string {
	switch tag {
	case asn1.SET:
		return "SET"
	case asn1.SEQUENCE:
		return "SEQUENCE"
	}
	return "element"
}
