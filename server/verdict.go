package server

import (
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
)

// Policy names (package policy's presets): what a verdict requires.
const (
	// PolicyBank: every data group read hashed, the chip proven genuine
	// when it offers a way (Active Authentication on the server's
	// challenge in upload mode; Chip Authentication, PACE-CAM or Active
	// Authentication over the relay), a current CRL of the issuing CSCA.
	PolicyBank = "bank"
	// PolicyLenient: authentic data and no conclusive failure; the rest
	// reported as warnings.
	PolicyLenient = "lenient"
	// PolicyConformance: as bank, and any Doc 9303 conformance finding
	// not in a verified deviation list fails.
	PolicyConformance = "conformance"
)

// Policies lists the policy names the server knows.
var Policies = policy.Names()

// verdictOf is the JSON form of a decision.
func verdictOf(d policy.Decision) Verdict {
	reasons := d.Reasons
	if reasons == nil {
		reasons = []policy.Reason{}
	}
	return Verdict{Policy: d.Policy.Name, Outcome: d.Verdict.String(), Reasons: reasons}
}

// provenOf says what the facts establish, whatever the policy.
func provenOf(f policy.Facts) Proven {
	// A verified CRL that revokes the Document Signer (or a link of its
	// path) withdraws the issuer's word: its signature proves nothing.
	p := Proven{DataAuthentic: f.PassiveAuth == policy.Passed && f.CRL != pki.CRLRevoking}
	for _, d := range f.DataGroups {
		if d.State != policy.DGVerified && d.State != policy.DGNotRead {
			p.DataAuthentic = false
		}
	}
	p.LiveChip = p.DataAuthentic && (f.ChipAuth == policy.Passed || f.PACECAM == policy.Passed || f.ActiveAuth == policy.Passed)
	p.CloneSuspected = f.ChipAuth == policy.Failed || f.PACECAM == policy.Failed || f.ActiveAuth == policy.Failed
	p.Statement = statement(p, p.CloneSuspected)
	return p
}

func statement(p Proven, chipFailed bool) string {
	switch {
	case p.DataAuthentic && chipFailed:
		return "The data is authentic (signed by the issuing state, unaltered), but the chip failed to prove its key: a clone (or a signature over another challenge) is suspected."
	case p.DataAuthentic && p.LiveChip:
		return "The data is authentic (signed by the issuing state, unaltered) and a live genuine chip took part in this verification."
	case p.DataAuthentic:
		return "The data is authentic (signed by the issuing state, unaltered), but nothing shows a live chip took part: the files may be a copy."
	}
	return "Nothing was proven: the data's authenticity was not established."
}
