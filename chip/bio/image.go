package bio

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// ImageFormat is an image encoding as found inside biometric records.
type ImageFormat uint8

// Image formats that DetectImageFormat recognizes.
const (
	FormatUnknown  ImageFormat = iota
	FormatJPEG                 // ISO/IEC 10918 (JFIF/EXIF), starts FF D8 FF
	FormatJPEG2000             // ISO/IEC 15444-1 codestream, starts FF 4F FF 51
	FormatJP2                  // ISO/IEC 15444-1 JP2 file, starts with the 12-byte signature box
	FormatPNG                  // ISO/IEC 15948
	FormatWSQ                  // FBI Wavelet Scalar Quantization, starts FF A0
	FormatJPEGLS               // ISO/IEC 14495-1, a JPEG stream whose frame header is SOF55 (FF F7)
)

var formatNames = [...]string{"unknown", "JPEG", "JPEG 2000 codestream", "JP2", "PNG", "WSQ", "JPEG-LS"}

func (f ImageFormat) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return "unknown"
}

// MIMEType returns the media type of the format, or
// "application/octet-stream" when it is unknown.
func (f ImageFormat) MIMEType() string {
	switch f {
	case FormatJPEG:
		return "image/jpeg"
	case FormatJPEG2000:
		return "image/j2c"
	case FormatJP2:
		return "image/jp2"
	case FormatPNG:
		return "image/png"
	case FormatWSQ:
		return "image/x-wsq"
	case FormatJPEGLS:
		return "image/jls"
	}
	return "application/octet-stream"
}

// IsJPEG2000 reports whether f is a JPEG 2000 codestream or JP2 file: the
// records declare both as "JPEG 2000".
func (f ImageFormat) IsJPEG2000() bool { return f == FormatJPEG2000 || f == FormatJP2 }

var (
	sigJPEG = []byte{0xFF, 0xD8, 0xFF}
	sigJ2K  = []byte{0xFF, 0x4F, 0xFF, 0x51}
	sigJP2  = []byte{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A}
	sigPNG  = []byte{0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A}
)

// DetectImageFormat identifies an image by its first bytes: the JPEG SOI
// marker followed by another marker, the JPEG 2000 SOC and SIZ markers,
// the start of the JP2 signature box (its length and type, 00 00 00 0C
// 'jP  '), the PNG signature, or the WSQ SOI marker followed by another
// marker. It looks at no more than 8 bytes, except for JPEG streams, whose
// marker segments it follows (at most 64) to the frame header, to tell
// JPEG-LS (SOF55) from JPEG.
func DetectImageFormat(b []byte) ImageFormat {
	switch {
	case bytes.HasPrefix(b, sigJPEG):
		if m, _ := jpegFrame(b); m == 0xF7 {
			return FormatJPEGLS
		}
		return FormatJPEG
	case bytes.HasPrefix(b, sigJ2K):
		return FormatJPEG2000
	case bytes.HasPrefix(b, sigJP2[:8]):
		return FormatJP2
	case bytes.HasPrefix(b, sigPNG):
		return FormatPNG
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xA0 && b[2] == 0xFF:
		return FormatWSQ
	}
	return FormatUnknown
}

// ImageInfo is what the headers of an image say about it.
type ImageInfo struct {
	Format ImageFormat
	Width  int
	Height int
	// Components is the number of colour components (1 for greyscale,
	// 3 for colour); 0 when the format was not decoded that far.
	Components int
}

// DecodeImageInfo reads the format, the dimensions and the number of
// components from the headers of a JPEG, PNG, JPEG 2000 codestream or JP2
// image without decoding pixels. WSQ is recognized but its dimensions are
// not read (Width and Height stay 0). Unrecognized or malformed headers
// give an ErrImageFormat.
func DecodeImageInfo(b []byte) (ImageInfo, error) {
	info := ImageInfo{Format: DetectImageFormat(b)}
	var err error
	switch info.Format {
	case FormatJPEG:
		var cfg image.Config
		if cfg, err = jpeg.DecodeConfig(bytes.NewReader(b)); err == nil {
			info.Width, info.Height, info.Components = cfg.Width, cfg.Height, components(cfg.ColorModel)
		}
	case FormatPNG:
		var cfg image.Config
		if cfg, err = png.DecodeConfig(bytes.NewReader(b)); err == nil {
			info.Width, info.Height, info.Components = cfg.Width, cfg.Height, components(cfg.ColorModel)
		}
	case FormatJPEG2000:
		info, err = j2kInfo(b)
	case FormatJP2:
		info, err = jp2Info(b)
	case FormatJPEGLS:
		_, frame := jpegFrame(b)
		info, err = jpegLSInfo(frame)
	case FormatWSQ:
	default:
		err = ErrImageFormat
	}
	if err != nil {
		return ImageInfo{Format: info.Format}, newErr("image", "", 0, ErrImageFormat)
	}
	return info, nil
}

