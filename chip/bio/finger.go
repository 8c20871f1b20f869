package bio

// ISO/IEC 19794-4:2005 finger image record, as ICAO Doc 9303 Part 10
// stores it in DG3. Layout (big-endian):
//
//	General record header, 32 bytes:
//	  format identifier "FIR\0" (4), version "010\0" (4),
//	  record length (6), capture device ID (2),
//	  image acquisition level (2), number of fingers/palms (1),
//	  scale units (1), horizontal and vertical scan resolution (2+2),
//	  horizontal and vertical image resolution (2+2), pixel depth (1),
//	  image compression algorithm (1), reserved (2)
//	Per finger view, a 14-byte finger image header then the image:
//	  finger data block length (4) - header and image, finger position (1),
//	  count of views (1), view number (1), finger image quality (1),
//	  impression type (1), horizontal line length (2),
//	  vertical line length (2), reserved (1)

const (
	fingerHeaderLen = 32
	fingerViewLen   = 14
)

var fingerMagic = []byte("FIR\x00")

// FingerPosition codes (ISO/IEC 19794-4 Table 2, from ANSI/NIST-ITL).
type FingerPosition uint8

// Finger positions.
const (
	FingerUnknown      FingerPosition = 0
	RightThumb         FingerPosition = 1
	RightIndex         FingerPosition = 2
	RightMiddle        FingerPosition = 3
	RightRing          FingerPosition = 4
	RightLittle        FingerPosition = 5
	LeftThumb          FingerPosition = 6
	LeftIndex          FingerPosition = 7
	LeftMiddle         FingerPosition = 8
	LeftRing           FingerPosition = 9
	LeftLittle         FingerPosition = 10
	PlainRightThumb    FingerPosition = 11
	PlainLeftThumb     FingerPosition = 12
	PlainRightFour     FingerPosition = 13
	PlainLeftFour      FingerPosition = 14
	PlainThumbs        FingerPosition = 15
	maxSingleFingerPos                = LeftLittle
)

// Subtype returns the CBEFF biometric subtype of a single finger (side and
// finger bits), or SubtypeNone for other positions.
func (p FingerPosition) Subtype() BiometricSubtype {
	if p < RightThumb || p > maxSingleFingerPos {
		return SubtypeNone
	}
	side, i := SubtypeRight, int(p-RightThumb)
	if p >= LeftThumb {
		side, i = SubtypeLeft, int(p-LeftThumb)
	}
	fingers := [...]BiometricSubtype{SubtypeThumb, SubtypePointer, SubtypeMiddle, SubtypeRing, SubtypeLittle}
	return side | fingers[i]
}

// ImpressionType (ISO/IEC 19794-4 Table 3).
type ImpressionType uint8

// Impression types.
const (
	ImpressionLivePlain       ImpressionType = 0
	ImpressionLiveRolled      ImpressionType = 1
	ImpressionNonLivePlain    ImpressionType = 2
	ImpressionNonLiveRolled   ImpressionType = 3
	ImpressionSwipe           ImpressionType = 8
	ImpressionLiveContactless ImpressionType = 9
)

// ScaleUnits of the resolutions.
type ScaleUnits uint8

// Scale units.
const (
	PixelsPerInch ScaleUnits = 1
	PixelsPerCm   ScaleUnits = 2
)

// Compression is the image compression algorithm of a finger record.
type Compression uint8

// Compression algorithms.
const (
	CompressionNone      Compression = 0 // uncompressed, no bit packing
	CompressionBitPacked Compression = 1 // uncompressed, bit packed
	CompressionWSQ       Compression = 2
	CompressionJPEG      Compression = 3
	CompressionJPEG2000  Compression = 4
	CompressionPNG       Compression = 5
)

// Format returns the image format this algorithm produces, or
// FormatUnknown for the uncompressed forms.
func (c Compression) Format() ImageFormat {
	switch c {
	case CompressionWSQ:
		return FormatWSQ
	case CompressionJPEG:
		return FormatJPEG
	case CompressionJPEG2000:
		return FormatJPEG2000
	case CompressionPNG:
		return FormatPNG
	}
	return FormatUnknown
}

func compressionOf(f ImageFormat) (Compression, bool) {
	switch f {
	case FormatWSQ:
		return CompressionWSQ, true
	case FormatJPEG:
		return CompressionJPEG, true
	case FormatJPEG2000, FormatJP2:
		return CompressionJPEG2000, true
	case FormatPNG:
		return CompressionPNG, true
	}
	return 0, false
}

