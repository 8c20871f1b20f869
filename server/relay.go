package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/cancuoc/cancuoc/evidence"
	"github.com/cancuoc/cancuoc/policy"
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

	sess, start, err := relay.Accept(ctx, w, r, &relay.Config{
		APDUTimeout: s.cfg.RelayIdle, SessionTimeout: s.cfg.RelayTimeout, StartTimeout: s.cfg.ReadHeaderTimeout * 2,
	})
	if err != nil {
		state(r.Context()).code = string(relay.CodeOf(err))
		return // the client was told
	}
	defer sess.Close()
	st := state(r.Context())
	if start.Policy != "" && start.Policy != s.policy.Name {
		st.code = string(relay.CodeBadStart)
		sess.Fail(relay.CodeBadStart, "this server verifies under policy "+s.policy.Name)
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
	now := s.cfg.time()
	ts := s.trust()
	opts := &reader.Config{Trust: ts.store, Time: func() time.Time { return now }, MaxResponse: start.MaxResponse, Policy: s.policy,
		Progress: func(p reader.Progress) {
			sess.Progress(relay.Progress{Stage: "read", File: p.File.String(), Read: p.Read, Total: p.Total})
		}}
	if len(start.CardAccess) > 0 {
		// The client read EF.CardAccess next to the chip and sent it:
		// the reader takes it as the chip's, one round trip less, and
		// checks it against DG14 as it would the file it read itself (a
		// client that lies gets a failed check, as it would by changing
		// the relayed answer).
		opts.CardAccess, opts.CardAccessFromChip = start.CardAccess, true
	}
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
	out := s.resultOfRead(sess.Context(), res, now)
	out.RequestID = requestID(r.Context())
	st.verdict = out.Verdict.Outcome
	s.metrics.verdicts.WithLabelValues(out.Mode, out.Verdict.Policy, out.Verdict.Outcome).Inc()
	b, err := out.MarshalJSON()
	if err != nil {
		sess.Fail(relay.CodeInternal, "")
		return
	}
	if err := sess.Finish(b); err != nil {
		st.code = "result_not_delivered"
	}
}

// resultOfRead builds the result of a relay read: the reader's facts and
// its decision under the server's policy (a session cut short is
// incomplete), and the evidence bundle of the read.
func (s *Server) resultOfRead(ctx context.Context, res *reader.Result, now time.Time) *Result {
	r := &Result{Version: ResultVersion, Mode: "relay", VerifiedAt: now.UTC()}
	if res == nil {
		f := policy.Facts{Session: policy.Interrupted, SessionDetail: "the read did not start"}
		r.Facts, r.Verdict, r.Proven = f, verdictOf(s.policy.Decide(f)), provenOf(f)
		return r
	}
	for _, c := range res.Checks {
		v := Check{Name: c.Name, Status: c.Status}
		if c.Err != nil {
			v.Error = c.Err.Error()
		}
		r.Checks = append(r.Checks, v)
	}
	r.Wire = &Wire{Access: res.Access.String(), APDUs: res.APDUs, Bytes: res.Bytes, Millis: float64(res.Duration.Microseconds()) / 1000}
	pa := res.PassiveAuth
	if pa != nil {
		r.PassiveAuthentication = paChecks(pa)
		r.DataGroups = dataGroups(pa)
	}
	f := res.Facts()
	d := res.Decision()
	r.Facts, r.Verdict, r.Proven = f, verdictOf(d), provenOf(f)
	if r.Proven.DataAuthentic && !r.Proven.CloneSuspected && res.Document != nil {
		r.Holder = holderOf(res.Document, pa, now, citizenOf(res.Document))
		r.Face = s.faceOf(ctx, res.Document, pa)
	}
	if b, err := evidence.New(res, now); err == nil {
		r.Evidence = b.Encoded()
	}
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
