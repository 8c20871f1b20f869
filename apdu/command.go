package apdu

import (
	"encoding/binary"
	"fmt"
)

// Limits of ISO/IEC 7816-4 §5.1 (extended length).
const (
	// MaxNc is the longest command data field (extended Lc).
	MaxNc = 65535
	// MaxNe is the largest number of response bytes a command can ask for
	// (extended Le 0000).
	MaxNe = 65536
	// MaxShortNc and MaxShortNe are the limits of short APDUs.
	MaxShortNc = 255
	MaxShortNe = 256
	// MaxCommandLen is the size of the longest command APDU: header,
	// extended Lc (3 bytes), 65535 data bytes and extended Le (2 bytes).
	MaxCommandLen = 4 + 3 + MaxNc + 2
)

// Command is a command APDU: a header (CLA INS P1 P2), the data field and
// Ne, the maximum number of response bytes expected (0 for none; 256 is
// the short Le '00', 65536 the extended Le '0000').
//
// The four cases of ISO/IEC 7816-3 follow from the fields: case 1 has no
// data and Ne 0, case 2 only Ne, case 3 only data, case 4 both. The length
// fields use the short form unless Extended is set or the values need the
// extended form (more than 255 data bytes, Ne above 256).
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Ne               int
	// Extended forces extended length fields even when short ones would
	// do. ParseCommand sets it when the input used them.
	Extended bool
}

// IsExtended reports whether the command is encoded with extended length
// fields. A case 1 command (no data, Ne 0) has no length field at all and
// is never extended.
func (c Command) IsExtended() bool {
	if len(c.Data) == 0 && c.Ne == 0 {
		return false
	}
	return c.Extended || len(c.Data) > MaxShortNc || c.Ne > MaxShortNe
}

// Len is the encoded size of the command, or -1 if it cannot be encoded.
func (c Command) Len() int {
	if c.check() != nil {
		return -1
	}
	return c.encodedLen()
}

func (c Command) encodedLen() int {
	n := 4 + len(c.Data)
	ext := c.IsExtended()
	if len(c.Data) > 0 {
		if ext {
			n += 3
		} else {
			n++
		}
	}
	if c.Ne > 0 {
		switch {
		case !ext:
			n++
		case len(c.Data) > 0:
			n += 2
		default:
			n += 3
		}
	}
	return n
}

func (c Command) check() error {
	if len(c.Data) > MaxNc {
		return formatErr("command", 4, ErrDataTooLong)
	}
	if c.Ne < 0 || c.Ne > MaxNe {
		return formatErr("command", 4, ErrNe)
	}
	if c.INS&0xF0 == 0x60 || c.INS&0xF0 == 0x90 {
		return formatErr("command", 1, ErrInvalidINS)
	}
	return nil
}

// Bytes encodes the command.
func (c Command) Bytes() ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	return c.AppendBinary(make([]byte, 0, c.encodedLen()))
}

// AppendBinary appends the encoded command to b (encoding.BinaryAppender).
func (c Command) AppendBinary(b []byte) ([]byte, error) {
	if err := c.check(); err != nil {
		return b, err
	}
	b = append(b, c.CLA, c.INS, c.P1, c.P2)
	ext := c.IsExtended()
	if len(c.Data) > 0 {
		if ext {
			b = append(b, 0, byte(len(c.Data)>>8), byte(len(c.Data)))
		} else {
			b = append(b, byte(len(c.Data)))
		}
		b = append(b, c.Data...)
	}
	if c.Ne > 0 {
		// Ne 256 and 65536 wrap to the all-zero Le of their form.
		if !ext {
			b = append(b, byte(c.Ne))
		} else {
			if len(c.Data) == 0 {
				b = append(b, 0)
			}
			b = append(b, byte(c.Ne>>8), byte(c.Ne))
		}
	}
	return b, nil
}

// String describes the header and the lengths, never the data, which can
// be secret (a PIN, a cryptogram, a key).
func (c Command) String() string {
	s := fmt.Sprintf("C-APDU %02X %02X %02X %02X", c.CLA, c.INS, c.P1, c.P2)
	if len(c.Data) > 0 {
		s += fmt.Sprintf(" Nc=%d", len(c.Data))
	}
	if c.Ne > 0 {
		s += fmt.Sprintf(" Ne=%d", c.Ne)
	}
	if c.IsExtended() {
		s += " extended"
	}
	return s
}

// ParseCommand decodes a command APDU in any of the seven forms of
// ISO/IEC 7816-3 §12.1 (case 1, 2S, 3S, 4S, 2E, 3E, 4E). Data aliases b.
// Errors are *FormatError values: ErrTooShort, ErrTooLong, ErrLength,
// ErrInvalidINS.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, formatErr("command", len(b), ErrTooShort)
	}
	if len(b) > MaxCommandLen {
		return Command{}, formatErr("command", MaxCommandLen, ErrTooLong)
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	if c.INS&0xF0 == 0x60 || c.INS&0xF0 == 0x90 {
		return Command{}, formatErr("command", 1, ErrInvalidINS)
	}
	body := b[4:]
	switch {
	case len(body) == 0: // case 1
		return c, nil
	case len(body) == 1: // case 2S
		c.Ne = ne(body[0])
		return c, nil
	case body[0] != 0: // case 3S or 4S
		nc := int(body[0])
		switch len(body) {
		case 1 + nc:
		case 2 + nc:
			c.Ne = ne(body[1+nc])
		default:
			return Command{}, formatErr("command", 4, ErrLength)
		}
		c.Data = body[1 : 1+nc]
		return c, nil
	}
	// Extended: body[0] is 00 and at least one more byte follows.
	c.Extended = true
	if len(body) < 3 {
		return Command{}, formatErr("command", 4, ErrLength)
	}
	l := int(binary.BigEndian.Uint16(body[1:3]))
	if len(body) == 3 { // case 2E
		c.Ne = extNe(l)
		return c, nil
	}
	if l == 0 {
		return Command{}, formatErr("command", 5, ErrLength)
	}
	switch len(body) {
	case 3 + l: // case 3E
	case 5 + l: // case 4E
		c.Ne = extNe(int(binary.BigEndian.Uint16(body[3+l:])))
	default:
		return Command{}, formatErr("command", 5, ErrLength)
	}
	c.Data = body[3 : 3+l]
	return c, nil
}

func extNe(l int) int {
	if l == 0 {
		return MaxNe
	}
	return l
}
