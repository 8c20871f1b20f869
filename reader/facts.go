package reader

import (
	"errors"
	"slices"
	"strings"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
)

// This file: what a read established, as the plain facts a policy decides on.

// Facts turns the result into the facts its policy decides on (package
// policy): how the session ended, passive authentication and each data
// group's hash, the CRL state, Chip Authentication, PACE-CAM and Active
// Authentication, the other checks and the findings.
//
// A check the card, the link or the session cut short (Status Incomplete)
// is Interrupted, never Failed: only what the chip or the data proved
// wrong is a failure.
func (r *Result) Facts() policy.Facts {
	f := policy.Facts{Findings: slices.Clone(r.Findings)}

	// The session.
	acc, read := r.Check(CheckAccess), r.Check(CheckRead)
	switch {
	case acc.Status == check.Failed:
		f.Session, f.SessionDetail = policy.Failed, errText(acc.Err)
		return f
	case acc.Status == check.Incomplete:
		f.Session, f.SessionDetail = policy.Interrupted, "access control: "+errText(acc.Err)
	case acc.Status != check.Passed:
		f.Session, f.SessionDetail = policy.Interrupted, "the read did not start"
	case read.Status == check.Incomplete:
		f.Session, f.SessionDetail = policy.Interrupted, "reading: "+errText(read.Err)
	case read.Status == check.Passed || read.Status == check.Failed:
		// A failed read check (files the card says it lacks) is a
		// check of its own below; the session ended as it should.
		f.Session = policy.Passed
	case r.chipAuthOutcome(false).o == policy.Failed:
		// Reading stopped on a clone: the chip authentication check
		// says so; the session itself ended as it should.
		f.Session = policy.Passed
	default:
		f.Session, f.SessionDetail = policy.Interrupted, "the read did not finish"
	}
	interrupted := f.Session == policy.Interrupted

	// Passive authentication, the data groups and the CRL.
	paCheck := r.Check(CheckPassiveAuth)
	switch {
	case r.PassiveAuth != nil:
		PassiveAuthFacts(&f, r.PassiveAuth, paCheck.Err, r.Document)
	case interrupted:
		f.PassiveAuth, f.PassiveAuthDetail = policy.Interrupted, "the files it needs were not all read"
		PassiveAuthFacts(&f, nil, nil, r.Document)
	default:
		PassiveAuthFacts(&f, nil, nil, r.Document)
		f.PassiveAuth, f.PassiveAuthDetail = policy.NotRun, errText(paCheck.Err)
	}

	// Chip authenticity.
	cam := r.PACE != nil && pace.AuthenticatesChip(r.PACE.PACE.Mapping)
	ca := r.chipAuthOutcome(interrupted)
	f.ChipAuth, f.PACECAM = policy.NotOffered, policy.NotOffered
	if cam {
		f.PACECAM, f.PACECAMDetail = ca.o, ca.detail
		if r.offersCA() {
			// Chip Authentication does not run after PACE-CAM, which
			// stands for it.
			f.ChipAuth, f.ChipAuthDetail = policy.NotRun, "PACE-CAM stands for it"
		}
	} else if r.offersCA() || ca.o == policy.Passed || ca.o == policy.Failed || ca.o == policy.Interrupted {
		f.ChipAuth, f.ChipAuthDetail = ca.o, ca.detail
	} else if (r.Document == nil || !r.Document.Has(chip.EFDG14)) && r.sodLists(14) {
		// EF.SOD lists DG14, which was not read: the chip may offer
		// Chip Authentication, and it was not run.
		f.ChipAuth, f.ChipAuthDetail = policy.NotRun, "DG14 not read"
	}
	aaRes := r.activeAuthOutcome(interrupted)
	f.ActiveAuth, f.ActiveAuthDetail = aaRes.o, aaRes.detail

	// The other checks.
	for _, c := range r.Checks {
		switch c.Name {
		case CheckAccess, CheckPassiveAuth, CheckChipAuth, CheckActiveAuth:
			continue
		case CheckRead:
			if c.Status != check.Failed {
				continue
			}
		}
		o := policy.NotRun
		switch c.Status {
		case check.Passed:
			o = policy.Passed
		case check.Failed:
			o = policy.Failed
		case check.Incomplete:
			o = policy.Interrupted
		}
		f.Checks = append(f.Checks, policy.Check{Name: c.Name, Outcome: o, Detail: errText(c.Err)})
	}
	return f
}

