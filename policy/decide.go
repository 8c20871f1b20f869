package policy

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// Outcome is what happened to one step of a read, as the policy sees it.
// The zero value is NotRun: nothing known never counts as passed.
type Outcome int

const (
	// NotRun: the step was possible but did not run (not asked for, no
	// trust store, a card that takes short APDUs only for AA...).
	NotRun Outcome = iota
	// NotOffered: the document does not offer it (no DG15 for Active
	// Authentication, no Chip Authentication key in DG14...).
	NotOffered
	// Passed: it ran and proved what it proves.
	Passed
	// Failed: it ran and failed conclusively (a signature, MAC or hash
	// that does not verify; a clone).
	Failed
	// Interrupted: it started and a transport error, a torn card or a
	// dead session ended it before it could decide.
	Interrupted
)

var outcomeNames = [...]string{"not run", "not offered", "passed", "failed", "interrupted"}

func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

// MarshalText names the outcome ("passed", "not run", ...).
func (o Outcome) MarshalText() ([]byte, error) {
	if o < 0 || int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("policy: outcome %d", int(o))
	}
	return []byte(o.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if n == string(b) {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("policy: unknown outcome %q", b)
}

// DGState is what passive authentication said about one data group.
type DGState int

const (
	// DGNotRead: listed in EF.SOD, not read. Nothing is said about it.
	DGNotRead DGState = iota
	// DGVerified: read, and its hash matches EF.SOD's, which verified.
	DGVerified
	// DGNotHashed: read (in whole or in part) but its hash was not
	// verified: passive authentication did not run or did not get that
	// far, or the read did not finish.
	DGNotHashed
	// DGMismatch: read, and its hash differs from EF.SOD's: altered.
	DGMismatch
	// DGNotInSOD: read, and EF.SOD does not list it: unprotected.
	DGNotInSOD
)

var dgStateNames = [...]string{"not read", "verified", "not hashed", "mismatch", "not in SOD"}

func (s DGState) String() string {
	if s < 0 || int(s) >= len(dgStateNames) {
		return fmt.Sprintf("DGState(%d)", int(s))
	}
	return dgStateNames[s]
}

// MarshalText names the state.
func (s DGState) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(dgStateNames) {
		return nil, fmt.Errorf("policy: data group state %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *DGState) UnmarshalText(b []byte) error {
	for i, n := range dgStateNames {
		if n == string(b) {
			*s = DGState(i)
			return nil
		}
	}
	return fmt.Errorf("policy: unknown data group state %q", b)
}

// DataGroup is one data group's state.
type DataGroup struct {
	Number int     `json:"number"`
	State  DGState `json:"state"`
}

// Check is any other check of a read that bears on the verdict (EF.COM
// against EF.SOD, EF.CardAccess against DG14, a PACE downgrade...): Failed
// fails the read, Interrupted makes it incomplete, NotRun and NotOffered
// are reported only.
type Check struct {
	Name    check.Name `json:"name"`
	Outcome Outcome    `json:"outcome"`
	Detail  string     `json:"detail,omitempty"`
}

// Facts are what one read established, in plain values: a reader session,
// an upload of files, and the re-verification of an evidence bundle fill
// them the same way.
type Facts struct {
	// Session is the chip session: Passed when access control and reading
	// ended normally, Failed when the chip refused access (a wrong key),
	// Interrupted when a transport error, a removed card or a dead session
	// ended it, NotRun when there was no session (an upload, a bundle).
	Session       Outcome `json:"session"`
	SessionDetail string  `json:"session_detail,omitempty"`
	// PassiveAuth is passive authentication of EF.SOD: its structure,
	// signature and the Document Signer's chain, validity and key usage,
	// and the hashes of the data groups read, but not revocation (CRL
	// says it). It passes only with a verified DG1.
	PassiveAuth       Outcome `json:"passive_auth"`
	PassiveAuthDetail string  `json:"passive_auth_detail,omitempty"`
	// DataGroups are the data groups read or listed in EF.SOD.
	DataGroups []DataGroup `json:"data_groups,omitempty"`
	// CRL is what the CRLs said about the Document Signer's path.
	CRL       pki.Revocation `json:"crl"`
	CRLDetail string         `json:"crl_detail,omitempty"`
	// ChipAuth (Chip Authentication with DG14's key), PACECAM (PACE with
	// Chip Authentication Mapping, against EF.CardSecurity) and ActiveAuth
	// (Active Authentication with DG15's key) are the protocols that can
	// prove the chip genuine.
	ChipAuth         Outcome `json:"chip_auth"`
	ChipAuthDetail   string  `json:"chip_auth_detail,omitempty"`
	PACECAM          Outcome `json:"pace_cam"`
	PACECAMDetail    string  `json:"pace_cam_detail,omitempty"`
	ActiveAuth       Outcome `json:"active_auth"`
	ActiveAuthDetail string  `json:"active_auth_detail,omitempty"`
	// Checks are the other checks that bear on the verdict.
	Checks []Check `json:"checks,omitempty"`
	// Findings are the conformance findings (package conform), including
	// the Document Signer's country against DG1's issuing state.
	Findings []conform.Finding `json:"findings,omitempty"`
}

// Verdict is the decision on one read.
type Verdict int

const (
	// Verified: every requirement of the policy was met. (The zero
	// Verdict is no decision, and is not Verified.)
	Verified Verdict = iota + 1
	// NotVerified: a check failed conclusively, or a requirement was not
	// met.
	NotVerified
	// Incomplete: the read ended (transport error, torn card, dead
	// session) before the policy's requirements could be decided, and
	// nothing failed conclusively. Read again.
	Incomplete
)

func (v Verdict) String() string {
	switch v {
	case Verified:
		return "verified"
	case NotVerified:
		return "not verified"
	case Incomplete:
		return "incomplete"
	}
	return "no verdict"
}

// MarshalText names the verdict ("verified", "not verified",
// "incomplete").
func (v Verdict) MarshalText() ([]byte, error) {
	if v < Verified || v > Incomplete {
		return nil, fmt.Errorf("policy: verdict %d", int(v))
	}
	return []byte(v.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (v *Verdict) UnmarshalText(b []byte) error {
	for x := Verified; x <= Incomplete; x++ {
		if x.String() == string(b) {
			*v = x
			return nil
		}
	}
	return fmt.Errorf("policy: unknown verdict %q", b)
}

// Severity is how a reason weighs.
type Severity int

const (
	// Info is said for the record (a known deviation, a protocol the
	// chip does not offer that the policy does not require).
	Info Severity = iota
	// Warning is something a caller should see but that the policy
	// accepts.
	Warning
	// Unfinished made the read Incomplete.
	Unfinished
	// Fatal made the read NotVerified.
	Fatal
)

var severityNames = [...]string{"info", "warning", "incomplete", "fatal"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// MarshalText names the severity.
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("policy: severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *Severity) UnmarshalText(b []byte) error {
	for i, n := range severityNames {
		if n == string(b) {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("policy: unknown severity %q", b)
}

// Code names the kind of a reason. Callers switch on codes, never on the
// detail text.
type Code string

// The reason codes.
const (
	// The chip session.
	CodeSessionIncomplete Code = "session-incomplete" // transport error, torn card, dead session
	CodeAccessRefused     Code = "access-refused"     // the chip refused access (wrong key)

	// Passive authentication.
	CodePassiveAuthFailed     Code = "passive-auth-failed"     // EF.SOD, its signature or its signer's chain failed
	CodePassiveAuthNotRun     Code = "passive-auth-not-run"    // no trust store, no EF.SOD...
	CodePassiveAuthIncomplete Code = "passive-auth-incomplete" // the files it needs were not all read
	CodeDGMismatch            Code = "dg-mismatch"             // a data group's hash differs: altered
	CodeDGNotInSOD            Code = "dg-not-in-sod"           // a data group EF.SOD does not protect
	CodeDGNotHashed           Code = "dg-not-hashed"           // a data group read but not hashed

	// Revocation.
	CodeCRLRevoking Code = "crl-revoking" // a verified CRL revokes the Document Signer (or a link)
	CodeCRLStale    Code = "crl-stale"    // the newest CRL is past its nextUpdate
	CodeCRLAbsent   Code = "crl-absent"   // no CRL of the CSCA
	CodeCRLInvalid  Code = "crl-invalid"  // only CRLs whose signature does not verify

	// Chip authenticity.
	CodeChipAuthFailed         Code = "chip-auth-failed"           // Chip Authentication failed: clone suspected
	CodePACECAMFailed          Code = "pace-cam-failed"            // PACE-CAM failed: clone suspected
	CodeActiveAuthFailed       Code = "active-auth-failed"         // Active Authentication failed: clone suspected
	CodeChipAuthenticityNotRun Code = "chip-authenticity-unproven" // offered, but none proved the chip
	CodeChipAuthenticityNone   Code = "chip-authenticity-not-offered"
	CodeChipAuthIncomplete     Code = "chip-auth-incomplete" // a protocol started and the session ended

	// Other checks and findings.
	CodeCheckFailed     Code = "check-failed"
	CodeCheckIncomplete Code = "check-incomplete"
	CodeFinding         Code = "finding"
	CodeKnownDeviation  Code = "known-deviation"
)

// Reason is one reason for a verdict, or a remark on it.
type Reason struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Subject names what the reason is about: a check ("active
	// authentication"), a data group ("DG2"), a rule id.
	Subject string `json:"subject,omitempty"`
	// Detail says what was found, for people. It holds no holder data.
	Detail string `json:"detail,omitempty"`
	// Finding is the conformance finding of CodeFinding and
	// CodeKnownDeviation reasons.
	Finding *conform.Finding `json:"finding,omitempty"`
}

func (r Reason) String() string {
	s := fmt.Sprintf("%s: %s", r.Severity, r.Code)
	if r.Subject != "" {
		s += " (" + r.Subject + ")"
	}
	if r.Detail != "" {
		s += ": " + r.Detail
	}
	return s
}

// WriteReasons writes reasons for people, one a line: the severity in a
// column, the code, the subject in brackets and the detail on one line.
func WriteReasons(w io.Writer, reasons []Reason) {
	for _, r := range reasons {
		line := fmt.Sprintf("  %-10s %s", r.Severity, r.Code)
		if r.Subject != "" {
			line += " [" + r.Subject + "]"
		}
		if r.Detail != "" {
			line += ": " + strings.ReplaceAll(r.Detail, "\n", "; ")
		}
		fmt.Fprintln(w, line)
	}
}

// Decision is a policy's verdict on one read, with its reasons.
type Decision struct {
	// Policy is the policy decided under.
	Policy Policy `json:"policy"`
	// Verdict is the decision.
	Verdict Verdict `json:"verdict"`
	// Reasons lists the fatal reasons first, then what made the read
	// incomplete, then warnings and remarks.
	Reasons []Reason `json:"reasons"`
}

// Verified reports Verdict == Verified.
func (d Decision) Verified() bool { return d.Verdict == Verified }

// Has reports whether a reason of that code is in the decision.
func (d Decision) Has(c Code) bool {
	return slices.ContainsFunc(d.Reasons, func(r Reason) bool { return r.Code == c })
}

// Codes lists the codes of the reasons of severity s or more, in order.
func (d Decision) Codes(s Severity) []Code {
	var out []Code
	for _, r := range d.Reasons {
		if r.Severity >= s {
			out = append(out, r.Code)
		}
	}
	return out
}

// Error makes a Decision that is not Verified an error: the verdict and its
// fatal (or unfinishing) reasons.
func (d Decision) Error() string {
	var parts []string
	for _, r := range d.Reasons {
		if r.Severity >= Unfinished {
			parts = append(parts, r.String())
		}
	}
	return fmt.Sprintf("%s under policy %q: %s", d.Verdict, d.Policy.Name, strings.Join(parts, "; "))
}

// Decide applies the policy to the facts of one read.
func (p Policy) Decide(f Facts) Decision {
	d := decider{}
	p.decide(&d, f)
	slices.SortStableFunc(d.reasons, func(a, b Reason) int { return int(b.Severity) - int(a.Severity) })
	v := Verified
	switch {
	case d.fatal:
		v = NotVerified
	case d.unfinished:
		v = Incomplete
	case d.unmet:
		v = NotVerified
	}
	if d.reasons == nil {
		d.reasons = []Reason{}
	}
	return Decision{Policy: p, Verdict: v, Reasons: d.reasons}
}

// decider collects reasons. fatal is a conclusive failure (NotVerified even
// when the read is also unfinished); unmet a requirement not met for want
// of something (NotVerified, unless the read is unfinished: then what is
// missing may be what the interruption took).
type decider struct {
	reasons                  []Reason
	fatal, unmet, unfinished bool
}

func (d *decider) add(sev Severity, code Code, subject, detail string) {
	d.reasons = append(d.reasons, Reason{Code: code, Severity: sev, Subject: subject, Detail: detail})
	switch sev {
	case Unfinished:
		d.unfinished = true
	case Fatal:
		d.fatal = true
	}
}

// need records a requirement not met: Fatal severity, but weighed after
// an interruption.
func (d *decider) need(code Code, subject, detail string) {
	d.reasons = append(d.reasons, Reason{Code: code, Severity: Fatal, Subject: subject, Detail: detail})
	d.unmet = true
}

func orDefault(detail, def string) string {
	if detail != "" {
		return detail
	}
	return def
}

func (p Policy) decide(d *decider, f Facts) {
	// The session.
	switch f.Session {
	case Interrupted:
		d.add(Unfinished, CodeSessionIncomplete, "session", orDefault(f.SessionDetail, "the session ended before the read was complete"))
	case Failed:
		d.need(CodeAccessRefused, "access control", orDefault(f.SessionDetail, "the chip refused access"))
	}

	// Passive authentication (always required).
	switch f.PassiveAuth {
	case Passed:
	case Failed:
		d.add(Fatal, CodePassiveAuthFailed, "passive authentication", orDefault(f.PassiveAuthDetail, "EF.SOD or its signer did not verify"))
	case Interrupted:
		d.add(Unfinished, CodePassiveAuthIncomplete, "passive authentication", orDefault(f.PassiveAuthDetail, "the files it needs were not all read"))
	default:
		d.need(CodePassiveAuthNotRun, "passive authentication", orDefault(f.PassiveAuthDetail, "passive authentication did not run"))
	}
	for _, g := range f.DataGroups {
		name := fmt.Sprintf("DG%d", g.Number)
		switch g.State {
		case DGMismatch:
			d.add(Fatal, CodeDGMismatch, name, "its hash differs from EF.SOD's: the data was altered")
		case DGNotInSOD:
			d.add(Fatal, CodeDGNotInSOD, name, "read, but EF.SOD does not list it: nothing protects it")
		case DGNotHashed:
			if p.RequireAllHashed {
				d.need(CodeDGNotHashed, name, "read, but its hash was not verified against EF.SOD")
			} else {
				d.add(Warning, CodeDGNotHashed, name, "read, but its hash was not verified against EF.SOD")
			}
		case DGVerified, DGNotRead:
		default:
			// A state this package does not know proves nothing.
			d.need(CodeDGNotHashed, name, fmt.Sprintf("unknown data group state %d", int(g.State)))
		}
	}

	// Revocation, once passive authentication reached it.
	switch f.CRL {
	case pki.CRLRevoking:
		d.add(Fatal, CodeCRLRevoking, "revocation", orDefault(f.CRLDetail, "a verified CRL revokes the Document Signer"))
	case pki.CRLStale, pki.CRLAbsent, pki.CRLInvalid:
		code := map[pki.Revocation]Code{pki.CRLStale: CodeCRLStale, pki.CRLAbsent: CodeCRLAbsent, pki.CRLInvalid: CodeCRLInvalid}[f.CRL]
		def := map[pki.Revocation]string{pki.CRLStale: "the newest CRL is past its next update",
			pki.CRLAbsent: "no CRL of the CSCA", pki.CRLInvalid: "no CRL of the CSCA verifies"}[f.CRL]
		if p.RequireCRL {
			d.need(code, "revocation", orDefault(f.CRLDetail, def))
		} else {
			d.add(Warning, code, "revocation", orDefault(f.CRLDetail, def))
		}
	case pki.RevocationUnknown:
		if p.RequireCRL && f.PassiveAuth == Passed {
			d.need(CodeCRLAbsent, "revocation", orDefault(f.CRLDetail, "revocation was not checked"))
		}
	case pki.CRLFresh:
	default:
		// A state this package does not know is no CRL.
		if p.RequireCRL {
			d.need(CodeCRLAbsent, "revocation", fmt.Sprintf("unknown revocation state %d", int(f.CRL)))
		}
	}

	// Chip authenticity.
	type proto struct {
		name   string
		o      Outcome
		detail string
		failed Code
	}
	protos := []proto{
		{"chip authentication", f.ChipAuth, f.ChipAuthDetail, CodeChipAuthFailed},
		{"PACE-CAM", f.PACECAM, f.PACECAMDetail, CodePACECAMFailed},
		{"active authentication", f.ActiveAuth, f.ActiveAuthDetail, CodeActiveAuthFailed},
	}
	// A protocol said not to be offered while the data groups show that
	// the chip has its key is not run: a reader or an upload that leaves
	// DG15 (or an unread DG14) out must not make the chip look as if it
	// offered nothing.
	for _, g := range f.DataGroups {
		switch {
		case g.Number == 15 && protos[2].o == NotOffered:
			protos[2].o, protos[2].detail = NotRun, "DG15 "+g.State.String()+": the chip holds an Active Authentication key"
		case g.Number == 14 && g.State == DGNotRead && protos[0].o == NotOffered:
			protos[0].o, protos[0].detail = NotRun, "DG14, listed in EF.SOD, not read: the chip may offer Chip Authentication"
		}
	}
	offered, proven := false, false
	var unproven []string
	for _, x := range protos {
		switch x.o {
		case Passed:
			offered, proven = true, true
		case Failed:
			offered = true
			d.add(Fatal, x.failed, x.name, orDefault(x.detail, "the chip did not prove its key: clone suspected"))
		case Interrupted:
			offered = true
			d.add(Unfinished, CodeChipAuthIncomplete, x.name, orDefault(x.detail, "the session ended during the protocol"))
		case NotRun:
			offered = true
			unproven = append(unproven, x.name+" not run"+suffix(x.detail))
		case NotOffered:
		default:
			// An outcome this package does not know proves nothing.
			offered = true
			unproven = append(unproven, fmt.Sprintf("%s: unknown outcome %d", x.name, int(x.o)))
		}
	}
	switch {
	case !offered:
		sev := Info
		if p.RequireChipAuthenticity {
			sev = Warning
		}
		d.add(sev, CodeChipAuthenticityNone, "chip authenticity", "the chip offers neither Chip Authentication, PACE-CAM nor Active Authentication: a copy of its data cannot be told from it")
	case !proven && len(unproven) > 0:
		detail := strings.Join(unproven, "; ")
		if p.RequireChipAuthenticity {
			d.need(CodeChipAuthenticityNotRun, "chip authenticity", detail)
		} else {
			d.add(Warning, CodeChipAuthenticityNotRun, "chip authenticity", detail)
		}
	}

	// Other checks.
	for _, c := range f.Checks {
		switch c.Outcome {
		case Failed:
			d.add(Fatal, CodeCheckFailed, string(c.Name), c.Detail)
		case Interrupted:
			d.add(Unfinished, CodeCheckIncomplete, string(c.Name), c.Detail)
		}
	}

	// Findings.
	for i := range f.Findings {
		fi := f.Findings[i]
		r := Reason{Code: CodeFinding, Subject: fi.Rule.ID, Detail: fi.String(), Finding: &fi}
		switch {
		case fi.Known != nil:
			r.Code, r.Severity = CodeKnownDeviation, Info
		case p.Findings == FindingsAll || p.Findings == FindingsSecurity && fi.Rule.Security:
			r.Severity = Fatal
			d.fatal = true
		default:
			r.Severity = Warning
		}
		d.reasons = append(d.reasons, r)
	}
}

func suffix(detail string) string {
	if detail == "" {
		return ""
	}
	return " (" + detail + ")"
}
