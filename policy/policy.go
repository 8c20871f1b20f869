// Package policy says what "verified" means for a reader of identity
// documents, and decides it for one read.
//
// Banks, hospitals and border posts mean different things by "verified".
// A Policy is a named set of requirements (passive authentication over
// every data group read, chip authenticity proven by a protocol the chip
// offers, a current CRL, how conformance findings weigh); Decide applies
// it to the plain Facts of one read and returns a Decision: a Verdict
// (Verified, NotVerified or Incomplete) with the typed Reasons for it.
//
// Facts are plain values on purpose: a reader session (package reader,
// Result.Facts), an upload of files and an Active Authentication signature
// to a server, and the offline re-verification of an evidence bundle
// (package evidence) all fill them and get the same verdict from the same
// policy.
//
// Three rules hold under every policy:
//   - a conclusive failure (a hash that does not match, a signature that
//     does not verify, a clone detected by Chip, PACE-CAM or Active
//     Authentication, a revoked signer) is NotVerified;
//   - a read that a transport error, a torn card or a dead session ended
//     before a requirement could be decided is Incomplete: never Verified,
//     and never NotVerified as if the chip had failed;
//   - a requirement that was not met for any other reason (not run, not
//     offered when required, a CRL missing when required) is NotVerified,
//     with a reason saying which.
package policy

import (
	"errors"
	"fmt"
	"strings"
)

// FindingWeight says which conformance findings (package conform) fail a
// read. Findings covered by a verified deviation list (Finding.Known) never
// fail it; they are reported as known.
type FindingWeight int

const (
	// FindingsWarn reports every finding as a warning.
	FindingsWarn FindingWeight = iota
	// FindingsSecurity fails the read on findings of rules that touch
	// security (conform.Rule.Security) and reports the others as warnings.
	FindingsSecurity
	// FindingsAll fails the read on any finding.
	FindingsAll
)

func (w FindingWeight) String() string {
	switch w {
	case FindingsWarn:
		return "warn"
	case FindingsSecurity:
		return "security"
	case FindingsAll:
		return "all"
	}
	return fmt.Sprintf("FindingWeight(%d)", int(w))
}

// MarshalText names the weight ("warn", "security", "all").
func (w FindingWeight) MarshalText() ([]byte, error) {
	if w < FindingsWarn || w > FindingsAll {
		return nil, fmt.Errorf("policy: finding weight %d", int(w))
	}
	return []byte(w.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (w *FindingWeight) UnmarshalText(b []byte) error {
	for v := FindingsWarn; v <= FindingsAll; v++ {
		if v.String() == string(b) {
			*w = v
			return nil
		}
	}
	return fmt.Errorf("policy: unknown finding weight %q", b)
}

// Policy is what a verifier requires before it calls a document verified.
// Passive authentication is always required: without it nothing says the
// data is the issuer's. Conclusive failures fail under every policy (see
// the package documentation).
type Policy struct {
	// Name is the preset's name ("bank", "lenient", "conformance") or the
	// caller's own.
	Name string `json:"name"`
	// Description says in one sentence whom the policy is for.
	Description string `json:"description,omitempty"`
	// RequireAllHashed requires passive authentication over every data
	// group read: a data group read whose hash was not verified against
	// EF.SOD fails the read. Without it, such a data group is a warning.
	RequireAllHashed bool `json:"require_all_hashed"`
	// RequireChipAuthenticity requires, when the chip offers Chip
	// Authentication, PACE-CAM or Active Authentication, that one of them
	// proved the chip genuine. A chip that offers none is a warning.
	RequireChipAuthenticity bool `json:"require_chip_authenticity"`
	// RequireCRL requires a verified CRL of the Document Signer's CSCA
	// that is not past its nextUpdate. Without it a missing or stale CRL
	// is a warning. A CRL that revokes the signer fails under every policy.
	RequireCRL bool `json:"require_crl"`
	// Findings says which conformance findings fail the read.
	Findings FindingWeight `json:"findings"`
}

// The presets.
var (
	// Bank is for a bank's customer identification (eKYC, and Vietnam's
	// face match for transfers, Decision 2345/QĐ-NHNN): passive
	// authentication over every data group read, chip authenticity proven
	// by CA, PACE-CAM or AA when the chip offers any, a current CRL, and no
	// unknown finding that touches security.
	Bank = Policy{
		Name:                    "bank",
		Description:             "customer identification: every data group read hashed, chip authenticity proven when offered, a current CRL, no unknown security finding",
		RequireAllHashed:        true,
		RequireChipAuthenticity: true,
		RequireCRL:              true,
		Findings:                FindingsSecurity,
	}
	// Lenient is for inspection (looking at what a document holds): passive
	// authentication must pass and nothing may fail conclusively; chip
	// authenticity, CRLs, data groups read but not hashed and findings are
	// reported as warnings.
	Lenient = Policy{
		Name:        "lenient",
		Description: "inspection: passive authentication and no conclusive failure; the rest reported as warnings",
		Findings:    FindingsWarn,
	}
	// Conformance is Bank that also fails on any conformance finding not
	// covered by a verified deviation list: for testing documents and
	// issuance systems against Doc 9303.
	Conformance = Policy{
		Name:                    "conformance",
		Description:             "conformance testing: as bank, and any finding not in a verified deviation list fails",
		RequireAllHashed:        true,
		RequireChipAuthenticity: true,
		RequireCRL:              true,
		Findings:                FindingsAll,
	}
)

// Default is the policy of a reader whose caller names none: Lenient, the
// meaning "verified" had before policies (passive authentication passed
// and no check failed). A service that acts on the verdict names its own.
var Default = Lenient

// ErrUnknownPolicy is returned by ByName for a name that is no preset.
var ErrUnknownPolicy = errors.New("policy: unknown policy")

// Presets returns the presets, in the order Names lists them.
func Presets() []Policy { return []Policy{Bank, Conformance, Lenient} }

// Names returns the names of the presets.
func Names() []string {
	var out []string
	for _, p := range Presets() {
		out = append(out, p.Name)
	}
	return out
}

// ByName returns the preset of that name (case-insensitive).
func ByName(name string) (Policy, error) {
	for _, p := range Presets() {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
	}
	return Policy{}, fmt.Errorf("%w %q (known: %s)", ErrUnknownPolicy, name, strings.Join(Names(), ", "))
}

// IsZero reports a Policy with no name and no requirement (a caller's
// "not set").
func (p Policy) IsZero() bool { return p == Policy{} }

// String is the policy's name.
func (p Policy) String() string { return p.Name }
