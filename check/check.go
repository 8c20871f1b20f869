// Package check names the checks of a read and their outcomes: one
// vocabulary for package reader (access control, Chip and Active
// Authentication, reading the files...) and package crypto/pki (the steps
// of passive authentication). It imports nothing of the project, so every
// package may use it.
package check

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

// String names the status: "not run", "passed", "failed", "incomplete".
func (s Status) String() string {
	switch s {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case Incomplete:
		return "incomplete"
	}
	return "not run"
}
