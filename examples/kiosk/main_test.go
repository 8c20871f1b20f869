package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/issuance"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// inCI is set by .ci/run: there, a missing tool fails the tests that need it
// instead of skipping them.
var inCI = os.Getenv("CI") == "true"

// needTool skips the test (fails it under CI) when a program is missing.
func needTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := name + " not found: install the Debian package " + debianPackage
	require.False(t, inCI, msg)
	t.Skip(msg)
	return ""
}

// issued personalizes doc (sim.DemoCCCD when nil) with a test PKI and
// returns the card image file, a trust directory, and the face image bytes.
func issued(t *testing.T, doc *chip.Document) (card, trust string, face []byte) {
	t.Helper()
	var err error
	if doc == nil {
		doc, err = sim.DemoCCCD()
		require.NoError(t, err)
	}
	p, err := pkitest.New(pkitest.Config{Seed: "kiosk test", Now: time.Now().Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return time.Now() }})
	require.NoError(t, err)
	dir := t.TempDir()
	card = filepath.Join(dir, "cccd.card")
	require.NoError(t, img.Save(card))
	trust = filepath.Join(dir, "trust")
	require.NoError(t, os.Mkdir(trust, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(trust, "csca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CSCA.Cert.Raw}), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(trust, "csca.crl"), p.CRL, 0o644))
	face, _, ok := doc.FaceImage()
	require.True(t, ok)
	return card, trust, face
}

// startKiosk runs the program on a random loopback port until the test ends
// and returns the page's base URL.
func startKiosk(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"--listen", "127.0.0.1:0"}, args...), pw, &stderr)
		pw.Close()
		done <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err, "kiosk exited: %v: %s", err, stderr.String())
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "kiosk: ")
	require.True(t, ok, line)
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			require.Equal(t, exitOK, code, "exit code %d: %s", code, stderr.String())
		case <-time.After(10 * time.Second):
			assert.Fail(t, "kiosk did not stop")
		}
	})
	return strings.TrimSuffix(base, "/")
}

// syncBuffer is a bytes.Buffer for a writer in another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var client = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func state(t *testing.T, base string) (seq int, st string) {
	t.Helper()
	_, b := get(t, base+"/state")
	var s struct {
		Seq   int    `json:"seq"`
		State string `json:"state"`
	}
	require.NoError(t, json.Unmarshal(b, &s), string(b))
	return s.Seq, s.State
}

// TestKioskInBrowser runs the kiosk on a simulated DemoCCCD card, presses the
// read button, and looks at the page with headless Chromium.
func TestKioskInBrowser(t *testing.T) {
	card, trust, face := issued(t, nil)
	base := startKiosk(t, "--sim", card, "--trust", trust)

	seq, st := state(t, base)
	require.Equal(t, stateDone, st, "the simulated card is read at start")

	// The read button.
	resp, err := client.PostForm(base+"/read", url.Values{})
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	seq2, st := state(t, base)
	require.Equal(t, stateDone, st)
	require.Greater(t, seq2, seq, "a new read changes the sequence the page polls")

	// The photo: DG2's JPEG, byte for byte.
	resp, body := get(t, base+"/photo")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "image/jpeg", resp.Header.Get("Content-Type"))
	require.Equal(t, face, body)

	// The page as a browser shows it.
	chromium := needTool(t, "chromium", "chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	shot := filepath.Join(t.TempDir(), "kiosk.png")
	cmd := headless(ctx, t, chromium, "--window-size=1200,900", "--dump-dom", base+"/")
	var errb bytes.Buffer
	cmd.Stderr = &errb
	dom, err := cmd.Output()
	require.NoError(t, err, errb.String())
	page := string(dom)
	require.Contains(t, page, `<dd id="name">Nguyễn Văn An</dd>`)
	require.Contains(t, page, `<dd id="id">001090012345</dd>`)
	require.Contains(t, page, `<dd id="dob">01/01/1990</dd>`)
	require.Contains(t, page, `id="verdict">ĐÃ XÁC THỰC <span class="en">VERIFIED</span>`)
	require.Contains(t, page, `<b>lenient</b> · verified`)
	require.Contains(t, page, `<img id="photo" src="/photo?seq=`)
	require.Contains(t, page, `<th>passive authentication</th><td>passed</td>`)
	require.Contains(t, page, `<th>holder data</th><td>passed</td>`)
	require.NotContains(t, page, "photo-note")

	// A screenshot too, to look at when the test is run by hand
	// (KIOSK_SCREENSHOT=file.png keeps it).
	if keep := os.Getenv("KIOSK_SCREENSHOT"); keep != "" {
		shot = keep
	}
	cmd = headless(ctx, t, chromium, "--window-size=1200,900", "--hide-scrollbars", "--screenshot="+shot, base+"/")
	cmd.Stderr = &errb
	require.NoError(t, cmd.Run(), errb.String())
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	require.Equal(t, 1200, img.Bounds().Dx())
}

