package reader

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
)

// Key is what opens a chip: the MRZ information (document number, date of
// birth, date of expiry) or the card access number (CAN) printed on the
// card. It is a secret and never prints.
type Key struct {
	mrz mrz.Info
	can string
}

// MRZKey opens the chip with the MRZ information (BAC, or PACE with the MRZ
// as password).
func MRZKey(info mrz.Info) Key { return Key{mrz: info} }

// CANKey opens the chip with its card access number (PACE only). On a
// Vietnamese CCCD it is the last 6 digits of the personal number.
func CANKey(can string) Key { return Key{can: can} }

// String hides the key.
func (Key) String() string { return "reader.Key(redacted)" }

// GoString hides the key.
func (Key) GoString() string { return "reader.Key(redacted)" }

// Format prints String for every verb, so that %d, %x or %+v never show
// the MRZ information or the CAN.
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// MarshalJSON writes String as a JSON string: the MRZ information or the CAN never reach JSON.
func (k Key) MarshalJSON() ([]byte, error) { return json.Marshal(k.String()) }

// LogValue is String, for log/slog.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// ErrKeySyntax: a key given as text that is not DOCUMENT_NUMBER,YYMMDD,YYMMDD.
var ErrKeySyntax = errors.New("reader: MRZ key wants DOCUMENT_NUMBER,YYMMDD,YYMMDD (birth, expiry)")

// ParseMRZKey reads the MRZ key as an operator types it from the printed
// document: "DOCUMENT_NUMBER,YYMMDD,YYMMDD" (date of birth, date of
// expiry), spaces allowed around the parts, letters in either case. The
// check digits are computed.
// Errors never repeat the input.
func ParseMRZKey(s string) (Key, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return Key{}, ErrKeySyntax
	}
	// Document numbers are upper case in the MRZ; an operator may type
	// them in lower case.
	info, err := mrz.NewInfo(strings.ToUpper(strings.TrimSpace(parts[0])), mrz.Date(strings.TrimSpace(parts[1])), mrz.Date(strings.TrimSpace(parts[2])))
	if err != nil {
		return Key{}, fmt.Errorf("%w: %w", ErrKeySyntax, err)
	}
	return MRZKey(info), nil
}

// KeyFromDG1 takes the MRZ key from a DG1 file, as a kiosk's document
// scanner reads the printed zone (used with simulated cards, whose image
// holds DG1).
func KeyFromDG1(dg1 []byte) (Key, error) {
	d, err := chip.ParseDG1(dg1)
	if err != nil {
		return Key{}, err
	}
	return MRZKey(d.MRZ.Info()), nil
}
