// Command issuance is a personalization station's batch: it reads holder
// records (JSON Lines, one issuance.Holder a line), builds each holder's chip
// (chip/sim.Personalize: data groups, Active Authentication key, EF.SOD signed
// by the Document Signer) and saves one card image per holder, with an audit
// log line for every record.
//
//	go run ./examples/issuance --in examples/issuance/testdata/holders.jsonl --out /tmp/cards
//	go run ./examples/issuance --in holders.jsonl --out /tmp/cards --test-pki /tmp/pki
//
//	CANCUOC_PKCS11_PIN=... go run ./examples/issuance --in holders.jsonl --out /tmp/cards \
//	    --test-pki /tmp/pki --pkcs11 /usr/lib/softhsm/libsofthsm2.so --token TOKEN
//
// The Document Signer key is used only through crypto.Signer (see
// countingSigner): with --pkcs11 it is a key in an HSM (package hsm), which
// signs every EF.SOD without the key leaving it. A bad record is logged and
// skipped. When the token fails (absent, locked, logged out, in error), the
// records not yet signed are logged "not issued" and the batch stops
// signing; a rerun with the same --in and --out issues only the records the
// audit log does not show as issued. The exit code is 1 when any record
// failed or was not issued, 2 for bad usage.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/issuance"
)

const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// now is the station's clock: the audit log times, the signing time of EF.SOD
// and the throughput figure come from it.
var now = time.Now

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("issuance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("in", "", "holder records, JSON Lines (one issuance.Holder a line)")
	out := fs.String("out", "", "directory for the card images and the audit log")
	testPKI := fs.String("test-pki", "", "directory written by 'cancuoc pki init' (ds/ds-key.pem, ds/ds.pem); default: an in-memory test PKI")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "records personalized at once (an HSM's sessions, the station's cores)")
	auditPath := fs.String("audit", "", "audit log, JSON Lines (default OUT/audit.jsonl); appended to, and read on a rerun")
	module := fs.String("pkcs11", "", "PKCS#11 module of the HSM holding the Document Signer key (needs --token and --test-pki or --ds-cert)")
	token := fs.String("token", "", "label of the PKCS#11 token")
	keyLabel := fs.String("key-label", "cancuoc-ds", "label of the Document Signer key in the token")
	dsCert := fs.String("ds-cert", "", "Document Signer certificate (default with --test-pki: its ds/ds.pem)")
	pinEnv := fs.String("pin-env", "CANCUOC_PKCS11_PIN", "environment variable holding the token's user PIN")
	pinFile := fs.String("pin-file", "", "file holding the token's user PIN")
	cvcaPath := fs.String("cvca", "", "CVCA certificate the cards trust for Terminal Authentication, which guards DG3 and DG4 (default with --test-pki: its eac/cvca.cvcert, when there)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: issuance --in HOLDERS.jsonl --out DIR [--test-pki DIR] [--pkcs11 MODULE --token LABEL] [--audit FILE] [--workers N]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *in == "" || *out == "" || fs.NArg() > 0 || *workers < 1 {
		fs.Usage()
		return exitUsage
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		fmt.Fprintln(stderr, "issuance:", err)
		return exitFailed
	}
	start := now()
	var tokenDown error
	var signer crypto.Signer
	var cert *pki.Certificate
	var err error
	if *module != "" || *token != "" {
		if *module == "" || *token == "" {
			fmt.Fprintln(stderr, "issuance: --pkcs11 MODULE and --token LABEL go together")
			return exitUsage
		}
		if *dsCert == "" && *testPKI != "" {
			*dsCert = filepath.Join(*testPKI, dsCertFile)
		}
		if *dsCert == "" {
			fmt.Fprintln(stderr, "issuance: --pkcs11 needs the Document Signer certificate: --ds-cert or --test-pki")
			return exitUsage
		}
		tok, key, c, err := tokenSigner(*module, *token, *keyLabel, *dsCert, *pinEnv, *pinFile)
		switch {
		case err != nil && hsm.TokenFailure(err):
			// The token is absent, locked or refuses the PIN: go
			// through the batch anyway, so that the audit log says
			// which records were not issued (all the good ones) and
			// which are bad, and a rerun issues them.
			fmt.Fprintln(stderr, "issuance:", err)
			tokenDown = err
		case err != nil:
			fmt.Fprintln(stderr, "issuance:", err)
			return exitFailed
		default:
			defer tok.Close()
			signer, cert = key, c
		}
	} else if signer, cert, err = documentSigner(*testPKI, *out, start, stderr); err != nil {
		fmt.Fprintln(stderr, "issuance:", err)
		return exitFailed
	}
	if wrapSigner != nil && signer != nil {
		signer = wrapSigner(signer)
	}
	if *cvcaPath == "" && *testPKI != "" {
		if p := filepath.Join(*testPKI, "eac", "cvca.cvcert"); fileExists(p) {
			*cvcaPath = p
		}
	}
	var trustPoints [][]byte
	if *cvcaPath != "" {
		b, err := os.ReadFile(*cvcaPath)
		if err == nil {
			_, err = cvc.Parse(b)
		}
		if err != nil {
			fmt.Fprintf(stderr, "issuance: --cvca: %v\n", err)
			return exitFailed
		}
		trustPoints = [][]byte{b}
	}
	counter := &countingSigner{Signer: signer}

	if *auditPath == "" {
		*auditPath = filepath.Join(*out, "audit.jsonl")
	}
	done, err := issuedBefore(*auditPath, *out)
	if err != nil {
		fmt.Fprintln(stderr, "issuance:", err)
		return exitFailed
	}
	audit, err := os.OpenFile(*auditPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintln(stderr, "issuance:", err)
		return exitFailed
	}
	defer audit.Close()

	f, err := os.Open(*in)
	if err != nil {
		fmt.Fprintln(stderr, "issuance:", err)
		return exitFailed
	}
	defer f.Close()

	st := &station{
		issuer:  sim.Issuer{Signer: counter, Cert: cert},
		dir:     filepath.Dir(*in),
		out:     *out,
		audit:   json.NewEncoder(audit),
		workers: *workers,
		done:    done,
		trust:   trustPoints,
	}
	if tokenDown != nil {
		st.tokenErr.Store(&tokenDown)
	}
	issued, failed, err := st.batch(context.Background(), f, stderr)
	elapsed := now().Sub(start)
	if err != nil {
		fmt.Fprintln(stderr, "issuance:", err)
		failed++
	}
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(issued) / s
	}
	fmt.Fprintf(stdout, "issued %d cards, %d failed, %d signatures by the Document Signer, in %s: %.2f cards/s\n",
		issued, failed, counter.Count(), elapsed.Round(time.Millisecond), rate)
	if n := st.skipped.Load(); n > 0 {
		fmt.Fprintf(stdout, "%d records issued by an earlier run, not issued again\n", n)
	}
	if n := st.notIssued.Load(); n > 0 {
		fmt.Fprintf(stdout, "%d records NOT issued: the token failed (%v); fix it and run again with the same --in and --out to issue them\n",
			n, *st.tokenErr.Load())
	}
	fmt.Fprintf(stdout, "audit log: %s\n", *auditPath)
	if failed > 0 {
		return exitFailed
	}
	return exitOK
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// wrapSigner, when set (by tests), wraps the Document Signer.
var wrapSigner func(crypto.Signer) crypto.Signer

