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
	"github.com/cancuoc/cancuoc/crypto/pace"
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

// KeyFlagsError is a key given wrongly on a command line (flags --mrz and
// --can): both, neither (without a DG1 to take it from), or one that does
// not parse. Its text names the flag, never the value. Programs report it
// as bad usage.
type KeyFlagsError struct {
	// Msg says what is wrong, naming the flag.
	Msg string
	// Err is why the value does not parse (ErrKeySyntax for --mrz), or nil.
	Err error
}

func (e *KeyFlagsError) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *KeyFlagsError) Unwrap() error { return e.Err }

// KeyFromFlags returns the key that opens a chip from what an operator
// gives a command-line program: mrzFlag, the MRZ information as
// ParseMRZKey reads it, or canFlag, the card access number (digits only),
// never both. With neither, the key comes from dg1 (KeyFromDG1: a
// simulated card's own DG1, the way a kiosk's document scanner reads the
// printed MRZ); with neither and no dg1 it is a *KeyFlagsError too. A DG1
// that does not parse is returned as KeyFromDG1 returns it.
func KeyFromFlags(mrzFlag, canFlag string, dg1 []byte) (Key, error) {
	switch {
	case mrzFlag != "" && canFlag != "":
		return Key{}, &KeyFlagsError{Msg: "give --mrz or --can, not both"}
	case canFlag != "":
		// The CAN is a secret: the message never repeats it.
		if _, err := pace.CANPassword(canFlag); err != nil {
			return Key{}, &KeyFlagsError{Msg: "--can: want the digits of the card access number printed on the card (6 on a CCCD)"}
		}
		return CANKey(canFlag), nil
	case mrzFlag != "":
		k, err := ParseMRZKey(mrzFlag)
		if err != nil {
			return Key{}, &KeyFlagsError{Msg: "--mrz", Err: err}
		}
		return k, nil
	}
	if dg1 == nil {
		return Key{}, &KeyFlagsError{Msg: "give --mrz or --can"}
	}
	return KeyFromDG1(dg1)
}
