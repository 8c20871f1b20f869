// Package evidence keeps what a verifier saw, so that an auditor can check
// it later: an evidence bundle is a versioned JSON document holding every
// file read from the chip (raw bytes), the Active Authentication challenge
// and signature, the public data of PACE and Chip Authentication, the
// fingerprints of the trust anchor, chain and CRLs used, the time, the
// policy, and the verdict with its facts, reasons and findings.
//
// # What binds a bundle
//
// Verify re-verifies a bundle offline, with the trust files alone, and
// never trusts what it claims: it recomputes every fact it can and the
// verdict, and reports each claimed field that disagrees.
//
//   - The files are bound by EF.SOD: passive authentication runs again on
//     them, through the same trust path as at the read.
//   - The Active Authentication signature is bound by DG15's key (which
//     EF.SOD signs): it is verified again over the recorded challenge. This
//     proves that a chip holding that key signed that challenge; that the
//     challenge was fresh at the read is the reader's claim.
//   - Chip Authentication and PACE-CAM cannot be re-proven offline: their
//     proof is the secure messaging session with the chip, whose keys are
//     not, and must not be, kept. Their outcomes, the session's, and the
//     other checks of the read are the reader's claims, shown as such.
//   - The read time, the access protocol and the policy are bound by
//     nothing but the bundle's integrity digest (a SHA-256 over the bundle
//     in canonical form), which catches any changed byte but not someone
//     who rewrites the bundle and its digest. A bank that needs them bound
//     signs or timestamps the bundle it stores.
//
// A bundle holds no secret: no MRZ key, CAN or PIN, no session key, no
// private key. It holds the holder's personal data (the files), so it is
// kept as such.
package evidence

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// Format and Version identify a bundle.
const (
	Format  = "cancuoc-evidence"
	Version = 1
)

// MaxSize is the largest bundle Parse and Verify read.
const MaxSize = 32 << 20

// Errors.
var (
	// ErrFormat: not a bundle of this format and version, not canonical
	// JSON, or a field that cannot be read.
	ErrFormat = errors.New("evidence: not a valid bundle")
	// ErrIntegrity: the integrity digest does not match the bundle: a
	// byte was changed.
	ErrIntegrity = errors.New("evidence: integrity digest does not match")
	// ErrDisagrees: a claimed field disagrees with what re-verification
	// computed.
	ErrDisagrees = errors.New("evidence: claims disagree with re-verification")
	// ErrNoResult: the result holds nothing to keep (no file was read).
	ErrNoResult = errors.New("evidence: nothing read")
)

// File is one file read from the chip.
type File struct {
	// Name is the file's name ("EF.COM", "EF.SOD", "DG1"...).
	Name string `json:"name"`
	// SHA256 is the hash of Data, for people and indexes; Verify checks it.
	SHA256 string `json:"sha256"`
	Data   []byte `json:"data"`
}

// ActiveAuth is the Active Authentication exchange: the challenge the
// reader sent and the chip's signature (its INTERNAL AUTHENTICATE answer).
type ActiveAuth struct {
	Challenge []byte `json:"challenge"`
	Signature []byte `json:"signature"`
}

// PACE is the public data of the PACE run that opened the chip: the
// protocol and the ephemeral public keys, and for PACE-CAM the chip's
// authentication data. It holds no password and no session key.
type PACE struct {
	Protocol       string `json:"protocol"`
	ParameterID    int    `json:"parameter_id"`
	ChipKey        []byte `json:"chip_key,omitempty"`
	TerminalKey    []byte `json:"terminal_key,omitempty"`
	ChipMappingKey []byte `json:"chip_mapping_key,omitempty"`
	CAData         []byte `json:"ca_data,omitempty"`
}

// ChipAuth is the public data of Chip Authentication: the protocol and key
// DG14 announces (the key itself is in DG14, among the files).
type ChipAuth struct {
	Protocol string `json:"protocol"`
	KeyID    int64  `json:"key_id,omitempty"`
}

// Cert is a certificate's fingerprint.
type Cert struct {
	Subject string `json:"subject"`
	SHA256  string `json:"sha256"`
}

// CRL is a CRL's fingerprint.
type CRL struct {
	Issuer     string    `json:"issuer"`
	Number     string    `json:"number,omitempty"`
	ThisUpdate time.Time `json:"this_update"`
	NextUpdate time.Time `json:"next_update,omitzero"`
	SHA256     string    `json:"sha256"`
}

