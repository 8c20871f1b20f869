package sim

import "time"

// Faults make a card misbehave the way real cards and readers do, for tests
// of the code that reads them. APDU numbers count from 1 since the card was
// made or last powered on.
type Faults struct {
	// TearAfterAPDUs tears the card away after answering that many APDUs:
	// every later exchange fails with ErrRemoved until PowerOn.
	TearAfterAPDUs int
	// TearAfterBytes tears the card away once its responses reached that
	// many bytes.
	TearAfterBytes int
	// CorruptResponse flips one bit in the first byte of the response to
	// that APDU (a transmission error the reader's checks must catch).
	CorruptResponse int
	// WrongMAC flips one bit of the last byte of the MAC (the byte before
	// the status word) in the response to that APDU, from that APDU on.
	WrongMAC int
	// Clone makes the chip a clone: the files (DG14, DG15) are the
	// original's, the Chip and Active Authentication private keys are not.
	Clone bool
	// Delay holds every response back that long (a slow chip or a weak
	// field); a context that ends first cancels the exchange.
	Delay time.Duration
}

// apply changes response n as the faults say. out is the card's own buffer.
func (f *Faults) apply(n int, out []byte) []byte {
	if f.CorruptResponse == n && len(out) > 0 {
		out[0] ^= 0x01
	}
	if f.WrongMAC > 0 && n >= f.WrongMAC && len(out) >= 12 {
		out[len(out)-3] ^= 0x01
	}
	return out
}
