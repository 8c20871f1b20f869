package server

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/crypto/pki"
)

// Policy names: what a verdict requires.
const (
	// PolicyBank: authentic data, a current CRL of the issuing CSCA, and
	// a live genuine chip (Active Authentication on this server's
	// challenge, or Chip Authentication over the relay).
	PolicyBank = "bank"
	// PolicyLenient: authentic data; revocation and the chip's liveness
	// are reported but not required.
	PolicyLenient = "lenient"
	// PolicyConformance: as bank (the Doc 9303 conformance findings add
	// to it where package conform reports them).
	PolicyConformance = "conformance"
)

// Policies lists the policy names the server knows.
var Policies = []string{PolicyBank, PolicyLenient, PolicyConformance}

type policyRules struct {
	requireCRL  bool
	requireLive bool
}

func rulesOf(name string) (policyRules, error) {
	switch name {
	case PolicyBank, PolicyConformance:
		return policyRules{requireCRL: true, requireLive: true}, nil
	case PolicyLenient:
		return policyRules{}, nil
	}
	return policyRules{}, fmt.Errorf("server: unknown policy %q (want one of %v)", name, Policies)
}

// decide sets r.Verdict under policy from r's checks, passive
// authentication and what was proven. stopped is the error that ended
// the verification early (a relay session cut): the verdict is then
// incomplete, never verified and never a forgery.
func decide(r *Result, policy string, pa *pki.Result, stopped error) {
	rules, _ := rulesOf(policy)
	v := Verdict{Policy: policy, Outcome: Verified}
	fail := func(reason string) {
		v.Outcome = NotVerified
		v.Reasons = append(v.Reasons, reason)
	}
	incomplete := func(reason string) {
		if v.Outcome == Verified {
			v.Outcome = Incomplete
		}
		v.Reasons = append(v.Reasons, reason)
	}
	for _, c := range r.Checks {
		if c.Status == Failed {
			fail(c.Name + ": " + c.Error)
		}
	}
	if !r.Proven.DataAuthentic {
		if pa == nil {
			incomplete("passive authentication did not run")
		} else if len(v.Reasons) == 0 {
			fail("data not authentic")
		}
	}
	if pa != nil && r.Proven.DataAuthentic {
		rev := pa.Check(pki.CheckRevocation)
		if rev.Status != pki.Passed {
			why := "revocation not checked"
			if rev.Err != nil {
				why = "revocation not checked: " + rev.Err.Error()
			}
			if rules.requireCRL {
				if errors.Is(rev.Err, pki.ErrCRLStale) || errors.Is(rev.Err, pki.ErrNoCRL) {
					// The server's CRL is out of date or missing: the
					// answer waits for a current one.
					incomplete(why + " (the policy needs a current CRL)")
				} else {
					fail(why)
				}
			}
		}
	}
	if rules.requireLive && !r.Proven.LiveChip {
		fail("no proof of a live genuine chip (Active Authentication on the server's challenge, or Chip Authentication)")
	}
	if stopped != nil {
		v.Outcome = Incomplete
		v.Reasons = append([]string{"verification stopped: " + stopped.Error()}, v.Reasons...)
	}
	r.Verdict = v
}

func statement(p Proven) string {
	switch {
	case p.DataAuthentic && p.LiveChip:
		return "The data is authentic (signed by the issuing state, unaltered) and a live genuine chip took part in this verification."
	case p.DataAuthentic:
		return "The data is authentic (signed by the issuing state, unaltered), but nothing shows a live chip took part: the files may be a copy."
	}
	return "Nothing was proven: the data's authenticity was not established."
}
