// Package transcript records the APDUs a reader exchanges with a card and
// replays them, as crypto/tls's tests replay recorded handshakes: a read
// runs against a Replayer that checks every command byte for byte against
// the transcript and answers with the recorded response, so that any
// change in what the reader sends (an extra APDU, another Le, another
// order) fails and names the APDU.
//
// A transcript is text, one line per APDU (see testdata/transcripts/README.md
// in package reader for the format and how to record a real card):
//
//	# cancuoc APDU transcript 1
//	# card: simulated cccd
//	# atr: 3B8880010000000000718100F9
//	> 00A4040C07A0000002471001
//	< 9000
//	> 00B09C0000
//	! removed: card removed from the field
//
// Header lines are "# key: value"; ">" is a command APDU, "<" its response
// (data and status word), "!" a transport error instead of a response.
// The bytes are upper case hexadecimal without spaces.
//
// The package knows only apdu; reader's tests (TestReplay, TestRecordAgain)
// and 'cancuoc read --record FILE' / '--replay FILE' use it.
package transcript

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Magic is the first line of every transcript.
const Magic = "# cancuoc APDU transcript 1"

// MaxSize bounds the transcripts Parse and ReadFile take (16 MiB).
const MaxSize = 16 << 20

// ErrFormat is wrapped by the errors of Parse.
var ErrFormat = errors.New("transcript: bad format")

// Field is one header line, "# Key: Value".
type Field struct {
	Key, Value string
}

// Exchange is one APDU: the command as sent and either the response as
// received (data and status word) or the transport error that came
// instead.
type Exchange struct {
	Command  []byte
	Response []byte
	// Err is set when the transport failed instead of answering: Kind is
	// ErrRemoved or ErrOther, followed by the error's text.
	Err *TransportError
}

// Transcript is a recorded session: a header describing it and the APDUs
// in the order sent.
type Transcript struct {
	Header    []Field
	Exchanges []Exchange
}

// Get returns the value of the header field key ("" when absent).
func (t *Transcript) Get(key string) string {
	for _, f := range t.Header {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// Set sets the header field key, in its place when it exists, else at
// the end.
func (t *Transcript) Set(key, value string) {
	for i, f := range t.Header {
		if f.Key == key {
			t.Header[i].Value = value
			return
		}
	}
	t.Header = append(t.Header, Field{key, value})
}

// Marshal returns the transcript's text. Header values and error texts
// are written on one line, their runs of white space made one space.
func (t *Transcript) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(Magic + "\n")
	for _, f := range t.Header {
		fmt.Fprintf(&b, "# %s: %s\n", f.Key, oneLine(f.Value))
	}
	for _, e := range t.Exchanges {
		fmt.Fprintf(&b, "> %X\n", e.Command)
		if e.Err != nil {
			fmt.Fprintf(&b, "! %s: %s\n", e.Err.Kind, oneLine(e.Err.Text))
		} else {
			fmt.Fprintf(&b, "< %X\n", e.Response)
		}
	}
	return b.Bytes()
}

// Parse reads a transcript's text. Lines starting with "#" after the
// header that are not "key: value" are comments.
func Parse(data []byte) (*Transcript, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrFormat, len(data), MaxSize)
	}
	t := &Transcript{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, MaxSize)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), " \t\r")
		if line == 1 {
			if s != Magic {
				return nil, fmt.Errorf("%w: line 1 is not %q", ErrFormat, Magic)
			}
			continue
		}
		if s == "" {
			continue
		}
		bad := func(why string) error { return fmt.Errorf("%w: line %d: %s", ErrFormat, line, why) }
		switch s[0] {
		case '#':
			if len(t.Exchanges) > 0 {
				continue
			}
			k, v, ok := strings.Cut(strings.TrimSpace(s[1:]), ":")
			if !ok || k == "" || strings.ContainsAny(k, " \t") {
				continue
			}
			t.Header = append(t.Header, Field{k, strings.TrimSpace(v)})
		case '>':
			b, err := hexField(s)
			if err != nil || len(b) < 4 {
				return nil, bad("a command needs at least 4 bytes of hexadecimal")
			}
			if n := len(t.Exchanges); n > 0 && t.Exchanges[n-1].Response == nil && t.Exchanges[n-1].Err == nil {
				return nil, bad("a command follows a command without its response")
			}
			t.Exchanges = append(t.Exchanges, Exchange{Command: b})
		case '<', '!':
			n := len(t.Exchanges)
			if n == 0 || t.Exchanges[n-1].Response != nil || t.Exchanges[n-1].Err != nil {
				return nil, bad("an answer without its command")
			}
			if s[0] == '!' {
				kind, text, _ := strings.Cut(strings.TrimSpace(s[1:]), ":")
				if kind != ErrRemoved && kind != ErrOther {
					return nil, bad(fmt.Sprintf("transport error kind %q, want %s or %s", kind, ErrRemoved, ErrOther))
				}
				t.Exchanges[n-1].Err = &TransportError{Kind: kind, Text: strings.TrimSpace(text)}
				continue
			}
			b, err := hexField(s)
			if err != nil || len(b) < 2 {
				return nil, bad("a response needs at least its 2 status bytes of hexadecimal")
			}
			t.Exchanges[n-1].Response = b
		default:
			return nil, bad(fmt.Sprintf("unknown line type %q", s[0]))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if line == 0 {
		return nil, fmt.Errorf("%w: empty", ErrFormat)
	}
	if n := len(t.Exchanges); n > 0 && t.Exchanges[n-1].Response == nil && t.Exchanges[n-1].Err == nil {
		return nil, fmt.Errorf("%w: the last command has no response", ErrFormat)
	}
	return t, nil
}

func hexField(s string) ([]byte, error) {
	return hex.DecodeString(strings.TrimSpace(s[1:]))
}

// ReadFile reads and parses the transcript at path.
func ReadFile(path string) (*Transcript, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, err
	}
	t, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// WriteFile writes the transcript to path (mode 0644).
func (t *Transcript) WriteFile(path string) error {
	return os.WriteFile(path, t.Marshal(), 0o644)
}
