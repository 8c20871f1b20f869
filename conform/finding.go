// Package conform checks an eMRTD's files, certificates and signed objects
// against the profiles of ICAO Doc 9303 (and the RFCs and ISO standards it
// names), beyond what passive authentication proves.
//
// Passive authentication says that EF.SOD was signed under a trusted chain
// and that the files hash as signed. A document can pass it and still break
// the profiles: a Document Signer certificate without the extensions Part 12
// requires, an EF.SOD whose digestAlgorithms do not name the digest used, a
// DG1 that is not the document the chip was opened for. Each such deviation
// is a Finding naming the Rule it breaks. Findings do not decide anything by
// themselves: a caller's policy (package policy) weighs them, since real
// documents carry encoding slips their issuers have published.
package conform

import "fmt"

// Rule is one requirement of a specification that a document, certificate
// or signed object can break.
type Rule struct {
	// ID is a stable, short identifier, e.g. "sod.digest-algorithms" or
	// "cert.ds.aki". It is what deviation lists and tests refer to.
	ID string `json:"id"`
	// Source is the document and section the rule comes from, e.g.
	// "ICAO Doc 9303-12 §7.1.1" or "RFC 5652 §5.3".
	Source string `json:"source"`
	// Text states the rule in one line.
	Text string `json:"text"`
	// Security is set for rules whose breach bears on the authenticity of
	// the document or the chip (signer identity, algorithms, the binding
	// of the data to the chip that was opened), as opposed to encoding
	// slips with no bearing on what was proven.
	Security bool `json:"security"`
}

func (r Rule) String() string { return r.ID + " (" + r.Source + ")" }

// Finding is one deviation from a Rule, found in one object.
type Finding struct {
	Rule Rule `json:"rule"`
	// Object names what breaks the rule: a file ("EF.SOD", "DG1"), a
	// certificate ("Document Signer certificate"), a signed list.
	Object string `json:"object"`
	// Offset is the byte offset within Object where the deviation was
	// found, or -1 when it has no single place.
	Offset int `json:"offset"`
	// Detail says what was found instead of what the rule asks. It never
	// holds holder data or secrets (no names, numbers or keys).
	Detail string `json:"detail"`
	// Known is set when a trusted deviation list (Doc 9303-12 §10)
	// publishes this deviation for the document's issuer.
	Known *KnownDeviation `json:"known,omitempty"`
}

// KnownDeviation is the entry of a verified deviation list that covers a
// finding.
type KnownDeviation struct {
	// Issuer is the country (or organization) whose list it is.
	Issuer string `json:"issuer"`
	// Description is the list's own description of the deviation.
	Description string `json:"description,omitempty"`
}

func (f Finding) String() string {
	s := fmt.Sprintf("%s: %s: %s", f.Object, f.Rule, f.Detail)
	if f.Offset >= 0 {
		s = fmt.Sprintf("%s at offset %d: %s: %s", f.Object, f.Offset, f.Rule, f.Detail)
	}
	if f.Known != nil {
		s += " (known deviation of " + f.Known.Issuer + ")"
	}
	return s
}
