package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/photo"
	"github.com/cancuoc/cancuoc/policy"
)

// ResultVersion is the version of the result JSON.
const ResultVersion = 1

// Result is the answer of both ways in, upload and relay: the verdict
// under a named policy, what was proven, every check, and, only when the
// data is authentic, the holder's data, the face image and the evidence.
type Result struct {
	Version   int    `json:"version"`
	RequestID string `json:"request_id"`
	// Mode is "upload" or "relay".
	Mode    string  `json:"mode"`
	Verdict Verdict `json:"verdict"`
	Proven  Proven  `json:"proven"`
	// Checks lists every check in order, those that did not run too.
	Checks []Check `json:"checks"`
	// PassiveAuthentication details passive authentication's own checks
	// (SOD signature, chain, validity, revocation, hashes).
	PassiveAuthentication []Check     `json:"passive_authentication,omitempty"`
	DataGroups            []DataGroup `json:"data_groups,omitempty"`
	Holder                *Holder     `json:"holder,omitempty"`
	Face                  *Face       `json:"face,omitempty"`
	// Facts are what the verification established, as the policy
	// weighed them (package policy).
	Facts policy.Facts `json:"facts"`
	// Evidence is the evidence bundle (package evidence) in its
	// canonical form, byte for byte, without the final newline: add a
	// newline and evidence.Verify re-verifies it offline. An upload's
	// answer and a relay's result frame both carry it so; a client that
	// re-encodes the result must keep this value's bytes as they are.
	Evidence   json.RawMessage `json:"evidence,omitempty"`
	Wire       *Wire           `json:"wire,omitempty"`
	VerifiedAt time.Time       `json:"verified_at"`
	Duration   time.Duration   `json:"-"`
}

// Outcomes of a verdict (policy.Verdict's names).
const (
	Verified    = "verified"
	NotVerified = "not verified"
	// Incomplete: the session ended (a client gone, a late relay, a card
	// removed) before the policy's requirements could be decided. Never
	// read as verified nor as a forgery: verify again.
	Incomplete = "incomplete"
)

// Verdict is the outcome under the named policy, and the policy's typed
// reasons (package policy: code, severity, subject, detail).
type Verdict struct {
	Policy  string          `json:"policy"`
	Outcome string          `json:"outcome"`
	Reasons []policy.Reason `json:"reasons"`
}

// Proven says what the checks establish, whatever the policy.
type Proven struct {
	// DataAuthentic: passive authentication passed: the files were
	// signed by a document signer that chains to a trusted CSCA, that no
	// verified CRL revokes, and were not altered, DG1 included.
	DataAuthentic bool `json:"data_authentic"`
	// LiveChip: a genuine chip took part now: Active Authentication
	// signed this server's fresh challenge with the key of the authentic
	// DG15 (upload and relay), or Chip Authentication proved the key of
	// the authentic DG14 (relay). Without it the files may be a copy.
	LiveChip bool `json:"live_chip"`
	// CloneSuspected: the chip failed to prove its key (Chip
	// Authentication, PACE-CAM or Active Authentication failed). The
	// holder's data and face are then withheld, even when the files are
	// authentic: they may have been copied from a genuine chip.
	CloneSuspected bool `json:"clone_suspected"`
	// Statement says it in a sentence.
	Statement string `json:"statement"`
}

// Check is the outcome of one check; its status is "passed", "failed",
// "not run" or "incomplete" in JSON.
type Check struct {
	Name   check.Name   `json:"name"`
	Status check.Status `json:"status"`
	Error  string       `json:"error,omitempty"`
	Detail string       `json:"detail,omitempty"`
}

// DataGroup is the hash check of one data group.
type DataGroup struct {
	Number int    `json:"number"`
	Status string `json:"status"`
}

