package sim

import (
	"context"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
)

// VPCD returns the card as a vpcd.Card, to serve it to pcscd through the
// vsmartcard driver (vpcd.Serve). A torn card answers '6F00' there: a
// virtual card cannot leave the reader, it can only stop making sense.
func (c *Card) VPCD() vpcd.Card { return vpcdCard{c} }

type vpcdCard struct{ c *Card }

func (v vpcdCard) ATR() []byte { return v.c.ATR() }
func (v vpcdCard) PowerOn()    { v.c.PowerOn() }
func (v vpcdCard) PowerOff()   { v.c.PowerOff() }
func (v vpcdCard) Reset()      { v.c.Reset() }

func (v vpcdCard) Transmit(ctx context.Context, command []byte) []byte {
	out, err := v.c.TransmitRaw(ctx, command)
	if err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}.Bytes()
	}
	return out
}
