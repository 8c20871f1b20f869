package main

import (
	"crypto/rand"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/internal/transcript"
	"github.com/cancuoc/cancuoc/reader"
)

// This file: 'cancuoc read --record FILE' and '--replay FILE', the APDU
// transcripts of reader/testdata/transcripts/README.md.

// recording is a read recorded (--record) or replayed (--replay).
type recording struct {
	path string
	rec  *transcript.Recorder
	rp   *transcript.Replayer
	tr   *transcript.Transcript // the one replayed
}

// recordedOptions names the options that change what the reader sends,
// as the header field "options" says them.
func recordedOptions(config *reader.Config) string {
	var o []string
	if config.UseBAC {
		o = append(o, "UseBAC")
	}
	if config.AllowBACFallback {
		o = append(o, "AllowBACFallback")
	}
	if config.Terminal != nil {
		o = append(o, "Terminal")
	}
	if len(o) == 0 {
		return "defaults"
	}
	return strings.Join(o, ", ")
}

// keyKind is the header field "key": which key opened the chip, never
// the key.
func keyKind(can string) string {
	if can != "" {
		return "can"
	}
	return "mrz"
}

// record puts a Recorder in front of t and gives the reader its
// randomness through it (crypto/rand, kept in the transcript).
func record(path string, t apdu.Transmitter, config *reader.Config) (*recording, apdu.Transmitter) {
	rec := transcript.NewRecorder(t)
	config.Rand = rec.Rand(rand.Reader)
	return &recording{path: path, rec: rec}, rec
}

// write writes the transcript of the read, readable by its owner only: a
// real card's transcript is the holder's personal data. card says what
// was read (no secret), atr is the card's ATR when the transport does not
// give it to the recorder.
func (r *recording) write(card string, atr []byte, key string, config *reader.Config, at time.Time, res *reader.Result, err error) error {
	got := r.rec.Transcript()
	tr := &transcript.Transcript{Exchanges: got.Exchanges}
	tr.Set("transcript", "recorded by cancuoc read")
	tr.Set("card", card)
	if a := got.Get("atr"); a != "" {
		tr.Set("atr", a)
	} else if len(atr) > 0 {
		tr.Set("atr", fmt.Sprintf("%X", atr))
	}
	tr.Set("key", key)
	tr.Set("options", recordedOptions(config))
	tr.Set(transcript.FieldReaderRand, got.Get(transcript.FieldReaderRand))
	tr.Set("time", at.Format(time.RFC3339Nano))
	setOutcome(tr, res, err)
	if werr := os.WriteFile(r.path, tr.Marshal(), 0o600); werr != nil {
		return fmt.Errorf("--record: %w", werr)
	}
	return nil
}

// setOutcome sets the header fields of how the read ended.
func setOutcome(tr *transcript.Transcript, res *reader.Result, err error) {
	errText := "none"
	if err != nil {
		errText = strings.Join(strings.Fields(err.Error()), " ")
	}
	if res == nil {
		res = &reader.Result{}
	}
	tr.Set("access", res.Access.String())
	tr.Set("verdict", res.Verdict().String())
	tr.Set("error", errText)
	tr.Set("apdus", strconv.Itoa(res.APDUs))
}

// replay opens a transcript written by --record: the read runs against
// it, with the randomness the reader drew and the time it was read at.
func replay(path string) (*recording, time.Time, error) {
	tr, err := transcript.ReadFile(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	rp, err := transcript.NewReplayer(tr)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: %w", path, err)
	}
	at, err := time.Parse(time.RFC3339Nano, tr.Get("time"))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("%s: no time of the read: %w", path, err)
	}
	return &recording{path: path, rp: rp, tr: tr}, at, nil
}

// prepare checks the flags against the recording and gives the reader the
// recorded randomness.
func (r *recording) prepare(config *reader.Config, can string) error {
	if want, got := r.tr.Get("options"), recordedOptions(config); want != got {
		return fmt.Errorf("%w: %s was recorded with the options %s, not %s: give the same flags", errUsage, r.path, want, got)
	}
	if want, got := r.tr.Get("key"), keyKind(can); want != got {
		return fmt.Errorf("%w: %s was recorded with the %s, not the %s", errUsage, r.path, strings.ToUpper(want), strings.ToUpper(got))
	}
	rnd, ok, err := r.tr.Rand()
	if err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	if !ok {
		return fmt.Errorf("%s has no %s: a transcript recorded with a seed replays in the tests (go test ./reader -run TestReplay)", r.path, transcript.FieldReaderRand)
	}
	config.Rand = rnd
	return nil
}

// check says whether the read replayed as recorded: the same commands,
// byte for byte, and the same ending.
func (r *recording) check(res *reader.Result, err error) error {
	if derr := r.rp.Done(); derr != nil {
		return fmt.Errorf("replay of %s: the reader does not send what was recorded: %w", r.path, derr)
	}
	now := &transcript.Transcript{}
	setOutcome(now, res, err)
	for _, f := range now.Header {
		if want := r.tr.Get(f.Key); want != f.Value {
			return fmt.Errorf("replay of %s: the read ends otherwise: %s %q, recorded %q (give the same --trust, --policy and other flags as the recording)", r.path, f.Key, f.Value, want)
		}
	}
	return nil
}
