package apdu

import "fmt"

// StatusWord is the trailer SW1-SW2 of a response APDU, as the
// specifications print it: 0x9000 for success.
type StatusWord uint16

// Status words named by ISO/IEC 7816-4 §5.6 and ICAO Doc 9303-10/11.
const (
	SWSuccess                    StatusWord = 0x9000
	SWEndOfFile                  StatusWord = 0x6282
	SWWrongLength                StatusWord = 0x6700
	SWSecurityStatusNotSatisfied StatusWord = 0x6982
	SWConditionsNotSatisfied     StatusWord = 0x6985
	SWCommandNotAllowed          StatusWord = 0x6986
	SWSMDataObjectsMissing       StatusWord = 0x6987
	SWSMDataObjectsIncorrect     StatusWord = 0x6988
	SWWrongData                  StatusWord = 0x6A80
	SWFileNotFound               StatusWord = 0x6A82
	SWWrongP1P2                  StatusWord = 0x6A86
	SWReferenceDataNotFound      StatusWord = 0x6A88
	SWWrongP1P2Offset            StatusWord = 0x6B00
	SWINSNotSupported            StatusWord = 0x6D00
	SWCLANotSupported            StatusWord = 0x6E00
	SWNoPreciseDiagnosis         StatusWord = 0x6F00
)

// SW1 is the first byte of the status word.
func (sw StatusWord) SW1() byte { return byte(sw >> 8) }

// SW2 is the second byte of the status word.
func (sw StatusWord) SW2() byte { return byte(sw) }

// OK reports whether sw is 9000, normal processing without further
// qualification.
func (sw StatusWord) OK() bool { return sw == SWSuccess }

// IsWarning reports whether sw is a warning (SW1 62 or 63): the command
// was processed, the state of the card may or may not have changed.
func (sw StatusWord) IsWarning() bool { return sw.SW1() == 0x62 || sw.SW1() == 0x63 }

var swNames = map[StatusWord]string{
	0x9000: "success",
	0x6200: "warning: no information given, state unchanged",
	0x6281: "warning: part of returned data may be corrupted",
	0x6282: "warning: end of file or record reached before reading Ne bytes",
	0x6283: "warning: selected file deactivated",
	0x6284: "warning: file control information not formatted correctly",
	0x6285: "warning: selected file in termination state",
	0x6286: "warning: no input data available from a sensor",
	0x6300: "warning: verification failed",
	0x6381: "warning: file filled up by the last write",
	0x6400: "error: execution error, state unchanged",
	0x6401: "error: immediate response required by the card",
	0x6500: "error: execution error, state changed",
	0x6581: "error: memory failure",
	0x6700: "error: wrong length",
	0x6800: "error: functions in CLA not supported",
	0x6881: "error: logical channel not supported",
	0x6882: "error: secure messaging not supported",
	0x6883: "error: last command of the chain expected",
	0x6884: "error: command chaining not supported",
	0x6900: "error: command not allowed",
	0x6981: "error: command incompatible with file structure",
	0x6982: "error: security status not satisfied",
	0x6983: "error: authentication method blocked",
	0x6984: "error: reference data not usable",
	0x6985: "error: conditions of use not satisfied",
	0x6986: "error: command not allowed (no current EF)",
	0x6987: "error: expected secure messaging data objects missing",
	0x6988: "error: incorrect secure messaging data objects",
	0x6A00: "error: wrong parameters P1-P2",
	0x6A80: "error: incorrect parameters in the command data field",
	0x6A81: "error: function not supported",
	0x6A82: "error: file or application not found",
	0x6A83: "error: record not found",
	0x6A84: "error: not enough memory space in the file",
	0x6A85: "error: Nc inconsistent with TLV structure",
	0x6A86: "error: incorrect parameters P1-P2",
	0x6A87: "error: Nc inconsistent with parameters P1-P2",
	0x6A88: "error: referenced data or reference data not found",
	0x6A89: "error: file already exists",
	0x6A8A: "error: DF name already exists",
	0x6B00: "error: wrong parameters P1-P2 (offset outside the EF)",
	0x6D00: "error: instruction code not supported or invalid",
	0x6E00: "error: class not supported",
	0x6F00: "error: no precise diagnosis",
}

// String gives the status word in hexadecimal followed by its meaning, as
// in "6982 (error: security status not satisfied)". The meaning never
// depends on anything but the two bytes.
func (sw StatusWord) String() string {
	if s, ok := swNames[sw]; ok {
		return fmt.Sprintf("%04X (%s)", uint16(sw), s)
	}
	x := sw.SW2()
	var s string
	switch sw.SW1() {
	case 0x61:
		s = fmt.Sprintf("%d more bytes available (GET RESPONSE)", ne(x))
	case 0x6C:
		s = fmt.Sprintf("error: wrong Le, %d bytes available", ne(x))
	case 0x62:
		s = "warning: state unchanged"
	case 0x63:
		if x&0xF0 == 0xC0 {
			s = fmt.Sprintf("warning: counter %d", x&0x0F)
		} else {
			s = "warning: state changed"
		}
	case 0x64:
		s = "error: execution error, state unchanged"
	case 0x65:
		s = "error: execution error, state changed"
	case 0x66:
		s = "error: security-related issue"
	case 0x67:
		s = "error: wrong length"
	case 0x68:
		s = "error: functions in CLA not supported"
	case 0x69:
		s = "error: command not allowed"
	case 0x6A, 0x6B:
		s = "error: wrong parameters P1-P2"
	case 0x90:
		s = "success (proprietary qualifier)"
	default:
		s = "unknown"
	}
	return fmt.Sprintf("%04X (%s)", uint16(sw), s)
}

// ne reads a one-byte length where 00 means 256.
func ne(x byte) int {
	if x == 0 {
		return 256
	}
	return int(x)
}
