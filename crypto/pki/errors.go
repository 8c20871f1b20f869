package pki

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/check"
)

// Sentinel errors. Parsers return a *ParseError wrapping one of the
// parsing sentinels; verification returns *VerifyError values wrapping one
// of the verification sentinels, so that callers test with errors.Is and
// read the details with errors.As.
var (
	// ErrMalformed: the DER does not follow the ASN.1 structure expected.
	ErrMalformed = errors.New("malformed DER")
	// ErrTooLarge: an input longer than the limit for its kind.
	ErrTooLarge = errors.New("input too large")
	// ErrTrailingData: bytes after the outermost object.
	ErrTrailingData = errors.New("trailing data")
	// ErrUnsupportedVersion: a version number this package does not know.
	ErrUnsupportedVersion = errors.New("unsupported version")
	// ErrUnsupportedAlgorithm: a signature, digest or key algorithm this
	// package cannot compute. A check that meets it fails; it never skips.
	ErrUnsupportedAlgorithm = errors.New("unsupported algorithm")
	// ErrUnsupportedKey: a public key whose type or curve is not supported.
	ErrUnsupportedKey = errors.New("unsupported public key")
	// ErrWrongContentType: a CMS content type other than the one expected.
	ErrWrongContentType = errors.New("wrong content type")

	// ErrBadSignature: a signature that does not verify.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrDigestMismatch: the message-digest attribute or a data group hash
	// differs from the value computed.
	ErrDigestMismatch = errors.New("digest mismatch")
	// ErrMissingAttribute: a required signed attribute is absent.
	ErrMissingAttribute = errors.New("missing signed attribute")
	// ErrSignerNotFound: no certificate matches the signer identifier.
	ErrSignerNotFound = errors.New("signer certificate not found")
	// ErrNoIssuer: no trusted CSCA (or link certificate) issued the
	// certificate.
	ErrNoIssuer = errors.New("issuer not found in trust store")
	// ErrExpired: a certificate outside its validity period at the time
	// it was checked for.
	ErrExpired = errors.New("certificate not valid at the time checked")
	// ErrKeyUsage: a certificate used for something its key usage or basic
	// constraints do not allow.
	ErrKeyUsage = errors.New("key usage not allowed")
	// ErrRevoked: the certificate serial number is on a valid CRL.
	ErrRevoked = errors.New("certificate revoked")
	// ErrUnhandledCritical: a critical extension this package does not
	// process (RFC 5280 §4.2: the certificate must be rejected).
	ErrUnhandledCritical = errors.New("unhandled critical extension")
	// ErrNameMismatch: the issuer name does not chain to the subject name.
	ErrNameMismatch = errors.New("issuer name mismatch")
	// ErrDataGroupNotInSOD: a data group was read that the SOD does not
	// protect.
	ErrDataGroupNotInSOD = errors.New("data group not in SOD")
	// ErrCRLStale: the newest CRL of the issuer is past its nextUpdate.
	ErrCRLStale = errors.New("CRL past its next update")
	// ErrNoCRL: no CRL of the issuer is in the trust store.
	ErrNoCRL = errors.New("no CRL for issuer")
	// ErrSelfContainedMasterList: a master list verified only against the
	// CSCAs it contains (no trust store given), without the caller opting
	// in (VerifySelfContainedMasterList, LoadConfig).
	ErrSelfContainedMasterList = errors.New("master list anchored only in itself")
)

// ParseError describes a parsing failure: what was being parsed (Kind, such
// as "certificate" or "SignedData"), the field, and the error (one of the
// sentinels above).
type ParseError struct {
	Kind  string
	Field string
	Err   error
}

func (e *ParseError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("pki: %s: %s: %v", e.Kind, e.Field, e.Err)
	}
	return fmt.Sprintf("pki: %s: %v", e.Kind, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

func malformed(kind, field string) error {
	return &ParseError{Kind: kind, Field: field, Err: ErrMalformed}
}

// VerifyError describes a failed check: which check, the object concerned
// (File, such as "DG2" or "EF.SOD", or a certificate subject) and the
// reason (one of the sentinels above, possibly wrapping more detail).
type VerifyError struct {
	Check  check.Name
	Object string
	Err    error
}

func (e *VerifyError) Error() string {
	if e.Object != "" {
		return fmt.Sprintf("pki: %s: %s: %v", e.Check, e.Object, e.Err)
	}
	return fmt.Sprintf("pki: %s: %v", e.Check, e.Err)
}

func (e *VerifyError) Unwrap() error { return e.Err }
