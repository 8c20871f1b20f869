package bio

// ISO/IEC 19794-6:2005 iris image record (rectilinear images), as ICAO Doc
// 9303 Part 10 stores it in DG4 and as the Vietnamese CCCD of the 2023
// Identity Law carries it. Layout (big-endian):
//
//	Iris record header, 45 bytes (its length is itself a field):
//	  format identifier "IIR\0" (4), version "010\0" (4),
//	  record length (4), capture device ID (2),
//	  number of biometric subtypes (eyes, 0 to 2) (1),
//	  record header length (2), image property bit field (2),
//	  iris diameter (2), image format (2), raw image width (2),
//	  raw image height (2), intensity depth (1), image transformation (1),
//	  device unique identifier (16)
//	Per eye, a 3-byte biometric subtype header:
//	  biometric subtype (eye position) (1), number of images (2)
//	Per image, an 11-byte image header then the image:
//	  image sequence number (2), image quality (1),
//	  rotation angle of eye (2), rotation uncertainty (2),
//	  image length (4)
//
// The header fields (format, size, depth) apply to every image.

const (
	irisHeaderLen  = 45
	irisSubtypeLen = 3
	irisImageLen   = 11
	maxEyes        = 2
)

var irisMagic = []byte("IIR\x00")

// EyePosition is the biometric subtype of an eye block.
type EyePosition uint8

// Eye positions.
const (
	EyeUndefined EyePosition = 0
	EyeRight     EyePosition = 1
	EyeLeft      EyePosition = 2
)

// Subtype returns the CBEFF biometric subtype of the eye (SubtypeRight,
// SubtypeLeft or SubtypeNone).
func (p EyePosition) Subtype() BiometricSubtype {
	switch p {
	case EyeRight:
		return SubtypeRight
	case EyeLeft:
		return SubtypeLeft
	}
	return SubtypeNone
}

// IrisImageFormat is the image format field of the iris record header.
type IrisImageFormat uint16

// Iris image formats (ISO/IEC 19794-6:2005 Table 2). Some devices write
// other values (0x14 has been seen for monochrome JPEG 2000); parsers keep
// the value as read and Iris.Image sniffs the bytes.
const (
	IrisMonoRaw      IrisImageFormat = 0x0002
	IrisRGBRaw       IrisImageFormat = 0x0004
	IrisMonoJPEG     IrisImageFormat = 0x0006
	IrisRGBJPEG      IrisImageFormat = 0x0008
	IrisMonoJPEGLS   IrisImageFormat = 0x000A
	IrisRGBJPEGLS    IrisImageFormat = 0x000C
	IrisMonoJPEG2000 IrisImageFormat = 0x000E
	IrisRGBJPEG2000  IrisImageFormat = 0x0010
)

// Format returns the image format the code names, FormatUnknown for raw
// pixels and unassigned codes.
func (f IrisImageFormat) Format() ImageFormat {
	switch f {
	case IrisMonoJPEG, IrisRGBJPEG:
		return FormatJPEG
	case IrisMonoJPEGLS, IrisRGBJPEGLS:
		return FormatJPEGLS
	case IrisMonoJPEG2000, IrisRGBJPEG2000:
		return FormatJPEG2000
	}
	return FormatUnknown
}

// ImageProperties is the image property bit field of the iris record
// header. Bits 0-1 hold the horizontal orientation and bits 2-3 the
// vertical orientation (0 undefined, 1 base, 2 flipped). The higher bits
// (scan type, iris occlusions, occlusion filling, boundary extraction) are
// laid out differently by the implementations we could consult (NIST
// biomdi: scan type in bits 4-5; JMRTD: bits 4-6), so they are kept raw.
type ImageProperties uint16

// Orientation values.
const (
	OrientationUndefined = 0
	OrientationBase      = 1
	OrientationFlipped   = 2
)

// HorizontalOrientation returns bits 0-1.
func (p ImageProperties) HorizontalOrientation() int { return int(p & 0x3) }

