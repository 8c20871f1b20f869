package relay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
	"unicode/utf8"
)

// Version is the protocol version this package speaks.
const Version = 1

// Subprotocol is the WebSocket subprotocol name of version 1.
const Subprotocol = "cancuoc.relay.v1"

// StartHeader is the header of the upgrade request that may carry the
// start frame (its JSON as is), instead of a first frame: the server then
// sends the first command with its answer to the upgrade, a round trip
// sooner.
const StartHeader = "Cancuoc-Relay-Start"

// maxStartHeader bounds StartHeader's value: a start with the largest
// card_access fits.
const maxStartHeader = 4096

// Limits of the protocol (PROTOCOL.md, "Limits").
const (
	// MaxFrame is the largest frame either side sends, but the result
	// frame: an extended command or response APDU in base64 with room for
	// the JSON around it.
	MaxFrame = 96 << 10
	// MaxResult is the default largest result frame a client accepts.
	MaxResult = 8 << 20
	// MaxCommandAPDU and MaxResponseAPDU are the largest APDUs of ISO/IEC
	// 7816-4: an extended case 4 command (4 + 3 + 65535 + 2 bytes), and
	// 65536 data bytes with the status word.
	MaxCommandAPDU  = 65544
	MaxResponseAPDU = 65538
	// MaxText is the longest msg or reason, in bytes.
	MaxText = 512
	// MaxATR is the longest ATR (ISO/IEC 7816-3).
	MaxATR = 33
	// MaxCardAccess is the largest EF.CardAccess a start carries (a
	// CCCD's is 54 bytes; one with every PACE variant and its domain
	// parameters stays well under it).
	MaxCardAccess = 2048
	// MaxID is the largest command id.
	MaxID = 1<<31 - 1
	// MaxTimeout is the largest timeout_ms a command carries.
	MaxTimeout = 10 * time.Minute
	// maxName bounds policy, stage and file names.
	maxName = 64
	// maxCount bounds the read and total counts of a progress frame.
	maxCount = 1 << 24
)

// Frame is one message of the protocol: *Start, *Command, *Response,
// *CardError, *Cancel, *Progress, *Result or *Error.
type Frame interface {
	// Type is the frame's "t" field.
	Type() string
}

// Frame types, the "t" field.
const (
	TypeStart     = "start"
	TypeCommand   = "cmd"
	TypeResponse  = "rsp"
	TypeCardError = "card_error"
	TypeCancel    = "cancel"
	TypeProgress  = "progress"
	TypeResult    = "result"
	TypeError     = "error"
)

// Start is the client's first frame: the protocol version, the key that
// opens the chip and the read's options.
type Start struct {
	// Version must be 1.
	Version int
	// Key opens the chip (a secret: it never prints).
	Key AccessKey
	// Policy names the server's verification policy ("" for its default).
	Policy string
	// ATR is the card's Answer To Reset as the client's reader gives it
	// (PC/SC, or the historical bytes an NFC stack builds), when known.
	ATR []byte
	// Extended says whether the client's link carries extended length
	// APDUs (nil: unknown, the server asks the ATR or the card).
	Extended *bool
	// MaxResponse caps the response data field the server asks for in one
	// APDU (0: no cap; Android's IsoDep.getMaxTransceiveLength minus 2).
	MaxResponse int
	// CardAccess is the chip's EF.CardAccess as the client read it before
	// the session (READ BINARY by SFI 1C, at most MaxCardAccess bytes):
	// the server then does not ask for it, one round trip less. The
	// server checks it against the chip's signed DG14 as it would the
	// file it read itself; nil when the client did not read it.
	CardAccess []byte
}

// AccessKey is the secret that opens the chip: a card access number, or
// the document number, date of birth and date of expiry of the MRZ. It
// never prints, in any format, nor marshals to JSON.
type AccessKey struct {
	CAN                     string
	Document, Birth, Expiry string
}

// CANKey returns the key of a card access number.
func CANKey(can string) AccessKey { return AccessKey{CAN: can} }

// MRZKey returns the key of the MRZ information: the document number and
// the dates of birth and expiry as YYMMDD.
func MRZKey(document, birth, expiry string) AccessKey {
	return AccessKey{Document: document, Birth: birth, Expiry: expiry}
}

// IsCAN reports whether the key is a card access number.
func (k AccessKey) IsCAN() bool { return k.CAN != "" }

const redacted = "relay.AccessKey(redacted)"

// String hides the key.
func (AccessKey) String() string { return redacted }

// GoString hides the key.
func (AccessKey) GoString() string { return redacted }

// Format hides the key under every verb (%v, %+v, %d, %x...).
func (AccessKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, redacted) }

// MarshalJSON hides the key.
func (AccessKey) MarshalJSON() ([]byte, error) { return []byte(`"redacted"`), nil }

