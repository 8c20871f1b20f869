package bio

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

var update = flag.Bool("update", false, "rewrite the synthetic fixtures in testdata/synthetic")

// portrait draws a deterministic w×h colour picture: a face-like ellipse on
// a gradient with a fine texture, so that the JPEG is not trivially small.
func portrait(w, h int, seed uint32) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x := seed
	for py := range h {
		for px := range w {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			n := uint8(x & 0x1F)
			dx, dy := float64(px-w/2)/float64(w/3), float64(py-h/2)/(float64(h)/2.6)
			c := color.RGBA{R: uint8(px * 255 / w), G: 120, B: uint8(py * 255 / h), A: 255}
			if dx*dx+dy*dy < 1 {
				c = color.RGBA{R: 224, G: 172, B: 140, A: 255}
			}
			c.R, c.G, c.B = c.R^n, c.G^n, c.B^n
			img.Set(px, py, c)
		}
	}
	return img
}

// fingerprint draws a deterministic w×h grey ridge pattern.
func fingerprint(w, h int, phase int) image.Image {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for py := range h {
		for px := range w {
			dx, dy := px-w/2, py-h/2
			r := (dx*dx + dy*dy + phase*37) / 40
			img.SetGray(px, py, color.Gray{Y: uint8(128 + 100*((r/3)%2) - 50)})
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}))
	return buf.Bytes()
}

// buildFixtures makes the three synthetic groups with this package's
// builders (see testdata/synthetic/README.md).
func buildFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	face, err := NewFace(encodeJPEG(t, portrait(240, 320, 1), 85))
	require.NoError(t, err)
	img := &face.Images[0]
	img.Gender, img.EyeColor, img.HairColor = GenderFemale, EyeBrown, HairBlack
	img.Features = FeaturesSpecified
	img.Expression = ExpressionNeutral
	img.Pose = PoseAngle{EncodePose(0), EncodePose(0), EncodePose(0)}
	img.Source = SourceStaticDigitalCam
	img.FeaturePoints = []FeaturePoint{
		{Type: 1, Code: 0xC1, X: 80, Y: 140},  // 12.1 right eye centre
		{Type: 1, Code: 0xC2, X: 160, Y: 140}, // 12.2 left eye centre
	}
	ft, err := NewFaceTemplate(face)
	require.NoError(t, err)

	var fingers []Template
	for i, pos := range []FingerPosition{RightIndex, LeftIndex} {
		f, err := NewFinger(500, FingerView{Position: pos, Quality: 80, Data: encodeJPEG(t, fingerprint(160, 200, i), 70)})
		require.NoError(t, err)
		tpl, err := NewFingerTemplate(f)
		require.NoError(t, err)
		fingers = append(fingers, tpl)
	}

	var eyes []Template
	for i, p := range []EyePosition{EyeRight, EyeLeft} {
		right, left := []byte(nil), []byte(nil)
		data := encodeJPEG(t, fingerprint(160, 120, 7+i), 70)
		if p == EyeRight {
			right = data
		} else {
			left = data
		}
		ir, err := NewIris(right, left)
		require.NoError(t, err)
		ir.Diameter = 100
		ir.DeviceUniqueID = [16]byte{'D', 'C', 'A', 'N', 'C', 'U', 'O', 'C', '0', '0', '0', '0', '0', '0', '0', '1'}
		tpl, err := NewIrisTemplate(ir)
		require.NoError(t, err)
		eyes = append(eyes, tpl)
	}

	out := map[string][]byte{}
	for name, g := range map[string]*Group{
		"dg2-face.bin":        {Templates: []Template{ft}},
		"dg3-two-fingers.bin": {Templates: fingers},
		"dg4-two-eyes.bin":    {Templates: eyes},
	} {
		b, err := g.Encode()
		require.NoError(t, err)
		out[name] = b
	}
	return out
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	return vectors.Read(t, filepath.Join("testdata", "synthetic", name))
}

func TestFixtures(t *testing.T) {
	if *update {
		for name, b := range buildFixtures(t) {
			require.NoError(t, os.WriteFile(filepath.Join("testdata", "synthetic", name), b, 0o644))
		}
	}
	checkImage := func(t *testing.T, data []byte, w, h int) {
		img, err := jpeg.Decode(bytes.NewReader(data))
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, w, h), img.Bounds())
	}

	dg2 := readFixture(t, "dg2-face.bin")
	require.Greater(t, len(dg2), 15000)
	g, err := ParseGroup(dg2)
	require.NoError(t, err)
	out, err := g.Encode()
	require.NoError(t, err)
	require.Equal(t, dg2, out)
	require.Len(t, g.Templates, 1)
	require.Equal(t, BiometricFace, *g.Templates[0].Header.Type)
	face, err := g.Templates[0].Face()
	require.NoError(t, err)
	data, format := face.Image()
	require.Equal(t, FormatJPEG, format)
	checkImage(t, data, int(face.Images[0].Width), int(face.Images[0].Height))
	require.Equal(t, uint16(240), face.Images[0].Width)
	require.Equal(t, GenderFemale, face.Images[0].Gender)

	dg3 := readFixture(t, "dg3-two-fingers.bin")
	g, err = ParseGroup(dg3)
	require.NoError(t, err)
	out, err = g.Encode()
	require.NoError(t, err)
	require.Equal(t, dg3, out)
	require.Len(t, g.Templates, 2)
	for i, want := range []BiometricSubtype{SubtypeRight | SubtypePointer, SubtypeLeft | SubtypePointer} {
		require.Equal(t, want, *g.Templates[i].Header.Subtype)
		f, err := g.Templates[i].Finger()
		require.NoError(t, err)
		data, format := f.Image()
		require.Equal(t, FormatJPEG, format)
		checkImage(t, data, int(f.Views[0].Width), int(f.Views[0].Height))
	}

	dg4 := readFixture(t, "dg4-two-eyes.bin")
	g, err = ParseGroup(dg4)
	require.NoError(t, err)
	out, err = g.Encode()
	require.NoError(t, err)
	require.Equal(t, dg4, out)
	require.Len(t, g.Templates, 2)
	for i, p := range []EyePosition{EyeRight, EyeLeft} {
		require.Equal(t, p.Subtype(), *g.Templates[i].Header.Subtype)
		ir, err := g.Templates[i].Iris()
		require.NoError(t, err)
		require.Equal(t, IrisMonoJPEG, ir.Format)
		data, format := ir.Image(p)
		require.Equal(t, FormatJPEG, format)
		checkImage(t, data, int(ir.Width), int(ir.Height))
	}

	// The builders still make the same structures (image bytes aside,
	// which depend on the Go version's JPEG encoder).
	for name, b := range buildFixtures(t) {
		want, err := ParseGroup(readFixture(t, name))
		require.NoError(t, err)
		got, err := ParseGroup(b)
		require.NoError(t, err)
		require.Len(t, got.Templates, len(want.Templates))
		for i := range want.Templates {
			require.Equal(t, want.Templates[i].Header, got.Templates[i].Header, name)
		}
	}
}
