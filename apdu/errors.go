package apdu

import (
	"errors"
	"fmt"
)

// Sentinel errors for malformed APDUs. ParseCommand, ParseResponse,
// Command.Bytes and ParseFCP return a *FormatError wrapping one of these,
// so callers test with errors.Is(err, apdu.ErrLength).
var (
	// ErrTooShort: fewer bytes than a header (command) or a status word
	// (response).
	ErrTooShort = errors.New("too short")
	// ErrTooLong: more bytes than the largest extended APDU.
	ErrTooLong = errors.New("too long")
	// ErrLength: Lc or Le does not match the bytes that are there, or a
	// length field is malformed (extended Lc of zero, a stray byte).
	ErrLength = errors.New("length field does not match the data")
	// ErrDataTooLong: command data longer than 65535 bytes.
	ErrDataTooLong = errors.New("command data longer than 65535 bytes")
	// ErrNe: Ne outside 0..65536.
	ErrNe = errors.New("expected response length Ne outside 0..65536")
	// ErrInvalidINS: an INS byte of the form 6X or 9X, which ISO/IEC 7816-3
	// reserves (they would be read as procedure bytes under T=0).
	ErrInvalidINS = errors.New("invalid INS byte (6X or 9X)")
	// ErrArgument: a command constructor was given an out-of-range value
	// (an offset above 32767, an SFI outside 1..30, ...).
	ErrArgument = errors.New("argument out of range")
	// ErrFCP: a file control parameter template that is malformed.
	ErrFCP = errors.New("malformed FCP")
	// ErrResponseTooLarge: response chaining (61XX) would exceed the
	// configured maximum response size.
	ErrResponseTooLarge = errors.New("response exceeds the size limit")
	// ErrTooManyRounds: the card kept answering 61XX or 6CXX beyond the
	// bounded number of rounds.
	ErrTooManyRounds = errors.New("too many GET RESPONSE or Le retry rounds")
)

// ErrCardRemoved is what a transport returns, wrapped, when the card left
// the reader or its field (or lost power) during an exchange: PC/SC
// (reader/pcsc), the simulator (chip/sim) and other transports wrap it so
// that callers test one sentinel, errors.Is(err, apdu.ErrCardRemoved),
// whatever the link. Nothing about the card follows from it: a read it
// stops is incomplete.
var ErrCardRemoved = errors.New("card removed")

// FormatError describes a malformed APDU or data object: what (a short
// name such as "command", "response", "FCP"), at which byte offset, and
// which sentinel error (Err).
type FormatError struct {
	What   string
	Offset int
	Err    error
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("apdu: %s: offset %d: %v", e.What, e.Offset, e.Err)
}

func (e *FormatError) Unwrap() error { return e.Err }

func formatErr(what string, off int, err error) error {
	return &FormatError{What: what, Offset: off, Err: err}
}

// StatusError is a status word other than success returned by the card,
// with the instruction byte of the command that got it (0 when unknown).
//
// Callers match status errors with errors.Is against the sentinels below
// (errors.Is(err, apdu.ErrSecurityStatusNotSatisfied)) or against SW(x) for
// any status word (errors.Is(err, apdu.SW(0x6A82))). The INS of the target
// is ignored unless it is non-zero. Targets whose SW2 is a wildcard match a
// whole family: SW(0x6100) matches every 61XX, SW(0x6C00) every 6CXX and
// SW(0x63C0) every 63CX. errors.As gives the *StatusError itself.
type StatusError struct {
	SW  StatusWord
	INS byte
}

func (e *StatusError) Error() string {
	if e.INS != 0 {
		return fmt.Sprintf("apdu: INS %02X: status %s", e.INS, e.SW)
	}
	return fmt.Sprintf("apdu: status %s", e.SW)
}

// Is reports whether target is a *StatusError with the same status word
// (or the same family for the wildcard forms 6100, 6C00, 63C0) and, if the
// target names one, the same INS.
func (e *StatusError) Is(target error) bool {
	t, ok := target.(*StatusError)
	if !ok {
		return false
	}
	if t.INS != 0 && t.INS != e.INS {
		return false
	}
	switch t.SW {
	case 0x6100, 0x6C00:
		return e.SW.SW1() == t.SW.SW1()
	case 0x63C0:
		return e.SW&0xFFF0 == 0x63C0
	}
	return e.SW == t.SW
}

// SW returns an error value matching the status word sw, for errors.Is.
func SW(sw StatusWord) error { return &StatusError{SW: sw} }

// Sentinel status errors for the status words an eMRTD reader meets.
var (
	ErrEndOfFile                  = &StatusError{SW: 0x6282}
	ErrVerificationFailed         = &StatusError{SW: 0x6300}
	ErrCounter                    = &StatusError{SW: 0x63C0}
	ErrMemoryFailure              = &StatusError{SW: 0x6581}
	ErrWrongLength                = &StatusError{SW: 0x6700}
	ErrLastCommandExpected        = &StatusError{SW: 0x6883}
	ErrChainingNotSupported       = &StatusError{SW: 0x6884}
	ErrSecurityStatusNotSatisfied = &StatusError{SW: 0x6982}
	ErrAuthMethodBlocked          = &StatusError{SW: 0x6983}
	ErrReferenceDataNotUsable     = &StatusError{SW: 0x6984}
	ErrConditionsNotSatisfied     = &StatusError{SW: 0x6985}
	ErrCommandNotAllowed          = &StatusError{SW: 0x6986}
	ErrSMDataObjectsMissing       = &StatusError{SW: 0x6987}
	ErrSMDataObjectsIncorrect     = &StatusError{SW: 0x6988}
	ErrWrongData                  = &StatusError{SW: 0x6A80}
	ErrFunctionNotSupported       = &StatusError{SW: 0x6A81}
	ErrFileNotFound               = &StatusError{SW: 0x6A82}
	ErrRecordNotFound             = &StatusError{SW: 0x6A83}
	ErrWrongP1P2                  = &StatusError{SW: 0x6A86}
	ErrReferenceDataNotFound      = &StatusError{SW: 0x6A88}
	ErrWrongP1P2Offset            = &StatusError{SW: 0x6B00}
	ErrWrongLe                    = &StatusError{SW: 0x6C00}
	ErrINSNotSupported            = &StatusError{SW: 0x6D00}
	ErrCLANotSupported            = &StatusError{SW: 0x6E00}
	ErrNoPreciseDiagnosis         = &StatusError{SW: 0x6F00}
)
