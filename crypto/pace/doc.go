// Package pace implements PACE, Password Authenticated Connection
// Establishment, version 2 (ICAO Doc 9303-11 §4.4; BSI TR-03110-2 and -3),
// both the terminal side (Open) and the chip side (Chip), as crypto/tls
// holds a client and a server.
//
// # The protocol
//
// PACE turns a short password that the terminal and the chip share into
// strong secure messaging keys, and proves to each side that the other knows
// the password. The password is one of:
//
//   - MRZ: the MRZ information (document number, date of birth and date of
//     expiry, with check digits); K = SHA-1(MRZ information).
//   - CAN: the card access number printed on the document; K = the digits.
//   - PIN, PUK: the eID passwords of BSI TR-03110; K = the digits.
//
// K_π = KDF(K, 3) is derived from K for the cipher of the protocol (3DES or
// AES-128/192/256, see package crypto/sm). The terminal selects the
// protocol and the password with MSE:Set AT (protocol OID in '80',
// password reference in '83', domain parameter identifier in '84'), then
// four GENERAL AUTHENTICATE commands, all but the last with the command
// chaining bit, carry the dynamic authentication data '7C':
//
//  1. the chip chooses a nonce s and sends z = E(K_π, s) ('80');
//  2. the nonce is mapped to a new generator of the group ('81', '82');
//  3. both sides agree on a key K with ephemeral keys on that generator
//     ('83', '84') and derive K_Enc and K_MAC from it;
//  4. they exchange authentication tokens, the MAC with K_MAC of the
//     other side's public key in a '7F49' object ('85', '86').
//
// Without the password, s is unknown, the generator is unknown and the
// tokens cannot be right: a wrong password ends with the chip answering
// 6300 (ErrAuthentication). Secure messaging then starts with a send
// sequence counter of zero (Result.NewSession).
//
// # Mappings
//
// Generic Mapping (GM): a first anonymous Diffie-Hellman gives H (h), and
// the generator is G' = s·G + H (g' = g^s·h). Integrated Mapping (IM): the
// terminal sends a nonce t and both sides compute G' = f_G(R_p(s, t)), where
// R is a pseudo-random function built from the block cipher and f_G the point
// encoding of Brier et al. (ICAO Doc 9303-11 Appendix B) for curves, or
// g' = R_p(s,t)^((p-1)/q) for prime-field groups. Chip Authentication
// Mapping (CAM) is Generic Mapping after which the chip also sends its
// chip authentication data A_IC = E(K_Enc, SK_IC^-1·SK_Map,IC): VerifyCAM
// checks it against the chip's static key from EF.CardSecurity, which
// authenticates the chip as Chip Authentication would.
//
// AuthenticatesChip tells which mapping also authenticates the chip (CAM
// only).
//
// # Adding a PACE mapping
//
// The mappings are one table: mappings (mapping.go) pairs each mapping
// that protocol identifiers name (a secinfo.Mapping) with a value of the
// interface mapping, which sits beside the interface domain (domain.go)
// and says what a mapping does: step 2 on the terminal (terminalStart,
// terminalMap) and on the chip (chipMap), what it adds to the last step
// (chipFinish, terminalFinish), what the chip side needs (checkChip) and
// whether it authenticates the chip (authenticatesChip, verifyChip). Open,
// Chip, VerifyCAM and AuthenticatesChip run through it; package reader
// (whether to check EF.CardSecurity) and chip/sim (whether to sign one)
// ask AuthenticatesChip; crypto/secinfo parses, names and ranks the
// identifiers from its own table of mappings. To add a mapping:
//
//  1. Identifiers, in crypto/secinfo: a Mapping constant, its row in
//     paceMappings (protocol.go: name, arc under id-PACE per key agreement,
//     AES only, point encoding, rank in BestPACE), its OIDs and their
//     names (oid.go).
//  2. Implement mapping in a file of its own: gm.go, im.go and cam.go are
//     the models; embed noFinish when the mapping adds nothing to the last
//     step and does not authenticate the chip.
//  3. Add its row to mappings.
//  4. Test it: published vectors under testdata (source named in the
//     README), step by step and whole (vectors_test.go);
//     TestTerminalAgainstChip and TestMappingTable take the new row by
//     themselves; a chip/sim profile offering it (imageprofiles.go) to read
//     it end to end through package reader.
//
// No switch on the mapping remains in this package, reader or chip/sim.
//
// # Key agreement
//
// Key agreement is ECDH on the standardized curves (brainpool, NIST) or DH
// on the RFC 5114 groups, by standardized domain parameter identifier
// (BSI TR-03110-3 Table 4). Ephemeral public keys are validated: on the
// curve and uncompressed, or 1 < y < p-1 with y^q = 1; a peer key equal to
// one's own is refused.
//
// # The Vietnamese CCCD
//
// The CCCD chip offers id-PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1
// (parameter identifier 13), with the MRZ and the CAN as passwords.
//
// # Secrets
//
// Every operation on the nonce s, the mapped generator and the ephemeral
// keys runs in constant time: point arithmetic through crypto/ec (whose
// NIST curves go to filippo.io/nistec), the Integrated Mapping's point
// encoding and all DH exponentiations through filippo.io/bigmod
// (scripts/timing measures them).
//
// Password, Result and errors never print passwords, nonces or keys.
// Open takes the password and the protocol, NewChip the protocols and the
// passwords; everything else comes in a *Config (terminal) or *ChipConfig
// (chip) passed last, nil for the defaults, as with crypto/tls. Randomness
// comes from their Rand (crypto/rand.Reader when nil), so that tests are
// exact: the worked examples of ICAO Doc 9303-11 Appendices G, H and I are
// reproduced byte for byte on both sides.
package pace