// TestKioskReasonsInBrowser: under the bank policy a read whose trust has
// no CRL is not verified, and the page, as headless Chromium shows it,
// names the policy and the reasons; under lenient the same read is
// verified with the missing CRL as a warning.
func TestKioskReasonsInBrowser(t *testing.T) {
	card, trust, _ := issued(t, nil)
	require.NoError(t, os.Remove(filepath.Join(trust, "csca.crl")))
	chromium := needTool(t, "chromium", "chromium")
	for _, c := range []struct{ policy, verdict, reason string }{
		{"bank", `id="verdict">CHƯA XÁC THỰC <span class="en">NOT VERIFIED</span>`, `<li class="fatal"><b>crl-absent</b> [revocation]`},
		{"lenient", `id="verdict">ĐÃ XÁC THỰC <span class="en">VERIFIED</span>`, `<li class="warning"><b>crl-absent</b> [revocation]`},
	} {
		base := startKiosk(t, "--sim", card, "--trust", trust, "--policy", c.policy)
		ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		cmd := headless(ctx, t, chromium, "--window-size=1200,900", "--dump-dom", base+"/")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		dom, err := cmd.Output()
		cancel()
		require.NoError(t, err, errb.String())
		page := string(dom)
		require.Contains(t, page, c.verdict, c.policy)
		require.Contains(t, page, `id="policy">Chính sách <span class="en">Policy</span>: <b>`+c.policy+`</b>`, c.policy)
		require.Contains(t, page, `<ul class="reasons" id="reasons">`, c.policy)
		require.Contains(t, page, c.reason, c.policy)
	}
	// An unknown policy is a usage error.
	var stderr bytes.Buffer
	require.Equal(t, exitUsage, run(context.Background(), []string{"--sim", card, "--policy", "border"}, io.Discard, &stderr))
	require.Contains(t, stderr.String(), "unknown policy")
}

// TestPageWithoutTrust: without a trust store nothing is verified, and the
// page says so.
func TestPageWithoutTrust(t *testing.T) {
	card, _, _ := issued(t, nil)
	base := startKiosk(t, "--sim", card)
	_, body := get(t, base+"/")
	page := string(body)
	require.Contains(t, page, "Nguyễn Văn An")
	require.Contains(t, page, `id="verdict">CHƯA XÁC THỰC <span class="en">NOT VERIFIED</span>`)
	require.Contains(t, page, "no trust store given")
	require.Contains(t, page, `<p id="findings">không có sai lệch <span class="en">no finding</span></p>`, "a card the project issued has no conformance finding")
}

// testPNG is a 48x64 picture with some structure for the codec.
func testPNG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 48, 64))
	for y := range 64 {
		for x := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 5), uint8(y * 4), uint8((x + y) * 2), 255})
		}
	}
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, png.Encode(f, img))
	require.NoError(t, f.Close())
}

// jpeg2000 makes a JP2 file and a J2K codestream with opj_compress.
func jpeg2000(t *testing.T) (jp2, j2k []byte) {
	t.Helper()
	compress := needTool(t, "opj_compress", "libopenjp2-tools")
	dir := t.TempDir()
	in := filepath.Join(dir, "face.png")
	testPNG(t, in)
	for _, ext := range []string{".jp2", ".j2k"} {
		out, err := exec.Command(compress, "-i", in, "-o", filepath.Join(dir, "face"+ext)).CombinedOutput()
		require.NoError(t, err, string(out))
	}
	jp2, err := os.ReadFile(filepath.Join(dir, "face.jp2"))
	require.NoError(t, err)
	j2k, err = os.ReadFile(filepath.Join(dir, "face.j2k"))
	require.NoError(t, err)
	require.Equal(t, bio.FormatJP2, bio.DetectImageFormat(jp2))
	require.Equal(t, bio.FormatJPEG2000, bio.DetectImageFormat(j2k))
	return jp2, j2k
}

