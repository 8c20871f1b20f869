package relay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/cancuoc/cancuoc/apdu"
)

// Config bounds a server session and says which browser pages may open
// one; Accept takes a pointer to one, nil meaning all defaults. Zero
// fields take the defaults.
type Config struct {
	// StartTimeout is how long the client has to send its start frame
	// after the upgrade (default 10 s).
	StartTimeout time.Duration
	// APDUTimeout is how long the server waits for the response to one
	// command, network and card together (default 5 s).
	APDUTimeout time.Duration
	// SessionTimeout bounds the whole session from the upgrade on
	// (default 60 s).
	SessionTimeout time.Duration
	// WriteTimeout bounds the sending of one frame (default 10 s).
	WriteTimeout time.Duration
	// MaxFrame is the largest frame the server reads (default and
	// highest MaxFrame).
	MaxFrame int
	// MaxResult is the largest result frame the server sends (default
	// MaxResult).
	MaxResult int
	// OriginPatterns lists the hosts of browser pages allowed to open a
	// session (see websocket.AcceptOptions); requests without an Origin
	// header, as from phone apps and counter devices, are always allowed.
	OriginPatterns []string
}

// withDefaults is a copy of c (the zero Config when c is nil) with the
// defaults filled in.
func (c *Config) withDefaults() Config {
	var l Config
	if c != nil {
		l = *c
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&l.StartTimeout, 10*time.Second)
	def(&l.APDUTimeout, 5*time.Second)
	def(&l.SessionTimeout, 60*time.Second)
	def(&l.WriteTimeout, 10*time.Second)
	if l.MaxFrame <= 0 || l.MaxFrame > MaxFrame {
		l.MaxFrame = MaxFrame
	}
	if l.MaxResult <= 0 {
		l.MaxResult = MaxResult
	}
	return l
}

// Session is the server's side of one relay session: a transport to the
// card in the client's hands. It implements apdu.Transmitter and
// apdu.RawTransport, so reader.Read runs over it, and ATR() with the ATR
// of the start frame.
//
// Transmit, Progress, Finish and Fail are called from one goroutine (the
// handler's); Close may be called from any.
type Session struct {
	conn   *websocket.Conn
	limits Config
	atr    []byte

	// ctx ends with the session; its cause says why.
	ctx    context.Context
	cancel context.CancelCauseFunc
	stop   context.CancelFunc

	// responses carries responses and card errors from the read loop.
	responses chan Frame
	readDone  chan struct{}
	readStop  context.CancelFunc

	id    int         // the last command's id
	ended atomic.Bool // Finish or Fail was called, or Close

	closeOnce sync.Once
}

// Accept upgrades the HTTP request to a relay session and reads the start
// frame. The request must offer the subprotocol; authentication is the
// caller's, before Accept. config (nil: all defaults) bounds the session in
// time and size, and ctx bounds it too (cancelling it, as a server that
// shuts down does, ends the session:
// Transmit then fails with an error whose CodeOf is CodeUnavailable).
//
// On an error after the upgrade Accept has already told the client (an
// error frame and a close code) and closed the connection; before the
// upgrade it has answered the HTTP request (400 without the subprotocol).
// The Start holds the access key: a secret, never to be logged.
func Accept(ctx context.Context, w http.ResponseWriter, r *http.Request, config *Config) (*Session, *Start, error) {
	limits := config.withDefaults()
	if !offers(r, Subprotocol) {
		http.Error(w, "relay: the client must offer the WebSocket subprotocol "+Subprotocol, http.StatusBadRequest)
		return nil, nil, fmt.Errorf("%w: subprotocol %s not offered", ErrVersion, Subprotocol)
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:    []string{Subprotocol},
		OriginPatterns:  limits.OriginPatterns,
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("relay: upgrade: %w", err)
	}
	conn.SetReadLimit(int64(limits.MaxFrame))
	s := &Session{
		conn:      conn,
		limits:    limits,
		responses: make(chan Frame),
		readDone:  make(chan struct{}),
	}
	cctx, cancel := context.WithCancelCause(ctx)
	s.ctx, s.stop = context.WithTimeoutCause(cctx, limits.SessionTimeout, ErrSessionTimeout)
	s.cancel = cancel
	readCtx, readStop := context.WithCancel(context.Background())
	s.readStop = readStop

	first := make(chan Frame, 1)
	var headerErr error
	if h := r.Header.Get(StartHeader); h != "" {
		// The start came with the upgrade request: no round trip to wait.
		if len(h) > maxStartHeader {
			headerErr = frameErr(TypeStart, ErrFrameTooBig, "%s header over %d bytes", StartHeader, maxStartHeader)
		} else if f, err := ParseClientFrame([]byte(h)); err != nil {
			headerErr = err
		} else if _, ok := f.(*Start); !ok {
			headerErr = frameErr(f.Type(), ErrBadFrame, "the %s header must hold a start frame", StartHeader)
		} else {
			first <- f
		}
		if headerErr != nil {
			s.cancel(headerErr)
		}
	}
	go s.readLoop(readCtx, first, len(first) > 0)

	timer := time.NewTimer(limits.StartTimeout)
	defer timer.Stop()
	var start *Start
	select {
	case f := <-first:
		st, ok := f.(*Start)
		if !ok {
			err = frameErr(f.Type(), ErrBadFrame, "the first frame must be a start frame")
			s.cancel(err)
		} else {
			start = st
		}
	case <-timer.C:
		err = fmt.Errorf("%w: no start frame within %v", ErrSessionTimeout, limits.StartTimeout)
		s.cancel(err)
	case <-s.ctx.Done():
		err = context.Cause(s.ctx)
	}
	if err != nil {
		_ = s.Fail(CodeOf(err), err.Error())
		s.Close()
		return nil, nil, err
	}
	s.atr = slices.Clone(start.ATR)
	return s, start, nil
}

