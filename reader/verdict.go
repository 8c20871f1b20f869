package reader

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// This file: the verdict on what was read: passive authentication, consistency of the
// unsigned files, the downgrade check.

// passiveAuth verifies EF.SOD and the data groups read.
func (s *session) passiveAuth(res *Result, files map[chip.File][]byte) {
	if s.cfg.Trust == nil {
		res.Checks = append(res.Checks, Check{Name: CheckPassiveAuth, Status: check.NotRun,
			Err: errors.New("no trust store given")})
		return
	}
	v := verifyFiles(files, res.Document, s.cfg.Trust, s.now)
	res.PassiveAuth = v.PassiveAuth
	res.add(CheckPassiveAuth, v.Err)
	res.Findings = append(res.Findings, v.Findings...)
}

// Verification is passive authentication of files already read: by a
// read, or from an upload or an evidence bundle (VerifyFiles).
type Verification struct {
	// PassiveAuth is the detail of passive authentication.
	PassiveAuth *pki.Result
	// Err is nil when passive authentication passed with a verified DG1,
	// else why not (the reader's passive authentication check).
	Err error
	// Findings are the conformance findings on the files: the Document
	// Signer's country against DG1's issuing state.
	Findings []conform.Finding
}

// VerifyFiles runs passive authentication on files as a read does: EF.SOD
// and the data groups of files through the trust path of crypto/pki with
// config.Trust at config.Time (the signing time from EF.SOD, else the document's
// date of issue), requiring a verified DG1, and compares the Document
// Signer's country with DG1's issuing state. Only Trust and Time of config
// count (nil: no trust store, which fails, and time.Now). doc is files
// parsed (nil: parsed here). A server that receives uploaded files, and
// the re-verification of an evidence bundle, call it to get the same
// verdict as a read.
func VerifyFiles(files map[chip.File][]byte, doc *chip.Document, config *Config) Verification {
	var trust *pki.TrustStore
	if config != nil {
		trust = config.Trust
	}
	return verifyFiles(files, doc, trust, config.time())
}

// verifyFiles is VerifyFiles with trust at time at.
func verifyFiles(files map[chip.File][]byte, doc *chip.Document, trust *pki.TrustStore, at time.Time) Verification {
	if doc == nil {
		doc, _ = chip.ParseDocument(files)
	}
	pa := pki.Verify(files[chip.EFSOD], chip.DataGroupFiles(files), trust, &pki.VerifyConfig{Time: func() time.Time { return at }, IssuedAt: issueDate(doc)})
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
	return Verification{PassiveAuth: pa, Err: err, Findings: dsCountryFindings(pa, doc)}
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
	if res.Access.Method != BAC || s.dg14 == nil || s.cfg.UseBAC {
		return
	}
	if len(s.dg14.PACE()) == 0 {
		return
	}
	res.add(CheckDowngrade, ErrDowngrade)
}

// issueDate is the document's date of issue, which passive authentication
// uses as the signing time when EF.SOD carries none: DG12's, or the CCCD's
// (DG13 field 11). Zero when unknown.
func issueDate(doc *chip.Document) time.Time {
	if doc == nil {
		return time.Time{}
	}
	if doc.DG12 != nil {
		if t, ok := doc.DG12.DateOfIssue.Time(); ok {
			return t
		}
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
	CheckCOM        check.Name = "EF.COM"
	CheckCardAccess check.Name = "EF.CardAccess"
	// CheckDowngrade fails when BAC opened a chip whose DG14 announces
	// PACE (ErrDowngrade).
	CheckDowngrade check.Name = "PACE downgrade"
)

// sodDataGroups returns the data groups EF.SOD lists, in order.
func sodDataGroups(b []byte) ([]chip.File, bool) {
	sod, err := pki.ParseSOD(b)
	if err != nil {
		return nil, false
	}
	return sodList(sod)
}

// sodList lists the data groups a parsed EF.SOD holds hashes of.
func sodList(sod *pki.SOD) ([]chip.File, bool) {
	if sod == nil || sod.SecurityObject == nil {
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

// checkCOM compares EF.COM's list with EF.SOD's (see ConsistentCOM).
func (s *session) checkCOM(com, sod []chip.File) {
	s.res.add(CheckCOM, consistentCOM(com, sod))
}

// ConsistentCOM compares the data groups EF.COM lists with those EF.SOD
// lists (which passive authentication verifies): EF.COM is not signed, so
// a difference means it was changed, or issued wrong. It is the reader's
// EF.COM check, for files already read.
func ConsistentCOM(com, sod []byte) error {
	c, err := chip.ParseCOM(com)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCOMMismatch, err)
	}
	list, ok := sodDataGroups(sod)
	if !ok {
		return fmt.Errorf("%w: EF.SOD does not parse", ErrCOMMismatch)
	}
	return consistentCOM(c.DataGroups, list)
}

// ConsistentCOMParsed is ConsistentCOM with EF.SOD parsed already (as
// passive authentication's pki.Result.SOD holds it; nil: EF.SOD did not
// parse), so that it is not parsed twice.
func ConsistentCOMParsed(com []byte, sod *pki.SOD) error {
	c, err := chip.ParseCOM(com)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCOMMismatch, err)
	}
	list, ok := sodList(sod)
	if !ok {
		return fmt.Errorf("%w: EF.SOD does not parse", ErrCOMMismatch)
	}
	return consistentCOM(c.DataGroups, list)
}

func consistentCOM(com, sod []chip.File) error {
	a, b := slices.Clone(com), slices.Clone(sod)
	slices.Sort(a)
	slices.Sort(b)
	if slices.Equal(a, b) {
		return nil
	}
	return fmt.Errorf("%w: EF.COM %v, EF.SOD %v", ErrCOMMismatch, com, sod)
}

// errNoPACEInDG14 is why the EF.CardAccess check cannot run.
var errNoPACEInDG14 = errors.New("no DG14 repeating the PACE protocols: EF.CardAccess cannot be authenticated")

// checkCardAccess checks EF.CardAccess against DG14 (see
// ConsistentCardAccess).
func (s *session) checkCardAccess() {
	if s.cardAccess == nil {
		return
	}
	err := consistentCardAccess(s.cardAccess, s.dg14)
	if errors.Is(err, errNoPACEInDG14) {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckCardAccess, Status: check.NotRun, Err: err})
		return
	}
	s.res.add(CheckCardAccess, err)
}

// ConsistentCardAccess checks EF.CardAccess, which nothing signs, against
// DG14, which EF.SOD signs and which repeats the SecurityInfos of
// EF.CardAccess (ICAO Doc 9303-11 §9.2.1): every info of EF.CardAccess
// must be in DG14, byte for byte. Without a DG14 that lists PACE it
// cannot decide (an error that is not ErrCardAccessMismatch). It is the
// reader's EF.CardAccess check, for files already read.
func ConsistentCardAccess(cardAccess, dg14 []byte) error {
	d, err := secinfo.Lenient.ParseDG14(dg14)
	if err != nil {
		d = nil
	}
	return consistentCardAccess(cardAccess, d)
}

func consistentCardAccess(cardAccess []byte, d *secinfo.SecurityInfos) error {
	if d == nil || len(d.PACE()) == 0 {
		return errNoPACEInDG14
	}
	ca, err := secinfo.Lenient.Parse(cardAccess)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardAccessMismatch, err)
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
			return fmt.Errorf("%w: %s", ErrCardAccessMismatch, info)
		}
	}
	return nil
}
