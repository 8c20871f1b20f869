// Package photo makes the face image read from a chip (DG2) usable by a
// browser or a face matcher: JPEG and PNG pass as they are, byte for byte;
// JPEG 2000 (a bare codestream or a JP2 file), which Go cannot decode, is
// converted to PNG by OpenJPEG's opj_decompress, an external program
// (Debian package libopenjp2-tools).
//
// The kiosk example shows the result on its page; the verification server
// (package server) puts it in its result for the bank's face matcher.
package photo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
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

// Tool is the name of OpenJPEG's decoder, looked up in PATH by LookTool.
const Tool = "opj_decompress"

// Defaults of a Converter.
const (
	DefaultTimeout = 15 * time.Second
	// DefaultMaxOutput bounds the PNG read back: a 19794-5 face converts
	// to a few MB at most.
	DefaultMaxOutput = 32 << 20
	// MaxInput bounds the image given to the tool.
	MaxInput = 4 << 20
)

var (
	// ErrNoTool: a JPEG 2000 image and no opj_decompress to convert it.
	ErrNoTool = errors.New("photo: JPEG 2000 needs opj_decompress (Debian package libopenjp2-tools), which is not installed")
	// ErrFormat: the image is in a format no browser shows and this
	// package does not convert (WSQ, JPEG-LS, unknown bytes).
	ErrFormat = errors.New("photo: format not shown by browsers")
	// ErrConvert wraps a failed conversion (a damaged codestream, a tool
	// that failed, timed out or wrote no PNG).
	ErrConvert = errors.New("photo: JPEG 2000 conversion failed")
)

// Image is a photo in a format browsers and face matchers take.
type Image struct {
	Data          []byte
	MIME          string // "image/jpeg" or "image/png"
	Width, Height int    // 0 when the header could not be read
	// Source is the format as read from the chip; Converted tells that
	// Data is not the chip's bytes but a lossless PNG of them.
	Source    bio.ImageFormat
	Converted bool
}

// Converter converts images; its zero value converts nothing but JPEG and
// PNG (which need no conversion). It is safe for concurrent use: every
// conversion runs the tool in a directory of its own.
type Converter struct {
	// Tool is the path of opj_decompress ("" when not installed).
	Tool string
	// Timeout bounds one conversion (DefaultTimeout when zero);
	// MaxOutput the PNG read back (DefaultMaxOutput when zero).
	Timeout   time.Duration
	MaxOutput int
}

// LookTool finds opj_decompress in PATH ("" when it is not there).
func LookTool() string {
	p, err := exec.LookPath(Tool)
	if err != nil {
		return ""
	}
	return p
}

// Convert returns img in a showable format: JPEG and PNG as they are,
// JPEG 2000 as PNG. The errors are ErrNoTool, ErrFormat or ErrConvert
// (wrapped), or the context's.
func (c Converter) Convert(ctx context.Context, img []byte) (*Image, error) {
	f := bio.DetectImageFormat(img)
	switch f {
	case bio.FormatJPEG, bio.FormatPNG:
		p := &Image{Data: img, MIME: f.MIMEType(), Source: f}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(img)); err == nil {
			p.Width, p.Height = cfg.Width, cfg.Height
		}
		return p, nil
	case bio.FormatJPEG2000, bio.FormatJP2:
		if c.Tool == "" {
			return nil, ErrNoTool
		}
		if len(img) > MaxInput {
			return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrConvert, len(img), MaxInput)
		}
		out, err := c.convertJPEG2000(ctx, img, f)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(out))
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConvert, err)
		}
		return &Image{Data: out, MIME: "image/png", Width: cfg.Width, Height: cfg.Height, Source: f, Converted: true}, nil
	}
	return nil, fmt.Errorf("%w (%s)", ErrFormat, f)
}

// convertJPEG2000 runs "opj_decompress -i in.jp2 -o out.png" in a temporary
// directory. The input's extension must tell the tool what it is: .j2k for a
// bare codestream, .jp2 for a JP2 file.
func (c Converter) convertJPEG2000(ctx context.Context, img []byte, f bio.ImageFormat) ([]byte, error) {
	dir, err := os.MkdirTemp("", "cancuoc-photo-")
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
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	maxOut := c.MaxOutput
	if maxOut <= 0 {
		maxOut = DefaultMaxOutput
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Tool, "-i", in, "-o", out)
	var msg bytes.Buffer
	cmd.Stdout, cmd.Stderr = &msg, &msg
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v: %s", ErrConvert, filepath.Base(c.Tool), err, lastLine(msg.String()))
	}
	fh, err := os.Open(out)
	if err != nil {
		return nil, fmt.Errorf("%w: %s wrote no PNG: %s", ErrConvert, filepath.Base(c.Tool), lastLine(msg.String()))
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, int64(maxOut)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxOut {
		return nil, fmt.Errorf("%w: converted photo larger than %d bytes", ErrConvert, maxOut)
	}
	if bio.DetectImageFormat(b) != bio.FormatPNG {
		return nil, fmt.Errorf("%w: converted photo is not a PNG", ErrConvert)
	}
	return b, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
