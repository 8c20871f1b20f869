package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// report is what read, demo and verify print, as text or JSON.
type report struct {
	// Verified is Verdict == "verified"; Verdict is the policy's verdict
	// ("verified", "not verified", "incomplete") and Reasons why, fatal
	// ones first.
	Verified   bool            `json:"verified"`
	Verdict    policy.Verdict  `json:"verdict"`
	Policy     string          `json:"policy"`
	Reasons    []policy.Reason `json:"reasons"`
	Access     string          `json:"access,omitempty"`
	Holder     holderView      `json:"holder"`
	Checks     []checkView     `json:"checks"`
	DataGroups []dgView        `json:"data_groups,omitempty"`
	Files      map[string]int  `json:"files"`
	APDUs      int             `json:"apdus,omitempty"`
	Bytes      int             `json:"bytes,omitempty"`
	Millis     float64         `json:"ms,omitempty"`
	// Biometrics lists the fingerprint and iris images read (DG3, DG4),
	// Closed the files the read wanted and did not get, with why.
	Biometrics []bioView    `json:"biometrics,omitempty"`
	Closed     []closedView `json:"closed,omitempty"`
	// Findings are the Doc 9303 conformance findings (package conform),
	// each with its rule, source and whether a deviation list publishes it.
	Findings []conform.Finding `json:"findings"`
}

type holderView struct {
	FullName         string `json:"full_name,omitempty"`
	DocumentNumber   string `json:"document_number,omitempty"`
	PersonalNumber   string `json:"personal_number,omitempty"`
	DateOfBirth      string `json:"date_of_birth,omitempty"`
	Sex              string `json:"sex,omitempty"`
	Nationality      string `json:"nationality,omitempty"`
	DateOfExpiry     string `json:"date_of_expiry,omitempty"`
	PlaceOfOrigin    string `json:"place_of_origin,omitempty"`
	PlaceOfResidence string `json:"place_of_residence,omitempty"`
	FaceImage        string `json:"face_image,omitempty"`   // format and size
	Fingerprints     int    `json:"fingerprints,omitempty"` // DG3 templates read
	Irises           int    `json:"irises,omitempty"`       // DG4 templates read
}

type checkView struct {
	Name   check.Name   `json:"name"`
	Status check.Status `json:"status"`
	Error  string       `json:"error,omitempty"`
}

type dgView struct {
	DataGroup int    `json:"data_group"`
	Status    string `json:"status"`
}

// newReport builds the report of a read.
func newReport(res *reader.Result) *report {
	r := &report{
		Access: res.Access.String(), APDUs: res.APDUs, Bytes: res.Bytes,
		Millis: float64(res.Duration.Microseconds()) / 1000,
	}
	r.decided(res.Decision(), res.Findings)
	for _, c := range res.Checks {
		r.Checks = append(r.Checks, checkOf(c.Name, c.Status, c.Err))
	}
	r.fill(res.Document, res.PassiveAuth)
	r.Closed = closedOf(res)
	r.Findings = append([]conform.Finding{}, res.Findings...)
	return r
}

// decided records the policy's decision.
func (r *report) decided(d policy.Decision, findings []conform.Finding) {
	r.Verified, r.Verdict, r.Policy, r.Reasons = d.Verified(), d.Verdict, d.Policy.Name, d.Reasons
	r.Findings = append([]conform.Finding{}, findings...)
}

func checkOf(name check.Name, status check.Status, err error) checkView {
	c := checkView{Name: name, Status: status}
	if err != nil {
		c.Error = err.Error()
	}
	return c
}

// fill adds what the document and passive authentication say.
func (r *report) fill(doc *chip.Document, pa *pki.Result) {
	r.Files = map[string]int{}
	if doc != nil {
		for f, b := range doc.Files() {
			r.Files[f.String()] = len(b)
		}
		r.Holder = holderOf(doc)
		r.Biometrics = biometricsOf(doc)
	}
	if pa != nil {
		for _, d := range pa.DataGroups {
			r.DataGroups = append(r.DataGroups, dgView{DataGroup: d.Number, Status: d.Status.String()})
		}
	}
}

// holderOf takes the holder's data from DG13 on a CCCD (with diacritics),
// else from DG1.
func holderOf(doc *chip.Document) holderView {
	h := holderView{FullName: doc.FullName(), DocumentNumber: doc.DocumentNumber(), PersonalNumber: doc.PersonalNumber()}
	if doc.DG1 != nil && doc.DG1.MRZ != nil {
		m := doc.DG1.MRZ
		h.Sex = string(m.Fields.Sex)
		h.Nationality = m.Fields.Nationality
	}
	if d := doc.DateOfBirth(time.Now()); d != nil {
		h.DateOfBirth = d.String()
	}
	if d := doc.DateOfExpiry(time.Now()); d != nil {
		h.DateOfExpiry = d.String()
	}
	if c, ok := doc.Citizen(); ok {
		h.FullName = c.FullName
		h.PersonalNumber = c.PersonalNumber
		h.DateOfBirth = c.DateOfBirth.Raw
		h.Sex = c.Sex
		h.Nationality = c.Nationality
		h.DateOfExpiry = c.DateOfExpiry.Raw
		h.PlaceOfOrigin = c.PlaceOfOrigin
		h.PlaceOfResidence = c.PlaceOfResidence
	}
	if img, f, ok := doc.FaceImage(); ok {
		h.FaceImage = fmt.Sprintf("%s, %d bytes", f, len(img))
	}
	if doc.DG3 != nil && doc.DG3.Group != nil {
		h.Fingerprints = len(doc.DG3.Group.Templates)
	}
	if doc.DG4 != nil && doc.DG4.Group != nil {
		h.Irises = len(doc.DG4.Group.Templates)
	}
	return h
}

