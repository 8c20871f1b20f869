package bio

// ISO/IEC 19794-5:2005 face image record, as ICAO Doc 9303 Part 10 stores
// it in DG2. Layout (big-endian):
//
//	Facial record header, 14 bytes:
//	  format identifier "FAC\0" (4), version "010\0" (4),
//	  record length (4), number of facial images (2)
//	Per facial image:
//	  Facial information, 20 bytes:
//	    facial record data length (4) - this block, header to image end
//	    number of feature points (2), gender (1), eye colour (1),
//	    hair colour (1), property mask (3), expression (2),
//	    pose angle yaw, pitch, roll (3), pose angle uncertainty (3)
//	  Feature points, 8 bytes each:
//	    type (1), major code << 4 | minor code (1), x (2), y (2), reserved (2)
//	  Image information, 12 bytes:
//	    face image type (1), image data type (1), width (2), height (2),
//	    image colour space (1), source type (1), device type (2), quality (2)
//	  Image data

const (
	faceHeaderLen    = 14
	faceInfoLen      = 20
	featurePointLen  = 8
	faceImageInfoLen = 12
	faceMinBlockLen  = faceInfoLen + faceImageInfoLen
)

var (
	faceMagic = []byte("FAC\x00")
	version10 = []byte("010\x00")
)

// Gender of the subject (ISO/IEC 19794-5 §5.5.3).
type Gender uint8

// Gender values.
const (
	GenderUnspecified Gender = 0x00
	GenderMale        Gender = 0x01
	GenderFemale      Gender = 0x02
	GenderUnknown     Gender = 0xFF
)

// EyeColor of the subject (§5.5.4).
type EyeColor uint8

// Eye colour values.
const (
	EyeUnspecified  EyeColor = 0x00
	EyeBlack        EyeColor = 0x01
	EyeBlue         EyeColor = 0x02
	EyeBrown        EyeColor = 0x03
	EyeGray         EyeColor = 0x04
	EyeGreen        EyeColor = 0x05
	EyeMultiColored EyeColor = 0x06
	EyePink         EyeColor = 0x07
	EyeUnknown      EyeColor = 0xFF
)

// HairColor of the subject (§5.5.5).
type HairColor uint8

// Hair colour values.
const (
	HairUnspecified HairColor = 0x00
	HairBald        HairColor = 0x01
	HairBlack       HairColor = 0x02
	HairBlonde      HairColor = 0x03
	HairBrown       HairColor = 0x04
	HairGray        HairColor = 0x05
	HairWhite       HairColor = 0x06
	HairRed         HairColor = 0x07
	HairGreen       HairColor = 0x08
	HairBlue        HairColor = 0x09
	HairUnknown     HairColor = 0xFF
)

// FeatureMask is the 24-bit property mask (§5.5.6). FeaturesSpecified says
// whether the other bits mean anything.
type FeatureMask uint32

// Property mask bits.
const (
	FeaturesSpecified          FeatureMask = 1 << 0
	FeatureGlasses             FeatureMask = 1 << 1
	FeatureMoustache           FeatureMask = 1 << 2
	FeatureBeard               FeatureMask = 1 << 3
	FeatureTeeth               FeatureMask = 1 << 4
	FeatureBlink               FeatureMask = 1 << 5
	FeatureMouthOpen           FeatureMask = 1 << 6
	FeatureLeftEyePatch        FeatureMask = 1 << 7
	FeatureRightEyePatch       FeatureMask = 1 << 8
	FeatureDarkGlasses         FeatureMask = 1 << 9
	FeatureDistortingCondition FeatureMask = 1 << 10
)

// Expression of the face (§5.5.7).
type Expression uint16

// Expression values.
const (
	ExpressionUnspecified     Expression = 0
	ExpressionNeutral         Expression = 1
	ExpressionSmileClosed     Expression = 2
	ExpressionSmileOpen       Expression = 3
	ExpressionRaisedEyebrows  Expression = 4
	ExpressionEyesLookingAway Expression = 5
	ExpressionSquinting       Expression = 6
	ExpressionFrowning        Expression = 7
)

// PoseAngle holds the yaw, pitch and roll bytes of §5.5.8. Each is 0 when
// unspecified, else 1 to 181 for -180 to +180 degrees in steps of two (91
// is 0 degrees); see PoseDegrees and EncodePose. The uncertainty bytes use
// the same layout with their own scale (0 unspecified).
type PoseAngle struct {
	Yaw, Pitch, Roll uint8
}

