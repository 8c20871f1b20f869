// Package hsm keeps the Document Signer key in a hardware security module
// reached through PKCS#11 (Cryptoki), the interface every issuing
// authority's HSM speaks. A key made or found here is a crypto.Signer whose
// private half never leaves the token: the token is asked to sign a digest
// and returns the signature. crypto/pki and chip/sim.Personalize sign EF.SOD
// and certificates through it exactly as through an in-memory key.
//
// The PKCS#11 client is github.com/ThalesGroup/crypto11 (cgo) for NIST
// curves and RSA. crypto11 cannot address brainpool curves, so brainpool
// keys (ICAO's common choice) are made and used through the module directly
// (github.com/miekg/pkcs11, the library under crypto11), when the token
// takes the curve; a token that does not is reported as such
// (ErrUnsupportedKey). Built without cgo (CGO_ENABLED=0), the package still
// compiles and Open returns ErrNoCgo, so that the rest of the module stays
// pure Go.
//
// Keys are made with CKA_SENSITIVE true and CKA_EXTRACTABLE false: the token
// refuses to reveal or wrap them. The user PIN comes from an environment
// variable or a file (ReadPIN), never from a command line, and is never part
// of an error or a log line: Config and PIN print redacted.
//
// Errors carry the PKCS#11 return value and one of the sentinels
// (ErrTokenNotFound, ErrPINIncorrect, ErrPINLocked, ErrLoggedOut,
// ErrTokenRemoved, ErrKeyNotFound, ...) for errors.Is, so that a batch can
// tell a bad record from a token that stopped working.
//
// Tests run against SoftHSM2 (see hsm/hsmtest).
package hsm