// tokenSigner opens the token and finds the Document Signer key, which
// must be the key of the certificate.
func tokenSigner(module, token, label, certPath, pinEnv, pinFile string) (*hsm.Token, *hsm.Key, *pki.Certificate, error) {
	cert, err := pki.LoadCertificate(certPath)
	if err != nil {
		return nil, nil, nil, err
	}
	pin, err := hsm.ReadPIN(pinEnv, pinFile)
	if err != nil {
		return nil, nil, nil, err
	}
	tok, err := hsm.Open(hsm.Config{Module: module, Token: token, PIN: pin})
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := tok.Key(label)
	if err != nil {
		tok.Close()
		return nil, nil, nil, err
	}
	spki, err := pki.MarshalPublicKey(key.Public())
	if err != nil || !bytes.Equal(spki, cert.PublicKey.Raw) {
		tok.Close()
		return nil, nil, nil, fmt.Errorf("key %q in token %q is not the key of %s", label, token, certPath)
	}
	return tok, key, cert, nil
}

// earlier is a record an earlier run issued.
type earlier struct{ card, holder string }

// issuedBefore reads the audit log of earlier runs: the records issued,
// by input line, whose card image is still in out.
func issuedBefore(auditPath, out string) (map[int]earlier, error) {
	f, err := os.Open(auditPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	done := map[int]earlier{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var r auditRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("audit log %s: %w", auditPath, err)
		}
		if r.Outcome != outcomeIssued && r.Outcome != outcomeAlready || r.CardFile == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(out, r.CardFile)); err == nil {
			done[r.Line] = earlier{r.CardFile, r.Holder}
		}
	}
	return done, sc.Err()
}

