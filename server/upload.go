package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"sync"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/evidence"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// Upload is what a client sends to POST /v1/verify: the raw files as the
// chip gave them, the challenge token, and the chip's Active
// Authentication signature over the token's nonce (nil when the client
// could not get one).
type Upload struct {
	Files     map[chip.File][]byte
	Token     string
	Signature []byte
}

// Names of the non-file parts of an upload.
const (
	PartToken     = "challenge"
	PartSignature = "aa_signature"
	// MaxSignatureLen bounds the signature part (RSA-8192).
	MaxSignatureLen = 1024
)

// Names of the checks an upload adds to those of the reader.
const (
	CheckChallenge  check.Name = "challenge"
	CheckParse                 = reader.CheckParse
	CheckPassive               = reader.CheckPassiveAuth
	CheckActiveAuth            = reader.CheckActiveAuth
)

// ErrUpload wraps what is wrong with an upload's form.
var ErrUpload = errors.New("bad upload")

var fileByName = func() map[string]chip.File {
	m := map[string]chip.File{}
	for _, f := range chip.Files() {
		switch f {
		case chip.EFCVCA, chip.EFATRInfo, chip.EFDIR:
			continue
		}
		m[f.String()] = f
	}
	return m
}()

// readUpload parses a multipart/form-data body: one part per file named
// EF.COM, EF.SOD, DG1..DG16, EF.CardAccess, EF.CardSecurity; "challenge"
// (the token) and "aa_signature". Every part is bounded by the size its
// file may have; the whole body by the server's limit.
func readUpload(r *http.Request) (*Upload, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, fmt.Errorf("%w: want multipart/form-data", errMediaType)
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	u := &Upload{Files: map[chip.File][]byte{}}
	seen := map[string]bool{}
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUpload, err)
		}
		if n >= 32 {
			return nil, fmt.Errorf("%w: more than 32 parts", ErrUpload)
		}
		name := p.FormName()
		if seen[name] {
			return nil, fmt.Errorf("%w: part %q twice", ErrUpload, name)
		}
		seen[name] = true
		limit := 0
		var f chip.File
		switch name {
		case PartToken:
			limit = 256
		case PartSignature:
			limit = MaxSignatureLen
		default:
			var ok bool
			if f, ok = fileByName[name]; !ok {
				return nil, fmt.Errorf("%w: unknown part %q", ErrUpload, clip(name))
			}
			limit = f.MaxSize()
		}
		b, err := readPart(p, limit)
		if err != nil {
			return nil, fmt.Errorf("%w: part %s: %w", ErrUpload, name, err)
		}
		if len(b) > limit {
			return nil, fmt.Errorf("%w: part %s larger than %d bytes", errTooLarge, name, limit)
		}
		switch name {
		case PartToken:
			u.Token = string(b)
		case PartSignature:
			u.Signature = b
		default:
			if len(b) == 0 {
				return nil, fmt.Errorf("%w: part %s is empty", ErrUpload, name)
			}
			u.Files[f] = b
		}
	}
	if u.Token == "" {
		return nil, fmt.Errorf("%w: no %q part (POST /v1/challenge first)", ErrUpload, PartToken)
	}
	if u.Files[chip.EFSOD] == nil {
		return nil, fmt.Errorf("%w: no EF.SOD", ErrUpload)
	}
	if u.Files[chip.EFDG1] == nil {
		return nil, fmt.Errorf("%w: no DG1", ErrUpload)
	}
	return u, nil
}

// scratch buffers for reading parts: a part is read into one, then copied
// out at its exact size (no growing and copying per part).
var scratch = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}

// readPart reads at most limit+1 bytes of p.
func readPart(p io.Reader, limit int) ([]byte, error) {
	bp := scratch.Get().(*[]byte)
	defer scratch.Put(bp)
	buf := *bp
	n := 0
	for {
		if n == len(buf) {
			if n > limit {
				break
			}
			buf = append(buf, make([]byte, len(buf))...)
			*bp = buf
		}
		m, err := p.Read(buf[n:min(len(buf), limit+1)])
		n += m
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if n > limit {
			break
		}
	}
	return append([]byte(nil), buf[:n]...), nil
}

