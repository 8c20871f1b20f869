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
// Every operation on a secret runs in constant time: its sequence of
// instructions and memory accesses does not depend on the secret.
//
//   - P-224, P-256, P-384 and P-521 go to the standard library and its
//     published counterpart: ECDH to crypto/ecdh (P-256 to P-521), ECDSA to
//     crypto/ecdsa, and point arithmetic (ScalarBaseMult, ScalarMult, Add,
//     MulAdd, so PACE Generic Mapping and its ephemeral keys) to
//     filippo.io/nistec.
//   - The Brainpool curves, P-192 and explicit curves use this package's
//     own code: homogeneous projective coordinates with the complete
//     formulas of Renes, Costello and Batina (no special cases, so no
//     branch on a point), scalar multiplication over every 4-bit window of
//     the full length of n with every table entry read under a mask; for
//     the generator, signed 5-bit windows over a table of d*32^w*G built
//     once per curve (one masked row scan and one addition per window, no
//     doubling); branch-free Montgomery field arithmetic on a fixed
//     number of 64-bit words; and blinded inversion (the secret times a
//     fresh random value, inverted by math/big, times that value again),
//     for Z as for the ECDSA nonce (whose s = k^-1 (e + r*d) is computed
//     in the Montgomery field of n).
//
// Public values may take shortcuts: decoding and checking points, and the
// parameter checks of NewCurve, use math/big; ECDSA verification (u1*G +
// u2*Q), the subgroup check of a public point and the check n*G = O of
// explicit parameters run in variable time (vartime.go: the generator's
// table read by index, width-5 NAF, zero digits skipped), a path no secret
// reaches. scripts/timing measures the secret paths (a dudect-style
// t-test, see internal/dudect).
package ec
