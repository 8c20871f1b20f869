package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/issuance"
	"github.com/cancuoc/cancuoc/reader"
)

const holders = "testdata/holders.jsonl"

// holder is what the test knows of each good line of testdata/holders.jsonl.
var wantIssued = map[int]struct{ number, name string }{
	1: {"079185004321", "Trần Thị Bình"},
	2: {"048072001122", "Lê Văn Cường"},
	3: {"031301009876", "Phạm Thị Dung"},
	5: {"092058005555", "Võ Minh Phúc"},
}

const badLine = 4 // 1990-02-30

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// writeTestPKI lays out a PKI directory as "cancuoc pki init" does.
func writeTestPKI(t *testing.T, p *pkitest.PKI) string {
	t.Helper()
	dir := t.TempDir()
	der, err := x509.MarshalPKCS8PrivateKey(p.DS.Key)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "ds"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, dsKeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, dsCertFile), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.DS.Cert.Raw}), 0o644))
	return dir
}

func readAudit(t *testing.T, path string) []auditRecord {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var recs []auditRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r auditRecord
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&r), sc.Text())
		recs = append(recs, r)
	}
	require.NoError(t, sc.Err())
	return recs
}

// checkBatch checks the audit log and every card image of a batch run, and
// verifies each card with passive authentication against trust, both from the
// image's files and through a read of the simulated chip.
func checkBatch(t *testing.T, out string, trust *pki.TrustStore) {
	t.Helper()
	recs := readAudit(t, filepath.Join(out, "audit.jsonl"))
	require.Len(t, recs, 5)
	for i, r := range recs {
		line := i + 1
		require.Equal(t, line, r.Line)
		require.False(t, r.Time.IsZero())
		if line == badLine {
			require.Equal(t, "failed", r.Outcome)
			require.Equal(t, "*********788", r.Holder)
			require.Contains(t, r.Error, "date_of_birth")
			require.Empty(t, r.CardFile)
			require.NoFileExists(t, filepath.Join(out, "card-0004.card"))
			continue
		}
		want := wantIssued[line]
		require.Equal(t, "issued", r.Outcome, r.Error)
		require.Equal(t, "*********"+want.number[9:], r.Holder)
		require.NotContains(t, r.Holder, want.number[:9])
		path := filepath.Join(out, r.CardFile)
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "a card image holds the chip's secrets")

		img, err := sim.Load(path)
		require.NoError(t, err)
		sum := sha256.Sum256(img.Files[chip.EFSOD])
		require.Equal(t, hex.EncodeToString(sum[:]), r.SODSHA256)

		// Passive authentication on the image's files.
		doc, err := chip.ParseDocument(img.Files)
		require.NoError(t, err)
		pa := pki.Verify(img.Files[chip.EFSOD], chip.DataGroupFiles(img.Files), trust, nil)
		require.True(t, pa.Valid, "line %d: %v", line, pa.Err())
		d13, err := cccd.ParseDG13(doc.Raw(chip.EFDG13))
		require.NoError(t, err)
		c, err := d13.Citizen()
		require.NoError(t, err)
		require.Equal(t, want.name, c.FullName)
		require.Equal(t, want.number, c.PersonalNumber)
		if line == 1 {
			face, err := os.ReadFile("testdata/face-tran-thi-binh.jpg")
			require.NoError(t, err)
			got, _, ok := doc.FaceImage()
			require.True(t, ok)
			require.Equal(t, face, got)
		}
		if line == 5 {
			require.True(t, c.NoExpiry)
		}

		// And as a reader sees it: BAC with the MRZ, every file, passive
		// authentication.
		card, err := sim.New(img, nil)
		require.NoError(t, err)
		res, err := reader.Read(context.Background(), card, reader.MRZKey(doc.DG1.MRZ.Info()), &reader.Config{Trust: trust})
		require.NoError(t, err)
		require.True(t, res.Verified(), "line %d: %v", line, res.Err())
		require.Empty(t, res.Findings, "line %d: issued cards follow the Doc 9303 profiles", line)
	}
}

