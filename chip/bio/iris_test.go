package bio

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// irisKAT is an iris record written out field by field from the layout of
// ISO/IEC 19794-6:2005 (see iris.go): two eyes, one image each, monochrome
// JPEG 2000 640x480, 4-byte stand-in codestreams.
const irisKAT = "49495200 30313000 00000051" + // IIR, 010, record length 81
	"0000 02 002D 0005 00C8 000E 0280 01E0 08 00" + // device 0, 2 eyes, header 45, base/base, diameter 200, mono J2K, 640x480, 8 bits, undefined
	"44 53 4E 31 32 33 34 35 36 37 38 39 30 30 30 30" + // device unique ID "DSN1234567890000"
	"01 0001" + "0001 50 FFFF FFFF 00000004 FF4FFF51" + // right eye: image 1, quality 80, rotation undefined
	"02 0001" + "0001 5A 0000 0B61 00000004 FF4FFF51" // left eye: image 1, quality 90, rotation 0 +- 2.0 deg

func irisKATValue() *Iris {
	j := []byte{0xFF, 0x4F, 0xFF, 0x51}
	return &Iris{
		Properties: 0x0005, Diameter: 200, Format: IrisMonoJPEG2000, Width: 640, Height: 480, IntensityDepth: 8,
		DeviceUniqueID: [16]byte{'D', 'S', 'N', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '0', '0', '0'},
		Eyes: []IrisEye{
			{Position: EyeRight, Images: []IrisImage{{Number: 1, Quality: 80, Rotation: 0xFFFF, RotationUncertainty: 0xFFFF, Data: j}}},
			{Position: EyeLeft, Images: []IrisImage{{Number: 1, Quality: 90, RotationUncertainty: 0x0B61, Data: j}}},
		},
	}
}

func TestIrisKnownAnswer(t *testing.T) {
	want := vectors.Unhex(t, irisKAT)
	require.Len(t, want, 81)
	ir := requireKnownAnswer(t, want, irisKATValue, ParseIris)
	require.Equal(t, OrientationBase, ir.Properties.HorizontalOrientation())
	require.Equal(t, OrientationBase, ir.Properties.VerticalOrientation())
	data, format := ir.Image(EyeLeft)
	require.Equal(t, FormatJPEG2000, format)
	require.Equal(t, want[77:], data)
	data, format = ir.Image(EyeRight)
	require.Equal(t, FormatJPEG2000, format)
	require.Equal(t, want[59:63], data)
	data, format = ir.Image(EyeUndefined)
	require.Nil(t, data)
	require.Equal(t, FormatUnknown, format)
	mb, err := ir.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, want, mb)
}

func TestIrisRoundTrip(t *testing.T) {
	ir := &Iris{
		CaptureDeviceID: 0xBEEF, Properties: 0x03FF, Diameter: 1, Format: 0x0014, Width: 2, Height: 3,
		IntensityDepth: 16, Transformation: IrisTransformationStandard,
		HeaderExtra: bytes.Repeat([]byte{0x47}, 16), // a global unique identifier
		Eyes: []IrisEye{
			{Position: EyeUndefined, Images: []IrisImage{
				{Number: 1, Quality: IrisQualityNotAvailable, Data: []byte{}},
				{Number: 2, Quality: 100, Rotation: 0x4000, Data: genJPEG(t, 16, 16, true, 60)},
				{Number: 3, Data: bytes.Repeat([]byte{7}, 600)},
			}},
		},
	}
	out, err := ir.Encode()
	require.NoError(t, err)
	require.Equal(t, []byte{0, 61}, out[15:17], "record header length")
	back, err := ParseIris(out)
	require.NoError(t, err)
	require.Equal(t, ir, back)
	again, err := back.AppendBinary([]byte{9})
	require.NoError(t, err)
	require.Equal(t, append([]byte{9}, out...), again)
	_, format := back.Image(EyeUndefined)
	require.Equal(t, FormatUnknown, format, "empty image, unassigned format code")
	_, format = back.ImageData(&back.Eyes[0].Images[1])
	require.Equal(t, FormatJPEG, format)

	// No eyes at all is a valid (if useless) record.
	empty := &Iris{}
	out, err = empty.Encode()
	require.NoError(t, err)
	require.Len(t, out, 45)
	back, err = ParseIris(out)
	require.NoError(t, err)
	require.Equal(t, empty, back)
}

