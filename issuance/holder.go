// Package issuance turns a holder's record, as a personalization station
// receives it (a JSON document, see Holder), into the typed data groups of a
// chip.Document, ready for signing (see chip/sim.Personalize for a card
// image, crypto/pki for EF.SOD).
package issuance

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/mrz"
)

// Holder is one holder's record in the JSON form the cancuoc tool and the
// issuance example read. Dates are "YYYY-MM-DD". Profile "cccd" uses the
// Vietnamese fields (personal_number and the DG13 fields); "icao-passport"
// uses document_number, issuing_state, nationality and the names.
type Holder struct {
	Profile string `json:"profile"` // "cccd" (default) or "icao-passport"

	// Common.
	FullName     string `json:"full_name"`     // as printed, with diacritics: "Nguyễn Văn An"
	DateOfBirth  string `json:"date_of_birth"` // YYYY-MM-DD
	Sex          string `json:"sex"`           // M, F or X
	DateOfExpiry string `json:"date_of_expiry"`
	// FaceImage is the path of a JPEG or JPEG 2000 face image (relative
	// paths are relative to the JSON file); empty for no DG2.
	FaceImage string `json:"face_image,omitempty"`

	// CCCD.
	PersonalNumber         string `json:"personal_number,omitempty"`
	DateOfIssue            string `json:"date_of_issue,omitempty"`
	NoExpiry               bool   `json:"no_expiry,omitempty"`
	Nationality            string `json:"nationality,omitempty"` // cccd: "Việt Nam"; passport: 3-letter code
	Ethnicity              string `json:"ethnicity,omitempty"`
	Religion               string `json:"religion,omitempty"`
	PlaceOfOrigin          string `json:"place_of_origin,omitempty"`
	PlaceOfResidence       string `json:"place_of_residence,omitempty"`
	IdentificationFeatures string `json:"identification_features,omitempty"`
	Father                 string `json:"father,omitempty"`
	Mother                 string `json:"mother,omitempty"`
	Spouse                 string `json:"spouse,omitempty"`
	OldIDNumber            string `json:"old_id_number,omitempty"`

	// Passport.
	DocumentNumber string `json:"document_number,omitempty"`
	IssuingState   string `json:"issuing_state,omitempty"`
	Surname        string `json:"surname,omitempty"`
	GivenNames     string `json:"given_names,omitempty"`
	PlaceOfBirth   string `json:"place_of_birth,omitempty"`

	// dir is where relative paths start.
	dir string
}

// ErrHolder is wrapped by every error about a holder record.
var ErrHolder = errors.New("issuance: bad holder record")

// MaxHolderSize bounds a holder JSON record.
const MaxHolderSize = 1 << 20

// ReadHolder reads a holder record from a JSON file.
func ReadHolder(path string) (*Holder, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := DecodeHolder(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h.dir = filepath.Dir(path)
	return h, nil
}

// DecodeHolder reads one holder record (unknown fields are errors: a typo
// must not leave a field silently empty).
func DecodeHolder(r io.Reader) (*Holder, error) {
	dec := json.NewDecoder(io.LimitReader(r, MaxHolderSize))
	dec.DisallowUnknownFields()
	var h Holder
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHolder, err)
	}
	return &h, nil
}

// SetDir sets the directory relative image paths start from.
func (h *Holder) SetDir(dir string) { h.dir = dir }

