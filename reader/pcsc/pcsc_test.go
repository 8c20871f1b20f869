//go:build pcsc

package pcsc

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ebfe/scard"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
	"github.com/stretchr/testify/require"
)

// selectCard answers SELECT of the eMRTD application with 9000.
type selectCard struct{}

var atr = []byte{0x3B, 0x88, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x77, 0x81, 0x81, 0x00, 0x7E}

func (selectCard) ATR() []byte { return atr }
func (selectCard) PowerOn()    {}
func (selectCard) PowerOff()   {}
func (selectCard) Reset()      {}
func (selectCard) Transmit(_ context.Context, cmd []byte) []byte {
	if bytes.Equal(cmd, []byte{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}) {
		return []byte{0x90, 0x00}
	}
	return []byte{0x6D, 0x00}
}

func TestReaderLifecycle(t *testing.T) {
	pcsctest.Start(t)
	pc, err := Establish()
	require.NoError(t, err)
	defer pc.Close()

	readers, err := pc.Readers()
	require.NoError(t, err)
	var found *ReaderStatus
	for i := range readers {
		if readers[i].Name == pcsctest.Reader {
			found = &readers[i]
		}
	}
	require.NotNil(t, found, "readers: %v", readers)
	require.False(t, found.CardPresent)

	// Waiting is cancelled by the context.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	start := time.Now()
	_, err = pc.WaitForCard(ctx, pcsctest.Reader)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 2*time.Second)

	_, err = pc.WaitForCard(context.Background(), "No Such Reader 00 00")
	require.ErrorIs(t, err, ErrNoReader)

	// Insert the card a little later.
	serveCtx, stopServing := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		time.Sleep(200 * time.Millisecond)
		served <- vpcd.Serve(serveCtx, pcsctest.VPCDAddr, selectCard{}, nil)
	}()
	defer func() { stopServing(); <-served }()

	waitCtx, cancelWait := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancelWait()
	name, err := pc.WaitForCard(waitCtx, "")
	require.NoError(t, err)
	require.Equal(t, pcsctest.Reader, name)

	card, err := pc.Connect(name)
	require.NoError(t, err)
	require.Equal(t, atr, card.ATR())
	require.Equal(t, pcsctest.Reader, card.Reader())
	rsp, err := card.TransmitRaw(context.Background(), []byte{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01})
	require.NoError(t, err)
	require.Equal(t, []byte{0x90, 0x00}, rsp)

	cancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	_, err = card.TransmitRaw(cancelled, []byte{0x00, 0x84, 0x00, 0x00, 0x08})
	require.ErrorIs(t, err, context.Canceled)

	// Pull the card away: the next APDU fails as a removal.
	stopServing()
	require.NoError(t, <-served)
	served <- nil
	require.Eventually(t, func() bool {
		_, err := card.TransmitRaw(context.Background(), []byte{0x00, 0x84, 0x00, 0x00, 0x08})
		return errors.Is(err, ErrCardRemoved) || errors.Is(err, ErrNoCard)
	}, 10*time.Second, 100*time.Millisecond)
	removeCtx, cancelRemove := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancelRemove()
	require.NoError(t, pc.WaitForRemoval(removeCtx, pcsctest.Reader))
	require.NoError(t, card.Close())
	require.ErrorIs(t, card.Close(), ErrClosed)
	_, err = card.TransmitRaw(context.Background(), []byte{0x00, 0x84, 0x00, 0x00, 0x08})
	require.ErrorIs(t, err, ErrClosed)
}

// A card that left the reader is named with the sentinel every transport
// shares, apdu.ErrCardRemoved.
func TestMapErrCardRemoved(t *testing.T) {
	for _, e := range []scard.Error{scard.ErrRemovedCard, scard.ErrUnpoweredCard, scard.ErrUnresponsiveCard} {
		err := mapErr(e)
		require.ErrorIs(t, err, ErrCardRemoved)
		require.ErrorIs(t, err, apdu.ErrCardRemoved)
		require.ErrorIs(t, err, e)
	}
	require.NotErrorIs(t, mapErr(scard.ErrNoService), apdu.ErrCardRemoved)
}
