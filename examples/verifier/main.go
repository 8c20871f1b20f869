// Command verifier is a bank's or a hospital's back office check of a
// Vietnamese CCCD (or any eMRTD): it verifies the chip's data against a CSCA
// trust store (passive authentication, and whatever checks package reader adds)
// and prints a verdict with the fields a form needs, from DG13: full name, ID
// number, date of birth, sex and place of residence.
//
// The data comes from files read earlier ("cancuoc read --out DIR" writes
// DG1.bin, DG2.bin, DG13.bin, EF.SOD.bin...), from a simulated card, or from a
// card on a PC/SC reader:
//
//	verifier --trust TRUST DIR
//	verifier --trust TRUST --sim CARD [--mrz DOC,YYMMDD,YYMMDD | --can NNNNNN]
//	verifier --trust TRUST --reader NAME (--mrz ... | --can ...)   (built with -tags pcsc)
//
// TRUST is a directory of CSCA certificates and CRLs, or a CSCA master list.
// Exit code 0: verified; 1: not verified (or the card could not be read); 2:
// bad usage.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

const (
	exitVerified    = 0
	exitNotVerified = 1
	exitUsage       = 2
)

var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	dir, simPath, readerName string
	mrz, can                 string
	trust                    string
	json                     bool
	selfContainedML          bool
	policy                   policy.Policy
}

// run is the whole program; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verifier", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.dir, "dir", "", "directory of files read earlier (NAME.bin, as 'cancuoc read --out' writes); or give it as the argument")
	fs.StringVar(&c.simPath, "sim", "", "card image to read on the in-process simulator")
	fs.StringVar(&c.readerName, "reader", "", "PC/SC reader to read the card from (needs -tags pcsc)")
	fs.StringVar(&c.mrz, "mrz", "", "MRZ key of a live card: DOCUMENT_NUMBER,YYMMDD,YYMMDD (birth, expiry)")
	fs.StringVar(&c.can, "can", "", "card access number of a live card (PACE)")
	fs.StringVar(&c.trust, "trust", "", "CSCA trust: a directory of certificates and CRLs, or a file of certificates (required)")
	fs.BoolVar(&c.selfContainedML, "self-contained-master-list", false, "accept a master list file as --trust although only the CSCAs it contains vouch for it")
	fs.BoolVar(&c.json, "json", false, "print the verdict as JSON")
	policyName := fs.String("policy", policy.Default.Name, "what verified means: "+strings.Join(policy.Names(), ", ")+" (bank: every data group hashed, chip authenticity proven, a current CRL)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: verifier --trust DIR|FILE [--self-contained-master-list] [--policy NAME] [--json] (DIR | --sim CARD | --reader NAME) [--mrz DOC,YYMMDD,YYMMDD | --can NNNNNN]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitVerified
		}
		return exitUsage
	}
	pol, err := policy.ByName(*policyName)
	if err != nil {
		fmt.Fprintln(stderr, "verifier:", err)
		return exitUsage
	}
	c.policy = pol
	if fs.NArg() == 1 && c.dir == "" {
		c.dir = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	v, err := verify(ctx, c, time.Now())
	if errors.Is(err, errUsage) {
		fmt.Fprintln(stderr, "verifier:", err)
		fs.Usage()
		return exitUsage
	}
	if err != nil {
		fmt.Fprintln(stderr, "verifier:", err)
		return exitNotVerified
	}
	if c.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			fmt.Fprintln(stderr, "verifier:", err)
			return exitNotVerified
		}
	} else {
		v.print(stdout)
	}
	if !v.Verified {
		return exitNotVerified
	}
	return exitVerified
}

