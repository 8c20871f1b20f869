package pki

import (
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/check"
)

// The one trust path.
//
// Every signed object a verifier meets goes through the same steps here:
// EF.SOD (Verify), EF.CardSecurity for PACE-CAM and Chip
// Authentication (VerifySignedObject with RoleDocumentSigner), CSCA master
// lists (VerifyMasterList, RoleMasterListSigner), deviation lists
// (VerifySignedObject with RoleDeviationListSigner and
// OIDDeviationList) and CRLs (VerifyCRL, signed by a CSCA key). The steps
// are those of TrustStore.VerifyPath: a chain by names and key identifiers
// through link certificates to a trust anchor, the signatures along it,
// validity at the signing time (chain model), key usage for the signer's
// role, and revocation by CRLs that are themselves verified on this path.
//
// Packages that add a kind of signed object plug in here:
//   - a new content type calls VerifySignedObject (or VerifySignedData on a
//     SignedData already parsed) with the signer's role; it never chains
//     certificates itself;
//   - a stricter profile for a signer certificate (extended key usage,
//     extensions a role requires) goes into VerifyConfig.SignerProfile, or
//     into CheckSignerRole when it holds for every caller.

// SignerRole is what the certificate at the end of a path signs. It
// chooses the key usage the path requires of that certificate.
type SignerRole int

const (
	// RoleDocumentSigner signs EF.SOD and EF.CardSecurity (a Document
	// Signer, Doc 9303-12 §4.2): digitalSignature, and no extended key
	// usage of another ICAO signer.
	RoleDocumentSigner SignerRole = iota + 1
	// RoleMasterListSigner signs CSCA master lists (Doc 9303-12 §8).
	RoleMasterListSigner
	// RoleDeviationListSigner signs deviation lists (Doc 9303-12 §9):
	// extended key usage id-icao-mrtd-security-DeviationListSigningKey.
	RoleDeviationListSigner
	// RoleCRLSigner is a CSCA key signing a CRL: a CA with cRLSign.
	RoleCRLSigner
)

func (r SignerRole) String() string {
	switch r {
	case RoleDocumentSigner:
		return "Document Signer"
	case RoleMasterListSigner:
		return "Master List Signer"
	case RoleDeviationListSigner:
		return "Deviation List Signer"
	case RoleCRLSigner:
		return "CRL signer"
	}
	return "unknown signer role"
}

// OIDs of deviation lists (Doc 9303-12 §9).
var (
	// OIDDeviationList is id-icao-mrtd-security-DeviationList, the
	// eContentType of a deviation list.
	OIDDeviationList = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 7}
	// OIDDeviationListSigningKey is the extended key usage of a deviation
	// list signer certificate.
	OIDDeviationListSigningKey = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 8}
)

