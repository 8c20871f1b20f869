package transcript

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/cancuoc/cancuoc/apdu"
)

// The kinds of transport error a transcript keeps.
const (
	// ErrRemoved: the card left the field (the error wrapped
	// apdu.ErrCardRemoved); replayed wrapping it again.
	ErrRemoved = "removed"
	// ErrOther: any other failure of the transport.
	ErrOther = "error"
)

// TransportError is a transport failure kept in a transcript, and what a
// Replayer returns for it. It wraps apdu.ErrCardRemoved when its Kind is
// ErrRemoved.
type TransportError struct {
	Kind string
	Text string
}

// Error returns the text recorded, so that a replayed read fails with the
// message the recorded one had.
func (e *TransportError) Error() string { return e.Text }

// Unwrap returns apdu.ErrCardRemoved for a removed card.
func (e *TransportError) Unwrap() error {
	if e.Kind == ErrRemoved {
		return apdu.ErrCardRemoved
	}
	return nil
}

// Recorder is an apdu.Transmitter that passes every command to the card
// behind it and keeps the exchange. It has the ATR method of the card
// behind it (nil when that has none, which a reader takes as no ATR), so
// that a read behaves the same recorded or not.
//
// A Recorder keeps what crossed the link: before secure messaging that is
// plain (EF.CardAccess, the MRZ-derived cryptograms of BAC), and the rest
// is the holder's data under keys the transcript does not hold, but which
// the password and the reader's seed give back. A transcript of a real
// card is personal data.
type Recorder struct {
	t apdu.Transmitter

	mu   sync.Mutex
	tr   Transcript
	rand []byte
	// drew is set once Rand's reader was read from.
	drew bool
}

// NewRecorder returns a Recorder in front of t. The transcript's header
// gets the field "atr" when t has an ATR.
func NewRecorder(t apdu.Transmitter) *Recorder {
	r := &Recorder{t: t}
	if atr := r.ATR(); len(atr) > 0 {
		r.tr.Set("atr", fmt.Sprintf("%X", atr))
	}
	return r
}

// ATR returns the ATR of the card behind the recorder.
func (r *Recorder) ATR() []byte {
	if a, ok := r.t.(interface{ ATR() []byte }); ok {
		return a.ATR()
	}
	return nil
}

// Transmit sends cmd to the card and records the exchange.
func (r *Recorder) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	raw, err := cmd.Bytes()
	if err != nil {
		// Nothing went on the wire.
		return apdu.Response{}, err
	}
	resp, err := r.t.Transmit(ctx, cmd)
	e := Exchange{Command: raw}
	switch {
	case errors.Is(err, apdu.ErrCardRemoved):
		e.Err = &TransportError{Kind: ErrRemoved, Text: oneLine(err.Error())}
	case err != nil:
		e.Err = &TransportError{Kind: ErrOther, Text: oneLine(err.Error())}
	default:
		e.Response = resp.Bytes()
	}
	r.mu.Lock()
	r.tr.Exchanges = append(r.tr.Exchanges, e)
	r.mu.Unlock()
	return resp, err
}

// Rand returns src wrapped so that the recorder keeps every byte read
// from it: give it to the reader as its randomness (reader.Config.Rand)
// and the transcript holds what the reader drew, in the header field
// "reader-rand", for a replay to draw the same (Transcript.Rand). That is
// how a real card is recorded while the reader keeps drawing from
// crypto/rand; the bytes are the reader's ephemeral secrets of that read.
func (r *Recorder) Rand(src io.Reader) io.Reader { return &randTap{r: r, src: src} }

type randTap struct {
	r   *Recorder
	src io.Reader
}

func (t *randTap) Read(p []byte) (int, error) {
	n, err := t.src.Read(p)
	t.r.mu.Lock()
	t.r.rand = append(t.r.rand, p[:n]...)
	t.r.drew = true
	t.r.mu.Unlock()
	return n, err
}

// Transcript returns a copy of what was recorded so far, its header
// holding "atr" if the card has one and "reader-rand" if the reader drew
// from Rand; the caller adds the rest.
func (r *Recorder) Transcript() *Transcript {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &Transcript{
		Header:    append([]Field(nil), r.tr.Header...),
		Exchanges: append([]Exchange(nil), r.tr.Exchanges...),
	}
	if r.drew {
		t.Set(FieldReaderRand, fmt.Sprintf("%X", r.rand))
	}
	return t
}

// FieldReaderRand is the header field of the bytes the reader drew from
// its randomness (Recorder.Rand, Transcript.Rand).
const FieldReaderRand = "reader-rand"

// ErrRandUsedUp is returned by Transcript.Rand's reader when the reader
// draws more than was recorded: its randomness is used otherwise now.
var ErrRandUsedUp = errors.New("transcript: the reader draws more randomness than the recording did")

// Rand returns the randomness the reader drew while the transcript was
// recorded (the header field "reader-rand"), to give to the reader
// replaying it; false when the transcript has none (it was recorded with
// a seeded reader, whose seed its header names).
func (t *Transcript) Rand() (io.Reader, bool, error) {
	s := t.Get(FieldReaderRand)
	if s == "" {
		return nil, false, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %s: %w", ErrFormat, FieldReaderRand, err)
	}
	return &recordedRand{b: b}, true, nil
}

type recordedRand struct {
	mu sync.Mutex
	b  []byte
}

func (r *recordedRand) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(p) > 0 && len(r.b) == 0 {
		return 0, ErrRandUsedUp
	}
	n := copy(p, r.b)
	r.b = r.b[n:]
	return n, nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Replayer is an apdu.Transmitter that plays a card from a transcript: it
