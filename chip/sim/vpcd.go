package sim

import (
	"context"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
)

// VPCD returns the card as a vpcd.Card, to serve it to pcscd through the
// vsmartcard driver (vpcd.Serve). A torn card (Faults.TearAfterAPDUs)
// leaves the reader there: Serve closes the connection (vpcd.Remover), and
// pcscd sees the card removed.
func (c *Card) VPCD() vpcd.Card { return vpcdCard{c} }

type vpcdCard struct{ c *Card }

func (v vpcdCard) ATR() []byte { return v.c.ATR() }
func (v vpcdCard) PowerOn()    { v.c.PowerOn() }
func (v vpcdCard) PowerOff()   { v.c.PowerOff() }
func (v vpcdCard) Reset()      { v.c.Reset() }

// Removed reports whether the card was torn away (see vpcd.Remover).
func (v vpcdCard) Removed() bool {
	v.c.mu.Lock()
	defer v.c.mu.Unlock()
	return v.c.torn
}

func (v vpcdCard) Transmit(ctx context.Context, command []byte) []byte {
	out, err := v.c.TransmitRaw(ctx, command)
	if err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}.Bytes()
	}
	return out
}
