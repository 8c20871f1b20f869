package issuance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/cccd"
)

// images writes the synthetic images of a complete record into dir: grey
// JPEGs of the given sizes, a PNG, and (when OpenJPEG's opj_compress is
// installed) a JPEG 2000 codestream face.
func images(t *testing.T, dir string) (j2k bool) {
	t.Helper()
	gray := func(w, h, seed int) *image.Gray {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				img.SetGray(x, y, color.Gray{Y: byte((x*seed ^ y*7) & 0xFF)})
			}
		}
		return img
	}
	writeJPEG := func(name string, w, h, seed int) {
		var buf bytes.Buffer
		require.NoError(t, jpeg.Encode(&buf, gray(w, h, seed), &jpeg.Options{Quality: 60}))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644))
	}
	writeJPEG("face.jpg", 240, 320, 3)
	writeJPEG("finger-ri.jpg", 160, 200, 5)
	writeJPEG("finger-li.jpg", 160, 200, 9)
	writeJPEG("iris-r.jpg", 320, 240, 11)
	writeJPEG("iris-l.jpg", 320, 240, 13)
	writeJPEG("portrait.jpg", 120, 160, 17)
	writeJPEG("signature.jpg", 300, 80, 19)
	writeJPEG("front.jpg", 200, 126, 23)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "not-an-image.jpg"), []byte("plain text, not a JPEG"), 0o644))
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, gray(160, 200, 29)))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "finger-rt.png"), buf.Bytes(), 0o644))

	if _, err := exec.LookPath("opj_compress"); err != nil {
		require.Equal(t, "", os.Getenv("CI"), "opj_compress (libopenjp2-tools) is required in CI")
		return false
	}
	var pgm bytes.Buffer
	fmt.Fprintf(&pgm, "P5\n240 320\n255\n")
	pgm.Write(gray(240, 320, 31).Pix)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "face.pgm"), pgm.Bytes(), 0o644))
	out, err := exec.Command("opj_compress", "-i", filepath.Join(dir, "face.pgm"), "-o", filepath.Join(dir, "face.j2k"), "-r", "20").CombinedOutput()
	require.NoError(t, err, "%s", out)
	return true
}

const completeRecord = `{
  "profile": "cccd-2023",
  "personal_number": "001090012345",
  "full_name": "Nguyễn Văn An",
  "date_of_birth": "1990-01-01",
  "sex": "M",
  "date_of_issue": "2024-07-01",
  "date_of_expiry": "2035-01-01",
  "ethnicity": "Kinh",
  "religion": "Không",
  "place_of_origin": "Xã Đông Hội, Huyện Đông Anh, Hà Nội",
  "place_of_residence": "Số 1 Phố Tràng Tiền, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội",
  "father": "Nguyễn Văn Bình",
  "mother": "Trần Thị Cúc",
  "face_image": "face.jpg",
  "fingerprints": [
    {"position": "right_index", "image": "finger-ri.jpg"},
    {"position": "left_index", "image": "finger-li.jpg", "ppi": 1000},
    {"position": "right_thumb", "image": "finger-rt.png"}
  ],
  "irises": [
    {"eye": "right", "image": "iris-r.jpg"},
    {"eye": "left", "image": "iris-l.jpg"}
  ],
  "displayed_portrait": "portrait.jpg",
  "signature_image": "signature.jpg",
  "place_of_birth": "Hà Nội",
  "other_names": ["An Nguyễn"],
  "telephone": "+84 24 3825 0000",
  "profession": "Kỹ sư",
  "issuing_authority": "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
  "endorsements": "none",
  "document_front_image": "front.jpg",
  "persons_to_notify": [
    {"name": "Trần Thị Cúc", "telephone": "0912 345 678", "address": "Hà Nội", "date_recorded": "2024-07-01"}
  ]
}`

