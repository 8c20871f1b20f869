//go:build pcsc

package pcsc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ebfe/scard"
)

const built = true

// Context is a connection to the PC/SC service. Its methods may be called
// from several goroutines; a blocking wait is cancelled through its
// context.Context.
type Context struct {
	mu  sync.Mutex
	ctx *scard.Context
}

// Establish connects to the PC/SC service.
func Establish() (*Context, error) {
	ctx, err := scard.EstablishContext()
	if err != nil {
		return nil, mapErr(err)
	}
	return &Context{ctx: ctx}, nil
}

// Close releases the context. Cards connected through it stay usable until
// closed.
func (c *Context) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return ErrClosed
	}
	err := c.ctx.Release()
	c.ctx = nil
	return mapErr(err)
}

func (c *Context) scard() (*scard.Context, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx == nil {
		return nil, ErrClosed
	}
	return c.ctx, nil
}

// Readers lists the readers and whether each holds a card.
func (c *Context) Readers() ([]ReaderStatus, error) {
	sc, err := c.scard()
	if err != nil {
		return nil, err
	}
	names, err := sc.ListReaders()
	if err != nil {
		if errors.Is(err, scard.ErrNoReadersAvailable) {
			return nil, nil
		}
		return nil, mapErr(err)
	}
	states := make([]scard.ReaderState, len(names))
	for i, n := range names {
		states[i] = scard.ReaderState{Reader: n, CurrentState: scard.StateUnaware}
	}
	if err := sc.GetStatusChange(states, 0); err != nil && !errors.Is(err, scard.ErrTimeout) {
		return nil, mapErr(err)
	}
	out := make([]ReaderStatus, len(states))
	for i, s := range states {
		out[i] = ReaderStatus{Name: s.Reader}
		if s.EventState&scard.StatePresent != 0 && s.EventState&scard.StateMute == 0 {
			out[i].CardPresent = true
			out[i].ATR = slices.Clone(s.Atr)
		}
	}
	return out, nil
}

// pollInterval bounds each blocking wait so that readers plugged in during
// a wait are noticed.
const pollInterval = time.Second

// WaitForCard blocks until a card is present in reader (in any reader when
// reader is empty) and returns that reader's name. It returns ctx.Err()
// when ctx ends first.
func (c *Context) WaitForCard(ctx context.Context, reader string) (string, error) {
	for {
		status, err := c.Readers()
		if err != nil {
			return "", err
		}
		known := false
		for _, s := range status {
			if reader == "" || s.Name == reader {
				known = true
				if s.CardPresent {
					return s.Name, nil
				}
			}
		}
		if reader != "" && !known {
			return "", fmt.Errorf("%w: %q", ErrNoReader, reader)
		}
		if err := c.waitChange(ctx, status, reader); err != nil {
			return "", err
		}
	}
}

// WaitForRemoval blocks until reader holds no card.
func (c *Context) WaitForRemoval(ctx context.Context, reader string) error {
	for {
		status, err := c.Readers()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(status, func(s ReaderStatus) bool { return s.Name == reader })
		if i < 0 || !status[i].CardPresent {
			return nil
		}
		if err := c.waitChange(ctx, status[i:i+1], reader); err != nil {
			return err
		}
	}
}

// waitChange blocks until one of the readers changes state, pollInterval
// passes, or ctx ends.
func (c *Context) waitChange(ctx context.Context, status []ReaderStatus, reader string) error {
	sc, err := c.scard()
	if err != nil {
		return err
	}
	var states []scard.ReaderState
	for _, s := range status {
		if reader != "" && s.Name != reader {
			continue
		}
		st := scard.StateEmpty
		if s.CardPresent {
			st = scard.StatePresent
		}
		states = append(states, scard.ReaderState{Reader: s.Name, CurrentState: st})
	}
	if len(states) == 0 {
		// No reader yet: wait for one to be plugged in.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollInterval):
			return nil
		}
	}
	stop := context.AfterFunc(ctx, func() { _ = sc.Cancel() })
	defer stop()
	err = sc.GetStatusChange(states, pollInterval)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil && !errors.Is(err, scard.ErrTimeout) && !errors.Is(err, scard.ErrCancelled) {
		return mapErr(err)
	}
	return nil
}

