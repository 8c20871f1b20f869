package bac

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

type appD struct {
	v map[string]string
}

func loadAppD(t testing.TB) appD {
	return appD{vectors.Load(t, "testdata/icao9303-11-appD/bac.txt").Values}
}

func (a appD) s(t testing.TB, k string) string {
	v, ok := a.v[k]
	require.True(t, ok, k)
	return v
}

func (a appD) b(t testing.TB, k string) []byte { return vectors.Unhex(t, a.s(t, k)) }

func TestKeyAppendixD(t *testing.T) {
	a := loadAppD(t)
	k, err := NewKey(a.s(t, "mrz_info"))
	require.NoError(t, err)
	require.Equal(t, a.b(t, "kseed"), k.Seed())
	require.Equal(t, a.b(t, "kenc"), k.Enc())
	require.Equal(t, a.b(t, "kmac"), k.MAC())

	info, err := MRZInfo("L898902C", "690806", "940623")
	require.NoError(t, err)
	require.Equal(t, a.s(t, "mrz_info"), info)
	k2, err := NewKeyFromParts("L898902C", "690806", "940623")
	require.NoError(t, err)
	require.Equal(t, k.Seed(), k2.Seed())

	require.Equal(t, "bac.Key(redacted)", k.String())
	require.Equal(t, "bac.Key(redacted) bac.Key(redacted)", fmt.Sprintf("%v %#v", k, k))
}

func TestMRZInfoErrors(t *testing.T) {
	for _, tc := range []struct {
		in  string
		err error
	}{
		{"L898902C<369080619406237", ErrCheckDigit},
		{"L898902C<469080619406236", ErrCheckDigit},
		{"L898902C<369080629406236", ErrCheckDigit},
		{"l898902C<369080619406236", ErrMRZInfo},
		{"L898902C<36908061940623", ErrMRZInfo},
		{"", ErrMRZInfo},
		{strings.Repeat("1", MaxMRZInfoLen+1), ErrMRZInfo},
		{"L898902C<3690806194062X6", ErrMRZInfo},
	} {
		_, err := NewKey(tc.in)
		require.ErrorIs(t, err, tc.err, tc.in)
		var e *Error
		require.ErrorAs(t, err, &e)
		require.NotContains(t, err.Error(), "L898902C", "errors do not repeat the MRZ")
	}
	// ICAO 9303-3 §4.9 example: check digit of 520727 is 3.
	cd, ok := CheckDigit("520727")
	require.True(t, ok)
	require.Equal(t, byte('3'), cd)
	// A 12-digit document number (longer than 9) is taken in full.
	info, err := MRZInfo("001090012345", "900101", "350101")
	require.NoError(t, err)
	require.Len(t, info, 12+1+14)
	_, err = NewKey(info)
	require.NoError(t, err)
	_, err = MRZInfo("D23145890", "34071", "950712")
	require.ErrorIs(t, err, ErrMRZInfo)
	_, err = MRZInfo("D2314589é", "340712", "950712")
	require.ErrorIs(t, err, ErrMRZInfo)
	_, err = NewKeyFromParts(strings.Repeat("A", 23), "340712", "950712")
	require.ErrorIs(t, err, ErrMRZInfo)
}

// recorder is a transmitter that logs the encoded commands and passes
// them to a chip.
type recorder struct {
	t    testing.TB
	chip *Chip
	sent [][]byte
	got  [][]byte
}

func (r *recorder) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	b, err := cmd.Bytes()
	require.NoError(r.t, err)
	r.sent = append(r.sent, b)
	// Through the wire format, as a card would see it.
	parsed, err := apdu.ParseCommand(b)
	require.NoError(r.t, err)
	resp, _ := r.chip.Handle(parsed)
	r.got = append(r.got, resp.Bytes())
	return apdu.ParseResponse(resp.Bytes())
}