// VerticalOrientation returns bits 2-3.
func (p ImageProperties) VerticalOrientation() int { return int(p>>2) & 0x3 }

// Special values of the iris image header.
const (
	IrisQualityNotComputed      = 254    // image quality
	IrisQualityNotAvailable     = 255    // image quality
	IrisRotationUndefined       = 0xFFFF // rotation angle and uncertainty
	IrisTransformationUndefined = 0      // image transformation
	IrisTransformationStandard  = 1      // image transformation: standard
)

// Iris is an ISO/IEC 19794-6:2005 iris image record (the contents of the
// biometric data block of a DG4 template).
type Iris struct {
	CaptureDeviceID uint16
	Properties      ImageProperties
	Diameter        uint16 // expected iris diameter in pixels
	Format          IrisImageFormat
	Width           uint16 // raw image width
	Height          uint16 // raw image height
	IntensityDepth  uint8  // bits per colour
	Transformation  uint8
	// DeviceUniqueID is 16 bytes: 'D' and a serial number, 'M' and a MAC
	// address, 'P' and a processor ID, or zeros.
	DeviceUniqueID [16]byte
	// HeaderExtra holds record header bytes beyond the 45 of the 2005
	// layout, when the record header length announces more (such as a
	// 16-byte global unique identifier some writers add).
	HeaderExtra []byte
	Eyes        []IrisEye
}

// IrisEye is a biometric subtype block: the images of one eye.
type IrisEye struct {
	Position EyePosition
	Images   []IrisImage
}

// IrisImage is one iris image with its header.
type IrisImage struct {
	Number  uint16 // image sequence number
	Quality uint8  // 0-100, IrisQualityNotComputed or IrisQualityNotAvailable
	// Rotation is the rotation angle of the eye, (65536*angle/360) modulo
	// 65536, or IrisRotationUndefined.
	Rotation uint16
	// RotationUncertainty is round(65536*uncertainty/180), or
	// IrisRotationUndefined.
	RotationUncertainty uint16
	// Data is the image, as the record's Format says. Parsed records alias
	// the parser's input.
	Data []byte
}

// ParseIris decodes an iris image record. The record length must equal
// len(b), the record header length must be at least 45, and each image
// length is checked against the bytes present. Images alias b.
func ParseIris(b []byte) (*Iris, error) {
	c := cursor{b: b, record: RecordIris}
	if err := checkMagic(&c, irisMagic); err != nil {
		return nil, err
	}
	recLen := c.u32("record length")
	ir := &Iris{CaptureDeviceID: c.u16("capture device ID")}
	nEyes := int(c.u8("number of biometric subtypes"))
	hdrLen := int(c.u16("record header length"))
	ir.Properties = ImageProperties(c.u16("image property bit field"))
	ir.Diameter = c.u16("iris diameter")
	ir.Format = IrisImageFormat(c.u16("image format"))
	ir.Width = c.u16("raw image width")
	ir.Height = c.u16("raw image height")
	ir.IntensityDepth = c.u8("intensity depth")
	ir.Transformation = c.u8("image transformation")
	copy(ir.DeviceUniqueID[:], c.bytes("device unique identifier", 16))
	if c.err != nil {
		return nil, c.err
	}
	if err := checkRecordLength(&c, uint64(recLen), irisHeaderLen, 8); err != nil {
		return nil, err
	}
	if nEyes > maxEyes {
		return nil, newErr(RecordIris, "number of biometric subtypes", 14, ErrCount)
	}
	if hdrLen < irisHeaderLen {
		return nil, newErr(RecordIris, "record header length", 15, ErrLength)
	}
	if hdrLen > len(b) {
		return nil, newErr(RecordIris, "record header length", 15, ErrTruncated)
	}
	if hdrLen > irisHeaderLen {
		ir.HeaderExtra = c.bytes("record header", hdrLen-irisHeaderLen)
	}
	if nEyes > 0 {
		ir.Eyes = make([]IrisEye, 0, nEyes)
	}
	for range nEyes {
		eye, err := parseIrisEye(&c)
		if err != nil {
			return nil, err
		}
		ir.Eyes = append(ir.Eyes, eye)
	}
	if c.remaining() != 0 {
		return nil, newErr(RecordIris, "number of biometric subtypes", 14, ErrCount)
	}
	return ir, nil
}

