package relay_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/relay"
)

// lateCard answers command n (from 1) after a delay: a relay whose phone
// or network stalls.
type lateCard struct {
	*sim.Card
	n     int32
	delay time.Duration
	count atomic.Int32
}

func (c *lateCard) TransmitRaw(ctx context.Context, b []byte) ([]byte, error) {
	if c.count.Add(1) == c.n {
		time.Sleep(c.delay) // the card does not see the context: a stalled link
	}
	return c.Card.TransmitRaw(ctx, b)
}

// readAfter checks that the server still reads a card to the end.
func readAfter(t *testing.T, ts *testServer) {
	t.Helper()
	_, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	b, err := (&relay.Client{URL: ts.URL()}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
	require.NoError(t, err)
	require.True(t, decode(t, b).Verified)
	o := ts.next(t)
	require.NoError(t, o.err)
	ts.healthy(t)
}

// TestRelayLate: a relay that answers after the per-APDU deadline ends the
// session as incomplete (never a verdict on the document); the server
// keeps serving.
func TestRelayLate(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, &relay.Config{APDUTimeout: 300 * time.Millisecond})
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	late := &lateCard{Card: card, n: 12, delay: time.Second}
	b, err := (&relay.Client{URL: ts.URL()}).Run(context.Background(), late, relay.Start{Key: relay.CANKey("123456")})
	require.NoError(t, err, "the server gives its verdict while the client is connected")
	r := decode(t, b)
	require.False(t, r.Verified)
	require.Equal(t, "incomplete", r.Verdict.Outcome)
	require.Equal(t, string(relay.CodeAPDUTimeout), r.Error)
	require.Equal(t, 11, r.APDUs, "the card's 12th APDU is the server's 11th: the client read EF.CardAccess first")
	o := ts.next(t)
	require.Less(t, o.took, 900*time.Millisecond, "the server did not wait for the late answer")
	require.ErrorIs(t, o.cause, relay.ErrAPDUTimeout)
	for name, st := range o.result.Checks {
		require.NotEqual(t, "failed", st, "%s: a stalled relay fails no check", name)
	}
	readAfter(t, ts)
}

// TestRelayClientGone: the client's connection drops mid-read (the app
// killed, the network gone). The server's read ends incomplete at once and
// the server keeps serving.
func TestRelayClientGone(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, nil)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)

	conn, _, err := websocket.Dial(context.Background(), ts.URL(), &websocket.DialOptions{Subprotocols: []string{relay.Subprotocol}})
	require.NoError(t, err)
	start, err := relay.Marshal(&relay.Start{Version: 1, Key: relay.CANKey("123456"), ATR: card.ATR()})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, conn.Write(ctx, websocket.MessageText, start))
	for i := 1; i <= 6; i++ {
		_, b, err := conn.Read(ctx)
		require.NoError(t, err)
		f, err := relay.ParseServerFrame(b, 0)
		require.NoError(t, err)
		cmd, ok := f.(*relay.Command)
		if !ok {
			continue
		}
		require.Equal(t, i, cmd.ID)
		rsp, err := card.TransmitRaw(ctx, cmd.APDU)
		require.NoError(t, err)
		out, err := relay.Marshal(&relay.Response{ID: cmd.ID, APDU: rsp})
		require.NoError(t, err)
		require.NoError(t, conn.Write(ctx, websocket.MessageText, out))
	}
	began := time.Now()
	require.NoError(t, conn.CloseNow()) // no close frame: the TCP connection just ends
	o := ts.next(t)
	require.Less(t, time.Since(began), 2*time.Second)
	require.ErrorIs(t, o.cause, relay.ErrClosed)
	require.Error(t, o.err)
	require.False(t, o.result != nil && o.result.Verified)
	readAfter(t, ts)
}

// rawSession opens a WebSocket with the subprotocol and sends the frames;
// a first frame of type http.Header gives the upgrade request's headers.
func rawSession(t *testing.T, ts *testServer, frames ...any) *websocket.Conn {
	t.Helper()
	var h http.Header
	if len(frames) > 0 {
		if hh, ok := frames[0].(http.Header); ok {
			h, frames = hh, frames[1:]
		}
	}
	conn, _, err := websocket.Dial(context.Background(), ts.URL(), &websocket.DialOptions{Subprotocols: []string{relay.Subprotocol}, HTTPHeader: h})
	require.NoError(t, err)
	conn.SetReadLimit(relay.MaxResult)
	for _, f := range frames {
		switch f := f.(type) {
		case string:
			require.NoError(t, conn.Write(context.Background(), websocket.MessageText, []byte(f)))
		case []byte:
			require.NoError(t, conn.Write(context.Background(), websocket.MessageBinary, f))
		}
	}
	return conn
}

// lastFrame reads until the server closes: the error frame it sent last
// (nil if none) and the close status.
func lastFrame(t *testing.T, conn *websocket.Conn) (*relay.Error, websocket.StatusCode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var last *relay.Error
	for {
		_, b, err := conn.Read(ctx)
		if err != nil {
			return last, websocket.CloseStatus(err)
		}
		f, err := relay.ParseServerFrame(b, 0)
		require.NoError(t, err)
		if e, ok := f.(*relay.Error); ok {
			last = e
		}
	}
}