// Verdict is what the verifier prints.
type Verdict struct {
	// Verified is Verdict == "verified": the verdict of the policy named
	// by Policy, with its Reasons (fatal ones first).
	Verified bool            `json:"verified"`
	Verdict  policy.Verdict  `json:"verdict"`
	Policy   string          `json:"policy"`
	Reasons  []policy.Reason `json:"reasons"`
	Source   string          `json:"source"`
	Trust    string          `json:"trust"`
	Access   string          `json:"access,omitempty"`
	// Holder is what a form needs. It is filled even when not verified:
	// the verdict says whether it may be used.
	Holder Holder `json:"holder"`
	// Checks are the steps of the read (access control, reading, parsing,
	// passive authentication and, as package reader adds them, chip and
	// active authentication); PassiveAuth the detail of passive
	// authentication, DataGroups the hash of each data group.
	Checks      []Check     `json:"checks"`
	PassiveAuth []Check     `json:"passive_authentication,omitempty"`
	DataGroups  []DataGroup `json:"data_groups,omitempty"`
	// Findings are the ICAO Doc 9303 conformance findings (package
	// conform): each names the rule it breaks, its source, and whether it
	// bears on security. Never null.
	Findings []conform.Finding `json:"findings"`
}

// Holder holds the fields of a form, from DG13 (with diacritics) on a CCCD,
// from the MRZ (DG1) on other documents.
type Holder struct {
	From             string `json:"from,omitempty"` // "DG13" or "DG1"
	FullName         string `json:"full_name,omitempty"`
	IDNumber         string `json:"id_number,omitempty"`
	DateOfBirth      string `json:"date_of_birth,omitempty"`
	Sex              string `json:"sex,omitempty"`
	PlaceOfResidence string `json:"place_of_residence,omitempty"`
}

// Check is one check's outcome.
type Check struct {
	Name   check.Name `json:"name"`
	Status string     `json:"status"` // "passed", "failed" or "not run"
	Error  string     `json:"error,omitempty"`
}

// DataGroup is the outcome of one data group's hash.
type DataGroup struct {
	Number int    `json:"data_group"`
	Status string `json:"status"` // "OK", "MISMATCH", "NOT IN SOD", "not read"
}