// offers reports whether the request offers the subprotocol.
func offers(r *http.Request, proto string) bool {
	for _, v := range r.Header.Values("Sec-WebSocket-Protocol") {
		for len(v) > 0 {
			var p string
			p, v, _ = cut(v, ',')
			if trimSpace(p) == proto {
				return true
			}
		}
	}
	return false
}

func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// readLoop reads the client's frames until the connection ends. The start
// frame goes to first; responses and card errors to s.responses; a
// cancel, a bad frame or the end of the connection end the session.
func (s *Session) readLoop(ctx context.Context, first chan<- Frame, started bool) {
	defer close(s.readDone)
	for {
		typ, b, err := s.conn.Read(ctx)
		if err != nil {
			switch {
			case errors.Is(err, websocket.ErrMessageTooBig):
				err = frameErr("", ErrFrameTooBig, "over %d bytes", s.limits.MaxFrame)
			case websocket.CloseStatus(err) != -1:
				err = fmt.Errorf("%w: the client closed with status %d", ErrClosed, websocket.CloseStatus(err))
			default:
				err = fmt.Errorf("%w: %w", ErrClosed, err)
			}
			s.cancel(err)
			return
		}
		var f Frame
		if typ != websocket.MessageText {
			err = frameErr("", ErrBadFrame, "a binary message")
		} else {
			f, err = ParseClientFrame(b)
		}
		if err == nil {
			switch f.(type) {
			case *Start:
				if started {
					err = frameErr(TypeStart, ErrBadFrame, "a second start frame")
				}
			case *Cancel:
				err = ErrCancelled
			default:
				if !started {
					err = frameErr(f.Type(), ErrBadFrame, "the first frame must be a start frame")
				}
			}
		}
		if err != nil {
			s.cancel(err)
			return
		}
		if !started {
			started = true
			first <- f
			continue
		}
		select {
		case s.responses <- f:
		case <-s.ctx.Done():
			return
		}
	}
}

// Context returns a context that ends with the session: when the client
// cancels, breaks the protocol or leaves, when a deadline passes, or when
// the session is closed. context.Cause tells why (CodeOf maps it).
func (s *Session) Context() context.Context { return s.ctx }

// ATR returns the card's ATR as the client gave it in the start frame
// (nil when it gave none): reader.Read takes the card's extended length
// capabilities from it.
func (s *Session) ATR() []byte { return slices.Clone(s.atr) }

// APDUs returns the number of commands sent so far.
func (s *Session) APDUs() int { return s.id }

// Transmit sends a command to the card through the client and returns the
// card's response. An error means the session cannot go on: ErrCard
// (a *CardError), ErrAPDUTimeout, ErrSessionTimeout, ErrCancelled,
// ErrClosed, ErrBadFrame or ErrFrameTooBig, or the context's error.
func (s *Session) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	b, err := cmd.Bytes()
	if err != nil {
		return apdu.Response{}, err
	}
	rb, err := s.TransmitRaw(ctx, b)
	if err != nil {
		return apdu.Response{}, err
	}
	return apdu.ParseResponse(rb)
}

