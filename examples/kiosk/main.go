// Command kiosk is a card reading kiosk: it reads a Vietnamese CCCD (or any
// eMRTD) placed on a PC/SC reader, or a simulated card, verifies it, and shows
// the holder's name (with the diacritics of DG13), ID number, date of birth,
// photo (DG2) and every check on a local web page that refreshes itself after
// each read.
//
//	kiosk --sim CARD [--mrz DOC,YYMMDD,YYMMDD | --can NNNNNN] [--trust DIR|MASTERLIST] [--listen 127.0.0.1:8080]
//	kiosk --reader NAME (--mrz ... | --can ...) [--trust ...]      (built with -tags pcsc)
//
// With --sim the card is read once at start and again on the page's button
// (POST /read); without a key its MRZ is taken from the image's DG1, as a
// document scanner would read the printed zone. With --reader the kiosk waits
// for a card, reads it, shows it until it is taken away, and waits again.
//
// Browsers other than Safari do not show JPEG 2000, the format of many chips'
// photos, and Go has no JPEG 2000 decoder: the kiosk converts such photos to
// PNG with OpenJPEG's opj_decompress (Debian package libopenjp2-tools), and
// shows a placeholder with a note when the tool is missing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	readerName, simPath string
	mrz, can            string
	trust               string
	listen              string
	opj                 string // opj_decompress, "" when not found
	policy              policy.Policy
	terminal            string // --terminal DIR
}

// run is the whole program: it serves until ctx ends and returns the exit
// code. The first line on stdout is the page's address.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kiosk", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.readerName, "reader", "", "PC/SC reader to wait for cards on (needs -tags pcsc)")
	fs.StringVar(&c.simPath, "sim", "", "card image to read on the in-process simulator")
	fs.StringVar(&c.mrz, "mrz", "", "MRZ key: DOCUMENT_NUMBER,YYMMDD,YYMMDD (birth, expiry)")
	fs.StringVar(&c.can, "can", "", "card access number (PACE)")
	fs.StringVar(&c.trust, "trust", "", "CSCA trust: a directory of certificates and CRLs, or a master list file; without it nothing is verified")
	fs.StringVar(&c.listen, "listen", "127.0.0.1:8080", "address of the web page (keep it on the loopback: it shows personal data)")
	opj := fs.String("opj-decompress", "opj_decompress", "OpenJPEG's opj_decompress, to show JPEG 2000 photos")
	policyName := fs.String("policy", policy.Default.Name, "what verified means: "+strings.Join(policy.Names(), ", ")+" (bank: every data group hashed, chip authenticity proven, a current CRL)")
	fs.StringVar(&c.terminal, "terminal", "", "inspection system credentials for Terminal Authentication, to read fingerprints (DG3) and irises (DG4): the eac/ directory of 'cancuoc pki init'")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kiosk (--sim CARD | --reader NAME) [--mrz DOC,YYMMDD,YYMMDD | --can NNNNNN] [--trust DIR|MASTERLIST] [--policy NAME] [--listen ADDR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	pol, err := policy.ByName(*policyName)
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return exitUsage
	}
	c.policy = pol
	if p, err := exec.LookPath(*opj); err == nil {
		c.opj = p
	} else {
		fmt.Fprintf(stderr, "kiosk: %s not found: JPEG 2000 photos will show as a placeholder (Debian: apt-get install libopenjp2-tools)\n", *opj)
	}
	k, err := newKiosk(c, stderr)
	if errors.Is(err, errUsage) {
		fmt.Fprintln(stderr, "kiosk:", err)
		fs.Usage()
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return exitError
	}
	defer k.close()
	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		fmt.Fprintln(stderr, "kiosk:", err)
		return exitError
	}
	fmt.Fprintf(stdout, "kiosk: http://%s/\n", ln.Addr())

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	if k.pc != nil {
		wg.Go(func() { k.readerLoop(ctx) })
	} else {
		k.readSim(ctx)
	}
	srv := &http.Server{Handler: k.handler(ln.Addr()), ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	go func() {
		<-ctx.Done()
		sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
	}()
	err = srv.Serve(ln)
	cancel()
	wg.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "kiosk:", err)
		return exitError
	}
	return exitOK
}

