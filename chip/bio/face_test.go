package bio

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// faceKAT is a face record written out field by field from the layout of
// ISO/IEC 19794-5:2005 (see face.go): one image with one feature point
// (12.1, the right eye centre, at 0x40,0x50) and a 4-byte stand-in image.
const faceKAT = "46414300 30313000 0000003A 0001" + // FAC, 010, record length 58, 1 image
	"0000002C 0001 01 03 02 000003 0001 5B5B5B 000000" + // block length 44, 1 point, male, brown eyes, black hair, specified|glasses, neutral, pose 0/0/0
	"01 C1 0040 0050 0000" + // 2D point 12.1
	"01 00 00A0 00C8 01 02 0000 0000" + // full frontal, JPEG, 160x200, RGB24, digital camera
	"FFD8FFD9"

func kat() *Face {
	return &Face{Images: []FaceImage{{
		Gender: GenderMale, EyeColor: EyeBrown, HairColor: HairBlack,
		Features: FeaturesSpecified | FeatureGlasses, Expression: ExpressionNeutral,
		Pose:          PoseAngle{91, 91, 91},
		FeaturePoints: []FeaturePoint{{Type: 1, Code: 0xC1, X: 0x40, Y: 0x50}},
		Type:          FaceFullFrontal, DataType: ImageDataJPEG, Width: 160, Height: 200,
		ColorSpace: ColorRGB24, Source: SourceStaticDigitalCam,
		Data: []byte{0xFF, 0xD8, 0xFF, 0xD9},
	}}}
}

func TestFaceKnownAnswer(t *testing.T) {
	want := vectors.Unhex(t, faceKAT)
	f := requireKnownAnswer(t, want, kat, ParseFace)
	p := f.Images[0].FeaturePoints[0]
	require.Equal(t, uint8(12), p.Major())
	require.Equal(t, uint8(1), p.Minor())
	for _, a := range []uint8{f.Images[0].Pose.Yaw, f.Images[0].Pose.Pitch, f.Images[0].Pose.Roll} {
		d, ok := PoseDegrees(a)
		require.True(t, ok)
		require.Zero(t, d)
	}
	data, format := f.Image()
	require.Equal(t, FormatJPEG, format)
	require.Equal(t, []byte{0xFF, 0xD8, 0xFF, 0xD9}, data)
	require.NoError(t, f.Images[0].CheckImage())
	mb, err := f.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, want, mb)
}

func TestFaceRoundTrip(t *testing.T) {
	jpg := genJPEG(t, 40, 50, false, 80)
	f := &Face{Images: []FaceImage{
		{
			Gender: GenderFemale, EyeColor: EyeMultiColored, HairColor: HairUnknown,
			Features: FeaturesSpecified | FeatureDistortingCondition | FeatureMouthOpen, Expression: ExpressionFrowning,
			Pose: PoseAngle{EncodePose(-30), EncodePose(10), EncodePose(180)}, PoseUncertainty: PoseAngle{1, 2, 3},
			FeaturePoints: []FeaturePoint{{1, 0x31, 1, 2, 0}, {1, 0x32, 3, 4, 0xBEEF}, {2, 0xFF, 0xFFFF, 0, 7}},
			Type:          FaceTokenFrontal, DataType: ImageDataJPEG, Width: 40, Height: 50,
			ColorSpace: ColorYUV422, Source: SourceVideoFrameDigital, DeviceType: 0x1234, Quality: 0xFFFF,
			Data: jpg,
		},
		{Type: FaceBasic, DataType: ImageDataJPEG2000, Data: j2kHeader(t, 8, 8)},
		{Type: FaceBasic, DataType: 7, Data: []byte{}},
	}}
	out, err := f.Encode()
	require.NoError(t, err)
	back, err := ParseFace(out)
	require.NoError(t, err)
	require.Equal(t, f, back)
	again, err := back.AppendBinary([]byte{1})
	require.NoError(t, err)
	require.Equal(t, append([]byte{1}, out...), again)
	_, format := back.Images[1].Image()
	require.Equal(t, FormatJPEG2000, format)
	_, format = back.Images[2].Image()
	require.Equal(t, FormatUnknown, format)
}

