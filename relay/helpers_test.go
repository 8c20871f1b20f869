package relay_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

var (
	fixtureOnce sync.Once
	fixturePKI  *pkitest.PKI
	fixtureImg  map[string]*sim.Image
	fixtureErr  error
)

var (
	pkiNow   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	signedAt = time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	verifyAt = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
)

// fixtures personalizes a CCCD and a passport, once.
func fixtures(t testing.TB) (*pkitest.PKI, map[string]*sim.Image) {
	t.Helper()
	fixtureOnce.Do(func() {
		fixturePKI, fixtureErr = pkitest.New(pkitest.Config{Now: pkiNow, CSCA: pkitest.P256, DS: pkitest.P256})
		if fixtureErr != nil {
			return
		}
		fixtureImg = map[string]*sim.Image{}
		for name, mk := range map[string]func() (*chip.Document, error){
			sim.ProfileCCCD: sim.DemoCCCD, sim.ProfileICAOPassport: sim.DemoPassport,
		} {
			doc, err := mk()
			if err != nil {
				fixtureErr = err
				return
			}
			aaKey, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("relay AA "+name))
			if err != nil {
				fixtureErr = err
				return
			}
			img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: name, CAN: "123456", AAKey: aaKey,
				Rand:   pkitest.SeedReader("relay chip " + name),
				Issuer: sim.Issuer{Signer: fixturePKI.DS.Key, Cert: fixturePKI.DS.Cert}, Time: func() time.Time { return signedAt }})
			if err != nil {
				fixtureErr = err
				return
			}
			fixtureImg[name] = img
		}
	})
	require.NoError(t, fixtureErr)
	return fixturePKI, fixtureImg
}

// mrzOf returns the relay key of a card image's MRZ.
func mrzOf(t testing.TB, img *sim.Image) relay.AccessKey {
	t.Helper()
	d, err := chip.ParseDG1(img.Files[chip.EFDG1])
	require.NoError(t, err)
	m := d.MRZ
	return relay.MRZKey(m.DocumentNumber, string(m.DateOfBirth), string(m.DateOfExpiry))
}

// testResult is the result document of the test server: what a client
// needs to see that the server verified the chip.
type testResult struct {
	Verified bool                  `json:"verified"`
	Verdict  testVerdict           `json:"verdict"`
	Access   string                `json:"access"`
	APDUs    int                   `json:"apdus"`
	Holder   string                `json:"holder"`
	Checks   map[check.Name]string `json:"checks"`
	Error    string                `json:"error,omitempty"`
}

// testServer is a relay server on a loopback socket: Accept, reader.Read
// over the Session, the result as JSON. It records how each session ended.
type testServer struct {
	*httptest.Server
	mu       sync.Mutex
	outcomes []outcome
	done     chan outcome
}

type outcome struct {
	result *testResult // nil when the session failed
	err    error       // what ended the read
	cause  error       // the session's cause, when it ended early
	took   time.Duration
	code   relay.Code // the error frame sent, if any
}

func (s *testServer) URL() string {
	return "ws" + strings.TrimPrefix(s.Server.URL, "http") + "/v1/relay"
}

// newTestServer starts the server; limits apply to each session.
func newTestServer(t testing.TB, limits *relay.Config) *testServer {
	t.Helper()
	p, _ := fixtures(t)
	ts := &testServer{done: make(chan outcome, 100)}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/relay", func(w http.ResponseWriter, r *http.Request) {
		s, start, err := relay.Accept(r.Context(), w, r, limits)
		if err != nil {
			ts.record(outcome{err: err, code: relay.CodeOf(err)})
			return
		}
		defer s.Close()
		var key reader.Key
		if start.Key.IsCAN() {
			key = reader.CANKey(start.Key.CAN)
		} else if key, err = reader.ParseMRZKey(start.Key.Document + "," + start.Key.Birth + "," + start.Key.Expiry); err != nil {
			_ = s.Fail(relay.CodeBadStart, "the MRZ key is not valid")
			ts.record(outcome{err: err, code: relay.CodeBadStart})
			return
		}
		opts := &reader.Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Progress: func(pr reader.Progress) {
			_ = s.Progress(relay.Progress{Stage: "read", File: pr.File.String(), Read: pr.Read, Total: pr.Total})
		}}
		if start.Extended != nil {
			opts.Extended = reader.ExtendedOff
			if *start.Extended {
				opts.Extended = reader.ExtendedOn
			}
		}
		opts.MaxResponse = start.MaxResponse
		// The client's EF.CardAccess stands for the chip's (checked
		// against DG14 all the same).
		opts.CardAccess, opts.CardAccessFromChip = start.CardAccess, len(start.CardAccess) > 0
		began := time.Now()
		res, rerr := reader.Read(s.Context(), s, key, opts)
		out := outcome{err: rerr, cause: s.Cause(), took: time.Since(began)}
		switch relay.CodeOf(out.cause) {
		case relay.CodeCancelled, relay.CodeBadFrame, relay.CodeTooBig, relay.CodeInternal:
			// Nobody to give a result to.
			out.code = relay.CodeOf(out.cause)
			_ = s.Fail(out.code, "")
			ts.record(out)
			return
		}
		if rerr != nil && errors.Is(rerr, reader.ErrAccess) && out.cause == nil {
			out.code = relay.CodeAccessDenied
			_ = s.Fail(out.code, "the chip refused the key")
			ts.record(out)
			return
		}
		tr := &testResult{Verified: rerr == nil && res.Verified(), Access: res.Access.String(), APDUs: res.APDUs, Checks: map[check.Name]string{}}
		for _, c := range res.Checks {
			tr.Checks[c.Name] = c.Status.String()
		}
		switch {
		case rerr != nil:
			tr.Verdict.Outcome, tr.Error = "incomplete", string(relay.CodeOf(rerr))
			if out.cause != nil {
				tr.Error = string(relay.CodeOf(out.cause))
			}
		case tr.Verified:
			tr.Verdict.Outcome = "verified"
		default:
			tr.Verdict.Outcome = "not verified"
		}
		if res.Document != nil && res.Document.DG1 != nil {
			tr.Holder = res.Document.DG1.MRZ.PrimaryIdentifier
		}
		out.result = tr
		b, _ := json.Marshal(tr)
		if ferr := s.Finish(b); ferr != nil && rerr != nil {
			// The client is gone: the verdict stays on the server.
			out.code = relay.CodeOf(out.cause)
		}
		ts.record(out)
	})
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	ts.Server = httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func (s *testServer) record(o outcome) {
	s.mu.Lock()
	s.outcomes = append(s.outcomes, o)
	s.mu.Unlock()
	select {
	case s.done <- o:
	default:
	}
}

// next waits for the next session's outcome.
func (s *testServer) next(t testing.TB) outcome {
	t.Helper()
	select {
	case o := <-s.done:
		return o
	case <-time.After(30 * time.Second):
		require.FailNow(t, "no session ended within 30 s")
	}
	return outcome{}
}

// healthy checks that the server still serves plain requests.
func (s *testServer) healthy(t testing.TB) {
	t.Helper()
	resp, err := http.Get(s.Server.URL + "/healthz")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	_ = resp.Body.Close()
}

// decode parses a result.
func decode(t testing.TB, b []byte) *testResult {
	t.Helper()
	var r testResult
	require.NoError(t, json.Unmarshal(b, &r))
	return &r
}

// testVerdict has the shape of package server's verdict.
type testVerdict struct {
	Policy  string `json:"policy"`
	Outcome string `json:"outcome"`
}
