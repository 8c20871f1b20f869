package bio

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// fingerKAT is a finger record written out field by field from the layout
// of ISO/IEC 19794-4:2005 (see finger.go): 500 ppi, WSQ, two views (right
// index, left index) with 8-byte stand-in images.
const fingerKAT = "46495200 30313000 00000000004C" + // FIR, 010, record length 76
	"0000 001F 02 01 01F4 01F4 01F4 01F4 08 02 0000" + // device 0, level 31, 2 fingers, ppi, 500x4, depth 8, WSQ
	"00000016 02 01 01 3C 00 0190 01F4 00" + "FFA0FFA8 00024142" + // right index, quality 60, live plain, 400x500
	"00000016 07 01 01 50 01 0190 01F4 00" + "FFA0FFA8 00024344" // left index, quality 80, live rolled

func fingerKATValue() *Finger {
	return &Finger{
		AcquisitionLevel: 31, FingerCount: 2, ScaleUnits: PixelsPerInch,
		ScanResolutionX: 500, ScanResolutionY: 500, ImageResolutionX: 500, ImageResolutionY: 500,
		PixelDepth: 8, Compression: CompressionWSQ,
		Views: []FingerView{
			{Position: RightIndex, ViewCount: 1, ViewNumber: 1, Quality: 60, Impression: ImpressionLivePlain, Width: 400, Height: 500,
				Data: []byte{0xFF, 0xA0, 0xFF, 0xA8, 0x00, 0x02, 'A', 'B'}},
			{Position: LeftIndex, ViewCount: 1, ViewNumber: 1, Quality: 80, Impression: ImpressionLiveRolled, Width: 400, Height: 500,
				Data: []byte{0xFF, 0xA0, 0xFF, 0xA8, 0x00, 0x02, 'C', 'D'}},
		},
	}
}

func TestFingerKnownAnswer(t *testing.T) {
	want := vectors.Unhex(t, fingerKAT)
	f := requireKnownAnswer(t, want, fingerKATValue, ParseFinger)
	data, format := f.Image()
	require.Equal(t, FormatWSQ, format)
	require.Equal(t, want[46:54], data)
	data, format = f.ImageAt(1)
	require.Equal(t, FormatWSQ, format)
	require.Equal(t, want[68:], data)
	data, format = f.ImageAt(2)
	require.Nil(t, data)
	require.Equal(t, FormatUnknown, format)
	mb, err := f.MarshalBinary()
	require.NoError(t, err)
	require.Equal(t, want, mb)
}

func TestFingerRoundTrip(t *testing.T) {
	f := &Finger{
		CaptureDeviceID: 0xFFFF, AcquisitionLevel: 41, ScaleUnits: PixelsPerCm,
		ScanResolutionX: 394, ScanResolutionY: 395, ImageResolutionX: 196, ImageResolutionY: 197,
		PixelDepth: 1, Compression: CompressionBitPacked, Reserved: 0xA5A5,
		Views: []FingerView{
			{Position: PlainRightFour, ViewCount: 2, ViewNumber: 1, Quality: 254, Impression: ImpressionSwipe, Width: 1, Height: 2, Reserved: 9, Data: []byte{0xAA}},
			{Position: PlainRightFour, ViewCount: 2, ViewNumber: 2, Impression: ImpressionLiveContactless, Data: []byte{}},
			{Position: LeftThumb, Data: bytes.Repeat([]byte{0x55}, 1000)},
		},
	}
	out, err := f.Encode()
	require.NoError(t, err)
	require.Equal(t, uint8(2), out[18], "finger count computed from distinct positions")
	back, err := ParseFinger(out)
	require.NoError(t, err)
	f.FingerCount = 2
	require.Equal(t, f, back)
	again, err := back.AppendBinary(nil)
	require.NoError(t, err)
	require.Equal(t, out, again)
	_, format := back.ImageAt(0)
	require.Equal(t, FormatUnknown, format)
}

func TestCompressionFormat(t *testing.T) {
	for c, want := range map[Compression]ImageFormat{
		CompressionNone: FormatUnknown, CompressionBitPacked: FormatUnknown, CompressionWSQ: FormatWSQ,
		CompressionJPEG: FormatJPEG, CompressionJPEG2000: FormatJPEG2000, CompressionPNG: FormatPNG, 6: FormatUnknown,
	} {
		require.Equal(t, want, c.Format(), "compression %d", c)
		f := &Finger{Compression: c, Views: []FingerView{{Data: []byte{1}}}}
		_, got := f.Image()
		require.Equal(t, want, got)
	}
}

func TestFingerSubtype(t *testing.T) {
	for p, want := range map[FingerPosition]BiometricSubtype{
		FingerUnknown: SubtypeNone,
		RightThumb:    0x05, RightIndex: 0x09, RightMiddle: 0x0D, RightRing: 0x11, RightLittle: 0x15,
		LeftThumb: 0x06, LeftIndex: 0x0A, LeftMiddle: 0x0E, LeftRing: 0x12, LeftLittle: 0x16,
		PlainRightThumb: SubtypeNone, PlainThumbs: SubtypeNone, 200: SubtypeNone,
	} {
		require.Equal(t, want, p.Subtype(), "position %d", p)
	}
}

