package bio

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/stretchr/testify/require"
)

// genJPEG encodes a w×h gradient with image/jpeg; gray selects a
// one-component image.
func genJPEG(t testing.TB, w, h int, gray bool, quality int) []byte {
	t.Helper()
	var img image.Image
	if gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				g.SetGray(x, y, color.Gray{Y: uint8(x*7 + y*13)})
			}
		}
		img = g
	} else {
		c := image.NewRGBA(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				c.SetRGBA(x, y, color.RGBA{R: uint8(x * 5), G: uint8(y * 3), B: uint8(x ^ y), A: 255})
			}
		}
		img = c
	}
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}))
	return buf.Bytes()
}

func genPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))))
	return buf.Bytes()
}

// j2kHeader is a hand-built JPEG 2000 codestream start (ISO/IEC 15444-1
// A.5.1): SOC, then SIZ with Lsiz=41, Rsiz=0, Xsiz=w+2, Ysiz=h+1,
// XOsiz=2, YOsiz=1, one 0 offset tile of the full size, Csiz=3, and three
// 8-bit components; no tile data follows. It is enough for sniffing.
func j2kHeader(t testing.TB, w, h uint32) []byte {
	t.Helper()
	b := []byte{0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x2F, 0x00, 0x00}
	b = appendU32(b, w+2)
	b = appendU32(b, h+1)
	b = appendU32(b, 2)
	b = appendU32(b, 1)
	b = appendU32(b, w+2)
	b = appendU32(b, h+1)
	b = appendU32(b, 0)
	b = appendU32(b, 0)
	b = append(b, 0x00, 0x03, 0x07, 1, 1, 0x07, 1, 1, 0x07, 1, 1)
	return b
}

// jp2Header is a hand-built JP2 file start (ISO/IEC 15444-1 Annex I): the
// signature box, a file type box 'ftyp' (brand 'jp2 '), and a header box
// 'jp2h' holding an image header box 'ihdr'; then a codestream box.
func jp2Header(t testing.TB, w, h uint32, comps uint16) []byte {
	t.Helper()
	b := append([]byte{}, sigJP2...)
	b = append(b, 0, 0, 0, 20, 'f', 't', 'y', 'p', 'j', 'p', '2', ' ', 0, 0, 0, 0, 'j', 'p', '2', ' ')
	ihdr := appendU32(nil, h)
	ihdr = appendU32(ihdr, w)
	ihdr = appendU16(ihdr, comps)
	ihdr = append(ihdr, 7, 7, 0, 0)
	ihdrBox := appendU32(nil, uint32(8+len(ihdr)))
	ihdrBox = append(append(ihdrBox, 'i', 'h', 'd', 'r'), ihdr...)
	b = appendU32(b, uint32(8+len(ihdrBox)))
	b = append(append(b, 'j', 'p', '2', 'h'), ihdrBox...)
	cs := j2kHeader(t, w, h)
	b = appendU32(b, uint32(8+len(cs)))
	b = append(append(b, 'j', 'p', '2', 'c'), cs...)
	return b
}

// jlsHeader is a hand-built JPEG-LS stream start (ISO/IEC 14495-1): SOI,
// an APP0 segment, a fill byte, then the SOF55 frame header (Lf=8+3*Nf,
// P=8, Y=h, X=w, Nf, and per component an id, sampling factors 1x1 and
// Tq=0), then the start of a scan.
func jlsHeader(w, h int, nf byte) []byte {
	b := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 'J', 'L', 0xFF, 0xFF, 0xF7, 0x00, 8 + 3*nf, 8,
		byte(h >> 8), byte(h), byte(w >> 8), byte(w), nf}
	for i := range nf {
		b = append(b, i+1, 0x11, 0)
	}
	return append(b, 0xFF, 0xDA, 0x00, 0x08)
}

// wsqHeader is the start of a WSQ file: SOI 'FFA0' then a comment marker.
var wsqHeader = []byte{0xFF, 0xA0, 0xFF, 0xA8, 0x00, 0x04, 'N', 'I'}

