package apdu

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// script is a fake card that checks each command against an expected
// encoding and answers with a prepared response.
type script struct {
	t     *testing.T
	steps []step
	n     int
}

type step struct {
	cmd  string // expected encoding (hex)
	resp string // response (hex)
	err  error
}

func (s *script) Transmit(_ context.Context, cmd Command) (Response, error) {
	s.t.Helper()
	require.Less(s.t, s.n, len(s.steps), "unexpected command %s", cmd)
	st := s.steps[s.n]
	s.n++
	got, err := cmd.Bytes()
	require.NoError(s.t, err)
	require.Equal(s.t, vectors.Unhex(s.t, st.cmd), got, "command %d", s.n)
	if st.err != nil {
		return Response{}, st.err
	}
	return ParseResponse(vectors.Unhex(s.t, st.resp))
}

func (s *script) done() { require.Equal(s.t, len(s.steps), s.n, "commands sent") }

func TestChainingGetResponse(t *testing.T) {
	s := &script{t: t, steps: []step{
		{"00 B0 00 00 00", "0102 6104", nil},
		{"00 C0 00 00 04", "03040506 6102", nil},
		{"00 C0 00 00 02", "0708 9000", nil},
	}}
	r, err := WithChaining(s, nil).Transmit(context.Background(), must(ReadBinary(0, 256)))
	require.NoError(t, err)
	require.Equal(t, Response{Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}, SW: 0x9000}, r)
	s.done()
}

func TestChainingGetResponseEndsWithError(t *testing.T) {
	s := &script{t: t, steps: []step{
		{"00 88 00 00 01 AA 00", "6110", nil},
		{"00 C0 00 00 10", "6A80", nil},
	}}
	r, err := WithChaining(s, nil).Transmit(context.Background(), InternalAuthenticate([]byte{0xAA}))
	require.NoError(t, err)
	require.Equal(t, StatusWord(0x6A80), r.SW)
	require.ErrorIs(t, r.Err(), ErrWrongData)
	s.done()
}

func TestChainingGetResponseWrongLe(t *testing.T) {
	// The card announces 256 bytes with 6100 but holds fewer.
	s := &script{t: t, steps: []step{
		{"00 B0 00 00 00", "6100", nil},
		{"00 C0 00 00 00", "6C03", nil},
		{"00 C0 00 00 03", "AABBCC 9000", nil},
	}}
	r, err := WithChaining(s, nil).Transmit(context.Background(), must(ReadBinary(0, 256)))
	require.NoError(t, err)
	require.Equal(t, Response{Data: []byte{0xAA, 0xBB, 0xCC}, SW: 0x9000}, r)
	s.done()
}

func TestChainingWrongLe(t *testing.T) {
	s := &script{t: t, steps: []step{
		{"00 B0 00 00 00", "6C12", nil},
		{"00 B0 00 00 12", "0102 9000", nil},
	}}
	r, err := WithChaining(s, nil).Transmit(context.Background(), must(ReadBinary(0, 256)))
	require.NoError(t, err)
	require.Equal(t, []byte{1, 2}, r.Data)
	s.done()

	// A second 6CXX is an error, not a loop.
	s = &script{t: t, steps: []step{
		{"00 B0 00 00 00", "6C12", nil},
		{"00 B0 00 00 12", "6C13", nil},
	}}
	_, err = WithChaining(s, nil).Transmit(context.Background(), must(ReadBinary(0, 256)))
	require.ErrorIs(t, err, ErrWrongLe)
	s.done()

	// 6C00 means 256.
	s = &script{t: t, steps: []step{
		{"00 B0 00 00 01", "6C00", nil},
		{"00 B0 00 00 00", "9000", nil},
	}}
	_, err = WithChaining(s, nil).Transmit(context.Background(), must(ReadBinary(0, 1)))
	require.NoError(t, err)
	s.done()
}

