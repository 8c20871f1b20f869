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

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/pki"
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
	CheckChallenge  = "challenge"
	CheckParse      = "parse files"
	CheckPassive    = "passive authentication"
	CheckActiveAuth = "active authentication"
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
	r.Checks = append(r.Checks, Check{Name: CheckChallenge, Status: Passed})

	doc, perr := chip.ParseDocument(u.Files)
	r.Checks = append(r.Checks, checkOf(CheckParse, perr))
	cit := citizenOf(doc)

	dgs := map[int][]byte{}
	for f, b := range u.Files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	pa := pki.VerifyWithOptions(u.Files[chip.EFSOD], dgs, ts.store, pki.VerifyOptions{At: now, IssuedAt: issueDate(doc, cit)})
	paErr := pa.Err()
	if paErr == nil && !dgVerified(pa, 1) {
		paErr = errors.New("no verified DG1")
	}
	r.Checks = append(r.Checks, checkOf(CheckPassive, paErr))
	r.PassiveAuthentication = paChecks(pa)
	r.DataGroups = dataGroups(pa)
	r.Proven.DataAuthentic = paErr == nil

	r.Checks = append(r.Checks, s.checkAA(doc, pa, nonce, u.Signature))
	r.Proven.LiveChip = r.Proven.DataAuthentic && r.Checks[len(r.Checks)-1].Status == Passed
	r.Proven.Statement = statement(r.Proven)

	if r.Proven.DataAuthentic {
		r.Holder = holderOf(doc, pa, now, cit)
		r.Face = s.faceOf(ctx, doc, pa)
		var sig, ch []byte
		if u.Signature != nil {
			sig, ch = u.Signature, nonce
		}
		r.Evidence = s.evidenceOf(u.Files, pa, ch, sig, ts.desc, r.VerifiedAt)
	}
	decide(r, s.cfg.Policy, pa, nil)
	return r
}

// checkAA verifies the chip's signature over this server's nonce with the
// key of DG15, which must itself be authentic (its hash verified against
// EF.SOD), and the algorithm of an authentic DG14 for ECDSA keys.
func (s *Server) checkAA(doc *chip.Document, pa *pki.Result, nonce, sig []byte) Check {
	switch {
	case sig == nil:
		return notRun(CheckActiveAuth, "no aa_signature uploaded: only the data's authenticity can be proven")
	case doc == nil || doc.DG15 == nil:
		return checkOf(CheckActiveAuth, errors.New("aa_signature uploaded without DG15"))
	case !dgVerified(pa, 15):
		return checkOf(CheckActiveAuth, errors.New("DG15 is not authentic (its hash is not verified against EF.SOD)"))
	}
	var info *secinfo.ActiveAuthenticationInfo
	if b := u14(doc); b != nil {
		if !dgVerified(pa, 14) {
			return checkOf(CheckActiveAuth, errors.New("DG14 is not authentic (its hash is not verified against EF.SOD)"))
		}
		if si, err := secinfo.Lenient.ParseDG14(b); err == nil {
			info = si.ActiveAuthentication()
		}
	}
	v, err := aa.NewVerifier(doc.DG15, info)
	if err != nil {
		return checkOf(CheckActiveAuth, err)
	}
	return checkOf(CheckActiveAuth, v.Verify(nonce, sig))
}

// u14 is DG14's raw bytes (nil when absent).
func u14(doc *chip.Document) []byte {
	if doc.DG14 == nil {
		return nil
	}
	return doc.Raw(chip.EFDG14)
}

// issueDate is the document's date of issue, which passive authentication
// uses as the signing time when EF.SOD carries none: DG12's, or the CCCD's
// (DG13). Zero when unknown.
func issueDate(doc *chip.Document, cit *cccd.Citizen) time.Time {
	if doc == nil {
		return time.Time{}
	}
	if t := pki.DocumentIssueDate(doc); !t.IsZero() {
		return t
	}
	if cit != nil {
		if t, ok := cit.DateOfIssue.Time(nil); ok {
			return t
		}
	}
	return time.Time{}
}