// verify gets the document from where c says and verifies it.
func verify(ctx context.Context, c config, now time.Time) (*Verdict, error) {
	sources := 0
	for _, s := range []string{c.dir, c.simPath, c.readerName} {
		if s != "" {
			sources++
		}
	}
	if sources != 1 {
		return nil, fmt.Errorf("%w: give one of DIR, --sim or --reader", errUsage)
	}
	if c.trust == "" {
		return nil, fmt.Errorf("%w: --trust is required", errUsage)
	}
	if c.dir != "" && (c.mrz != "" || c.can != "") {
		return nil, fmt.Errorf("%w: --mrz and --can are for a live card", errUsage)
	}
	trust, trustDesc, err := pki.LoadTrust(c.trust, &pki.LoadConfig{Time: func() time.Time { return now }, AllowSelfContainedMasterList: c.selfContainedML})
	if err != nil {
		return nil, err
	}
	if c.dir != "" {
		v, err := verifyFiles(c.dir, trust, now, c.policy)
		if v != nil {
			v.Trust = trustDesc
		}
		return v, err
	}
	var t apdu.Transmitter
	var files map[chip.File][]byte // the image's files, for a key from DG1
	opts := &reader.Config{Trust: trust, Time: func() time.Time { return now }, Policy: c.policy}
	source := ""
	if c.simPath != "" {
		img, err := sim.Load(c.simPath)
		if err != nil {
			return nil, err
		}
		card, err := sim.New(img, nil)
		if err != nil {
			return nil, err
		}
		t, files, source = card, img.Files, "simulated card "+c.simPath
	} else {
		if c.mrz == "" && c.can == "" {
			return nil, fmt.Errorf("%w: a card on a reader needs --mrz or --can", errUsage)
		}
		pc, err := pcsc.Establish()
		if err != nil {
			return nil, err
		}
		defer pc.Close()
		card, err := pc.Connect(c.readerName)
		if err != nil {
			return nil, err
		}
		defer card.Close()
		t, source = apdu.NewTransmitter(card), "card on reader "+card.Reader()
		opts.Extended = reader.ExtendedFromATR(card.ATR())
	}
	key, err := reader.KeyFromFlags(c.mrz, c.can, files[chip.EFDG1])
	if _, ok := errors.AsType[*reader.KeyFlagsError](err); ok {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	if err != nil {
		return nil, err
	}
	res, err := reader.Read(ctx, t, key, opts)
	if err != nil {
		return nil, err
	}
	v := &Verdict{Source: source, Trust: trustDesc, Access: res.Access.String(), Findings: append([]conform.Finding{}, res.Findings...)}
	for _, ch := range res.Checks {
		v.Checks = append(v.Checks, checkOf(ch.Name, ch.Status.String(), ch.Err))
	}
	v.fill(res.Document, res.PassiveAuth)
	hc := v.holderCheck(res.PassiveAuth)
	v.Checks = append(v.Checks, hc)
	v.decide(res.Decision(), hc)
	return v, nil
}

// decide records the policy's decision; a holder check that failed makes
// it not verified (the form's fields would come from unverified data).
func (v *Verdict) decide(d policy.Decision, hc Check) {
	if hc.Status != "passed" && d.Verdict == policy.Verified {
		d.Verdict = policy.NotVerified
		d.Reasons = append([]policy.Reason{{Code: policy.CodeCheckFailed, Severity: policy.Fatal, Subject: string(CheckHolder), Detail: hc.Error}}, d.Reasons...)
	}
	v.Verified, v.Verdict, v.Policy, v.Reasons = d.Verdict == policy.Verified, d.Verdict, d.Policy.Name, d.Reasons
}

// verifyFiles runs passive authentication on the files of dir.
func verifyFiles(dir string, trust *pki.TrustStore, now time.Time, pol policy.Policy) (*Verdict, error) {
	files := map[chip.File][]byte{}
	for _, f := range chip.Files() {
		b, err := readLimited(filepath.Join(dir, f.String()+".bin"), f.MaxSize())
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[f] = b
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no files read from a chip (NAME.bin, such as %s.bin)", dir, chip.EFSOD)
	}
	return verifyMap(files, "files in "+dir, trust, now, pol), nil
}

// verifyMap runs passive authentication on files read from a chip.
// Files prove nothing about a chip: under a policy that requires chip
// authenticity they are not verified.
func verifyMap(files map[chip.File][]byte, source string, trust *pki.TrustStore, now time.Time, pol policy.Policy) *Verdict {
	v := &Verdict{Source: source}
	doc, perr := chip.ParseDocument(files)
	v.Checks = append(v.Checks, checkOf(reader.CheckParse, status(perr), perr))
	res := reader.VerifyFiles(files, doc, &reader.Config{Trust: trust, Time: func() time.Time { return now }})
	pa := res.PassiveAuth
	v.Checks = append(v.Checks, checkOf(reader.CheckPassiveAuth, status(pa.Err()), pa.Err()))
	v.fill(doc, pa)
	hc := v.holderCheck(pa)
	v.Checks = append(v.Checks, hc)
	// The Doc 9303 profile checks of the files (package conform), with
	// the Document Signer's country against DG1 (res.Findings).
	res.Findings = append(res.Findings, conform.Check(conform.Document{Files: files})...)
	v.Findings = append([]conform.Finding{}, res.Findings...)
	v.decide(pol.Decide(reader.FilesFacts(files, doc, res, perr)), hc)
	return v
}

// CheckHolder is the verifier's own check: the data group the holder's
// fields come from was read and its hash matches EF.SOD. Passive
// authentication alone passes on an authentic EF.SOD with no data group beside
// it, and a form needs the fields themselves to be protected.
const CheckHolder check.Name = "holder data"

func (v *Verdict) holderCheck(pa *pki.Result) Check {
	c := Check{Name: CheckHolder, Status: "failed"}
	if v.Holder.From == "" {
		c.Error = "neither DG13 nor DG1 was read"
		return c
	}
	n := 13
	if v.Holder.From == "DG1" {
		n = 1
	}
	if pa != nil {
		for _, d := range pa.DataGroups {
			if d.Number == n && d.Status == pki.DGOK {
				c.Status = "passed"
				return c
			}
		}
	}
	c.Error = v.Holder.From + " hash not verified"
	return c
}

// readLimited reads a file of at most limit bytes: a file read from a chip
// cannot be larger.
func readLimited(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s: larger than the %d bytes the file may have", path, limit)
	}
	return b, nil
}

// fill adds the holder's fields and the detail of passive authentication.
func (v *Verdict) fill(doc *chip.Document, pa *pki.Result) {
	if doc != nil {
		v.Holder = holderOf(doc)
	}
	if pa == nil {
		return
	}
	for _, ch := range pa.Checks {
		v.PassiveAuth = append(v.PassiveAuth, checkOf(ch.Name, paStatus(ch.Status), ch.Err))
	}
	for _, d := range pa.DataGroups {
		v.DataGroups = append(v.DataGroups, DataGroup{Number: d.Number, Status: d.Status.String()})
	}
}