// CheckSignerRole checks the key usage of signer for role r: what every
// path to a signer of that role requires, whoever verifies it.
//
//   - Document Signer: digitalSignature when a key usage is present, and
//     no extended key usage naming a master list or deviation list signer
//     (such a certificate signs lists, not documents);
//   - Master List Signer: the profile of Doc 9303-12 (§7.1.1, the master
//     list signer certificate): a key usage with digitalSignature, an
//     extended key usage with id-icao-cscaMasterListSigningKey
//     (2.23.136.1.1.3), not a CA. An ordinary Document Signer certificate
//     (digitalSignature, no extended key usage) is refused: a leaked
//     issuance station key must not add trust anchors;
//   - Deviation List Signer: digitalSignature when a key usage is present
//     and an extended key usage holding id-icao-DeviationListSigningKey;
//   - CRL signer: a CA certificate with cRLSign when a key usage is present.
func CheckSignerRole(signer *Certificate, r SignerRole) error {
	if signer.HasKeyUsage && r != RoleCRLSigner && signer.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return fmt.Errorf("%w: %s without digitalSignature", ErrKeyUsage, r)
	}
	has := func(oid asn1.ObjectIdentifier) bool { return slices.ContainsFunc(signer.ExtKeyUsage, oid.Equal) }
	switch r {
	case RoleDocumentSigner:
		if has(OIDCSCAMasterListSigningKey) || has(OIDDeviationListSigningKey) {
			return fmt.Errorf("%w: a list signer's certificate cannot sign documents", ErrKeyUsage)
		}
	case RoleMasterListSigner:
		if !has(OIDCSCAMasterListSigningKey) {
			return fmt.Errorf("%w: not a master list signer (no extended key usage %v)", ErrKeyUsage, OIDCSCAMasterListSigningKey)
		}
		if !signer.HasKeyUsage {
			return fmt.Errorf("%w: master list signer without a key usage extension", ErrKeyUsage)
		}
		if signer.BasicConstraintsValid && signer.IsCA {
			return fmt.Errorf("%w: master list signed by a CA certificate, not a master list signer", ErrKeyUsage)
		}
	case RoleDeviationListSigner:
		if !has(OIDDeviationListSigningKey) {
			return fmt.Errorf("%w: not a deviation list signer (no extended key usage %v)", ErrKeyUsage, OIDDeviationListSigningKey)
		}
	case RoleCRLSigner:
		if !signer.BasicConstraintsValid || !signer.IsCA {
			return fmt.Errorf("%w: CRL signed by a certificate that is not a CA", ErrKeyUsage)
		}
		if signer.HasKeyUsage && signer.KeyUsage&x509.KeyUsageCRLSign == 0 {
			return fmt.Errorf("%w: CSCA key without cRLSign", ErrKeyUsage)
		}
	default:
		return fmt.Errorf("%w: %v", ErrKeyUsage, r)
	}
	return nil
}

// Revocation is what the CRLs said about a path.
type Revocation int

const (
	// RevocationUnknown: the check did not run (no chain).
	RevocationUnknown Revocation = iota
	// CRLFresh: a verified CRL, not past its nextUpdate, covers every
	// certificate below the anchor and lists none of them.
	CRLFresh
	// CRLStale: the newest verified CRL is past its nextUpdate (and lists
	// none of the certificates).
	CRLStale
	// CRLAbsent: no verified CRL of the issuer is in the store.
	CRLAbsent
	// CRLRevoking: a verified CRL lists a certificate of the path.
	CRLRevoking
	// CRLInvalid: the store holds a CRL of the issuer whose signature
	// does not verify with any trusted key of the issuer (and no other).
	CRLInvalid
)

func (r Revocation) String() string {
	if r < 0 || r > CRLInvalid {
		return fmt.Sprintf("Revocation(%d)", int(r))
	}
	return [...]string{"unknown", "fresh", "stale", "absent", "revoking", "invalid"}[r]
}

