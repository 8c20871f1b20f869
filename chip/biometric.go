package chip

import (
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/tlv"
)

// Biometric is DG2 (encoded face), DG3 (encoded fingerprints) or DG4
// (encoded irises): '75', '63' or '76' { '7F61' biometric information group
// template }. Package chip/bio reads the group and the ISO/IEC 19794
// records inside; DG3 and DG4 are protected by Extended Access Control and
// are read only by terminals that passed Terminal Authentication.
type Biometric struct {
	// File is EFDG2, EFDG3 or EFDG4.
	File  File
	Group *bio.Group
}

func biometricFile(f File) bool { return f == EFDG2 || f == EFDG3 || f == EFDG4 }

// ParseDG2 parses DG2, the encoded face.
func ParseDG2(b []byte) (*Biometric, error) { return ParseBiometric(EFDG2, b) }

// ParseBiometric parses DG2, DG3 or DG4 (f says which): the outer tag here,
// the group with bio.ParseGroupLenient. The result does not alias b.
func ParseBiometric(f File, b []byte) (*Biometric, error) {
	if !biometricFile(f) {
		return nil, &ParseError{File: f, Err: ErrUnknownFile}
	}
	outer, _, err := open(f, b)
	if err != nil {
		return nil, err
	}
	g, err := bio.ParseGroupLenient(clone(outer.Value))
	if err != nil {
		return nil, &ParseError{File: f, Tag: bio.TagGroup, Offset: outer.ValueOffset(), Err: err}
	}
	return &Biometric{File: f, Group: g}, nil
}

// Face returns the first face record of DG2 that is not enciphered.
func (d *Biometric) Face() (*bio.Face, error) {
	if d.File != EFDG2 || d.Group == nil {
		return nil, &ParseError{File: d.File, Err: errorf(ErrMissingField, "no face group")}
	}
	for _, t := range d.Group.Templates {
		if t.Enciphered {
			continue
		}
		face, err := bio.ParseFace(t.Data)
		if err != nil {
			return nil, &ParseError{File: d.File, Tag: bio.TagGroup, Err: err}
		}
		return face, nil
	}
	return nil, &ParseError{File: d.File, Tag: bio.TagGroup, Err: errorf(ErrMissingField, "no plain face record")}
}

// Encode returns the file as the chip stores it.
func (d *Biometric) Encode() ([]byte, error) {
	if !biometricFile(d.File) {
		return nil, &ParseError{File: d.File, Err: ErrUnknownFile}
	}
	if d.Group == nil {
		return nil, &ParseError{File: d.File, Tag: bio.TagGroup, Err: ErrMissingField}
	}
	g, err := d.Group.Encode()
	if err != nil {
		return nil, &ParseError{File: d.File, Tag: bio.TagGroup, Err: err}
	}
	return encodeFile(d.File, func(b *tlv.Builder) error {
		b.AddRaw(g)
		return nil
	})
}