// Trust is what the verifier trusted: the anchor (a CSCA), the chain from
// the Document Signer to it, and the CRLs that decided revocation.
type Trust struct {
	Anchor *Cert  `json:"anchor,omitempty"`
	Chain  []Cert `json:"chain,omitempty"`
	CRLs   []CRL  `json:"crls,omitempty"`
}

// Bundle is an evidence bundle.
type Bundle struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	// ReadAt is when the read happened (the verification time).
	ReadAt time.Time `json:"read_at"`
	// Access is the protocol that opened the chip.
	Access string `json:"access,omitempty"`
	// Files are the files read, in file order.
	Files      []File      `json:"files"`
	ActiveAuth *ActiveAuth `json:"active_authentication,omitempty"`
	PACE       *PACE       `json:"pace,omitempty"`
	ChipAuth   *ChipAuth   `json:"chip_authentication,omitempty"`
	Trust      Trust       `json:"trust"`
	// Policy, Facts, Verdict and Reasons are the reader's decision.
	Policy  policy.Policy   `json:"policy"`
	Facts   policy.Facts    `json:"facts"`
	Verdict policy.Verdict  `json:"verdict"`
	Reasons []policy.Reason `json:"reasons"`
	// Integrity is "sha256:" and the hex SHA-256 of the bundle's
	// canonical encoding with Integrity empty.
	Integrity string `json:"integrity"`

	// enc is the canonical encoding made by seal.
	enc []byte
}

