package sm

import (
	"context"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
)

// NewTransmitter returns an apdu.Transmitter that protects every command
// with s, sends it through inner and unwraps the response. A transport
// error kills the session too (the card's SSC is then unknown) and comes
// back as it is, wrapped but not as an *Error: a card gone from the field
// is no secure messaging failure, and above all no MAC failure.
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
		t.s.kill(&Error{Op: "transmit", Err: ErrSessionDead})
		t.s.mu.Unlock()
		return apdu.Response{}, fmt.Errorf("sm: transmit: %w", err)
	}
	return t.s.Unwrap(r)
}
