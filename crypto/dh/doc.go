// Package dh implements finite-field Diffie-Hellman as PACE and Chip
// Authentication use it on documents that do not use elliptic curves
// (BSI TR-03110, ICAO Doc 9303 part 11).
//
// A Group is a prime p, a generator g and, when known, the prime order q
// of g. Standardized returns the three groups of RFC 5114 (1024-bit p with
// 160-bit q, 2048/224, 2048/256) under their standardized domain parameter
// identifiers 0, 1 and 2. Explicit parameters come from NewGroup or from
// ASN.1: ParseDomainParameters (X9.42 / RFC 3279, with q) and
// ParseDHParameter (PKCS #3, without q).
//
// Keys: Group.GenerateKey draws x in [1, q-1] from an io.Reader;
// PrivateKey.SharedSecret validates the peer's value (1 < y < p-1 and
// y^q = 1) and returns Z = y^x mod p on the full length of p, the form key
// derivation expects. For PACE Generic Mapping, SharedInt gives h and
// Group.GenericMap the group with the mapped generator g' = g^s * h.
//
// Timing: exponentiation is math/big's, which is not constant time. The
// keys of PACE are ephemeral (one use each); a chip's static Chip
// Authentication DH key should prefer elliptic curves on NIST curves (see
// package crypto/ec).
package dh