// station issues cards for a batch of holder records.
type station struct {
	issuer sim.Issuer
	dir    string // relative face image paths start here
	out    string
	audit  *json.Encoder
	// workers is how many records are personalized at once (1 when 0).
	workers int
	// aaKey, when set, is the Active Authentication key of every card
	// instead of a new one per chip: only for tests, where key generation
	// would dominate.
	aaKey crypto.Signer
	// trust are the CVCA certificates the cards trust (Terminal
	// Authentication: DG3, DG4); a cccd-2023 record needs one.
	trust [][]byte
	// done holds the records earlier runs issued (by input line).
	done map[int]earlier
	// tokenErr is the first token failure: after it, no record is tried.
	tokenErr           atomic.Pointer[error]
	skipped, notIssued atomic.Int64
}

// Outcomes of a record in the audit log.
const (
	outcomeIssued    = "issued"         // signed and saved in this run
	outcomeFailed    = "failed"         // the record is bad: fix it
	outcomeNotIssued = "not issued"     // the token failed: a rerun issues it
	outcomeAlready   = "already issued" // an earlier run issued it
)

// auditRecord is one line of the audit log. It names the holder only by the
// last 3 digits of the personal number: the log is kept longer than the
// records, and the full number is the chip's CAN source.
type auditRecord struct {
	Time      time.Time `json:"time"`
	Line      int       `json:"line"`
	Holder    string    `json:"holder"` // personal number, masked: "*********321"
	CardFile  string    `json:"card_file,omitempty"`
	SODSHA256 string    `json:"sod_sha256,omitempty"`
	Outcome   string    `json:"outcome"` // "issued", "failed", "not issued" or "already issued"
	Error     string    `json:"error,omitempty"`
}

// batch issues a card for every record of r, with s.workers records in
// personalization at once (the Active Authentication key of each chip and the
// Document Signer's signature are the slow steps). The audit log and the
// progress keep the order of the input. It stops only on a read error of the
// input or a write error of the audit log, not on a bad record.
func (s *station) batch(ctx context.Context, r io.Reader, progress io.Writer) (issued, failed int, err error) {
	workers := max(s.workers, 1)
	type job struct {
		seq, line int
		text      []byte
	}
	type result struct {
		seq int
		rec auditRecord
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan job)
	results := make(chan result)
	var readErr error
	go func() { // the reader: one job per non-blank line
		defer close(jobs)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64<<10), issuance.MaxHolderSize)
		line, seq := 0, 0
		for sc.Scan() {
			line++
			text := bytes.TrimSpace(sc.Bytes())
			if len(text) == 0 {
				continue
			}
			select {
			case jobs <- job{seq: seq, line: line, text: bytes.Clone(text)}:
				seq++
			case <-ctx.Done():
				readErr = ctx.Err()
				return
			}
		}
		if err := sc.Err(); err != nil {
			readErr = fmt.Errorf("line %d: %w", line+1, err)
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				select {
				case results <- result{j.seq, s.issueOne(j.line, j.text)}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() { wg.Wait(); close(results) }()

	// Write in input order: results that come early wait in pending.
	pending := map[int]auditRecord{}
	next := 0
	for res := range results {
		pending[res.seq] = res.rec
		for rec, ok := pending[next]; ok; rec, ok = pending[next] {
			delete(pending, next)
			next++
			if err == nil {
				if err = s.audit.Encode(rec); err != nil {
					err = fmt.Errorf("audit log: %w", err)
					cancel()
				}
			}
			if err != nil {
				continue
			}
			switch rec.Outcome {
			case outcomeIssued:
				issued++
				fmt.Fprintf(progress, "line %d: %s issued %s\n", rec.Line, rec.Holder, rec.CardFile)
			case outcomeAlready:
				fmt.Fprintf(progress, "line %d: %s already issued %s\n", rec.Line, rec.Holder, rec.CardFile)
			case outcomeNotIssued:
				failed++
				fmt.Fprintf(progress, "line %d: %s NOT ISSUED: %s\n", rec.Line, rec.Holder, rec.Error)
			default:
				failed++
				fmt.Fprintf(progress, "line %d: %s FAILED: %s\n", rec.Line, rec.Holder, rec.Error)
			}
		}
	}
	if err != nil {
		return issued, failed, err
	}
	// results is closed: the workers are done, and so is the reader.
	if readErr != nil {
		return issued, failed, readErr
	}
	return issued, failed, ctx.Err()
}

// issueOne personalizes the card of one record and saves its image.
func (s *station) issueOne(line int, text []byte) auditRecord {
	rec := auditRecord{Line: line, Holder: "unknown", Outcome: outcomeFailed}
	fail := func(err error) auditRecord {
		rec.Time = now().UTC()
		rec.Error = err.Error()
		return rec
	}
	h, err := issuance.DecodeHolder(bytes.NewReader(text))
	if err != nil {
		return fail(err)
	}
	rec.Holder = mask(h.PersonalNumber)
	if e, ok := s.done[line]; ok {
		if e.holder != rec.Holder {
			return fail(fmt.Errorf("the audit log says line %d was issued to %s, not this holder: the input changed; use a new --out", line, e.holder))
		}
		s.skipped.Add(1)
		rec.Outcome, rec.CardFile, rec.Time = outcomeAlready, e.card, now().UTC()
		return rec
	}
	if h.Profile == "" {
		h.Profile = sim.ProfileCCCD
	}
	h.SetDir(s.dir)
	doc, err := h.Document()
	if err != nil {
		return fail(err)
	}
	if terr := s.tokenErr.Load(); terr != nil {
		s.notIssued.Add(1)
		rec.Outcome = outcomeNotIssued
		return fail(fmt.Errorf("not tried, the token failed before: %w", *terr))
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: h.Profile, Issuer: s.issuer, Time: func() time.Time { return now() }, AAKey: s.aaKey,
		TrustPoints: s.trust})
	if err != nil {
		if hsm.TokenFailure(err) {
			// Not the record's fault: keep it for a rerun and try no
			// more records on this token.
			s.tokenErr.CompareAndSwap(nil, &err)
			s.notIssued.Add(1)
			rec.Outcome = outcomeNotIssued
		}
		return fail(err)
	}
	name := fmt.Sprintf("card-%04d.card", line)
	if err := img.Save(filepath.Join(s.out, name)); err != nil {
		return fail(err)
	}
	sum := sha256.Sum256(img.Files[chip.EFSOD])
	rec.CardFile, rec.SODSHA256, rec.Outcome = name, hex.EncodeToString(sum[:]), outcomeIssued
	rec.Time = now().UTC()
	return rec
}

