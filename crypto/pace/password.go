package pace

import (
	"crypto/sha1"
	"fmt"

	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// PasswordRef is the password reference of MSE:Set AT (data object '83'),
// BSI TR-03110-3 Table B.1 and ICAO Doc 9303-11 §4.4.4.1.
type PasswordRef byte

// The four PACE passwords. eMRTDs use the MRZ and the CAN; PIN and PUK are
// those of eID cards (TR-03110).
const (
	MRZ PasswordRef = 1
	CAN PasswordRef = 2
	PIN PasswordRef = 3
	PUK PasswordRef = 4
)

func (r PasswordRef) String() string {
	switch r {
	case MRZ:
		return "MRZ"
	case CAN:
		return "CAN"
	case PIN:
		return "PIN"
	case PUK:
		return "PUK"
	}
	return fmt.Sprintf("PasswordRef(%d)", byte(r))
}

// maxPasswordLen bounds CAN, PIN and PUK (TR-03110 uses 6, 6 and 10 digits).
const maxPasswordLen = 32

// Password is a PACE password: its reference and the key K it gives, from
// which K_π = KDF(K, 3) is derived for the cipher in use (ICAO Doc 9303-11
// §9.7.3): for the MRZ, K is the SHA-1 hash of the MRZ information; for the
// CAN, PIN and PUK it is the password's characters.
//
// A Password is a secret. String, GoString and Format print only its
// reference, never its value.
type Password struct {
	ref PasswordRef
	k   []byte
}

// MRZPassword returns the password of the MRZ information: the document
// number, the date of birth and the date of expiry (YYMMDD), each followed
// by its check digit, in ASCII, as chip/mrz.Info.Bytes gives it (ICAO Doc
// 9303-11 §9.7.2). K = SHA-1 of the MRZ information. The shape and the
// three check digits are verified (bac.CheckMRZInfo; ErrPassword), so that a mistyped MRZ
// fails here and not as an authentication failure. mrzInfo is key
// material: the caller should clear it after use; Password keeps only K.
func MRZPassword(mrzInfo []byte) (Password, error) {
	if bac.CheckMRZInfo(mrzInfo) != nil {
		return Password{}, newErr("password", 0, ErrPassword)
	}
	sum := sha1.Sum(mrzInfo)
	return Password{ref: MRZ, k: sum[:]}, nil
}

// CANPassword returns the password of a card access number, the digits
// printed on the document (six on the Vietnamese CCCD).
func CANPassword(can string) (Password, error) { return digitPassword(CAN, can) }

// PINPassword returns the password of an eID PIN.
func PINPassword(pin string) (Password, error) { return digitPassword(PIN, pin) }

// PUKPassword returns the password of an eID PUK.
func PUKPassword(puk string) (Password, error) { return digitPassword(PUK, puk) }

func digitPassword(ref PasswordRef, s string) (Password, error) {
	if len(s) == 0 || len(s) > maxPasswordLen {
		return Password{}, newErr("password", 0, ErrPassword)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Password{}, newErr("password", 0, ErrPassword)
		}
	}
	return Password{ref: ref, k: []byte(s)}, nil
}

// NewPassword returns a password from its reference and the key K itself:
// for MRZ the 20-byte SHA-1 hash of the MRZ information, for the others the
// password bytes. K is copied.
func NewPassword(ref PasswordRef, k []byte) (Password, error) {
	if ref < MRZ || ref > PUK || len(k) == 0 || len(k) > 64 {
		return Password{}, newErr("password", 0, ErrPassword)
	}
	return Password{ref: ref, k: append([]byte(nil), k...)}, nil
}

// Ref returns the password reference.
func (p Password) Ref() PasswordRef { return p.ref }

// IsZero reports whether p is the zero Password.
func (p Password) IsZero() bool { return len(p.k) == 0 }

// kpi returns K_π for cipher c.
func (p Password) kpi(c sm.Cipher) []byte { return sm.DeriveKey(c, p.k, sm.CounterPi) }

// String prints the reference only.
func (p Password) String() string {
	if p.IsZero() {
		return "pace.Password(none)"
	}
	return "pace.Password(" + p.ref.String() + ", redacted)"
}

// GoString is String, so that %#v does not print the password either.
func (p Password) GoString() string { return p.String() }

// Format prints String for every verb.
func (p Password) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(p.String())) }