// TestHolderComplete fills every data group a holder record can: the
// document encodes, parses back, and each group holds what the record said.
func TestHolderComplete(t *testing.T) {
	dir := t.TempDir()
	j2k := images(t, dir)
	h, err := DecodeHolder(strings.NewReader(completeRecord))
	require.NoError(t, err)
	h.SetDir(dir)
	doc, err := h.Document()
	require.NoError(t, err)
	files, err := doc.Encode()
	require.NoError(t, err)
	got, err := chip.ParseDocument(files)
	require.NoError(t, err)
	require.Equal(t, []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG3, chip.EFDG4, chip.EFDG5, chip.EFDG7, chip.EFDG11, chip.EFDG12, chip.EFDG13, chip.EFDG16}, got.DataGroups())

	face, _, ok := got.FaceImage()
	require.True(t, ok)
	want, err := os.ReadFile(filepath.Join(dir, "face.jpg"))
	require.NoError(t, err)
	require.Equal(t, want, face)

	require.Len(t, got.DG3.Group.Templates, 3)
	for i, w := range []struct {
		pos    bio.FingerPosition
		ppi    uint16
		format bio.ImageFormat
		file   string
	}{
		{bio.RightIndex, 500, bio.FormatJPEG, "finger-ri.jpg"},
		{bio.LeftIndex, 1000, bio.FormatJPEG, "finger-li.jpg"},
		{bio.RightThumb, 500, bio.FormatPNG, "finger-rt.png"},
	} {
		f, err := got.DG3.Group.Templates[i].Finger()
		require.NoError(t, err)
		require.Equal(t, w.pos, f.Views[0].Position)
		require.Equal(t, w.ppi, f.ScanResolutionX)
		require.Equal(t, w.format, f.Compression.Format())
		require.Equal(t, uint16(160), f.Views[0].Width)
		b, err := os.ReadFile(filepath.Join(dir, w.file))
		require.NoError(t, err)
		require.Equal(t, b, f.Views[0].Data)
	}
	require.Len(t, got.DG4.Group.Templates, 2)
	for i, eye := range []bio.EyePosition{bio.EyeRight, bio.EyeLeft} {
		ir, err := got.DG4.Group.Templates[i].Iris()
		require.NoError(t, err)
		require.Len(t, ir.Eyes, 1)
		require.Equal(t, eye, ir.Eyes[0].Position)
		require.Equal(t, uint16(320), ir.Width)
	}
	portrait, err := os.ReadFile(filepath.Join(dir, "portrait.jpg"))
	require.NoError(t, err)
	require.Equal(t, portrait, got.DG5.Images[0].Data)
	require.Equal(t, chip.TagDisplayedPortrait, got.DG5.Images[0].Tag)
	sig, err := os.ReadFile(filepath.Join(dir, "signature.jpg"))
	require.NoError(t, err)
	require.Equal(t, sig, got.DG7.Images[0].Data)
	require.Equal(t, chip.TagDisplayedSignature, got.DG7.Images[0].Tag)

	require.Equal(t, "Hà Nội", got.DG11.PlaceOfBirth)
	require.Equal(t, []string{"An Nguyễn"}, got.DG11.OtherNames)
	require.Equal(t, "+84 24 3825 0000", got.DG11.Telephone)
	require.Equal(t, "Kỹ sư", got.DG11.Profession)
	require.Empty(t, got.DG11.FullName, "a CCCD's name is in DG13")
	require.Equal(t, "Cục Cảnh sát quản lý hành chính về trật tự xã hội", got.DG12.IssuingAuthority)
	require.NotEmpty(t, got.DG12.ImageFront)
	require.Len(t, got.DG16.Persons, 1)
	require.Equal(t, "Trần Thị Cúc", got.DG16.Persons[0].Name)
	require.Equal(t, "2024-07-01", got.DG16.Persons[0].DateRecorded.String())

	d13, err := cccd.ParseDG13(files[chip.EFDG13])
	require.NoError(t, err)
	c, err := d13.Citizen()
	require.NoError(t, err)
	require.Equal(t, "01/07/2024", c.DateOfIssue.Raw)

	if j2k {
		// A JPEG 2000 face.
		h.FaceImage = "face.j2k"
		doc, err := h.Document()
		require.NoError(t, err)
		_, f, ok := doc.FaceImage()
		require.True(t, ok)
		require.True(t, f.IsJPEG2000(), "%v", f)
	}
}

