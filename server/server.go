package server

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/photo"
	"github.com/cancuoc/cancuoc/policy"
)

// OpenAPI is the OpenAPI 3 document of the API (served at
// /v1/openapi.yaml); the tests check every request and response of the
// real handlers against it.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Config configures a Server. Zero durations and sizes take the defaults
// below.
type Config struct {
	// TrustPath is a directory of CSCA certificates and CRLs, or a master
	// list; it is read again by Reload (SIGHUP, ReloadEvery). Trust is a
	// fixed store instead (for programs that build their own).
	TrustPath string
	Trust     *pki.TrustStore
	// ChallengeKeys are the HMAC keys of challenges, at least 32 bytes
	// each: the first issues, all are accepted (to rotate, put the new
	// key first and keep the old one for a challenge lifetime). Every
	// replica must hold the same keys.
	ChallengeKeys [][]byte
	// ChallengeTTL is how long a challenge lives (DefaultChallengeTTL).
	ChallengeTTL time.Duration
	// MaxRemembered bounds the redeemed challenges a replica remembers
	// (DefaultMaxRemembered).
	MaxRemembered int
	// APIKeysPath is an API key file (see APIKeys), read again by Reload;
	// APIKeys a fixed set instead.
	APIKeysPath string
	APIKeys     *APIKeys
	// AllowAnonymous serves clients with neither an API key nor a client
	// certificate (as client "anonymous"): for trials only.
	AllowAnonymous bool
	// Policy names the policy of every verdict (PolicyBank by default).
	Policy string
	// RateLimit is the requests per second each client may make to /v1
	// (0: no limit), Burst the bucket size.
	RateLimit float64
	Burst     int
	// MaxUploadBytes bounds an upload body (DefaultMaxUploadBytes).
	MaxUploadBytes int64
	// Deadlines: ReadHeaderTimeout for a request's headers, BodyTimeout
	// for reading a body, VerifyTimeout for verification (waiting for a
	// worker included), WriteTimeout for writing the answer, IdleTimeout
	// for a kept-alive connection, RelayTimeout for a whole relay session
	// and RelayIdle for one relay round trip, DrainTimeout for shutdown.
	ReadHeaderTimeout, BodyTimeout, VerifyTimeout, WriteTimeout, IdleTimeout time.Duration
	RelayTimeout, RelayIdle, DrainTimeout                                    time.Duration
	// MaxRelaySessions bounds the relay sessions open at once on this
	// replica (DefaultMaxRelaySessions).
	MaxRelaySessions int
	// Workers bounds verifications running at once (4 per CPU by
	// default); a request waits for a worker within VerifyTimeout.
	Workers int
	// ReloadEvery reloads trust and keys periodically (0: only on Reload).
	ReloadEvery time.Duration
	// Photo converts JPEG 2000 faces (photo.LookTool() finds the tool).
	Photo photo.Converter
	// Logger gets JSON-ready structured logs: never personal data nor
	// keys. Nil discards.
	Logger *slog.Logger
	// Time returns the current time (challenges, certificate validity,
	// the time of a result); nil means time.Now. Rand is the source of
	// challenge nonces; nil means crypto/rand.Reader. Both are for tests.
	Time func() time.Time
	Rand io.Reader
}

// time is c.Time(), or time.Now() when c or c.Time is nil.
func (c *Config) time() time.Time {
	if c == nil || c.Time == nil {
		return time.Now()
	}
	return c.Time()
}

// rand is c.Rand, or crypto/rand.Reader when c or c.Rand is nil.
func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return rand.Reader
	}
	return c.Rand
}

// Defaults.
const (
	DefaultChallengeTTL      = 2 * time.Minute
	DefaultMaxRemembered     = 1 << 20
	DefaultMaxUploadBytes    = 4 << 20
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultBodyTimeout       = 30 * time.Second
	DefaultVerifyTimeout     = 20 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultRelayTimeout      = 60 * time.Second
	DefaultRelayIdle         = 5 * time.Second
	DefaultDrainTimeout      = 30 * time.Second
	// MaxHeaderBytes bounds a request's headers.
	MaxHeaderBytes = 16 << 10
	// maxSmallBody bounds the bodies of requests that carry none of
	// note (a challenge request).
	maxSmallBody = 4 << 10
)