func TestBatchWithTestPKIDir(t *testing.T) {
	p, err := pkitest.New(pkitest.Config{Seed: "issuance test", Now: time.Now().Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	pkiDir := writeTestPKI(t, p)
	out := filepath.Join(t.TempDir(), "cards")

	code, stdout, stderr := runMain(t, "--in", holders, "--out", out, "--test-pki", pkiDir, "--workers", "1")
	require.Equal(t, exitFailed, code, "one record is bad: %s", stderr)
	require.Contains(t, stdout, "issued 4 cards, 1 failed, 4 signatures by the Document Signer")
	require.Regexp(t, `[0-9.]+ cards/s`, stdout)
	require.Contains(t, stderr, "line 4: *********788 FAILED")
	require.Contains(t, stderr, "line 1: *********321 issued card-0001.card")
	for _, h := range wantIssued {
		require.NotContains(t, stderr, h.number, "progress must not print personal numbers")
		require.NotContains(t, stdout, h.number)
	}
	checkBatch(t, out, p.Trust())

	// The wrong CSCA does not verify these cards.
	other, err := pkitest.New(pkitest.Config{Seed: "another state", CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	img, err := sim.Load(filepath.Join(out, "card-0001.card"))
	require.NoError(t, err)
	require.False(t, pki.Verify(img.Files[chip.EFSOD], chip.DataGroupFiles(img.Files), other.Trust(), nil).Valid)
}

func TestBatchWithMemoryPKI(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runMain(t, "--in", holders, "--out", out, "--workers", "3")
	require.Equal(t, exitFailed, code, stderr)
	// Three at once, and still in input order.
	var order []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if n, _, ok := strings.Cut(l, ":"); ok && strings.HasPrefix(n, "line ") {
			order = append(order, n)
		}
	}
	require.Equal(t, []string{"line 1", "line 2", "line 3", "line 4", "line 5"}, order)
	require.Contains(t, stderr, "in-memory TEST PKI")
	require.Contains(t, stdout, "issued 4 cards, 1 failed")

	// The CSCA written beside the cards verifies them.
	trust := pki.NewTrustStore()
	require.NoError(t, trust.LoadDir(filepath.Join(out, "trust")))
	checkBatch(t, out, trust)

	// The same PKI comes back for the same day: it is deterministic.
	p, err := memoryPKI(time.Now())
	require.NoError(t, err)
	require.Equal(t, p.CSCA.Cert.Raw, trust.CSCAs()[0].Raw)
}

func TestAllGood(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(holders)
	require.NoError(t, err)
	lines := bytes.Split(src, []byte("\n"))
	good := bytes.Join([][]byte{lines[1], {}, lines[2]}, []byte("\n")) // a blank line is skipped
	in := filepath.Join(dir, "good.jsonl")
	require.NoError(t, os.WriteFile(in, good, 0o600))
	face, err := os.ReadFile("testdata/face-synthetic.jpg")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "face-synthetic.jpg"), face, 0o600))
	code, stdout, stderr := runMain(t, "--in", in, "--out", filepath.Join(dir, "out"), "--audit", filepath.Join(dir, "a.jsonl"))
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, "issued 2 cards, 0 failed, 2 signatures")
	recs := readAudit(t, filepath.Join(dir, "a.jsonl"))
	require.Len(t, recs, 2)
	require.Equal(t, 3, recs[1].Line, "line numbers count the blank line")
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "h.jsonl")
	require.NoError(t, os.WriteFile(in, []byte("{\"full_name\": \"X\", \"colour\": \"red\"}\nnot json\n"), 0o600))
	code, stdout, _ := runMain(t, "--in", in, "--out", filepath.Join(dir, "out"))
	require.Equal(t, exitFailed, code)
	require.Contains(t, stdout, "issued 0 cards, 2 failed, 0 signatures")
	recs := readAudit(t, filepath.Join(dir, "out", "audit.jsonl"))
	require.Len(t, recs, 2)
	require.Contains(t, recs[0].Error, "colour", "unknown fields are errors")
	require.Equal(t, "unknown", recs[1].Holder)

	// A line longer than a holder record may be stops the batch.
	require.NoError(t, os.WriteFile(in, bytes.Repeat([]byte("x"), 2<<20), 0o600))
	code, _, stderr := runMain(t, "--in", in, "--out", filepath.Join(dir, "out2"))
	require.Equal(t, exitFailed, code)
	require.Contains(t, stderr, "token too long")
}

