// Package check names the checks of a read and their outcomes: one
// vocabulary for package reader (access control, Chip and Active
// Authentication, reading the files...) and package crypto/pki (the steps
// of passive authentication). It imports nothing of the project, so every
// package may use it.
package check

import "fmt"

// Name names one check ("PACE", "SOD signature", "read DG2"...). Each
// package that runs checks declares the names of its own as constants:
// compare with those, never with a literal.
type Name string

// Status is the outcome of a check. The zero value is NotRun: a check
// nothing is known of never counts as passed.
type Status int

const (
	// NotRun: the check did not run (not asked for, an earlier check
	// failed, or what it needs is missing, such as a CRL).
	NotRun Status = iota
	// Passed: it ran and proved what it proves.
	Passed
	// Failed: it ran and failed.
	Failed
	// Incomplete: the check could not finish because the card, the link
	// or the session failed. It is never a verdict on the document: not a
	// clone, not verified.
	Incomplete
)

var statusNames = [...]string{NotRun: "not run", Passed: "passed", Failed: "failed", Incomplete: "incomplete"}

// String names the status: "not run", "passed", "failed", "incomplete"
// ("not run" for a value out of range).
func (s Status) String() string {
	if s < 0 || int(s) >= len(statusNames) {
		return statusNames[NotRun]
	}
	return statusNames[s]
}

// MarshalText is the status's name, as String says it; a value out of
// range is an error.
func (s Status) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(statusNames) {
		return nil, fmt.Errorf("check: status %d", int(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText reads what MarshalText wrote.
func (s *Status) UnmarshalText(b []byte) error {
	for i, n := range statusNames {
		if n == string(b) {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("check: unknown status %q", b)
}
