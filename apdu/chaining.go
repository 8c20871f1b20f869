package apdu

import (
	"context"
)

// Defaults of WithChaining.
const (
	// DefaultMaxResponse bounds the data a command may collect through
	// GET RESPONSE: the largest extended response.
	DefaultMaxResponse = MaxNe
	// maxRounds bounds GET RESPONSE rounds even when each brings 1 byte.
	maxRounds = 1024
)

// ChainingConfig configures WithChaining. A nil *ChainingConfig means
// every default.
type ChainingConfig struct {
	// MaxCommandData is the longest data field sent in one command; longer
	// data is sent by command chaining (ISO/IEC 7816-4 §5.3.3: CLA bit '10'
	// on every command but the last). 0 (the default) sends every command
	// whole (up to 65535 bytes in extended form). Use 255 for a card or a
	// reader without extended length.
	MaxCommandData int
	// MaxResponse is the most data bytes collected by GET RESPONSE for one
	// command; 0 means DefaultMaxResponse. A card that offers more gets the
	// command failed with ErrResponseTooLarge.
	MaxResponse int
}

// WithChaining wraps inner with the transmission procedures of
// ISO/IEC 7816-4 §5.3 that a card may require of the terminal:
//
//   - 61XX: more response bytes are available. GET RESPONSE (Le XX) is
//     sent until the card answers otherwise, and the pieces of data are
//     concatenated; the total is bounded by MaxResponse and the number of
//     rounds by a fixed limit.
//   - 6CXX: wrong Le, XX bytes are available. The command is sent once
//     more with Ne = XX.
//   - Command chaining for data longer than MaxCommandData: the pieces go
//     in order, each intermediate one with the chaining bit and no Le; an
//     intermediate answer other than 9000 ends the chain and is returned.
//
// Under secure messaging, put WithChaining outside the secure messaging
// Transmitter to chain protected commands (each piece is then protected,
// as BSI TR-03110 asks), or inside it to fetch 61XX of protected
// responses at the transport level.
func WithChaining(inner Transmitter, config *ChainingConfig) Transmitter {
	c := &chaining{inner: inner, maxResp: DefaultMaxResponse}
	if config != nil {
		c.maxData = config.MaxCommandData
		if config.MaxResponse > 0 {
			c.maxResp = config.MaxResponse
		}
	}
	return c
}

type chaining struct {
	inner   Transmitter
	maxData int
	maxResp int
}

func (c *chaining) Transmit(ctx context.Context, cmd Command) (Response, error) {
	if c.maxData > 0 && len(cmd.Data) > c.maxData {
		data := cmd.Data
		for len(data) > c.maxData {
			part := Command{CLA: cmd.CLA | 0x10, INS: cmd.INS, P1: cmd.P1, P2: cmd.P2,
				Data: data[:c.maxData], Extended: cmd.Extended}
			r, err := c.single(ctx, part)
			if err != nil || r.SW != SWSuccess {
				return r, err
			}
			data = data[c.maxData:]
		}
		cmd.Data = data
	}
	return c.single(ctx, cmd)
}

// single sends one command and handles 6CXX and 61XX.
func (c *chaining) single(ctx context.Context, cmd Command) (Response, error) {
	r, err := c.inner.Transmit(ctx, cmd)
	if err != nil {
		return r, err
	}
	if r.SW.SW1() == 0x6C {
		cmd.Ne = ne(r.SW.SW2())
		if r, err = c.inner.Transmit(ctx, cmd); err != nil {
			return r, err
		}
		if r.SW.SW1() == 0x6C {
			return Response{}, &StatusError{SW: r.SW, INS: cmd.INS}
		}
	}
	if r.SW.SW1() != 0x61 {
		return r, nil
	}
	// Copy: r.Data may alias the inner transmitter's buffer.
	data := append([]byte(nil), r.Data...)
	for range maxRounds {
		if len(data) > c.maxResp {
			return Response{}, formatErr("response", len(data), ErrResponseTooLarge)
		}
		if r.SW.SW1() != 0x61 {
			return Response{Data: data, SW: r.SW}, nil
		}
		gr := GetResponse(ne(r.SW.SW2()))
		gr.CLA = plainCLA(cmd.CLA)
		if r, err = c.inner.Transmit(ctx, gr); err != nil {
			return Response{}, err
		}
		if r.SW.SW1() == 0x6C { // Le too long for what is left
			gr.Ne = ne(r.SW.SW2())
			if r, err = c.inner.Transmit(ctx, gr); err != nil {
				return Response{}, err
			}
		}
		if len(data)+len(r.Data) > c.maxResp {
			return Response{}, formatErr("response", len(data)+len(r.Data), ErrResponseTooLarge)
		}
		data = append(data, r.Data...)
	}
	return Response{}, formatErr("response", len(data), ErrTooManyRounds)
}

// plainCLA is the class byte for GET RESPONSE after a command of class
// cla: the same logical channel, without the chaining and secure messaging
// bits (ISO/IEC 7816-4 §5.4.1: first interindustry classes 0X, further
// interindustry classes 4X-7X). A proprietary class only loses the
// chaining bit.
func plainCLA(cla byte) byte {
	switch {
	case cla&0xE0 == 0x00:
		return cla & 0x03
	case cla&0xC0 == 0x40:
		return cla & 0x4F
	default:
		return cla &^ 0x10
	}
}
