// Package issuance turns a holder's record, as a personalization station
// receives it (a JSON document, see Holder), into the typed data groups of a
// chip.Document, ready for signing (see chip/sim.Personalize for a card
// image, crypto/pki for EF.SOD).
//
// A record can fill every data group a chip holds: DG1 (the MRZ, built from
// the record), DG2 (face, JPEG or JPEG 2000), DG3 (fingerprints, ISO/IEC
// 19794-4, from image files), DG4 (irises, ISO/IEC 19794-6), DG5 (displayed
// portrait), DG7 (displayed signature), DG11 (additional personal details),
// DG12 (additional document details), DG13 (a CCCD's citizen data) and DG16
// (persons to notify). DG6 is reserved by ICAO Doc 9303 and never written.
//
// Every field is checked before anything is built. The errors name the
// field and the problem ("date_of_birth 1990-02-30: no such day",
// "full_name: missing, required"); Document returns all of them at once,
// each a *FieldError wrapping ErrHolder.
package issuance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/mrz"
)

// Profiles a holder record can name.
const (
	ProfileCCCD         = "cccd"          // Vietnam's chip-based citizen identity card
	ProfileCCCD2023     = "cccd-2023"     // the card of the Identity Law 2023: a CCCD with fingerprints and irises
	ProfileICAOPassport = "icao-passport" // a TD3 passport
)

// Holder is one holder's record in the JSON form the cancuoc tool and the
// issuance example read. Dates are "YYYY-MM-DD". Image paths are relative
// to the JSON file (see SetDir). Profile "cccd" (and "cccd-2023") uses the
// Vietnamese fields (personal_number and the DG13 fields); "icao-passport"
// uses document_number, issuing_state, nationality and the names.
type Holder struct {
	Profile string `json:"profile"` // "cccd" (default), "cccd-2023" or "icao-passport"

	// Common.
	FullName     string `json:"full_name"`     // as printed, with diacritics: "Nguyễn Văn An"
	DateOfBirth  string `json:"date_of_birth"` // YYYY-MM-DD
	Sex          string `json:"sex"`           // M, F or X
	DateOfExpiry string `json:"date_of_expiry"`
	// FaceImage is the path of a JPEG or JPEG 2000 face image: DG2.
	FaceImage string `json:"face_image,omitempty"`
	// Fingerprints are DG3: one ISO/IEC 19794-4 record per finger.
	Fingerprints []Fingerprint `json:"fingerprints,omitempty"`
	// Irises are DG4: one ISO/IEC 19794-6 record per eye.
	Irises []Iris `json:"irises,omitempty"`
	// DisplayedPortrait (DG5) and SignatureImage (DG7, the displayed
	// signature or usual mark) are paths of JPEG or JPEG 2000 images.
	DisplayedPortrait string `json:"displayed_portrait,omitempty"`
	SignatureImage    string `json:"signature_image,omitempty"`

	// CCCD.
	PersonalNumber         string `json:"personal_number,omitempty"`
	DateOfIssue            string `json:"date_of_issue,omitempty"` // DG13 on a CCCD, DG12 on a passport
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

	// DG11, additional personal details (PlaceOfBirth and, on a
	// passport, FullName go there too).
	PlaceOfBirth       string   `json:"place_of_birth,omitempty"`
	OtherNames         []string `json:"other_names,omitempty"`
	Address            string   `json:"address,omitempty"`
	Telephone          string   `json:"telephone,omitempty"`
	Profession         string   `json:"profession,omitempty"`
	Title              string   `json:"title,omitempty"`
	PersonalSummary    string   `json:"personal_summary,omitempty"`
	OtherTDNumbers     string   `json:"other_td_numbers,omitempty"`
	CustodyInformation string   `json:"custody_information,omitempty"`
	// ProofOfCitizenship is the path of an image (JPEG or JPEG 2000).
	ProofOfCitizenship string `json:"proof_of_citizenship,omitempty"`

	// DG12, additional document details.
	IssuingAuthority    string   `json:"issuing_authority,omitempty"`
	OtherPersons        []string `json:"other_persons,omitempty"`
	Endorsements        string   `json:"endorsements,omitempty"`
	TaxExitRequirements string   `json:"tax_exit_requirements,omitempty"`
	// DocumentFront and DocumentRear are paths of images of the document.
	DocumentFront string `json:"document_front_image,omitempty"`
	DocumentRear  string `json:"document_rear_image,omitempty"`

	// DG16, persons to notify.
	PersonsToNotify []PersonToNotify `json:"persons_to_notify,omitempty"`

	// dir is where relative paths start.
	dir string
	// noFiles refuses every image path (fuzzing).
	noFiles bool
}

