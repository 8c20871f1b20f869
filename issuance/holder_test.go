package issuance

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/cccd"
)

func TestHolderCCCD(t *testing.T) {
	h, err := ReadHolder("testdata/holder-cccd.json")
	require.NoError(t, err)
	doc, err := h.Document()
	require.NoError(t, err)
	require.Equal(t, "IDVNM0900123450001090012345<<<9001011M3501014VNM<<<<<<<<<<<5NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<", doc.DG1.Text)
	files, err := doc.Encode()
	require.NoError(t, err)
	d13, err := cccd.ParseDG13(files[chip.EFDG13])
	require.NoError(t, err)
	c, err := d13.Citizen()
	require.NoError(t, err)
	require.Equal(t, "Nguyễn Văn An", c.FullName)
	require.Equal(t, "Nam", c.Sex)
	require.Equal(t, "01/01/2035", c.DateOfExpiry.Raw)
	require.Equal(t, "Việt Nam", c.Nationality)
	require.NotNil(t, doc.DG2, "the record's face: DG2 is mandatory (Doc 9303-10)")
}

func TestHolderFaceAndPassport(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 60, 80)), nil))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "face.jpg"), buf.Bytes(), 0o644))
	js := `{"profile":"icao-passport","document_number":"L898902C3","issuing_state":"UTO","nationality":"UTO",
		"surname":"Eriksson","given_names":"Anna Maria","date_of_birth":"1974-08-12","sex":"F",
		"date_of_expiry":"2032-04-15","face_image":"face.jpg","full_name":"ERIKSSON<<ANNA<MARIA"}`
	h, err := DecodeHolder(strings.NewReader(js))
	require.NoError(t, err)
	h.SetDir(dir)
	doc, err := h.Document()
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(doc.DG1.Text, "P<UTOERIKSSON<<ANNA<MARIA<<<"))
	require.Contains(t, doc.DG1.Text, "L898902C36UTO7408122F3204153")
	img, _, ok := func() ([]byte, string, bool) {
		files, err := doc.Encode()
		require.NoError(t, err)
		d, err := chip.ParseDocument(files)
		require.NoError(t, err)
		b, f, ok := d.FaceImage()
		return b, f.String(), ok
	}()
	require.True(t, ok)
	require.Equal(t, buf.Bytes(), img)
}

func TestHolderErrors(t *testing.T) {
	for _, js := range []string{
		`{"full_name":"A","unknown_field":1}`,
		`not json`,
		`{"profile":"cccd","personal_number":"001090012345","full_name":"An","date_of_birth":"01/01/1990","date_of_expiry":"2035-01-01"}`,
		`{"profile":"cccd","personal_number":"001090012345","full_name":"An","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01","sex":"Q"}`,
		`{"profile":"visa","full_name":"An","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01"}`,
		// The personal number says born in 1990, male; the record says 1991.
		`{"profile":"cccd","personal_number":"001090012345","full_name":"An","date_of_birth":"1991-01-01","date_of_expiry":"2035-01-01","sex":"M"}`,
		`{"profile":"cccd","personal_number":"12345","full_name":"An","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01"}`,
		`{"profile":"cccd","personal_number":"001090012345","full_name":"An","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01","sex":"M","face_image":"/nonexistent.jpg"}`,
	} {
		h, err := DecodeHolder(strings.NewReader(js))
		if err == nil {
			_, err = h.Document()
		}
		require.ErrorIs(t, err, ErrHolder, js)
	}
}

func TestHolderRedacted(t *testing.T) {
	h, err := ReadHolder("testdata/holder-cccd.json")
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(h), fmt.Sprintf("%v %+v %#v %s", *h, h, h, h)} {
		require.NotContains(t, s, "001090012345")
		require.NotContains(t, s, "Nguy")
	}
}

func TestHolderCCCD2023File(t *testing.T) {
	h, err := ReadHolder("testdata/holder-cccd-2023.json")
	require.NoError(t, err)
	doc, err := h.Document()
	require.NoError(t, err)
	require.Equal(t, []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG3, chip.EFDG4, chip.EFDG7, chip.EFDG13, chip.EFDG16}, doc.DataGroups())
	require.Len(t, doc.DG3.Group.Templates, 2)
	require.Len(t, doc.DG4.Group.Templates, 2)
}