// PassiveAuthFacts fills the passive authentication facts of f from a
// passive authentication of doc's files (pa and the error VerifyFiles gave,
// see Verification): its outcome (revocation apart), each data group's
// state (a data group doc holds that pa did not hash is DGNotHashed), and
// the CRL state. With a nil pa every data group doc holds is DGNotHashed
// and the outcome is left as it is.
func PassiveAuthFacts(f *policy.Facts, pa *pki.Result, paErr error, doc *chip.Document) {
	held := map[int]bool{}
	if doc != nil {
		for file := range doc.Files() {
			if n := file.DataGroup(); n > 0 {
				held[n] = true
			}
		}
	}
	f.DataGroups = nil
	if pa == nil {
		for n := range held {
			f.DataGroups = append(f.DataGroups, policy.DataGroup{Number: n, State: policy.DGNotHashed})
		}
		slices.SortFunc(f.DataGroups, func(a, b policy.DataGroup) int { return a.Number - b.Number })
		return
	}
	f.PassiveAuth = policy.Passed
	var errs []string
	for _, c := range pa.Checks {
		if c.Name == pki.CheckRevocation {
			continue
		}
		if c.Status != check.Passed {
			f.PassiveAuth = policy.Failed
			errs = append(errs, errText(c.Err))
		}
	}
	if f.PassiveAuth == policy.Passed && errors.Is(paErr, ErrNoHolderData) {
		f.PassiveAuth = policy.Failed
		errs = append(errs, ErrNoHolderData.Error())
	}
	f.PassiveAuthDetail = strings.Join(errs, "; ")
	hashed := map[int]bool{}
	for _, d := range pa.DataGroups {
		hashed[d.Number] = true
		f.DataGroups = append(f.DataGroups, policy.DataGroup{Number: d.Number, State: map[pki.DGStatus]policy.DGState{
			pki.DGOK: policy.DGVerified, pki.DGMismatch: policy.DGMismatch,
			pki.DGNotInSOD: policy.DGNotInSOD, pki.DGNotRead: policy.DGNotRead}[d.Status]})
	}
	for n := range held {
		if !hashed[n] {
			f.DataGroups = append(f.DataGroups, policy.DataGroup{Number: n, State: policy.DGNotHashed})
		}
	}
	slices.SortFunc(f.DataGroups, func(a, b policy.DataGroup) int { return a.Number - b.Number })
	f.CRL, f.CRLDetail = pki.RevocationUnknown, ""
	if pa.Path != nil {
		f.CRL = pa.Path.Revocation
		if c := pa.Path.Check(pki.CheckRevocation); c.Err != nil {
			f.CRLDetail = errText(c.Err)
		}
	}
}