// Terminal against chip, both fed the random numbers of Appendix D: every
// byte on the wire and both sessions match the example.
func TestAppendixD(t *testing.T) {
	a := loadAppD(t)
	chipRand := bytes.NewReader(append(a.b(t, "rnd_icc"), a.b(t, "kicc")...))
	termRand := bytes.NewReader(append(a.b(t, "rnd_ifd"), a.b(t, "kifd")...))
	chip, err := NewChip(must(NewKey(a.s(t, "mrz_info"))), &ChipConfig{Rand: chipRand})
	require.NoError(t, err)
	rec := &recorder{t: t, chip: chip}
	term, err := Open(context.Background(), rec, must(NewKey(a.s(t, "mrz_info"))), &Config{Rand: termRand})
	require.NoError(t, err)

	require.Equal(t, [][]byte{a.b(t, "get_challenge"), a.b(t, "external_authenticate")}, rec.sent)
	require.Equal(t, append(a.b(t, "rnd_icc"), 0x90, 0x00), rec.got[0])
	require.Equal(t, append(a.b(t, "response"), 0x90, 0x00), rec.got[1])
	require.Equal(t, a.b(t, "eifd"), rec.sent[1][5:37])
	require.Equal(t, a.b(t, "mifd"), rec.sent[1][37:45])

	require.Equal(t, a.b(t, "ssc"), term.SSC())
	cs := chip.Session()
	require.NotNil(t, cs)
	require.Equal(t, a.b(t, "ssc"), cs.SSC())
	// The keys are those of the example: a session built from them wraps
	// the same bytes.
	ref, err := sm.NewSession(sm.TDES, a.b(t, "ksenc"), a.b(t, "ksmac"), a.b(t, "ssc"))
	require.NoError(t, err)
	w1, err := term.Wrap(apdu.SelectEF(0x011E))
	require.NoError(t, err)
	w2, err := ref.Wrap(apdu.SelectEF(0x011E))
	require.NoError(t, err)
	b1, _ := w1.Bytes()
	b2, _ := w2.Bytes()
	require.Equal(t, a.b(t, "select_protected"), b1)
	require.Equal(t, b1, b2)

	// The chip unwraps it, and a protected READ BINARY goes both ways.
	c, err := cs.UnwrapCommand(w1)
	require.NoError(t, err)
	require.Equal(t, apdu.SelectEF(0x011E), c)
	r, err := cs.WrapResponse(apdu.Response{SW: 0x9000})
	require.NoError(t, err)
	_, err = term.Unwrap(r)
	require.NoError(t, err)

	file := vectors.Unhex(t, "60145F0104303130365F36063034303030305C026175")
	rb, _ := apdu.ReadBinary(0, 4)
	w, err := term.Wrap(rb)
	require.NoError(t, err)
	c, err = cs.UnwrapCommand(w)
	require.NoError(t, err)
	r, err = cs.WrapResponse(apdu.Response{Data: file[:c.Ne], SW: 0x9000})
	require.NoError(t, err)
	// Appendix D.4's protected response to this READ BINARY.
	require.Equal(t, vectors.Unhex(t, "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"), r.Bytes())
	plain, err := term.Unwrap(r)
	require.NoError(t, err)
	require.Equal(t, file[:4], plain.Data)
}

func TestWrongMRZ(t *testing.T) {
	a := loadAppD(t)
	chip, err := NewChip(must(NewKey(a.s(t, "mrz_info"))), &ChipConfig{Rand: bytes.NewReader(make([]byte, 64))})
	require.NoError(t, err)
	rec := &recorder{t: t, chip: chip}
	other, err := MRZInfo("L898902C", "690806", "940624")
	require.NoError(t, err)
	_, err = Open(context.Background(), rec, must(NewKey(other)), &Config{Rand: bytes.NewReader(make([]byte, 64))})
	require.ErrorIs(t, err, ErrAccessDenied)
	require.ErrorIs(t, err, apdu.SW(0x6300))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, apdu.StatusWord(0x6300), e.SW)
	require.Nil(t, chip.Session())
	require.Equal(t, "bac: EXTERNAL AUTHENTICATE: status 6300 (warning: verification failed): access denied by the chip (wrong MRZ information?)", err.Error())
}

