// Package cvc reads, writes and verifies card verifiable certificates (CV
// certificates) of BSI TR-03110-3 appendix C and ISO/IEC 7816-8: the
// certificates a terminal presents to an eMRTD chip in Terminal
// Authentication to be allowed to read fingerprints (DG3) and iris images
// (DG4).
//
// # The hierarchy
//
// Each country runs a Country Verifying CA (CVCA). Its self-signed
// certificate is the chip's trust point, stored at issuance. The CVCA
// certifies document verifiers (DV): domestic ones for its own inspection
// systems, foreign ones for other countries' border control. A DV certifies
// inspection systems (IS), the terminals that read the chip.
//
// # A certificate
//
// A CV certificate is BER-TLV, not X.509: '7F21' holds the body '7F4E' and
// the signature '5F37' over the encoded body. The body names the
// certification authority reference (CAR, the issuer's key) and the
// certificate holder reference (CHR), both strings such as "VNCVCA00001"
// (country code, mnemonic, five-character sequence number); the public key
// '7F49' with the algorithm its holder signs with (id-TA-ECDSA-SHA-256 and
// friends, or RSA); the certificate holder authorization template (CHAT,
// '7F4C'); the effective and expiration dates as six unpacked digits
// YYMMDD; optional extensions '65'.
//
// An ECDSA key carries its domain parameters only in a CVCA certificate: a
// DV or IS key inherits them, so Verifier takes the issuer's curve. ECDSA
// signatures are plain r || s (BSI TR-03111), not DER.
//
// # Authorization
//
// The CHAT of an inspection system (type id-IS) is one byte: the role in
// bits 7-6 (11 CVCA, 10 domestic DV, 01 foreign DV, 00 terminal), read
// access to DG4 in bit 1 and to DG3 in bit 0. A terminal's effective rights
// are the AND of the CHATs of its chain (CHAT.Intersect).
//
// # Use
//
// Parse decodes a certificate and keeps its bytes; CheckSignatureFrom
// verifies it with the issuer's Verifier; ValidAt checks the dates. Create
// encodes and signs a Template through any crypto.Signer (an HSM, an
// *ec.PrivateKey for Brainpool curves, *ecdsa.PrivateKey, *rsa.PrivateKey),
// as Sign signs any message, both with a *SignConfig (its Rand; nil for
// the defaults); NewHierarchy makes a CVCA, DV and IS chain for tests and
// simulators from a *HierarchyConfig.
// Package eac runs Terminal Authentication with them.
package cvc