func TestDetectImageFormat(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want ImageFormat
		mime string
	}{
		{"jpeg", genJPEG(t, 8, 8, false, 75), FormatJPEG, "image/jpeg"},
		{"j2k", j2kHeader(t, 10, 12), FormatJPEG2000, "image/j2c"},
		{"jp2", jp2Header(t, 10, 12, 1), FormatJP2, "image/jp2"},
		{"png", genPNG(t, 3, 3), FormatPNG, "image/png"},
		{"wsq", wsqHeader, FormatWSQ, "image/x-wsq"},
		{"jpeg-ls", jlsHeader(4, 4, 1), FormatJPEGLS, "image/jls"},
		{"jpeg with restart and sos first", []byte{0xFF, 0xD8, 0xFF, 0xD0, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xF7, 0x00, 0x02}, FormatJPEG, "image/jpeg"},
		{"jpeg cut in a segment", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x00}, FormatJPEG, "image/jpeg"},
		{"jpeg bad segment length", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xF7, 0, 2}, FormatJPEG, "image/jpeg"},
		{"jpeg garbage after soi", []byte{0xFF, 0xD8, 0xFF, 0x00, 0x00, 0x01, 0x02, 0x03}, FormatJPEG, "image/jpeg"},
		{"empty", nil, FormatUnknown, "application/octet-stream"},
		{"soi only", []byte{0xFF, 0xD8}, FormatUnknown, "application/octet-stream"},
		{"wsq soi only", []byte{0xFF, 0xA0, 0x00}, FormatUnknown, "application/octet-stream"},
		{"gif", []byte("GIF89a"), FormatUnknown, "application/octet-stream"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := DetectImageFormat(tc.in)
			require.Equal(t, tc.want, f)
			require.Equal(t, tc.mime, f.MIMEType())
			require.NotEmpty(t, f.String())
		})
	}
	require.Equal(t, "unknown", ImageFormat(99).String())
	require.True(t, FormatJP2.IsJPEG2000())
	require.True(t, FormatJPEG2000.IsJPEG2000())
	require.False(t, FormatJPEG.IsJPEG2000())
}

func TestDetectJPEGLSSegmentLimit(t *testing.T) {
	// jlsHeader has one APP0 segment before SOF55; add APP1 segments so
	// that the frame header is the 64th segment (found) or the 65th (not
	// looked at: the stream is taken for plain JPEG).
	for extra, want := range map[int]ImageFormat{62: FormatJPEGLS, 63: FormatJPEG} {
		b := []byte{0xFF, 0xD8}
		for range extra {
			b = append(b, 0xFF, 0xE1, 0x00, 0x02)
		}
		b = append(b, jlsHeader(2, 2, 1)[2:]...)
		require.Equal(t, want, DetectImageFormat(b), "%d extra segments", extra)
	}
}

func TestDecodeImageInfo(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want ImageInfo
	}{
		{"jpeg colour", genJPEG(t, 24, 32, false, 75), ImageInfo{FormatJPEG, 24, 32, 3}},
		{"jpeg grey", genJPEG(t, 17, 9, true, 75), ImageInfo{FormatJPEG, 17, 9, 1}},
		{"png", genPNG(t, 5, 7), ImageInfo{FormatPNG, 5, 7, 1}},
		{"j2k", j2kHeader(t, 10, 12), ImageInfo{FormatJPEG2000, 10, 12, 3}},
		{"jp2", jp2Header(t, 640, 480, 1), ImageInfo{FormatJP2, 640, 480, 1}},
		{"wsq", wsqHeader, ImageInfo{Format: FormatWSQ}},
		{"jpeg-ls", jlsHeader(300, 200, 3), ImageInfo{FormatJPEGLS, 300, 200, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeImageInfo(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestDecodeImageInfoErrors(t *testing.T) {
	j2k := j2kHeader(t, 10, 12)
	badOffset := append([]byte{}, j2k...)
	copy(badOffset[16:20], []byte{0, 0, 0, 20}) // XOsiz beyond Xsiz
	jp2 := jp2Header(t, 4, 4, 1)
	zeroW := jp2Header(t, 0, 4, 1)
	tests := []struct {
		name string
		in   []byte
	}{
		{"unknown", []byte("GIF89a")},
		{"jpeg-ls zero width", jlsHeader(0, 4, 1)},
		{"jpeg-ls short frame", []byte{0xFF, 0xD8, 0xFF, 0xF7, 0x00, 0x04, 8, 0}},
		{"jpeg truncated", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00}},
		{"png truncated", sigPNG},
		{"j2k truncated", j2k[:20]},
		{"j2k offsets", badOffset},
		{"jp2 no jp2h", jp2[:32]},
		{"jp2 zero width", zeroW},
		{"jp2 box overruns", append(append([]byte{}, sigJP2...), 0, 0, 0, 99, 'j', 'p', '2', 'h')},
		{"jp2 short box", append(append([]byte{}, sigJP2...), 0, 0, 0, 4, 'j', 'p', '2', 'h')},
		{"jp2 xl box short", append(append([]byte{}, sigJP2...), 0, 0, 0, 1, 'j', 'p', '2', 'h', 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeImageInfo(tc.in)
			requireErr(t, err, ErrImageFormat, "image", "", 0)
		})
	}
}

func TestFindBoxForms(t *testing.T) {
	// A box whose length is 0 runs to the end; a box with length 1 has an
	// 8-byte extended length.
	last := []byte{0, 0, 0, 0, 'a', 'b', 'c', 'd', 1, 2}
	v, ok := findBox(last, "abcd")
	require.True(t, ok)
	require.Equal(t, []byte{1, 2}, v)
	xl := []byte{0, 0, 0, 1, 'x', 'l', 'x', 'l', 0, 0, 0, 0, 0, 0, 0, 17, 9}
	v, ok = findBox(xl, "xlxl")
	require.True(t, ok)
	require.Equal(t, []byte{9}, v)
	_, ok = findBox(xl, "none")
	require.False(t, ok)
}