// errorView is what --json prints on stdout when a command stops before it
// has a report: no verdict but "not verified", and why.
type errorView struct {
	Verified bool   `json:"verified"`
	Error    string `json:"error"`
	// Verdict, Policy and Reasons are set when a read got far enough to
	// be decided (an incomplete read, a refused access).
	Verdict policy.Verdict  `json:"verdict,omitempty"`
	Policy  string          `json:"policy,omitempty"`
	Reasons []policy.Reason `json:"reasons,omitempty"`
}

// printJSONErrorDecided prints err as an errorView, with the decision of
// a read that stopped (nil: none), and returns err, for the caller to
// report on stderr and exit with its code.
func printJSONErrorDecided(w io.Writer, err error, d *policy.Decision) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	v := errorView{Error: err.Error()}
	if d != nil {
		v.Verdict, v.Policy, v.Reasons = d.Verdict, d.Policy.Name, d.Reasons
	}
	if werr := enc.Encode(v); werr != nil {
		return errors.Join(err, werr)
	}
	return err
}

// print writes the report as text or JSON.
func (r *report) print(w io.Writer, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	h := r.Holder
	fmt.Fprintln(w, "Holder")
	for _, kv := range [][2]string{
		{"Full name", h.FullName}, {"Personal number", h.PersonalNumber}, {"Document number", h.DocumentNumber},
		{"Date of birth", h.DateOfBirth}, {"Sex", h.Sex}, {"Nationality", h.Nationality},
		{"Date of expiry", h.DateOfExpiry}, {"Place of origin", h.PlaceOfOrigin},
		{"Place of residence", h.PlaceOfResidence}, {"Face image", h.FaceImage},
		{"Fingerprints", count(h.Fingerprints, "DG3")}, {"Irises", count(h.Irises, "DG4")},
	} {
		if kv[1] != "" {
			fmt.Fprintf(w, "  %-19s %s\n", kv[0]+":", kv[1])
		}
	}
	printBiometrics(w, r.Biometrics, r.Closed)
	fmt.Fprintln(w, "Checks")
	for _, c := range r.Checks {
		line := fmt.Sprintf("  %-24s %s", c.Name, c.Status)
		if c.Error != "" {
			line += ": " + strings.ReplaceAll(c.Error, "\n", "; ")
		}
		fmt.Fprintln(w, line)
	}
	for _, d := range r.DataGroups {
		fmt.Fprintf(w, "    DG%-2d hash %s\n", d.DataGroup, d.Status)
	}
	names := make([]string, 0, len(r.Files))
	for n := range r.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d B", n, r.Files[n]))
	}
	fmt.Fprintf(w, "Files: %s\n", strings.Join(parts, ", "))
	if r.APDUs > 0 {
		fmt.Fprintf(w, "Wire: %s, %d APDUs, %d bytes, %.1f ms\n", r.Access, r.APDUs, r.Bytes, r.Millis)
	}
	printFindings(w, r.Findings)
	printVerdict(w, r.Verdict, r.Policy, r.Reasons)
	return nil
}

// printFindings lists the conformance findings: rule, source, object and
// what was found; security rules and known deviations are marked.
func printFindings(w io.Writer, fs []conform.Finding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "Conformance: no finding (ICAO Doc 9303 profiles)")
		return
	}
	fmt.Fprintf(w, "Conformance: %d finding(s)\n", len(fs))
	for _, f := range fs {
		mark := "encoding"
		if f.Rule.Security {
			mark = "SECURITY"
		}
		if f.Known != nil {
			mark = "known deviation of " + f.Known.Issuer
		}
		fmt.Fprintf(w, "  [%s] %s (%s): %s: %s\n", mark, f.Rule.ID, f.Rule.Source, f.Object, f.Detail)
	}
}

// printVerdict prints the verdict under its policy and the reasons.
func printVerdict(w io.Writer, v policy.Verdict, pol string, reasons []policy.Reason) {
	verdict := strings.ToUpper(v.String())
	if v == 0 {
		verdict = "NOT VERIFIED"
	}
	fmt.Fprintf(w, "Verdict: %s (policy %s)\n", verdict, pol)
	policy.WriteReasons(w, reasons)
}

// count describes n biometric templates of a data group ("" for none).
func count(n int, dg string) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d (%s, after Terminal Authentication)", n, dg)
}
