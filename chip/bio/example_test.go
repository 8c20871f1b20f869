package bio_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"

	"github.com/cancuoc/cancuoc/chip/bio"
)

// Build the contents of a DG2 from a JPEG portrait, then read the face
// back out of the encoded bytes, as a reader would.
func ExampleNewFace() {
	// A stand-in portrait: 120x160 pixels, JPEG.
	img := image.NewRGBA(image.Rect(0, 0, 120, 160))
	for y := range 160 {
		for x := range 120 {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 128, A: 255})
		}
	}
	var portrait bytes.Buffer
	if err := jpeg.Encode(&portrait, img, nil); err != nil {
		panic(err)
	}

	// Issuance: record, template, group.
	face, err := bio.NewFace(portrait.Bytes())
	if err != nil {
		panic(err)
	}
	face.Images[0].Gender = bio.GenderMale
	face.Images[0].Expression = bio.ExpressionNeutral
	tpl, err := bio.NewFaceTemplate(face)
	if err != nil {
		panic(err)
	}
	group := &bio.Group{Templates: []bio.Template{tpl}}
	encoded, err := group.Encode() // the chip package wraps this in tag '75'
	if err != nil {
		panic(err)
	}

	// Reading.
	parsed, err := bio.ParseGroup(encoded)
	if err != nil {
		panic(err)
	}
	got, err := parsed.Templates[0].Face()
	if err != nil {
		panic(err)
	}
	data, format := got.Image()
	fmt.Printf("group starts % X\n", encoded[:2])
	fmt.Println("format:", format, format.MIMEType())
	fmt.Println("size:", got.Images[0].Width, "x", got.Images[0].Height)
	fmt.Println("same image:", bytes.Equal(data, portrait.Bytes()))
	// Output:
	// group starts 7F 61
	// format: JPEG image/jpeg
	// size: 120 x 160
	// same image: true
}

// Read the synthetic DG2 of testdata and describe its template.
func ExampleParseGroup() {
	dg2, err := os.ReadFile("testdata/synthetic/dg2-face.bin")
	if err != nil {
		panic(err)
	}
	g, err := bio.ParseGroup(dg2)
	if err != nil {
		panic(err)
	}
	h := g.Templates[0].Header
	fmt.Printf("templates: %d, type %#x, format owner %#04x, format type %#04x\n",
		len(g.Templates), *h.Type, h.FormatOwner, h.FormatType)
	face, err := g.Templates[0].Face()
	if err != nil {
		panic(err)
	}
	img := face.Images[0]
	fmt.Println("gender:", img.Gender == bio.GenderFemale, "feature points:", len(img.FeaturePoints))
	_, format := face.Image()
	fmt.Println(format, img.Width, img.Height)
	// Output:
	// templates: 1, type 0x2, format owner 0x0101, format type 0x0008
	// gender: true feature points: 2
	// JPEG 240 320
}

// Errors name the record, the field and the offset.
func ExampleParseFace_error() {
	_, err := bio.ParseFace([]byte("FAC\x00010\x00\x00\x00\x40\x00\x00\x01"))
	fmt.Println(err)
	// Output:
	// bio: FAC: record length at offset 8: truncated
}

// Recognize an image from its first bytes.
func ExampleDetectImageFormat() {
	for _, b := range [][]byte{
		{0xFF, 0xD8, 0xFF, 0xE0},
		{0xFF, 0x4F, 0xFF, 0x51},
		{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A},
		{0xFF, 0xA0, 0xFF, 0xA8},
		[]byte("\x89PNG\r\n\x1a\n"),
	} {
		fmt.Println(bio.DetectImageFormat(b))
	}
	// Output:
	// JPEG
	// JPEG 2000 codestream
	// JP2
	// WSQ
	// PNG
}

// Build a DG4 group with both eyes in one iris record.
func ExampleNewIris() {
	eye := func() []byte {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 64, 48)), nil); err != nil {
			panic(err)
		}
		return b.Bytes()
	}
	ir, err := bio.NewIris(eye(), eye())
	if err != nil {
		panic(err)
	}
	tpl, err := bio.NewIrisTemplate(ir)
	if err != nil {
		panic(err)
	}
	rec, err := tpl.Iris()
	if err != nil {
		panic(err)
	}
	fmt.Printf("format %#04x, %dx%d, eyes %d\n", uint16(rec.Format), rec.Width, rec.Height, len(rec.Eyes))
	_, f := rec.Image(bio.EyeLeft)
	fmt.Println("left eye:", f)
	// Output:
	// format 0x0006, 64x48, eyes 2
	// left eye: JPEG
}
