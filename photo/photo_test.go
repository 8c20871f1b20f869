package photo_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/photo"
)

func testImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 48, 64))
	for y := range 64 {
		for x := range 48 {
			img.Set(x, y, color.RGBA{50, 80, uint8(x + y), 255})
		}
	}
	return img
}

// tool skips the test (fails it under CI) when a program is missing.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		require.Equal(t, "", os.Getenv("CI"), "%s not found: install the Debian package libopenjp2-tools", name)
		t.Skipf("%s not found: install the Debian package libopenjp2-tools", name)
	}
	return p
}

func TestJPEGAsIs(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, testImage(), nil))
	p, err := photo.Converter{}.Convert(context.Background(), b.Bytes())
	require.NoError(t, err)
	require.Equal(t, b.Bytes(), p.Data, "a JPEG passes byte for byte")
	require.Equal(t, "image/jpeg", p.MIME)
	require.Equal(t, [2]int{48, 64}, [2]int{p.Width, p.Height})
	require.False(t, p.Converted)
	require.Equal(t, bio.FormatJPEG, p.Source)
}

func TestJPEG2000(t *testing.T) {
	compress := tool(t, "opj_compress")
	dir := t.TempDir()
	in := filepath.Join(dir, "face.png")
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, testImage()))
	require.NoError(t, os.WriteFile(in, b.Bytes(), 0o600))
	c := photo.Converter{Tool: tool(t, photo.Tool)}
	for _, ext := range []string{".jp2", ".j2k"} {
		out, err := exec.Command(compress, "-i", in, "-o", filepath.Join(dir, "face"+ext)).CombinedOutput()
		require.NoError(t, err, string(out))
		src, err := os.ReadFile(filepath.Join(dir, "face"+ext))
		require.NoError(t, err)
		p, err := c.Convert(context.Background(), src)
		require.NoError(t, err, ext)
		require.True(t, p.Converted)
		require.Equal(t, "image/png", p.MIME)
		img, err := png.Decode(bytes.NewReader(p.Data))
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, 48, 64), img.Bounds())
		r, g, _, _ := img.At(10, 20).RGBA()
		require.Equal(t, [2]uint32{50, 80}, [2]uint32{r >> 8, g >> 8}, "lossless: the pixels come back")

		_, err = c.Convert(context.Background(), src[:40])
		require.ErrorIs(t, err, photo.ErrConvert, "a damaged codestream")
		_, err = photo.Converter{}.Convert(context.Background(), src)
		require.ErrorIs(t, err, photo.ErrNoTool)
	}
}

func TestUnshowable(t *testing.T) {
	for _, b := range [][]byte{nil, {0xFF, 0xA0, 0xFF, 0xA8, 0, 0}, []byte("not an image")} {
		_, err := photo.Converter{Tool: "/nonexistent"}.Convert(context.Background(), b)
		require.ErrorIs(t, err, photo.ErrFormat)
	}
}
