package transcript

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
)

// card is a tiny card: it answers each command with its INS and 9000, and
// fails as told.
type card struct {
	atr    []byte
	failAt int // command number (from 1) answered with err
	err    error
	n      int
}

func (c *card) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	c.n++
	if c.n == c.failAt {
		return apdu.Response{}, c.err
	}
	return apdu.Response{Data: []byte{cmd.INS}, SW: apdu.SWSuccess}, nil
}

type cardATR struct{ *card }

func (c cardATR) ATR() []byte { return c.atr }

var (
	selectApp = apdu.Command{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x0C, Data: []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}}
	readShort = apdu.Command{CLA: 0x00, INS: 0xB0, P1: 0x9C, Ne: 256}
	readExt   = apdu.Command{CLA: 0x00, INS: 0xB0, P1: 0x9C, Ne: 65536}
	readLe224 = apdu.Command{CLA: 0x00, INS: 0xB0, P1: 0x9C, Ne: 224}
)

func record(t *testing.T, tx apdu.Transmitter, cmds ...apdu.Command) *Transcript {
	t.Helper()
	rec := NewRecorder(tx)
	for _, c := range cmds {
		_, _ = rec.Transmit(context.Background(), c)
	}
	tr := rec.Transcript()
	tr.Set("transcript", "test")
	return tr
}

func TestRecordMarshalParse(t *testing.T) {
	removed := fmt.Errorf("pcsc: %w\n(reader 0)", apdu.ErrCardRemoved)
	tr := record(t, cardATR{&card{atr: []byte{0x3B, 0x80, 0x80, 0x01, 0x01}, failAt: 3, err: removed}}, selectApp, readShort, readExt)
	text := string(tr.Marshal())
	require.Equal(t, Magic+`
# atr: 3B80800101
# transcript: test
> 00A4040C07A0000002471001
< A49000
> 00B09C0000
< B09000
> 00B09C00000000
! removed: pcsc: card removed (reader 0)
`, text)
	back, err := Parse([]byte(text))
	require.NoError(t, err)
	require.Equal(t, tr, back)

	// A card without an ATR gives no atr field; another error is
	// "error".
	tr = record(t, &card{failAt: 1, err: errors.New("link down")}, selectApp)
	require.Equal(t, Magic+"\n# transcript: test\n> 00A4040C07A0000002471001\n! error: link down\n", string(tr.Marshal()))

	path := filepath.Join(t.TempDir(), "t.apdu")
	require.NoError(t, tr.WriteFile(path))
	back, err = ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, tr, back)
}