// script answers the terminal with fixed responses.
type script []apdu.Response

func (s *script) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	if len(*s) == 0 {
		return apdu.Response{}, errors.New("no more responses")
	}
	r := (*s)[0]
	*s = (*s)[1:]
	return r, nil
}

func TestTerminalErrors(t *testing.T) {
	a := loadAppD(t)
	mrz := a.s(t, "mrz_info")
	rnd := func() io.Reader { return bytes.NewReader(append(a.b(t, "rnd_ifd"), a.b(t, "kifd")...)) }
	good := a.b(t, "response")
	challenge := apdu.Response{Data: a.b(t, "rnd_icc"), SW: 0x9000}
	tests := []struct {
		name  string
		resps script
		rand  io.Reader
		err   error
	}{
		{"challenge status", script{{SW: 0x6D00}}, rnd(), ErrChallenge},
		{"challenge length", script{{Data: []byte{1, 2}, SW: 0x9000}}, rnd(), ErrChallenge},
		{"transport on challenge", script{}, rnd(), nil},
		{"random fails", script{challenge}, bytes.NewReader(make([]byte, 4)), ErrRandom},
		{"random fails for K.IFD", script{challenge}, bytes.NewReader(make([]byte, 12)), ErrRandom},
		{"transport on authenticate", script{challenge}, rnd(), nil},
		{"denied", script{challenge, {SW: 0x6300}}, rnd(), ErrAccessDenied},
		{"short response", script{challenge, {Data: good[:39], SW: 0x9000}}, rnd(), ErrResponse},
		{"MAC wrong", script{challenge, {Data: flip(good, 39), SW: 0x9000}}, rnd(), ErrMAC},
		{"cryptogram changed", script{challenge, {Data: flip(good, 0), SW: 0x9000}}, rnd(), ErrMAC},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.resps
			_, err := Open(context.Background(), &s, must(NewKey(mrz)), &Config{Rand: tc.rand})
			require.Error(t, err)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			}
		})
	}

	// A chip that answers with a valid MAC but the wrong nonces: replay of
	// the Appendix D response against another RND.IFD.
	s := script{challenge, {Data: good, SW: 0x9000}}
	_, err := Open(context.Background(), &s, must(NewKey(mrz)), &Config{Rand: bytes.NewReader(make([]byte, 24))})
	require.ErrorIs(t, err, ErrNonce)
}

func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 1
	return c
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

