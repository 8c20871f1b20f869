package reader

import (
	"context"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
)

// This file: response chaining on the link, below secure messaging.

// getResponse collects a response the card sends in pieces: 61XX says XX
// more bytes (00: 256 or more) wait for GET RESPONSE (ISO/IEC 7816-4
// §5.3.4). It sits below secure messaging, where a protected response
// longer than a short APDU (an RSA-2048 Active Authentication signature)
// comes in pieces on short links; GET RESPONSE itself goes in plain. It
// does not answer 6CXX by resending: under secure messaging the resent
// command would carry a used send sequence counter; the file reader
// handles 6CXX itself, above secure messaging.
type getResponse struct {
	t apdu.Transmitter
}

// maxGetResponses bounds the GET RESPONSE rounds of one response (a 64 KiB
// response in 256-byte pieces).
const maxGetResponses = 257

func (g getResponse) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	r, err := g.t.Transmit(ctx, cmd)
	if err != nil || r.SW.SW1() != 0x61 {
		return r, err
	}
	data := append([]byte(nil), r.Data...)
	for range maxGetResponses {
		ne := int(r.SW.SW2())
		if ne == 0 {
			ne = 256
		}
		gr := apdu.GetResponse(ne)
		gr.CLA = cmd.CLA &^ 0x1C // same channel, no chaining, no secure messaging
		if r, err = g.t.Transmit(ctx, gr); err != nil {
			return apdu.Response{}, err
		}
		if len(data)+len(r.Data) > apdu.MaxNe+64 {
			return apdu.Response{}, fmt.Errorf("reader: chained response longer than %d bytes: %w", apdu.MaxNe, apdu.ErrResponseTooLarge)
		}
		data = append(data, r.Data...)
		if r.SW.SW1() != 0x61 {
			return apdu.Response{Data: data, SW: r.SW}, nil
		}
	}
	return apdu.Response{}, fmt.Errorf("reader: %w", apdu.ErrTooManyRounds)
}
