package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/server"
)

// The upload-mode throughput against the same verification in process
// (BenchmarkInProcessSameWork: the handler's own verification function,
// without HTTP, multipart and the JSON answer) and against passive
// authentication alone, on the same files, in one run (per core: -cpu 1):
//
//	go test -run '^$' -bench 'Upload|PassiveAuth|InProcess' -cpu 1 -benchtime 2000x ./server
//
// Each upload needs its own challenge signed by the chip: they are made
// before the timer starts.

type prepared struct {
	ct   string
	body []byte
}

func prepareUploads(b *testing.B, base string, handler http.Handler, n int) []prepared {
	b.Helper()
	w := newWorld(b)
	out := make([]prepared, n)
	for i := range out {
		req := httptest.NewRequest(http.MethodPost, "/v1/challenge", nil)
		req.Header.Set("Authorization", "Bearer "+bankKey)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		require.Equal(b, http.StatusOK, rec.Code)
		ch := decodeChallenge(b, rec.Body.Bytes())
		out[i].ct, out[i].body = uploadBody(b, w.cccd.files, ch.Token, w.cccd.sign(b, ch.Nonce))
	}
	return out
}

// BenchmarkUploadHandler: POST /v1/verify through the server's handler
// (multipart parsing, authentication, challenge, passive and active
// authentication, holder data, face, evidence, JSON), without sockets.
func BenchmarkUploadHandler(b *testing.B) {
	s := start(b, server.Config{RateLimit: 0})
	h := s.srv.Handler()
	ups := prepareUploads(b, s.url, h, b.N)
	// One answer buffer for all requests: a recorder's body growing from
	// empty to the answer's 60 KB each time is the benchmark's cost, not
	// the handler's (a socket takes the bytes as they are written).
	body := bytes.NewBuffer(make([]byte, 0, 256<<10))
	b.ReportAllocs()
	m := startCPU(b)
	for i := range b.N {
		req := httptest.NewRequest(http.MethodPost, "/v1/verify", bytes.NewReader(ups[i].body))
		req.Header.Set("Authorization", "Bearer "+bankKey)
		req.Header.Set("Content-Type", ups[i].ct)
		body.Reset()
		rec := httptest.NewRecorder()
		rec.Body = body
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"outcome":"verified"`)) {
			b.Fatalf("%d %s", rec.Code, rec.Body.Bytes()[:min(rec.Body.Len(), 300)])
		}
	}
	m.stop()
}

// BenchmarkUploadLoopback: the same over a real loopback socket, the
// client (in this process) included.
func BenchmarkUploadLoopback(b *testing.B) {
	s := start(b, server.Config{RateLimit: 0})
	ups := prepareUploads(b, s.url, s.srv.Handler(), b.N)
	hc := &http.Client{Timeout: 30 * time.Second}
	b.ReportAllocs()
	m := startCPU(b)
	for i := range b.N {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/v1/verify", bytes.NewReader(ups[i].body))
		req.Header.Set("Authorization", "Bearer "+bankKey)
		req.Header.Set("Content-Type", ups[i].ct)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte(`"outcome":"verified"`)) {
			b.Fatalf("%d %s", resp.StatusCode, body[:min(len(body), 300)])
		}
	}
	m.stop()
}

// BenchmarkPassiveAuth: passive authentication in process of the same
// files with the same trust, the reference the upload is measured against.
func BenchmarkPassiveAuth(b *testing.B) {
	w := newWorld(b)
	ts, _, err := pki.LoadTrust(w.trust, nil)
	require.NoError(b, err)
	dgs := map[int][]byte{}
	for f, d := range w.cccd.files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = d
		}
	}
	sod := w.cccd.files[chip.EFSOD]
	now := time.Now()
	b.ReportAllocs()
	m := startCPU(b)
	for range b.N {
		if r := pki.Verify(sod, dgs, ts, &pki.VerifyConfig{Time: func() time.Time { return now }}); !r.Valid {
			b.Fatal(r.Err())
		}
	}
	m.stop()
}

// BenchmarkInProcessSameWork: the verification an upload runs, in process
// through the library, by the very function the handler calls (parsing
// the files, passive authentication, Doc 9303 conformance checks, AA over
// the challenge's nonce, the policy's decision, holder data, face and the
// evidence bundle), without HTTP, multipart parsing, the challenge's
// redemption and the JSON answer. UploadHandler's cpu-µs/op over this
// one's is the service's own overhead.
func BenchmarkInProcessSameWork(b *testing.B) {
	s := start(b, server.Config{RateLimit: 0})
	w := newWorld(b)
	nonce := []byte("8 bytes!")
	u := &server.Upload{Files: w.cccd.files, Token: "unused", Signature: w.cccd.sign(b, nonce)}
	ctx := context.Background()
	b.ReportAllocs()
	m := startCPU(b)
	for range b.N {
		r := s.srv.VerifyUpload(ctx, u, nonce, time.Now())
		if r.Verdict.Outcome != "verified" || len(r.Evidence) == 0 {
			b.Fatalf("%+v", r.Verdict)
		}
	}
	m.stop()
}

// BenchmarkInProcessPAAA: the same verification work as an upload without
// the server: parsing the files, passive authentication, and Active
// Authentication of a signature over a nonce with DG15's key.
func BenchmarkInProcessPAAA(b *testing.B) {
	w := newWorld(b)
	ts, _, err := pki.LoadTrust(w.trust, nil)
	require.NoError(b, err)
	nonce := []byte("8 bytes!")
	sig := w.cccd.sign(b, nonce)
	now := time.Now()
	b.ReportAllocs()
	m := startCPU(b)
	for range b.N {
		doc, err := chip.ParseDocument(w.cccd.files)
		if err != nil {
			b.Fatal(err)
		}
		dgs := map[int][]byte{}
		for f, d := range w.cccd.files {
			if n := f.DataGroup(); n > 0 {
				dgs[n] = d
			}
		}
		if r := pki.Verify(w.cccd.files[chip.EFSOD], dgs, ts, &pki.VerifyConfig{Time: func() time.Time { return now }}); !r.Valid {
			b.Fatal(r.Err())
		}
		si, err := secinfo.Lenient.ParseDG14(w.cccd.files[chip.EFDG14])
		if err != nil {
			b.Fatal(err)
		}
		v, err := aa.NewVerifier(doc.DG15.SubjectPublicKeyInfo, si.ActiveAuthentication())
		if err != nil {
			b.Fatal(err)
		}
		if err := v.Verify(nonce, sig); err != nil {
			b.Fatal(err)
		}
	}
	m.stop()
}
