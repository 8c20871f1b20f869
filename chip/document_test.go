package chip

import (
	"bytes"
	"errors"
	"flag"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the synthetic fixtures under testdata/synthetic")

// syntheticMRZ is the zone of our synthetic CCCD holder.
const syntheticMRZ = "IDVNM0900123450001090012345<<<" +
	"9001011M3501014VNM<<<<<<<<<<<5" +
	"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"

// tinyJPEG is an 8x8 grey JPEG, kept in testdata/synthetic/photo.jpg so
// that the fixtures do not depend on the version of Go's JPEG encoder;
// -update writes it afresh.
func tinyJPEG(t testing.TB) []byte {
	t.Helper()
	path := filepath.Join("testdata", "synthetic", "photo.jpg")
	if !*update {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return b
	}
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 4)
	}
	img.Set(0, 0, color.Gray{Y: 255})
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 50}))
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	return buf.Bytes()
}

// syntheticDocument builds the typed files of the synthetic card.
func syntheticDocument(t testing.TB) *Document {
	t.Helper()
	m, err := mrz.Parse(syntheticMRZ)
	require.NoError(t, err)
	dg1, err := NewDG1(m)
	require.NoError(t, err)
	photo := tinyJPEG(t)
	face, err := bio.NewFace(photo)
	require.NoError(t, err)
	record, err := face.Encode()
	require.NoError(t, err)
	dg15, err := NewDG15FromKey(p256Base())
	require.NoError(t, err)
	return &Document{
		COM: NewCOM(EFDG1, EFDG2, EFDG5, EFDG7, EFDG11, EFDG12, EFDG13, EFDG14, EFDG15, EFDG16),
		DG1: dg1,
		DG2: &Biometric{File: EFDG2, Group: &bio.Group{Templates: []bio.Template{{
			Header: bio.NewHeader(bio.BiometricFace, bio.SubtypeNone, bio.FormatTypeFaceImage),
			Data:   record,
		}}}},
		DG5: &DisplayedImages{File: EFDG5, Images: []DisplayedImage{{Tag: TagDisplayedPortrait, Data: photo}}},
		DG7: &DisplayedImages{File: EFDG7, Images: []DisplayedImage{{Tag: TagDisplayedSignature, Data: photo}}},
		DG11: &DG11{
			FullName:        "NGUYEN<<VAN<AN",
			OtherNames:      []string{"Nguyễn Văn An"},
			PersonalNumber:  "001090012345",
			FullDateOfBirth: NewDate(1990, 1, 1),
			PlaceOfBirth:    "HA NOI<VIET NAM",
			Address:         "1 PHO TRANG TIEN<HOAN KIEM<HA NOI",
		},
		DG12: &DG12{
			IssuingAuthority:            "CUC CANH SAT QUAN LY HANH CHINH VE TRAT TU XA HOI",
			DateOfIssue:                 NewDate(2025, 1, 1),
			PersonalizationTime:         NewDateTime(time.Date(2025, 1, 1, 9, 30, 0, 0, time.UTC)),
			PersonalizationSystemSerial: "SYN-0001",
		},
		DG13: &DG13{Content: []byte{0x02, 0x01, 0x01, 0x30, 0x06, 0x02, 0x01, 0x01, 0x13, 0x01, 0x41}},
		DG14: &DG14{SecurityInfos: securityInfos},
		DG15: dg15,
		DG16: &DG16{Persons: []PersonToNotify{{
			DateRecorded: NewDate(2025, 1, 1),
			Name:         "TRAN<<THI<BINH",
			Telephone:    "0240000000",
			Address:      "1 PHO TRANG TIEN<HOAN KIEM<HA NOI",
		}}},
		SOD: &SOD{CMS: []byte{0x30, 0x00}},
	}
}

func fixtureName(f File) string {
	return strings.ToLower(strings.NewReplacer("EF.", "", "/", "_").Replace(f.String())) + ".hex"
}

// TestSyntheticFixtures freezes the encoding of every file type: the files
// built from typed values must equal testdata/synthetic byte for byte, and
// parse back to the same values.
func TestSyntheticFixtures(t *testing.T) {
	doc := syntheticDocument(t)
	files, err := doc.Encode()
	require.NoError(t, err)
	require.Equal(t, 12, len(files))
	for f, b := range files {
		path := filepath.Join("testdata", "synthetic", fixtureName(f))
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(strings.ToUpper(hexString(b))+"\n"), 0o644))
			continue
		}
		require.Equal(t, vectors.Hex(t, filepath.Join("testdata", "synthetic", fixtureName(f))), b, f.String())
	}
	fromDisk := make(map[File][]byte)
	for f := range files {
		fromDisk[f] = vectors.Hex(t, filepath.Join("testdata", "synthetic", fixtureName(f)))
	}
	back, err := ParseDocument(fromDisk)
	require.NoError(t, err)
	want := syntheticDocument(t)
	want.raw = back.raw
	require.Equal(t, want, back)
	for f, b := range back.Files() {
		require.Equal(t, files[f], b)
	}
}

