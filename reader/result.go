package reader

import (
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// This file: what a read reports (Result, its Checks and their Status, the verdict).

// Result is the outcome of a read: the files, the typed document and every
// check that ran or did not.
type Result struct {
	// Document holds the files read and their typed values. It is set
	// even when checks failed: look at Verified and Checks before trusting
	// it.
	Document *chip.Document
	// Access is the protocol that opened the chip: "BAC", or "PACE"
	// followed by the protocol (e.g. "PACE ECDH-GM-AES-128 (13)").
	Access string
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
}

// Check is the outcome of one step.
type Check struct {
	Name   string
	Status Status
	Err    error
}

// Status is the outcome of a check.
type Status int

const (
	NotRun Status = iota
	Passed
	Failed
)

func (s Status) String() string {
	switch s {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	}
	return "not run"
}

// Names of the checks.
const (
	CheckPACE        = "PACE"
	CheckAccess      = "access control"
	CheckChipAuth    = "chip authentication"
	CheckActiveAuth  = "active authentication"
	CheckTerminal    = "terminal authentication"
	CheckRead        = "read files"
	CheckParse       = "parse files"
	CheckPassiveAuth = "passive authentication"
)

// Check returns the check of that name (NotRun when absent).
func (r *Result) Check(name string) Check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{Name: name}
}

// Verified reports whether access control, reading, parsing and passive
// authentication all passed.
func (r *Result) Verified() bool {
	for _, n := range []string{CheckAccess, CheckRead, CheckParse, CheckPassiveAuth} {
		if r.Check(n).Status != Passed {
			return false
		}
	}
	for _, c := range r.Checks {
		if c.Status == Failed {
			return false
		}
	}
	return true
}

// Err returns nil when Verified, else an error joining the failures (or
// ErrNotVerified for checks that did not run).
func (r *Result) Err() error {
	if r.Verified() {
		return nil
	}
	var errs []error
	for _, c := range r.Checks {
		if c.Status == Failed {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, c.Err))
		}
	}
	if len(errs) == 0 {
		return ErrNotVerified
	}
	return errors.Join(append([]error{ErrNotVerified}, errs...)...)
}

func (r *Result) add(name string, err error) {
	st := Passed
	if err != nil {
		st = Failed
	}
	r.Checks = append(r.Checks, Check{Name: name, Status: st, Err: err})
}