func TestFaceImageFallback(t *testing.T) {
	for _, tc := range []struct {
		dt   ImageDataType
		want ImageFormat
	}{{ImageDataJPEG, FormatJPEG}, {ImageDataJPEG2000, FormatJPEG2000}, {9, FormatUnknown}} {
		img := FaceImage{DataType: tc.dt, Data: []byte{1, 2, 3}}
		_, f := img.Image()
		require.Equal(t, tc.want, f)
		requireErr(t, img.CheckImage(), ErrImageFormat, RecordFace, "image data type", 0)
	}
	img := FaceImage{DataType: ImageDataJPEG2000, Data: jp2Header(t, 1, 1, 1)}
	require.NoError(t, img.CheckImage())
	img.DataType = ImageDataJPEG
	require.Error(t, img.CheckImage())
	data, f := (&Face{}).Image()
	require.Nil(t, data)
	require.Equal(t, FormatUnknown, f)
}

func TestPose(t *testing.T) {
	for _, tc := range []struct {
		deg int
		v   uint8
	}{{-180, 1}, {-90, 46}, {0, 91}, {2, 92}, {1, 92}, {90, 136}, {180, 181}, {-999, 1}, {999, 181}} {
		require.Equal(t, tc.v, EncodePose(tc.deg), "deg %d", tc.deg)
	}
	for _, v := range []uint8{1, 46, 91, 92, 181} {
		d, ok := PoseDegrees(v)
		require.True(t, ok)
		require.Equal(t, v, EncodePose(d))
	}
	_, ok := PoseDegrees(0)
	require.False(t, ok)
	_, ok = PoseDegrees(182)
	require.False(t, ok)
}

func TestNewFace(t *testing.T) {
	for _, tc := range []struct {
		name  string
		image []byte
		dt    ImageDataType
		w, h  uint16
		cs    ColorSpace
	}{
		{"jpeg colour", genJPEG(t, 48, 64, false, 70), ImageDataJPEG, 48, 64, ColorRGB24},
		{"jpeg grey", genJPEG(t, 30, 20, true, 70), ImageDataJPEG, 30, 20, ColorGray8},
		{"j2k", j2kHeader(t, 240, 320), ImageDataJPEG2000, 240, 320, ColorRGB24},
		{"jp2 grey", jp2Header(t, 100, 120, 1), ImageDataJPEG2000, 100, 120, ColorGray8},
		{"jp2 cmyk", jp2Header(t, 100, 120, 4), ImageDataJPEG2000, 100, 120, ColorUnspecified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := NewFace(tc.image)
			require.NoError(t, err)
			img := f.Images[0]
			require.Equal(t, FaceFullFrontal, img.Type)
			require.Equal(t, tc.dt, img.DataType)
			require.Equal(t, tc.w, img.Width)
			require.Equal(t, tc.h, img.Height)
			require.Equal(t, tc.cs, img.ColorSpace)
			require.NoError(t, img.CheckImage())
			out, err := f.Encode()
			require.NoError(t, err)
			back, err := ParseFace(out)
			require.NoError(t, err)
			require.Equal(t, f, back)
			data, _ := back.Image()
			require.Equal(t, tc.image, data)
		})
	}
}

func TestNewFaceErrors(t *testing.T) {
	_, err := NewFace(genPNG(t, 4, 4))
	requireErr(t, err, ErrImageFormat, RecordFace, "image data type", 0)
	_, err = NewFace(wsqHeader)
	requireErr(t, err, ErrImageFormat, RecordFace, "image data type", 0)
	_, err = NewFace([]byte("not an image"))
	requireErr(t, err, ErrImageFormat, "image", "", 0)
	_, err = NewFace(append(genJPEG(t, 8, 8, false, 50), make([]byte, MaxImageSize)...))
	requireErr(t, err, ErrTooLarge, RecordFace, "image data", 0)
	_, err = NewFace(j2kHeader(t, 70000, 10))
	requireErr(t, err, ErrValue, RecordFace, "width", 0)
}

