package aa

import (
	"errors"
	"fmt"
)

// Sentinel errors. Functions of this package return them wrapped in an
// *Error, so callers test with errors.Is(err, aa.ErrSignature) and read the
// step that failed with errors.As.
var (
	// ErrSignature: the response is not a valid signature of the challenge
	// under the Active Authentication key. For a document whose DG15 passed
	// passive authentication, this is what a cloned chip (one that copied
	// the data groups but not the private key) produces.
	ErrSignature = errors.New("signature does not verify (clone suspected)")
	// ErrUnsupportedKey: a key this package cannot use for Active
	// Authentication (an RSA modulus outside 1024..8192 bits or not a
	// multiple of 8 bits, an even exponent, an unknown key type, a
	// crypto.Signer that cannot do the raw RSA operation).
	ErrUnsupportedKey = errors.New("unsupported Active Authentication key")
	// ErrAlgorithm: an ECDSA key without a usable signature algorithm
	// (ActiveAuthenticationInfo missing, or naming an algorithm other than
	// ecdsa-with-SHA* and ecdsa-plain-SHA*), or a hash this package does
	// not support.
	ErrAlgorithm = errors.New("unsupported or missing signature algorithm")
	// ErrChallenge: a challenge that is not ChallengeSize bytes.
	ErrChallenge = errors.New("challenge is not 8 bytes")
	// ErrNeedsExtendedLength: the response to INTERNAL AUTHENTICATE is
	// too long for a short APDU under secure messaging (RSA keys of 2048
	// bits and more), and the reader or the card does not exchange
	// extended-length APDUs.
	ErrNeedsExtendedLength = errors.New("the response needs extended-length APDUs")
	// ErrCommand: a command the chip side refuses (another INS, wrong
	// P1-P2 or Le); the status word is in the response.
	ErrCommand = errors.New("command refused by the chip")
	// ErrMalformedKey: a private key encoding that does not parse.
	ErrMalformedKey = errors.New("malformed private key")
)

// Error describes a failure of Active Authentication or of a key encoding:
// the operation (Op: "authenticate", "verify", "sign", "parse key", ...),
// a detail that never contains secret values (which check failed:
// "trailer", "hash", "length"), and the sentinel error.
type Error struct {
	Op     string
	Detail string
	Err    error
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return fmt.Sprintf("aa: %s: %v: %s", e.Op, e.Err, e.Detail)
	}
	return fmt.Sprintf("aa: %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

func newError(op string, err error, detail string) *Error {
	return &Error{Op: op, Detail: detail, Err: err}
}