// Holder is the holder's data: from DG13 on a CCCD (Vietnamese, with
// diacritics), else from DG1's MRZ.
type Holder struct {
	FullName         string `json:"full_name,omitempty"`
	DocumentNumber   string `json:"document_number,omitempty"`
	PersonalNumber   string `json:"personal_number,omitempty"`
	DateOfBirth      string `json:"date_of_birth,omitempty"`
	Sex              string `json:"sex,omitempty"`
	Nationality      string `json:"nationality,omitempty"`
	DateOfExpiry     string `json:"date_of_expiry,omitempty"`
	DateOfIssue      string `json:"date_of_issue,omitempty"`
	PlaceOfOrigin    string `json:"place_of_origin,omitempty"`
	PlaceOfResidence string `json:"place_of_residence,omitempty"`
	Ethnicity        string `json:"ethnicity,omitempty"`
	Religion         string `json:"religion,omitempty"`
	MRZ              string `json:"mrz,omitempty"`
}

// Face is DG2's face image in a format a face matcher takes: the chip's
// JPEG as is, JPEG 2000 converted to PNG. Note says why there is no
// image when conversion failed.
type Face struct {
	MIME         string `json:"mime,omitempty"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	SourceFormat string `json:"source_format"`
	Converted    bool   `json:"converted"`
	Data         []byte `json:"data,omitempty"`
	Note         string `json:"note,omitempty"`
}

// Wire describes a relay session.
type Wire struct {
	Access string  `json:"access,omitempty"`
	APDUs  int     `json:"apdus"`
	Bytes  int     `json:"bytes"`
	Millis float64 `json:"ms"`
}

// MarshalJSON encodes the result, its evidence bundle embedded byte for
// byte as the bundle's canonical form (without its final newline), so
// that a client keeps exactly what evidence.Verify reads.
func (r *Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	head, ev, err := r.encode(&b)
	if err != nil {
		return nil, err
	}
	if ev == nil {
		return bytes.Clone(head), nil
	}
	out := make([]byte, 0, len(head)+len(evidenceKey)+len(ev)+2)
	out = append(append(append(out, head...), evidenceKey...), ev...)
	return append(out, '}', '\n'), nil
}

// evidenceKey joins the evidence to the rest of a result.
const evidenceKey = `,"evidence":`

// encode encodes the result without its evidence into buf, in the parts
// MarshalJSON joins: without evidence (ev nil), head is the whole JSON and
// a newline; with it, head lacks the closing brace and newline, and the
// whole is head, evidenceKey, ev (the bundle's bytes as they are) and
// "}\n". The evidence is never copied: a server writes the parts as they
// are (see writeResult).
func (r *Result) encode(buf *bytes.Buffer) (head, ev []byte, err error) {
	type plain Result
	c := *(*plain)(r)
	c.Evidence = nil
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return nil, nil, err
	}
	head = buf.Bytes()
	ev = bytes.TrimRight(r.Evidence, "\n")
	if len(ev) == 0 {
		return head, nil, nil
	}
	return bytes.TrimSuffix(head, []byte("}\n")), ev, nil
}

// resultBufs are buffers for encoding results.
var resultBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeResult writes the result's JSON (MarshalJSON's bytes) to w with
// its Content-Length, the evidence straight from the bundle's encoding.
func writeResult(w http.ResponseWriter, r *Result) error {
	buf := resultBufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			resultBufs.Put(buf)
		}
	}()
	head, ev, err := r.encode(buf)
	if err != nil {
		return err
	}
	n := len(head)
	if ev != nil {
		n += len(evidenceKey) + len(ev) + 2
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(head); err != nil || ev == nil {
		return nil
	}
	io.WriteString(w, evidenceKey)
	w.Write(ev)
	io.WriteString(w, "}\n")
	return nil
}

func checkOf(name check.Name, err error) Check {
	if err != nil {
		return Check{Name: name, Status: check.Failed, Error: err.Error()}
	}
	return Check{Name: name, Status: check.Passed}
}

func notRun(name check.Name, why string) Check {
	return Check{Name: name, Status: check.NotRun, Error: why}
}

// paChecks lists passive authentication's own checks.
func paChecks(pa *pki.Result) []Check {
	var out []Check
	for _, c := range pa.Checks {
		v := Check{Name: c.Name, Status: c.Status, Detail: c.Detail}
		if c.Err != nil {
			v.Error = c.Err.Error()
		}
		out = append(out, v)
	}
	return out
}

func dataGroups(pa *pki.Result) []DataGroup {
	var out []DataGroup
	for _, d := range pa.DataGroups {
		out = append(out, DataGroup{Number: d.Number, Status: d.Status.String()})
	}
	return out
}

// dgVerified reports whether data group n was read and matches EF.SOD.
func dgVerified(pa *pki.Result, n int) bool {
	if pa == nil || !pa.Valid {
		return false
	}
	for _, d := range pa.DataGroups {
		if d.Number == n {
			return d.Status == pki.DGOK
		}
	}
	return false
}

// holderOf takes the holder's data from the verified files only; cit is
// the CCCD's DG13 when the document has one (parsed once by the caller).
func holderOf(doc *chip.Document, pa *pki.Result, now time.Time, cit *cccd.Citizen) *Holder {
	if doc == nil || !dgVerified(pa, 1) {
		return nil
	}
	h := &Holder{DocumentNumber: doc.DocumentNumber()}
	if m := doc.DG1.MRZ; m != nil {
		h.Sex = string(m.Fields.Sex)
		h.Nationality = m.Fields.Nationality
		h.MRZ = m.String()
	}
	if d := doc.DateOfBirth(now); d != nil {
		h.DateOfBirth = d.String()
	}
	if d := doc.DateOfExpiry(now); d != nil {
		h.DateOfExpiry = d.String()
	}
	if cit != nil && dgVerified(pa, 13) {
		c := cit
		h.FullName = c.FullName
		h.PersonalNumber = c.PersonalNumber
		h.DateOfBirth = c.DateOfBirth.Raw
		h.Sex = c.Sex
		h.Nationality = c.Nationality
		h.DateOfExpiry = c.DateOfExpiry.Raw
		h.DateOfIssue = c.DateOfIssue.Raw
		h.PlaceOfOrigin = c.PlaceOfOrigin
		h.PlaceOfResidence = c.PlaceOfResidence
		h.Ethnicity = c.Ethnicity
		h.Religion = c.Religion
		return h
	}
	h.FullName, h.PersonalNumber = doc.FullName(), doc.PersonalNumber()
	return h
}

// citizenOf parses a CCCD's DG13 once (nil when there is none).
func citizenOf(doc *chip.Document) *cccd.Citizen {
	if doc == nil {
		return nil
	}
	if c, ok := doc.Citizen(); ok {
		return &c
	}
	return nil
}

// faceOf converts DG2's face when DG2 is verified.
func (s *Server) faceOf(ctx context.Context, doc *chip.Document, pa *pki.Result) *Face {
	if doc == nil || !dgVerified(pa, 2) {
		return nil
	}
	img, format, ok := doc.FaceImage()
	if !ok {
		return nil
	}
	f := &Face{SourceFormat: format.String()}
	if format.IsJPEG2000() {
		// opj_decompress is a process: bound how many run at once.
		select {
		case s.convert <- struct{}{}:
			defer func() { <-s.convert }()
		case <-ctx.Done():
			f.Note = "not converted: " + ctx.Err().Error()
			return f
		}
	}
	p, err := s.cfg.Photo.Convert(ctx, img)
	if err != nil {
		f.Note = err.Error()
		if errors.Is(err, photo.ErrNoTool) {
			f.Note = "JPEG 2000 face not converted: opj_decompress (libopenjp2-tools) is not installed on the server"
		}
		return f
	}
	f.MIME, f.Width, f.Height, f.Converted, f.Data = p.MIME, p.Width, p.Height, p.Converted, p.Data
	return f
}
