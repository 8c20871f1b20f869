package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/cancuoc/cancuoc/chip"
)

// ImageFormat and ImageVersion identify the file Save writes.
const (
	ImageFormat  = "cancuoc-card-image"
	ImageVersion = 1
	// MaxImageSize bounds what Load reads: every LDS file at its limit
	// would not reach it.
	MaxImageSize = 16 << 20
)

// Image is everything a chip holds: its files and its secrets.
type Image struct {
	// Profile names the protocol set the card was personalized with
	// ("cccd", "icao-passport").
	Profile string
	// ATR, when set, replaces DefaultATR.
	ATR []byte
	// Files are the contents of the elementary files, by file. A file
	// absent from the map does not exist on the card.
	Files map[chip.File][]byte
	// Secrets are what the chip keeps to itself.
	Secrets Secrets
}

// Secrets are the access passwords and private keys of a chip. They never
// appear in String, GoString or logs.
type Secrets struct {
	// MRZInfo is the MRZ information (document number, date of birth,
	// date of expiry, each with its check digit) that BAC and PACE derive
	// their keys from.
	MRZInfo string
	// CAN is the card access number, a PACE password (for the CCCD the
	// last 6 digits of the personal number).
	CAN string
	// AAKey is the Active Authentication private key (see crypto/aa for
	// its encoding), matching DG15.
	AAKey []byte
	// CAKey is the Chip Authentication private key matching DG14, and
	// CAKeyID its key identifier (0 when DG14 has none).
	CAKey   []byte
	CAKeyID int
	// CVCA holds the Terminal Authentication trust points (CV
	// certificates of the CVCA) the chip accepts.
	CVCA [][]byte
	// ChipDate is the chip's own date (YYYY-MM-DD) at personalization,
	// which certificates of Terminal Authentication advance.
	ChipDate string
}

// String hides the secrets.
func (Secrets) String() string { return "sim.Secrets{redacted}" }

// GoString hides the secrets from %#v.
func (Secrets) GoString() string { return "sim.Secrets{redacted}" }

// Format prints String for every verb, so that %d, %x or %+v never show
// the passwords and keys.
func (s Secrets) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// MarshalJSON writes String as a JSON string: the passwords and keys never reach JSON.
func (s Secrets) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// LogValue is String, for log/slog.
func (s Secrets) LogValue() slog.Value { return slog.StringValue(s.String()) }

// imageFile is the versioned form on disk: JSON, with files keyed by their
// names (EF.COM, DG1, ..., EF.CardAccess) and bytes in base64.
type imageFile struct {
	Format  string            `json:"format"`
	Version int               `json:"version"`
	Profile string            `json:"profile,omitempty"`
	ATR     []byte            `json:"atr,omitempty"`
	Files   map[string][]byte `json:"files"`
	Secrets secretsFile       `json:"secrets"`
}

type secretsFile struct {
	MRZInfo  string   `json:"mrz_info,omitempty"`
	CAN      string   `json:"can,omitempty"`
	AAKey    []byte   `json:"aa_key,omitempty"`
	CAKey    []byte   `json:"ca_key,omitempty"`
	CAKeyID  int      `json:"ca_key_id,omitempty"`
	CVCA     [][]byte `json:"cvca,omitempty"`
	ChipDate string   `json:"chip_date,omitempty"`
}

// ErrImage is wrapped by every error of Load and Decode about the
// contents of an image file.
var ErrImage = errors.New("sim: bad card image")

// Encode writes the image in its file format (version 1): a JSON object
// {"format": "cancuoc-card-image", "version": 1, "profile", "atr",
// "files": {name: base64}, "secrets": {...}}. The output holds the secrets.
func (img *Image) Encode(w io.Writer) error {
	f := imageFile{
		Format: ImageFormat, Version: ImageVersion, Profile: img.Profile, ATR: img.ATR,
		Files: make(map[string][]byte, len(img.Files)),
		Secrets: secretsFile{
			MRZInfo: img.Secrets.MRZInfo, CAN: img.Secrets.CAN,
			AAKey: img.Secrets.AAKey, CAKey: img.Secrets.CAKey, CAKeyID: img.Secrets.CAKeyID,
			CVCA: img.Secrets.CVCA, ChipDate: img.Secrets.ChipDate,
		},
	}
	for file, b := range img.Files {
		if !file.Valid() {
			return fmt.Errorf("%w: invalid file %d", ErrImage, file)
		}
		f.Files[file.String()] = b
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&f)
}

// Decode reads an image written by Encode.
func Decode(r io.Reader) (*Image, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImageSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImageSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrImage, MaxImageSize)
	}
	var f imageFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImage, err)
	}
	if f.Format != ImageFormat {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrImage, f.Format, ImageFormat)
	}
	if f.Version != ImageVersion {
		return nil, fmt.Errorf("%w: version %d, this library reads %d", ErrImage, f.Version, ImageVersion)
	}
	img := &Image{Profile: f.Profile, ATR: f.ATR, Files: make(map[chip.File][]byte, len(f.Files)),
		Secrets: Secrets{
			MRZInfo: f.Secrets.MRZInfo, CAN: f.Secrets.CAN,
			AAKey: f.Secrets.AAKey, CAKey: f.Secrets.CAKey, CAKeyID: f.Secrets.CAKeyID,
			CVCA: f.Secrets.CVCA, ChipDate: f.Secrets.ChipDate,
		}}
	for name, b := range f.Files {
		file, ok := chip.FileByName(name)
		if !ok {
			return nil, fmt.Errorf("%w: unknown file %q", ErrImage, name)
		}
		if len(b) > file.MaxSize() {
			return nil, fmt.Errorf("%w: %s has %d bytes, more than %d", ErrImage, name, len(b), file.MaxSize())
		}
		img.Files[file] = b
	}
	return img, nil
}

// Save writes the image to path with mode 0600: the file holds the chip's
// secrets.
func (img *Image) Save(path string) error {
	var buf bytes.Buffer
	if err := img.Encode(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o600)
}

// Load reads an image saved by Save.
func Load(path string) (*Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Decode(f)
}

// String names the profile and the files, never their contents: DG1 holds
// the MRZ key, and the secrets are secrets.
func (img Image) String() string {
	names := make([]string, 0, len(img.Files))
	for _, f := range chip.Files() {
		if img.Files[f] != nil {
			names = append(names, f.String())
		}
	}
	return fmt.Sprintf("sim.Image{profile: %s, files: %v, secrets: redacted}", img.Profile, names)
}

// GoString hides the contents from %#v.
func (img Image) GoString() string { return img.String() }

// Format prints String for every verb, so that %d, %x or %+v never show
// the secrets and the files (DG1 holds the MRZ key).
func (img Image) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, img.String()) }

// MarshalJSON writes String as a JSON string (the image file format is Encode's, not this): the secrets and the files (DG1 holds the MRZ key) never reach JSON.
func (img Image) MarshalJSON() ([]byte, error) { return json.Marshal(img.String()) }

// LogValue is String, for log/slog.
func (img Image) LogValue() slog.Value { return slog.StringValue(img.String()) }