// TestRelayBadFrames: garbage, oversized and out-of-order frames end that
// session with the right error frame and close code; the server keeps
// serving.
func TestRelayBadFrames(t *testing.T) {
	ts := newTestServer(t, &relay.Config{StartTimeout: 500 * time.Millisecond})
	start := `{"t":"start","v":1,"can":"123456"}`
	for _, tc := range []struct {
		name   string
		frames []any
		code   relay.Code
		status websocket.StatusCode
	}{
		{"not json", []any{"hello"}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"binary", []any{[]byte{0x00, 0xA4}}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"response first", []any{`{"t":"rsp","id":1,"apdu":"kAA="}`}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"server frame", []any{`{"t":"cmd","id":1,"apdu":"ALCcAAAAAA=="}`}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"version 2", []any{`{"t":"start","v":2,"can":"123456"}`}, relay.CodeVersion, 4004},
		{"bad key", []any{`{"t":"start","v":1,"can":"12-456"}`}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"invalid mrz", []any{`{"t":"start","v":1,"mrz":{"doc":"C01234567","birth":"901301","expiry":"350101"}}`}, relay.CodeBadStart, 4005},
		{"no start", nil, relay.CodeSessionTimeout, 4002},
		{"oversized", []any{`{"t":"start","v":1,"can":"` + strings.Repeat("1", relay.MaxFrame) + `"}`}, "", websocket.StatusMessageTooBig},
		{"wrong id", []any{start, `{"t":"rsp","id":2,"apdu":"kAA="}`}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"second start", []any{start, start}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"garbage after start", []any{start, `{"t":"rsp","id":1,"apdu":"not base64!"}`}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"oversized after start", []any{start, `{"t":"rsp","id":1,"apdu":"` + strings.Repeat("A", relay.MaxFrame) + `"}`}, "", websocket.StatusMessageTooBig},
		{"cancel", []any{start, `{"t":"cancel","reason":"user"}`}, relay.CodeCancelled, 4003},
		{"card error", []any{start, `{"t":"card_error","id":1,"code":"tag_lost"}`}, "", websocket.StatusNormalClosure},
		{"header start, then a frame start", []any{header(start), start}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"header not json", []any{header("{")}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"header not a start", []any{header(`{"t":"cancel"}`)}, relay.CodeBadFrame, websocket.StatusProtocolError},
		{"header version 2", []any{header(`{"t":"start","v":2,"can":"123456"}`)}, relay.CodeVersion, 4004},
		{"header oversized", []any{header(`{"t":"start","v":1,"can":"123456","policy":"` + strings.Repeat("p", 4200) + `"}`)}, relay.CodeTooBig, websocket.StatusMessageTooBig},
		{"header start, cancel", []any{header(start), `{"t":"cancel"}`}, relay.CodeCancelled, 4003},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn := rawSession(t, ts, tc.frames...)
			defer conn.CloseNow()
			e, status := lastFrame(t, conn)
			require.Equal(t, tc.status, status)
			if tc.code != "" {
				require.NotNil(t, e)
				require.Equal(t, tc.code, e.Code)
				require.Equal(t, relay.CloseCode(tc.code), status)
				require.NotContains(t, e.Msg, "123456")
			}
			o := ts.next(t)
			require.Error(t, errors.Join(o.err, o.cause))
			require.False(t, o.result != nil && o.result.Verified)
		})
	}
	// Without the subprotocol there is no session.
	_, resp, err := websocket.Dial(context.Background(), ts.URL(), nil)
	require.Error(t, err)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	o := ts.next(t)
	require.ErrorIs(t, o.err, relay.ErrVersion)
	readAfter(t, ts)
}

func header(start string) http.Header { return http.Header{relay.StartHeader: {start}} }

// TestRelaySessionTimeout: a session that runs past its deadline ends,
// however busy the client is.
func TestRelaySessionTimeout(t *testing.T) {
	_, imgs := fixtures(t)
	ts := newTestServer(t, &relay.Config{SessionTimeout: 400 * time.Millisecond})
	card, err := sim.New(imgs[sim.ProfileCCCD], &sim.Config{Faults: sim.Faults{Delay: 50 * time.Millisecond}})
	require.NoError(t, err)
	b, err := (&relay.Client{URL: ts.URL()}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
	require.NoError(t, err)
	r := decode(t, b)
	require.Equal(t, "incomplete", r.Verdict.Outcome)
	require.Equal(t, string(relay.CodeSessionTimeout), r.Error)
	o := ts.next(t)
	require.ErrorIs(t, o.cause, relay.ErrSessionTimeout)
	readAfter(t, ts)
}

// TestClientRefused: a server that refuses the upgrade gives a *DialError
// with its status.
func TestClientRefused(t *testing.T) {
	ts := newTestServer(t, nil)
	_, imgs := fixtures(t)
	card, err := sim.New(imgs[sim.ProfileCCCD], nil)
	require.NoError(t, err)
	c := &relay.Client{URL: strings.Replace(ts.URL(), "/v1/relay", "/nowhere", 1)}
	_, err = c.Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
	var de *relay.DialError
	require.ErrorAs(t, err, &de)
	require.Equal(t, http.StatusNotFound, de.Status)
	_, err = c.Run(context.Background(), card, relay.Start{Key: relay.CANKey("12x")})
	require.ErrorIs(t, err, relay.ErrBadFrame, "a bad start frame is refused before dialling")
}