// checks each command against the next recorded one, byte for byte, and
// answers with the recorded response. On the first command that differs
// (or one past the end) it answers with a *MismatchError, and every
// command after that with the same error; Err returns it, since the
// reader under test may take it for a transport failure and go on.
type Replayer struct {
	tr  *Transcript
	atr []byte

	mu   sync.Mutex
	next int
	err  *MismatchError
}

// NewReplayer returns a Replayer of t. It has the ATR of t's header field
// "atr" (nil without one).
func NewReplayer(t *Transcript) (*Replayer, error) {
	r := &Replayer{tr: t}
	if s := t.Get("atr"); s != "" {
		atr, err := hex.DecodeString(s)
		if err != nil {
			return nil, fmt.Errorf("%w: atr: %w", ErrFormat, err)
		}
		r.atr = atr
	}
	return r, nil
}

// ATR returns the recorded ATR.
func (r *Replayer) ATR() []byte { return bytes.Clone(r.atr) }

// Transmit checks cmd against the next recorded command and answers with
// the recorded response or transport error.
func (r *Replayer) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	if err := ctx.Err(); err != nil {
		return apdu.Response{}, err
	}
	raw, err := cmd.Bytes()
	if err != nil {
		return apdu.Response{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return apdu.Response{}, r.err
	}
	i := r.next
	if i >= len(r.tr.Exchanges) {
		r.err = &MismatchError{Index: i + 1, Total: len(r.tr.Exchanges), Got: raw}
		return apdu.Response{}, r.err
	}
	e := r.tr.Exchanges[i]
	if !bytes.Equal(raw, e.Command) {
		r.err = &MismatchError{Index: i + 1, Total: len(r.tr.Exchanges), Got: raw, Want: e.Command}
		return apdu.Response{}, r.err
	}
	r.next++
	if e.Err != nil {
		return apdu.Response{}, e.Err
	}
	return apdu.ParseResponse(bytes.Clone(e.Response))
}

// Err returns the first mismatch, nil when every command so far was the
// recorded one.
func (r *Replayer) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		return nil
	}
	return r.err
}

// Done returns Err, or a *MismatchError when the reader stopped before
// the end of the transcript (it sent fewer APDUs than recorded).
func (r *Replayer) Done() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	if r.next < len(r.tr.Exchanges) {
		return &MismatchError{Index: r.next + 1, Total: len(r.tr.Exchanges), Want: r.tr.Exchanges[r.next].Command}
	}
	return nil
}

// Sent returns how many recorded APDUs were replayed.
func (r *Replayer) Sent() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.next
}

// MismatchError says where a replay left its transcript: the APDU number
// (from 1) and the command sent there against the recorded one. Got is nil
// when the reader stopped before APDU Index, Want nil when it went on past
// the transcript's end.
type MismatchError struct {
	Index, Total int
	Got, Want    []byte
}

func (e *MismatchError) Error() string {
	var b strings.Builder
	switch {
	case e.Got == nil:
		fmt.Fprintf(&b, "transcript: the reader stopped after %d APDUs; the transcript has %d, APDU %d is\n  want > %X", e.Index-1, e.Total, e.Index, e.Want)
	case e.Want == nil:
		fmt.Fprintf(&b, "transcript: APDU %d is past the transcript's end (%d APDUs):\n  got  > %X", e.Index, e.Total, e.Got)
	default:
		d := 0
		for d < len(e.Got) && d < len(e.Want) && e.Got[d] == e.Want[d] {
			d++
		}
		where := field(d, e.Want)
		switch {
		case d == len(e.Want):
			where = "the command sent is longer"
		case d == len(e.Got):
			where = "the command sent is shorter"
		}
		fmt.Fprintf(&b, "transcript: APDU %d of %d differs at byte %d (%s):\n  got  > %X\n  want > %X\n         %s^",
			e.Index, e.Total, d, where, e.Got, e.Want, strings.Repeat("  ", d))
		if cg, cw, ok := headers(e.Got, e.Want); ok {
			fmt.Fprintf(&b, "\n  got  %s\n  want %s", cg, cw)
		}
	}
	return b.String()
}

// field names the part of a command APDU that byte i is in.
func field(i int, cmd []byte) string {
	if i < 4 {
		return [...]string{"CLA", "INS", "P1", "P2"}[i]
	}
	if c, err := apdu.ParseCommand(cmd); err == nil {
		hdr := 4
		switch {
		case len(cmd) == 5:
			return "Le"
		case c.IsExtended() && len(c.Data) == 0:
			return "Le"
		case c.IsExtended():
			hdr = 7
		default:
			hdr = 5
		}
		switch {
		case i < hdr:
			return "Lc"
		case i < hdr+len(c.Data):
			return "data"
		default:
			return "Le"
		}
	}
	return "body"
}

// headers describes both commands when they parse.
func headers(got, want []byte) (string, string, bool) {
	g, err1 := apdu.ParseCommand(got)
	w, err2 := apdu.ParseCommand(want)
	if err1 != nil || err2 != nil {
		return "", "", false
	}
	desc := func(c apdu.Command) string {
		return fmt.Sprintf("CLA %02X INS %02X P1 %02X P2 %02X, %d data bytes, Ne %d, extended %v",
			c.CLA, c.INS, c.P1, c.P2, len(c.Data), c.Ne, c.IsExtended())
	}
	return desc(g), desc(w), true
}
