package apdu

import "context"

// A Transmitter sends a command to a card and returns its response. A
// status word other than 9000 is not an error of Transmit: it is in the
// Response, and Response.Err turns it into one. Transmit's error is for
// what prevented an exchange (a transport failure, a command that cannot
// be encoded, a secure messaging failure).
//
// The Response's Data may alias buffers of the Transmitter; it stays valid
// until the next call.
type Transmitter interface {
	Transmit(ctx context.Context, cmd Command) (Response, error)
}

// TransmitterFunc adapts a function to the Transmitter interface.
type TransmitterFunc func(ctx context.Context, cmd Command) (Response, error)

// Transmit calls f.
func (f TransmitterFunc) Transmit(ctx context.Context, cmd Command) (Response, error) {
	return f(ctx, cmd)
}

// RawTransport exchanges encoded APDUs, as a PC/SC card, an NFC tag or a
// simulator does (reader/pcsc.Card implements it).
type RawTransport interface {
	TransmitRaw(ctx context.Context, apdu []byte) ([]byte, error)
}

// NewTransmitter returns a Transmitter that encodes each command, sends it
// through rt and decodes the response.
func NewTransmitter(rt RawTransport) Transmitter { return rawTransmitter{rt} }

type rawTransmitter struct{ rt RawTransport }

func (t rawTransmitter) Transmit(ctx context.Context, cmd Command) (Response, error) {
	b, err := cmd.Bytes()
	if err != nil {
		return Response{}, err
	}
	rb, err := t.rt.TransmitRaw(ctx, b)
	if err != nil {
		return Response{}, err
	}
	return ParseResponse(rb)
}

// Transmit sends cmd through t and returns the response data when the
// status word is 9000 or 6282, and a *StatusError (with the command's INS)
// otherwise: the usual way to send one command when only success matters.
func Transmit(ctx context.Context, t Transmitter, cmd Command) ([]byte, error) {
	r, err := t.Transmit(ctx, cmd)
	if err != nil {
		return nil, err
	}
	if err := r.ErrFor(cmd); err != nil {
		return nil, err
	}
	return r.Data, nil
}