func setU32(b []byte, off int, v uint32) []byte {
	b = bytes.Clone(b)
	putU32(b[off:], v)
	return b
}

func TestParseFaceErrors(t *testing.T) {
	good := vectors.Unhex(t, faceKAT)
	two := func() []byte { // count 2, one block
		b := bytes.Clone(good)
		b[13] = 2
		return b
	}
	extra := func() []byte { // one image announced, bytes for a second
		b := append(bytes.Clone(good), good[14:]...)
		putU32(b[8:], uint32(len(b)))
		return b
	}
	tooMany := func() []byte {
		b := bytes.Clone(good)
		b[12], b[13] = 0, MaxImages+1
		return b
	}
	fpOverflow := func() []byte {
		b := bytes.Clone(good)
		b[18], b[19] = 0, 3 // three points in a 44-byte block
		return b
	}
	bigImage := func() []byte {
		f := kat()
		f.Images[0].Data = make([]byte, MaxImageSize+1)
		b := append(vectors.Unhex(t, faceKAT)[:14], make([]byte, 0)...)
		blk := 32 + 8 + MaxImageSize + 1
		b = setU32(b, 8, uint32(14+blk))
		b = append(b, good[14:54]...)
		putU32(b[14:], uint32(blk))
		return append(b, make([]byte, MaxImageSize+1)...)
	}
	tests := []parseErrCase{
		{"empty", nil, ErrTruncated, "format identifier", 0},
		{"other record", []byte("FIR\x00010\x00"), ErrFormat, "format identifier", 0},
		{"version 030", []byte("FAC\x00030\x00\x00\x00\x00\x0e\x00\x01"), ErrVersion, "version", 4},
		{"short version", []byte("FAC\x0001"), ErrTruncated, "version", 4},
		{"short header", good[:13], ErrTruncated, "number of facial images", 12},
		{"record length small", setU32(good, 8, 13), ErrLength, "record length", 8},
		{"record length large", setU32(good, 8, 59), ErrTruncated, "record length", 8},
		{"trailing", append(bytes.Clone(good), 0), ErrTrailingData, "record length", 58},
		{"no images", setU32(good[:14], 8, 14)[:12], ErrTruncated, "number of facial images", 12},
		{"zero images", append(setU32(good[:12], 8, 14), 0, 0), ErrCount, "number of facial images", 12},
		{"too many images", tooMany(), ErrTooLarge, "number of facial images", 12},
		{"missing image", two(), ErrTruncated, "facial record data length", 58},
		{"extra image", extra(), ErrCount, "number of facial images", 12},
		{"block length small", setU32(good, 14, 31), ErrLength, "facial record data length", 14},
		{"block length large", setU32(good, 14, 45), ErrTruncated, "facial record data length", 14},
		{"feature points overflow", fpOverflow(), ErrLength, "number of feature points", 18},
		{"image too large", bigImage(), ErrTooLarge, "image data", 54},
	}
	requireParseErrs(t, RecordFace, ParseFace, tests)
}

func TestFaceEncodeErrors(t *testing.T) {
	mod := func(f func(*FaceImage)) *Face {
		k := kat()
		f(&k.Images[0])
		return k
	}
	tests := []encodeErrCase[*Face]{
		{"no images", &Face{}, ErrCount, "number of facial images"},
		{"too many", &Face{Images: make([]FaceImage, MaxImages+1)}, ErrTooLarge, "number of facial images"},
		{"points", mod(func(i *FaceImage) { i.FeaturePoints = make([]FeaturePoint, 0x10000) }), ErrTooLarge, "number of feature points"},
		{"mask", mod(func(i *FaceImage) { i.Features = 1 << 24 }), ErrValue, "property mask"},
		{"image", mod(func(i *FaceImage) { i.Data = make([]byte, MaxImageSize+1) }), ErrTooLarge, "image data"},
	}
	requireEncodeErrs(t, RecordFace, -1, tests)
}

func putU32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}