func components(m color.Model) int {
	switch m {
	case color.GrayModel, color.Gray16Model:
		return 1
	case color.CMYKModel:
		return 4
	}
	return 3
}

// j2kInfo reads the SIZ marker segment (ISO/IEC 15444-1 A.5.1) that
// follows SOC: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz,
// XTOsiz, YTOsiz, Csiz.
func j2kInfo(b []byte) (ImageInfo, error) {
	c := cursor{b: b, record: "J2K"}
	c.bytes("SOC SIZ", 4)
	c.u16("Lsiz")
	c.u16("Rsiz")
	xsiz, ysiz := c.u32("Xsiz"), c.u32("Ysiz")
	xo, yo := c.u32("XOsiz"), c.u32("YOsiz")
	c.bytes("tiles", 16)
	comps := c.u16("Csiz")
	if c.err != nil {
		return ImageInfo{}, c.err
	}
	if xo >= xsiz || yo >= ysiz || comps == 0 {
		return ImageInfo{}, ErrImageFormat
	}
	return ImageInfo{Format: FormatJPEG2000, Width: int(xsiz - xo), Height: int(ysiz - yo), Components: int(comps)}, nil
}

// jp2Info walks the JP2 boxes (ISO/IEC 15444-1 Annex I) to the image
// header box 'ihdr' inside the header box 'jp2h'.
func jp2Info(b []byte) (ImageInfo, error) {
	box, ok := findBox(b, "jp2h")
	if ok {
		box, ok = findBox(box, "ihdr")
	}
	if !ok || len(box) < 14 {
		return ImageInfo{}, ErrImageFormat
	}
	c := cursor{b: box, record: "JP2"}
	h, w, nc := c.u32("HEIGHT"), c.u32("WIDTH"), c.u16("NC")
	if w == 0 || h == 0 || nc == 0 || uint64(w) > 1<<31 || uint64(h) > 1<<31 {
		return ImageInfo{}, ErrImageFormat
	}
	return ImageInfo{Format: FormatJP2, Width: int(w), Height: int(h), Components: int(nc)}, nil
}

// findBox returns the contents of the first box of type typ in b.
func findBox(b []byte, typ string) ([]byte, bool) {
	for len(b) >= 8 {
		n := uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
		t := string(b[4:8])
		hdr := uint64(8)
		switch n {
		case 0:
			n = uint64(len(b))
		case 1:
			if len(b) < 16 {
				return nil, false
			}
			n = 0
			for _, x := range b[8:16] {
				n = n<<8 | uint64(x)
			}
			hdr = 16
		}
		if n < hdr || n > uint64(len(b)) {
			return nil, false
		}
		if t == typ {
			return b[hdr:n], true
		}
		b = b[n:]
	}
	return nil, false
}

// jpegFrame follows the marker segments of a JPEG stream (ISO/IEC 10918-1
// B.1.1, ISO/IEC 14495-1) from SOI to the first frame header (SOFn, or
// SOF55 for JPEG-LS) and returns its marker and its segment without the
// marker; 0 and nil if none is found within 64 segments.
func jpegFrame(b []byte) (marker byte, segment []byte) {
	pos := 2
	for range 64 {
		for pos+1 < len(b) && b[pos] == 0xFF && b[pos+1] == 0xFF {
			pos++ // fill bytes
		}
		if pos+4 > len(b) || b[pos] != 0xFF {
			return 0, nil
		}
		m := b[pos+1]
		if m == 0x01 || (m >= 0xD0 && m <= 0xD8) {
			pos += 2 // markers without a segment
			continue
		}
		n := int(b[pos+2])<<8 | int(b[pos+3])
		if n < 2 || pos+2+n > len(b) {
			return 0, nil
		}
		if m == 0xF7 || (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
			return m, b[pos+2 : pos+2+n]
		}
		if m == 0xDA || m == 0xD9 {
			return 0, nil // scan or end before any frame header
		}
		pos += 2 + n
	}
	return 0, nil
}

// jpegLSInfo reads a SOF55 frame header: Lf (2), P (1), Y (2), X (2), Nf (1).
func jpegLSInfo(frame []byte) (ImageInfo, error) {
	if len(frame) < 8 {
		return ImageInfo{}, ErrImageFormat
	}
	h := int(frame[3])<<8 | int(frame[4])
	w := int(frame[5])<<8 | int(frame[6])
	if w == 0 || h == 0 || frame[7] == 0 {
		return ImageInfo{}, ErrImageFormat
	}
	return ImageInfo{Format: FormatJPEGLS, Width: w, Height: h, Components: int(frame[7])}, nil
}