func TestChipErrors(t *testing.T) {
	a := loadAppD(t)
	mrz := a.s(t, "mrz_info")
	newChip := func() *Chip {
		c, err := NewChip(must(NewKey(mrz)), &ChipConfig{Rand: bytes.NewReader(append(a.b(t, "rnd_icc"), a.b(t, "kicc")...))})
		require.NoError(t, err)
		return c
	}
	ext := func(t *testing.T) apdu.Command {
		c, err := apdu.ParseCommand(a.b(t, "external_authenticate"))
		require.NoError(t, err)
		return c
	}
	check := func(t *testing.T, r apdu.Response, err error, sw apdu.StatusWord, sentinel error) {
		t.Helper()
		require.Equal(t, sw, r.SW)
		require.ErrorIs(t, err, sentinel)
	}

	c := newChip()
	r, err := c.Handle(ext(t))
	check(t, r, err, 0x6985, ErrNoChallenge)
	r, err = c.Handle(apdu.Command{INS: 0xB0, Ne: 4})
	check(t, r, err, 0x6D00, ErrCommand)
	r, err = c.Handle(apdu.Command{INS: 0x84, P1: 1, Ne: 8})
	check(t, r, err, 0x6A86, ErrCommand)
	r, err = c.Handle(apdu.Command{INS: 0x84, Ne: 16})
	check(t, r, err, 0x6700, ErrCommand)

	r, err = c.Handle(apdu.GetChallenge(8))
	require.NoError(t, err)
	require.Equal(t, a.b(t, "rnd_icc"), r.Data)
	bad := ext(t)
	bad.P2 = 1
	r, err = c.Handle(bad)
	check(t, r, err, 0x6A86, ErrCommand)
	bad = ext(t)
	bad.Data = bad.Data[:39]
	r, err = c.Handle(bad)
	check(t, r, err, 0x6700, ErrCommand)
	bad = ext(t)
	bad.Ne = 8
	r, err = c.Handle(bad)
	check(t, r, err, 0x6700, ErrCommand)

	// A wrong MAC consumes the challenge.
	bad = ext(t)
	bad.Data = flip(bad.Data, 39)
	r, err = c.Handle(bad)
	check(t, r, err, 0x6300, ErrMAC)
	r, err = c.Handle(ext(t))
	check(t, r, err, 0x6985, ErrNoChallenge)
	require.Nil(t, c.Session())

	// A valid cryptogram for another challenge.
	c, err = NewChip(must(NewKey(mrz)), &ChipConfig{Rand: bytes.NewReader(make([]byte, 8))})
	require.NoError(t, err)
	_, err = c.Handle(apdu.GetChallenge(8))
	require.NoError(t, err)
	r, err = c.Handle(ext(t))
	check(t, r, err, 0x6300, ErrNonce)

	// Random failures.
	c, err = NewChip(must(NewKey(mrz)), &ChipConfig{Rand: failReader{}})
	require.NoError(t, err)
	r, err = c.Handle(apdu.GetChallenge(8))
	check(t, r, err, 0x6F00, ErrRandom)
	c, err = NewChip(must(NewKey(mrz)), &ChipConfig{Rand: bytes.NewReader(a.b(t, "rnd_icc"))})
	require.NoError(t, err)
	_, err = c.Handle(apdu.GetChallenge(8))
	require.NoError(t, err)
	r, err = c.Handle(ext(t))
	check(t, r, err, 0x6F00, ErrRandom)

	// Le 00 is accepted as well as Le 28.
	c = newChip()
	_, err = c.Handle(apdu.GetChallenge(8))
	require.NoError(t, err)
	cmd := ext(t)
	cmd.Ne = 256
	r, err = c.Handle(cmd)
	require.NoError(t, err)
	require.Equal(t, a.b(t, "response"), r.Data)
}

func must(k *Key, err error) *Key {
	if err != nil {
		panic(err)
	}
	return k
}

func TestErrorString(t *testing.T) {
	e := &Error{Op: "random", Err: ErrRandom}
	require.Equal(t, "bac: random: random source failed", e.Error())
	require.NotErrorIs(t, e, apdu.SW(0x6300))
}

// zeroReader gives an endless stream of a byte, as a deterministic random
// source for benchmarks.
type zeroReader byte

func (z zeroReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(z)
	}
	return len(p), nil
}

func BenchmarkBAC(b *testing.B) {
	k, err := NewKey("L898902C<369080619406236")
	if err != nil {
		b.Fatal(err)
	}
	chip, err := NewChip(k, &ChipConfig{Rand: zeroReader(7)})
	if err != nil {
		b.Fatal(err)
	}
	t := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		r, _ := chip.Handle(cmd)
		return r, nil
	})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(context.Background(), t, k, &Config{Rand: zeroReader(3)}); err != nil {
			b.Fatal(err)
		}
	}
}

// Open and NewChip need a key; nil is refused, never a panic.
func TestNilKey(t *testing.T) {
	_, err := NewChip(nil, nil)
	require.ErrorIs(t, err, ErrKey)
	_, err = Open(context.Background(), nil, nil, nil)
	require.ErrorIs(t, err, ErrKey)
}