// kiosk reads cards and keeps the latest result for the page.
type kiosk struct {
	cfg       config
	log       io.Writer
	trust     *pki.TrustStore
	trustDesc string
	img       *sim.Image    // --sim
	card      *sim.Card     // --sim: the one card, left on the "reader" for every read
	pc        *pcsc.Context // --reader
	// onReader is the reader holding the card just read, while it lies
	// there (--reader): the read button reads it again.
	onReader string
	key      reader.Key
	terminal *reader.Terminal // --terminal
	photos   converter

	readMu sync.Mutex // one read at a time

	mu  sync.Mutex
	cur *view
}

func newKiosk(c config, log io.Writer) (*kiosk, error) {
	if (c.simPath == "") == (c.readerName == "") {
		return nil, fmt.Errorf("%w: give --sim CARD or --reader NAME", errUsage)
	}
	k := &kiosk{cfg: c, log: log, photos: converter{tool: c.opj}}
	now := time.Now()
	if c.trust != "" {
		t, desc, err := pki.LoadTrust(c.trust, &pki.LoadConfig{Time: func() time.Time { return now }})
		if err != nil {
			return nil, err
		}
		k.trust, k.trustDesc = t, desc
	}
	if c.terminal != "" {
		t, err := reader.LoadTerminal(c.terminal)
		if err != nil {
			return nil, fmt.Errorf("--terminal: %w", err)
		}
		k.terminal = t
	}
	var files map[chip.File][]byte
	if c.simPath != "" {
		img, err := sim.Load(c.simPath)
		if err != nil {
			return nil, err
		}
		card, err := sim.New(img, nil)
		if err != nil {
			return nil, err
		}
		k.img, k.card, files = img, card, img.Files
	} else if c.mrz == "" && c.can == "" {
		return nil, fmt.Errorf("%w: a card on a reader needs --mrz or --can", errUsage)
	}
	key, err := reader.KeyFromFlags(c.mrz, c.can, files[chip.EFDG1])
	if _, ok := errors.AsType[*reader.KeyFlagsError](err); ok {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	if err != nil {
		return nil, err
	}
	k.key = key
	if c.readerName != "" {
		pc, err := pcsc.Establish()
		if err != nil {
			return nil, err
		}
		readers, err := pc.Readers()
		if err != nil {
			pc.Close()
			return nil, err
		}
		found := false
		for _, r := range readers {
			found = found || r.Name == c.readerName
		}
		if !found {
			pc.Close()
			return nil, fmt.Errorf("%w: %q (see 'cancuoc readers')", pcsc.ErrNoReader, c.readerName)
		}
		k.pc = pc
	}
	k.publish(&view{State: stateWaiting})
	return k, nil
}

func (k *kiosk) close() {
	if k.pc != nil {
		k.pc.Close()
	}
}

// options are the reader options of one read.
func (k *kiosk) options() *reader.Config {
	return &reader.Config{Trust: k.trust, Policy: k.cfg.policy, Terminal: k.terminal}
}

// readSim reads the simulated card, as a button press on the page asks:
// always the same card, left where it is, as a card on a kiosk's reader.
func (k *kiosk) readSim(ctx context.Context) {
	k.readMu.Lock()
	defer k.readMu.Unlock()
	opts := k.options()
	if k.terminal == nil {
		// Ask for every data group of the image, DG3 and DG4 too: the
		// page then says they stay closed without Terminal
		// Authentication.
		for f := range k.img.Files {
			if f.DataGroup() > 0 {
				opts.Files = append(opts.Files, f)
			}
		}
		slices.Sort(opts.Files)
	}
	k.read(ctx, k.card, opts)
}

// readAgain reads the card lying on the reader again, as the read button
// asks; false when no card lies there.
func (k *kiosk) readAgain(ctx context.Context) bool {
	k.mu.Lock()
	name := k.onReader
	k.mu.Unlock()
	if name == "" {
		return false
	}
	// A context of its own: PC/SC serializes the calls on one context,
	// and the reader loop's is waiting for the card to go.
	pc, err := pcsc.Establish()
	if err != nil {
		k.publish(&view{State: stateError, Message: err.Error()})
		return true
	}
	defer pc.Close()
	k.readCardWith(ctx, pc, name)
	return true
}

func (k *kiosk) setOnReader(name string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.onReader = name
}

// readerLoop waits for a card, reads it, shows it until it is removed, and
// starts again, until ctx ends.
func (k *kiosk) readerLoop(ctx context.Context) {
	last := ""
	for ctx.Err() == nil {
		// A failed read stays on the page, as a note, until the next card.
		k.publish(&view{State: stateWaiting, Message: last})
		name, err := k.pc.WaitForCard(ctx, k.cfg.readerName)
		if err != nil {
			if ctx.Err() == nil {
				k.publish(&view{State: stateError, Message: err.Error()})
				sleep(ctx, 2*time.Second)
			}
			continue
		}
		last = ""
		k.setOnReader(name)
		if v := k.readCard(ctx, name); v.State == stateError {
			last = v.Message
		}
		// Keep the result on the page while the card lies on the reader
		// (the read button reads it again).
		if err := k.pc.WaitForRemoval(ctx, name); err != nil && ctx.Err() == nil {
			sleep(ctx, 2*time.Second)
		}
		k.setOnReader("")
	}
}

// readCard reads the card on the reader name and returns what it published.
func (k *kiosk) readCard(ctx context.Context, name string) *view {
	return k.readCardWith(ctx, k.pc, name)
}

// readCardWith is readCard through the PC/SC context pc.
func (k *kiosk) readCardWith(ctx context.Context, pc *pcsc.Context, name string) *view {
	k.readMu.Lock()
	defer k.readMu.Unlock()
	k.publish(&view{State: stateReading})
	card, err := pc.Connect(name)
	if err != nil {
		v := &view{State: stateError, Message: err.Error()}
		k.publish(v)
		return v
	}
	defer card.Close()
	opts := k.options()
	opts.Extended = reader.ExtendedFromATR(card.ATR())
	return k.read(ctx, apdu.NewTransmitter(card), opts)
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// read reads and verifies the card behind t, publishes the result and
// returns it.
func (k *kiosk) read(ctx context.Context, t apdu.Transmitter, config *reader.Config) *view {
	res, err := reader.Read(ctx, t, k.key, config)
	if err != nil {
		fmt.Fprintf(k.log, "kiosk: read failed: %v\n", err)
		v := &view{State: stateError, Message: err.Error()}
		if res != nil {
			// The verdict of a read that stopped: incomplete (read
			// again) or not verified (a clone, a refused key).
			v.decided(res.Decision())
		}
		k.publish(v)
		return v
	}
	v := &view{State: stateDone, Access: res.Access.String(), Trust: k.trustDesc, At: time.Now()}
	for _, c := range res.Checks {
		v.Checks = append(v.Checks, checkOf(string(c.Name), c.Status.String(), c.Err))
	}
	if pa := res.PassiveAuth; pa != nil {
		for _, c := range pa.Checks {
			v.PassiveAuth = append(v.PassiveAuth, checkOf(string(c.Name), paStatus(c.Status), c.Err))
		}
		for _, d := range pa.DataGroups {
			v.DataGroups = append(v.DataGroups, fmt.Sprintf("DG%d %s", d.Number, d.Status))
		}
	}
	if doc := res.Document; doc != nil {
		v.Holder = holderOf(doc)
		if img, _, ok := doc.FaceImage(); ok {
			v.Photo = k.photos.toBrowser(ctx, img)
		}
	}
	for _, f := range res.Findings {
		class := "encoding"
		switch {
		case f.Known != nil:
			class = "known"
		case f.Rule.Security:
			class = "security"
		}
		v.Findings = append(v.Findings, finding{Rule: f.Rule.ID, Source: f.Rule.Source, Object: f.Object, Detail: f.Detail, Class: class})
	}
	v.Biometrics = biometricsOf(res, k.terminal != nil)
	hc := holderCheck(v.Holder, res.PassiveAuth)
	v.Checks = append(v.Checks, hc)
	d := res.Decision()
	if hc.Status != "passed" && d.Verdict == policy.Verified {
		// The fields shown come from a data group that was not
		// verified: the page must not call them verified.
		d.Verdict = policy.NotVerified
		d.Reasons = append([]policy.Reason{{Code: policy.CodeCheckFailed, Severity: policy.Fatal, Subject: checkHolder, Detail: hc.Error}}, d.Reasons...)
	}
	v.decided(d)
	fmt.Fprintf(k.log, "kiosk: read %s: %s under policy %s, %d APDUs, %s\n", res.Access, strings.ToUpper(v.Verdict), v.Policy, res.APDUs, res.Duration.Round(time.Millisecond))
	k.publish(v)
	return v
}

// decided records the policy's decision on the view.
func (v *view) decided(d policy.Decision) {
	v.Verified = d.Verdict == policy.Verified
	v.Verdict, v.Policy = d.Verdict.String(), d.Policy.Name
	v.Reasons = nil
	for _, r := range d.Reasons {
		v.Reasons = append(v.Reasons, reasonView{Severity: r.Severity.String(), Code: string(r.Code), Subject: r.Subject, Detail: r.Detail})
	}
}

// publish makes v the page's state, with the next sequence number.
func (k *kiosk) publish(v *view) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.cur != nil {
		v.Seq = k.cur.Seq + 1
	} else {
		v.Seq = 1
	}
	v.CanRead = k.img != nil || k.onReader != "" && v.State != stateReading
	k.cur = v
}

func (k *kiosk) current() *view {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.cur
}

// holderOf takes the holder's data from DG13 on a CCCD (with diacritics),
// else from the MRZ.
func holderOf(doc *chip.Document) holder {
	if c, ok := doc.Citizen(); ok {
		return holder{
			from: 13, FullName: c.FullName, IDNumber: c.PersonalNumber, DateOfBirth: c.DateOfBirth.Raw,
			Sex: c.Sex, PlaceOfResidence: c.PlaceOfResidence, DateOfExpiry: c.DateOfExpiry.Raw,
		}
	}
	if doc.DG1 == nil {
		return holder{}
	}
	h := holder{from: 1, FullName: doc.FullName(), IDNumber: doc.DocumentNumber()}
	if n := doc.PersonalNumber(); n != "" {
		h.IDNumber = n
	}
	if doc.DG1 != nil && doc.DG1.MRZ != nil {
		h.Sex = string(doc.DG1.MRZ.Fields.Sex)
	}
	if d := doc.DateOfBirth(time.Now()); d != nil {
		h.DateOfBirth = d.String()
	}
	if d := doc.DateOfExpiry(time.Now()); d != nil {
		h.DateOfExpiry = d.String()
	}
	return h
}

// checkHolder is the kiosk's own check: the data group the holder's fields
// come from (DG13, else DG1) was read and its hash matches EF.SOD. Passive
// authentication alone passes on an authentic EF.SOD whose data groups were
// not read.
const checkHolder = "holder data"

func holderCheck(h holder, pa *pki.Result) checkView {
	c := checkView{Name: checkHolder, Status: "failed"}
	if h.from == 0 {
		c.Error = "neither DG13 nor DG1 was read"
		return c
	}
	if pa != nil {
		for _, d := range pa.DataGroups {
			if d.Number == h.from && d.Status == pki.DGOK {
				c.Status = "passed"
				return c
			}
		}
	}
	c.Error = fmt.Sprintf("DG%d hash not verified", h.from)
	return c
}

// paStatus names the status of a passive authentication check as the page
// always has: one that could not run is "not checked".
func paStatus(st check.Status) string {
	if st == check.NotRun {
		return "not checked"
	}
	return st.String()
}

func checkOf(name, st string, err error) checkView {
	c := checkView{Name: name, Status: strings.ToLower(st)}
	if err != nil {
		c.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
	}
	return c
}
