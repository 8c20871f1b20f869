package sm

import (
	"context"

	"github.com/cancuoc/cancuoc/apdu"
)

// NewTransmitter returns an apdu.Transmitter that protects every command
// with s, sends it through inner and unwraps the response. A transport
// error kills the session too: the card's SSC is then unknown.
//
// Put apdu.WithChaining around it to chain long commands (each piece is
// protected) and inside it for transport-level 61XX handling.
func NewTransmitter(inner apdu.Transmitter, s *Session) apdu.Transmitter {
	return &transmitter{inner: inner, s: s}
}

type transmitter struct {
	inner apdu.Transmitter
	s     *Session
}

func (t *transmitter) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	w, err := t.s.Wrap(cmd)
	if err != nil {
		return apdu.Response{}, err
	}
	r, err := t.inner.Transmit(ctx, w)
	if err != nil {
		t.s.mu.Lock()
		e := t.s.fail("transmit", 0, 0, err)
		t.s.mu.Unlock()
		return apdu.Response{}, e
	}
	return t.s.Unwrap(r)
}
