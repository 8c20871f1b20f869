package vpcd

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testCard answers SELECT of the eMRTD application with 9000 and anything
// else with 6D00, and records what it was told.
type testCard struct {
	mu     sync.Mutex
	events []string
}

var ldsSelect = []byte{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

func (c *testCard) log(e string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, e)
}

func (c *testCard) ATR() []byte { return []byte{0x3B, 0x80, 0x80, 0x01, 0x01} }
func (c *testCard) PowerOn()    { c.log("on") }
func (c *testCard) PowerOff()   { c.log("off") }
func (c *testCard) Reset()      { c.log("reset") }
func (c *testCard) Transmit(_ context.Context, cmd []byte) []byte {
	c.log("apdu " + hex.EncodeToString(cmd))
	if bytes.Equal(cmd, ldsSelect) {
		return []byte{0x90, 0x00}
	}
	return []byte{0x6D, 0x00}
}

func writeMsg(t *testing.T, w io.Writer, p []byte) {
	t.Helper()
	_, err := w.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(p))), p...))
	require.NoError(t, err)
}

func readMsg(t *testing.T, r io.Reader) []byte {
	t.Helper()
	var hdr [2]byte
	_, err := io.ReadFull(r, hdr[:])
	require.NoError(t, err)
	p := make([]byte, binary.BigEndian.Uint16(hdr[:]))
	_, err = io.ReadFull(r, p)
	require.NoError(t, err)
	return p
}

// TestProtocol plays the driver's side of the protocol over a pipe.
func TestProtocol(t *testing.T) {
	driver, cardSide := net.Pipe()
	card := &testCard{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeConn(ctx, cardSide, card, nil) }()

	writeMsg(t, driver, []byte{ctrlPowerOn})
	writeMsg(t, driver, []byte{ctrlGetATR})
	require.Equal(t, card.ATR(), readMsg(t, driver))
	writeMsg(t, driver, ldsSelect)
	require.Equal(t, []byte{0x90, 0x00}, readMsg(t, driver))
	writeMsg(t, driver, []byte{0x00, 0xB0, 0x00, 0x00, 0x04})
	require.Equal(t, []byte{0x6D, 0x00}, readMsg(t, driver))
	writeMsg(t, driver, []byte{ctrlReset})
	writeMsg(t, driver, []byte{ctrlPowerOff})
	writeMsg(t, driver, []byte{ctrlGetATR})
	require.Equal(t, card.ATR(), readMsg(t, driver))

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err, "a cancelled context is a clean stop")
	case <-time.After(5 * time.Second):
		require.FailNow(t, "Serve did not stop after cancel")
	}
	require.Equal(t, []string{"on", "apdu " + hex.EncodeToString(ldsSelect), "apdu 00b0000004", "reset", "off"}, card.events)
}

func TestDriverGone(t *testing.T) {
	driver, cardSide := net.Pipe()
	done := make(chan error, 1)
	go func() { done <- ServeConn(context.Background(), cardSide, &testCard{}, nil) }()
	// A frame announcing 10 bytes, then the driver goes away.
	_, err := driver.Write([]byte{0x00, 0x0A, 0x00, 0xA4})
	require.NoError(t, err)
	require.NoError(t, driver.Close())
	err = <-done
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)

	driver, cardSide = net.Pipe()
	go func() { done <- ServeConn(context.Background(), cardSide, &testCard{}, nil) }()
	require.NoError(t, driver.Close())
	require.ErrorIs(t, <-done, io.EOF)
}

func TestConnectError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	err = Serve(context.Background(), addr, &testCard{}, nil)
	require.ErrorContains(t, err, "connect to driver")
}