func parseIrisEye(c *cursor) (IrisEye, error) {
	var eye IrisEye
	eye.Position = EyePosition(c.u8("biometric subtype"))
	at := c.pos
	n := int(c.u16("number of images"))
	if c.err != nil {
		return eye, c.err
	}
	switch {
	case n == 0:
		return eye, newErr(RecordIris, "number of images", at, ErrCount)
	case n > MaxImages:
		return eye, newErr(RecordIris, "number of images", at, ErrTooLarge)
	case n*irisImageLen > c.remaining():
		return eye, newErr(RecordIris, "number of images", at, ErrTruncated)
	}
	eye.Images = make([]IrisImage, n)
	for i := range eye.Images {
		img := &eye.Images[i]
		img.Number = c.u16("image sequence number")
		img.Quality = c.u8("image quality")
		img.Rotation = c.u16("rotation angle")
		img.RotationUncertainty = c.u16("rotation uncertainty")
		lenAt := c.pos
		size := c.u32("image length")
		if c.err != nil {
			return eye, c.err
		}
		if uint64(size) > uint64(c.remaining()) {
			return eye, newErr(RecordIris, "image length", lenAt, ErrTruncated)
		}
		if size > MaxImageSize {
			return eye, newErr(RecordIris, "image length", lenAt, ErrTooLarge)
		}
		img.Data = c.bytes("image data", int(size))
	}
	return eye, nil
}

// Encode returns the binary record.
func (ir *Iris) Encode() ([]byte, error) { return ir.AppendBinary(nil) }

// MarshalBinary is Encode, for encoding.BinaryMarshaler.
func (ir *Iris) MarshalBinary() ([]byte, error) { return ir.Encode() }

// AppendBinary appends the binary record to b, computing the record
// length, the record header length (45 plus HeaderExtra) and the counts.
func (ir *Iris) AppendBinary(b []byte) ([]byte, error) {
	if len(ir.Eyes) > maxEyes {
		return b, newErr(RecordIris, "number of biometric subtypes", 14, ErrCount)
	}
	hdrLen := irisHeaderLen + len(ir.HeaderExtra)
	if hdrLen > 0xFFFF {
		return b, newErr(RecordIris, "record header length", 15, ErrTooLarge)
	}
	total := uint64(hdrLen)
	for _, eye := range ir.Eyes {
		switch {
		case len(eye.Images) == 0:
			return b, newErr(RecordIris, "number of images", int(total)+1, ErrCount)
		case len(eye.Images) > MaxImages:
			return b, newErr(RecordIris, "number of images", int(total)+1, ErrTooLarge)
		}
		total += irisSubtypeLen
		for _, img := range eye.Images {
			if len(img.Data) > MaxImageSize {
				return b, newErr(RecordIris, "image length", int(total)+7, ErrTooLarge)
			}
			total += irisImageLen + uint64(len(img.Data))
		}
	}
	b = growBytes(b, int(total))
	b = append(b, irisMagic...)
	b = append(b, version10...)
	b = appendU32(b, uint32(total))
	b = appendU16(b, ir.CaptureDeviceID)
	b = append(b, byte(len(ir.Eyes)))
	b = appendU16(b, uint16(hdrLen))
	b = appendU16(b, uint16(ir.Properties))
	b = appendU16(b, ir.Diameter)
	b = appendU16(b, uint16(ir.Format))
	b = appendU16(b, ir.Width)
	b = appendU16(b, ir.Height)
	b = append(b, ir.IntensityDepth, ir.Transformation)
	b = append(b, ir.DeviceUniqueID[:]...)
	b = append(b, ir.HeaderExtra...)
	for _, eye := range ir.Eyes {
		b = append(b, byte(eye.Position))
		b = appendU16(b, uint16(len(eye.Images)))
		for _, img := range eye.Images {
			b = appendU16(b, img.Number)
			b = append(b, img.Quality)
			b = appendU16(b, img.Rotation)
			b = appendU16(b, img.RotationUncertainty)
			b = appendU32(b, uint32(len(img.Data)))
			b = append(b, img.Data...)
		}
	}
	return b, nil
}