// Fingerprint is one finger of DG3.
type Fingerprint struct {
	// Position is the finger: right_thumb, right_index, right_middle,
	// right_ring, right_little, left_thumb ... left_little.
	Position string `json:"position"`
	// Image is the path of the image: WSQ, JPEG, JPEG 2000 or PNG.
	Image string `json:"image"`
	// PPI is the scan resolution: 500 (default) or 1000.
	PPI int `json:"ppi,omitempty"`
	// Width and Height in pixels are needed for WSQ images only (the
	// others say their size).
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// Iris is one eye of DG4.
type Iris struct {
	Eye   string `json:"eye"`   // "right" or "left"
	Image string `json:"image"` // JPEG, JPEG-LS or JPEG 2000
}

// PersonToNotify is one entry of DG16.
type PersonToNotify struct {
	Name         string `json:"name"`
	Telephone    string `json:"telephone,omitempty"`
	Address      string `json:"address,omitempty"`
	DateRecorded string `json:"date_recorded,omitempty"` // YYYY-MM-DD
}

// ErrHolder is wrapped by every error about a holder record.
var ErrHolder = errors.New("issuance: bad holder record")

// FieldError is a field of a holder record that is missing or wrong.
type FieldError struct {
	// Field is the JSON name, with an index for list entries:
	// "fingerprints[1].position".
	Field string
	// Value is the value as given, when showing it helps and it is no
	// access key (dates yes; personal and document numbers no).
	Value string
	// Problem says what is wrong: "no such day", "missing, required".
	Problem string
	// Err is the underlying error, if any.
	Err error
}

func (e *FieldError) Error() string {
	s := e.Field
	if e.Value != "" {
		s += " " + e.Value
	}
	s += ": " + e.Problem
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

// Unwrap gives ErrHolder and the underlying error.
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrHolder}
	}
	return []error{ErrHolder, e.Err}
}

// Limits of a record.
const (
	// MaxHolderSize bounds a holder JSON record.
	MaxHolderSize = 1 << 20
	// MaxTextLength bounds a text field, in characters.
	MaxTextLength = 500
	// MaxImageFile bounds an image file (bio.MaxImageSize).
	MaxImageFile = bio.MaxImageSize
	// MaxEntries bounds the lists (other names, other persons, persons to
	// notify).
	MaxEntries = 20
)

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
// must not leave a field silently empty), of at most MaxHolderSize bytes
// and with nothing after it: a second record or stray bytes are an error,
// not silently left out.
func DecodeHolder(r io.Reader) (*Holder, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxHolderSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHolder, err)
	}
	if len(b) > MaxHolderSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrHolder, MaxHolderSize)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var h Holder
	if err := dec.Decode(&h); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrHolder, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the record at offset %d", ErrHolder, dec.InputOffset())
	}
	return &h, nil
}

// SetDir sets the directory relative image paths start from.
func (h *Holder) SetDir(dir string) { h.dir = dir }

// checker collects the field errors of one record.
type checker struct {
	h    *Holder
	errs []error
}

// mrzDates writes the dates of birth and expiry as the MRZ holds them, or
// says which cannot be.
func (c *checker) mrzDates(dob, doe time.Time) (mdob, mdoe mrz.Date) {
	var err error
	if mdob, err = mrz.NewDate(dob.Year(), int(dob.Month()), dob.Day()); err != nil {
		c.fail("date_of_birth", c.h.DateOfBirth, "cannot be written in the MRZ", err)
	}
	if mdoe, err = mrz.NewDate(doe.Year(), int(doe.Month()), doe.Day()); err != nil {
		c.fail("date_of_expiry", c.h.DateOfExpiry, "cannot be written in the MRZ", err)
	}
	return mdob, mdoe
}

func (c *checker) fail(field, value, problem string, err error) {
	c.errs = append(c.errs, &FieldError{Field: field, Value: value, Problem: problem, Err: err})
}

// required reports whether s is given, and says so when it is not.
func (c *checker) required(field, s, why string) bool {
	if strings.TrimSpace(s) == "" {
		c.fail(field, "", "missing, required"+why, nil)
		return false
	}
	return true
}

