package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/secinfo/secinfotest"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
	"github.com/cancuoc/cancuoc/server"
)

// checkResultSchema validates a relay result against the OpenAPI
// document's Result schema (the same as the upload's).
func checkResultSchema(t testing.TB, b []byte) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(server.OpenAPI)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	require.NoError(t, doc.Components.Schemas["Result"].Value.VisitJSON(v))
}

func relayURL(base string) string { return "ws" + strings.TrimPrefix(base, "http") + "/v1/relay" }

func simCard(t testing.TB, c *card) *sim.Card {
	t.Helper()
	sc, err := sim.New(c.img, nil)
	require.NoError(t, err)
	return sc
}

func canStart(c *card, atr []byte) relay.Start {
	return relay.Start{Version: relay.Version, Key: relay.AccessKey{CAN: c.img.Secrets.CAN}, ATR: atr}
}

func mrzStart(t testing.TB, c *card, atr []byte) relay.Start {
	info := c.img.Secrets.MRZInfo // document(10) birth(7) expiry(7), check digits included
	require.Len(t, info, 24)
	return relay.Start{Version: relay.Version, Key: relay.AccessKey{Document: strings.TrimRight(info[:9], "<"), Birth: info[10:16], Expiry: info[17:23]}, ATR: atr}
}

// TestRelayRead: the simulator behind the relay client, verified by the
// server: a CCCD with its CAN and a passport with its MRZ key.
func TestRelayRead(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{})
	for name, tc := range map[string]struct {
		c     *card
		start func(*sim.Card) relay.Start
	}{
		"CCCD by CAN":     {w.cccd, func(sc *sim.Card) relay.Start { return canStart(w.cccd, sc.ATR()) }},
		"passport by MRZ": {w.pass, func(sc *sim.Card) relay.Start { return mrzStart(t, w.pass, sc.ATR()) }},
	} {
		t.Run(name, func(t *testing.T) {
			sc := simCard(t, tc.c)
			var progress int
			cl := &relay.Client{URL: relayURL(s.url), APIKey: bankKey, Progress: func(relay.Progress) { progress++ }}
			b, err := cl.Run(context.Background(), sc, tc.start(sc))
			require.NoError(t, err)
			checkResultSchema(t, b)
			r := result(t, b)
			require.Equal(t, "relay", r.Mode)
			require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
			require.True(t, r.Proven.DataAuthentic)
			require.True(t, r.Proven.LiveChip)
			require.NotNil(t, r.Holder)
			require.NotNil(t, r.Face)
			require.Equal(t, "image/jpeg", r.Face.MIME)
			rep := verifyEvidence(t, r)
			require.NoError(t, rep.Err())
			require.True(t, rep.Verified(), "the read's evidence re-verifies offline")
			require.Positive(t, r.Wire.APDUs)
			require.Positive(t, progress)
			if tc.c == w.cccd {
				doc := parsedCCCD(t)
				cit, _ := doc.Citizen()
				require.Equal(t, cit.FullName, r.Holder.FullName)
				require.Equal(t, 17, sc.Stats().APDUs, "a CCCD in 17 APDUs")
				require.Equal(t, 16, r.Wire.APDUs, "the client read EF.CardAccess: 16 over the relay")
			}
		})
	}
	m := metricsText(t, s.url)
	require.Contains(t, m, `cancuoc_verdicts_total{mode="relay",outcome="verified",policy="bank"} 2`)
	require.Contains(t, m, "cancuoc_relay_sessions_open 0")
	checkLogs(t, s.logs.String())
}

// TestRelayForgedCardAccess: a client that sends a forged EF.CardAccess
// with its start (a SecurityInfo added to the chip's) gets no verified
// read: the reader checks it against the chip's signed DG14, and the
// mismatch is a failed check the bank policy names. The genuine file
// verifies with one APDU less over the relay.
func TestRelayForgedCardAccess(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{})
	genuine := w.cccd.img.Files[chip.EFCardAccess]
	require.NotEmpty(t, genuine)
	// A SecurityInfo DG14 lacks, added to the chip's own.
	forged, err := secinfotest.WithExtraInfo(genuine)
	require.NoError(t, err)
	for _, tc := range []struct {
		name       string
		cardAccess []byte
		outcome    string
	}{
		{"genuine", genuine, server.Verified},
		{"forged", forged, server.NotVerified},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := simCard(t, w.cccd)
			st := canStart(w.cccd, sc.ATR())
			st.CardAccess = tc.cardAccess
			b, err := (&relay.Client{URL: relayURL(s.url), APIKey: bankKey}).Run(context.Background(), sc, st)
			require.NoError(t, err)
			checkResultSchema(t, b)
			r := result(t, b)
			require.Equal(t, 16, r.Wire.APDUs, "the server took the client's EF.CardAccess")
			if tc.outcome == server.Verified {
				require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
				return
			}
			require.Equal(t, server.NotVerified, r.Verdict.Outcome)
			require.Contains(t, string(b), "EF.CardAccess", "the mismatch is named")
			failed := false
			for _, c := range r.Checks {
				failed = failed || c.Name == reader.CheckCardAccess && c.Status == check.Failed
			}
			require.True(t, failed, "the EF.CardAccess check failed: %+v", r.Checks)
		})
	}
}