// mask keeps the last 3 characters of a personal number.
func mask(n string) string {
	if n == "" {
		return "unknown"
	}
	if len(n) <= 3 {
		return strings.Repeat("*", len(n))
	}
	return strings.Repeat("*", len(n)-3) + n[len(n)-3:]
}

// countingSigner is where a hardware security module plugs in. The station
// sees the Document Signer key only as a crypto.Signer: an HSM client (PKCS#11
// C_Sign, a cloud KMS AsymmetricSign call) implements Public and Sign the same
// way, and the private key never enters this process. This one wraps a software
// key and counts the signatures, as an HSM's audit counter would.
type countingSigner struct {
	crypto.Signer
	n atomic.Int64
}

// Sign signs digest with the wrapped key and counts the signature.
func (s *countingSigner) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	sig, err := s.Signer.Sign(rand, digest, opts)
	if err == nil {
		s.n.Add(1)
	}
	return sig, err
}

// Count returns the number of signatures made.
func (s *countingSigner) Count() int64 { return s.n.Load() }

// Layout of a directory written by "cancuoc pki init".
const (
	dsKeyFile  = "ds/ds-key.pem" // PKCS#8 PEM
	dsCertFile = "ds/ds.pem"
)

// documentSigner loads the Document Signer of a test PKI directory or, with
// none, makes the in-memory test PKI and writes its CSCA certificate and CRL
// to OUT/trust so that the cards can be verified.
func documentSigner(testPKI, out string, at time.Time, log io.Writer) (crypto.Signer, *pki.Certificate, error) {
	if testPKI != "" {
		return pki.LoadSigner(filepath.Join(testPKI, dsKeyFile), filepath.Join(testPKI, dsCertFile))
	}
	p, err := memoryPKI(at)
	if err != nil {
		return nil, nil, err
	}
	trust := filepath.Join(out, "trust")
	if err := os.MkdirAll(trust, 0o755); err != nil {
		return nil, nil, err
	}
	csca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CSCA.Cert.Raw})
	if err := os.WriteFile(filepath.Join(trust, "csca.pem"), csca, 0o644); err != nil {
		return nil, nil, err
	}
	if err := os.WriteFile(filepath.Join(trust, "csca.crl"), p.CRL, 0o644); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(log, "no --test-pki: signing with an in-memory TEST PKI (its keys protect nothing); its CSCA is in %s\n", trust)
	return p.DS.Key, p.DS.Cert, nil
}

// memoryPKI is the deterministic test PKI used without --test-pki, made on
// the day of at.
func memoryPKI(at time.Time) (*pkitest.PKI, error) {
	day := at.UTC().Truncate(24 * time.Hour)
	return pkitest.New(pkitest.Config{Seed: "cancuoc issuance example", Now: day, CSCA: pkitest.P256, DS: pkitest.P256})
}
