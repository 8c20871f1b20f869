package tlv

import (
	"fmt"
	"strconv"
	"strings"
)

// Tag is a BER-TLV tag held as the big-endian integer of its encoded bytes:
// the one-byte tag '61' is Tag(0x61), the two-byte tag '5F1F' is Tag(0x5F1F)
// and the three-byte tag '5F8101' would be Tag(0x5F8101). This is the form in
// which ICAO Doc 9303 and ISO/IEC 7816-4 print tags, so constants read as the
// specifications do.
//
// A Tag of up to three encoded bytes is supported, which covers every tag of
// ISO/IEC 7816-4 and the eMRTD Logical Data Structure.
type Tag uint32

// Class is the class of a tag: the two top bits of its first byte.
type Class uint8

// The four tag classes of ISO/IEC 8825-1.
const (
	ClassUniversal       Class = 0
	ClassApplication     Class = 1
	ClassContextSpecific Class = 2
	ClassPrivate         Class = 3
)

func (c Class) String() string {
	switch c {
	case ClassUniversal:
		return "universal"
	case ClassApplication:
		return "application"
	case ClassContextSpecific:
		return "context-specific"
	default:
		return "private"
	}
}

// MaxTagLen is the longest encoded tag this package accepts, in bytes.
const MaxTagLen = 3

// firstByte returns the first encoded byte of t.
func (t Tag) firstByte() byte {
	switch {
	case t > 0xFFFF:
		return byte(t >> 16)
	case t > 0xFF:
		return byte(t >> 8)
	default:
		return byte(t)
	}
}

// Len is the number of bytes of the encoded tag (1 to 3).
func (t Tag) Len() int {
	switch {
	case t > 0xFFFF:
		return 3
	case t > 0xFF:
		return 2
	default:
		return 1
	}
}

// Class returns the tag's class.
func (t Tag) Class() Class { return Class(t.firstByte() >> 6) }

// Constructed reports whether the tag's constructed bit (b6 of the first
// byte) is set: its value is then itself a sequence of TLV objects.
func (t Tag) Constructed() bool { return t.firstByte()&0x20 != 0 }

// Number returns the tag number within its class.
func (t Tag) Number() uint32 {
	if t.Len() == 1 {
		return uint32(t) & 0x1F
	}
	var n uint32
	for i := t.Len() - 2; i >= 0; i-- {
		n = n<<7 | uint32(t>>(8*i))&0x7F
	}
	return n
}

// Valid reports whether t is a well-formed tag in its minimal encoding.
func (t Tag) Valid() bool {
	var buf [MaxTagLen]byte
	b := t.AppendTo(buf[:0])
	if len(b) == 0 {
		return false
	}
	got, n, err := ParseTag(b)
	return err == nil && n == len(b) && got == t
}

// AppendTo appends the encoded tag to dst.
func (t Tag) AppendTo(dst []byte) []byte {
	switch t.Len() {
	case 3:
		return append(dst, byte(t>>16), byte(t>>8), byte(t))
	case 2:
		return append(dst, byte(t>>8), byte(t))
	default:
		return append(dst, byte(t))
	}
}

// String returns the tag in hexadecimal as the specifications print it,
// such as "5F1F".
func (t Tag) String() string {
	return fmt.Sprintf("%0*X", 2*t.Len(), uint32(t))
}

// ParseTag decodes the tag at the start of b. It returns the tag and the
// number of bytes it took. Tags longer than MaxTagLen, a tag cut short and a
// tag number encoded with more bytes than it needs are errors.
func ParseTag(b []byte) (Tag, int, error) {
	if len(b) == 0 {
		return 0, 0, ErrTruncated
	}
	t := Tag(b[0])
	if b[0]&0x1F != 0x1F {
		return t, 1, nil
	}
	for i := 1; ; i++ {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		if i >= MaxTagLen {
			return 0, 0, ErrTagTooLong
		}
		c := b[i]
		if i == 1 && c == 0x80 {
			// A leading zero septet. (A number below 31 in the long form,
			// such as '5F01', is allowed: ISO/IEC 7816-6 and ICAO Doc 9303
			// define many such tags.)
			return 0, 0, ErrNonMinimalTag
		}
		t = t<<8 | Tag(c)
		if c&0x80 == 0 {
			return t, i + 1, nil
		}
	}
}

// ParseTagString parses a tag written in hexadecimal, such as "5F1F" or
// "7f61". It is meant for configuration and tests.
func ParseTagString(s string) (Tag, error) {
	s = strings.TrimSpace(s)
	if len(s) == 0 || len(s)%2 != 0 || len(s) > 2*MaxTagLen {
		return 0, fmt.Errorf("tlv: tag %q: want 2, 4 or 6 hex digits", s)
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return 0, fmt.Errorf("tlv: tag %q: %w", s, err)
	}
	t := Tag(v)
	if t.Len() != len(s)/2 || !t.Valid() {
		return 0, fmt.Errorf("tlv: tag %q: %w", s, ErrInvalidTag)
	}
	return t, nil
}

// ParsePath parses a slash-separated tag path such as "7F61/7F60/5F2E".
func ParsePath(path string) ([]Tag, error) {
	parts := strings.Split(path, "/")
	tags := make([]Tag, 0, len(parts))
	for _, p := range parts {
		t, err := ParseTagString(p)
		if err != nil {
			return nil, err
		}
		tags = append(tags, t)
	}
	return tags, nil
}