func TestReplay(t *testing.T) {
	tr := record(t, cardATR{&card{atr: []byte{0x3B, 0x00}}}, selectApp, readShort, readExt)
	replay := func(cmds ...apdu.Command) (*Replayer, []apdu.Response, error) {
		rp, err := NewReplayer(tr)
		require.NoError(t, err)
		require.Equal(t, []byte{0x3B, 0x00}, rp.ATR())
		var out []apdu.Response
		for _, c := range cmds {
			r, err := rp.Transmit(context.Background(), c)
			if err != nil {
				return rp, out, err
			}
			out = append(out, r)
		}
		return rp, out, nil
	}
	// The same commands: the recorded answers, nothing left over.
	rp, out, err := replay(selectApp, readShort, readExt)
	require.NoError(t, err)
	require.NoError(t, rp.Done())
	require.Equal(t, 3, rp.Sent())
	require.Equal(t, []apdu.Response{{Data: []byte{0xA4}, SW: apdu.SWSuccess}, {Data: []byte{0xB0}, SW: apdu.SWSuccess}, {Data: []byte{0xB0}, SW: apdu.SWSuccess}}, out)

	for _, tc := range []struct {
		name string
		cmds []apdu.Command
		want []string
	}{
		{"another Le", []apdu.Command{selectApp, readLe224}, []string{"APDU 2 of 3 differs at byte 4 (Le)", "got  > 00B09C00E0", "want > 00B09C0000", "Ne 224", "Ne 256"}},
		{"another P2", []apdu.Command{selectApp, {CLA: 0x00, INS: 0xB0, P1: 0x9C, P2: 0x01, Ne: 256}}, []string{"APDU 2 of 3 differs at byte 3 (P2)"}},
		{"another data byte", []apdu.Command{{CLA: 0x00, INS: 0xA4, P1: 0x04, P2: 0x0C, Data: []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x02}}}, []string{"APDU 1 of 3 differs at byte 11 (data)"}},
		{"another order", []apdu.Command{readShort}, []string{"APDU 1 of 3 differs at byte 1 (INS)"}},
		{"extended instead of short", []apdu.Command{selectApp, readExt}, []string{"APDU 2 of 3 differs at byte 5 (the command sent is longer)", "extended true"}},
		{"an extra APDU", []apdu.Command{selectApp, readShort, readExt, readExt}, []string{"APDU 4 is past the transcript's end (3 APDUs)"}},
		{"one APDU less", []apdu.Command{selectApp, readShort}, []string{"the reader stopped after 2 APDUs; the transcript has 3, APDU 3 is", "want > 00B09C00000000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp, _, err := replay(tc.cmds...)
			done := rp.Done()
			require.Error(t, done)
			var me *MismatchError
			require.ErrorAs(t, done, &me)
			if err != nil {
				require.Equal(t, err, done, "the mismatch answered is the one Done returns")
				require.Equal(t, err, rp.Err())
				// Every later command gets the same error.
				_, again := rp.Transmit(context.Background(), selectApp)
				require.Equal(t, err, again)
			}
			for _, w := range tc.want {
				require.Contains(t, done.Error(), w)
			}
		})
	}

	// A recorded transport error is replayed, typed.
	tr = record(t, &card{failAt: 2, err: fmt.Errorf("sim: %w", apdu.ErrCardRemoved)}, selectApp, readShort)
	rp, err = NewReplayer(tr)
	require.NoError(t, err)
	require.Nil(t, rp.ATR())
	_, err = rp.Transmit(context.Background(), selectApp)
	require.NoError(t, err)
	_, err = rp.Transmit(context.Background(), readShort)
	require.ErrorIs(t, err, apdu.ErrCardRemoved)
	require.NoError(t, rp.Done())

	// A context that ended sends nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rp, err = NewReplayer(tr)
	require.NoError(t, err)
	_, err = rp.Transmit(ctx, selectApp)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, 0, rp.Sent())
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"empty", "", "empty"},
		{"no magic", "# transcript: x\n", "line 1"},
		{"bad hex", Magic + "\n> 00A4ZZ00\n< 9000\n", "line 2"},
		{"short command", Magic + "\n> 00A4\n< 9000\n", "line 2"},
		{"short response", Magic + "\n> 00A4040C\n< 90\n", "line 3"},
		{"answer first", Magic + "\n< 9000\n", "without its command"},
		{"two answers", Magic + "\n> 00A4040C\n< 9000\n< 9000\n", "without its command"},
		{"two commands", Magic + "\n> 00A4040C\n> 00A4040C\n< 9000\n", "without its response"},
		{"no last answer", Magic + "\n> 00A4040C\n", "no response"},
		{"unknown error kind", Magic + "\n> 00A4040C\n! lost: x\n", "kind"},
		{"unknown line", Magic + "\n? 00\n", "unknown line type"},
		{"too large", Magic + "\n" + strings.Repeat("#", MaxSize), "more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.text))
			require.ErrorIs(t, err, ErrFormat)
			require.ErrorContains(t, err, tc.want)
		})
	}
	// A bad ATR is refused by NewReplayer.
	tr, err := Parse([]byte(Magic + "\n# atr: 3BX\n"))
	require.NoError(t, err)
	_, err = NewReplayer(tr)
	require.ErrorIs(t, err, ErrFormat)
	// Comments after the header, blank lines and CRLF are taken.
	tr, err = Parse([]byte(Magic + "\r\n# a: b\r\n\r\n> 00A4040C\r\n# a comment: not a field\r\n< 9000\r\n"))
	require.NoError(t, err)
	require.Equal(t, []Field{{"a", "b"}}, tr.Header)
	require.Len(t, tr.Exchanges, 1)
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(Magic + "\n# atr: 3B00\n> 00A4040C07A0000002471001\n< 9000\n> 00B0000000\n! removed: card removed\n"))
	f.Add([]byte(Magic + "\n> 00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := Parse(data)
		if err != nil {
			require.ErrorIs(t, err, ErrFormat)
			return
		}
		// What parses marshals to text that parses to the same.
		back, err := Parse(tr.Marshal())
		require.NoError(t, err)
		require.Equal(t, string(tr.Marshal()), string(back.Marshal()))
		require.Equal(t, len(tr.Exchanges), len(back.Exchanges))
		for i := range tr.Exchanges {
			require.Equal(t, tr.Exchanges[i].Command, back.Exchanges[i].Command)
			require.Equal(t, tr.Exchanges[i].Response, back.Exchanges[i].Response)
		}
	})
}

func TestRecordedRand(t *testing.T) {
	rec := NewRecorder(&card{})
	r := rec.Rand(strings.NewReader("0123456789"))
	buf := make([]byte, 4)
	_, err := io.ReadFull(r, buf)
	require.NoError(t, err)
	_, err = rec.Transmit(context.Background(), selectApp)
	require.NoError(t, err)
	_, err = io.ReadFull(r, buf)
	require.NoError(t, err)
	tr, err := Parse(rec.Transcript().Marshal())
	require.NoError(t, err)
	require.Equal(t, "3031323334353637", tr.Get(FieldReaderRand))

	got, ok, err := tr.Rand()
	require.NoError(t, err)
	require.True(t, ok)
	b := make([]byte, 6)
	_, err = io.ReadFull(got, b)
	require.NoError(t, err)
	require.Equal(t, "012345", string(b))
	_, err = io.ReadFull(got, b)
	require.ErrorIs(t, err, ErrRandUsedUp, "two bytes left, six wanted")

	// Without Rand's reader used, no field; a bad field is refused.
	require.Empty(t, NewRecorder(&card{}).Transcript().Get(FieldReaderRand))
	_, ok, err = (&Transcript{}).Rand()
	require.NoError(t, err)
	require.False(t, ok)
	_, _, err = (&Transcript{Header: []Field{{FieldReaderRand, "XYZ"}}}).Rand()
	require.ErrorIs(t, err, ErrFormat)
}