func hexString(b []byte) string {
	const digits = "0123456789ABCDEF"
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%32 == 0 {
			sb.WriteByte('\n')
		}
		sb.WriteByte(digits[c>>4])
		sb.WriteByte(digits[c&15])
	}
	return sb.String()
}

func TestDocumentAccessors(t *testing.T) {
	doc := syntheticDocument(t)
	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	require.Equal(t, "NGUYEN VAN AN", doc.FullName())
	require.Equal(t, "090012345", doc.DocumentNumber())
	require.Equal(t, "001090012345", doc.PersonalNumber())
	require.Equal(t, "1990-01-01", doc.DateOfBirth(ref).String())
	require.Equal(t, "2035-01-01", doc.DateOfExpiry(ref).String())
	img, format, ok := doc.FaceImage()
	require.True(t, ok)
	require.Equal(t, bio.FormatJPEG, format)
	require.Equal(t, tinyJPEG(t), img)

	// Without DG11 the MRZ answers; without DG2 the displayed portrait.
	doc.DG11 = nil
	doc.DG2 = nil
	require.Equal(t, "NGUYEN VAN AN", doc.FullName())
	require.Equal(t, "001090012345", doc.PersonalNumber())
	dob := doc.DateOfBirth(ref)
	require.Equal(t, &Date{Raw: []byte("900101"), Year: 1990, Month: 1, Day: 1}, dob)
	img, format, ok = doc.FaceImage()
	require.True(t, ok)
	require.Equal(t, bio.FormatJPEG, format)
	require.Equal(t, tinyJPEG(t), img)

	empty := &Document{}
	require.Equal(t, "", empty.FullName())
	require.Equal(t, "", empty.DocumentNumber())
	require.Equal(t, "", empty.PersonalNumber())
	require.Nil(t, empty.DateOfBirth(ref))
	require.Nil(t, empty.DateOfExpiry(ref))
	_, _, ok = empty.FaceImage()
	require.False(t, ok)
	require.Nil(t, empty.Raw(EFDG1))
	require.False(t, empty.Has(EFDG1))

	// A passport from another state: no personal number from a TD1.
	nld, err := ParseDG1(vectors.Hex(t, "testdata/icao9303/dg1_a2_td1.hex"))
	require.NoError(t, err)
	require.Equal(t, "", (&Document{DG1: nld}).PersonalNumber())
}

func TestDocumentIssuance(t *testing.T) {
	doc := syntheticDocument(t)
	doc.COM = nil
	doc.SOD = nil
	files, err := doc.Encode()
	require.NoError(t, err)
	require.Equal(t, []File{EFDG1, EFDG2, EFDG5, EFDG7, EFDG11, EFDG12, EFDG13, EFDG14, EFDG15, EFDG16}, doc.COM.DataGroups)
	require.NotContains(t, files, EFSOD)

	// What the Document Signer hashes (crypto/pki.NewSOD): every data
	// group's bytes, keyed by number, and nothing else.
	dgs := DataGroupFiles(files)
	require.Len(t, dgs, 10)
	for n, b := range dgs {
		require.Equal(t, files[DataGroup(n)], b)
	}
	require.NotContains(t, dgs, 0)
	require.Empty(t, DataGroupFiles(map[File][]byte{EFCOM: {0x60}, EFSOD: {0x77}, EFCardAccess: {0x31}}))

	// Iteration order and early stop.
	var order []File
	for f := range doc.Files() {
		order = append(order, f)
		if f == EFDG5 {
			break
		}
	}
	require.Equal(t, []File{EFCOM, EFDG1, EFDG2, EFDG5}, order)

	// An encoding error is reported and leaves the other files.
	doc.DG16.Persons = make([]PersonToNotify, 31)
	_, err = doc.Encode()
	requireParseError(t, err, EFDG16, ErrTooLarge)
}