// Finger is an ISO/IEC 19794-4:2005 finger image record (the contents of
// the biometric data block of a DG3 template). The header fields apply to
// every view.
type Finger struct {
	CaptureDeviceID  uint16
	AcquisitionLevel uint16
	// FingerCount is the "number of fingers/palms" field. Zero encodes as
	// the number of distinct positions among Views.
	FingerCount      uint8
	ScaleUnits       ScaleUnits
	ScanResolutionX  uint16
	ScanResolutionY  uint16
	ImageResolutionX uint16
	ImageResolutionY uint16
	PixelDepth       uint8
	Compression      Compression
	Reserved         uint16
	Views            []FingerView
}

// FingerView is one finger image record: a view of one finger.
type FingerView struct {
	Position   FingerPosition
	ViewCount  uint8
	ViewNumber uint8
	Quality    uint8
	Impression ImpressionType
	Width      uint16 // horizontal line length
	Height     uint16 // vertical line length
	Reserved   uint8
	// Data is the image, compressed as Finger.Compression says. Parsed
	// records alias the parser's input.
	Data []byte
}

// ParseFinger decodes a finger image record. The record length must equal
// len(b); views are read until it is consumed, each finger data block
// length checked against the bytes present. Images alias b.
func ParseFinger(b []byte) (*Finger, error) {
	c := cursor{b: b, record: RecordFinger}
	if err := checkMagic(&c, fingerMagic); err != nil {
		return nil, err
	}
	recLen := c.u48("record length")
	f := &Finger{
		CaptureDeviceID:  c.u16("capture device ID"),
		AcquisitionLevel: c.u16("image acquisition level"),
		FingerCount:      c.u8("number of fingers"),
		ScaleUnits:       ScaleUnits(c.u8("scale units")),
		ScanResolutionX:  c.u16("horizontal scan resolution"),
		ScanResolutionY:  c.u16("vertical scan resolution"),
		ImageResolutionX: c.u16("horizontal image resolution"),
		ImageResolutionY: c.u16("vertical image resolution"),
		PixelDepth:       c.u8("pixel depth"),
		Compression:      Compression(c.u8("image compression algorithm")),
		Reserved:         c.u16("reserved"),
	}
	if c.err != nil {
		return nil, c.err
	}
	if err := checkRecordLength(&c, recLen, fingerHeaderLen, 8); err != nil {
		return nil, err
	}
	if f.FingerCount == 0 {
		return nil, newErr(RecordFinger, "number of fingers", 18, ErrCount)
	}
	for c.remaining() > 0 {
		if len(f.Views) == MaxImages {
			return nil, newErr(RecordFinger, "finger data block length", c.pos, ErrTooLarge)
		}
		v, err := parseFingerView(&c)
		if err != nil {
			return nil, err
		}
		f.Views = append(f.Views, v)
	}
	if len(f.Views) == 0 || int(f.FingerCount) > len(f.Views) {
		return nil, newErr(RecordFinger, "number of fingers", 18, ErrCount)
	}
	return f, nil
}

func parseFingerView(c *cursor) (FingerView, error) {
	var v FingerView
	start := c.pos
	blockLen := c.u32("finger data block length")
	if c.err != nil {
		return v, c.err
	}
	if blockLen < fingerViewLen {
		return v, newErr(RecordFinger, "finger data block length", start, ErrLength)
	}
	if uint64(blockLen) > uint64(len(c.b)-start) {
		return v, newErr(RecordFinger, "finger data block length", start, ErrTruncated)
	}
	end := start + int(blockLen)
	v.Position = FingerPosition(c.u8("finger position"))
	v.ViewCount = c.u8("count of views")
	v.ViewNumber = c.u8("view number")
	v.Quality = c.u8("finger image quality")
	v.Impression = ImpressionType(c.u8("impression type"))
	v.Width = c.u16("horizontal line length")
	v.Height = c.u16("vertical line length")
	v.Reserved = c.u8("reserved")
	if c.err != nil {
		return v, c.err
	}
	if end-c.pos > MaxImageSize {
		return v, newErr(RecordFinger, "image data", c.pos, ErrTooLarge)
	}
	v.Data = c.b[c.pos:end:end]
	c.pos = end
	return v, nil
}

func (f *Finger) fingerCount() uint8 {
	if f.FingerCount != 0 {
		return f.FingerCount
	}
	var seen [256]bool
	n := 0
	for _, v := range f.Views {
		if !seen[v.Position] {
			seen[v.Position] = true
			n++
		}
	}
	return uint8(n)
}

// Encode returns the binary record.
func (f *Finger) Encode() ([]byte, error) { return f.AppendBinary(nil) }

// MarshalBinary is Encode, for encoding.BinaryMarshaler.
func (f *Finger) MarshalBinary() ([]byte, error) { return f.Encode() }

