package relay

import (
	"context"
	"errors"
	"fmt"

	"github.com/coder/websocket"
)

// Errors of the protocol. Session.Transmit returns them (wrapped), and
// CodeOf turns them into the Code of the error frame that tells the client.
var (
	// ErrBadFrame: a frame that breaks the protocol (not JSON, an unknown
	// or unexpected type, a field out of its range, a binary message).
	ErrBadFrame = errors.New("relay: bad frame")
	// ErrFrameTooBig: a frame over its size limit.
	ErrFrameTooBig = errors.New("relay: frame too big")
	// ErrVersion: a start frame of a version this side does not speak, or
	// a peer that did not offer the subprotocol.
	ErrVersion = errors.New("relay: protocol version not supported")
	// ErrCard: the client could not exchange an APDU with the card
	// (a *CardError matches it).
	ErrCard = errors.New("relay: card error")
	// ErrAPDUTimeout: the client did not answer a command within the
	// per-APDU deadline.
	ErrAPDUTimeout = errors.New("relay: no response within the APDU deadline")
	// ErrSessionTimeout: the session ran past its deadline.
	ErrSessionTimeout = errors.New("relay: session deadline passed")
	// ErrCancelled: the peer cancelled the session.
	ErrCancelled = errors.New("relay: session cancelled")
	// ErrClosed: the connection is gone (the peer left, the network
	// failed, or the session was ended).
	ErrClosed = errors.New("relay: connection closed")
	// ErrEnded: Finish or Fail was already called.
	ErrEnded = errors.New("relay: session already ended")
)

// FrameError says which frame type broke which rule. It wraps
// ErrBadFrame, ErrFrameTooBig or ErrVersion.
type FrameError struct {
	Type   string // the frame's type, when known
	Err    error
	Detail string
}

func (e *FrameError) Error() string {
	t := e.Type
	if t == "" {
		t = "frame"
	}
	return fmt.Sprintf("%v: %s: %s", e.Err, t, e.Detail)
}

func (e *FrameError) Unwrap() error { return e.Err }

func frameErr(t string, err error, format string, args ...any) error {
	return &FrameError{Type: t, Err: err, Detail: fmt.Sprintf(format, args...)}
}

// Code is the code of an error frame.
type Code string

// Error codes. Each ends the session with its close code (CloseCode).
const (
	CodeBadFrame       Code = "bad_frame"       // 1002: a frame that breaks the protocol
	CodeTooBig         Code = "too_big"         // 1009: a frame over its limit
	CodeVersion        Code = "version"         // 4004: version not supported
	CodeBadStart       Code = "bad_start"       // 4005: the start frame's options are refused (unknown policy...)
	CodeCard           Code = "card"            // 4000: the client reported a card error
	CodeAPDUTimeout    Code = "apdu_timeout"    // 4001: no response within the per-APDU deadline
	CodeSessionTimeout Code = "session_timeout" // 4002: the session deadline passed
	CodeCancelled      Code = "cancelled"       // 4003: the client cancelled
	CodeAccessDenied   Code = "access_denied"   // 4006: the chip refused the key
	CodeUnavailable    Code = "unavailable"     // 4007: the server is shutting down or full: retry (elsewhere)
	CodeUnauthorized   Code = "unauthorized"    // 4008: the client's credentials are refused
	CodeInternal       Code = "internal"        // 1011: the server failed
)

// CloseCode returns the WebSocket close status that follows an error frame
// of code c (PROTOCOL.md, "Close codes").
func CloseCode(c Code) websocket.StatusCode {
	switch c {
	case CodeBadFrame:
		return websocket.StatusProtocolError
	case CodeTooBig:
		return websocket.StatusMessageTooBig
	case CodeCard:
		return 4000
	case CodeAPDUTimeout:
		return 4001
	case CodeSessionTimeout:
		return 4002
	case CodeCancelled:
		return 4003
	case CodeVersion:
		return 4004
	case CodeBadStart:
		return 4005
	case CodeAccessDenied:
		return 4006
	case CodeUnavailable:
		return 4007
	case CodeUnauthorized:
		return 4008
	}
	return websocket.StatusInternalError
}

// CodeOf returns the error frame code that reports err to the client:
// the code of an error of this package, CodeUnavailable for a cancelled
// context (the server is stopping), CodeInternal for anything else.
func CodeOf(err error) Code {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, ErrFrameTooBig):
		return CodeTooBig
	case errors.Is(err, ErrVersion):
		return CodeVersion
	case errors.Is(err, ErrBadFrame):
		return CodeBadFrame
	case errors.Is(err, ErrCard):
		return CodeCard
	case errors.Is(err, ErrAPDUTimeout):
		return CodeAPDUTimeout
	case errors.Is(err, ErrSessionTimeout):
		return CodeSessionTimeout
	case errors.Is(err, ErrCancelled):
		return CodeCancelled
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return CodeUnavailable
	}
	return CodeInternal
}
