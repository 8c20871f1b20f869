// Command loadgen is the load test of the verification server (package
// server), run by scripts/load: "setup DIR" writes a test PKI's trust
// directory, a simulated CCCD and an API key file; "attack" sends upload
// verifications to a running server with vegeta at a constant rate and
// checks the outcome: the rate held, every answer 200 with the verdict
// "verified", and the p99 latency under a bound.
//
// Each upload needs its own challenge signed by the chip: they are fetched
// and signed before the attack, so the attack measures verification only.
package main

import (
	"bytes"
	"crypto"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/server"
)

const apiKey = "loadtest-key-0123456789abcdef"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: loadgen setup DIR | loadgen attack [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "setup":
		if len(os.Args) != 3 {
			err = errors.New("usage: loadgen setup DIR")
		} else {
			err = setup(os.Args[2])
		}
	case "attack":
		err = attack(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// setup writes DIR/trust (CSCA certificate and CRL), DIR/card.json (a
// simulated CCCD), DIR/api-keys and DIR/challenge-key.
func setup(dir string) error {
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "load test", Now: now.Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		return err
	}
	trust := filepath.Join(dir, "trust")
	if err := os.MkdirAll(trust, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(trust, "csca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CSCA.Cert.Raw}), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(trust, "csca.crl"), p.CRL, 0o644); err != nil {
		return err
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		return err
	}
	key, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("load test AA"))
	if err != nil {
		return err
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return now.Add(-time.Minute) }, AAKey: key})
	if err != nil {
		return err
	}
	if err := img.Save(filepath.Join(dir, "card.json")); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "api-keys"), []byte("loadtest "+server.HashAPIKey(apiKey)+"\n"), 0o600); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "challenge-key"), []byte(hex.EncodeToString(bytes.Repeat([]byte{0x42}, 32))+"\n"), 0o600)
}

func attack(args []string) error {
	fs := flag.NewFlagSet("attack", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080", "the server")
	cardPath := fs.String("card", "", "card image written by setup")
	rate := fs.Int("rate", 50, "uploads per second")
	duration := fs.Duration("duration", 10*time.Second, "length of the attack")
	maxP99 := fs.Duration("max-p99", time.Second, "fail when the p99 latency is above")
	jsonOut := fs.String("json", "", "write vegeta's metrics as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	img, err := sim.Load(*cardPath)
	if err != nil {
		return err
	}
	signer, err := aa.ParsePrivateKey(img.Secrets.AAKey)
	if err != nil {
		return err
	}
	chipAA, err := aa.NewChip(signer, &aa.ChipConfig{Hash: crypto.SHA256})
	if err != nil {
		return err
	}
	files := map[chip.File][]byte{}
	for f, b := range img.Files {
		if f == chip.EFCOM || f == chip.EFSOD || (f.DataGroup() > 0 && f != chip.EFDG3 && f != chip.EFDG4) {
			files[f] = b
		}
	}
	n := *rate * int(duration.Seconds())
	if n <= 0 || n > 100000 {
		return fmt.Errorf("rate x duration = %d uploads: want 1 to 100000", n)
	}
	fmt.Fprintf(os.Stderr, "loadgen: preparing %d uploads (a challenge each, signed by the card)...\n", n)
	targets := make([]vegeta.Target, n)
	hc := &http.Client{Timeout: 10 * time.Second}
	hdr := func() http.Header { return http.Header{"Authorization": {"Bearer " + apiKey}} }
	for i := range targets {
		req, _ := http.NewRequest(http.MethodPost, *url+"/v1/challenge", nil)
		req.Header = hdr()
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("challenge: %d %s", resp.StatusCode, b)
		}
		var ch server.Challenge
		if err := json.Unmarshal(b, &ch); err != nil {
			return err
		}
		sig, err := chipAA.Sign(ch.Nonce)
		if err != nil {
			return err
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField(server.PartToken, ch.Token)
		w, _ := mw.CreateFormFile(server.PartSignature, server.PartSignature)
		w.Write(sig)
		for _, f := range chip.Files() {
			if b, ok := files[f]; ok {
				w, _ := mw.CreateFormFile(f.String(), f.String())
				w.Write(b)
			}
		}
		mw.Close()
		h := hdr()
		h.Set("Content-Type", mw.FormDataContentType())
		targets[i] = vegeta.Target{Method: http.MethodPost, URL: *url + "/v1/verify", Body: body.Bytes(), Header: h}
	}
	var next atomic.Int64
	targeter := func(t *vegeta.Target) error {
		i := next.Add(1) - 1
		if i >= int64(len(targets)) {
			return vegeta.ErrNoTargets
		}
		*t = targets[i]
		return nil
	}
	fmt.Fprintf(os.Stderr, "loadgen: attacking %s/v1/verify at %d/s for %s\n", *url, *rate, *duration)
	atk := vegeta.NewAttacker(vegeta.Timeout(30*time.Second), vegeta.KeepAlive(true))
	var m vegeta.Metrics
	notVerified := 0
	for res := range atk.Attack(targeter, vegeta.Rate{Freq: *rate, Per: time.Second}, *duration, "upload") {
		if res.Code == http.StatusOK && !bytes.Contains(res.Body, []byte(`"outcome":"verified"`)) {
			notVerified++
		}
		res.Body = nil
		m.Add(res)
	}
	m.Close()
	if err := vegeta.NewTextReporter(&m).Report(os.Stdout); err != nil {
		return err
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(&m, "", "  ")
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	var fails []string
	if m.Requests != uint64(n) {
		fails = append(fails, fmt.Sprintf("%d requests sent, want %d", m.Requests, n))
	}
	if m.Success < 1 || len(m.Errors) > 0 {
		fails = append(fails, fmt.Sprintf("success %.2f%%, errors %v", 100*m.Success, m.Errors))
	}
	if notVerified > 0 {
		fails = append(fails, fmt.Sprintf("%d answers not verified", notVerified))
	}
	if m.Rate < 0.95*float64(*rate) {
		fails = append(fails, fmt.Sprintf("rate %.1f/s not held (wanted %d/s)", m.Rate, *rate))
	}
	if m.Throughput < 0.95*float64(*rate) {
		fails = append(fails, fmt.Sprintf("throughput %.1f/s below the rate %d/s", m.Throughput, *rate))
	}
	if m.Latencies.P99 > *maxP99 {
		fails = append(fails, fmt.Sprintf("p99 %s above %s", m.Latencies.P99, *maxP99))
	}
	fmt.Printf("loadgen: %d uploads at %d/s: throughput %.1f/s, p50 %s, p99 %s, max %s, errors %d, not verified %d\n",
		m.Requests, *rate, m.Throughput, m.Latencies.P50, m.Latencies.P99, m.Latencies.Max, len(m.Errors), notVerified)
	if len(fails) > 0 {
		return fmt.Errorf("load test failed: %v", fails)
	}
	return nil
}