// TestHolderFieldErrors: each wrong or missing field is named with its
// problem; all of a record's problems come together.
func TestHolderFieldErrors(t *testing.T) {
	dir := t.TempDir()
	images(t, dir)
	for _, tc := range []struct {
		name string
		set  map[string]any // fields changed in completeRecord (nil deletes)
		want []string
	}{
		{"no such day", map[string]any{"date_of_birth": "1990-02-30"}, []string{"date_of_birth 1990-02-30: no such day"}},
		{"no such month", map[string]any{"date_of_birth": "1990-13-01"}, []string{"date_of_birth 1990-13-01: no such month"}},
		{"day 0", map[string]any{"date_of_expiry": "2035-01-00"}, []string{"date_of_expiry 2035-01-00: no such day"}},
		{"format", map[string]any{"date_of_birth": "01/01/1990"}, []string{"date_of_birth 01/01/1990: want YYYY-MM-DD"}},
		{"missing name", map[string]any{"full_name": nil}, []string{"full_name: missing, required"}},
		{"missing expiry", map[string]any{"date_of_expiry": nil}, []string{"date_of_expiry: missing, required"}},
		{"expiry before birth", map[string]any{"date_of_expiry": "1989-01-01"}, []string{"date_of_expiry 1989-01-01: not after date_of_birth 1990-01-01"}},
		{"issue after expiry", map[string]any{"date_of_issue": "2036-01-01"}, []string{"date_of_issue 2036-01-01: not before date_of_expiry 2035-01-01"}},
		{"sex", map[string]any{"sex": "Q"}, []string{"sex Q: want M, F or X"}},
		{"short personal number", map[string]any{"personal_number": "12345"}, []string{"personal_number: 5 characters, want 12 digits"}},
		{"personal number disagrees", map[string]any{"date_of_birth": "1991-01-01"}, []string{"personal_number: does not agree with date_of_birth or sex"}},
		{"finger", map[string]any{"fingerprints": []any{map[string]any{"position": "right_toe", "image": "finger-ri.jpg"}}},
			[]string{"fingerprints[0].position right_toe: no such finger"}},
		{"finger twice", map[string]any{"fingerprints": []any{
			map[string]any{"position": "left_index", "image": "finger-ri.jpg"},
			map[string]any{"position": "left_index", "image": "finger-li.jpg"}}},
			[]string{"fingerprints[1].position left_index: also fingerprints[0]"}},
		{"finger ppi", map[string]any{"fingerprints": []any{map[string]any{"position": "left_index", "image": "finger-ri.jpg", "ppi": 600}}},
			[]string{"fingerprints[0].ppi 600: want 500 or 1000"}},
		{"finger image missing", map[string]any{"fingerprints": []any{map[string]any{"position": "left_index"}}},
			[]string{"fingerprints[0].image: missing, required"}},
		{"finger image absent", map[string]any{"fingerprints": []any{map[string]any{"position": "left_index", "image": "nope.jpg"}}},
			[]string{"fingerprints[0].image: cannot read the image"}},
		{"finger image a device", map[string]any{"fingerprints": []any{map[string]any{"position": "left_index", "image": "/dev/zero"}}},
			[]string{"fingerprints[0].image: not a regular file"}},
		{"finger image a folder", map[string]any{"fingerprints": []any{map[string]any{"position": "left_index", "image": "."}}},
			[]string{"fingerprints[0].image: not a regular file"}},
		{"finger image not an image", map[string]any{"fingerprints": []any{map[string]any{"position": "left_index", "image": "not-an-image.jpg"}}},
			[]string{"fingerprints[0].image: not a finger image"}},
		{"eye", map[string]any{"irises": []any{map[string]any{"eye": "middle", "image": "iris-r.jpg"}}}, []string{"irises[0].eye middle: want right or left"}},
		{"iris image not an image", map[string]any{"irises": []any{map[string]any{"eye": "right", "image": "not-an-image.jpg"}}},
			[]string{"irises[0].image: not an iris image"}},
		{"no irises on a 2023 card", map[string]any{"irises": nil}, []string{"irises: missing, required on a cccd-2023 card (DG4)"}},
		{"no fingers on a 2023 card", map[string]any{"fingerprints": nil}, []string{"fingerprints: missing, required on a cccd-2023 card (DG3)"}},
		{"signature is PNG", map[string]any{"signature_image": "finger-rt.png"}, []string{"signature_image: a PNG image, want JPEG or JPEG 2000"}},
		{"telephone", map[string]any{"telephone": "call me"}, []string{"telephone: character 'c', want digits"}},
		{"person without name", map[string]any{"persons_to_notify": []any{map[string]any{"telephone": "0912345678"}}}, []string{"persons_to_notify[0].name: missing, required"}},
		{"person date", map[string]any{"persons_to_notify": []any{map[string]any{"name": "A", "date_recorded": "2020-02-30"}}},
			[]string{"persons_to_notify[0].date_recorded 2020-02-30: no such day"}},
		{"control character", map[string]any{"profession": "a\u0007b"}, []string{"profession: control character U+0007"}},
		{"empty other name", map[string]any{"other_names": []any{""}}, []string{"other_names[0]: missing, required"}},
		{"profile", map[string]any{"profile": "visa"}, []string{"profile visa: unknown, want cccd, cccd-2023 or icao-passport"}},
		{"passport fields on a CCCD", map[string]any{"surname": "NGUYEN"}, []string{"document_number: a CCCD's document number"}},
		{"all at once", map[string]any{"date_of_birth": "1990-02-30", "sex": "Q", "full_name": nil, "irises": []any{map[string]any{"eye": "left"}}},
			[]string{"date_of_birth 1990-02-30: no such day", "sex Q: want M, F or X", "full_name: missing, required", "irises[0].image: missing, required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(completeRecord), &rec))
			for k, v := range tc.set {
				if v == nil {
					delete(rec, k)
				} else {
					rec[k] = v
				}
			}
			b, err := json.Marshal(rec)
			require.NoError(t, err)
			h, err := DecodeHolder(bytes.NewReader(b))
			require.NoError(t, err)
			h.SetDir(dir)
			doc, err := h.Document()
			require.Error(t, err)
			require.Nil(t, doc)
			require.ErrorIs(t, err, ErrHolder)
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.NotContains(t, err.Error(), "001090012345", "no personal number in errors")
		})
	}
}

