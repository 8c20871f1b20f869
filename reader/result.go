package reader

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/policy"
)

// This file: what a read reports (Result, its Checks and their Status, the verdict).

// Result is the outcome of a read: the files, the typed document and every
// check that ran or did not.
type Result struct {
	// Document holds the files read and their typed values. It is set
	// even when checks failed: look at Verified and Checks before trusting
	// it.
	Document *chip.Document
	// Access is how the chip was opened: its Method (BAC or PACE) and,
	// for PACE, the protocol and domain parameters. Its String is "BAC",
	// or "PACE" followed by the protocol (e.g. "PACE
	// id-PACE-ECDH-GM-AES-CBC-CMAC-128 (13)").
	Access Access
	// PACE is the outcome of PACE, when it ran.
	PACE *pace.Result
	// Checks lists every check, in order.
	Checks []Check
	// PassiveAuth is the detail of passive authentication, when it ran.
	PassiveAuth *pki.Result
	// APDUs counts the command APDUs sent, Bytes the bytes of commands
	// and responses.
	APDUs int
	Bytes int
	// Duration is the time the whole read took.
	Duration time.Duration
	// Files is the outcome of each file the read wanted, in the order
	// read: Passed (read whole), Failed (the card answered that it has no
	// such file, or refused it: see Err), Incomplete (the card or the
	// link failed while reading it), NotRun (not asked for, or closed
	// without Terminal Authentication).
	Files []FileOutcome
	// ActiveAuthProof is the challenge and the chip's signature of Active
	// Authentication, when the chip answered (nil otherwise).
	ActiveAuthProof *AAProof
	// Policy is the policy the read is decided under (Config.Policy, or
	// policy.Default).
	Policy policy.Policy
	// Findings are the conformance findings of the read (package
	// conform): the Document Signer's country against DG1's issuing
	// state, and the Doc 9303 profile checks. The policy weighs them.
	Findings []conform.Finding
}

// AccessMethod is an access control protocol: how a chip is opened
// (Doc 9303-11 §4).
type AccessMethod int

const (
	// NoAccess: the chip was not opened.
	NoAccess AccessMethod = iota
	// BAC is Basic Access Control.
	BAC
	// PACE is Password Authenticated Connection Establishment.
	PACE
)

// String is "BAC", "PACE", or "" for NoAccess.
func (m AccessMethod) String() string {
	switch m {
	case BAC:
		return "BAC"
	case PACE:
		return "PACE"
	}
	return ""
}

// Access is how a chip was opened.
type Access struct {
	Method AccessMethod
	// PACE is the PACE protocol and ParameterID its standardized domain
	// parameters, when Method is PACE (Result.PACE has the rest).
	PACE        secinfo.PACEProtocol
	ParameterID int
}

// String names the access as reports show it: "BAC", "PACE" followed by
// the protocol and the parameter identifier, or "" when the chip was not
// opened.
func (a Access) String() string {
	if a.Method == PACE {
		return fmt.Sprintf("PACE %s (%d)", a.PACE, a.ParameterID)
	}
	return a.Method.String()
}

// MarshalText is String: JSON carries the access as the reports show it.
func (a Access) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// FileOutcome is what became of one file.
type FileOutcome struct {
	File   chip.File
	Status check.Status
	// Size is the number of bytes read (the whole file when Passed).
	Size int
	Err  error
}

// Missing lists the files the read wanted but does not hold: absent,
// refused, or cut off by a failure.
func (r *Result) Missing() []chip.File {
	var out []chip.File
	for _, f := range r.Files {
		if f.Status == check.Failed || f.Status == check.Incomplete {
			out = append(out, f.File)
		}
	}
	return out
}

// Incomplete reports whether the read was cut short or a check could not
// finish because the card, the link or the session failed (a card pulled
// away, a dead secure messaging session): nothing was proven either way,
// and reading again may give a verdict. An incomplete result is never
// verified.
func (r *Result) Incomplete() bool {
	for _, c := range r.Checks {
		if c.Status == check.Incomplete {
			return true
		}
	}
	return false
}

// Check is the outcome of one step.
type Check struct {
	Name   check.Name
	Status check.Status
	Err    error
}

// ErrIncomplete: the read, or a check, was cut short by the card, the link
// or the secure messaging session (a card removed, a transport error, a
// session that died): it proves nothing about the document, neither that
// it is genuine nor that it is a clone. Reading again may complete it.
// Read's error wraps it together with the cause.
var ErrIncomplete = errors.New("reader: read incomplete")

// ErrCardRemoved is apdu.ErrCardRemoved: what reader/pcsc and chip/sim
// wrap when the card leaves the reader.
var ErrCardRemoved = apdu.ErrCardRemoved

// Names of the checks.
const (
	CheckPACE        check.Name = "PACE"
	CheckAccess      check.Name = "access control"
	CheckChipAuth    check.Name = "chip authentication"
	CheckActiveAuth  check.Name = "active authentication"
	CheckTerminal    check.Name = "terminal authentication"
	CheckRead        check.Name = "read files"
	CheckParse       check.Name = "parse files"
	CheckPassiveAuth check.Name = "passive authentication"
)

