package relay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/cancuoc/cancuoc/apdu"
)

// Client carries a card's APDUs to a relay server and back. The zero
// value is not usable: set URL.
type Client struct {
	// URL is the server's relay endpoint: ws:// or wss:// (http:// and
	// https:// are taken as the same).
	URL string
	// APIKey, when set, is sent as "Authorization: Bearer APIKEY".
	APIKey string
	// Header adds headers to the upgrade request.
	Header http.Header
	// HTTPClient makes the upgrade request (TLS settings, client
	// certificates, proxies); http.DefaultClient when nil.
	HTTPClient *http.Client
	// Progress receives the server's progress frames.
	Progress func(Progress)
	// CardError classifies a card transport's error into CardTagLost,
	// CardTimeout or CardIO. Without it (or when it returns another
	// string) apdu.ErrCardRemoved is CardTagLost, a context deadline
	// CardTimeout and anything else CardIO.
	CardError func(error) string
	// APDUTimeout caps the wait for one card exchange (default: the
	// command's timeout_ms, else 5 s).
	APDUTimeout time.Duration
	// MaxResult is the largest result frame accepted (default MaxResult).
	MaxResult int
	// StartInFrame sends the start as the first frame, after the
	// upgrade, instead of in the upgrade request's StartHeader: one round
	// trip more, for servers or proxies that drop the header.
	StartInFrame bool
	// ServerReadsCardAccess leaves EF.CardAccess to the server. By
	// default the client reads it from the card before connecting (READ
	// BINARY by SFI 1C: the file is public, readable before access
	// control) and sends it in the start's CardAccess, so the server does
	// not ask for it: one round trip less. The server checks it against
	// the chip's signed DG14 as it would the file it read itself.
	ServerReadsCardAccess bool
}

// ErrNoResult: the server closed the connection without a result or error
// frame.
var ErrNoResult = errors.New("relay: the server closed the session without a result")

// Run opens a session, sends start (Version 0 means Version; the ATR is
// taken from card when it has an ATR() method and start has none), and
// carries each command to card until the server sends its result, whose
// JSON it returns. A server error frame is returned as an *Error; a card
// failure is reported to the server as a card error frame and returned as
// a *CardError. Cancelling ctx sends a cancel frame and returns ctx.Err().
func (c *Client) Run(ctx context.Context, card apdu.RawTransport, start Start) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if start.Version == 0 {
		start.Version = Version
	}
	if start.ATR == nil {
		if a, ok := card.(interface{ ATR() []byte }); ok {
			if atr := a.ATR(); len(atr) <= MaxATR {
				start.ATR = atr
			}
		}
	}
	if start.CardAccess == nil && !c.ServerReadsCardAccess {
		start.CardAccess = c.readCardAccess(ctx, card, start.MaxResponse)
	}
	startFrame, err := Marshal(&start)
	if err != nil {
		return nil, err
	}
	u := c.URL
	switch {
	case strings.HasPrefix(u, "http://"):
		u = "ws://" + strings.TrimPrefix(u, "http://")
	case strings.HasPrefix(u, "https://"):
		u = "wss://" + strings.TrimPrefix(u, "https://")
	}
	h := c.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if c.APIKey != "" {
		h.Set("Authorization", "Bearer "+c.APIKey)
	}
	if !c.StartInFrame {
		h.Set(StartHeader, string(startFrame))
	}
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{
		HTTPClient:      c.HTTPClient,
		HTTPHeader:      h,
		Subprotocols:    []string{Subprotocol},
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		if resp != nil {
			return nil, &DialError{Status: resp.StatusCode, Err: err}
		}
		return nil, fmt.Errorf("relay: dial: %w", err)
	}
	defer conn.CloseNow()
	if conn.Subprotocol() != Subprotocol {
		_ = conn.Close(websocket.StatusProtocolError, "subprotocol")
		return nil, fmt.Errorf("%w: the server did not accept subprotocol %s", ErrVersion, Subprotocol)
	}
	maxResult := c.MaxResult
	if maxResult <= 0 {
		maxResult = MaxResult
	}
	conn.SetReadLimit(int64(max(maxResult, MaxFrame)))

	// Reads use their own context: cancelling a read closes a
	// coder/websocket connection at once, and a cancelled session still
	// sends its cancel frame and waits a moment for the server's answer.
	readCtx, stopRead := context.WithCancel(context.Background())
	defer stopRead()
	cancelled := context.AfterFunc(ctx, func() {
		b, _ := Marshal(&Cancel{Reason: "client cancelled"})
		wctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = conn.Write(wctx, websocket.MessageText, b)
		time.AfterFunc(2*time.Second, stopRead)
	})
	defer cancelled()

	write := func(f Frame) error {
		b, err := Marshal(f)
		if err != nil {
			return err
		}
		wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := conn.Write(wctx, websocket.MessageText, b); err != nil {
			return fmt.Errorf("%w: %w", ErrClosed, err)
		}
		return nil
	}
	if c.StartInFrame {
		wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
		err = conn.Write(wctx, websocket.MessageText, startFrame)
		wcancel()
		if err != nil {
			return nil, c.ended(ctx, fmt.Errorf("%w: %w", ErrClosed, err))
		}
	}

	var cardErr *CardError
	for {
		typ, b, err := conn.Read(readCtx)
		if err != nil {
			if errors.Is(err, websocket.ErrMessageTooBig) {
				return nil, frameErr("", ErrFrameTooBig, "server frame over %d bytes", maxResult)
			}
			if cardErr != nil {
				return nil, cardErr
			}
			if s := websocket.CloseStatus(err); s != -1 {
				return nil, c.ended(ctx, fmt.Errorf("%w: closed with status %d", ErrNoResult, s))
			}
			return nil, c.ended(ctx, fmt.Errorf("%w: %w", ErrClosed, err))
		}
		if typ != websocket.MessageText {
			_ = conn.Close(websocket.StatusProtocolError, "binary message")
			return nil, frameErr("", ErrBadFrame, "a binary message from the server")
		}
		f, err := ParseServerFrame(b, maxResult)
		if err != nil {
			_ = conn.Close(websocket.StatusProtocolError, "bad frame")
			return nil, err
		}
		switch f := f.(type) {
		case *Command:
			if ctx.Err() != nil || cardErr != nil {
				continue // a cancel or card error frame is on its way
			}
			rsp, err := c.transmit(ctx, card, f)
			if err != nil {
				if ctx.Err() != nil {
					continue // the cancel frame tells the server
				}
				cardErr = &CardError{ID: f.ID, Code: c.classify(err), Msg: truncate(err.Error())}
				if werr := write(cardErr); werr != nil {
					return nil, cardErr
				}
				continue // the server answers with an error frame
			}
			if err := write(&Response{ID: f.ID, APDU: rsp}); err != nil {
				return nil, c.ended(ctx, err)
			}
		case *Progress:
			if c.Progress != nil {
				c.Progress(*f)
			}
		case *Result:
			_ = conn.Close(websocket.StatusNormalClosure, "")
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return f.Result, nil
		case *Error:
			_ = conn.Close(websocket.StatusNormalClosure, "")
			if cardErr != nil {
				return nil, cardErr
			}
			if f.Code == CodeCancelled && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, f
		}
	}
}

