package chip

import (
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/tlv"
)

// Tags of the displayed images of DG5, DG6 and DG7 (Doc 9303-10 §4.7.5 to
// §4.7.7).
const (
	TagDisplayedPortrait  tlv.Tag = 0x5F40 // displayed portrait (DG5)
	TagDisplayedSignature tlv.Tag = 0x5F43 // displayed signature or usual mark (DG7)
)

// DisplayedImages is DG5 (displayed portrait), DG6 (reserved, same layout)
// or DG7 (displayed signature or usual mark): '65', '66' or '67' { '02'
// count, '5F40' or '5F43' image ... }. The images are ISO/IEC 10918 (JPEG)
// or JPEG 2000 bytes, kept as stored.
type DisplayedImages struct {
	// File is EFDG5, EFDG6 or EFDG7.
	File   File
	Images []DisplayedImage
}

// DisplayedImage is one image of DG5, DG6 or DG7.
type DisplayedImage struct {
	// Tag is TagDisplayedPortrait or TagDisplayedSignature.
	Tag  tlv.Tag
	Data []byte
}

// Format returns the image's format, recognized from its first bytes.
func (i DisplayedImage) Format() bio.ImageFormat { return bio.DetectImageFormat(i.Data) }

func displayedFile(f File) bool { return f == EFDG5 || f == EFDG6 || f == EFDG7 }

// ParseDG5 parses DG5, the displayed portrait.
func ParseDG5(b []byte) (*DisplayedImages, error) { return ParseDisplayedImages(EFDG5, b) }

// ParseDG6 parses DG6, laid out as DG5.
func ParseDG6(b []byte) (*DisplayedImages, error) { return ParseDisplayedImages(EFDG6, b) }

// ParseDG7 parses DG7, the displayed signature or usual mark.
func ParseDG7(b []byte) (*DisplayedImages, error) { return ParseDisplayedImages(EFDG7, b) }

// ParseDisplayedImages parses DG5, DG6 or DG7 (f says which). The count is
// mandatory and must match the images; either image tag is accepted in any
// of the three files.
func ParseDisplayedImages(f File, b []byte) (*DisplayedImages, error) {
	if !displayedFile(f) {
		return nil, &ParseError{File: f, Err: ErrUnknownFile}
	}
	_, r, err := open(f, b)
	if err != nil {
		return nil, err
	}
	d := &DisplayedImages{File: f}
	count := -1
	for r.Next() {
		t := r.TLV()
		switch {
		case t.Tag == TagCount && count < 0 && len(d.Images) == 0:
			if count, err = countValue(f, t); err != nil {
				return nil, err
			}
		case (t.Tag == TagDisplayedPortrait || t.Tag == TagDisplayedSignature) && count >= 0:
			d.Images = append(d.Images, DisplayedImage{Tag: t.Tag, Data: clone(t.Value)})
		default:
			return nil, &ParseError{File: f, Tag: t.Tag, Offset: t.Offset, Err: ErrWrongTag}
		}
	}
	if err := r.Err(); err != nil {
		return nil, perr(f, 0, 0, err)
	}
	if count < 0 {
		return nil, &ParseError{File: f, Tag: TagCount, Err: ErrMissingField}
	}
	if count != len(d.Images) {
		return nil, &ParseError{File: f, Tag: TagCount, Err: errorf(ErrInvalidValue, "count does not match the images")}
	}
	return d, nil
}

// Encode returns the file as the chip stores it.
func (d *DisplayedImages) Encode() ([]byte, error) {
	f := d.File
	if !displayedFile(f) {
		return nil, &ParseError{File: f, Err: ErrUnknownFile}
	}
	if len(d.Images) > 99 {
		return nil, &ParseError{File: f, Tag: TagCount, Err: errorf(ErrTooLarge, "more than 99 images")}
	}
	return encodeFile(f, func(b *tlv.Builder) error {
		b.AddByte(TagCount, byte(len(d.Images)))
		for _, im := range d.Images {
			if im.Tag != TagDisplayedPortrait && im.Tag != TagDisplayedSignature {
				return &ParseError{File: f, Tag: im.Tag, Err: ErrWrongTag}
			}
			b.Add(im.Tag, im.Data)
		}
		return nil
	})
}
