package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// DefaultMaxRelaySessions bounds the relay sessions one replica holds.
const DefaultMaxRelaySessions = 20000

// relayConn is one relay session in progress.
type relayConn struct {
	cancel context.CancelFunc
}

// relay serves GET /v1/relay: the client, authenticated at the upgrade,
// carries the APDUs of a read the server runs itself (reader.Read over a
// relay.Session), and gets the result JSON in the last frame.
func (s *Server) relay(w http.ResponseWriter, r *http.Request, client string) {
	if s.draining.Load() {
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusServiceUnavailable, "busy", errors.New("shutting down: another replica will serve"))
		return
	}
	// The session is bounded by its own deadlines, not by the request's
	// context; Serve cancels it when a drain runs out of time.
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	c := &relayConn{cancel: cancel}
	s.relayMu.Lock()
	if len(s.relays) >= s.cfg.MaxRelaySessions {
		s.relayMu.Unlock()
		s.metrics.refused.WithLabelValues("busy").Inc()
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusServiceUnavailable, "busy", errors.New("too many relay sessions on this replica"))
		return
	}
	s.relays[c] = struct{}{}
	s.relayWait.Add(1)
	s.relayMu.Unlock()
	s.metrics.relayOpen.Inc()
	defer func() {
		s.relayMu.Lock()
		delete(s.relays, c)
		s.relayMu.Unlock()
		s.metrics.relayOpen.Dec()
		s.relayWait.Done()
	}()

	sess, start, err := relay.Accept(ctx, w, r, relay.Limits{
		APDUTimeout: s.cfg.RelayIdle, SessionTimeout: s.cfg.RelayTimeout, StartTimeout: s.cfg.ReadHeaderTimeout * 2,
	})
	if err != nil {
		state(r.Context()).code = string(relay.CodeOf(err))
		return // the client was told
	}
	defer sess.Close()
	st := state(r.Context())
	if start.Policy != "" && start.Policy != s.cfg.Policy {
		st.code = string(relay.CodeBadStart)
		sess.Fail(relay.CodeBadStart, "this server verifies under policy "+s.cfg.Policy)
		return
	}
	var key reader.Key
	if start.Key.CAN != "" {
		key = reader.CANKey(start.Key.CAN)
	} else if key, err = reader.ParseMRZKey(start.Key.Document + "," + start.Key.Birth + "," + start.Key.Expiry); err != nil {
		st.code = string(relay.CodeBadStart)
		sess.Fail(relay.CodeBadStart, "the MRZ key is not valid")
		return
	}
	now := s.cfg.Now()
	ts := s.trust()
	opts := reader.Options{Trust: ts.store, Time: now, MaxResponse: start.MaxResponse,
		Progress: func(p reader.Progress) {
			sess.Progress(relay.Progress{Stage: "read", File: p.File.String(), Read: p.Read, Total: p.Total})
		}}
	if start.Extended != nil {
		opts.Extended = reader.ExtendedOff
		if *start.Extended {
			opts.Extended = reader.ExtendedOn
		}
	}
	res, rerr := reader.Read(sess.Context(), sess, key, opts)
	if rerr != nil && sess.Cause() == nil && errors.Is(rerr, reader.ErrAccess) {
		st.code = string(relay.CodeAccessDenied)
		sess.Fail(relay.CodeAccessDenied, "the chip refused the key")
		return
	}
	var stopped error
	if rerr != nil {
		// A transport that failed: the session's cause says why (never
		// a verdict on the document).
		stopped = rerr
		if c := sess.Cause(); c != nil {
			stopped = c
		}
	}
	out := s.resultOfRead(sess.Context(), res, ts.desc, now, stopped)
	out.RequestID = requestID(r.Context())
	st.verdict = out.Verdict.Outcome
	s.metrics.verdicts.WithLabelValues(out.Mode, out.Verdict.Policy, out.Verdict.Outcome).Inc()
	b, err := json.Marshal(out)
	if err != nil {
		sess.Fail(relay.CodeInternal, "")
		return
	}
	if err := sess.Finish(b); err != nil && stopped == nil {
		st.code = "result_not_delivered"
	}
}

// resultOfRead builds the result of a relay read.
func (s *Server) resultOfRead(ctx context.Context, res *reader.Result, trust string, now time.Time, stopped error) *Result {
	r := &Result{Version: ResultVersion, Mode: "relay", VerifiedAt: now.UTC()}
	if res == nil {
		r.Proven.Statement = statement(r.Proven)
		decide(r, s.cfg.Policy, nil, stopped)
		return r
	}
	for _, c := range res.Checks {
		v := Check{Name: c.Name, Status: c.Status.String()}
		if c.Err != nil {
			v.Error = c.Err.Error()
		}
		r.Checks = append(r.Checks, v)
	}
	r.Wire = &Wire{Access: res.Access, APDUs: res.APDUs, Bytes: res.Bytes, Millis: float64(res.Duration.Microseconds()) / 1000}
	pa := res.PassiveAuth
	if pa != nil {
		r.PassiveAuthentication = paChecks(pa)
		r.DataGroups = dataGroups(pa)
	}
	r.Proven.DataAuthentic = stopped == nil && res.Check(reader.CheckPassiveAuth).Status == reader.Passed && pa != nil && pa.Valid
	r.Proven.LiveChip = r.Proven.DataAuthentic &&
		(res.Check(reader.CheckChipAuth).Status == reader.Passed || res.Check(reader.CheckActiveAuth).Status == reader.Passed)
	r.Proven.Statement = statement(r.Proven)
	if r.Proven.DataAuthentic && res.Document != nil {
		r.Holder = holderOf(res.Document, pa, now, citizenOf(res.Document))
		r.Face = s.faceOf(ctx, res.Document, pa)
		files := map[chip.File][]byte{}
		for f, b := range res.Document.Files() {
			files[f] = b
		}
		r.Evidence = s.evidenceOf(files, pa, nil, nil, trust, r.VerifiedAt)
	}
	if stopped == nil && pa == nil {
		stopped = errors.New("the read did not reach passive authentication")
	}
	decide(r, s.cfg.Policy, pa, stopped)
	return r
}

// drainRelays waits for the relay sessions to end, and cancels those still
// open when ctx ends.
func (s *Server) drainRelays(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.relayWait.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.relayMu.Lock()
		for c := range s.relays {
			c.cancel()
		}
		s.relayMu.Unlock()
		<-done
	}
}
