package server_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/evidence"
	"github.com/cancuoc/cancuoc/server"
)

// card is an issued card: its files and its Active Authentication chip.
type card struct {
	img   *sim.Image
	files map[chip.File][]byte
	chip  *aa.Chip
}

// sign answers INTERNAL AUTHENTICATE with nonce as the chip would.
func (c *card) sign(t testing.TB, nonce []byte) []byte {
	t.Helper()
	sig, err := c.chip.Sign(nonce)
	require.NoError(t, err)
	return sig
}

// world is a PKI with a trust directory and cards issued under it.
type world struct {
	pki   *pkitest.PKI
	trust string // directory: CSCA certificate and CRL
	cccd  *card
	pass  *card // an ICAO passport (BAC and PACE, MRZ key)
}

var (
	worldOnce sync.Once
	theWorld  *world
	worldErr  error
)

// newWorld issues a CCCD (once per test binary: RSA keys are slow).
func newWorld(t testing.TB) *world {
	t.Helper()
	worldOnce.Do(func() { theWorld, worldErr = makeWorld() })
	require.NoError(t, worldErr)
	return theWorld
}

func makeWorld() (*world, error) {
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "server test", Now: now.Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		return nil, err
	}
	w := &world{pki: p}
	dir, err := os.MkdirTemp("", "cancuoc-server-trust-")
	if err != nil {
		return nil, err
	}
	w.trust = dir
	if err := os.WriteFile(filepath.Join(dir, "csca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CSCA.Cert.Raw}), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "csca.crl"), p.CRL, 0o644); err != nil {
		return nil, err
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		return nil, err
	}
	key, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("server test AA"))
	if err != nil {
		return nil, err
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return now.Add(-time.Minute) }, AAKey: key})
	if err != nil {
		return nil, err
	}
	c, err := aa.NewChip(key, &aa.ChipConfig{Hash: crypto.SHA256})
	if err != nil {
		return nil, err
	}
	pdoc, err := sim.DemoPassport()
	if err != nil {
		return nil, err
	}
	pkey, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("server test passport AA"))
	if err != nil {
		return nil, err
	}
	pimg, err := sim.Personalize(pdoc, &sim.PersonalizeConfig{Profile: sim.ProfileICAOPassport, PACE: true, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return now.Add(-time.Minute) }, AAKey: pkey})
	if err != nil {
		return nil, err
	}
	w.pass = &card{img: pimg}
	w.cccd = &card{img: img, chip: c, files: map[chip.File][]byte{}}
	for f, b := range img.Files {
		switch f {
		case chip.EFCOM, chip.EFSOD, chip.EFCardAccess, chip.EFCardSecurity:
			w.cccd.files[f] = b
		default:
			if f.DataGroup() > 0 && f != chip.EFDG3 && f != chip.EFDG4 {
				w.cccd.files[f] = b
			}
		}
	}
	return w, nil
}

// testKey is the challenge key of the tests' servers; otherKey another
// deployment's.
var (
	testKey  = bytes.Repeat([]byte{0x5A}, 32)
	otherKey = bytes.Repeat([]byte{0xA5}, 32)
)

const (
	bankKey  = "bank-app-key-0123456789"
	otherAPI = "other-app-key-9876543210"
)

func apiKeys(t testing.TB) *server.APIKeys {
	k, err := server.ParseAPIKeys(bytes.NewBufferString("# test clients\nbank-app " + server.HashAPIKey(bankKey) + "\nother-app " + server.HashAPIKey(otherAPI) + "\n"))
	require.NoError(t, err)
	return k
}

// logBuffer collects the server's JSON logs.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is a server listening on loopback.
type running struct {
	srv  *server.Server
	url  string
	logs *logBuffer
	stop func()
}

// start runs a server with cfg (trust, keys and logger filled in when
// absent) on a loopback port until the test ends.
func start(t testing.TB, cfg server.Config) *running {
	t.Helper()
	w := newWorld(t)
	if cfg.TrustPath == "" && cfg.Trust == nil {
		cfg.TrustPath = w.trust
	}
	if cfg.ChallengeKeys == nil {
		cfg.ChallengeKeys = [][]byte{testKey}
	}
	if cfg.APIKeys == nil && cfg.APIKeysPath == "" {
		cfg.APIKeys = apiKeys(t)
	}
	logs := &logBuffer{}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	srv, err := server.New(&cfg)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, nil) }()
	r := &running{srv: srv, url: "http://" + ln.Addr().String(), logs: logs}
	var once sync.Once
	r.stop = func() {
		once.Do(func() {
			cancel()
			require.NoError(t, <-done)
		})
	}
	t.Cleanup(r.stop)
	return r
}

// validator checks requests and responses against the OpenAPI document.
type validator struct {
	router routers.Router
}

var (
	validatorOnce sync.Once
	theValidator  *validator
	validatorErr  error
)