func TestHolderPassportComplete(t *testing.T) {
	dir := t.TempDir()
	images(t, dir)
	js := `{"profile":"icao-passport","document_number":"C1234567","issuing_state":"VNM","nationality":"VNM",
		"surname":"Nguyen","given_names":"Van An","full_name":"NGUYỄN VĂN AN","date_of_birth":"1990-01-01","sex":"M",
		"date_of_issue":"2025-03-01","date_of_expiry":"2035-03-01","place_of_birth":"Hà Nội","issuing_authority":"Cục Quản lý xuất nhập cảnh",
		"signature_image":"signature.jpg","persons_to_notify":[{"name":"Trần Thị Cúc","telephone":"0912 345 678"}]}`
	h, err := DecodeHolder(strings.NewReader(js))
	require.NoError(t, err)
	h.SetDir(dir)
	doc, err := h.Document()
	require.NoError(t, err)
	require.Equal(t, []chip.File{chip.EFDG1, chip.EFDG7, chip.EFDG11, chip.EFDG12, chip.EFDG16}, doc.DataGroups())
	require.Equal(t, "NGUYỄN VĂN AN", doc.DG11.FullName)
	require.Equal(t, "2025-03-01", doc.DG12.DateOfIssue.String())

	for _, tc := range []struct{ js, want string }{
		{strings.Replace(js, `"issuing_state":"VNM"`, `"issuing_state":"Viet Nam"`, 1), `issuing_state "Viet Nam": want a 3-letter code`},
		{strings.Replace(js, `"surname":"Nguyen",`, ``, 1), "surname: missing, required"},
		{strings.Replace(js, `"place_of_birth"`, `"ethnicity":"Kinh","place_of_birth"`, 1), "has no DG13"},
	} {
		h, err := DecodeHolder(strings.NewReader(tc.js))
		require.NoError(t, err)
		h.SetDir(dir)
		_, err = h.Document()
		require.ErrorContains(t, err, tc.want)
	}
}