// AppendBinary appends the binary record to b, computing the record length
// and each finger data block length.
func (f *Finger) AppendBinary(b []byte) ([]byte, error) {
	if len(f.Views) == 0 {
		return b, newErr(RecordFinger, "number of fingers", 18, ErrCount)
	}
	if len(f.Views) > MaxImages {
		return b, newErr(RecordFinger, "finger data block length", fingerHeaderLen, ErrTooLarge)
	}
	if int(f.fingerCount()) > len(f.Views) {
		return b, newErr(RecordFinger, "number of fingers", 18, ErrCount)
	}
	total := fingerHeaderLen
	for i := range f.Views {
		if len(f.Views[i].Data) > MaxImageSize {
			return b, newErr(RecordFinger, "image data", total+fingerViewLen, ErrTooLarge)
		}
		total += fingerViewLen + len(f.Views[i].Data)
	}
	b = growBytes(b, total)
	b = append(b, fingerMagic...)
	b = append(b, version10...)
	b = appendU48(b, uint64(total))
	b = appendU16(b, f.CaptureDeviceID)
	b = appendU16(b, f.AcquisitionLevel)
	b = append(b, f.fingerCount(), byte(f.ScaleUnits))
	b = appendU16(b, f.ScanResolutionX)
	b = appendU16(b, f.ScanResolutionY)
	b = appendU16(b, f.ImageResolutionX)
	b = appendU16(b, f.ImageResolutionY)
	b = append(b, f.PixelDepth, byte(f.Compression))
	b = appendU16(b, f.Reserved)
	for i := range f.Views {
		v := &f.Views[i]
		b = appendU32(b, uint32(fingerViewLen+len(v.Data)))
		b = append(b, byte(v.Position), v.ViewCount, v.ViewNumber, v.Quality, byte(v.Impression))
		b = appendU16(b, v.Width)
		b = appendU16(b, v.Height)
		b = append(b, v.Reserved)
		b = append(b, v.Data...)
	}
	return b, nil
}

// Image returns the first view's image and its format (see ImageAt).
func (f *Finger) Image() (data []byte, format ImageFormat) { return f.ImageAt(0) }

// ImageAt returns the image of view i and its format: the format
// recognized from the image's first bytes, or else the one the compression
// algorithm declares (FormatUnknown for uncompressed pixels). An index out
// of range gives nil and FormatUnknown.
func (f *Finger) ImageAt(i int) (data []byte, format ImageFormat) {
	if i < 0 || i >= len(f.Views) {
		return nil, FormatUnknown
	}
	data = f.Views[i].Data
	if format = DetectImageFormat(data); format == FormatUnknown {
		format = f.Compression.Format()
	}
	return data, format
}

// NewFinger builds a finger record from one or more views whose Data are
// compressed images of one format (WSQ, JPEG, JPEG 2000 or PNG), scanned
// at ppi pixels per inch. It sets the compression algorithm from the
// images, the resolutions to ppi, the pixel depth to 8, the acquisition
// level to 31 for 500 ppi and 41 for 1000 ppi (ISO/IEC 19794-4 Table 1),
// a view count and number of 1 where they are zero, and each view's width
// and height from its image where they are zero and the format tells them
// (WSQ does not: set them). Views are copied; their Data are not.
func NewFinger(ppi uint16, views ...FingerView) (*Finger, error) {
	if len(views) == 0 {
		return nil, newErr(RecordFinger, "number of fingers", 18, ErrCount)
	}
	if len(views) > MaxImages {
		return nil, newErr(RecordFinger, "finger data block length", fingerHeaderLen, ErrTooLarge)
	}
	f := &Finger{
		ScaleUnits: PixelsPerInch, PixelDepth: 8,
		ScanResolutionX: ppi, ScanResolutionY: ppi, ImageResolutionX: ppi, ImageResolutionY: ppi,
		Views: append([]FingerView(nil), views...),
	}
	switch ppi {
	case 500:
		f.AcquisitionLevel = 31
	case 1000:
		f.AcquisitionLevel = 41
	}
	for i := range f.Views {
		v := &f.Views[i]
		if len(v.Data) > MaxImageSize {
			return nil, newErr(RecordFinger, "image data", 0, ErrTooLarge)
		}
		info, err := DecodeImageInfo(v.Data)
		if err != nil {
			return nil, err
		}
		comp, ok := compressionOf(info.Format)
		if !ok || (i > 0 && comp != f.Compression) {
			return nil, newErr(RecordFinger, "image compression algorithm", 0, ErrImageFormat)
		}
		f.Compression = comp
		if info.Width > 0xFFFF || info.Height > 0xFFFF {
			return nil, newErr(RecordFinger, "horizontal line length", 0, ErrValue)
		}
		if v.Width == 0 && v.Height == 0 {
			v.Width, v.Height = uint16(info.Width), uint16(info.Height)
		}
		if v.ViewCount == 0 {
			v.ViewCount = 1
		}
		if v.ViewNumber == 0 {
			v.ViewNumber = 1
		}
	}
	f.FingerCount = f.fingerCount()
	return f, nil
}