func TestIrisImageFormatCodes(t *testing.T) {
	for f, want := range map[IrisImageFormat]ImageFormat{
		IrisMonoRaw: FormatUnknown, IrisRGBRaw: FormatUnknown, IrisMonoJPEG: FormatJPEG, IrisRGBJPEG: FormatJPEG,
		IrisMonoJPEGLS: FormatJPEGLS, IrisRGBJPEGLS: FormatJPEGLS, IrisMonoJPEG2000: FormatJPEG2000,
		IrisRGBJPEG2000: FormatJPEG2000, 0x14: FormatUnknown,
	} {
		require.Equal(t, want, f.Format(), "code %#x", f)
	}
	for p, want := range map[EyePosition]BiometricSubtype{EyeRight: SubtypeRight, EyeLeft: SubtypeLeft, EyeUndefined: SubtypeNone, 3: SubtypeNone} {
		require.Equal(t, want, p.Subtype())
	}
}

func TestNewIris(t *testing.T) {
	r, l := genJPEG(t, 64, 48, true, 90), genJPEG(t, 64, 48, true, 80)
	ir, err := NewIris(r, l)
	require.NoError(t, err)
	img := func(d []byte) []IrisImage {
		return []IrisImage{{Number: 1, Quality: IrisQualityNotComputed, Rotation: 0xFFFF, RotationUncertainty: 0xFFFF, Data: d}}
	}
	require.Equal(t, &Iris{
		Properties: 0x0005, Format: IrisMonoJPEG, Width: 64, Height: 48, IntensityDepth: 8,
		Eyes: []IrisEye{{Position: EyeRight, Images: img(r)}, {Position: EyeLeft, Images: img(l)}},
	}, ir)
	out, err := ir.Encode()
	require.NoError(t, err)
	back, err := ParseIris(out)
	require.NoError(t, err)
	require.Equal(t, ir, back)

	for _, tc := range []struct {
		name  string
		image []byte
		f     IrisImageFormat
	}{
		{"rgb jpeg", genJPEG(t, 8, 8, false, 50), IrisRGBJPEG},
		{"mono jp2", jp2Header(t, 640, 480, 1), IrisMonoJPEG2000},
		{"rgb j2k", j2kHeader(t, 640, 480), IrisRGBJPEG2000},
		{"mono jpeg-ls", jlsHeader(640, 480, 1), IrisMonoJPEGLS},
		{"rgb jpeg-ls", jlsHeader(640, 480, 3), IrisRGBJPEGLS},
	} {
		ir, err := NewIris(nil, tc.image)
		require.NoError(t, err, tc.name)
		require.Equal(t, tc.f, ir.Format, tc.name)
		require.Len(t, ir.Eyes, 1)
		require.Equal(t, EyeLeft, ir.Eyes[0].Position)
	}
}

func TestNewIrisErrors(t *testing.T) {
	j := genJPEG(t, 8, 8, true, 50)
	_, err := NewIris(nil, nil)
	requireErr(t, err, ErrCount, RecordIris, "number of biometric subtypes", 14)
	_, err = NewIris(j, genJPEG(t, 9, 8, true, 50))
	requireErr(t, err, ErrImageFormat, RecordIris, "image format", 0)
	_, err = NewIris(j, genJPEG(t, 8, 8, false, 50))
	requireErr(t, err, ErrImageFormat, RecordIris, "image format", 0)
	_, err = NewIris(genPNG(t, 2, 2), nil)
	requireErr(t, err, ErrImageFormat, RecordIris, "image format", 0)
	_, err = NewIris([]byte{1}, nil)
	requireErr(t, err, ErrImageFormat, "image", "", 0)
	_, err = NewIris(make([]byte, MaxImageSize+1), nil)
	requireErr(t, err, ErrTooLarge, RecordIris, "image length", 0)
	_, err = NewIris(j2kHeader(t, 1, 1<<17), nil)
	requireErr(t, err, ErrValue, RecordIris, "raw image width", 0)
}

