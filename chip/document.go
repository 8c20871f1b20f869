package chip

import (
	"errors"
	"iter"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// Document holds the files of one chip: the bytes of every file read or
// built, and the typed value of each file this package understands.
//
// Reading: ParseDocument (or Set, file by file) keeps each file's bytes as
// given, which are what EF.SOD hashes, and parses what it can.
//
// Issuing: set the typed fields (DG1, DG2, DG11 ...), call Encode to turn
// them into bytes (and to build EF.COM), give the data groups
// (DataGroupFiles) to crypto/pki.NewSOD for the Document Signer to sign,
// then Set EF.SOD. Encode replaces the bytes of every file that has a typed
// value, so a document read from a chip should not be encoded: its bytes
// are the issuer's and may differ from this package's canonical encoding.
//
// Files this package does not parse (DG8 to DG10, EF.CVCA and the master
// file's files) are kept as bytes only.
type Document struct {
	COM  *COM
	DG1  *DG1
	DG2  *Biometric // encoded face
	DG3  *Biometric // encoded fingerprints
	DG4  *Biometric // encoded irises
	DG5  *DisplayedImages
	DG6  *DisplayedImages
	DG7  *DisplayedImages
	DG11 *DG11
	DG12 *DG12
	DG13 *DG13
	DG14 *DG14
	DG15 *DG15
	DG16 *DG16
	SOD  *SOD

	raw map[File][]byte
}

// ParseDocument parses the given files. It returns a Document holding the
// bytes of every valid File and the typed values of those that parsed,
// with an error joining one *ParseError per file that did not: a reader can
// show what parsed and still report the rest. DG1 is parsed leniently (see
// ParseDG1Lenient): an MRZ with wrong check digits is kept and reported.
func ParseDocument(files map[File][]byte) (*Document, error) {
	d := &Document{}
	var errs []error
	for _, f := range Files() {
		b, ok := files[f]
		if !ok {
			continue
		}
		if err := d.Set(f, b); err != nil {
			errs = append(errs, err)
		}
	}
	for f := range files {
		if !f.Valid() {
			errs = append(errs, &ParseError{File: f, Err: ErrUnknownFile})
		}
	}
	return d, errors.Join(errs...)
}

// Set stores a copy of the bytes of file f and parses them into the typed
// field of f (when there is one). On a parse error the bytes are kept, the
// typed field is left nil (DG1: set when the MRZ could be decoded), and the
// error is returned.
func (d *Document) Set(f File, b []byte) error {
	if !f.Valid() {
		return &ParseError{File: f, Err: ErrUnknownFile}
	}
	if len(b) > f.MaxSize() {
		return &ParseError{File: f, Offset: f.MaxSize(), Err: ErrTooLarge}
	}
	if d.raw == nil {
		d.raw = make(map[File][]byte)
	}
	b = clone(b)
	d.raw[f] = b
	if t := fileTypeOf(f); t != nil {
		return t.parse(d, f, b)
	}
	return nil
}

// hasTyped reports whether the document holds a typed value for f.
func (d *Document) hasTyped(f File) bool {
	t := fileTypeOf(f)
	return t != nil && t.present(d)
}

// Raw returns the bytes of file f, or nil when the document has none. The
// slice is the document's own: do not modify it.
func (d *Document) Raw(f File) []byte { return d.raw[f] }

// Has reports whether the document holds bytes for f.
func (d *Document) Has(f File) bool {
	_, ok := d.raw[f]
	return ok
}

// Files iterates over the files the document holds bytes for, in the
// order of the package function Files.
func (d *Document) Files() iter.Seq2[File, []byte] {
	return func(yield func(File, []byte) bool) {
		for _, f := range Files() {
			if b, ok := d.raw[f]; ok {
				if !yield(f, b) {
					return
				}
			}
		}
	}
}

// DataGroups lists the data groups the document holds, typed or as bytes,
// in order.
func (d *Document) DataGroups() []File {
	var out []File
	for n := 1; n <= 16; n++ {
		f := DataGroup(n)
		if d.Has(f) || d.hasTyped(f) {
			out = append(out, f)
		}
	}
	return out
}

// Encode encodes every typed value into the bytes of its file. When COM is
// nil it first sets it to an EF.COM (LDS 1.7, Unicode 4.0.0) listing the
// data groups present. It returns the bytes of every file, keyed by File;
// the map is new, its slices are the document's own. Errors join one
// *ParseError per file that could not be encoded; those files keep their
// previous bytes.
func (d *Document) Encode() (map[File][]byte, error) {
	if d.raw == nil {
		d.raw = make(map[File][]byte)
	}
	if d.COM == nil {
		d.COM = NewCOM(d.DataGroups()...)
	}
	var errs []error
	for _, f := range Files() {
		t := fileTypeOf(f)
		if t == nil || !t.present(d) {
			continue
		}
		b, err := t.encode(d)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d.raw[f] = b
	}
	out := make(map[File][]byte, len(d.raw))
	for f, b := range d.raw {
		out[f] = b
	}
	return out, errors.Join(errs...)
}

// DataGroupFiles returns the data groups among files keyed by their
// number (1 to 16), the form crypto/pki hashes (pki.NewSOD) and verifies
// (pki.Verify) them in: that package knows data groups by number and
// bytes, not the LDS. The byte slices are those of files, not copies.
func DataGroupFiles(files map[File][]byte) map[int][]byte {
	out := make(map[int][]byte, len(files))
	for f, b := range files {
		if n := f.DataGroup(); n != 0 {
			out[n] = b
		}
	}
	return out
}

// CardAccess parses EF.CardAccess, the SecurityInfos that tell a reader
// how to run PACE, with package crypto/secinfo (leniently). It returns a
// *ParseError with ErrMissingField when the document has no EF.CardAccess.
func (d *Document) CardAccess() (*secinfo.SecurityInfos, error) {
	b, ok := d.raw[EFCardAccess]
	if !ok {
		return nil, &ParseError{File: EFCardAccess, Err: ErrMissingField}
	}
	s, err := secinfo.Lenient.Parse(b)
	if err != nil {
		return nil, &ParseError{File: EFCardAccess, Err: err}
	}
	return s, nil
}

// FullName returns the holder's name for display: the name as printed,
// with its diacritics, from a Vietnamese CCCD's DG13 ("Nguyễn Văn An");
// else DG11's full name when present; else the MRZ's primary and secondary
// identifiers, with the fillers '<' as spaces ("NGUYEN VAN AN").
func (d *Document) FullName() string {
	if c, ok := d.Citizen(); ok && c.FullName != "" {
		return c.FullName
	}
	if d.DG11 != nil && d.DG11.FullName != "" {
		return strings.Join(strings.Fields(strings.ReplaceAll(d.DG11.FullName, "<", " ")), " ")
	}
	if m := d.mrz(); m != nil {
		return strings.TrimSpace(m.PrimaryIdentifier + " " + m.SecondaryIdentifier)
	}
	return ""
}

// Citizen returns the fields of a Vietnamese CCCD's DG13 (package
// chip/cccd, parsed leniently), and false when the document has no DG13 or
// its DG13 is not a CCCD's. The holder's name there has its diacritics; the
// MRZ's does not.
func (d *Document) Citizen() (cccd.Citizen, bool) {
	b := d.raw[EFDG13]
	if b == nil {
		return cccd.Citizen{}, false
	}
	d13, err := cccd.Lenient.ParseDG13(b)
	if err != nil {
		return cccd.Citizen{}, false
	}
	c, err := d13.Citizen()
	return c, err == nil
}

func (d *Document) mrz() *mrz.MRZ {
	if d.DG1 == nil {
		return nil
	}
	return d.DG1.MRZ
}

// DocumentNumber returns the document number of the MRZ, or "".
func (d *Document) DocumentNumber() string {
	if m := d.mrz(); m != nil {
		return m.DocumentNumber
	}
	return ""
}

// PersonalNumber returns the personal number of a CCCD's DG13 (field 1),
// else DG11's personal number when present, otherwise
// the MRZ's optional data where it holds the personal number: on TD3
// passports and on Vietnamese identity cards (issuing state VNM, whose TD1
// optional data is the 12-digit personal number). Otherwise "".
func (d *Document) PersonalNumber() string {
	if c, ok := d.Citizen(); ok && c.PersonalNumber != "" {
		return c.PersonalNumber
	}
	if d.DG11 != nil && d.DG11.PersonalNumber != "" {
		return d.DG11.PersonalNumber
	}
	m := d.mrz()
	if m == nil || (m.Format != mrz.TD3 && m.IssuingState != "VNM") {
		return ""
	}
	return strings.TrimRight(m.OptionalData1, "<")
}

// DateOfBirth returns DG11's full date of birth when it could be read,
// otherwise the MRZ's, its century resolved against ref (the latest date
// not after ref; see mrz.Date.Birth). Unknown month or day are 0. It
// returns nil when neither is available.
func (d *Document) DateOfBirth(ref time.Time) *Date {
	if d.DG11 != nil && d.DG11.FullDateOfBirth.Valid() {
		return d.DG11.FullDateOfBirth
	}
	m := d.mrz()
	if m == nil {
		return nil
	}
	c, err := m.DateOfBirth.Birth(ref)
	if err != nil || c.Year == 0 {
		return nil
	}
	return &Date{Raw: []byte(m.DateOfBirth), Year: c.Year, Month: c.Month, Day: c.Day}
}

// DateOfExpiry returns the MRZ's date of expiry, its century resolved
// against ref (see mrz.Date.Expiry), or nil.
func (d *Document) DateOfExpiry(ref time.Time) *Date {
	m := d.mrz()
	if m == nil {
		return nil
	}
	c, err := m.DateOfExpiry.Expiry(ref)
	if err != nil {
		return nil
	}
	return &Date{Raw: []byte(m.DateOfExpiry), Year: c.Year, Month: c.Month, Day: c.Day}
}

// FaceImage returns the holder's face: the image of DG2's first face
// record, or else DG5's first displayed portrait. ok is false when the
// document has neither.
func (d *Document) FaceImage() (data []byte, format bio.ImageFormat, ok bool) {
	if d.DG2 != nil {
		if face, err := d.DG2.Face(); err == nil {
			if data, format = face.Image(); len(data) > 0 {
				return data, format, true
			}
		}
	}
	if d.DG5 != nil {
		for _, im := range d.DG5.Images {
			if im.Tag == TagDisplayedPortrait && len(im.Data) > 0 {
				return im.Data, im.Format(), true
			}
		}
	}
	return nil, bio.FormatUnknown, false
}