// Connect connects to the card in reader with T=1 or T=0, whichever the
// card and reader agree on, and resets the card: every session starts from
// a known chip state, not inside the application (and the secure
// messaging keys) an earlier session left it in, as when a card left on
// the reader is read again.
func (c *Context) Connect(reader string) (*Card, error) {
	sc, err := c.scard()
	if err != nil {
		return nil, err
	}
	card, err := sc.Connect(reader, scard.ShareShared, scard.ProtocolT0|scard.ProtocolT1)
	if err != nil {
		return nil, fmt.Errorf("pcsc: connect to %q: %w", reader, mapErr(err))
	}
	if err := card.Reconnect(scard.ShareShared, scard.ProtocolT0|scard.ProtocolT1, scard.ResetCard); err != nil {
		_ = card.Disconnect(scard.LeaveCard)
		return nil, fmt.Errorf("pcsc: reset the card in %q: %w", reader, mapErr(err))
	}
	st, err := card.Status()
	if err != nil {
		_ = card.Disconnect(scard.LeaveCard)
		return nil, fmt.Errorf("pcsc: status of %q: %w", reader, mapErr(err))
	}
	return &Card{card: card, reader: reader, atr: slices.Clone(st.Atr)}, nil
}

// Card is a connection to a card in a reader. Its methods serialize on an
// internal lock: one APDU at a time.
type Card struct {
	mu     sync.Mutex
	card   *scard.Card
	reader string
	atr    []byte
}

// TransmitRaw sends one command APDU and returns the response APDU. A
// cancelled ctx stops before the APDU is sent; an APDU in flight cannot be
// interrupted (PC/SC has no way to), which bounds the wait to one APDU.
func (c *Card) TransmitRaw(ctx context.Context, cmd []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return nil, ErrClosed
	}
	rsp, err := c.card.Transmit(cmd)
	if err != nil {
		err = mapErr(err)
		if !errors.Is(err, ErrCardRemoved) && c.gone(ctx) {
			// "Transaction failed" and its kin, from a card that left:
			// name it.
			return nil, fmt.Errorf("%w: %w", ErrCardRemoved, err)
		}
		return nil, err
	}
	if len(rsp) < 2 {
		err := fmt.Errorf("pcsc: response of %d bytes has no status word", len(rsp))
		if c.gone(ctx) {
			return nil, fmt.Errorf("%w: %w", ErrCardRemoved, err)
		}
		return nil, err
	}
	return rsp, nil
}

// gone reports whether the card left the reader, after an exchange failed
// without saying why (some drivers answer nothing, others "transaction
// failed"). pcscd notices a removal by polling the reader, so gone asks for
// the card's status a few times, for at most removalWait.
func (c *Card) gone(ctx context.Context) bool {
	deadline := time.Now().Add(removalWait)
	for {
		st, err := c.card.Status()
		switch {
		case err != nil:
			return errors.Is(mapErr(err), ErrCardRemoved) || errors.Is(mapErr(err), ErrNoCard)
		case st.State&scard.Present == 0:
			return true
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// removalWait bounds how long gone waits for pcscd to see a removal.
const removalWait = time.Second

// ATR returns the card's Answer To Reset as read when connecting.
func (c *Card) ATR() []byte { return slices.Clone(c.atr) }

// Reader returns the reader's name.
func (c *Card) Reader() string { return c.reader }

// Reconnect resets the card and reconnects, as needed after ErrCardReset.
func (c *Card) Reconnect() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return ErrClosed
	}
	if err := c.card.Reconnect(scard.ShareShared, scard.ProtocolT0|scard.ProtocolT1, scard.ResetCard); err != nil {
		return mapErr(err)
	}
	if st, err := c.card.Status(); err == nil {
		c.atr = slices.Clone(st.Atr)
	}
	return nil
}

// Close disconnects, leaving the card powered.
func (c *Card) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.card == nil {
		return ErrClosed
	}
	err := c.card.Disconnect(scard.LeaveCard)
	c.card = nil
	if errors.Is(err, scard.ErrRemovedCard) {
		return nil
	}
	return mapErr(err)
}

// mapErr turns PC/SC errors into this package's sentinels, keeping the
// original in the chain.
func mapErr(err error) error {
	var se scard.Error
	if !errors.As(err, &se) {
		return err
	}
	var sentinel error
	switch se {
	case scard.ErrNoSmartcard:
		sentinel = ErrNoCard
	case scard.ErrRemovedCard, scard.ErrUnpoweredCard, scard.ErrUnresponsiveCard:
		sentinel = ErrCardRemoved
	case scard.ErrResetCard:
		sentinel = ErrCardReset
	case scard.ErrNoService, scard.ErrServiceStopped:
		sentinel = ErrNoService
	case scard.ErrUnknownReader, scard.ErrReaderUnavailable, scard.ErrNoReadersAvailable:
		sentinel = ErrNoReader
	default:
		return fmt.Errorf("pcsc: %w", err)
	}
	return fmt.Errorf("%w: %w", sentinel, err)
}