func TestParseIrisErrors(t *testing.T) {
	good := vectors.Unhex(t, irisKAT)
	with := func(off int, v ...byte) []byte {
		b := bytes.Clone(good)
		copy(b[off:], v)
		return b
	}
	hdr := setU32(good[:45], 8, 45)
	manyImages := append(with(14, 1)[:45], 1, 0, MaxImages+1)
	manyImages = setU32(manyImages, 8, uint32(len(manyImages)))
	fewBytes := setU32(append(with(14, 1)[:45], 1, 0, 2), 8, 48+11)
	fewBytes = append(fewBytes, make([]byte, 11)...)
	big := append(with(14, 1)[:45], 1, 0, 1, 0, 1, 0, 0, 0, 0, 0)
	big = appendU32(big, MaxImageSize+1)
	big = append(big, make([]byte, MaxImageSize+1)...)
	big = setU32(big, 8, uint32(len(big)))
	tests := []parseErrCase{
		{"face record", vectors.Unhex(t, faceKAT), ErrFormat, "format identifier", 0},
		{"version 020", with(4, '0', '2', '0'), ErrVersion, "version", 4},
		{"short header", good[:44], ErrTruncated, "device unique identifier", 29},
		{"record length small", setU32(good, 8, 44), ErrLength, "record length", 8},
		{"record length large", setU32(good, 8, 82), ErrTruncated, "record length", 8},
		{"trailing", append(bytes.Clone(good), 0), ErrTrailingData, "record length", 81},
		{"three eyes", with(14, 3), ErrCount, "number of biometric subtypes", 14},
		{"header length small", with(15, 0, 44), ErrLength, "record header length", 15},
		{"header length large", with(15, 0, 82), ErrTruncated, "record header length", 15},
		{"fewer eyes", with(14, 1), ErrCount, "number of biometric subtypes", 14},
		{"second eye cut", setU32(good[:70], 8, 70), ErrTruncated, "number of images", 64},
		{"eyes missing", with(14, 2)[:45], ErrTruncated, "record length", 8},
		{"no eye block", setU32(with(14, 1)[:45], 8, 45), ErrTruncated, "biometric subtype", 45},
		{"zero images", with(46, 0, 0), ErrCount, "number of images", 46},
		{"too many images", manyImages, ErrTooLarge, "number of images", 46},
		{"images exceed bytes", fewBytes, ErrTruncated, "number of images", 46},
		{"image length large", with(55, 0, 0, 0, 0x1D), ErrTruncated, "image length", 55},
		{"image too large", big, ErrTooLarge, "image length", 55},
		{"header bytes after header length", with(15, 0, 46), ErrTooLarge, "number of images", 47},
		{"zero eyes, bytes left", with(14, 0), ErrCount, "number of biometric subtypes", 14},
		{"header only, eyes announced", hdr, ErrTruncated, "biometric subtype", 45},
	}
	requireParseErrs(t, RecordIris, ParseIris, tests)
}

func TestIrisEncodeErrors(t *testing.T) {
	tests := []encodeErrCase[*Iris]{
		{"three eyes", &Iris{Eyes: make([]IrisEye, 3)}, ErrCount, "number of biometric subtypes"},
		{"header extra", &Iris{HeaderExtra: make([]byte, 0x10000)}, ErrTooLarge, "record header length"},
		{"no images", &Iris{Eyes: []IrisEye{{}}}, ErrCount, "number of images"},
		{"too many images", &Iris{Eyes: []IrisEye{{Images: make([]IrisImage, MaxImages+1)}}}, ErrTooLarge, "number of images"},
		{"image", &Iris{Eyes: []IrisEye{{Images: []IrisImage{{Data: make([]byte, MaxImageSize+1)}}}}}, ErrTooLarge, "image length"},
	}
	requireEncodeErrs(t, RecordIris, -1, tests)
}