func TestUsage(t *testing.T) {
	code, _, stderr := runMain(t)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "usage: issuance")
	code, _, _ = runMain(t, "--in", holders)
	require.Equal(t, exitUsage, code)
	code, _, _ = runMain(t, "--in", holders, "--out", t.TempDir(), "--workers", "0")
	require.Equal(t, exitUsage, code)
	code, _, _ = runMain(t, "--bogus")
	require.Equal(t, exitUsage, code)
	code, _, _ = runMain(t, "--help")
	require.Equal(t, exitOK, code)
	code, _, stderr = runMain(t, "--in", holders, "--out", t.TempDir(), "--test-pki", t.TempDir())
	require.Equal(t, exitFailed, code)
	require.Contains(t, stderr, "ds-key.pem")
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"001090012345": "*********345", "": "unknown", "12": "**", "123": "***", "1234": "*234",
	} {
		require.Equal(t, want, mask(in), in)
	}
}

// failingSigner fails every signature, as an HSM that is offline.
type failingSigner struct{ crypto.Signer }

func (failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("hsm offline")
}

// TestCountingSigner checks that the wrapper counts only the signatures made.
func TestCountingSigner(t *testing.T) {
	p, err := memoryPKI(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	s := &countingSigner{Signer: p.DS.Key}
	require.Equal(t, p.DS.Key.Public(), s.Public())
	digest := sha256.Sum256([]byte("x"))
	for range 3 {
		_, err = s.Sign(rand.Reader, digest[:], crypto.SHA256)
		require.NoError(t, err)
	}
	require.Equal(t, int64(3), s.Count())

	f := &countingSigner{Signer: failingSigner{p.DS.Key}}
	_, err = f.Sign(rand.Reader, digest[:], crypto.SHA256)
	require.EqualError(t, err, "hsm offline")
	require.Zero(t, f.Count())

	// A failing signer fails every card, and the batch says so.
	st := &station{issuer: sim.Issuer{Signer: f, Cert: p.DS.Cert}, dir: "testdata", out: t.TempDir(), audit: json.NewEncoder(io.Discard)}
	src, err := os.ReadFile(holders)
	require.NoError(t, err)
	issued, failed, err := st.batch(context.Background(), bytes.NewReader(src), io.Discard)
	require.NoError(t, err)
	require.Zero(t, issued)
	require.Equal(t, 5, failed)
}

// FuzzBatch feeds any input to the batch: it never panics, every non-blank
// line gets exactly one audit record (or the batch stops on a line too long),
// and every card it says it issued is on disk and loads.
func FuzzBatch(f *testing.F) {
	src, err := os.ReadFile(holders)
	require.NoError(f, err)
	lines := bytes.Split(src, []byte("\n"))
	f.Add(lines[1]) // a good record
	f.Add(lines[3]) // the bad date
	f.Add([]byte("\n\n{}\r\n{\"profile\":\"icao-passport\"}\nnot json\n"))
	f.Add([]byte(`{"full_name":"Nguyễn Văn An","personal_number":"001090012345","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01","sex":"M"}`))
	p, err := memoryPKI(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(f, err)
	// One Active Authentication key for every card: RSA key generation
	// under the fuzzer's instrumentation takes seconds.
	aaKey, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("fuzz AA key"))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, in []byte) {
		out := t.TempDir()
		var audit bytes.Buffer
		st := &station{issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, dir: "testdata", out: out, audit: json.NewEncoder(&audit), workers: 2, aaKey: aaKey}
		issued, failed, err := st.batch(context.Background(), bytes.NewReader(in), io.Discard)
		records := 0
		sc := bufio.NewScanner(bytes.NewReader(in))
		sc.Buffer(nil, issuance.MaxHolderSize)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) > 0 {
				records++
			}
		}
		if err != nil {
			require.ErrorIs(t, err, bufio.ErrTooLong)
		} else {
			require.Equal(t, records, issued+failed)
		}
		dec := json.NewDecoder(&audit)
		n := 0
		for dec.More() {
			var r auditRecord
			require.NoError(t, dec.Decode(&r))
			n++
			if r.Outcome == "issued" {
				_, err := sim.Load(filepath.Join(out, r.CardFile))
				require.NoError(t, err)
			}
		}
		require.Equal(t, issued+failed, n)
	})
}

// BenchmarkIssue personalizes one card: holder record to saved card image
// (a new RSA-2048 Active Authentication key, EF.SOD signed with P-256).
func BenchmarkIssue(b *testing.B) {
	src, err := os.ReadFile(holders)
	require.NoError(b, err)
	line := bytes.Split(src, []byte("\n"))[1]
	p, err := memoryPKI(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(b, err)
	st := &station{issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, dir: "testdata", out: b.TempDir()}
	b.ReportAllocs()
	for b.Loop() {
		if rec := st.issueOne(2, line); rec.Outcome != "issued" {
			b.Fatal(rec.Error)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cards/s")
}
