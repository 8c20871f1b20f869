// Package ec implements elliptic-curve arithmetic, ECDH and ECDSA on the
// prime-field curves that electronic identity documents use: the Brainpool
// curves of RFC 5639 (brainpoolP192r1 to brainpoolP512r1) and the NIST
// curves P-192 to P-521, plus curves given by explicit domain parameters, as
// a country signing CA (CSCA) certificate may carry them.
//
// # Curves
//
// A Curve is y^2 = x^3 + ax + b over GF(p) with a base point G of prime
// order n and cofactor h. Named curves come from functions such as
// BrainpoolP256r1 and P256, from ByOID and ByName, and from Standardized,
// which maps the standardized domain parameter identifiers of BSI TR-03110
// part 3 and ICAO Doc 9303 part 11 (8 to 18) that PACE and Chip
// Authentication announce in EF.CardAccess and DG14. NewCurve validates
// explicit parameters and returns the named curve when they equal one.
//
// # Points
//
// A Point is an affine point or the point at infinity, with Add, Double,
// Neg, ScalarMult (on any point), Curve.ScalarBaseMult and Curve.MulAdd.
// PACE Generic Mapping computes the mapped generator G' = s*G + H with
// MulAdd and continues on Curve.WithGenerator(G'), the same curve with G'
// as base point, where GenerateKey and ECDH work as on any curve. Points
// encode as 04 || X || Y (Bytes) or 02/03 || X (BytesCompressed);
// Curve.DecodePoint reads both, checks ranges and the curve equation, and
// refuses the point at infinity.
//
// # Keys, ECDH and ECDSA
//
// PrivateKey holds a scalar d in [1, n-1] and its public key d*G.
// PrivateKey.ECDH returns the x-coordinate of d*Q as BSI TR-03111 section
// 4.3.1 (ECKA-DH) defines it; PrivateKey.SharedPoint returns the whole
// point for PACE Generic Mapping.
//
// # Timing
//
// The generic arithmetic of this package uses Jacobian coordinates over a
// Montgomery-form field of 64-bit words, a 4-bit window for arbitrary
// points and a precomputed comb for G. It is not constant time: the
// formulas branch on special cases, table lookups on the scalar's digits,
// and inversions and checks go through math/big. Where a long-lived private
// key meets an attacker who can time many operations (a chip's static Chip
// Authentication key, a signing server), prefer the NIST curves, on which
// this package hands key operations to the standard library's constant-time
// code: ECDH on P-256, P-384 and P-521 goes to crypto/ecdh, ECDSA signing
// and verification and the public key of a private key on P-224 to P-521
// to crypto/ecdsa. P-192 and P-224 ECDH use the generic code (crypto/ecdh
// has neither curve). Ephemeral keys, as in
// PACE and a terminal's side of Chip Authentication, are used once, which
// leaves a timing attacker a single measurement. Point arithmetic for PACE
// Generic Mapping (ScalarMult, MulAdd, SharedPoint) is generic on every
// curve.
package ec