// Server is the verification service: upload and relay verification under
// one policy, with its trust store, challenge keys and API keys.
type Server struct {
	cfg        Config
	policy     policy.Policy
	log        *slog.Logger
	metrics    *metrics
	challenges *challenges
	limiter    *limiter
	workers    chan struct{}
	convert    chan struct{}
	trustPtr   atomic.Pointer[trustState]
	keysPtr    atomic.Pointer[APIKeys]
	draining   atomic.Bool
	handler    http.Handler

	relayMu   sync.Mutex
	relays    map[*relayConn]struct{}
	relayWait sync.WaitGroup
}

// New checks config, loads the trust store and the API keys, and returns
// a server ready to serve. New copies config; nil means all defaults
// (which serve nothing: a trust store is required).
func New(config *Config) (*Server, error) {
	var cfg Config
	if config != nil {
		cfg = *config
	}
	if cfg.Policy == "" {
		cfg.Policy = PolicyBank
	}
	pol, err := policy.ByName(cfg.Policy)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err) // it names the policy and the known ones
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.ChallengeTTL, DefaultChallengeTTL)
	def(&cfg.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&cfg.BodyTimeout, DefaultBodyTimeout)
	def(&cfg.VerifyTimeout, DefaultVerifyTimeout)
	def(&cfg.WriteTimeout, DefaultWriteTimeout)
	def(&cfg.IdleTimeout, DefaultIdleTimeout)
	def(&cfg.RelayTimeout, DefaultRelayTimeout)
	def(&cfg.RelayIdle, DefaultRelayIdle)
	def(&cfg.DrainTimeout, DefaultDrainTimeout)
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if cfg.MaxRemembered <= 0 {
		cfg.MaxRemembered = DefaultMaxRemembered
	}
	if cfg.MaxRelaySessions <= 0 {
		cfg.MaxRelaySessions = DefaultMaxRelaySessions
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 4 * runtime.GOMAXPROCS(0)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if len(cfg.ChallengeKeys) == 0 {
		return nil, errors.New("server: no challenge key")
	}
	s := &Server{cfg: cfg, policy: pol, log: cfg.Logger, limiter: newLimiter(cfg.RateLimit, cfg.Burst),
		workers: make(chan struct{}, cfg.Workers), convert: make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		relays: map[*relayConn]struct{}{}}
	s.challenges = &challenges{ttl: cfg.ChallengeTTL, rand: cfg.rand(), seen: newSeenSet(cfg.MaxRemembered)}
	for _, k := range cfg.ChallengeKeys {
		ck, err := newChallengeKey(k)
		if err != nil {
			return nil, err
		}
		s.challenges.keys = append(s.challenges.keys, ck)
	}
	s.metrics = newMetrics(func() float64 { return float64(s.challenges.seen.len()) })
	switch {
	case cfg.Trust != nil:
		s.trustPtr.Store(&trustState{store: cfg.Trust, desc: fmt.Sprintf("%d CSCA certificates", len(cfg.Trust.CSCAs())), loaded: cfg.time()})
	case cfg.TrustPath == "":
		return nil, errors.New("server: no trust store")
	}
	if cfg.APIKeys != nil {
		s.keysPtr.Store(cfg.APIKeys)
	} else {
		s.keysPtr.Store(&APIKeys{})
	}
	if cfg.TrustPath != "" || cfg.APIKeysPath != "" {
		if err := s.Reload(); err != nil {
			return nil, err
		}
	}
	s.handler = s.routes()
	return s, nil
}

// Handler is the server's HTTP handler, for callers that run their own
// http.Server (they should copy the deadlines of Serve).
func (s *Server) Handler() http.Handler { return s.handler }

