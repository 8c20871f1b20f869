package reader

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// This file: the verdict on what was read: passive authentication, consistency of the
// unsigned files, the downgrade check.

// passiveAuth verifies EF.SOD and the data groups read.
func (s *session) passiveAuth(res *Result, files map[chip.File][]byte) {
	if s.opts.Trust == nil {
		res.Checks = append(res.Checks, Check{Name: CheckPassiveAuth, Status: NotRun,
			Err: errors.New("no trust store given")})
		return
	}
	dgs := map[int][]byte{}
	for f, b := range files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	pa := pki.VerifyWithOptions(files[chip.EFSOD], dgs, s.opts.Trust, pki.VerifyOptions{At: s.opts.Time, IssuedAt: issueDate(res.Document)})
	res.PassiveAuth = pa
	err := pa.Err()
	if err == nil {
		// An authentic EF.SOD alone passes passive authentication: the
		// holder's data must be there too, DG1 at least, with its hash
		// verified (Doc 9303-10: DG1 is mandatory).
		err = ErrNoHolderData
		for _, d := range pa.DataGroups {
			if d.Number == 1 && d.Status == pki.DGOK {
				err = nil
			}
		}
	}
	res.add(CheckPassiveAuth, err)
	res.Findings = append(res.Findings, dsCountryFindings(pa, res.Document)...)
}

// dsCountryFindings compares the Document Signer's country with DG1's
// issuing state (conform.CheckDSCountry) when both are known.
func dsCountryFindings(pa *pki.Result, doc *chip.Document) []conform.Finding {
	if pa == nil || pa.Signer == nil || doc == nil || doc.DG1 == nil || doc.DG1.MRZ == nil {
		return nil
	}
	c := pa.Signer.Subject.Country()
	if c == "" {
		c = pa.Signer.Issuer.Country()
	}
	if f := conform.CheckDSCountry(c, doc.DG1.MRZ.Fields.IssuingState); f != nil {
		return []conform.Finding{*f}
	}
	return nil
}

// ErrNoHolderData: passive authentication found no DG1 whose hash verified.
var ErrNoHolderData = errors.New("reader: no verified DG1")

// ErrDowngrade: the chip was opened with BAC although its authenticated
// DG14 announces PACE: someone may have hidden or spoiled EF.CardAccess to
// force the weaker protocol.
var ErrDowngrade = errors.New("reader: BAC used although DG14 announces PACE")

// checkDowngrade fails the read when BAC opened a chip whose DG14 (verified
// by passive authentication) announces PACE, unless the caller chose BAC
// (UseBAC). AllowBACFallback does not lift it: a fallback after a PACE
// attempt that failed keeps that failure, and a chip whose EF.CardAccess
// was hidden (PACE never tried) is what an attacker in the radio path
// would arrange.
func (s *session) checkDowngrade(res *Result) {
	if res.Access != "BAC" || s.dg14 == nil || s.opts.UseBAC {
		return
	}
	if len(s.dg14.PACE()) == 0 {
		return
	}
	res.add("PACE downgrade", ErrDowngrade)
}

// issueDate is the document's date of issue, which passive authentication
// uses as the signing time when EF.SOD carries none: DG12's, or the CCCD's
// (DG13 field 11). Zero when unknown.
func issueDate(doc *chip.Document) time.Time {
	if doc == nil {
		return time.Time{}
	}
	if t := pki.DocumentIssueDate(doc); !t.IsZero() {
		return t
	}
	if c, ok := doc.Citizen(); ok {
		if t, ok := c.DateOfIssue.Time(nil); ok {
			return t
		}
	}
	return time.Time{}
}

// Consistency of the files EF.SOD does not sign.
var (
	// ErrCOMMismatch: EF.COM lists other data groups than EF.SOD.
	ErrCOMMismatch = errors.New("reader: EF.COM and EF.SOD list different data groups")
	// ErrCardAccessMismatch: EF.CardAccess holds a SecurityInfo that the
	// authenticated DG14 does not.
	ErrCardAccessMismatch = errors.New("reader: EF.CardAccess differs from DG14")
)

// Names of the consistency checks.
const (
	CheckCOM        = "EF.COM"
	CheckCardAccess = "EF.CardAccess"
)

// sodDataGroups returns the data groups EF.SOD lists, in order.
func sodDataGroups(b []byte) ([]chip.File, bool) {
	sod, err := pki.ParseSOD(b)
	if err != nil || sod.SecurityObject == nil {
		return nil, false
	}
	var out []chip.File
	for _, h := range sod.SecurityObject.DataGroupHashes {
		if f := chip.DataGroup(h.DataGroup); f.Valid() {
			out = append(out, f)
		}
	}
	return out, true
}

// checkCOM compares EF.COM's list with EF.SOD's (which passive
// authentication verifies): EF.COM is not signed, so a difference means
// it was changed, or issued wrong.
func (s *session) checkCOM(com, sod []chip.File) {
	a, b := slices.Clone(com), slices.Clone(sod)
	slices.Sort(a)
	slices.Sort(b)
	if slices.Equal(a, b) {
		s.res.add(CheckCOM, nil)
		return
	}
	s.res.add(CheckCOM, fmt.Errorf("%w: EF.COM %v, EF.SOD %v", ErrCOMMismatch, com, sod))
}

// checkCardAccess checks EF.CardAccess, which nothing signs, against DG14,
// which EF.SOD signs and which repeats the SecurityInfos of EF.CardAccess
// (ICAO Doc 9303-11 §9.2.1): every info of EF.CardAccess must be in DG14,
// byte for byte. Without a DG14 that lists PACE the check cannot run.
func (s *session) checkCardAccess() {
	if s.cardAccess == nil {
		return
	}
	d := s.dg14
	if d == nil || len(d.PACE()) == 0 {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckCardAccess, Status: NotRun,
			Err: errors.New("no DG14 repeating the PACE protocols: EF.CardAccess cannot be authenticated")})
		return
	}
	ca, err := secinfo.Lenient.Parse(s.cardAccess)
	if err != nil {
		s.res.add(CheckCardAccess, fmt.Errorf("%w: %w", ErrCardAccessMismatch, err))
		return
	}
	for _, info := range ca.Infos {
		a, err := info.Marshal()
		found := false
		for _, o := range d.Infos {
			if b, berr := o.Marshal(); err == nil && berr == nil && bytes.Equal(a, b) {
				found = true
				break
			}
		}
		if !found {
			s.res.add(CheckCardAccess, fmt.Errorf("%w: %s", ErrCardAccessMismatch, info))
			return
		}
	}
	s.res.add(CheckCardAccess, nil)
}
