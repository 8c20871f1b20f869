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
// Groups without q (PKCS #3 DHParameter) are accepted only over a safe
// prime p = 2q + 1, so that a peer's value can still be checked to lie in
// a subgroup of order at least q; otherwise NewGroup and the parsers return
// ErrNoSubgroupOrder. Explicit subgroups of fewer than MinQBits bits are
// refused with ErrWeakGroup.
//
// Timing: every exponentiation with a secret exponent or base (key
// generation, the shared secret, the Generic and Integrated Mappings of
// PACE through Group.Exp) runs in constant time through filippo.io/bigmod;
// only checks of public values (y^q = 1, primality) use math/big.
package dh