func clip(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// verifyUpload verifies uploaded files whose challenge was redeemed
// (nonce). It never fails: what is wrong is in the checks and the
// verdict.
func (s *Server) verifyUpload(ctx context.Context, u *Upload, nonce []byte, now time.Time) *Result {
	ts := s.trust()
	r := &Result{Version: ResultVersion, Mode: "upload", VerifiedAt: now.UTC()}
	r.Checks = append(r.Checks, Check{Name: CheckChallenge, Status: check.Passed})

	doc, perr := chip.ParseDocument(u.Files)
	r.Checks = append(r.Checks, checkOf(CheckParse, perr))
	cit := citizenOf(doc)

	// The facts, as a read establishes them, for the policy.
	f := policy.Facts{Session: policy.NotRun, SessionDetail: "upload: the client read the chip"}
	v := reader.VerifyFiles(u.Files, doc, &reader.Config{Trust: ts.store, Time: func() time.Time { return now }})
	pa := v.PassiveAuth
	reader.PassiveAuthFacts(&f, pa, v.Err, doc)
	// The Doc 9303 profile checks of the files, as a read runs them
	// (package conform); DG1 against the opening key cannot be checked: the
	// server never had the key.
	f.Findings = append(v.Findings, conform.Check(conform.Document{Files: u.Files})...)
	r.Checks = append(r.Checks, checkOf(CheckPassive, v.Err))
	r.PassiveAuthentication = paChecks(pa)
	r.DataGroups = dataGroups(pa)

	// DG14's SecurityInfos, parsed once for the CA offer and AA's
	// algorithm (nil when absent or unreadable).
	var si14 *secinfo.SecurityInfos
	if b := u.Files[chip.EFDG14]; b != nil {
		si14, _ = secinfo.Lenient.ParseDG14(b)
	}
	f.ChipAuth, f.PACECAM = policy.NotOffered, policy.NotOffered
	if offersCA(si14) {
		f.ChipAuth, f.ChipAuthDetail = policy.NotRun, "not possible on uploaded files (the relay runs it)"
	}
	aaCheck, aaOutcome := s.checkAA(doc, si14, nonce, u.Signature)
	r.Checks = append(r.Checks, aaCheck)
	f.ActiveAuth, f.ActiveAuthDetail = aaOutcome, aaCheck.Error

	outcome := func(err error) policy.Outcome {
		if err != nil {
			return policy.Failed
		}
		return policy.Passed
	}
	f.Checks = append(f.Checks, policy.Check{Name: reader.CheckParse, Outcome: outcome(perr)})
	if com := u.Files[chip.EFCOM]; com != nil {
		var err error
		if pa != nil && pa.SOD != nil {
			err = reader.ConsistentCOMParsed(com, pa.SOD)
		} else {
			err = reader.ConsistentCOM(com, u.Files[chip.EFSOD])
		}
		f.Checks = append(f.Checks, policy.Check{Name: reader.CheckCOM, Outcome: outcome(err), Detail: errText(err)})
	}
	if ca := u.Files[chip.EFCardAccess]; ca != nil {
		err := reader.ConsistentCardAccess(ca, u.Files[chip.EFDG14])
		o := policy.NotRun
		switch {
		case err == nil:
			o = policy.Passed
		case errors.Is(err, reader.ErrCardAccessMismatch):
			o = policy.Failed
		}
		f.Checks = append(f.Checks, policy.Check{Name: reader.CheckCardAccess, Outcome: o, Detail: errText(err)})
	}

	d := s.policy.Decide(f)
	r.Facts, r.Verdict, r.Proven = f, verdictOf(d), provenOf(f)
	if r.Proven.DataAuthentic && !r.Proven.CloneSuspected {
		r.Holder = holderOf(doc, pa, now, cit)
		r.Face = s.faceOf(ctx, doc, pa)
	}
	var proof *evidence.ActiveAuth
	if u.Signature != nil {
		proof = &evidence.ActiveAuth{Challenge: nonce, Signature: u.Signature}
	}
	if b, err := evidence.NewUpload(u.Files, proof, pa, d, f, r.VerifiedAt); err == nil {
		r.Evidence = b.Encoded()
	}
	return r
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// offersCA reports whether DG14 (si, nil when absent or unreadable)
// announces Chip Authentication.
func offersCA(si *secinfo.SecurityInfos) bool {
	if si == nil {
		return false
	}
	for _, ca := range si.ChipAuthentication() {
		if ca.PublicKey != nil {
			return true
		}
	}
	return false
}

// checkAA verifies the chip's signature over this server's nonce with the
// key of DG15 (and, for ECDSA keys, the algorithm DG14 names), as evidence
// re-verification does. It proves a live chip only together with passive
// authentication, which makes DG15 and DG14 authentic (see provenOf and
// the policy). A signature that does not verify is a failure (a clone, or
// a signature over another challenge); what cannot be checked is not run.
// si14 is the uploaded DG14's SecurityInfos (nil when absent or
// unreadable); its ActiveAuthenticationInfo is taken when the document's
// DG14 parsed.
func (s *Server) checkAA(doc *chip.Document, si14 *secinfo.SecurityInfos, nonce, sig []byte) (Check, policy.Outcome) {
	switch {
	case doc == nil || doc.DG15 == nil:
		if sig == nil {
			return notRun(CheckActiveAuth, "no DG15: the chip offers no Active Authentication"), policy.NotOffered
		}
		return notRun(CheckActiveAuth, "aa_signature uploaded without DG15"), policy.NotRun
	case sig == nil:
		return notRun(CheckActiveAuth, "no aa_signature uploaded: only the data's authenticity can be proven"), policy.NotRun
	}
	var info *secinfo.ActiveAuthenticationInfo
	if doc.DG14 != nil && si14 != nil {
		info = si14.ActiveAuthentication()
	}
	v, err := aa.NewVerifier(doc.DG15.SubjectPublicKeyInfo, info)
	if err != nil {
		return checkOf(CheckActiveAuth, err), policy.Failed
	}
	if err := v.Verify(nonce, sig); err != nil {
		return checkOf(CheckActiveAuth, err), policy.Failed
	}
	return checkOf(CheckActiveAuth, nil), policy.Passed
}