func decodePNG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	require.NoError(t, err)
	return img
}

func TestConvertJPEG2000(t *testing.T) {
	jp2, j2k := jpeg2000(t)
	c := converter{tool: needTool(t, "opj_decompress", "libopenjp2-tools")}
	for name, in := range map[string][]byte{"jp2": jp2, "j2k": j2k} {
		p := c.toBrowser(context.Background(), in)
		require.Empty(t, p.Note, name)
		require.Equal(t, "image/png", p.MIME, name)
		require.Equal(t, image.Rect(0, 0, 48, 64), decodePNG(t, p.Data).Bounds(), name)
		require.Equal(t, [2]int{48, 64}, [2]int{p.Width, p.Height})
		// Lossless by default: the pixels come back.
		r, g, _, _ := decodePNG(t, p.Data).At(10, 20).RGBA()
		require.Equal(t, [2]uint32{50, 80}, [2]uint32{r >> 8, g >> 8}, name)
	}

	// A damaged codestream gives a placeholder that says why.
	bad := append([]byte{}, j2k[:40]...)
	p := c.toBrowser(context.Background(), bad)
	require.Contains(t, p.Note, "could not be converted")
	require.Equal(t, placeholderPNG, p.Data)

	// Without the tool, a placeholder that names the package.
	p = converter{}.toBrowser(context.Background(), jp2)
	require.Contains(t, p.Note, "libopenjp2-tools")
	require.Equal(t, "image/png", p.MIME)
	require.Equal(t, image.Rect(0, 0, 120, 160), decodePNG(t, p.Data).Bounds())

	// Formats a browser cannot show at all.
	p = converter{}.toBrowser(context.Background(), []byte{0xFF, 0xA0, 0xFF, 0xA8, 0, 0})
	require.Contains(t, p.Note, "WSQ")
	p = converter{}.toBrowser(context.Background(), nil)
	require.NotEmpty(t, p.Note)
}

// TestKioskJPEG2000 issues a card whose DG2 holds a JP2 photo: the page
// serves it as PNG, or as a placeholder with a note when the tool is missing.
func TestKioskJPEG2000(t *testing.T) {
	jp2, _ := jpeg2000(t)
	needTool(t, "opj_decompress", "libopenjp2-tools")
	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	doc.DG2, err = issuance.FaceGroup(jp2)
	require.NoError(t, err)
	card, trust, face := issued(t, doc)
	require.Equal(t, jp2, face)

	base := startKiosk(t, "--sim", card, "--trust", trust)
	resp, body := get(t, base+"/photo")
	require.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	require.Equal(t, image.Rect(0, 0, 48, 64), decodePNG(t, body).Bounds())
	_, page := get(t, base+"/")
	require.Contains(t, string(page), `id="verdict">ĐÃ XÁC THỰC`, "DG2 is JPEG 2000 and still hashes right")
	require.NotContains(t, string(page), "photo-note")

	base = startKiosk(t, "--sim", card, "--trust", trust, "--opj-decompress", "/nonexistent/opj_decompress")
	resp, body = get(t, base+"/photo")
	require.Equal(t, "image/png", resp.Header.Get("Content-Type"))
	require.Equal(t, placeholderPNG, body)
	_, page = get(t, base+"/")
	require.Contains(t, string(page), `id="photo-note"`)
	require.Contains(t, string(page), "libopenjp2-tools")
}