func fingerprint(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func certOf(c *pki.Certificate) Cert {
	return Cert{Subject: c.Subject.String(), SHA256: fingerprint(c.Raw)}
}

func crlOf(l *pki.CRL) CRL {
	c := CRL{Issuer: l.Issuer.String(), ThisUpdate: l.ThisUpdate.UTC(), NextUpdate: l.NextUpdate.UTC(), SHA256: fingerprint(l.Raw)}
	if l.NextUpdate.IsZero() {
		c.NextUpdate = time.Time{}
	}
	if l.Number != nil {
		c.Number = l.Number.String()
	}
	return c
}

func trustOf(pa *pki.Result) Trust {
	var t Trust
	if pa == nil || pa.Path == nil {
		return t
	}
	for _, c := range pa.Path.Chain {
		t.Chain = append(t.Chain, certOf(c))
	}
	if a := pa.Path.Anchor(); a != nil {
		ac := certOf(a)
		t.Anchor = &ac
	}
	for _, l := range pa.Path.CRLs {
		t.CRLs = append(t.CRLs, crlOf(l))
	}
	return t
}

// New makes the bundle of a read. at is the read's verification time
// (what reader.Config.Time gave); the bundle's facts, verdict and reasons are the
// result's under its policy.
func New(res *reader.Result, at time.Time) (*Bundle, error) {
	if res == nil || res.Document == nil {
		return nil, ErrNoResult
	}
	b := &Bundle{Format: Format, Version: Version, ReadAt: at.UTC(), Access: res.Access.String()}
	for f, data := range res.Document.Files() {
		b.Files = append(b.Files, File{Name: f.String(), SHA256: fingerprint(data), Data: bytes.Clone(data)})
	}
	if p := res.ActiveAuthProof; p != nil {
		b.ActiveAuth = &ActiveAuth{Challenge: bytes.Clone(p.Challenge), Signature: bytes.Clone(p.Signature)}
	}
	if p := res.PACE; p != nil {
		b.PACE = &PACE{Protocol: p.Protocol.String(), ParameterID: p.ParameterID, ChipKey: bytes.Clone(p.ChipKey),
			TerminalKey: bytes.Clone(p.TerminalKey), ChipMappingKey: bytes.Clone(p.ChipMappingKey), CAData: bytes.Clone(p.CAData)}
	}
	if d := res.Document.Raw(chip.EFDG14); d != nil && res.Check(reader.CheckChipAuth).Status != check.NotRun {
		if infos, err := secinfo.Lenient.ParseDG14(d); err == nil {
			for _, ca := range infos.ChipAuthentication() {
				if ca.PublicKey != nil {
					b.ChipAuth = &ChipAuth{Protocol: ca.Protocol.String()}
					if ca.HasKeyID {
						b.ChipAuth.KeyID = ca.KeyID
					}
					break
				}
			}
		}
	}
	b.Trust = trustOf(res.PassiveAuth)
	d := res.Decision()
	b.Policy, b.Facts, b.Verdict, b.Reasons = d.Policy, res.Facts(), d.Verdict, d.Reasons
	if err := b.seal(); err != nil {
		return nil, err
	}
	return b, nil
}

// NewUpload makes the bundle of files this process verified but did not
// read itself, as a server does for an upload: the files as received, the
// Active Authentication exchange over the server's challenge (nil without
// one), passive authentication's result (for the trust fingerprints), and
// the facts and decision the server reached. The session, Chip
// Authentication and PACE-CAM facts are then the uploader's (NotRun or
// NotOffered), and Verify reports them as claims like any other.
func NewUpload(files map[chip.File][]byte, aa *ActiveAuth, pa *pki.Result, d policy.Decision, f policy.Facts, at time.Time) (*Bundle, error) {
	if len(files) == 0 {
		return nil, ErrNoResult
	}
	b := &Bundle{Format: Format, Version: Version, ReadAt: at.UTC(), Access: "upload"}
	for _, file := range chip.Files() {
		if data, ok := files[file]; ok {
			b.Files = append(b.Files, File{Name: file.String(), SHA256: fingerprint(data), Data: bytes.Clone(data)})
		}
	}
	if aa != nil {
		b.ActiveAuth = &ActiveAuth{Challenge: bytes.Clone(aa.Challenge), Signature: bytes.Clone(aa.Signature)}
	}
	b.Trust = trustOf(pa)
	b.Policy, b.Facts, b.Verdict, b.Reasons = d.Policy, f, d.Verdict, d.Reasons
	if err := b.seal(); err != nil {
		return nil, err
	}
	return b, nil
}

// canonical is the bundle's encoding: indented JSON and a newline, as
// json.MarshalIndent(b, "", "  ") writes it. The files' contents, most of
// a bundle, are not run through an indenter: the bundle is encoded
// without them (each "data" is then null) and indented (by indent, which
// writes what json.Indent writes), and their base64 is put in its place. This is exact: "data" is a key of File alone; a
// string value holds no unescaped quote, so `"data": null` is found only
// where a file's data goes, in file order; base64 needs no escape and
// indenting leaves strings as they are. When the places found are not one
// per file, it falls back to MarshalIndent. TestCanonicalFast
// compares the two on bundles with hostile strings.
func (b *Bundle) canonical() ([]byte, error) {
	sk := *b
	sk.Files = nil
	if b.Files != nil {
		sk.Files = make([]File, len(b.Files))
	}
	size := 0
	for i, f := range b.Files {
		sk.Files[i] = File{Name: f.Name, SHA256: f.SHA256}
		size += base64.StdEncoding.EncodedLen(len(f.Data)) + 2
	}
	compact, err := json.Marshal(&sk)
	if err != nil {
		return nil, err
	}
	skel := indent(make([]byte, 0, len(compact)*2), compact)
	out := make([]byte, 0, len(skel)+size+1)
	rest := skel
	for _, f := range b.Files {
		i := bytes.Index(rest, dataNull)
		if i < 0 {
			return b.canonicalSlow()
		}
		i += len(dataNull) - len("null")
		out = append(out, rest[:i]...)
		rest = rest[i+len("null"):]
		if f.Data == nil {
			out = append(out, "null"...)
			continue
		}
		out = append(out, '"')
		out = base64.StdEncoding.AppendEncode(out, f.Data)
		out = append(out, '"')
	}
	if bytes.Contains(rest, dataNull) {
		return b.canonicalSlow()
	}
	out = append(out, rest...)
	return append(out, '\n'), nil
}

var dataNull = []byte(`"data": null`)

// indent appends src, compact JSON as json.Marshal writes it (no space
// outside strings), indented as json.Indent(dst, src, "", "  ") indents
// it: a line per member and element, two spaces a level, ": " after a
// key, {} and [] when empty; strings copied as they are. It skips
// through strings by their quotes instead of stepping json's scanner
// over every byte. TestIndent and FuzzIndent compare it with json.Indent.
func indent(dst, src []byte) []byte {
	needIndent := false
	depth := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = newline(dst, depth)
		}
		switch c {
		case '"':
			// The closing quote: the first one not escaped, that is
			// not after an odd run of backslashes.
			j := i + 1
			for {
				k := bytes.IndexByte(src[j:], '"')
				if k < 0 {
					j = len(src) - 1
					break
				}
				j += k
				n := 0
				for n < j-i-1 && src[j-1-n] == '\\' {
					n++
				}
				if n%2 == 0 {
					break
				}
				j++
			}
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = newline(dst, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = newline(dst, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func newline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

// canonicalSlow is canonical by json.MarshalIndent alone.
func (b *Bundle) canonicalSlow() ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// integrityKey starts the last member of a bundle's canonical form (a raw
// newline and two spaces come only from indenting: a top-level key).
var integrityKey = []byte("\n  \"integrity\": ")

// unsealed turns a canonical encoding into the one with Integrity empty,
// what the digest covers, without encoding the bundle again (ok false
// when enc does not end with the integrity member).
func unsealed(enc []byte) ([]byte, bool) {
	i := bytes.LastIndex(enc, integrityKey)
	if i < 0 || !bytes.HasSuffix(enc, []byte("\"\n}\n")) {
		return nil, false
	}
	i += len(integrityKey)
	out := make([]byte, 0, i+5)
	out = append(out, enc[:i]...)
	return append(out, "\"\"\n}\n"...), true
}

func (b *Bundle) digest() (string, error) {
	c := *b
	c.Integrity = ""
	enc, err := c.canonical()
	if err != nil {
		return "", err
	}
	return "sha256:" + fingerprint(enc), nil
}

// seal sets the integrity digest, and keeps the canonical encoding made
// for it (see Encoded): the encoding with Integrity empty, then the
// digest put in the empty string's place.
func (b *Bundle) seal() error {
	c := *b
	c.Integrity = ""
	enc, err := c.canonical()
	if err != nil {
		return err
	}
	b.Integrity = "sha256:" + fingerprint(enc)
	tail := []byte("\"\"\n}\n")
	if !bytes.HasSuffix(enc, tail) {
		b.enc, err = b.canonical()
		return err
	}
	out := make([]byte, 0, len(enc)+len(b.Integrity))
	out = append(out, enc[:len(enc)-len(tail)]...)
	out = append(out, '"')
	out = append(out, b.Integrity...)
	b.enc = append(out, "\"\n}\n"...)
	return nil
}

// Marshal returns the bundle's canonical encoding (what Verify reads), of
// the bundle as it is now.
func (b *Bundle) Marshal() ([]byte, error) { return b.canonical() }

// Encoded returns the canonical encoding that New or NewUpload made when
// they sealed the bundle, without encoding it again: what Marshal
// returns for a bundle left as they made it. It does not see changes
// made to the bundle since (Marshal does). The caller must not modify
// the returned bytes. It is nil for a bundle that New or NewUpload did
// not make.
func (b *Bundle) Encoded() []byte { return b.enc }

// Parse reads a bundle in canonical form and checks its integrity digest
// and file hashes. It does not verify anything else: see Verify.
func Parse(data []byte) (*Bundle, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrFormat, len(data), MaxSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	b := &Bundle{}
	if err := dec.Decode(b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the bundle", ErrFormat)
	}
	if b.Format != Format || b.Version != Version {
		return nil, fmt.Errorf("%w: format %q version %d, want %q version %d", ErrFormat, b.Format, b.Version, Format, Version)
	}
	enc, err := b.canonical()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if !bytes.Equal(enc, data) {
		// The same values encode to other bytes: something that does
		// not change a value (spacing, escapes, letter case) was
		// changed, and nothing may change.
		return nil, fmt.Errorf("%w: not in canonical form (changed at byte %d)", ErrIntegrity, firstDiff(enc, data))
	}
	var want string
	if u, ok := unsealed(enc); ok {
		want = "sha256:" + fingerprint(u)
	} else if want, err = b.digest(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if b.Integrity != want {
		return nil, fmt.Errorf("%w: bundle says %s, its content hashes to %s", ErrIntegrity, b.Integrity, want)
	}
	seen := map[string]bool{}
	for _, f := range b.Files {
		if _, ok := chip.FileByName(f.Name); !ok {
			return nil, fmt.Errorf("%w: unknown file %q", ErrFormat, f.Name)
		}
		if seen[f.Name] {
			return nil, fmt.Errorf("%w: file %s twice", ErrFormat, f.Name)
		}
		seen[f.Name] = true
		if fingerprint(f.Data) != f.SHA256 {
			return nil, fmt.Errorf("%w: %s does not hash to its sha256", ErrIntegrity, f.Name)
		}
	}
	return b, nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// files returns the bundle's files by chip.File.
func (b *Bundle) files() map[chip.File][]byte {
	out := map[chip.File][]byte{}
	for _, f := range b.Files {
		if id, ok := chip.FileByName(f.Name); ok {
			out[id] = f.Data
		}
	}
	return out
}