func TestParseDocumentErrors(t *testing.T) {
	files := map[File][]byte{
		EFCOM:        vectors.Hex(t, "testdata/icao9303/com_a1_case1.hex"),
		EFDG1:        vectors.Unhex(t, "61 03 5F1F 00"), // MRZ unreadable
		EFDG11:       vectors.Unhex(t, "6B 02 5F0E 00"), // no tag list... and truncated
		EFDG8:        {0x68, 0x00},                      // kept as bytes
		EFCardAccess: {0x31, 0x00},                      // kept as bytes
		File(99):     {0x00},                            // no such file
		EFDG2:        vectors.Unhex(t, "75 03 7F61 00"), // empty group
		EFDG5:        make([]byte, LargeFileLimit+1),    // too large
	}
	doc, err := ParseDocument(files)
	require.Error(t, err)
	require.NotNil(t, doc.COM)
	require.NotNil(t, doc.DG1)
	require.Nil(t, doc.DG1.MRZ)
	require.Nil(t, doc.DG11)
	require.Nil(t, doc.DG2)
	require.Equal(t, []byte{0x68, 0x00}, doc.Raw(EFDG8))
	require.Equal(t, []byte{0x31, 0x00}, doc.Raw(EFCardAccess))
	require.False(t, doc.Has(EFDG5))
	var failed []File
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var pe *ParseError
		require.True(t, errors.As(e, &pe))
		failed = append(failed, pe.File)
	}
	require.ElementsMatch(t, []File{EFDG1, EFDG2, EFDG5, EFDG11, File(99)}, failed)
	require.ErrorIs(t, err, mrz.ErrLength)
	require.ErrorIs(t, err, ErrUnknownFile)
	require.ErrorIs(t, err, ErrTooLarge)

	// The document does not alias the caller's bytes.
	files[EFCOM][0] = 0xFF
	require.Equal(t, byte(0x60), doc.Raw(EFCOM)[0])
	require.Equal(t, []File{EFDG1, EFDG2, EFDG8, EFDG11}, doc.DataGroups())

	d := &Document{}
	requireParseError(t, d.Set(File(0), nil), File(0), ErrUnknownFile)
}

func TestBiometricErrors(t *testing.T) {
	_, err := ParseBiometric(EFDG5, vectors.Unhex(t, "65 00"))
	requireParseError(t, err, EFDG5, ErrUnknownFile)
	_, err = ParseDG2(vectors.Unhex(t, "63 00"))
	requireParseError(t, err, EFDG2, ErrWrongTag)
	_, err = ParseDG2(vectors.Unhex(t, "75 03 7F61 00"))
	pe := requireParseError(t, err, EFDG2, bio.ErrMissing)
	require.Equal(t, 2, pe.Offset)
	_, err = (&Biometric{File: EFDG1}).Encode()
	requireParseError(t, err, EFDG1, ErrUnknownFile)
	_, err = (&Biometric{File: EFDG3}).Encode()
	requireParseError(t, err, EFDG3, ErrMissingField)
	_, err = (&Biometric{File: EFDG3, Group: &bio.Group{}}).Encode()
	require.Error(t, err)
	_, err = (&Biometric{File: EFDG3}).Face()
	requireParseError(t, err, EFDG3, ErrMissingField)
	enc := &Biometric{File: EFDG2, Group: &bio.Group{Templates: []bio.Template{{Enciphered: true, Data: []byte{1}}}}}
	_, err = enc.Face()
	requireParseError(t, err, EFDG2, ErrMissingField)
	bad := &Biometric{File: EFDG2, Group: &bio.Group{Templates: []bio.Template{{Data: []byte{1}}}}}
	_, err = bad.Face()
	require.Error(t, err)
}

func TestBiometricDG3DG4(t *testing.T) {
	for _, tc := range []struct {
		f    File
		typ  bio.BiometricType
		sub  bio.BiometricSubtype
		form uint16
		tag  byte
	}{
		{EFDG3, bio.BiometricFinger, bio.SubtypeRight | bio.SubtypeThumb, bio.FormatTypeFingerImage, 0x63},
		{EFDG4, bio.BiometricIris, bio.SubtypeLeft, bio.FormatTypeIrisImage, 0x76},
	} {
		d := &Biometric{File: tc.f, Group: &bio.Group{Templates: []bio.Template{{
			Header: bio.NewHeader(tc.typ, tc.sub, tc.form),
			Data:   []byte{1, 2, 3},
		}}}}
		b, err := d.Encode()
		require.NoError(t, err)
		require.Equal(t, tc.tag, b[0])
		back, err := ParseBiometric(tc.f, b)
		require.NoError(t, err)
		require.Equal(t, d, back)
		_, err = back.Face()
		requireParseError(t, err, tc.f, ErrMissingField)
	}
}
