// Package bac is Basic Access Control (ICAO Doc 9303-11 §4.3), the older
// of the two ways a terminal proves it has read the printed MRZ of an
// eMRTD before the chip lets it read anything: both sides derive 3DES keys
// from the MRZ information, authenticate each other with a challenge and
// response, and agree on session keys for secure messaging (package
// crypto/sm). PACE replaces it, but many documents, and many Vietnamese
// CCCD chips, still offer BAC.
//
// # Keys
//
// The MRZ information is the document number, the date of birth and the
// date of expiry, each followed by its check digit, as printed in the MRZ:
// "L898902C<369080619406236" for the specimen of ICAO Doc 9303. NewKey
// checks the three check digits and computes K_seed (SHA-1, first 16
// bytes); K_Enc and K_MAC follow with sm.DeriveKey. A Key never prints
// itself.
//
// # The protocol
//
// The terminal asks for RND.ICC (GET CHALLENGE), draws RND.IFD and K.IFD,
// and sends EXTERNAL AUTHENTICATE with RND.IFD || RND.ICC || K.IFD
// encrypted under K_Enc and MACed under K_MAC; the chip checks it and
// answers the same way with RND.ICC || RND.IFD || K.ICC. The session keys
// come from K.IFD xor K.ICC, the send sequence counter from the last four
// bytes of each random number. Open runs the terminal side over an
// apdu.Transmitter; Chip (NewChip) is the chip side for a simulator. Both
// take the key as an argument and a *Config (*ChipConfig) last, nil for
// the defaults; its Rand, crypto/rand.Reader by default, lets tests replay
// Appendix D exactly.
//
// A chip answers a failed authentication with 6300: Open reports it as
// ErrAccessDenied (usually a wrong MRZ). MACs are compared in constant
// time before decryption.
package bac