// PoseDegrees converts a pose angle byte to degrees; ok is false for 0
// (unspecified) and for values above 181.
func PoseDegrees(v uint8) (deg int, ok bool) {
	if v == 0 || v > 181 {
		return 0, false
	}
	return (int(v)-1)*2 - 180, true
}

// EncodePose converts degrees in [-180, 180] to a pose angle byte, rounding
// to the two-degree step; values outside the range are clamped.
func EncodePose(deg int) uint8 {
	deg = max(-180, min(180, deg))
	return uint8((deg+180+1)/2 + 1)
}

// FeaturePoint is a feature point block (§5.6): a landmark of MPEG-4
// feature point numbering major.minor at pixel (X, Y).
type FeaturePoint struct {
	Type     uint8 // 1: 2D feature point
	Code     uint8 // major << 4 | minor
	X, Y     uint16
	Reserved uint16
}

// Major and Minor split the feature point code (for example 12.1).
func (p FeaturePoint) Major() uint8 { return p.Code >> 4 }

// Minor is the low nibble of Code.
func (p FeaturePoint) Minor() uint8 { return p.Code & 0x0F }

// FaceImageType (§5.7.1).
type FaceImageType uint8

// Face image types.
const (
	FaceBasic        FaceImageType = 0
	FaceFullFrontal  FaceImageType = 1
	FaceTokenFrontal FaceImageType = 2
)

// ImageDataType says how a face image is compressed (§5.7.2).
type ImageDataType uint8

// Image data types.
const (
	ImageDataJPEG     ImageDataType = 0
	ImageDataJPEG2000 ImageDataType = 1
)

// ColorSpace of a face image (§5.7.5).
type ColorSpace uint8

// Colour spaces.
const (
	ColorUnspecified ColorSpace = 0
	ColorRGB24       ColorSpace = 1
	ColorYUV422      ColorSpace = 2
	ColorGray8       ColorSpace = 3
	ColorOther       ColorSpace = 4
)

// SourceType of a face image (§5.7.6).
type SourceType uint8

// Source types.
const (
	SourceUnspecified       SourceType = 0
	SourceStaticUnknown     SourceType = 1
	SourceStaticDigitalCam  SourceType = 2
	SourceStaticScanner     SourceType = 3
	SourceVideoFrameUnknown SourceType = 4
	SourceVideoFrameAnalog  SourceType = 5
	SourceVideoFrameDigital SourceType = 6
	SourceUnknown           SourceType = 7
)

// Face is an ISO/IEC 19794-5:2005 face image record (the contents of the
// biometric data block of a DG2 template).
type Face struct {
	Images []FaceImage
}

// FaceImage is one facial record data block: the facial information, the
// feature points, the image information and the image.
type FaceImage struct {
	Gender          Gender
	EyeColor        EyeColor
	HairColor       HairColor
	Features        FeatureMask // 24 bits
	Expression      Expression
	Pose            PoseAngle
	PoseUncertainty PoseAngle
	FeaturePoints   []FeaturePoint

	Type       FaceImageType
	DataType   ImageDataType
	Width      uint16
	Height     uint16
	ColorSpace ColorSpace
	Source     SourceType
	DeviceType uint16
	Quality    uint16

	// Data is the encoded image (JPEG or JPEG 2000). Parsed records alias
	// the parser's input.
	Data []byte
}

// ParseFace decodes a face image record. The record length must equal
// len(b) and every facial record data length must match the blocks it
// announces. Images alias b.
func ParseFace(b []byte) (*Face, error) {
	c := cursor{b: b, record: RecordFace}
	if err := checkMagic(&c, faceMagic); err != nil {
		return nil, err
	}
	recLen := c.u32("record length")
	n := int(c.u16("number of facial images"))
	if c.err != nil {
		return nil, c.err
	}
	if err := checkRecordLength(&c, uint64(recLen), faceHeaderLen, 8); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, newErr(RecordFace, "number of facial images", 12, ErrCount)
	}
	if n > MaxImages {
		return nil, newErr(RecordFace, "number of facial images", 12, ErrTooLarge)
	}
	f := &Face{Images: make([]FaceImage, 0, n)}
	for range n {
		img, err := parseFaceImage(&c)
		if err != nil {
			return nil, err
		}
		f.Images = append(f.Images, img)
	}
	if c.remaining() != 0 {
		return nil, newErr(RecordFace, "number of facial images", 12, ErrCount)
	}
	return f, nil
}