// MarshalText names the state ("fresh", "stale", ...).
func (r Revocation) MarshalText() ([]byte, error) {
	if r < 0 || r > CRLInvalid {
		return nil, fmt.Errorf("pki: revocation state %d", int(r))
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads what MarshalText wrote.
func (r *Revocation) UnmarshalText(b []byte) error {
	for v := RevocationUnknown; v <= CRLInvalid; v++ {
		if v.String() == string(b) {
			*r = v
			return nil
		}
	}
	return fmt.Errorf("pki: unknown revocation state %q", b)
}

// Path is the outcome of TrustStore.VerifyPath.
type Path struct {
	// Chain is [signer, link..., anchor] when a chain was found.
	Chain []*Certificate
	// ValidityTime is the time validity was checked at, ValidityBasis
	// what it is ("signing time", "date of issue" or "verification time").
	ValidityTime  time.Time
	ValidityBasis string
	// Checks holds CheckChain, CheckValidity, CheckKeyUsage and
	// CheckRevocation, in that order (those that could not run NotRun).
	Checks []Check
	// Revocation is what the CRLs said, and CRLs the verified CRLs that
	// said it, one per certificate below the anchor (for audit).
	Revocation Revocation
	CRLs       []*CRL
	// Valid is set when every check passed, revocation NotRun
	// allowed only without VerifyConfig.RequireCRL.
	Valid bool
}

// Anchor is the trust anchor of the chain (nil without one).
func (p *Path) Anchor() *Certificate {
	if len(p.Chain) == 0 {
		return nil
	}
	return p.Chain[len(p.Chain)-1]
}

// Check returns the check named n.
func (p *Path) Check(n check.Name) Check {
	for _, c := range p.Checks {
		if c.Name == n {
			return c
		}
	}
	return Check{Name: n}
}

// Err is nil when Valid, else the errors of the checks that did not pass.
func (p *Path) Err() error {
	if p.Valid {
		return nil
	}
	var errs []error
	for _, c := range p.Checks {
		if c.Status != check.Passed && c.Err != nil {
			errs = append(errs, c.Err)
		}
	}
	if len(errs) == 0 {
		return errors.New("pki: trust path not valid")
	}
	return errors.Join(errs...)
}

// VerifyPath verifies the trust path of a signer certificate for role
// (RoleDocumentSigner when zero) whose signature on its object the caller
// has verified; signingTime is the object's signing-time attribute, zero
// when it has none. The time of verification is config.Time, once:
//
//  1. chain: from signer to a trust anchor, directly or through link
//     certificates, by issuer name = subject, authority key identifier =
//     subject key identifier when both exist, and each signature;
//  2. validity, by the chain model: every certificate valid at the signing
//     time (else config.IssuedAt, else the time of verification, the shell
//     model), the signer inside its private key usage period, and the
//     signing time not after the time of verification;
//  3. key usage: CheckSignerRole for the signer (and SignerProfile), each
//     issuer a CA with keyCertSign, path length, no unhandled critical
//     extension;
//  4. revocation: for every certificate below the anchor, the newest CRL
//     of its issuer whose signature verifies with a trusted key of that
//     issuer (an anchor, or a link certificate that itself passes this
//     path as a CRL signer), checked at the time of verification.
func (t *TrustStore) VerifyPath(signer *Certificate, role SignerRole, signingTime time.Time, config *VerifyConfig) *Path {
	if role == 0 {
		role = RoleDocumentSigner
	}
	now := config.time()
	config = config.orDefault()
	if t == nil {
		t = NewTrustStore()
	}
	p := &Path{}
	obj := signer.Subject.String()
	skip := func(from int, err error) {
		for _, n := range []check.Name{CheckChain, CheckValidity, CheckKeyUsage, CheckRevocation}[from:] {
			p.Checks = append(p.Checks, Check{Name: n, Status: check.NotRun, Err: &VerifyError{Check: n, Object: obj, Err: err}})
		}
	}
	pass := func(n check.Name, detail string) {
		p.Checks = append(p.Checks, Check{Name: n, Status: check.Passed, Detail: detail})
	}
	fail := func(n check.Name, err error) {
		var ve *VerifyError
		if !errors.As(err, &ve) {
			err = &VerifyError{Check: n, Object: obj, Err: err}
		}
		p.Checks = append(p.Checks, Check{Name: n, Status: check.Failed, Err: err})
	}
	chain, err := t.buildChain(signer, 0)
	if err != nil {
		fail(CheckChain, err)
		skip(1, errNotRun)
		return p
	}
	p.Chain = chain
	pass(CheckChain, "CSCA "+p.Anchor().Subject.String())

	at, basis := signingTime, "signing time"
	if at.IsZero() && !config.IssuedAt.IsZero() {
		at, basis = config.IssuedAt, "date of issue"
	}
	if at.IsZero() {
		at, basis = now, "verification time (no signing time known)"
	}
	p.ValidityTime, p.ValidityBasis = at, basis
	if err := checkValidity(chain, at, now); err != nil {
		fail(CheckValidity, err)
	} else {
		pass(CheckValidity, basis+" "+at.UTC().Format(time.RFC3339))
	}

	err = CheckSignerRole(signer, role)
	if err == nil && config.SignerProfile != nil {
		err = config.SignerProfile(signer)
	}
	if err == nil {
		err = checkKeyUsage(chain)
	}
	if err != nil {
		fail(CheckKeyUsage, err)
	} else {
		pass(CheckKeyUsage, role.String())
	}

	var revErr error
	p.Revocation = CRLFresh
	for i := 0; i+1 < len(chain); i++ {
		l, err := t.revocation(chain[i], chain[i+1], now, 0)
		if l != nil {
			p.CRLs = append(p.CRLs, l)
		}
		if err != nil {
			revErr = fmt.Errorf("%v: %w", chain[i], err)
			break
		}
	}
	switch {
	case revErr == nil:
		pass(CheckRevocation, fmt.Sprintf("%d CRLs", len(p.CRLs)))
	case errors.Is(revErr, ErrRevoked):
		p.Revocation = CRLRevoking
		fail(CheckRevocation, revErr)
	case errors.Is(revErr, ErrBadSignature):
		p.Revocation = CRLInvalid
		fail(CheckRevocation, revErr)
	case errors.Is(revErr, ErrNoCRL) || errors.Is(revErr, ErrCRLStale):
		p.Revocation = CRLAbsent
		if errors.Is(revErr, ErrCRLStale) {
			p.Revocation = CRLStale
		}
		ve := &VerifyError{Check: CheckRevocation, Err: revErr}
		if config.RequireCRL {
			p.Checks = append(p.Checks, Check{Name: CheckRevocation, Status: check.Failed, Err: ve})
		} else {
			p.Checks = append(p.Checks, Check{Name: CheckRevocation, Status: check.NotRun, Err: ve})
		}
	default:
		p.Revocation = CRLInvalid
		fail(CheckRevocation, revErr)
	}
	p.Valid = true
	for _, c := range p.Checks {
		if c.Status != check.Passed && !(c.Name == CheckRevocation && c.Status == check.NotRun && !config.RequireCRL) {
			p.Valid = false
		}
	}
	return p
}

// crlSigners returns the certificates whose keys may sign the CRLs of the
// CSCA named by issuer: the trust anchors of that name, and the link
// certificates of that name that chain to an anchor, are valid at at, are
// CRL signers and are not revoked themselves (checked with depth+1, so
// that the search ends).
func (t *TrustStore) crlSigners(issuer Name, at time.Time, depth int) []*Certificate {
	t.mu.RLock()
	anchors := slices.Clone(t.anchors)
	links := slices.Clone(t.links)
	t.mu.RUnlock()
	var out []*Certificate
	for _, a := range anchors {
		if a.Subject.Equal(issuer) {
			out = append(out, a)
		}
	}
	if depth >= maxChainLinks {
		return out
	}
	for _, l := range links {
		if !l.Subject.Equal(issuer) {
			continue
		}
		chain, err := t.buildChain(l, depth+1)
		if err != nil || checkChainUsage(chain, false) != nil || CheckSignerRole(l, RoleCRLSigner) != nil {
			continue
		}
		if !l.ValidAt(at) {
			continue
		}
		revoked := false
		for i := 0; i+1 < len(chain); i++ {
			if _, err := t.revocation(chain[i], chain[i+1], at, depth+1); errors.Is(err, ErrRevoked) || errors.Is(err, ErrBadSignature) {
				revoked = true
				break
			}
		}
		if !revoked {
			out = append(out, l)
		}
	}
	return out
}

// VerifyCRL verifies a CRL on the trust path: it must be signed by a key
// of the CSCA it names as issuer (an anchor, or a link certificate that
// chains to one and is not itself revoked), that is a CA with cRLSign
// and valid at the CRL's thisUpdate. It returns the chain from the signing
// certificate to its anchor. A CRL that fails here is never used for
// revocation (TrustStore.VerifyPath ignores it).
func (t *TrustStore) VerifyCRL(l *CRL, config *VerifyConfig) ([]*Certificate, error) {
	return t.verifyCRL(l, config.time(), 0)
}

func (t *TrustStore) verifyCRL(l *CRL, at time.Time, depth int) ([]*Certificate, error) {
	signers := t.crlSigners(l.Issuer, at, depth)
	if len(signers) == 0 {
		return nil, &VerifyError{Check: CheckChain, Object: "CRL of " + l.Issuer.String(), Err: ErrNoIssuer}
	}
	var errs []error
	for _, k := range signers {
		if err := t.checkCRL(l, k); err != nil {
			errs = append(errs, err)
			continue
		}
		if !k.ValidAt(l.ThisUpdate) {
			errs = append(errs, fmt.Errorf("%w: CRL signer %v at thisUpdate %v", ErrExpired, k, l.ThisUpdate.UTC()))
			continue
		}
		if err := CheckSignerRole(k, RoleCRLSigner); err != nil {
			errs = append(errs, err)
			continue
		}
		chain := []*Certificate{k}
		if !k.IsSelfIssued() || !t.isAnchor(k) {
			rest, err := t.buildChain(k, depth+1)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			chain = rest
		}
		return chain, nil
	}
	return nil, &VerifyError{Check: CheckSignature, Object: fmt.Sprintf("CRL of %v (number %v)", l.Issuer, l.Number),
		Err: fmt.Errorf("%w: not signed by a trusted key of its issuer: %w", ErrBadSignature, errors.Join(errs...))}
}

func (t *TrustStore) isAnchor(c *Certificate) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, a := range t.anchors {
		if a == c {
			return true
		}
	}
	return false
}

// SignedObject is a CMS SignedData whose signature and signer path were
// verified.
type SignedObject struct {
	SignedData *SignedData
	// Signer is the signer certificate (from the SignedData).
	Signer *Certificate
	// SigningTime is the signing-time attribute (zero when absent).
	SigningTime time.Time
	// Path is the signer's trust path.
	Path *Path
}

// VerifySignedObject parses der as a CMS SignedData of content type ct
// (EF.CardSecurity, a master list, a deviation list...) and verifies it
// on the trust path: one signer, its signed attributes and signature with
// the signer certificate it carries, and that certificate's path in trust
// for role (see TrustStore.VerifyPath, given the signing-time attribute
// and config). The error,
// when not nil, is a *VerifyError (or *ParseError) naming what failed; the
// SignedObject is returned as far as it got.
func VerifySignedObject(der []byte, ct asn1.ObjectIdentifier, trust *TrustStore, role SignerRole, config *VerifyConfig) (*SignedObject, error) {
	limit := MaxSODSize
	if role == RoleMasterListSigner || role == RoleDeviationListSigner {
		limit = MaxMasterListSize
	}
	sd, err := parseSignedData(der, limit)
	if err != nil {
		return nil, err
	}
	return VerifySignedData(sd, ct, trust, role, config)
}

// VerifySignedData is VerifySignedObject for a SignedData already parsed.
func VerifySignedData(sd *SignedData, ct asn1.ObjectIdentifier, trust *TrustStore, role SignerRole, config *VerifyConfig) (*SignedObject, error) {
	so := &SignedObject{SignedData: sd}
	object := "SignedData " + ct.String()
	if !sd.ContentType.Equal(ct) {
		return so, &VerifyError{Check: CheckContentType, Object: object,
			Err: fmt.Errorf("%w: %v, want %v", ErrWrongContentType, sd.ContentType, ct)}
	}
	if len(sd.SignerInfos) != 1 {
		return so, &VerifyError{Check: CheckSignerCert, Object: object,
			Err: fmt.Errorf("%w: %d signer infos, want 1", ErrSignerNotFound, len(sd.SignerInfos))}
	}
	si := sd.SignerInfos[0]
	so.SigningTime = si.SigningTime
	signer, err := sd.Verify()
	so.Signer = signer
	if err != nil {
		return so, &VerifyError{Check: CheckSignature, Object: object, Err: err}
	}
	so.Path = trust.VerifyPath(signer, role, si.SigningTime, config)
	if !so.Path.Valid {
		err := so.Path.Err()
		var ve *VerifyError
		if !errors.As(err, &ve) {
			err = &VerifyError{Check: CheckChain, Object: signer.Subject.String(), Err: err}
		}
		return so, err
	}
	return so, nil
}
