package chip

import "github.com/cancuoc/cancuoc/tlv"

// DG13 holds optional details defined by the issuing State: '6D' { ... }.
// Doc 9303 leaves its contents to the issuer; this type keeps them as bytes.
// The Vietnamese CCCD profile is parsed by package chip/cccd.
type DG13 struct {
	// Content is the value of '6D': the issuer's objects, as encoded.
	Content []byte
}

// ParseDG13 checks the outer tag and size of DG13 and keeps its contents.
func ParseDG13(b []byte) (*DG13, error) {
	outer, _, err := open(EFDG13, b)
	if err != nil {
		return nil, err
	}
	return &DG13{Content: clone(outer.Value)}, nil
}

// Objects returns a Reader over the top-level objects of the contents,
// with the lenient framing of this package and offsets counted from the
// start of Content.
func (d *DG13) Objects() tlv.Reader { return decoding.NewReader(d.Content) }

// Encode returns DG13 as the chip stores it.
func (d *DG13) Encode() ([]byte, error) {
	return encodeFile(EFDG13, func(b *tlv.Builder) error {
		b.AddRaw(d.Content)
		return nil
	})
}