// checkMagic reads the format identifier and the version.
func checkMagic(c *cursor, magic []byte) error {
	m := c.bytes("format identifier", 4)
	if c.err != nil {
		return c.err
	}
	if string(m) != string(magic) {
		return newErr(c.record, "format identifier", 0, ErrFormat)
	}
	v := c.bytes("version", 4)
	if c.err != nil {
		return c.err
	}
	if string(v) != string(version10) {
		return newErr(c.record, "version", 4, ErrVersion)
	}
	return nil
}

// checkRecordLength compares the record length field (at offset off) with
// the input: shorter than the header is ErrLength, longer than the input
// ErrTruncated, shorter than the input ErrTrailingData.
func checkRecordLength(c *cursor, recLen uint64, headerLen, off int) error {
	switch {
	case recLen < uint64(headerLen):
		return newErr(c.record, "record length", off, ErrLength)
	case recLen > uint64(len(c.b)):
		return newErr(c.record, "record length", off, ErrTruncated)
	case recLen < uint64(len(c.b)):
		return newErr(c.record, "record length", int(recLen), ErrTrailingData)
	}
	return nil
}

func parseFaceImage(c *cursor) (FaceImage, error) {
	var img FaceImage
	start := c.pos
	blockLen := c.u32("facial record data length")
	if c.err != nil {
		return img, c.err
	}
	if blockLen < faceMinBlockLen {
		return img, newErr(RecordFace, "facial record data length", start, ErrLength)
	}
	if uint64(blockLen) > uint64(len(c.b)-start) {
		return img, newErr(RecordFace, "facial record data length", start, ErrTruncated)
	}
	end := start + int(blockLen)
	s := cursor{b: c.b[:end], pos: c.pos, record: RecordFace}
	nfp := int(s.u16("number of feature points"))
	img.Gender = Gender(s.u8("gender"))
	img.EyeColor = EyeColor(s.u8("eye colour"))
	img.HairColor = HairColor(s.u8("hair colour"))
	img.Features = FeatureMask(s.u24("property mask"))
	img.Expression = Expression(s.u16("expression"))
	img.Pose = PoseAngle{s.u8("pose angle"), s.u8("pose angle"), s.u8("pose angle")}
	img.PoseUncertainty = PoseAngle{s.u8("pose angle uncertainty"), s.u8("pose angle uncertainty"), s.u8("pose angle uncertainty")}
	if s.err != nil {
		return img, s.err
	}
	if faceMinBlockLen+featurePointLen*nfp > int(blockLen) {
		return img, newErr(RecordFace, "number of feature points", start+4, ErrLength)
	}
	if nfp > 0 {
		img.FeaturePoints = make([]FeaturePoint, nfp)
		for i := range img.FeaturePoints {
			img.FeaturePoints[i] = FeaturePoint{
				Type: s.u8("feature type"), Code: s.u8("feature point"),
				X: s.u16("horizontal position"), Y: s.u16("vertical position"), Reserved: s.u16("reserved"),
			}
		}
	}
	img.Type = FaceImageType(s.u8("face image type"))
	img.DataType = ImageDataType(s.u8("image data type"))
	img.Width = s.u16("width")
	img.Height = s.u16("height")
	img.ColorSpace = ColorSpace(s.u8("image colour space"))
	img.Source = SourceType(s.u8("source type"))
	img.DeviceType = s.u16("device type")
	img.Quality = s.u16("quality")
	if s.err != nil {
		return img, s.err
	}
	if end-s.pos > MaxImageSize {
		return img, newErr(RecordFace, "image data", s.pos, ErrTooLarge)
	}
	img.Data = c.b[s.pos:end:end]
	c.pos = end
	return img, nil
}

func (img *FaceImage) blockLen() int {
	return faceMinBlockLen + featurePointLen*len(img.FeaturePoints) + len(img.Data)
}

// Encode returns the binary record.
func (f *Face) Encode() ([]byte, error) { return f.AppendBinary(nil) }

// MarshalBinary is Encode, for encoding.BinaryMarshaler.
func (f *Face) MarshalBinary() ([]byte, error) { return f.Encode() }

