package sim

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/mrz"
)

// DemoCitizen is the synthetic holder of DemoCCCD: no real person.
var DemoCitizen = cccd.Citizen{
	PersonalNumber:         "001090012345",
	FullName:               "Nguyễn Văn An",
	DateOfBirth:            cccd.NewDate(1990, 1, 1),
	Sex:                    "Nam",
	Nationality:            "Việt Nam",
	Ethnicity:              "Kinh",
	Religion:               "Không",
	PlaceOfOrigin:          "Xã Đông Hội, Huyện Đông Anh, Hà Nội",
	PlaceOfResidence:       "Số 1 Phố Tràng Tiền, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội",
	IdentificationFeatures: "Nốt ruồi C:2cm trên trước mép trái",
	DateOfIssue:            cccd.NewDate(2021, 1, 1),
	DateOfExpiry:           cccd.NewDate(2035, 1, 1),
	Father:                 "Nguyễn Văn Bình",
	Mother:                 "Trần Thị Cúc",
}

// DemoCCCD returns the document of a synthetic Vietnamese CCCD holder
// (DemoCitizen): DG1 (TD1 MRZ), DG2 (a generated face image of about
// 15 KB), DG3 (two generated fingerprint images, readable only after
// Terminal Authentication) and DG13. Personalize adds DG15, EF.COM and EF.SOD.
func DemoCCCD() (*chip.Document, error) {
	c := DemoCitizen
	dob, err := mrz.NewDate(c.DateOfBirth.Year, c.DateOfBirth.Month, c.DateOfBirth.Day)
	if err != nil {
		return nil, err
	}
	doe, err := mrz.NewDate(c.DateOfExpiry.Year, c.DateOfExpiry.Month, c.DateOfExpiry.Day)
	if err != nil {
		return nil, err
	}
	m, err := mrz.NewVNMID(c.PersonalNumber, c.FullName, dob, mrz.Male, doe)
	if err != nil {
		return nil, err
	}
	doc := &chip.Document{}
	if doc.DG1, err = chip.NewDG1(m); err != nil {
		return nil, err
	}
	if doc.DG2, err = demoFace(); err != nil {
		return nil, err
	}
	if doc.DG3, err = demoFingers(); err != nil {
		return nil, err
	}
	dg13, err := cccd.NewDG13(c)
	if err != nil {
		return nil, err
	}
	b, err := dg13.Encode()
	if err != nil {
		return nil, err
	}
	if err := doc.Set(chip.EFDG13, b); err != nil {
		return nil, err
	}
	return doc, nil
}

// DemoCCCD2023 returns the document of DemoCitizen on the identity card of
// the Identity Law 2023 (ProfileCCCD2023): DemoCCCD's data groups plus
// DG4, two generated iris images (right and left eye, 640x480 grey JPEG,
// one ISO/IEC 19794-6 record each). Like DG3, DG4 is readable only after Terminal
// Authentication.
func DemoCCCD2023() (*chip.Document, error) {
	doc, err := DemoCCCD()
	if err != nil {
		return nil, err
	}
	if doc.DG4, err = demoIrises(); err != nil {
		return nil, err
	}
	return doc, nil
}

// DemoDocument returns the demo document of a personalization profile.
func DemoDocument(profile string) (*chip.Document, error) {
	switch profile {
	case ProfileCCCD:
		return DemoCCCD()
	case ProfileCCCD2023:
		return DemoCCCD2023()
	case ProfileICAOPassport:
		return DemoPassport()
	}
	return nil, fmt.Errorf("%w: unknown profile %q", ErrPersonalize, profile)
}

// DemoPassport returns the document of a synthetic Vietnamese passport
// holder (no real person): DG1 (TD3 MRZ), DG2, DG11. Its issuing state is
// VNM, the state of the test PKI's Document Signer (C=VN): verifiers check
// that the two agree (the ICAO specimen state UTO has no ISO 3166 code, and
// no Document Signer of it exists).
func DemoPassport() (*chip.Document, error) {
	dob, _ := mrz.NewDate(1974, 8, 12)
	doe, _ := mrz.NewDate(2032, 4, 15)
	m, err := mrz.New(mrz.TD3, mrz.Fields{
		DocumentCode: "P", IssuingState: "VNM", DocumentNumber: "L898902C3",
		DateOfBirth: dob, Sex: mrz.Female, DateOfExpiry: doe, Nationality: "VNM",
		PrimaryIdentifier: "TRAN", SecondaryIdentifier: "THI BINH",
	})
	if err != nil {
		return nil, err
	}
	doc := &chip.Document{}
	if doc.DG1, err = chip.NewDG1(m); err != nil {
		return nil, err
	}
	if doc.DG2, err = demoFace(); err != nil {
		return nil, err
	}
	doc.DG11 = &chip.DG11{FullName: "TRAN<<THI<BINH", PlaceOfBirth: "HA NOI"}
	return doc, nil
}

