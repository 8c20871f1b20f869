// Package pcsc is the PC/SC transport: it lists readers, waits for a card,
// connects to it and exchanges APDUs through the PC/SC daemon (pcscd on
// Linux, the system service on macOS and Windows) with
// github.com/ebfe/scard.
//
// It is the only cgo code of the module and is built only with the build
// tag pcsc, because it needs the PC/SC headers (Debian: libpcsclite-dev):
//
//	apt-get install -y libpcsclite-dev pcscd
//	go build -tags pcsc ./...
//
// Without the tag every function returns ErrNotBuilt, whose message says
// how to get PC/SC, so the rest of the module builds with CGO_ENABLED=0.
//
// A Card implements TransmitRaw, the byte-level transport that
// apdu.NewTransmitter turns into an apdu.Transmitter. A card taken away
// from the reader is reported as ErrCardRemoved, a card reset by another
// application as ErrCardReset (Reconnect recovers from it).
package pcsc

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
)

var (
	// ErrNotBuilt: this binary was built without the pcsc tag.
	ErrNotBuilt = errors.New("pcsc: PC/SC support is not built in: install libpcsclite-dev (Debian) and build with -tags pcsc")
	// ErrNoService: the PC/SC daemon is not running.
	ErrNoService = errors.New("pcsc: the PC/SC service is not running (start pcscd)")
	// ErrNoReader: no reader is attached, or the named one is not.
	ErrNoReader = errors.New("pcsc: no such reader")
	// ErrNoCard: the reader holds no card.
	ErrNoCard = errors.New("pcsc: no card in the reader")
	// ErrCardRemoved: the card left the reader (or its field) during a
	// session.
	// It wraps apdu.ErrCardRemoved, as the simulator's ErrRemoved does.
	ErrCardRemoved = fmt.Errorf("pcsc: %w", apdu.ErrCardRemoved)
	// ErrCardReset: the card was reset, so every session state on it is
	// lost.
	ErrCardReset = errors.New("pcsc: card reset")
	// ErrClosed: the Card or Context was closed.
	ErrClosed = errors.New("pcsc: closed")
)

// ReaderStatus describes one reader.
type ReaderStatus struct {
	Name        string
	CardPresent bool
	// ATR is the card's Answer To Reset when a card is present.
	ATR []byte
}

// Built reports whether PC/SC support is compiled in.
func Built() bool { return built }
