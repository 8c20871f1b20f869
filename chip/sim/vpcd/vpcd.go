// Package vpcd connects a software card to a PC/SC stack through the
// virtual smart card reader driver of the vsmartcard project (Debian's
// vsmartcard-vpcd package).
//
// The driver, loaded by pcscd, shows readers named "Virtual PCD 00 00",
// "Virtual PCD 00 01" and listens on TCP port 35963 (the first reader),
// 35964 (the second), and so on. A virtual card connects to that port; from
// then on any PC/SC application sees a card in the reader. Every message in
// either direction is a frame: a 2-byte big-endian length, then the
// payload. A payload of one byte from the driver is a control message
// (0 power off, 1 power on, 2 reset, 4 get ATR, answered by the ATR); a
// longer one is a command APDU, answered by the response APDU.
//
// Serve runs that card side for a Card, such as the simulator of package
// chip/sim.
package vpcd

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"
)

// DefaultAddr is where the vpcd driver listens for the card of its first
// reader.
const DefaultAddr = "localhost:35963"

// MaxFrame is the largest payload a frame can carry (its length has two
// bytes). An extended APDU with more than 65526 data bytes cannot cross
// vpcd.
const MaxFrame = 0xFFFF

// Control messages sent by the driver.
const (
	ctrlPowerOff = 0
	ctrlPowerOn  = 1
	ctrlReset    = 2
	ctrlGetATR   = 4
)

// Card is what a virtual card must do.
type Card interface {
	// ATR returns the Answer To Reset the reader reports.
	ATR() []byte
	// PowerOn and PowerOff tell the card that the field came on or went
	// away: a real card loses every session state on power off.
	PowerOn()
	PowerOff()
	// Reset is a warm reset: session state is lost as on power off.
	Reset()
	// Transmit answers one command APDU with one response APDU (data and
	// SW1SW2). It must always answer; a card that cannot process a
	// command returns a status word saying so.
	Transmit(ctx context.Context, command []byte) []byte
}

// Remover is a Card that can leave the reader: after a Transmit that finds
// Removed true, Serve closes the connection without answering, and pcscd
// sees the card go (as when it is pulled out of a reader's field mid-read),
// instead of a status word.
type Remover interface {
	Removed() bool
}

// ErrCardRemoved is what Serve returns when its card left the reader (see
// Remover).
var ErrCardRemoved = errors.New("vpcd: the card left the reader")

// ErrFrameTooLarge is returned when a reply does not fit a frame.
var ErrFrameTooLarge = errors.New("vpcd: frame too large")

// Config tunes Serve and ServeConn, which take a pointer to one; nil
// means all defaults.
type Config struct {
	// Logger receives one debug record per message when set. APDU bytes are
	// not logged: they may hold secrets (use the card's own trace).
	Logger *slog.Logger
	// Dial connects to the driver; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// logger is c.Logger, nil when c is nil.
func (c *Config) logger() *slog.Logger {
	if c == nil {
		return nil
	}
	return c.Logger
}

// Serve connects card to the vpcd driver at addr and answers the driver
// until ctx is done or the connection ends. It returns nil when ctx was
// cancelled, and the error otherwise. A cancelled ctx closes the connection,
// which pcscd sees as the card being removed.
func Serve(ctx context.Context, addr string, card Card, config *Config) error {
	var dial func(ctx context.Context, network, addr string) (net.Conn, error)
	if config != nil {
		dial = config.Dial
	}
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("vpcd: connect to driver at %s: %w", addr, err)
	}
	return ServeConn(ctx, conn, card, config)
}

// ServeConn is Serve on a connection already made. It closes conn.
func ServeConn(ctx context.Context, conn net.Conn, card Card, config *Config) error {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() {
		_ = conn.SetDeadline(time.Unix(1, 0))
	})
	defer stop()

	// One buffer of the largest frame, so that no length read from the
	// connection decides an allocation.
	buf := make([]byte, MaxFrame)
	for {
		payload, err := readFrame(conn, buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("vpcd: driver closed the connection: %w", err)
			}
			return err
		}
		var reply []byte
		if len(payload) == 1 {
			reply = control(card, payload[0], config.logger())
		} else {
			if log := config.logger(); log != nil {
				log.Debug("vpcd: command", "bytes", len(payload))
			}
			reply = card.Transmit(ctx, payload)
			if r, ok := card.(Remover); ok && r.Removed() {
				return ErrCardRemoved
			}
		}
		if reply == nil {
			continue
		}
		if err := writeFrame(conn, reply); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
	}
}

// control handles a control message and returns the reply, if one is due.
func control(card Card, msg byte, log *slog.Logger) []byte {
	if log != nil {
		log.Debug("vpcd: control", "message", msg)
	}
	switch msg {
	case ctrlPowerOff:
		card.PowerOff()
	case ctrlPowerOn:
		card.PowerOn()
	case ctrlReset:
		card.Reset()
	case ctrlGetATR:
		return card.ATR()
	}
	return nil
}

func readFrame(r io.Reader, buf []byte) ([]byte, error) {
	if _, err := io.ReadFull(r, buf[:2]); err != nil {
		return nil, err
	}
	n := int(binary.BigEndian.Uint16(buf))
	b := buf[:n]
	if _, err := io.ReadFull(r, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("vpcd: frame of %d bytes cut short: %w", n, err)
	}
	return b, nil
}

func writeFrame(w io.Writer, payload []byte) error {
	if len(payload) > MaxFrame {
		return fmt.Errorf("vpcd: reply of %d bytes does not fit a frame: %w", len(payload), ErrFrameTooLarge)
	}
	frame := make([]byte, 2+len(payload))
	binary.BigEndian.PutUint16(frame, uint16(len(payload)))
	copy(frame[2:], payload)
	_, err := w.Write(frame)
	return err
}