func metricsText(t testing.TB, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// faultyCard wraps a card: after `after` APDUs it runs fault.
type faultyCard struct {
	*sim.Card
	n     atomic.Int32
	after int32
	fault func(ctx context.Context) error
}

func (c *faultyCard) TransmitRaw(ctx context.Context, cmd []byte) ([]byte, error) {
	if c.n.Add(1) > c.after {
		if err := c.fault(ctx); err != nil {
			return nil, err
		}
	}
	return c.Card.TransmitRaw(ctx, cmd)
}

// waitOpen waits until the server holds no relay session.
func waitNoSessions(t testing.TB, base string) {
	t.Helper()
	require.Eventually(t, func() bool {
		return strings.Contains(metricsText(t, base), "cancuoc_relay_sessions_open 0")
	}, 10*time.Second, 20*time.Millisecond)
}

// TestRelayFaults: a client gone mid-session, a relay that answers late,
// a wrong CAN, garbage and oversized frames, no API key: each ends its
// session with the right error (or an incomplete verdict), and the server
// keeps serving.
func TestRelayFaults(t *testing.T) {
	w := newWorld(t)
	s := start(t, server.Config{RelayIdle: 300 * time.Millisecond})
	cl := &relay.Client{URL: relayURL(s.url), APIKey: bankKey}
	verifiedNow := func() {
		t.Helper()
		sc := simCard(t, w.cccd)
		b, err := cl.Run(context.Background(), sc, canStart(w.cccd, sc.ATR()))
		require.NoError(t, err)
		require.Equal(t, server.Verified, result(t, b).Verdict.Outcome)
	}

	// Client gone mid-session: the app is killed after 8 APDUs.
	ctx, cancel := context.WithCancel(context.Background())
	sc := &faultyCard{Card: simCard(t, w.cccd), after: 8, fault: func(context.Context) error {
		cancel()
		return context.Canceled
	}}
	_, err := cl.Run(ctx, sc, canStart(w.cccd, sc.ATR()))
	require.Error(t, err)
	waitNoSessions(t, s.url)
	require.Eventually(t, func() bool {
		return strings.Contains(metricsText(t, s.url), `cancuoc_verdicts_total{mode="relay",outcome="incomplete",policy="bank"} 1`)
	}, 5*time.Second, 20*time.Millisecond, "a session cut short is incomplete, never verified nor a clone")
	verifiedNow()

	// A relay that answers late (past the per-APDU deadline): the session
	// ends with apdu_timeout; a result, if any, is incomplete.
	sc = &faultyCard{Card: simCard(t, w.cccd), after: 5, fault: func(ctx context.Context) error {
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
		}
		return nil
	}}
	b, err := cl.Run(context.Background(), sc, canStart(w.cccd, sc.ATR()))
	if err == nil {
		require.Equal(t, server.Incomplete, result(t, b).Verdict.Outcome)
	} else {
		var re *relay.Error
		if errors.As(err, &re) {
			require.Equal(t, relay.CodeAPDUTimeout, re.Code)
		}
	}
	waitNoSessions(t, s.url)
	verifiedNow()

	// A wrong CAN.
	sc2 := simCard(t, w.cccd)
	st := canStart(w.cccd, sc2.ATR())
	st.Key.CAN = "000000"
	_, err = cl.Run(context.Background(), sc2, st)
	var re *relay.Error
	require.ErrorAs(t, err, &re)
	require.Equal(t, relay.CodeAccessDenied, re.Code)

	// A policy the server does not apply.
	st = canStart(w.cccd, sc2.ATR())
	st.Policy = server.PolicyLenient
	_, err = cl.Run(context.Background(), simCard(t, w.cccd), st)
	require.ErrorAs(t, err, &re)
	require.Equal(t, relay.CodeBadStart, re.Code)

	// Garbage and oversized frames.
	hdr := http.Header{"Authorization": {"Bearer " + bankKey}}
	for name, tc := range map[string]struct {
		typ  websocket.MessageType
		msg  []byte
		code relay.Code
	}{
		"not json":  {websocket.MessageText, []byte("hello"), relay.CodeBadFrame},
		"binary":    {websocket.MessageBinary, []byte{0, 0xA4}, relay.CodeBadFrame},
		"oversized": {websocket.MessageText, []byte(`{"t":"start","v":1,"can":"` + strings.Repeat("1", relay.MaxFrame) + `"}`), relay.CodeTooBig},
	} {
		conn, _, err := websocket.Dial(context.Background(), relayURL(s.url), &websocket.DialOptions{HTTPHeader: hdr, Subprotocols: []string{relay.Subprotocol}})
		require.NoError(t, err, name)
		conn.SetReadLimit(relay.MaxResult)
		conn.Write(context.Background(), tc.typ, tc.msg)
		var last *relay.Error
		var status websocket.StatusCode
		rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
		for {
			_, b, err := conn.Read(rctx)
			if err != nil {
				status = websocket.CloseStatus(err)
				break
			}
			if f, err := relay.ParseServerFrame(b, 0); err == nil {
				if e, ok := f.(*relay.Error); ok {
					last = e
				}
			}
		}
		rcancel()
		if tc.code == relay.CodeTooBig && last == nil {
			// The frame is refused as it arrives: close 1009.
			require.Equal(t, websocket.StatusMessageTooBig, status, name)
			continue
		}
		require.NotNil(t, last, name)
		require.Equal(t, tc.code, last.Code, name)
	}

	// No API key: refused at the upgrade.
	_, resp, err := websocket.Dial(context.Background(), relayURL(s.url), &websocket.DialOptions{Subprotocols: []string{relay.Subprotocol}})
	require.Error(t, err)
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	waitNoSessions(t, s.url)
	verifiedNow()
}
