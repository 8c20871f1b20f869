// Package aa implements Active Authentication (ICAO Doc 9303-11 §6.1),
// the check that an eMRTD chip, such as the chip of a Vietnamese CCCD, is
// the one the issuer personalized and not a copy: both sides, the
// terminal that challenges and the chip that answers.
//
// # The protocol
//
// Passive authentication proves that the data groups are the issuer's, but
// data can be copied onto another chip. Active Authentication adds a key
// pair: the chip keeps the private key where it cannot be read, and DG15,
// covered by the signed EF.SOD, holds the public key. The terminal sends a
// random challenge of 8 bytes in INTERNAL AUTHENTICATE (00 88 00 00); the
// chip signs it; the terminal verifies the signature with the key of DG15.
// A clone that copied the files but not the private key fails
// (ErrSignature).
//
// # RSA: ISO/IEC 9796-2 digital signature scheme 1
//
// With an RSA key the chip signs with message recovery (ISO/IEC 9796-2
// scheme 1). It builds the message representative
//
//	F = '6A' || M1 || H(M1 || challenge) || trailer
//
// of the length of the modulus, where M1 is random bytes the chip chooses
// and the challenge is the non-recoverable part M2 of the message (partial
// recovery: the header '6A' says so), and returns F^d mod n. The trailer
// 'BC' means SHA-1; 'xxCC' names the hash by its ISO/IEC 10118-3
// identifier: '33' SHA-1, '34' SHA-256, '35' SHA-512, '36' SHA-384, '38'
// SHA-224 (HashIdentifier). The terminal computes F = s^e mod n, reads M1
// and the hash from it and compares H(M1 || challenge) in constant time.
// It also accepts the signature min(s, n - s) that ISO/IEC 9796-2 allows,
// and full recovery (header '4A', with padding when the message is short),
// where M1 must end with the challenge and the hash covers M1.
//
// # ECDSA
//
// With an EC key, DG14 carries an ActiveAuthenticationInfo naming the
// signature algorithm (ecdsa-plain-SHA256 of BSI TR-03111, or
// ecdsa-with-SHA256 of ANSI X9.62: the hash is what matters), and the chip
// answers with the plain signature r || s over H(challenge). Brainpool
// curves, common on eMRTDs, are verified by crypto/ec; NIST curves by the
// standard library through it.
//
// # Terminal
//
// NewVerifier takes the chip's public key in any form a reader has (the
// SubjectPublicKeyInfo bytes of DG15, an *rsa.PublicKey, an
// *ecdsa.PublicKey, an *ec.PublicKey) and parses it once; Authenticate
// runs the protocol over an apdu.Transmitter with it and a *Config (nil
// for the defaults); Verifier.Verify checks a response; Verifier.Command
// builds the command, with the extended Le '0000' when the response, once
// protected by secure messaging, would not fit a short APDU (RSA keys of
// 2048 bits and more; see Verifier.NeedsExtendedLength).
// A reader that cannot exchange extended-length APDUs says so with
// Config.ShortOnly and gets ErrNeedsExtendedLength, rather than a
// truncated response that would look like a clone.
//
// Errors are *Error values wrapping ErrSignature, ErrUnsupportedKey,
// ErrAlgorithm, ErrChallenge or ErrNeedsExtendedLength, with the step that
// failed ("trailer", "hash", ...); a refusal of the card is an
// *apdu.StatusError.
//
// # Chip
//
// NewChip gives the chip side for a simulator or a test (the key, and a
// *ChipConfig with its randomness, hash and RSA signature form): Chip.Handle
// answers INTERNAL AUTHENTICATE, Chip.Info is the ActiveAuthenticationInfo
// for DG14 and Chip.SubjectPublicKeyInfo the contents of DG15. The RSA
// operation uses math/big with the CRT values, blinding and a check of the
// result; it is not constant time, which is acceptable for a simulator but
// not for a production signer. MarshalPrivateKey and ParsePrivateKey keep
// the key in a card image: PKCS #8 for RSA and the NIST curves, the
// ECPrivateKey of RFC 5915 with the named curve for brainpool.
package aa