// routes builds the mux with its middleware.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(OpenAPI)
	})
	mux.Handle("POST /v1/challenge", s.api(s.postChallenge))
	mux.Handle("POST /v1/verify", s.api(s.postVerify))
	mux.Handle("GET /v1/relay", s.api(s.relay))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "not_found", errors.New("no such endpoint"))
	})
	return s.observe(mux)
}

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyClient
	keyState
)

// reqState collects what the access log says about a request.
type reqState struct {
	client  string
	verdict string
	code    string // error code
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// observe gives every request an id (the client's X-Request-Id when it
// is sane), counts it, times it and logs it: method, route, status,
// duration, client id, verdict and error code; never bodies, headers,
// query strings or personal data.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !requestIDPattern.MatchString(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		st := &reqState{}
		ctx := context.WithValue(context.WithValue(r.Context(), keyRequestID, id), keyState, st)
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		r = r.WithContext(ctx)
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" || route == "/" {
			route = "other"
		}
		d := time.Since(start)
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(sw.code)).Inc()
		s.metrics.latency.WithLabelValues(route).Observe(d.Seconds())
		attrs := []slog.Attr{slog.String("request_id", id), slog.String("method", r.Method), slog.String("route", route),
			slog.Int("status", sw.code), slog.Float64("ms", float64(d.Microseconds())/1000)}
		if st.client != "" {
			attrs = append(attrs, slog.String("client", st.client))
		}
		if st.verdict != "" {
			attrs = append(attrs, slog.String("verdict", st.verdict))
		}
		if st.code != "" {
			attrs = append(attrs, slog.String("error", st.code))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

type statusWriter struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.code, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController and the WebSocket upgrade reach the
// connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func state(ctx context.Context) *reqState {
	if st, ok := ctx.Value(keyState).(*reqState); ok {
		return st
	}
	return &reqState{}
}

// apiHandler is a /v1 handler with its authenticated client.
type apiHandler func(w http.ResponseWriter, r *http.Request, client string)

// api authenticates the client and applies its rate limit.
func (s *Server) api(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client, err := s.authenticate(r)
		if err != nil {
			s.metrics.refused.WithLabelValues("unauthorized").Inc()
			w.Header().Set("WWW-Authenticate", `Bearer realm="cancuoc"`)
			s.fail(w, r, http.StatusUnauthorized, "unauthorized", err)
			return
		}
		state(r.Context()).client = client
		if ok, wait := s.limiter.allow(client, time.Now()); !ok {
			s.metrics.refused.WithLabelValues("rate_limited").Inc()
			w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
			s.fail(w, r, http.StatusTooManyRequests, "rate_limited", errors.New("too many requests for this client"))
			return
		}
		h(w, r, client)
	})
}

// Error is the body of every error answer.
type Error struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	RequestID string `json:"request_id"`
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code string, err error) {
	state(r.Context()).code = code
	var e Error
	e.Error.Code, e.Error.Message, e.RequestID = code, err.Error(), requestID(r.Context())
	writeJSON(w, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.draining.Load():
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "draining"})
	case s.trust() == nil:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "no trust store"})
	default:
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "trust_loaded": s.trust().loaded.UTC().Format(time.RFC3339)})
	}
}

func (s *Server) postChallenge(w http.ResponseWriter, r *http.Request, client string) {
	// The body, if any, is ignored, but bounded and read within a deadline.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	rc.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
	if _, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxSmallBody)); err != nil {
		s.bodyError(w, r, err)
		return
	}
	c, err := s.challenges.issue(client, s.cfg.time())
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal", errors.New("cannot make a challenge"))
		return
	}
	writeJSON(w, http.StatusOK, c)
}

var (
	errMediaType = errors.New("unsupported media type")
	errTooLarge  = errors.New("too large")
)