// encodeJPEG encodes a demo image as JPEG at the given quality.
func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// demoFace draws a synthetic face (an oval on a textured background) and
// wraps it as DG2.
func demoFace() (*chip.Biometric, error) {
	const w, h = 360, 480
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// A background with some texture, so the JPEG has a
			// realistic size.
			n := byte((x*7 ^ y*13) & 0x1F)
			c := color.RGBA{200 - n, 210 - n, 230 - n, 255}
			dx, dy := float64(x-w/2)/110, float64(y-h/2+20)/150
			if dx*dx+dy*dy < 1 {
				c = color.RGBA{224 - n/2, 180 - n/2, 150 - n/2, 255}
			}
			img.Set(x, y, c)
		}
	}
	data, err := encodeJPEG(img, 60)
	if err != nil {
		return nil, err
	}
	face, err := bio.NewFace(data)
	if err != nil {
		return nil, fmt.Errorf("sim: demo face: %w", err)
	}
	t, err := bio.NewFaceTemplate(face)
	if err != nil {
		return nil, err
	}
	return &chip.Biometric{File: chip.EFDG2, Group: &bio.Group{Templates: []bio.Template{t}}}, nil
}

// demoFingers draws two synthetic fingerprint images (concentric ridges)
// and wraps them as DG3, right and left index finger.
func demoFingers() (*chip.Biometric, error) {
	var tmpls []bio.Template
	for _, pos := range []bio.FingerPosition{bio.RightIndex, bio.LeftIndex} {
		const w, h = 160, 200
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx, dy := x-w/2-int(pos), y-h/2
				r := dx*dx + dy*dy*2/3
				img.SetGray(x, y, color.Gray{Y: byte(128 + 100*((r/40)%2))})
			}
		}
		data, err := encodeJPEG(img, 50)
		if err != nil {
			return nil, err
		}
		f, err := bio.NewFinger(500, bio.FingerView{Position: pos, Data: data})
		if err != nil {
			return nil, err
		}
		t, err := bio.NewFingerTemplate(f)
		if err != nil {
			return nil, err
		}
		tmpls = append(tmpls, t)
	}
	return &chip.Biometric{File: chip.EFDG3, Group: &bio.Group{Templates: tmpls}}, nil
}

// demoIrises draws a synthetic iris per eye (a dark pupil, a textured iris
// ring, a light sclera) and wraps them as DG4: one ISO/IEC 19794-6 record
// per eye (subtype right, then left), as DG3 has one record per finger.
func demoIrises() (*chip.Biometric, error) {
	var eyes [2][]byte
	for i := range eyes {
		const w, h = 640, 480
		img := image.NewGray(image.Rect(0, 0, w, h))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				dx, dy := x-w/2, y-h/2
				r2 := dx*dx + dy*dy
				g := byte(215)
				switch {
				case r2 < 45*45:
					g = 20
				case r2 < 130*130:
					// Radial texture that differs between the eyes.
					g = byte(90 + (dx*(3+i)^dy*5)&0x3F)
				}
				img.SetGray(x, y, color.Gray{Y: g})
			}
		}
		data, err := encodeJPEG(img, 50)
		if err != nil {
			return nil, err
		}
		eyes[i] = data
	}
	var tmpls []bio.Template
	for _, ir := range [][2][]byte{{eyes[0], nil}, {nil, eyes[1]}} {
		rec, err := bio.NewIris(ir[0], ir[1])
		if err != nil {
			return nil, err
		}
		t, err := bio.NewIrisTemplate(rec)
		if err != nil {
			return nil, err
		}
		tmpls = append(tmpls, t)
	}
	return &chip.Biometric{File: chip.EFDG4, Group: &bio.Group{Templates: tmpls}}, nil
}