// Command is an APDU the server asks the client to send to the card.
type Command struct {
	// ID numbers the commands of a session from 1.
	ID int
	// APDU is the encoded command APDU.
	APDU []byte
	// Timeout is how long the server waits for the response (0: not said).
	Timeout time.Duration
}

// Response is the card's answer to the command of the same ID.
type Response struct {
	ID   int
	APDU []byte // the response APDU: data and status word
}

// Card error codes.
const (
	CardTagLost = "tag_lost" // the card left the field or the reader
	CardTimeout = "timeout"  // the card did not answer in time
	CardIO      = "io"       // any other failure of the client's link to the card
)

// CardError is a client's report that the command of ID could not be
// exchanged with the card. It is also the error Session.Transmit returns
// then.
type CardError struct {
	ID   int
	Code string // CardTagLost, CardTimeout or CardIO
	Msg  string
}

func (e *CardError) Error() string {
	if e.Msg == "" {
		return "relay: card error " + e.Code
	}
	return "relay: card error " + e.Code + ": " + e.Msg
}

// Is makes errors.Is(err, ErrCard) true.
func (e *CardError) Is(target error) bool { return target == ErrCard }

// Cancel is the client's request to end the session.
type Cancel struct {
	Reason string
}

// Progress tells the client how far the server got.
type Progress struct {
	// Stage is "access", "read", "verify" or another short name.
	Stage string
	// File, Read and Total give the progress of reading one file, when
	// Stage is "read".
	File        string
	Read, Total int
}

// Result is the server's last frame after a read: the result document
// that the server's API defines, as JSON.
type Result struct {
	Result json.RawMessage
}

// Error is the server's last frame when it gives no result; it is also
// the error Client.Run returns then.
type Error struct {
	Code Code
	Msg  string
}

func (e *Error) Error() string {
	if e.Msg == "" {
		return "relay: server error " + string(e.Code)
	}
	return "relay: server error " + string(e.Code) + ": " + e.Msg
}

// Is makes errors.Is(err, &Error{Code: c}) match by code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func (*Start) Type() string     { return TypeStart }
func (*Command) Type() string   { return TypeCommand }
func (*Response) Type() string  { return TypeResponse }
func (*CardError) Type() string { return TypeCardError }
func (*Cancel) Type() string    { return TypeCancel }
func (*Progress) Type() string  { return TypeProgress }
func (*Result) Type() string    { return TypeResult }
func (*Error) Type() string     { return TypeError }

// wire is every frame's JSON form.
type wire struct {
	T           string          `json:"t"`
	V           int             `json:"v,omitempty"`
	CAN         string          `json:"can,omitempty"`
	MRZ         *wireMRZ        `json:"mrz,omitempty"`
	Policy      string          `json:"policy,omitempty"`
	ATR         []byte          `json:"atr,omitempty"`
	Extended    *bool           `json:"extended,omitempty"`
	MaxResponse int             `json:"max_response,omitempty"`
	CardAccess  []byte          `json:"card_access,omitempty"`
	ID          int             `json:"id,omitempty"`
	APDU        []byte          `json:"apdu,omitempty"`
	TimeoutMS   int64           `json:"timeout_ms,omitempty"`
	Code        string          `json:"code,omitempty"`
	Msg         string          `json:"msg,omitempty"`
	Reason      string          `json:"reason,omitempty"`
	Stage       string          `json:"stage,omitempty"`
	File        string          `json:"file,omitempty"`
	Read        *int            `json:"read,omitempty"`
	Total       *int            `json:"total,omitempty"`
	Result      json.RawMessage `json:"result,omitempty"`
}

// resultPrefix starts a result frame, as json.Marshal writes it.
const resultPrefix = `{"t":"result","result":`

type wireMRZ struct {
	Document string `json:"doc"`
	Birth    string `json:"birth"`
	Expiry   string `json:"expiry"`
}

// Marshal encodes a frame, checking it against the protocol's limits
// first: what this package sends, it would also accept.
func Marshal(f Frame) ([]byte, error) {
	w, err := toWire(f)
	if err != nil {
		return nil, err
	}
	var b []byte
	if r, ok := f.(*Result); ok {
		// The result document goes into the frame byte for byte (what
		// json.Marshal does to a RawMessage, compacting, would change
		// the evidence bundle inside it, whose canonical bytes are what
		// evidence.Verify checks). check made sure it is a JSON object.
		doc := bytes.Trim(r.Result, " \t\r\n")
		b = make([]byte, 0, len(resultPrefix)+len(doc)+1)
		b = append(append(append(b, resultPrefix...), doc...), '}')
	} else if b, err = json.Marshal(w); err != nil {
		return nil, err
	}
	limit := MaxFrame
	if f.Type() == TypeResult {
		limit = MaxResult
	}
	if len(b) > limit {
		return nil, frameErr(f.Type(), ErrFrameTooBig, "%d bytes, limit %d", len(b), limit)
	}
	return b, nil
}