// FilesFacts are the facts of files read before, without a chip session (a
// folder written by a read, an upload to a server): passive authentication
// as VerifyFiles found it (v), Chip Authentication and Active
// Authentication NotRun when DG14 or DG15 show that the chip offers them
// (files prove nothing about a chip: a server that holds an Active
// Authentication signature over its own challenge sets ActiveAuth itself),
// NotOffered otherwise, and the parse check (parseErr).
func FilesFacts(files map[chip.File][]byte, doc *chip.Document, v Verification, parseErr error) policy.Facts {
	f := policy.Facts{Session: policy.NotRun, ChipAuth: policy.NotOffered, PACECAM: policy.NotOffered, ActiveAuth: policy.NotOffered,
		Findings: slices.Clone(v.Findings)}
	PassiveAuthFacts(&f, v.PassiveAuth, v.Err, doc)
	if d := files[chip.EFDG14]; d != nil {
		if infos, err := secinfo.Lenient.ParseDG14(d); err == nil {
			for _, ca := range infos.ChipAuthentication() {
				if ca.PublicKey != nil {
					f.ChipAuth, f.ChipAuthDetail = policy.NotRun, "files only: no chip session"
				}
			}
		}
	}
	if files[chip.EFDG15] != nil {
		f.ActiveAuth, f.ActiveAuthDetail = policy.NotRun, "files only: no chip session"
	}
	o := policy.Passed
	if parseErr != nil {
		o = policy.Failed
	}
	f.Checks = append(f.Checks, policy.Check{Name: CheckParse, Outcome: o, Detail: errText(parseErr)})
	return f
}

type outcome struct {
	o      policy.Outcome
	detail string
}

// chipAuthOutcome folds the chip authentication checks (a failure and a
// later pass of a re-run after re-opening count as the failure).
func (r *Result) chipAuthOutcome(interrupted bool) outcome {
	var out outcome
	seen := false
	for _, c := range r.Checks {
		if c.Name != CheckChipAuth {
			continue
		}
		seen = true
		switch {
		case c.Status == check.Incomplete:
			if out.o != policy.Failed {
				out = outcome{policy.Interrupted, errText(c.Err)}
			}
		case c.Status == check.Failed:
			out = outcome{policy.Failed, errText(c.Err)}
		case c.Status == check.Passed:
			if out.o == policy.NotRun {
				out = outcome{policy.Passed, ""}
			}
		default:
			if out.o == policy.NotRun && out.detail == "" {
				out.detail = errText(c.Err)
			}
		}
	}
	if !seen && interrupted {
		return outcome{policy.Interrupted, "the session ended before it ran"}
	}
	return out
}

// activeAuthOutcome is Active Authentication's outcome: NotOffered without
// DG15.
func (r *Result) activeAuthOutcome(interrupted bool) outcome {
	c := r.Check(CheckActiveAuth)
	hasDG15 := r.Document != nil && r.Document.Has(chip.EFDG15)
	switch {
	case c.Status == check.Passed:
		return outcome{policy.Passed, ""}
	case c.Status == check.Incomplete:
		return outcome{policy.Interrupted, errText(c.Err)}
	case c.Status == check.Failed:
		return outcome{policy.Failed, errText(c.Err)}
	case interrupted && r.Check(CheckRead).Status != check.Passed:
		return outcome{policy.Interrupted, "the session ended before it ran"}
	case !hasDG15 && r.sodLists(15):
		return outcome{policy.NotRun, "DG15 not read"}
	case !hasDG15:
		return outcome{policy.NotOffered, "no DG15"}
	}
	return outcome{policy.NotRun, errText(c.Err)}
}

// sodLists reports whether EF.SOD, as read, lists data group n.
func (r *Result) sodLists(n int) bool {
	if r.PassiveAuth != nil && r.PassiveAuth.SOD != nil {
		for _, d := range r.PassiveAuth.DataGroups {
			if d.Number == n && d.Stored != nil {
				return true
			}
		}
		return false
	}
	if r.Document == nil {
		return false
	}
	list, _ := sodDataGroups(r.Document.Raw(chip.EFSOD))
	return slices.Contains(list, chip.DataGroup(n))
}

// offersCA reports whether the document's DG14 announces a Chip
// Authentication key.
func (r *Result) offersCA() bool {
	if r.Document == nil || !r.Document.Has(chip.EFDG14) {
		return false
	}
	d, err := secinfo.Lenient.ParseDG14(r.Document.Raw(chip.EFDG14))
	if err != nil {
		return false
	}
	for _, ca := range d.ChipAuthentication() {
		if ca.PublicKey != nil {
			return true
		}
	}
	return false
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}
