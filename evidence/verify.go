package evidence

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// Disagreement is a claimed field of a bundle that re-verification
// computed otherwise.
type Disagreement struct {
	Field      string `json:"field"`
	Claimed    string `json:"claimed"`
	Recomputed string `json:"recomputed"`
}

func (d Disagreement) String() string {
	return fmt.Sprintf("%s: bundle claims %s, re-verification gives %s", d.Field, d.Claimed, d.Recomputed)
}

// Report is the outcome of Verify.
type Report struct {
	Bundle *Bundle `json:"-"`
	// Decision is the recomputed decision, under the bundle's policy, on
	// Facts.
	Decision policy.Decision `json:"decision"`
	// Facts are the facts re-verification established: recomputed where
	// Reproven says, the bundle's claims elsewhere (Claimed).
	Facts policy.Facts `json:"facts"`
	// Reproven lists what was proven again offline, Claimed what only the
	// bundle says.
	Reproven []string `json:"reproven"`
	Claimed  []string `json:"claimed"`
	// Disagreements lists the claimed fields that re-verification computed
	// otherwise. A bundle with any is not to be relied on.
	Disagreements []Disagreement `json:"disagreements"`
	// Notes say what re-verification cannot do.
	Notes []string `json:"notes"`
}

// Err is nil when nothing the bundle claims disagrees with re-verification
// (whatever the verdict), else an error wrapping ErrDisagrees.
func (r *Report) Err() error {
	if len(r.Disagreements) == 0 {
		return nil
	}
	var s []string
	for _, d := range r.Disagreements {
		s = append(s, d.String())
	}
	return fmt.Errorf("%w: %s", ErrDisagrees, strings.Join(s, "; "))
}

// Verified reports a consistent bundle whose recomputed verdict is
// Verified.
func (r *Report) Verified() bool {
	return r.Err() == nil && r.Decision.Verdict == policy.Verified
}

// The notes of every report.
const (
	NoteChipAuth = "Chip Authentication and PACE-CAM cannot be re-proven offline: their proof is the secure messaging session with the chip, whose keys are not kept; their outcomes are the reader's claims"
	NoteAA       = "Active Authentication is re-verified over the recorded challenge with DG15's key: a chip holding that key signed it; that the challenge was fresh at the read is the reader's claim"
	NoteTime     = "read_at, access and the session are the reader's claims, bound only by the bundle's integrity digest (not by a signature)"
	NoteFindings = "findings of DG1 against the opening key or the printed MRZ, and known-deviation marks, are the reader's claims: the MRZ key is not kept, and the printed MRZ and deviation lists are not in the bundle"
)

