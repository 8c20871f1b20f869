package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/cancuoc/cancuoc/chip/bio"
	cphoto "github.com/cancuoc/cancuoc/photo"
)

// photo is the holder's photo as the page serves it.
type photo struct {
	Data          []byte
	MIME          string
	Width, Height int
	// Note says why a placeholder stands for the photo.
	Note string
}

// converter makes the chip's photo showable in any browser through package
// photo: JPEG and PNG pass as they are; JPEG 2000 is converted to PNG by
// OpenJPEG's opj_decompress. When the tool is missing or fails, a
// placeholder is served with a note that says so.
type converter struct {
	tool string // path of opj_decompress; "" when not installed
}

func (c converter) toBrowser(ctx context.Context, img []byte) *photo {
	p, err := cphoto.Converter{Tool: c.tool}.Convert(ctx, img)
	switch {
	case err == nil:
		return &photo{Data: p.Data, MIME: p.MIME, Width: p.Width, Height: p.Height}
	case errors.Is(err, cphoto.ErrNoTool):
		return placeholder("Ảnh JPEG 2000 không hiển thị được: thiếu opj_decompress. JPEG 2000 photo not shown: opj_decompress (Debian package libopenjp2-tools) is not installed.")
	case errors.Is(err, cphoto.ErrFormat):
		return placeholder(fmt.Sprintf("Ảnh ở định dạng trình duyệt không hiển thị được. The photo is in a format browsers cannot show (%s).", bio.DetectImageFormat(img)))
	}
	return placeholder("Ảnh JPEG 2000 không chuyển đổi được. The JPEG 2000 photo could not be converted: " + err.Error())
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