// text checks a free text field: length and no control characters.
func (c *checker) text(field, s string) {
	if s == "" {
		return
	}
	if !utf8.ValidString(s) {
		c.fail(field, "", "not UTF-8", nil)
		return
	}
	if n := utf8.RuneCountInString(s); n > MaxTextLength {
		c.fail(field, "", fmt.Sprintf("%d characters, at most %d", n, MaxTextLength), nil)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			c.fail(field, "", fmt.Sprintf("control character %U", r), nil)
			return
		}
	}
}

// date parses a YYYY-MM-DD field, naming what is wrong with it.
func (c *checker) date(field, s string) (time.Time, bool) {
	var y, m, d int
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		c.fail(field, quoteIfOdd(s), "want YYYY-MM-DD", nil)
		return time.Time{}, false
	}
	if _, err := fmt.Sscanf(s, "%4d-%2d-%2d", &y, &m, &d); err != nil || !digits(s[:4]+s[5:7]+s[8:]) {
		c.fail(field, quoteIfOdd(s), "want YYYY-MM-DD", nil)
		return time.Time{}, false
	}
	switch {
	case y < 1800:
		c.fail(field, s, "year before 1800", nil)
		return time.Time{}, false
	case m < 1 || m > 12:
		c.fail(field, s, "no such month", nil)
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		c.fail(field, s, "no such day", nil)
		return time.Time{}, false
	}
	return t, true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// quoteIfOdd quotes a value that is not a plain short token.
func quoteIfOdd(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	for _, r := range s {
		if r <= ' ' || r == '"' || r > '~' {
			return fmt.Sprintf("%q", s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// image reads an image file named by a field.
func (c *checker) image(field, path string) ([]byte, bool) {
	if c.h.noFiles {
		c.fail(field, "", "image files are not read here", nil)
		return nil, false
	}
	if !filepath.IsAbs(path) && c.h.dir != "" {
		path = filepath.Join(c.h.dir, path)
	}
	// A regular file only: a FIFO would hang the batch at Open, a
	// device (/dev/zero, a tty) is no image.
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		c.fail(field, "", "not a regular file", nil)
		return nil, false
	}
	f, err := os.Open(path)
	if err != nil {
		c.fail(field, "", "cannot read the image", err)
		return nil, false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxImageFile+1))
	if err != nil {
		c.fail(field, "", "cannot read the image", err)
		return nil, false
	}
	if len(b) > MaxImageFile {
		c.fail(field, "", fmt.Sprintf("image larger than %d bytes", MaxImageFile), nil)
		return nil, false
	}
	return b, true
}

// displayImage reads a JPEG or JPEG 2000 image for DG5, DG7, DG11, DG12.
func (c *checker) displayImage(field, path string) ([]byte, bool) {
	b, ok := c.image(field, path)
	if !ok {
		return nil, false
	}
	switch f := bio.DetectImageFormat(b); {
	case f == bio.FormatJPEG, f.IsJPEG2000():
		return b, true
	default:
		c.fail(field, "", fmt.Sprintf("a %s image, want JPEG or JPEG 2000", f), nil)
		return nil, false
	}
}

// telephone checks a telephone number: digits, spaces, +, -, ( and ).
func (c *checker) telephone(field, s string) {
	if s == "" {
		return
	}
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case strings.ContainsRune(" +-()", r):
		default:
			c.fail(field, "", fmt.Sprintf("character %q, want digits, spaces and + - ( )", r), nil)
			return
		}
	}
	if n < 3 || n > 20 {
		c.fail(field, "", fmt.Sprintf("%d digits, want 3 to 20", n), nil)
	}
}

var fingerPositions = map[string]bio.FingerPosition{
	"right_thumb": bio.RightThumb, "right_index": bio.RightIndex, "right_middle": bio.RightMiddle,
	"right_ring": bio.RightRing, "right_little": bio.RightLittle, "left_thumb": bio.LeftThumb,
	"left_index": bio.LeftIndex, "left_middle": bio.LeftMiddle, "left_ring": bio.LeftRing,
	"left_little": bio.LeftLittle,
}