// AppendBinary appends the binary record to b, computing the record length
// and each facial record data length.
func (f *Face) AppendBinary(b []byte) ([]byte, error) {
	if len(f.Images) == 0 {
		return b, newErr(RecordFace, "number of facial images", 12, ErrCount)
	}
	if len(f.Images) > MaxImages {
		return b, newErr(RecordFace, "number of facial images", 12, ErrTooLarge)
	}
	total := faceHeaderLen
	for i := range f.Images {
		img := &f.Images[i]
		switch {
		case len(img.FeaturePoints) > 0xFFFF:
			return b, newErr(RecordFace, "number of feature points", total+4, ErrTooLarge)
		case img.Features > 0xFFFFFF:
			return b, newErr(RecordFace, "property mask", total+9, ErrValue)
		case len(img.Data) > MaxImageSize:
			return b, newErr(RecordFace, "image data", total+img.blockLen()-len(img.Data), ErrTooLarge)
		}
		total += img.blockLen()
	}
	b = growBytes(b, total)
	b = append(b, faceMagic...)
	b = append(b, version10...)
	b = appendU32(b, uint32(total))
	b = appendU16(b, uint16(len(f.Images)))
	for i := range f.Images {
		img := &f.Images[i]
		b = appendU32(b, uint32(img.blockLen()))
		b = appendU16(b, uint16(len(img.FeaturePoints)))
		b = append(b, byte(img.Gender), byte(img.EyeColor), byte(img.HairColor))
		b = appendU24(b, uint32(img.Features))
		b = appendU16(b, uint16(img.Expression))
		b = append(b, img.Pose.Yaw, img.Pose.Pitch, img.Pose.Roll,
			img.PoseUncertainty.Yaw, img.PoseUncertainty.Pitch, img.PoseUncertainty.Roll)
		for _, p := range img.FeaturePoints {
			b = append(b, p.Type, p.Code)
			b = appendU16(b, p.X)
			b = appendU16(b, p.Y)
			b = appendU16(b, p.Reserved)
		}
		b = append(b, byte(img.Type), byte(img.DataType))
		b = appendU16(b, img.Width)
		b = appendU16(b, img.Height)
		b = append(b, byte(img.ColorSpace), byte(img.Source))
		b = appendU16(b, img.DeviceType)
		b = appendU16(b, img.Quality)
		b = append(b, img.Data...)
	}
	return b, nil
}

// Image returns the first facial image and its format (see
// FaceImage.Image); a record without images gives nil and FormatUnknown.
func (f *Face) Image() (data []byte, format ImageFormat) {
	if len(f.Images) == 0 {
		return nil, FormatUnknown
	}
	return f.Images[0].Image()
}

// Image returns the encoded image and its format: the format recognized
// from the image's first bytes, or else the one the image data type
// declares.
func (img *FaceImage) Image() (data []byte, format ImageFormat) {
	format = DetectImageFormat(img.Data)
	if format == FormatUnknown {
		switch img.DataType {
		case ImageDataJPEG:
			format = FormatJPEG
		case ImageDataJPEG2000:
			format = FormatJPEG2000
		}
	}
	return img.Data, format
}

// CheckImage reports an ErrImageFormat when the image bytes are not of the
// type the image data type declares (JPEG, or JPEG 2000 as a codestream or
// a JP2 file).
func (img *FaceImage) CheckImage() error {
	f := DetectImageFormat(img.Data)
	ok := (img.DataType == ImageDataJPEG && f == FormatJPEG) ||
		(img.DataType == ImageDataJPEG2000 && f.IsJPEG2000())
	if !ok {
		return newErr(RecordFace, "image data type", 0, ErrImageFormat)
	}
	return nil
}

// NewFace builds a face record holding one full-frontal image. The image
// must be a JPEG or JPEG 2000 (codestream or JP2) of at most MaxImageSize
// bytes; its type, width, height and colour space (RGB24 for colour, GRAY8
// for greyscale) are read from its headers. Every other field is
// "unspecified" (zero): callers set Gender, Pose and the rest on
// f.Images[0] as they know them.
func NewFace(image []byte) (*Face, error) {
	if len(image) > MaxImageSize {
		return nil, newErr(RecordFace, "image data", 0, ErrTooLarge)
	}
	info, err := DecodeImageInfo(image)
	if err != nil {
		return nil, err
	}
	img := FaceImage{Type: FaceFullFrontal, Data: image}
	switch {
	case info.Format == FormatJPEG:
		img.DataType = ImageDataJPEG
	case info.Format.IsJPEG2000():
		img.DataType = ImageDataJPEG2000
	default:
		return nil, newErr(RecordFace, "image data type", 0, ErrImageFormat)
	}
	if info.Width > 0xFFFF || info.Height > 0xFFFF {
		return nil, newErr(RecordFace, "width", 0, ErrValue)
	}
	img.Width, img.Height = uint16(info.Width), uint16(info.Height)
	switch info.Components {
	case 1:
		img.ColorSpace = ColorGray8
	case 3:
		img.ColorSpace = ColorRGB24
	}
	return &Face{Images: []FaceImage{img}}, nil
}