// Verify re-verifies a bundle offline against trust (the CSCAs, link
// certificates and CRLs, as files): it parses the bundle (canonical form,
// integrity digest, file hashes: a changed byte fails here), runs passive
// authentication again on its files at its read time through the trust
// path, verifies the Active Authentication signature again, compares the
// Document Signer's country with DG1's issuing state, recomputes the
// decision under the bundle's policy, and reports every claimed fact,
// trust fingerprint, reason or verdict that disagrees. It never trusts the
// claimed verdict.
//
// The error is for a bundle that cannot be read or whose integrity fails;
// a bundle that reads is reported, and Report.Err says whether its claims
// hold.
func Verify(data []byte, trust *pki.TrustStore) (*Report, error) {
	b, err := Parse(data)
	if err != nil {
		return nil, err
	}
	r := &Report{Bundle: b, Notes: []string{NoteChipAuth, NoteAA, NoteTime, NoteFindings}}
	files := b.files()
	doc, perr := chip.ParseDocument(files)

	// Start from the claims, deep-copied, and replace what can be proven.
	var f policy.Facts
	raw, err := json.Marshal(b.Facts)
	if err == nil {
		err = json.Unmarshal(raw, &f)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: facts: %w", ErrFormat, err)
	}
	claimed := b.Facts

	// Passive authentication, data groups, CRL.
	v := reader.VerifyFiles(files, doc, &reader.Config{Trust: trust, Time: func() time.Time { return b.ReadAt }})
	reader.PassiveAuthFacts(&f, v.PassiveAuth, v.Err, doc)
	r.Reproven = append(r.Reproven, "passive authentication of the files at read_at (EF.SOD, its signer's trust path, the data group hashes)",
		"revocation by the CRLs of the trust files at read_at")
	if f.PassiveAuth == claimed.PassiveAuth {
		f.PassiveAuthDetail = claimed.PassiveAuthDetail
	}
	if f.CRL == claimed.CRL {
		f.CRLDetail = claimed.CRLDetail
	}

	// Active Authentication.
	switch {
	case b.ActiveAuth != nil:
		f.ActiveAuth, f.ActiveAuthDetail = verifyAA(b.ActiveAuth, files)
		r.Reproven = append(r.Reproven, "the Active Authentication signature over the recorded challenge")
	case claimed.ActiveAuth == policy.Passed:
		f.ActiveAuth, f.ActiveAuthDetail = policy.NotRun, "no Active Authentication signature in the bundle"
	default:
		r.Claimed = append(r.Claimed, "active authentication ("+claimed.ActiveAuth.String()+", no signature recorded)")
	}
	if f.ActiveAuth == claimed.ActiveAuth {
		f.ActiveAuthDetail = claimed.ActiveAuthDetail
	}
	r.Claimed = append(r.Claimed, "session ("+claimed.Session.String()+")", "chip authentication ("+claimed.ChipAuth.String()+")",
		"PACE-CAM ("+claimed.PACECAM.String()+")", "read_at", "access")

	// The parse check and the other checks.
	outcomeOf := func(err error) policy.Outcome {
		if err != nil {
			return policy.Failed
		}
		return policy.Passed
	}
	for i, c := range f.Checks {
		switch c.Name {
		case reader.CheckParse:
			f.Checks[i].Outcome = outcomeOf(perr)
		case reader.CheckCOM:
			f.Checks[i].Outcome = outcomeOf(reader.ConsistentCOM(files[chip.EFCOM], files[chip.EFSOD]))
		case reader.CheckCardAccess:
			if files[chip.EFCardAccess] == nil {
				// The caller gave EF.CardAccess (the chip's was not
				// readable): the check is the reader's claim.
				r.Claimed = append(r.Claimed, "check "+string(c.Name)+" ("+c.Outcome.String()+")")
				continue
			}
			if err := reader.ConsistentCardAccess(files[chip.EFCardAccess], files[chip.EFDG14]); errors.Is(err, reader.ErrCardAccessMismatch) {
				f.Checks[i].Outcome = policy.Failed
			} else if err == nil {
				f.Checks[i].Outcome = policy.Passed
			} else {
				f.Checks[i].Outcome = policy.NotRun
			}
		default:
			r.Claimed = append(r.Claimed, "check "+string(c.Name)+" ("+c.Outcome.String()+")")
			continue
		}
		if f.Checks[i].Outcome != c.Outcome {
			f.Checks[i].Detail = "recomputed from the bundle's files"
		}
	}

	// Findings: the Document Signer's country and the Doc 9303 profile
	// checks of the files are recomputed. DG1 against the key the chip was
	// opened with and against the printed MRZ need what the bundle must
	// not hold (the MRZ key) or does not (the printed MRZ): those findings
	// are claims, as are known-deviation marks (the deviation lists are
	// not in the bundle).
	recomputed := append(slices.Clone(v.Findings), conform.Check(conform.Document{Files: files})...)
	var claimOnly []conform.Finding
	for _, fi := range claimed.Findings {
		if findingClaimOnly(fi) {
			claimOnly = append(claimOnly, fi)
		}
	}
	if len(claimOnly) > 0 {
		r.Claimed = append(r.Claimed, fmt.Sprintf("%d findings of DG1 against the opening key or the printed MRZ", len(claimOnly)))
	}
	for _, fi := range claimed.Findings {
		if fi.Known != nil {
			r.Claimed = append(r.Claimed, "known deviations (the deviation lists are not in the bundle)")
			break
		}
	}
	r.Reproven = append(r.Reproven, "the conformance findings of the files (Doc 9303 profiles, the Document Signer's country)")
	if findingsString(unmarked(recomputed)) == findingsString(unmarked(withoutClaimOnly(claimed.Findings))) {
		f.Findings = slices.Clone(claimed.Findings)
	} else {
		f.Findings = append(recomputed, claimOnly...)
	}
	r.Facts = f

	// Compare the facts.
	r.compare("facts.passive_auth", claimed.PassiveAuth.String(), f.PassiveAuth.String())
	r.compare("facts.data_groups", dgString(claimed.DataGroups), dgString(f.DataGroups))
	r.compare("facts.crl", claimed.CRL.String(), f.CRL.String())
	r.compare("facts.active_auth", claimed.ActiveAuth.String(), f.ActiveAuth.String())
	r.compare("facts.findings", findingsString(unmarked(claimed.Findings)), findingsString(unmarked(f.Findings)))
	r.compare("facts.checks", checksString(claimed.Checks), checksString(f.Checks))

	// Trust.
	r.compare("trust", jsonString(b.Trust), jsonString(trustOf(v.PassiveAuth)))

	// The policy: a preset's name stands for the preset.
	if p, err := policy.ByName(b.Policy.Name); err == nil && p != b.Policy {
		r.compare("policy", jsonString(b.Policy), jsonString(p))
	}

	// The decision.
	r.Decision = b.Policy.Decide(f)
	r.compare("verdict", b.Verdict.String(), r.Decision.Verdict.String())
	r.compare("reasons", reasonsString(b.Reasons), reasonsString(r.Decision.Reasons))
	// Details of the reasons are compared too, where the facts they come
	// from were kept as claimed.
	if reasonsString(b.Reasons) == reasonsString(r.Decision.Reasons) && len(r.Disagreements) == 0 {
		r.compare("reasons (detail)", jsonString(b.Reasons), jsonString(r.Decision.Reasons))
	}
	return r, nil
}

