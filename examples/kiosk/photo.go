package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // DecodeConfig of JPEG photos
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip/bio"
)

// photo is the holder's photo as the page serves it.
type photo struct {
	Data          []byte
	MIME          string
	Width, Height int
	// Note says why a placeholder stands for the photo.
	Note string
}

// Limits of the JPEG 2000 conversion.
const (
	convertTimeout = 15 * time.Second
	maxPNGSize     = 32 << 20 // a 19794-5 face converts to a few MB at most
)

// converter makes the chip's photo showable in any browser. JPEG and PNG
// pass as they are; JPEG 2000 (a codestream or a JP2 file) is converted to PNG
// by OpenJPEG's opj_decompress, an external program (no JPEG 2000 decoder is
// written in pure Go). When the tool is missing or fails, a placeholder is
// served with a note that says so.
type converter struct {
	tool string // path of opj_decompress; "" when not installed
}

func (c converter) toBrowser(ctx context.Context, img []byte) *photo {
	f := bio.DetectImageFormat(img)
	switch f {
	case bio.FormatJPEG, bio.FormatPNG:
		p := &photo{Data: img, MIME: f.MIMEType()}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(img)); err == nil {
			p.Width, p.Height = cfg.Width, cfg.Height
		}
		return p
	case bio.FormatJPEG2000, bio.FormatJP2:
		if c.tool == "" {
			return placeholder("Ảnh JPEG 2000 không hiển thị được: thiếu opj_decompress. JPEG 2000 photo not shown: opj_decompress (Debian package libopenjp2-tools) is not installed.")
		}
		out, err := c.convertJPEG2000(ctx, img, f)
		if err != nil {
			return placeholder("Ảnh JPEG 2000 không chuyển đổi được. The JPEG 2000 photo could not be converted: " + err.Error())
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(out))
		if err != nil {
			return placeholder("The JPEG 2000 photo converted to no PNG: " + err.Error())
		}
		return &photo{Data: out, MIME: "image/png", Width: cfg.Width, Height: cfg.Height}
	}
	return placeholder(fmt.Sprintf("Ảnh ở định dạng trình duyệt không hiển thị được. The photo is in a format browsers cannot show (%s).", f))
}

// convertJPEG2000 runs "opj_decompress -i in.jp2 -o out.png" in a temporary
// directory. The input's extension must tell the tool what it is: .j2k for a
// bare codestream, .jp2 for a JP2 file.
func (c converter) convertJPEG2000(ctx context.Context, img []byte, f bio.ImageFormat) ([]byte, error) {
	dir, err := os.MkdirTemp("", "kiosk-photo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ext := ".jp2"
	if f == bio.FormatJPEG2000 {
		ext = ".j2k"
	}
	in, out := filepath.Join(dir, "face"+ext), filepath.Join(dir, "face.png")
	if err := os.WriteFile(in, img, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, convertTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.tool, "-i", in, "-o", out)
	var msg bytes.Buffer
	cmd.Stdout, cmd.Stderr = &msg, &msg
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", filepath.Base(c.tool), err, lastLine(msg.String()))
	}
	fh, err := os.Open(out)
	if err != nil {
		return nil, fmt.Errorf("%s wrote no PNG: %s", filepath.Base(c.tool), lastLine(msg.String()))
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxPNGSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxPNGSize {
		return nil, errors.New("converted photo too large")
	}
	if bio.DetectImageFormat(b) != bio.FormatPNG {
		return nil, errors.New("converted photo is not a PNG")
	}
	return b, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// placeholderPNG is a grey silhouette, 120x160.
var placeholderPNG = func() []byte {
	const w, h = 120, 160
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := uint8(225)
			hx, hy := float64(x-w/2)/28, float64(y-58)/34 // head
			bx, by := float64(x-w/2)/52, float64(y-h)/50  // shoulders
			if hx*hx+hy*hy < 1 || bx*bx+by*by < 1 {
				c = 170
			}
			img.SetGray(x, y, color.Gray{Y: c})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

func placeholder(note string) *photo {
	return &photo{Data: placeholderPNG, MIME: "image/png", Width: 120, Height: 160, Note: note}
}