func holderOf(doc *chip.Document) Holder {
	if c, ok := doc.Citizen(); ok {
		return Holder{
			From: "DG13", FullName: c.FullName, IDNumber: c.PersonalNumber,
			DateOfBirth: c.DateOfBirth.Raw, Sex: c.Sex, PlaceOfResidence: c.PlaceOfResidence,
		}
	}
	if doc.DG1 == nil || doc.DG1.MRZ == nil {
		return Holder{}
	}
	h := Holder{From: "DG1", FullName: doc.FullName(), IDNumber: doc.DocumentNumber(), Sex: string(doc.DG1.MRZ.Fields.Sex)}
	if n := doc.PersonalNumber(); n != "" {
		h.IDNumber = n
	}
	if d := doc.DateOfBirth(time.Now()); d != nil {
		h.DateOfBirth = d.String()
	}
	return h
}

// paStatus names the status of a passive authentication check as the page
// always has: one that could not run is "not checked".
func paStatus(st check.Status) string {
	if st == check.NotRun {
		return "not checked"
	}
	return st.String()
}

func checkOf(name check.Name, st string, err error) Check {
	c := Check{Name: name, Status: strings.ToLower(st)}
	if err != nil {
		c.Error = strings.ReplaceAll(err.Error(), "\n", "; ")
	}
	return c
}

func status(err error) string {
	if err != nil {
		return "failed"
	}
	return "passed"
}

// print writes the verdict for a person.
func (v *Verdict) print(w io.Writer) {
	fmt.Fprintf(w, "Verdict: %s (policy %s)\n", strings.ToUpper(v.Verdict.String()), v.Policy)
	policy.WriteReasons(w, v.Reasons)
	fmt.Fprintf(w, "Source:  %s\nTrust:   %s\n", v.Source, v.Trust)
	h := v.Holder
	switch {
	case h.From == "":
		fmt.Fprintln(w, "Holder: no DG13 or DG1 could be read")
	case v.Verified:
		fmt.Fprintf(w, "Holder (from %s, verified)\n", h.From)
	default:
		fmt.Fprintf(w, "Holder (from %s, NOT VERIFIED: do not copy into a form)\n", h.From)
	}
	for _, kv := range [][2]string{
		{"Full name", h.FullName}, {"ID number", h.IDNumber}, {"Date of birth", h.DateOfBirth},
		{"Sex", h.Sex}, {"Place of residence", h.PlaceOfResidence},
	} {
		if kv[1] != "" {
			fmt.Fprintf(w, "  %-20s %s\n", kv[0]+":", kv[1])
		}
	}
	fmt.Fprintln(w, "Checks")
	for _, c := range v.Checks {
		printCheck(w, "  ", c)
	}
	if len(v.PassiveAuth) > 0 {
		fmt.Fprintln(w, "Passive authentication")
		for _, c := range v.PassiveAuth {
			printCheck(w, "  ", c)
		}
		for _, d := range v.DataGroups {
			fmt.Fprintf(w, "    DG%-2d hash %s\n", d.Number, d.Status)
		}
	}
	if len(v.Findings) == 0 {
		fmt.Fprintln(w, "Conformance: no finding (ICAO Doc 9303 profiles)")
		return
	}
	fmt.Fprintln(w, "Conformance")
	for _, f := range v.Findings {
		mark := "encoding"
		switch {
		case f.Known != nil:
			mark = "known deviation of " + f.Known.Issuer
		case f.Rule.Security:
			mark = "SECURITY"
		}
		fmt.Fprintf(w, "  [%s] %s (%s): %s: %s\n", mark, f.Rule.ID, f.Rule.Source, f.Object, f.Detail)
	}
}

func printCheck(w io.Writer, indent string, c Check) {
	line := fmt.Sprintf("%s%-22s %s", indent, c.Name, c.Status)
	if c.Error != "" {
		line += ": " + c.Error
	}
	fmt.Fprintln(w, line)
}