// Document builds the holder's data groups: DG1 and DG2 always (DG2 when a
// face image is given), DG13 for a CCCD, DG11 for a passport.
func (h *Holder) Document() (*chip.Document, error) {
	dob, err := parseDate("date_of_birth", h.DateOfBirth)
	if err != nil {
		return nil, err
	}
	doe, err := parseDate("date_of_expiry", h.DateOfExpiry)
	if err != nil {
		return nil, err
	}
	mdob, err := mrz.NewDate(dob.Year(), int(dob.Month()), dob.Day())
	if err != nil {
		return nil, fmt.Errorf("%w: date_of_birth: %w", ErrHolder, err)
	}
	mdoe, err := mrz.NewDate(doe.Year(), int(doe.Month()), doe.Day())
	if err != nil {
		return nil, fmt.Errorf("%w: date_of_expiry: %w", ErrHolder, err)
	}
	sex := mrz.Sex('<')
	switch strings.ToUpper(h.Sex) {
	case "M":
		sex = mrz.Male
	case "F":
		sex = mrz.Female
	case "X", "":
	default:
		return nil, fmt.Errorf("%w: sex %q: want M, F or X", ErrHolder, h.Sex)
	}
	doc := &chip.Document{}
	switch h.Profile {
	case "", "cccd":
		m, err := mrz.NewVNMID(h.PersonalNumber, h.FullName, mdob, sex, mdoe)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrHolder, err)
		}
		if doc.DG1, err = chip.NewDG1(m); err != nil {
			return nil, err
		}
		if err := h.dg13(doc, dob, doe); err != nil {
			return nil, err
		}
	case "icao-passport":
		m, err := mrz.New(mrz.TD3, mrz.Fields{
			DocumentCode: "P", IssuingState: h.IssuingState, DocumentNumber: h.DocumentNumber,
			DateOfBirth: mdob, Sex: sex, DateOfExpiry: mdoe, Nationality: h.Nationality,
			PrimaryIdentifier: h.Surname, SecondaryIdentifier: h.GivenNames,
		})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrHolder, err)
		}
		if doc.DG1, err = chip.NewDG1(m); err != nil {
			return nil, err
		}
		if h.FullName != "" || h.PlaceOfBirth != "" {
			doc.DG11 = &chip.DG11{FullName: h.FullName, PlaceOfBirth: h.PlaceOfBirth}
		}
	default:
		return nil, fmt.Errorf("%w: unknown profile %q", ErrHolder, h.Profile)
	}
	if h.FaceImage != "" {
		path := h.FaceImage
		if !filepath.IsAbs(path) && h.dir != "" {
			path = filepath.Join(h.dir, path)
		}
		img, err := readFace(path)
		if err != nil {
			return nil, fmt.Errorf("%w: face_image: %w", ErrHolder, err)
		}
		if doc.DG2, err = FaceGroup(img); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func (h *Holder) dg13(doc *chip.Document, dob, doe time.Time) error {
	c := cccd.Citizen{
		PersonalNumber: h.PersonalNumber, FullName: h.FullName,
		DateOfBirth: cccd.NewDate(dob.Year(), int(dob.Month()), dob.Day()),
		Nationality: h.Nationality, Ethnicity: h.Ethnicity, Religion: h.Religion,
		PlaceOfOrigin: h.PlaceOfOrigin, PlaceOfResidence: h.PlaceOfResidence,
		IdentificationFeatures: h.IdentificationFeatures,
		Father:                 h.Father, Mother: h.Mother, Spouse: h.Spouse, OldIDNumber: h.OldIDNumber,
	}
	switch strings.ToUpper(h.Sex) {
	case "M":
		c.Sex = "Nam"
	case "F":
		c.Sex = "Nữ"
	}
	if c.Nationality == "" {
		c.Nationality = "Việt Nam"
	}
	if h.NoExpiry {
		c.DateOfExpiry, c.NoExpiry = cccd.Date{Raw: cccd.NoExpiryText}, true
	} else {
		c.DateOfExpiry = cccd.NewDate(doe.Year(), int(doe.Month()), doe.Day())
	}
	if h.DateOfIssue != "" {
		doi, err := parseDate("date_of_issue", h.DateOfIssue)
		if err != nil {
			return err
		}
		c.DateOfIssue = cccd.NewDate(doi.Year(), int(doi.Month()), doi.Day())
	}
	if err := c.CheckPersonalNumber(); err != nil {
		return fmt.Errorf("%w: %w", ErrHolder, err)
	}
	dg13, err := cccd.NewDG13(c)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrHolder, err)
	}
	b, err := dg13.Encode()
	if err != nil {
		return err
	}
	return doc.Set(chip.EFDG13, b)
}

// FaceGroup wraps a JPEG or JPEG 2000 face image as DG2.
func FaceGroup(img []byte) (*chip.Biometric, error) {
	face, err := bio.NewFace(img)
	if err != nil {
		return nil, fmt.Errorf("%w: face image: %w", ErrHolder, err)
	}
	t, err := bio.NewFaceTemplate(face)
	if err != nil {
		return nil, err
	}
	return &chip.Biometric{File: chip.EFDG2, Group: &bio.Group{Templates: []bio.Template{t}}}, nil
}

func parseDate(field, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %s %q: want YYYY-MM-DD", ErrHolder, field, s)
	}
	return t, nil
}

// String hides the record: its personal number gives the CAN of a CCCD,
// and its document number and dates give the MRZ key.
func (h Holder) String() string { return "issuance.Holder{profile: " + h.Profile + ", redacted}" }

// GoString hides the record from %#v.
func (h Holder) GoString() string { return h.String() }

// Format prints String for every verb, so that %d, %x or %+v never show
// the holder's data (the personal number gives a CCCD's CAN, the dates and document number its MRZ key).
func (h Holder) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, h.String()) }

// MarshalJSON writes String as a JSON string (a record is read with DecodeHolder; it is not written back): the holder's data (the personal number gives a CCCD's CAN, the dates and document number its MRZ key) never reach JSON.
func (h Holder) MarshalJSON() ([]byte, error) { return json.Marshal(h.String()) }

// LogValue is String, for log/slog.
func (h Holder) LogValue() slog.Value { return slog.StringValue(h.String()) }

// readFace reads a face image file, refusing one larger than DG2 may be
// before it is read whole.
func readFace(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	max := int64(chip.EFDG2.MaxSize())
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: larger than the %d bytes of a DG2", path, max)
	}
	return b, nil
}
