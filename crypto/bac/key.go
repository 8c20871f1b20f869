package bac

import (
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/cancuoc/cancuoc/crypto/sm"
)

// MaxMRZInfoLen bounds the MRZ information accepted: a document number of
// up to 22 characters (the longest a TD1 MRZ can carry with its optional
// data), its check digit and the two dates with theirs.
const MaxMRZInfoLen = 22 + 1 + 14

// Key is the document basic access key: K_seed, the first 16 bytes of
// SHA-1 of the MRZ information, from which K_Enc and K_MAC are derived.
// Its String method never prints it.
type Key struct {
	seed [16]byte
}

// NewKey computes the key from the MRZ information (ICAO Doc 9303-11
// §9.7.2): the document number followed by its check digit, the date of
// birth (YYMMDD) and its check digit, the date of expiry and its check
// digit, as in "L898902C<369080619406236". A document number shorter than
// 9 characters keeps its filler '<' characters; a longer one is given in
// full. The three check digits are verified (ICAO Doc 9303-3 §4.9), so
// that a mistyped MRZ fails here and not as an authentication failure.
func NewKey(mrzInfo string) (*Key, error) {
	if err := CheckMRZInfo(mrzInfo); err != nil {
		return nil, err
	}
	sum := sha1.Sum([]byte(mrzInfo))
	k := &Key{}
	copy(k.seed[:], sum[:16])
	clear(sum[:])
	return k, nil
}

// NewKeyFromParts builds the MRZ information from the document number
// (padded to 9 characters with '<'), the date of birth and the date of
// expiry (YYMMDD, as printed in the MRZ), computing the check digits, and
// returns its key.
func NewKeyFromParts(documentNumber, dateOfBirth, dateOfExpiry string) (*Key, error) {
	info, err := MRZInfo(documentNumber, dateOfBirth, dateOfExpiry)
	if err != nil {
		return nil, err
	}
	return NewKey(info)
}

// MRZInfo builds the MRZ information string from its three fields,
// appending their check digits.
func MRZInfo(documentNumber, dateOfBirth, dateOfExpiry string) (string, error) {
	if len(documentNumber) < 9 {
		documentNumber += strings.Repeat("<", 9-len(documentNumber))
	}
	if len(documentNumber) > 22 || len(dateOfBirth) != 6 || len(dateOfExpiry) != 6 {
		return "", &Error{Op: "MRZ information", Err: ErrMRZInfo}
	}
	var b strings.Builder
	for _, f := range []string{documentNumber, dateOfBirth, dateOfExpiry} {
		cd, ok := CheckDigit(f)
		if !ok {
			return "", &Error{Op: "MRZ information", Err: ErrMRZInfo}
		}
		b.WriteString(f)
		b.WriteByte(cd)
	}
	if err := CheckMRZInfo(b.String()); err != nil {
		return "", err
	}
	return b.String(), nil
}

// CheckDigit computes the check digit of an MRZ field (ICAO Doc 9303-3
// §4.9: weights 7, 3, 1; digits count as themselves, A-Z as 10-35, '<' as
// 0). ok is false if the field holds another character.
func CheckDigit(field string) (digit byte, ok bool) { return checkDigit(field) }

func checkDigit[T ~string | ~[]byte](field T) (digit byte, ok bool) {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(field); i++ {
		c := field[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		case c == '<':
			v = 0
		default:
			return 0, false
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), true
}

// CheckMRZInfo verifies the shape of MRZ information (see NewKey): a
// document number of 9 to 22 characters of the MRZ set (A-Z, 0-9, '<'),
// two dates of six digits, and the check digit of each of the three (ICAO
// Doc 9303-3 §4.9). It gives ErrMRZInfo or ErrCheckDigit. It takes the
// bytes as well as a string, so that key material the caller clears is
// not copied.
func CheckMRZInfo[T ~string | ~[]byte](s T) error {
	if len(s) < 9+1+14 || len(s) > MaxMRZInfoLen {
		return &Error{Op: "MRZ information", Err: ErrMRZInfo}
	}
	n := len(s) - 15
	for i := n + 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return &Error{Op: "MRZ information", Err: ErrMRZInfo}
		}
	}
	for _, f := range [][2]int{{0, n}, {n + 1, n + 7}, {n + 8, n + 14}} {
		cd, ok := checkDigit(s[f[0]:f[1]])
		if !ok {
			return &Error{Op: "MRZ information", Err: ErrMRZInfo}
		}
		if s[f[1]] != cd {
			return &Error{Op: "MRZ information", Err: ErrCheckDigit}
		}
	}
	return nil
}

// Seed returns a copy of K_seed.
func (k *Key) Seed() []byte { return append([]byte(nil), k.seed[:]...) }

// Enc returns K_Enc = KDF(K_seed, 1), a 3DES key.
func (k *Key) Enc() []byte { return sm.DeriveKey(sm.TDES, k.seed[:], sm.CounterEnc) }

// MAC returns K_MAC = KDF(K_seed, 2), a 3DES key.
func (k *Key) MAC() []byte { return sm.DeriveKey(sm.TDES, k.seed[:], sm.CounterMAC) }

// String never prints the key.
func (k Key) String() string { return "bac.Key(redacted)" }

// GoString never prints the key.
func (k Key) GoString() string { return k.String() }

// Format prints String for every verb, so that %d, %x or %+v never show
// the key seed.
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// MarshalJSON writes String as a JSON string: the key seed never reach JSON.
func (k Key) MarshalJSON() ([]byte, error) { return json.Marshal(k.String()) }

// LogValue is String, for log/slog.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }
