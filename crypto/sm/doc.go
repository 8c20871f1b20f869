// Package sm is the secure messaging of ICAO Doc 9303-11 §9.8 (ISO/IEC
// 7816-4 §10): after BAC, PACE or Chip Authentication, every command and
// response between the terminal and the chip is encrypted and
// authenticated with session keys. Both sides are here: the terminal's
// Wrap and Unwrap, the chip's UnwrapCommand and WrapResponse.
//
// # Keys
//
// DeriveKey is the key derivation function of §9.7.1: K = H(secret ||
// counter) cut to the key size, with counter 1 for K_Enc, 2 for K_MAC and
// 3 for PACE's K_π; H is SHA-1 for 3DES and AES-128, SHA-256 for AES-192
// and AES-256; 3DES keys are two-key (16 bytes) with DES parity adjusted.
//
// # Protecting an APDU
//
// A Session holds the cipher, the keys and the send sequence counter
// (SSC), incremented before each command and each response. For a command,
// the data is padded (ISO/IEC 9797-1 method 2) and encrypted in CBC mode
// (IV zero for 3DES, E(K_Enc, SSC) for AES) into DO '87' (padding
// indicator 01 first) or, for an odd INS whose data is BER-TLV, DO '85';
// Ne goes in DO '97'; the MAC over SSC || padded header || those objects,
// padded, goes in DO '8E'; CLA gets the bits '0C'. A response carries DO
// '87'/'85', the status word in DO '99' and DO '8E' over SSC || objects.
//
// Who pads: the session pads its MAC input itself, for both ciphers, and
// calls the MAC without padding (MAC, RetailMAC and CMAC take data as
// given). AuthToken, for PACE and Chip Authentication tokens, pads for
// 3DES only: padding is part of the 3DES retail MAC's definition there, not
// of CMAC.
//
// The MAC is checked in constant time before anything is decrypted. Any
// error (a wrong MAC, a missing or malformed object, bad padding, calls
// out of order, a plain 6987/6988 from the card) is an *Error wrapping a
// sentinel such as ErrMAC, and kills the session: later calls return
// ErrSessionDead, as the chip forgets its keys too. A chip answers a
// command that does not unwrap with ChipStatus(err) in plain.
//
// NewTransmitter puts a Session between an apdu.Transmitter and its user.
// Keys are never printed: Session.String redacts them.
package sm
