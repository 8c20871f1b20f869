// Package apdu encodes and decodes the application protocol data units of
// ISO/IEC 7816-4, the commands a terminal sends to a smart card and the
// card's responses, and builds the commands an eMRTD reader needs (ICAO
// Doc 9303-10 and -11).
//
// # Commands and responses
//
// A Command is a header CLA INS P1 P2, a data field and Ne, the number of
// response bytes expected. Its encoding follows from them: no length
// field (case 1), Le only (case 2), Lc and data (case 3) or both (case 4),
// each in short form (Lc up to 255, Le up to 256 written '00') or extended
// form (a '00' byte, then two-byte Lc up to 65535 and Le up to 65536
// written '0000'). Bytes and AppendBinary choose the form; ParseCommand
// reads all seven and remembers in Extended which form was used, so that
// encoding a parsed command gives back the same bytes.
//
// A Response is the data and the status word. StatusWord names the status
// words of ISO/IEC 7816-4 §5.6 ("6982 (error: security status not
// satisfied)"). Response.Err accepts 9000 and 6282 (end of file reached,
// the data is valid but shorter than asked) and turns any other status into
// a *StatusError. Match one with errors.Is against the sentinels
// (apdu.ErrFileNotFound) or any status word (apdu.SW(0x6A88)).
//
// Neither Command.String nor Response.String prints data: the data of a
// command can be a key, a password or a cryptogram.
//
// # Sending
//
// A Transmitter exchanges a Command for a Response: NewTransmitter builds
// one over a RawTransport that moves bytes (a PC/SC card, a simulator), the
// secure messaging package wraps one to protect every command, and
// WithChaining adds the procedures a card may ask of the terminal: GET
// RESPONSE after 61XX, resending with the right Le after 6CXX and command
// chaining for long data. The package-level Transmit sends a command and
// returns its data or a *StatusError.
//
// # eMRTD commands
//
// SelectAID, SelectEF, ReadBinary, ReadBinarySFI, ReadBinaryOdd,
// GetChallenge, ExternalAuthenticate, InternalAuthenticate,
// GeneralAuthenticate, the MSE:SET variants for PACE, Chip Authentication
// and Terminal Authentication, and PSOVerifyCertificate build the commands
// of BAC, PACE, EAC and file reading. ParseFCP reads the file control
// parameters a SELECT can return.
//
// Malformed input gives a *FormatError wrapping a sentinel such as
// ErrLength; no length field is believed before the bytes are there.
package apdu
