//go:build !pcsc

package pcsc

import "context"

const built = false

// Context is a connection to the PC/SC service.
type Context struct{}

// Card is a connection to a card in a reader.
type Card struct{}

// Establish connects to the PC/SC service.
func Establish() (*Context, error) { return nil, ErrNotBuilt }

// Close releases the context.
func (c *Context) Close() error { return ErrNotBuilt }

// Readers lists the readers and whether each holds a card.
func (c *Context) Readers() ([]ReaderStatus, error) { return nil, ErrNotBuilt }

// WaitForCard blocks until a card is present in reader (any reader when
// reader is empty) and returns that reader's name.
func (c *Context) WaitForCard(ctx context.Context, reader string) (string, error) {
	return "", ErrNotBuilt
}

// WaitForRemoval blocks until reader holds no card.
func (c *Context) WaitForRemoval(ctx context.Context, reader string) error { return ErrNotBuilt }

// Connect connects to the card in reader.
func (c *Context) Connect(reader string) (*Card, error) { return nil, ErrNotBuilt }

// TransmitRaw sends one command APDU and returns the response APDU.
func (c *Card) TransmitRaw(ctx context.Context, cmd []byte) ([]byte, error) { return nil, ErrNotBuilt }

// ATR returns the card's Answer To Reset.
func (c *Card) ATR() []byte { return nil }

// Reader returns the reader's name.
func (c *Card) Reader() string { return "" }

// Reconnect reconnects after a reset, resetting the card.
func (c *Card) Reconnect() error { return ErrNotBuilt }

// Close disconnects, leaving the card powered.
func (c *Card) Close() error { return ErrNotBuilt }
