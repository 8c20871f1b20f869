package apdu

import (
	"errors"

	"github.com/cancuoc/cancuoc/tlv"
)

// MaxFCPLen bounds the FCP templates ParseFCP accepts; real ones are a few
// dozen bytes.
const MaxFCPLen = 1024

// FCP holds the file control parameters a card returns to SELECT with
// P2 = '04' (or inside an FCI), template '62' of ISO/IEC 7816-4 §7.4.3.
type FCP struct {
	// Size is the number of data bytes of a transparent EF (object '80'),
	// -1 if absent.
	Size int
	// TotalSize is the number of bytes the file takes including its
	// structural information (object '81'), -1 if absent.
	TotalSize int
	// Descriptor is the file descriptor byte and its optional data coding
	// and record bytes (object '82'), nil if absent.
	Descriptor []byte
	// FID is the file identifier (object '83'), valid if HasFID.
	FID    uint16
	HasFID bool
	// DFName is the DF name (object '84'), nil if absent.
	DFName []byte
	// SFI is the short EF identifier (object '88', bits 8-4), 0 if absent.
	SFI byte
	// Raw is the whole template as given, aliasing the input.
	Raw []byte
}

// ParseFCP decodes an FCP template '62', or finds it inside an FCI
// template '6F'. Errors are *FormatError values wrapping ErrFCP, ErrTooLong
// or a tlv error; the offsets of errors inside the template count from the
// start of its value.
func ParseFCP(b []byte) (FCP, error) {
	if len(b) > MaxFCPLen {
		return FCP{}, formatErr("FCP", MaxFCPLen, ErrTooLong)
	}
	t, err := tlv.ParseOne(b)
	if err != nil {
		return FCP{}, &FormatError{What: "FCP", Err: err}
	}
	if t.Tag == 0x6F {
		inner, err := tlv.Find(t.Value, 0x62)
		if err != nil {
			return FCP{}, &FormatError{What: "FCP", Offset: t.ValueOffset(), Err: err}
		}
		t = inner
	}
	if t.Tag != 0x62 {
		return FCP{}, formatErr("FCP", 0, ErrFCP)
	}
	f := FCP{Size: -1, TotalSize: -1, Raw: t.Raw}
	r := tlv.NewReader(t.Value)
	for r.Next() {
		o := r.TLV()
		switch o.Tag {
		case 0x80, 0x81:
			if len(o.Value) == 0 || len(o.Value) > 4 {
				return FCP{}, &FormatError{What: "FCP size", Offset: o.Offset, Err: ErrFCP}
			}
			n := 0
			for _, x := range o.Value {
				n = n<<8 | int(x)
			}
			if o.Tag == 0x80 {
				f.Size = n
			} else {
				f.TotalSize = n
			}
		case 0x82:
			if len(o.Value) == 0 || len(o.Value) > 6 {
				return FCP{}, &FormatError{What: "FCP descriptor", Offset: o.Offset, Err: ErrFCP}
			}
			f.Descriptor = o.Value
		case 0x83:
			if len(o.Value) != 2 {
				return FCP{}, &FormatError{What: "FCP file identifier", Offset: o.Offset, Err: ErrFCP}
			}
			f.FID, f.HasFID = uint16(o.Value[0])<<8|uint16(o.Value[1]), true
		case 0x84:
			if len(o.Value) == 0 || len(o.Value) > 16 {
				return FCP{}, &FormatError{What: "FCP DF name", Offset: o.Offset, Err: ErrFCP}
			}
			f.DFName = o.Value
		case 0x88:
			if len(o.Value) > 1 {
				return FCP{}, &FormatError{What: "FCP SFI", Offset: o.Offset, Err: ErrFCP}
			}
			if len(o.Value) == 1 {
				f.SFI = o.Value[0] >> 3
			}
		}
	}
	if err := r.Err(); err != nil {
		var te *tlv.Error
		off := 0
		if errors.As(err, &te) {
			off = te.Offset
		}
		return FCP{}, &FormatError{What: "FCP", Offset: off, Err: err}
	}
	return f, nil
}