func TestHTTPGuards(t *testing.T) {
	card, trust, _ := issued(t, nil)
	base := startKiosk(t, "--sim", card, "--trust", trust)

	// Headers that keep personal data to the page.
	resp, _ := get(t, base+"/")
	require.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	require.Contains(t, resp.Header.Get("Content-Security-Policy"), "default-src 'none'")
	resp, _ = get(t, base+"/static/kiosk.js")
	require.Equal(t, http.StatusOK, resp.StatusCode)

	// A cross-site form post cannot press the button.
	req, err := http.NewRequest(http.MethodPost, base+"/read", nil)
	require.NoError(t, err)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err = client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)

	// A rebound DNS name does not reach the data.
	req, err = http.NewRequest(http.MethodGet, base+"/photo", nil)
	require.NoError(t, err)
	req.Host = "attacker.example:80"
	resp, err = client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	req.Host = "localhost"
	resp, err = client.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	// Only GET on the page.
	resp, err = client.Post(base+"/", "text/plain", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// TestWrongKey: a key that does not open the chip shows an error, not data.
func TestWrongKey(t *testing.T) {
	card, trust, _ := issued(t, nil)
	base := startKiosk(t, "--sim", card, "--trust", trust, "--mrz", "090012346,900101,350101")
	_, st := state(t, base)
	require.Equal(t, stateError, st)
	_, body := get(t, base+"/")
	require.Contains(t, string(body), "The card could not be read")
	require.NotContains(t, string(body), "Nguyễn")
	// The verdict and why: the chip refused the key (not a clone, not
	// incomplete).
	require.Contains(t, string(body), "<b>lenient</b> · not verified")
	require.Contains(t, string(body), `<li class="fatal"><b>access-refused</b>`)
	resp, _ := get(t, base+"/photo")
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestUsageAndErrors(t *testing.T) {
	card, trust, _ := issued(t, nil)
	runMain := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"--listen", "127.0.0.1:0"}, args...), &out, &errb)
		return code, errb.String()
	}
	for _, args := range [][]string{
		{},
		{"--sim", card, "--reader", "R"},
		{"--reader", "R"}, // a real card needs a key
		{"--sim", card, "--mrz", "1,2"},
		{"--sim", card, "--mrz", "090012345,900101,350101", "--can", "012345"},
		{"--sim", card, "extra"},
		{"--bogus"},
	} {
		code, stderr := runMain(args...)
		require.Equal(t, exitUsage, code, "%q: %s", args, stderr)
		require.Contains(t, stderr, "usage: kiosk", "%q", args)
	}
	code, _ := runMain("--help")
	require.Equal(t, exitOK, code)
	code, _ = runMain("--sim", filepath.Join(t.TempDir(), "none.card"))
	require.Equal(t, exitError, code)
	code, _ = runMain("--sim", card, "--trust", filepath.Join(t.TempDir(), "none"))
	require.Equal(t, exitError, code)
	code, stderr := runMain("--sim", card, "--trust", trust, "--listen", "256.0.0.1:1")
	require.Equal(t, exitError, code, stderr)

	// A reader that is not there: PC/SC not built, no pcscd, or no such
	// reader; never a wait for ever.
	code, stderr = runMain("--reader", "No Such Reader 00 00", "--can", "012345")
	require.Equal(t, exitError, code)
	if !pcsc.Built() {
		require.Contains(t, stderr, "-tags pcsc")
	}
}

func TestHolderCheck(t *testing.T) {
	ok := &pki.Result{DataGroups: []pki.DataGroupResult{{Number: 1, Status: pki.DGOK}, {Number: 13, Status: pki.DGMismatch}}}
	require.Equal(t, "failed", holderCheck(holder{}, ok).Status)
	require.Equal(t, "passed", holderCheck(holder{from: 1}, ok).Status)
	c := holderCheck(holder{from: 13}, ok)
	require.Equal(t, "failed", c.Status)
	require.Equal(t, "DG13 hash not verified", c.Error)
	require.Equal(t, "failed", holderCheck(holder{from: 1}, nil).Status, "no passive authentication")
}

// TestKioskReadsSameCardAgain presses the read button again and again: the
// one simulated card, left where it is, verifies every time.
func TestKioskReadsSameCardAgain(t *testing.T) {
	card, trust, _ := issued(t, nil)
	base := startKiosk(t, "--sim", card, "--trust", trust)
	for i := range 10 {
		seq, _ := state(t, base)
		resp, err := client.PostForm(base+"/read", url.Values{})
		require.NoError(t, err)
		resp.Body.Close()
		seq2, st := state(t, base)
		require.Greater(t, seq2, seq)
		require.Equal(t, stateDone, st, "read %d", i+2)
		_, body := get(t, base+"/")
		require.Contains(t, string(body), `id="verdict">ĐÃ XÁC THỰC`, "read %d", i+2)
	}
}

// headless returns headless Chromium's command with the flags every test
// here gives it (no sandbox, GPU, QUIC, first-run or background work, a
// fresh profile directory), then args.
func headless(ctx context.Context, t *testing.T, chromium string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, chromium, append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir()}, args...)...)
}