func toWire(f Frame) (*wire, error) {
	if err := check(f); err != nil {
		return nil, err
	}
	w := &wire{T: f.Type()}
	switch f := f.(type) {
	case *Start:
		w.V, w.Policy, w.ATR, w.Extended, w.MaxResponse, w.CardAccess = f.Version, f.Policy, f.ATR, f.Extended, f.MaxResponse, f.CardAccess
		if f.Key.IsCAN() {
			w.CAN = f.Key.CAN
		} else {
			w.MRZ = &wireMRZ{f.Key.Document, f.Key.Birth, f.Key.Expiry}
		}
	case *Command:
		w.ID, w.APDU, w.TimeoutMS = f.ID, f.APDU, f.Timeout.Milliseconds()
	case *Response:
		w.ID, w.APDU = f.ID, f.APDU
	case *CardError:
		w.ID, w.Code, w.Msg = f.ID, f.Code, f.Msg
	case *Cancel:
		w.Reason = f.Reason
	case *Progress:
		w.Stage, w.File = f.Stage, f.File
		if f.File != "" {
			w.Read, w.Total = &f.Read, &f.Total
		}
	case *Result:
		w.Result = f.Result
	case *Error:
		w.Code, w.Msg = string(f.Code), f.Msg
	}
	return w, nil
}

// ParseClientFrame decodes a frame a client sends: Start, Response,
// CardError or Cancel. Errors wrap ErrBadFrame or ErrFrameTooBig.
func ParseClientFrame(b []byte) (Frame, error) {
	return parse(b, MaxFrame, TypeStart, TypeResponse, TypeCardError, TypeCancel)
}

// ParseServerFrame decodes a frame a server sends: Command, Progress,
// Result or Error. maxResult bounds a result frame (0: MaxResult).
func ParseServerFrame(b []byte, maxResult int) (Frame, error) {
	if maxResult <= 0 {
		maxResult = MaxResult
	}
	return parse(b, max(maxResult, MaxFrame), TypeCommand, TypeProgress, TypeResult, TypeError)
}

func parse(b []byte, limit int, types ...string) (Frame, error) {
	if len(b) > limit {
		return nil, frameErr("", ErrFrameTooBig, "%d bytes, limit %d", len(b), limit)
	}
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, frameErr("", ErrBadFrame, "%v", jsonErr(err))
	}
	known := false
	for _, t := range types {
		known = known || w.T == t
	}
	if !known {
		return nil, frameErr("", ErrBadFrame, "unexpected frame type %.20q", w.T)
	}
	if w.T != TypeResult && len(b) > MaxFrame {
		return nil, frameErr(w.T, ErrFrameTooBig, "%d bytes, limit %d", len(b), MaxFrame)
	}
	var f Frame
	switch w.T {
	case TypeStart:
		s := &Start{Version: w.V, Policy: w.Policy, ATR: w.ATR, Extended: w.Extended, MaxResponse: w.MaxResponse, CardAccess: w.CardAccess}
		if w.V == Version && w.CAN != "" && w.MRZ != nil {
			return nil, frameErr(w.T, ErrBadFrame, "both can and mrz")
		}
		if w.CAN != "" {
			s.Key = CANKey(w.CAN)
		} else if w.MRZ != nil {
			s.Key = MRZKey(w.MRZ.Document, w.MRZ.Birth, w.MRZ.Expiry)
		}
		f = s
	case TypeCommand:
		if w.TimeoutMS < 0 || w.TimeoutMS > MaxTimeout.Milliseconds() {
			return nil, frameErr(w.T, ErrBadFrame, "timeout_ms out of range")
		}
		f = &Command{ID: w.ID, APDU: w.APDU, Timeout: time.Duration(w.TimeoutMS) * time.Millisecond}
	case TypeResponse:
		f = &Response{ID: w.ID, APDU: w.APDU}
	case TypeCardError:
		f = &CardError{ID: w.ID, Code: w.Code, Msg: w.Msg}
	case TypeCancel:
		f = &Cancel{Reason: w.Reason}
	case TypeProgress:
		p := &Progress{Stage: w.Stage, File: w.File}
		if w.Read != nil {
			p.Read = *w.Read
		}
		if w.Total != nil {
			p.Total = *w.Total
		}
		f = p
	case TypeResult:
		f = &Result{Result: w.Result}
	case TypeError:
		f = &Error{Code: Code(w.Code), Msg: w.Msg}
	}
	if err := check(f); err != nil {
		return nil, err
	}
	return f, nil
}