// CheckFile names the check of reading file f when it is reported on its
// own ("read DG3": a file Terminal Authentication did not open).
func CheckFile(f chip.File) check.Name { return check.Name("read " + f.String()) }

// Check returns the check of that name (NotRun when absent).
func (r *Result) Check(name check.Name) Check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{Name: name}
}

// Verified reports whether the read is Verified under its policy
// (Result.Policy): see Decision.
func (r *Result) Verified() bool { return r.Verdict() == policy.Verified }

// Verdict is the policy's verdict on the read.
func (r *Result) Verdict() policy.Verdict { return r.Decision().Verdict }

// Reasons are the reasons of the policy's verdict, fatal ones first.
func (r *Result) Reasons() []policy.Reason { return r.Decision().Reasons }

// Decision applies the result's policy to its facts (see Facts).
func (r *Result) Decision() policy.Decision {
	p := r.Policy
	if p.IsZero() {
		p = policy.Default
	}
	return p.Decide(r.Facts())
}

// Err returns nil when Verified; else ErrIncomplete or ErrNotVerified,
// joined with the policy's decision (its fatal reasons) and the errors of
// the checks that failed.
func (r *Result) Err() error {
	d := r.Decision()
	if d.Verdict == policy.Verified {
		return nil
	}
	head := ErrNotVerified
	if d.Verdict == policy.Incomplete {
		head = ErrIncomplete
	}
	errs := []error{head, d}
	for _, c := range r.Checks {
		switch c.Status {
		case check.Failed:
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, c.Err))
		case check.Incomplete:
			errs = append(errs, fmt.Errorf("%s: %w: %w", c.Name, ErrIncomplete, c.Err))
		}
	}
	return errors.Join(errs...)
}

// add records a check: Passed without an error, Failed with one.
func (r *Result) add(name check.Name, err error) {
	st := check.Passed
	if err != nil {
		st = check.Failed
	}
	r.Checks = append(r.Checks, Check{Name: name, Status: st, Err: err})
}

// addOutcome records a check whose error may come from the card, the link
// or the session rather than from the document: Incomplete then (see
// incomplete), Failed otherwise.
func (r *Result) addOutcome(name check.Name, err error) {
	st := check.Passed
	switch {
	case incomplete(err):
		st = check.Incomplete
	case err != nil:
		st = check.Failed
	}
	r.Checks = append(r.Checks, Check{Name: name, Status: st, Err: err})
}

// incomplete reports whether err says nothing about the document: a card
// removed, a context that ended, a secure messaging session that failed
// (whose failures prove nothing by themselves: the clone verdict is made
// apart, on repeated cryptographic evidence), a chip that failed to
// execute a command (chipFailure), or any error of the link that is
// neither a status word the card answered nor a check of its data.
func incomplete(err error) bool {
	if err == nil || errors.Is(err, eac.ErrCloneSuspected) {
		return false
	}
	for _, e := range []error{ErrIncomplete, apdu.ErrCardRemoved, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, e) {
			return true
		}
	}
	var se *sm.Error
	if errors.As(err, &se) {
		return true
	}
	var st *apdu.StatusError
	if errors.As(err, &st) {
		// The card answered: about the document or the step (a file
		// absent or refused, a protocol it will not run), unless the
		// answer is that it failed to execute the command at all.
		return chipFailure(st.SW)
	}
	for _, e := range definitive {
		if errors.Is(err, e) {
			return false
		}
	}
	return true
}

// chipFailure reports whether sw says the chip failed to execute the
// command (ISO/IEC 7816-4 §5.6: 64XX execution error, 65XX memory
// failure, 6FXX no precise diagnosis), as a chip in a weak field or with a
// passing fault does: a step to retry, never a verdict on the chip or its
// data.
func chipFailure(sw apdu.StatusWord) bool {
	switch sw >> 8 {
	case 0x64, 0x65, 0x6F:
		return true
	}
	return false
}

// definitive are the errors that are a verdict on the card or its data,
// not on the link.
var definitive = []error{
	ErrNoKey, ErrNeedCardAccess, ErrPACEParameters, ErrFileNotFound, ErrAccessDenied, ErrTruncated, ErrFileTooLarge,
	ErrCardSecurity, ErrCOMMismatch, ErrCardAccessMismatch, ErrDowngrade, ErrNoHolderData, ErrFilesMissing,
	pace.ErrAuthentication, pace.ErrPassword, pace.ErrUnsupported, pace.ErrCAM, pace.ErrInvalidKey, pace.ErrMalformed,
	bac.ErrAccessDenied, bac.ErrMAC, bac.ErrNonce, bac.ErrResponse, bac.ErrChallenge,
	eac.ErrCertificate, eac.ErrAuthentication, eac.ErrUnsupported, eac.ErrInvalidKey, eac.ErrMalformed,
	aa.ErrSignature, aa.ErrUnsupportedKey, aa.ErrAlgorithm, aa.ErrNeedsExtendedLength,
}