// Image returns the first image of the eye at position p and its format
// (see ImageData); nil and FormatUnknown if there is none.
func (ir *Iris) Image(p EyePosition) (data []byte, format ImageFormat) {
	for _, eye := range ir.Eyes {
		if eye.Position == p && len(eye.Images) > 0 {
			return ir.ImageData(&eye.Images[0])
		}
	}
	return nil, FormatUnknown
}

// ImageData returns img's bytes and format: the format recognized from
// the image's first bytes, or else the one the record's image format
// declares.
func (ir *Iris) ImageData(img *IrisImage) (data []byte, format ImageFormat) {
	if format = DetectImageFormat(img.Data); format == FormatUnknown {
		format = ir.Format.Format()
	}
	return img.Data, format
}

// NewIris builds an iris record from one image per eye; pass nil for an
// eye not captured (at least one is needed). Both images must be JPEG,
// JPEG-LS or JPEG 2000 (codestream or JP2) of the same format, size and number of
// components, since the record header describes them all. It sets the
// image format (mono or RGB from the components), width, height,
// intensity depth 8, base horizontal and vertical orientation, image
// number 1, quality IrisQualityNotComputed and rotation angle and
// uncertainty IrisRotationUndefined; other fields are zero.
func NewIris(right, left []byte) (*Iris, error) {
	ir := &Iris{IntensityDepth: 8, Properties: OrientationBase | OrientationBase<<2}
	var first ImageInfo
	for _, e := range []struct {
		pos  EyePosition
		data []byte
	}{{EyeRight, right}, {EyeLeft, left}} {
		if e.data == nil {
			continue
		}
		if len(e.data) > MaxImageSize {
			return nil, newErr(RecordIris, "image length", 0, ErrTooLarge)
		}
		info, err := DecodeImageInfo(e.data)
		if err != nil {
			return nil, err
		}
		var format IrisImageFormat
		switch {
		case info.Format == FormatJPEG && info.Components == 1:
			format = IrisMonoJPEG
		case info.Format == FormatJPEG:
			format = IrisRGBJPEG
		case info.Format == FormatJPEGLS && info.Components == 1:
			format = IrisMonoJPEGLS
		case info.Format == FormatJPEGLS:
			format = IrisRGBJPEGLS
		case info.Format.IsJPEG2000() && info.Components == 1:
			format = IrisMonoJPEG2000
		case info.Format.IsJPEG2000():
			format = IrisRGBJPEG2000
		default:
			return nil, newErr(RecordIris, "image format", 0, ErrImageFormat)
		}
		if info.Width > 0xFFFF || info.Height > 0xFFFF {
			return nil, newErr(RecordIris, "raw image width", 0, ErrValue)
		}
		if len(ir.Eyes) == 0 {
			first = info
			ir.Format, ir.Width, ir.Height = format, uint16(info.Width), uint16(info.Height)
		} else if format != ir.Format || info.Width != first.Width || info.Height != first.Height {
			return nil, newErr(RecordIris, "image format", 0, ErrImageFormat)
		}
		ir.Eyes = append(ir.Eyes, IrisEye{Position: e.pos, Images: []IrisImage{{
			Number: 1, Quality: IrisQualityNotComputed,
			Rotation: IrisRotationUndefined, RotationUncertainty: IrisRotationUndefined,
			Data: e.data,
		}}})
	}
	if len(ir.Eyes) == 0 {
		return nil, newErr(RecordIris, "number of biometric subtypes", 14, ErrCount)
	}
	return ir, nil
}