func openAPI(t testing.TB) *validator {
	t.Helper()
	validatorOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(server.OpenAPI)
		if err != nil {
			validatorErr = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			validatorErr = err
			return
		}
		r, err := legacy.NewRouter(doc)
		theValidator, validatorErr = &validator{router: r}, err
	})
	require.NoError(t, validatorErr)
	return theValidator
}

// client is an HTTP client whose every request and response is checked
// against the OpenAPI document; bad requests made on purpose skip the
// request check (Raw), never the response check.
type client struct {
	t   testing.TB
	v   *validator
	c   *http.Client
	key string
}

func newClient(t testing.TB, key string) *client {
	return &client{t: t, v: openAPI(t), c: &http.Client{Timeout: 30 * time.Second}, key: key}
}

func (c *client) do(req *http.Request, checkRequest bool) (*http.Response, []byte) {
	t := c.t
	t.Helper()
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		require.NoError(t, err)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	route, params, err := c.v.router.FindRoute(req)
	require.NoError(t, err, "%s %s is not in the OpenAPI document", req.Method, req.URL.Path)
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: req.Clone(context.Background()), PathParams: params, Route: route, Options: opts}
	in.Request.Body = io.NopCloser(bytes.NewReader(body))
	if checkRequest {
		require.NoError(t, openapi3filter.ValidateRequest(context.Background(), in), "request against the OpenAPI document")
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := c.c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	rb, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Options: opts}
	out.SetBodyBytes(rb)
	require.NoError(t, openapi3filter.ValidateResponse(context.Background(), out), "response %d against the OpenAPI document: %s", resp.StatusCode, rb)
	require.NotEmpty(t, resp.Header.Get("X-Request-Id"))
	return resp, rb
}

func (c *client) challenge(base string) server.Challenge {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+"/v1/challenge", nil)
	require.NoError(c.t, err)
	resp, b := c.do(req, true)
	require.Equal(c.t, http.StatusOK, resp.StatusCode, string(b))
	var ch server.Challenge
	require.NoError(c.t, json.Unmarshal(b, &ch))
	return ch
}

// uploadBody builds the multipart body of an upload.
func uploadBody(t testing.TB, files map[chip.File][]byte, token string, sig []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if token != "" {
		require.NoError(t, mw.WriteField("challenge", token))
	}
	if sig != nil {
		p, err := mw.CreateFormFile("aa_signature", "aa_signature")
		require.NoError(t, err)
		p.Write(sig)
	}
	for _, f := range chip.Files() {
		if d, ok := files[f]; ok {
			p, err := mw.CreateFormFile(f.String(), f.String()+".bin")
			require.NoError(t, err)
			p.Write(d)
		}
	}
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), b.Bytes()
}

// verify uploads and returns the status and body.
func (c *client) verify(base string, files map[chip.File][]byte, token string, sig []byte) (int, []byte) {
	c.t.Helper()
	ct, body := uploadBody(c.t, files, token, sig)
	req, err := http.NewRequest(http.MethodPost, base+"/v1/verify", bytes.NewReader(body))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", ct)
	resp, b := c.do(req, true)
	return resp.StatusCode, b
}

func result(t testing.TB, b []byte) *server.Result {
	t.Helper()
	var r server.Result
	require.NoError(t, json.Unmarshal(b, &r), string(b))
	return &r
}

func errorCode(t testing.TB, b []byte) string {
	t.Helper()
	var e server.Error
	require.NoError(t, json.Unmarshal(b, &e), string(b))
	return e.Error.Code
}

func parsedCCCD(t testing.TB) *chip.Document {
	t.Helper()
	doc, err := chip.ParseDocument(newWorld(t).cccd.files)
	require.NoError(t, err)
	return doc
}

func decodeChallenge(t testing.TB, b []byte) server.Challenge {
	t.Helper()
	var ch server.Challenge
	require.NoError(t, json.Unmarshal(b, &ch))
	return ch
}

func hasReason(r *server.Result, code string) bool {
	for _, x := range r.Verdict.Reasons {
		if string(x.Code) == code {
			return true
		}
	}
	return false
}

// verifyEvidence re-verifies a result's evidence bundle offline, as the
// client got it: both an upload's answer and a relay's result frame hold
// its canonical form byte for byte (without the final newline).
func verifyEvidence(t testing.TB, r *server.Result) *evidence.Report {
	t.Helper()
	require.NotEmpty(t, r.Evidence)
	var c, b bytes.Buffer
	require.NoError(t, json.Compact(&c, r.Evidence))
	require.NoError(t, json.Indent(&b, c.Bytes(), "", "  "))
	b.WriteByte('\n')
	require.Equal(t, b.String(), string(r.Evidence)+"\n", "the %s answer embeds the canonical bytes", r.Mode)
	ts, _, err := pki.LoadTrust(newWorld(t).trust, nil)
	require.NoError(t, err)
	rep, err := evidence.Verify(append(bytes.Clone(r.Evidence), '\n'), ts)
	require.NoError(t, err)
	return rep
}