func (s *Server) bodyError(w http.ResponseWriter, r *http.Request, err error) {
	var mb *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mb) || errors.Is(err, errTooLarge):
		s.metrics.refused.WithLabelValues("too_large").Inc()
		s.fail(w, r, http.StatusRequestEntityTooLarge, "too_large", err)
	case errors.Is(err, errMediaType):
		s.metrics.refused.WithLabelValues("bad_request").Inc()
		s.fail(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", err)
	case errors.As(err, &ne) && ne.Timeout():
		s.metrics.refused.WithLabelValues("timeout").Inc()
		s.fail(w, r, http.StatusRequestTimeout, "timeout", errors.New("request body not received in time"))
	default:
		s.metrics.refused.WithLabelValues("bad_request").Inc()
		s.fail(w, r, http.StatusBadRequest, "bad_request", err)
	}
}

// challengeError maps a refused challenge to its answer.
func (s *Server) challengeError(w http.ResponseWriter, r *http.Request, err error) {
	code, status := "challenge_malformed", http.StatusBadRequest
	switch {
	case errors.Is(err, ErrChallengeUnknownKey):
		code, status = "challenge_unknown_key", http.StatusForbidden
	case errors.Is(err, ErrChallengeForeign):
		code, status = "challenge_foreign", http.StatusForbidden
	case errors.Is(err, ErrChallengeExpired):
		code, status = "challenge_expired", http.StatusForbidden
	case errors.Is(err, ErrChallengeReused):
		code, status = "challenge_reused", http.StatusConflict
	case errors.Is(err, ErrChallengeBusy):
		code, status = "busy", http.StatusServiceUnavailable
	}
	s.metrics.refused.WithLabelValues(code).Inc()
	s.fail(w, r, status, code, err)
}

func (s *Server) postVerify(w http.ResponseWriter, r *http.Request, client string) {
	rc := http.NewResponseController(w)
	// A slow client holds a connection, never a worker: the body is read
	// whole, within its deadline, before a worker is taken.
	rc.SetReadDeadline(time.Now().Add(s.cfg.BodyTimeout))
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	u, err := readUpload(r)
	if err != nil {
		s.bodyError(w, r, err)
		return
	}
	nonce, err := s.challenges.redeem(u.Token, client, s.cfg.time())
	if err != nil {
		s.challengeError(w, r, err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.VerifyTimeout)
	defer cancel()
	if !s.acquire(ctx) {
		s.metrics.refused.WithLabelValues("busy").Inc()
		w.Header().Set("Retry-After", "1")
		s.fail(w, r, http.StatusServiceUnavailable, "busy", errors.New("no worker free in time; retry with a new challenge"))
		return
	}
	res := s.verifyUpload(ctx, u, nonce, s.cfg.time())
	s.release()
	s.finish(w, r, res)
}

func (s *Server) acquire(ctx context.Context) bool {
	select {
	case s.workers <- struct{}{}:
		s.metrics.inFlight.Inc()
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) release() {
	s.metrics.inFlight.Dec()
	<-s.workers
}

// finish counts and writes a result.
func (s *Server) finish(w http.ResponseWriter, r *http.Request, res *Result) {
	res.RequestID = requestID(r.Context())
	state(r.Context()).verdict = res.Verdict.Outcome
	s.metrics.verdicts.WithLabelValues(res.Mode, res.Verdict.Policy, res.Verdict.Outcome).Inc()
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
	if err := writeResult(w, res); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal", errors.New("cannot encode the result"))
	}
}

// Serve answers on ln until ctx ends, then shuts down gracefully: /readyz
// turns 503 so load balancers stop sending, new connections are refused,
// requests in progress and relay sessions finish (within DrainTimeout).
// With tlsConfig the connections are TLS (client certificates verified
// as tlsConfig says).
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsConfig *tls.Config) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	if s.cfg.ReloadEvery > 0 {
		go func() {
			t := time.NewTicker(s.cfg.ReloadEvery)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					s.Reload()
				}
			}
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("draining", "timeout", s.cfg.DrainTimeout.String())
	dctx, cancel := context.WithTimeout(context.Background(), s.cfg.DrainTimeout)
	defer cancel()
	err := hs.Shutdown(dctx)
	s.drainRelays(dctx)
	if errors.Is(err, context.DeadlineExceeded) {
		hs.Close()
	}
	s.log.Info("stopped")
	return err
}