func (r *Report) compare(field, claimed, recomputed string) {
	if claimed != recomputed {
		r.Disagreements = append(r.Disagreements, Disagreement{Field: field, Claimed: claimed, Recomputed: recomputed})
	}
}

// verifyAA verifies the recorded Active Authentication signature with
// DG15's key (and DG14's ActiveAuthenticationInfo for ECDSA).
func verifyAA(p *ActiveAuth, files map[chip.File][]byte) (policy.Outcome, string) {
	b := files[chip.EFDG15]
	if b == nil {
		return policy.Failed, "a signature is recorded but the bundle holds no DG15"
	}
	dg15, err := chip.ParseDG15(b)
	if err != nil {
		return policy.Failed, err.Error()
	}
	var info *secinfo.ActiveAuthenticationInfo
	if d := files[chip.EFDG14]; d != nil {
		if infos, err := secinfo.Lenient.ParseDG14(d); err == nil {
			info = infos.ActiveAuthentication()
		}
	}
	v, err := aa.NewVerifier(dg15.SubjectPublicKeyInfo, info)
	if err != nil {
		return policy.Failed, err.Error()
	}
	if err := v.Verify(p.Challenge, p.Signature); err != nil {
		return policy.Failed, err.Error()
	}
	return policy.Passed, ""
}

// findingClaimOnly reports findings that need what a bundle does not hold.
func findingClaimOnly(f conform.Finding) bool {
	return f.Rule.ID == conform.DG1OpeningKey.ID || f.Rule.ID == conform.DG1PrintedMRZ.ID
}

func withoutClaimOnly(fs []conform.Finding) []conform.Finding {
	var out []conform.Finding
	for _, f := range fs {
		if !findingClaimOnly(f) {
			out = append(out, f)
		}
	}
	return out
}

// unmarked returns the findings without their known-deviation marks.
func unmarked(fs []conform.Finding) []conform.Finding {
	out := make([]conform.Finding, len(fs))
	for i, f := range fs {
		f.Known = nil
		out[i] = f
	}
	return out
}

func findingsString(fs []conform.Finding) string {
	var s []string
	for _, f := range fs {
		s = append(s, jsonString(f))
	}
	slices.Sort(s)
	return "[" + strings.Join(s, ",") + "]"
}

func dgString(d []policy.DataGroup) string {
	var s []string
	for _, g := range d {
		s = append(s, fmt.Sprintf("DG%d %s", g.Number, g.State))
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func checksString(cs []policy.Check) string {
	var s []string
	for _, c := range cs {
		s = append(s, string(c.Name)+" "+c.Outcome.String())
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func reasonsString(rs []policy.Reason) string {
	var s []string
	for _, r := range rs {
		s = append(s, fmt.Sprintf("%s %s %s", r.Severity, r.Code, r.Subject))
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(b)
}