// Document checks the whole record and builds the holder's data groups:
// DG1 always, DG13 for a CCCD, and each other data group whose fields are
// given. All the problems of the record are returned together (errors.Join
// of *FieldError); nothing is built from a record with any.
func (h *Holder) Document() (*chip.Document, error) {
	c := &checker{h: h}
	doc := &chip.Document{}
	profile := h.Profile
	if profile == "" {
		profile = ProfileCCCD
	}
	cccdLike := profile == ProfileCCCD || profile == ProfileCCCD2023
	if !cccdLike && profile != ProfileICAOPassport {
		c.fail("profile", quoteIfOdd(profile), "unknown, want cccd, cccd-2023 or icao-passport", nil)
		return nil, errors.Join(c.errs...)
	}

	// Dates and sex.
	var dob, doe time.Time
	var dobOK, doeOK bool
	if c.required("date_of_birth", h.DateOfBirth, "") {
		dob, dobOK = c.date("date_of_birth", h.DateOfBirth)
	}
	if c.required("date_of_expiry", h.DateOfExpiry, "") {
		doe, doeOK = c.date("date_of_expiry", h.DateOfExpiry)
	}
	if dobOK && doeOK && !doe.After(dob) {
		c.fail("date_of_expiry", h.DateOfExpiry, "not after date_of_birth "+h.DateOfBirth, nil)
		doeOK = false
	}
	var doi time.Time
	doiOK := false
	if h.DateOfIssue != "" {
		if doi, doiOK = c.date("date_of_issue", h.DateOfIssue); doiOK {
			if dobOK && doi.Before(dob) {
				c.fail("date_of_issue", h.DateOfIssue, "before date_of_birth "+h.DateOfBirth, nil)
				doiOK = false
			} else if doeOK && !doi.Before(doe) {
				c.fail("date_of_issue", h.DateOfIssue, "not before date_of_expiry "+h.DateOfExpiry, nil)
				doiOK = false
			}
		}
	}
	sex := mrz.Sex('<')
	switch strings.ToUpper(h.Sex) {
	case "M":
		sex = mrz.Male
	case "F":
		sex = mrz.Female
	case "X", "":
	default:
		c.fail("sex", quoteIfOdd(h.Sex), "want M, F or X", nil)
	}
	for _, f := range []struct{ name, v string }{
		{"full_name", h.FullName}, {"nationality", h.Nationality}, {"ethnicity", h.Ethnicity}, {"religion", h.Religion},
		{"place_of_origin", h.PlaceOfOrigin}, {"place_of_residence", h.PlaceOfResidence},
		{"identification_features", h.IdentificationFeatures}, {"father", h.Father}, {"mother", h.Mother},
		{"spouse", h.Spouse}, {"old_id_number", h.OldIDNumber}, {"surname", h.Surname}, {"given_names", h.GivenNames},
		{"place_of_birth", h.PlaceOfBirth}, {"address", h.Address}, {"profession", h.Profession}, {"title", h.Title},
		{"personal_summary", h.PersonalSummary}, {"other_td_numbers", h.OtherTDNumbers},
		{"custody_information", h.CustodyInformation}, {"issuing_authority", h.IssuingAuthority},
		{"endorsements", h.Endorsements}, {"tax_exit_requirements", h.TaxExitRequirements},
	} {
		c.text(f.name, f.v)
	}
	c.telephone("telephone", h.Telephone)

	// DG1 (and DG13 for a CCCD).
	var m *mrz.MRZ
	if cccdLike {
		c.required("full_name", h.FullName, "")
		if c.required("personal_number", h.PersonalNumber, "") {
			if len(h.PersonalNumber) != 12 || !digits(h.PersonalNumber) {
				c.fail("personal_number", "", fmt.Sprintf("%d characters, want 12 digits", utf8.RuneCountInString(h.PersonalNumber)), nil)
			}
		}
		if h.DocumentNumber != "" || h.IssuingState != "" || h.Surname != "" || h.GivenNames != "" {
			c.fail("document_number", "", "a CCCD's document number, state and names come from personal_number and full_name; leave document_number, issuing_state, surname and given_names out", nil)
		}
		if profile == ProfileCCCD2023 {
			if len(h.Fingerprints) == 0 {
				c.fail("fingerprints", "", "missing, required on a cccd-2023 card (DG3)", nil)
			}
			if len(h.Irises) == 0 {
				c.fail("irises", "", "missing, required on a cccd-2023 card (DG4)", nil)
			}
		}
		if len(c.errs) == 0 {
			mdob, mdoe := c.mrzDates(dob, doe)
			if len(c.errs) == 0 {
				var err error
				if m, err = mrz.NewVNMID(h.PersonalNumber, h.FullName, mdob, sex, mdoe); err != nil {
					c.fail("full_name", "", "cannot be written in the MRZ", err)
				}
			}
		}
	} else {
		c.required("document_number", h.DocumentNumber, "")
		c.required("issuing_state", h.IssuingState, "")
		c.required("nationality", h.Nationality, "")
		c.required("surname", h.Surname, "")
		for _, f := range []struct{ name, v string }{{"issuing_state", h.IssuingState}, {"nationality", h.Nationality}} {
			if f.v != "" && (len(f.v) != 3 || strings.ToUpper(f.v) != f.v || strings.ContainsFunc(f.v, func(r rune) bool { return r < 'A' || r > 'Z' })) {
				c.fail(f.name, quoteIfOdd(f.v), "want a 3-letter code (ICAO Doc 9303-3), e.g. VNM", nil)
			}
		}
		if h.PersonalNumber != "" || h.NoExpiry || h.Ethnicity != "" || h.Religion != "" || h.PlaceOfOrigin != "" ||
			h.PlaceOfResidence != "" || h.Father != "" || h.Mother != "" || h.Spouse != "" || h.OldIDNumber != "" ||
			h.IdentificationFeatures != "" {
			c.fail("profile", profile, "has no DG13: leave the CCCD fields (personal_number, ethnicity, ...) out", nil)
		}
		if len(c.errs) == 0 {
			mdob, mdoe := c.mrzDates(dob, doe)
			if len(c.errs) == 0 {
				var err error
				m, err = mrz.New(mrz.TD3, mrz.Fields{
					DocumentCode: "P", IssuingState: h.IssuingState, DocumentNumber: h.DocumentNumber,
					DateOfBirth: mdob, Sex: sex, DateOfExpiry: mdoe, Nationality: h.Nationality,
					PrimaryIdentifier: h.Surname, SecondaryIdentifier: h.GivenNames,
				})
				if err != nil {
					c.fail("surname", "", "the names or document number cannot be written in the MRZ", err)
				}
			}
		}
	}

	// The other data groups: each checks its fields.
	c.biometrics(doc)
	c.displayed(doc)
	c.dg11(doc, cccdLike)
	c.dg12(doc, cccdLike, doi, doiOK)
	c.dg16(doc)
	if len(c.errs) > 0 {
		return nil, errors.Join(c.errs...)
	}

	var err error
	if doc.DG1, err = chip.NewDG1(m); err != nil {
		return nil, &FieldError{Field: "date_of_birth", Problem: "DG1 cannot be built", Err: err}
	}
	if cccdLike {
		if err := h.dg13(doc, dob, doe, doi, doiOK); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// biometrics builds DG2, DG3 and DG4.
func (c *checker) biometrics(doc *chip.Document) {
	h := c.h
	if h.FaceImage != "" {
		if img, ok := c.image("face_image", h.FaceImage); ok {
			g, err := FaceGroup(img)
			if err != nil {
				c.fail("face_image", "", "not a face image this chip takes (JPEG or JPEG 2000)", err)
			} else {
				doc.DG2 = g
			}
		}
	}
	if len(h.Fingerprints) > 10 {
		c.fail("fingerprints", "", fmt.Sprintf("%d fingers, at most 10", len(h.Fingerprints)), nil)
	} else if len(h.Fingerprints) > 0 {
		var tmpls []bio.Template
		seen := map[bio.FingerPosition]int{}
		for i, fp := range h.Fingerprints {
			field := fmt.Sprintf("fingerprints[%d]", i)
			pos, ok := fingerPositions[fp.Position]
			switch {
			case fp.Position == "":
				c.fail(field+".position", "", "missing, required", nil)
			case !ok:
				c.fail(field+".position", quoteIfOdd(fp.Position), "no such finger, want right_thumb ... right_little, left_thumb ... left_little", nil)
			default:
				if j, dup := seen[pos]; dup {
					c.fail(field+".position", fp.Position, fmt.Sprintf("also fingerprints[%d]", j), nil)
				}
				seen[pos] = i
			}
			ppi := fp.PPI
			if ppi == 0 {
				ppi = 500
			}
			if ppi != 500 && ppi != 1000 {
				c.fail(field+".ppi", fmt.Sprint(fp.PPI), "want 500 or 1000", nil)
			}
			if fp.Width < 0 || fp.Width > 0xFFFF || fp.Height < 0 || fp.Height > 0xFFFF {
				c.fail(field+".width", "", "width and height must be 0 to 65535", nil)
				continue
			}
			if !c.required(field+".image", fp.Image, "") {
				continue
			}
			img, ok := c.image(field+".image", fp.Image)
			if !ok || pos == 0 {
				continue
			}
			f, err := bio.NewFinger(uint16(ppi), bio.FingerView{Position: pos, Width: uint16(fp.Width), Height: uint16(fp.Height), Data: img})
			tmpls = addTemplate(c, tmpls, field, "not a finger image ISO/IEC 19794-4 takes (WSQ, JPEG, JPEG 2000 or PNG; WSQ needs width and height)",
				f, err, bio.NewFingerTemplate)
		}
		if len(tmpls) == len(h.Fingerprints) {
			doc.DG3 = &chip.Biometric{File: chip.EFDG3, Group: &bio.Group{Templates: tmpls}}
		}
	}
	if len(h.Irises) > 2 {
		c.fail("irises", "", fmt.Sprintf("%d eyes, at most 2", len(h.Irises)), nil)
	} else if len(h.Irises) > 0 {
		var tmpls []bio.Template
		seen := map[string]int{}
		for i, ir := range h.Irises {
			field := fmt.Sprintf("irises[%d]", i)
			switch ir.Eye {
			case "right", "left":
				if j, dup := seen[ir.Eye]; dup {
					c.fail(field+".eye", ir.Eye, fmt.Sprintf("also irises[%d]", j), nil)
				}
				seen[ir.Eye] = i
			case "":
				c.fail(field+".eye", "", "missing, required", nil)
			default:
				c.fail(field+".eye", quoteIfOdd(ir.Eye), "want right or left", nil)
			}
			if !c.required(field+".image", ir.Image, "") {
				continue
			}
			img, ok := c.image(field+".image", ir.Image)
			if !ok {
				continue
			}
			var rec *bio.Iris
			var err error
			if ir.Eye == "left" {
				rec, err = bio.NewIris(nil, img)
			} else {
				rec, err = bio.NewIris(img, nil)
			}
			tmpls = addTemplate(c, tmpls, field, "not an iris image ISO/IEC 19794-6 takes (JPEG, JPEG-LS or JPEG 2000)",
				rec, err, bio.NewIrisTemplate)
		}
		if len(tmpls) == len(h.Irises) {
			doc.DG4 = &chip.Biometric{File: chip.EFDG4, Group: &bio.Group{Templates: tmpls}}
		}
	}
}

// addTemplate appends the template of one finger or iris record to tmpls,
// or says under field's image why there is none: the record could not be
// made from the image (err; want says what the image must be), or it
// cannot be encoded.
func addTemplate[R any](c *checker, tmpls []bio.Template, field, want string, rec R, err error, encode func(R) (bio.Template, error)) []bio.Template {
	if err != nil {
		c.fail(field+".image", "", want, err)
		return tmpls
	}
	t, err := encode(rec)
	if err != nil {
		c.fail(field+".image", "", "cannot be encoded", err)
		return tmpls
	}
	return append(tmpls, t)
}

// displayed builds DG5 and DG7.
func (c *checker) displayed(doc *chip.Document) {
	if c.h.DisplayedPortrait != "" {
		if img, ok := c.displayImage("displayed_portrait", c.h.DisplayedPortrait); ok {
			doc.DG5 = &chip.DisplayedImages{File: chip.EFDG5, Images: []chip.DisplayedImage{{Tag: chip.TagDisplayedPortrait, Data: img}}}
		}
	}
	if c.h.SignatureImage != "" {
		if img, ok := c.displayImage("signature_image", c.h.SignatureImage); ok {
			doc.DG7 = &chip.DisplayedImages{File: chip.EFDG7, Images: []chip.DisplayedImage{{Tag: chip.TagDisplayedSignature, Data: img}}}
		}
	}
}

func (c *checker) list(field string, l []string) {
	if len(l) > MaxEntries {
		c.fail(field, "", fmt.Sprintf("%d entries, at most %d", len(l), MaxEntries), nil)
	}
	for i, s := range l {
		f := fmt.Sprintf("%s[%d]", field, i)
		if c.required(f, s, "") {
			c.text(f, s)
		}
	}
}

// dg11 builds DG11 when any of its fields is given (on a passport, the full
// name and place of birth go there too).
func (c *checker) dg11(doc *chip.Document, cccdLike bool) {
	h := c.h
	c.list("other_names", h.OtherNames)
	d := &chip.DG11{
		OtherNames: h.OtherNames, PlaceOfBirth: h.PlaceOfBirth, Address: h.Address, Telephone: h.Telephone,
		Profession: h.Profession, Title: h.Title, PersonalSummary: h.PersonalSummary,
		OtherTDNumbers: h.OtherTDNumbers, CustodyInfo: h.CustodyInformation,
	}
	if !cccdLike {
		d.FullName = h.FullName
	}
	if h.ProofOfCitizenship != "" {
		d.ProofOfCitizenship, _ = c.displayImage("proof_of_citizenship", h.ProofOfCitizenship)
	}
	if d.FullName != "" || len(d.OtherNames) > 0 || d.PlaceOfBirth != "" || d.Address != "" || d.Telephone != "" ||
		d.Profession != "" || d.Title != "" || d.PersonalSummary != "" || d.OtherTDNumbers != "" || d.CustodyInfo != "" ||
		d.ProofOfCitizenship != nil {
		doc.DG11 = d
	}
}

// dg12 builds DG12 when any of its fields is given (on a passport, the date
// of issue goes there).
func (c *checker) dg12(doc *chip.Document, cccdLike bool, doi time.Time, doiOK bool) {
	h := c.h
	c.list("other_persons", h.OtherPersons)
	d := &chip.DG12{IssuingAuthority: h.IssuingAuthority, OtherPersons: h.OtherPersons,
		Endorsements: h.Endorsements, TaxExitRequirements: h.TaxExitRequirements}
	if !cccdLike && doiOK {
		d.DateOfIssue = chip.NewDate(doi.Year(), int(doi.Month()), doi.Day())
	}
	if h.DocumentFront != "" {
		d.ImageFront, _ = c.displayImage("document_front_image", h.DocumentFront)
	}
	if h.DocumentRear != "" {
		d.ImageRear, _ = c.displayImage("document_rear_image", h.DocumentRear)
	}
	if d.IssuingAuthority != "" || d.DateOfIssue != nil || len(d.OtherPersons) > 0 || d.Endorsements != "" ||
		d.TaxExitRequirements != "" || d.ImageFront != nil || d.ImageRear != nil {
		doc.DG12 = d
	}
}

// dg16 builds DG16 from the persons to notify.
func (c *checker) dg16(doc *chip.Document) {
	h := c.h
	if len(h.PersonsToNotify) == 0 {
		return
	}
	if len(h.PersonsToNotify) > MaxEntries {
		c.fail("persons_to_notify", "", fmt.Sprintf("%d entries, at most %d", len(h.PersonsToNotify), MaxEntries), nil)
		return
	}
	d := &chip.DG16{}
	for i, p := range h.PersonsToNotify {
		field := fmt.Sprintf("persons_to_notify[%d]", i)
		c.required(field+".name", p.Name, "")
		c.text(field+".name", p.Name)
		c.text(field+".address", p.Address)
		c.telephone(field+".telephone", p.Telephone)
		e := chip.PersonToNotify{Name: p.Name, Telephone: p.Telephone, Address: p.Address}
		if p.DateRecorded != "" {
			if t, ok := c.date(field+".date_recorded", p.DateRecorded); ok {
				e.DateRecorded = chip.NewDate(t.Year(), int(t.Month()), t.Day())
			}
		}
		d.Persons = append(d.Persons, e)
	}
	doc.DG16 = d
}

func (h *Holder) dg13(doc *chip.Document, dob, doe, doi time.Time, doiOK bool) error {
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
	if doiOK {
		c.DateOfIssue = cccd.NewDate(doi.Year(), int(doi.Month()), doi.Day())
	}
	if err := c.CheckPersonalNumber(); err != nil {
		if errors.Is(err, cccd.ErrInconsistent) {
			return &FieldError{Field: "personal_number", Problem: "does not agree with date_of_birth or sex (Circular 07/2016: century and sex digit, year of birth)", Err: err}
		}
		return &FieldError{Field: "personal_number", Problem: "not a personal number of Circular 07/2016", Err: err}
	}
	dg13, err := cccd.NewDG13(c)
	if err != nil {
		return &FieldError{Field: "personal_number", Problem: "DG13 cannot be built", Err: err}
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