// jsonErr keeps what a JSON error says about where, not the input itself.
func jsonErr(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("invalid JSON at offset %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("field %q: wrong type at offset %d", e.Field, e.Offset)
	}
	return "invalid JSON"
}

// check enforces the protocol's rules on a frame's fields.
func check(f Frame) error {
	t := f.Type()
	bad := func(format string, args ...any) error { return frameErr(t, ErrBadFrame, format, args...) }
	switch f := f.(type) {
	case *Start:
		if f.Version != Version {
			return frameErr(t, ErrVersion, "version %d, this side speaks %d", f.Version, Version)
		}
		k := f.Key
		if k.CAN != "" {
			if k.Document != "" || k.Birth != "" || k.Expiry != "" {
				return bad("both can and mrz")
			}
			if len(k.CAN) > 16 || !digits(k.CAN) {
				return bad("can: want 1 to 16 digits")
			}
		} else {
			if k.Document == "" || len(k.Document) > 22 || !mrzChars(k.Document) {
				return bad("mrz.doc: want 1 to 22 of 0-9 A-Z <")
			}
			if len(k.Birth) != 6 || !digits(k.Birth) || len(k.Expiry) != 6 || !digits(k.Expiry) {
				return bad("mrz.birth and mrz.expiry: want YYMMDD")
			}
		}
		if len(f.Policy) > maxName || !nameChars(f.Policy) {
			return bad("policy: want at most %d of A-Z a-z 0-9 . _ - /", maxName)
		}
		if len(f.ATR) > MaxATR {
			return bad("atr: %d bytes, limit %d", len(f.ATR), MaxATR)
		}
		if f.MaxResponse < 0 || f.MaxResponse > 65536 {
			return bad("max_response: want 0 to 65536")
		}
		if len(f.CardAccess) > MaxCardAccess {
			return bad("card_access: %d bytes, limit %d", len(f.CardAccess), MaxCardAccess)
		}
	case *Command:
		if f.ID < 1 || f.ID > MaxID {
			return bad("id out of range")
		}
		if len(f.APDU) < 4 || len(f.APDU) > MaxCommandAPDU {
			return bad("apdu: %d bytes, want 4 to %d", len(f.APDU), MaxCommandAPDU)
		}
		if f.Timeout < 0 || f.Timeout > MaxTimeout {
			return bad("timeout out of range")
		}
	case *Response:
		if f.ID < 1 || f.ID > MaxID {
			return bad("id out of range")
		}
		if len(f.APDU) < 2 || len(f.APDU) > MaxResponseAPDU {
			return bad("apdu: %d bytes, want 2 to %d", len(f.APDU), MaxResponseAPDU)
		}
	case *CardError:
		if f.ID < 0 || f.ID > MaxID {
			return bad("id out of range")
		}
		switch f.Code {
		case CardTagLost, CardTimeout, CardIO:
		default:
			return bad("unknown card error code")
		}
		if err := text(t, "msg", f.Msg); err != nil {
			return err
		}
	case *Cancel:
		return text(t, "reason", f.Reason)
	case *Progress:
		if f.Stage == "" || len(f.Stage) > maxName || !nameChars(f.Stage) || len(f.File) > maxName || !nameChars(f.File) {
			return bad("stage and file: want 1 to %d (file: 0 to %d) of A-Z a-z 0-9 . _ - /", maxName, maxName)
		}
		if f.Read < 0 || f.Total < 0 || f.Read > maxCount || f.Total > maxCount {
			return bad("read and total out of range")
		}
	case *Result:
		if len(f.Result) == 0 || !json.Valid(f.Result) {
			return bad("result: not JSON")
		}
		if r := bytes.TrimLeft(f.Result, " \t\r\n"); r[0] != '{' {
			return bad("result: not a JSON object")
		}
	case *Error:
		if f.Code == "" || len(f.Code) > maxName || !nameChars(string(f.Code)) {
			return bad("code: want 1 to %d of A-Z a-z 0-9 . _ - /", maxName)
		}
		return text(t, "msg", f.Msg)
	}
	return nil
}

func text(t, field, s string) error {
	if len(s) > MaxText || !utf8.ValidString(s) {
		return frameErr(t, ErrBadFrame, "%s: want at most %d bytes of UTF-8", field, MaxText)
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func mrzChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '<') {
			return false
		}
	}
	return true
}

func nameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '.' || c == '_' || c == '-' || c == '/') {
			return false
		}
	}
	return true
}

// truncate cuts s to at most MaxText bytes of valid UTF-8.
func truncate(s string) string {
	if len(s) <= MaxText && utf8.ValidString(s) {
		return s
	}
	s = string([]rune(s)) // replaces invalid bytes
	for len(s) > MaxText {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}