// ended prefers the context's error when the session ended because of it.
func (c *Client) ended(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (c *Client) transmit(ctx context.Context, card apdu.RawTransport, f *Command) ([]byte, error) {
	d := c.APDUTimeout
	if d <= 0 {
		d = f.Timeout
	}
	if d <= 0 {
		d = 5 * time.Second
	}
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	rsp, err := card.TransmitRaw(tctx, f.APDU)
	if err != nil {
		return nil, err
	}
	if len(rsp) < 2 || len(rsp) > MaxResponseAPDU {
		return nil, fmt.Errorf("relay: the card answered %d bytes", len(rsp))
	}
	return rsp, nil
}

func (c *Client) classify(err error) string {
	if c.CardError != nil {
		switch code := c.CardError(err); code {
		case CardTagLost, CardTimeout, CardIO:
			return code
		}
	}
	switch {
	case errors.Is(err, apdu.ErrCardRemoved):
		return CardTagLost
	case errors.Is(err, context.DeadlineExceeded):
		return CardTimeout
	}
	return CardIO
}

// DialError is a refused upgrade: the server's HTTP status (401 for a
// wrong API key, 400 without the subprotocol, 429 over a rate limit).
type DialError struct {
	Status int
	Err    error
}

func (e *DialError) Error() string {
	return fmt.Sprintf("relay: the server refused the session: HTTP %d", e.Status)
}

func (e *DialError) Unwrap() error { return e.Err }

// readCardAccess reads EF.CardAccess from the card by its short file
// identifier (1C), from the current directory (the master file of a card
// just put on the reader), in as many READ BINARY as its size needs. It
// returns nil when the card has no such file there, refuses it before
// access control (as CCCDs do to iPhones), answers anything unexpected or
// the file is over MaxCardAccess: the server then reads it itself, with
// all its recovery.
func (c *Client) readCardAccess(ctx context.Context, card apdu.RawTransport, maxResponse int) []byte {
	le := 256
	if maxResponse > 0 && maxResponse < le {
		le = maxResponse
	}
	var b []byte
	for len(b) <= MaxCardAccess {
		// The first READ BINARY selects the file by SFI (P1 = 80|1C);
		// the next ones read the selected file at offsets (P1 P2).
		cmd := []byte{0x00, 0xB0, 0x80 | 0x1C, 0x00, byte(le)}
		if len(b) > 0 {
			cmd = []byte{0x00, 0xB0, byte(len(b) >> 8), byte(len(b)), byte(le)}
		}
		tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		rsp, err := card.TransmitRaw(tctx, cmd)
		cancel()
		if err != nil || len(rsp) < 2 || len(rsp) > MaxResponseAPDU {
			return nil
		}
		data, sw := rsp[:len(rsp)-2], uint16(rsp[len(rsp)-2])<<8|uint16(rsp[len(rsp)-1])
		switch {
		case sw == 0x9000 && len(data) > 0:
			b = append(b, data...)
			if len(data) < le && len(b) <= MaxCardAccess {
				return b // the whole file
			}
		case sw == 0x6282 || (sw == 0x6B00 || sw == 0x9000 && len(data) == 0) && len(b) > 0:
			// The end of the file (6282 with its last bytes; 6B00,
			// an offset past the end, after a read of exactly le).
			if b = append(b, data...); len(b) == 0 || len(b) > MaxCardAccess {
				return nil
			}
			return b
		default:
			return nil
		}
	}
	return nil
}