func TestChainingCommand(t *testing.T) {
	data := bytes.Repeat([]byte{0x11}, 5)
	s := &script{t: t, steps: []step{
		{"10 2A 00 BE 02 1111", "9000", nil},
		{"10 2A 00 BE 02 1111", "9000", nil},
		{"00 2A 00 BE 01 11", "9000", nil},
	}}
	r, err := WithChaining(s, &ChainingConfig{MaxCommandData: 2}).Transmit(context.Background(), PSOVerifyCertificate(data))
	require.NoError(t, err)
	require.Equal(t, StatusWord(0x9000), r.SW)
	s.done()

	// Le goes on the last piece only; an intermediate error ends the chain.
	s = &script{t: t, steps: []step{
		{"10 86 00 00 02 7C03", "9000", nil},
		{"10 86 00 00 02 8001", "6884", nil},
	}}
	r, err = WithChaining(s, &ChainingConfig{MaxCommandData: 2}).Transmit(context.Background(), GeneralAuthenticate([]byte{0x80, 0x01, 0xAA}, true))
	require.NoError(t, err)
	require.ErrorIs(t, r.Err(), ErrChainingNotSupported)
	s.done()

	// Data that fits is sent whole.
	s = &script{t: t, steps: []step{{"00 2A 00 BE 02 1111", "9000", nil}}}
	_, err = WithChaining(s, &ChainingConfig{MaxCommandData: 2}).Transmit(context.Background(), PSOVerifyCertificate(data[:2]))
	require.NoError(t, err)
	s.done()
}

func TestChainingLimits(t *testing.T) {
	// A card that answers 61XX forever.
	endless := TransmitterFunc(func(_ context.Context, cmd Command) (Response, error) {
		return Response{Data: []byte{1}, SW: 0x6101}, nil
	})
	_, err := WithChaining(endless, nil).Transmit(context.Background(), GetChallenge(8))
	require.ErrorIs(t, err, ErrTooManyRounds)
	var fe *FormatError
	require.ErrorAs(t, err, &fe)

	big := TransmitterFunc(func(_ context.Context, cmd Command) (Response, error) {
		return Response{Data: make([]byte, 256), SW: 0x6100}, nil
	})
	_, err = WithChaining(big, &ChainingConfig{MaxResponse: 1000}).Transmit(context.Background(), GetChallenge(8))
	require.ErrorIs(t, err, ErrResponseTooLarge)
	_, err = WithChaining(big, &ChainingConfig{MaxResponse: 100}).Transmit(context.Background(), GetChallenge(8))
	require.ErrorIs(t, err, ErrResponseTooLarge)

	// Transport errors pass through at every step.
	boom := errors.New("boom")
	for i := range 4 {
		calls := 0
		tr := TransmitterFunc(func(_ context.Context, cmd Command) (Response, error) {
			calls++
			if calls > i {
				return Response{}, boom
			}
			switch calls {
			case 1:
				return Response{SW: 0x6C02}, nil
			case 2:
				return Response{SW: 0x6102}, nil
			default:
				return Response{SW: 0x6C01}, nil
			}
		})
		_, err = WithChaining(tr, nil).Transmit(context.Background(), GetChallenge(8))
		require.ErrorIs(t, err, boom, "failing call %d", i+1)
	}
	s := &script{t: t, steps: []step{{"10 2A 00 BE 01 01", "", boom}}}
	_, err = WithChaining(s, &ChainingConfig{MaxCommandData: 1}).Transmit(context.Background(), PSOVerifyCertificate([]byte{1, 2}))
	require.ErrorIs(t, err, boom)
}

func TestChainingGetResponseCLA(t *testing.T) {
	// A protected command on channel 1 (CLA 0D): GET RESPONSE keeps the
	// channel, not the secure messaging bits.
	s := &script{t: t, steps: []step{
		{"0D B0 00 00 00", "01 6101", nil},
		{"01 C0 00 00 01", "02 9000", nil},
	}}
	r, err := WithChaining(s, nil).Transmit(context.Background(), Command{CLA: 0x0D, INS: 0xB0, Ne: 256})
	require.NoError(t, err)
	require.Equal(t, []byte{1, 2}, r.Data)
	s.done()

	require.Equal(t, byte(0x00), plainCLA(0x1C))
	require.Equal(t, byte(0x03), plainCLA(0x0F))
	require.Equal(t, byte(0x45), plainCLA(0x75))
	require.Equal(t, byte(0x80), plainCLA(0x90))
}