// TransmitRaw is Transmit for an encoded command APDU.
func (s *Session) TransmitRaw(ctx context.Context, cmd []byte) ([]byte, error) {
	if err := s.alive(ctx); err != nil {
		return nil, err
	}
	if s.id >= MaxID {
		return nil, frameErr(TypeCommand, ErrBadFrame, "too many commands")
	}
	s.id++
	id := s.id
	if err := s.send(&Command{ID: id, APDU: cmd, Timeout: s.limits.APDUTimeout}); err != nil {
		return nil, err
	}
	timer := time.NewTimer(s.limits.APDUTimeout)
	defer timer.Stop()
	select {
	case f := <-s.responses:
		switch f := f.(type) {
		case *Response:
			if f.ID != id {
				err := frameErr(TypeResponse, ErrBadFrame, "response to command %d, expected %d", f.ID, id)
				s.cancel(err)
				return nil, err
			}
			return f.APDU, nil
		case *CardError:
			if f.ID != id && f.ID != 0 {
				err := frameErr(TypeCardError, ErrBadFrame, "card error for command %d, expected %d", f.ID, id)
				s.cancel(err)
				return nil, err
			}
			s.cancel(f)
			return nil, f
		}
		err := frameErr(f.Type(), ErrBadFrame, "unexpected frame")
		s.cancel(err)
		return nil, err
	case <-timer.C:
		err := fmt.Errorf("%w: command %d, %v", ErrAPDUTimeout, id, s.limits.APDUTimeout)
		s.cancel(err)
		return nil, err
	case <-s.ctx.Done():
		return nil, context.Cause(s.ctx)
	case <-ctx.Done():
		if s.ctx.Err() != nil {
			return nil, context.Cause(s.ctx)
		}
		return nil, ctx.Err()
	}
}

func (s *Session) alive(ctx context.Context) error {
	if s.ended.Load() {
		return ErrEnded
	}
	if s.ctx.Err() != nil {
		return context.Cause(s.ctx)
	}
	return ctx.Err()
}

// Cause returns why the session ended (nil while it goes on): what
// Transmit returned, or the client's cancel, a protocol error, the
// session deadline, the client leaving. A reader.Read over Context() that
// fails may return only context.Canceled; Cause has the reason, and
// CodeOf(Cause()) the error frame's code.
func (s *Session) Cause() error {
	if s.ctx.Err() == nil {
		return nil
	}
	return context.Cause(s.ctx)
}

// send writes one frame within the write timeout.
func (s *Session) send(f Frame) error {
	b, err := Marshal(f)
	if err != nil {
		return err
	}
	return s.write(b)
}

func (s *Session) write(b []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.limits.WriteTimeout)
	defer cancel()
	if err := s.conn.Write(ctx, websocket.MessageText, b); err != nil {
		err = fmt.Errorf("%w: %w", ErrClosed, err)
		s.cancel(err)
		return err
	}
	return nil
}

// Progress sends a progress frame. Progress frames need no answer; a
// failure to send one is returned and ends the session.
func (s *Session) Progress(p Progress) error {
	if err := s.alive(context.Background()); err != nil {
		return err
	}
	return s.send(&p)
}

// Finish sends the result (a JSON object, at most Config.MaxResult bytes
// framed) and closes the connection normally. It works after Transmit
// failed too, while the client is still connected: a read that ended
// incomplete still gets its result. The session is over afterwards.
func (s *Session) Finish(result []byte) error {
	if s.ended.Load() {
		return ErrEnded
	}
	b, err := Marshal(&Result{Result: result})
	if err != nil && !errors.Is(err, ErrFrameTooBig) {
		return err
	}
	if len(b) > s.limits.MaxResult || err != nil {
		return frameErr(TypeResult, ErrFrameTooBig, "result over %d bytes", s.limits.MaxResult)
	}
	if s.ended.Swap(true) {
		return ErrEnded
	}
	if err := s.write(b); err != nil {
		s.Close()
		return err
	}
	s.closeWith(websocket.StatusNormalClosure, "")
	return nil
}

// Fail sends an error frame with code and msg (cut to MaxText bytes; it
// reaches the client: no secrets in it) and closes the connection with the
// code's close status. The session is over afterwards.
func (s *Session) Fail(code Code, msg string) error {
	if s.ended.Swap(true) {
		return ErrEnded
	}
	e := &Error{Code: code, Msg: truncate(msg)}
	b, err := Marshal(e)
	if err != nil {
		e = &Error{Code: CodeInternal}
		b, _ = Marshal(e)
	}
	werr := s.write(b)
	s.closeWith(CloseCode(e.Code), string(e.Code))
	return werr
}

func (s *Session) closeWith(code websocket.StatusCode, reason string) {
	s.closeOnce.Do(func() {
		// The close handshake waits for the client's close frame, which
		// the read loop or Close itself receives.
		s.cancel(ErrClosed)
		_ = s.conn.Close(code, reason)
		s.release()
	})
}

// Close ends the session and frees its resources. A session that sent
// no result or error frame tells the client CodeOf the session's cause
// (CodeInternal when there is none) first. It is safe to call more than
// once and from any goroutine.
func (s *Session) Close() {
	s.closeOnce.Do(func() {
		if !s.ended.Swap(true) {
			code := CodeOf(context.Cause(s.ctx))
			if code == "" {
				code = CodeInternal
			}
			e, _ := Marshal(&Error{Code: code})
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_ = s.conn.Write(ctx, websocket.MessageText, e)
			cancel()
			_ = s.conn.Close(CloseCode(code), string(code))
		}
		_ = s.conn.CloseNow()
		s.release()
	})
}

func (s *Session) release() {
	s.cancel(ErrClosed)
	s.stop()
	s.readStop()
	<-s.readDone
}
