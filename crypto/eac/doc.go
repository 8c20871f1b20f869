// Package eac implements Extended Access Control version 1 of ICAO Doc
// 9303-11 and BSI TR-03110: Chip Authentication, which proves that a chip
// is genuine and not a clone, and Terminal Authentication, which proves to
// the chip that an inspection system may read the sensitive data groups
// (DG3 fingerprints, DG4 iris). Both sides are here: the terminal's
// functions and the chip's state machine (Chip), which a card simulator
// drives.
//
// # Chip Authentication
//
// Passive authentication proves that the data groups were signed by the
// issuer, not that they come from the chip they were signed for: copied
// files verify just as well. DG14 therefore carries a static public key of
// the chip (ChipAuthenticationPublicKeyInfo), whose private key never
// leaves the chip. ChipAuthenticate generates an ephemeral key pair on the
// same domain parameters, sends the public key to the chip (MSE:Set KAT for
// 3DES; MSE:Set AT and GENERAL AUTHENTICATE for AES), and both sides derive
// new secure messaging keys from the Diffie-Hellman shared secret (the
// key derivation of ICAO Doc 9303-11 §9.7.1, package sm).
//
// Version 1 is implicit: the chip sends no proof. A chip without the
// private key cannot compute the new keys, so the first response under
// them does not verify. The terminal switches to CAResult.NewSession and
// calls Verify (or treats a secure messaging failure of its next read with
// CheckResponse); a failure is ErrCloneSuspected. Chip Authentication only
// proves something once DG14 itself has passed passive authentication.
//
// PACE with Chip Authentication Mapping authenticates the chip within PACE:
// pace.VerifyCAM checks it, and this package does not duplicate it.
//
// # Terminal Authentication
//
// A terminal proves its authorization with a chain of card verifiable
// certificates (package cvc) from the country's CVCA, whose public key the
// chip stores as its trust point, through a document verifier (DV) to the
// inspection system (IS), and with a signature over the chip's identifier,
// a challenge of the chip and the compressed ephemeral Chip Authentication
// key of the terminal. The certificate holder authorization templates
// (CHAT) of the chain, ANDed, say which data groups the terminal may read.
//
// The signature covers ID_PICC || r_PICC || Comp(PK_DH,IFD): the chip's
// identifier (after PACE, Comp of the chip's ephemeral PACE key,
// pace.Result.IDPICC; after BAC, the document number with its check digit),
// the chip's 8-byte challenge and the compressed ephemeral key of the
// terminal's Chip Authentication (CAResult.CompressedTerminalKey), which
// binds Terminal Authentication to the secure channel.
//
// The chip checks each certificate against the key MSE:Set DST named, its
// role (a CVCA signs CVCA link and DV certificates, a DV signs terminal
// certificates) and its expiration date against the chip's current date.
// The chip has no clock: its date starts at personalization and advances
// to the effective date of CVCA link, DV and domestic terminal
// certificates it verifies, so that an expired certificate stays refused
// once a newer one has been seen.
//
// # Configuration
//
// As in crypto/tls, each side has one configuration passed by pointer as
// the last argument, nil for the defaults: the terminal's Config serves
// both ChipAuthenticate and TerminalAuthenticate (its Rand, and the
// terminal's credentials Chain and Signer), the chip's ChipConfig serves
// NewChip (its Rand, trust points, date and ID_PICC; the static Chip
// Authentication keys are NewChip's argument).
//
// # Chip side
//
// Chip processes the commands of both protocols after they are unwrapped
// from secure messaging. When a command completes Chip Authentication,
// Handle returns the new session: the simulator protects that response with
// the old session and uses the new one from the next command.
//
// Keys and shared secrets never appear in errors or String output.
package eac