func TestNewFinger(t *testing.T) {
	j1, j2 := genJPEG(t, 40, 60, true, 90), genJPEG(t, 41, 61, true, 90)
	f, err := NewFinger(500, FingerView{Position: RightIndex, Data: j1}, FingerView{Position: LeftIndex, Data: j2, Quality: 70})
	require.NoError(t, err)
	require.Equal(t, &Finger{
		AcquisitionLevel: 31, FingerCount: 2, ScaleUnits: PixelsPerInch,
		ScanResolutionX: 500, ScanResolutionY: 500, ImageResolutionX: 500, ImageResolutionY: 500,
		PixelDepth: 8, Compression: CompressionJPEG,
		Views: []FingerView{
			{Position: RightIndex, ViewCount: 1, ViewNumber: 1, Width: 40, Height: 60, Data: j1},
			{Position: LeftIndex, ViewCount: 1, ViewNumber: 1, Quality: 70, Width: 41, Height: 61, Data: j2},
		},
	}, f)
	out, err := f.Encode()
	require.NoError(t, err)
	back, err := ParseFinger(out)
	require.NoError(t, err)
	require.Equal(t, f, back)

	f, err = NewFinger(1000, FingerView{Position: RightThumb, Data: wsqHeader, Width: 10, Height: 20})
	require.NoError(t, err)
	require.Equal(t, uint16(41), f.AcquisitionLevel)
	require.Equal(t, CompressionWSQ, f.Compression)
	require.Equal(t, uint16(10), f.Views[0].Width)
	for _, img := range [][]byte{genPNG(t, 3, 4), j2kHeader(t, 5, 6), jp2Header(t, 5, 6, 1)} {
		f, err = NewFinger(250, FingerView{Data: img})
		require.NoError(t, err)
		require.Zero(t, f.AcquisitionLevel)
		require.NotZero(t, f.Views[0].Width)
	}
}

func TestNewFingerErrors(t *testing.T) {
	j := genJPEG(t, 8, 8, true, 50)
	_, err := NewFinger(500)
	requireErr(t, err, ErrCount, RecordFinger, "number of fingers", -1)
	_, err = NewFinger(500, make([]FingerView, MaxImages+1)...)
	requireErr(t, err, ErrTooLarge, RecordFinger, "", -1)
	_, err = NewFinger(500, FingerView{Data: j}, FingerView{Data: wsqHeader})
	requireErr(t, err, ErrImageFormat, RecordFinger, "image compression algorithm", 0)
	_, err = NewFinger(500, FingerView{Data: []byte("raw")})
	requireErr(t, err, ErrImageFormat, "image", "", 0)
	_, err = NewFinger(500, FingerView{Data: make([]byte, MaxImageSize+1)})
	requireErr(t, err, ErrTooLarge, RecordFinger, "image data", 0)
	_, err = NewFinger(500, FingerView{Data: j2kHeader(t, 10, 70000)})
	requireErr(t, err, ErrValue, RecordFinger, "horizontal line length", 0)
}

func setU48(b []byte, off int, v uint64) []byte {
	b = bytes.Clone(b)
	copy(b[off:], appendU48(nil, v))
	return b
}

func TestParseFingerErrors(t *testing.T) {
	good := vectors.Unhex(t, fingerKAT)
	withByte := func(off int, v byte) []byte {
		b := bytes.Clone(good)
		b[off] = v
		return b
	}
	header := setU48(good[:32], 8, 32)
	many := bytes.Clone(header)
	for range MaxImages + 1 {
		many = append(many, 0, 0, 0, 14, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
	}
	many = setU48(many, 8, uint64(len(many)))
	big := append(bytes.Clone(good[:46]), make([]byte, MaxImageSize+1)...)
	big = setU48(big, 8, uint64(len(big)))
	big = setU32(big, 32, uint32(14+MaxImageSize+1))
	big[18] = 1
	tests := []parseErrCase{
		{"face record", vectors.Unhex(t, faceKAT), ErrFormat, "format identifier", 0},
		{"version", append([]byte("FIR\x00020\x00"), good[8:]...), ErrVersion, "version", 4},
		{"short header", good[:31], ErrTruncated, "reserved", 30},
		{"record length small", setU48(good, 8, 31), ErrLength, "record length", 8},
		{"record length large", setU48(good, 8, 77), ErrTruncated, "record length", 8},
		{"trailing", append(bytes.Clone(good), 0), ErrTrailingData, "record length", 76},
		{"zero fingers", withByte(18, 0), ErrCount, "number of fingers", 18},
		{"no views", header, ErrCount, "number of fingers", 18},
		{"more fingers than views", withByte(18, 3), ErrCount, "number of fingers", 18},
		{"too many views", many, ErrTooLarge, "finger data block length", 32 + 14*MaxImages},
		{"block length short field", setU48(good[:34], 8, 34), ErrTruncated, "finger data block length", 32},
		{"block length small", setU32(good, 32, 13), ErrLength, "finger data block length", 32},
		{"block length large", setU32(good, 54, 23), ErrTruncated, "finger data block length", 54},
		{"image too large", big, ErrTooLarge, "image data", 46},
	}
	requireParseErrs(t, RecordFinger, ParseFinger, tests)
}

func TestFingerEncodeErrors(t *testing.T) {
	tests := []encodeErrCase[*Finger]{
		{"no views", &Finger{}, ErrCount, "number of fingers"},
		{"too many", &Finger{Views: make([]FingerView, MaxImages+1)}, ErrTooLarge, "finger data block length"},
		{"count", &Finger{FingerCount: 2, Views: make([]FingerView, 1)}, ErrCount, "number of fingers"},
		{"image", &Finger{Views: []FingerView{{Data: make([]byte, MaxImageSize+1)}}}, ErrTooLarge, "image data"},
	}
	requireEncodeErrs(t, RecordFinger, -1, tests)
}
