//go:build pcsc

package reader

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
	"github.com/cancuoc/cancuoc/internal/transcript"
)

// withATR is a PC/SC card's transmitter with its ATR, as a recorder of a
// real card wraps it.
type withATR struct {
	apdu.Transmitter
	atr []byte
}

func (t withATR) ATR() []byte { return t.atr }

// TestPCSCRecord records reads through a real pcscd (the simulated card
// served by vsmartcard-vpcd), as a real card is recorded: the transcript
// is the one recorded in process, byte for byte, ATR and header included.
// A transcript does not depend on the transport.
func TestPCSCRecord(t *testing.T) {
	pcsctest.Start(t)
	cases := map[string]replayCase{}
	for _, c := range replayCases() {
		cases[c.name] = c
	}
	// One card: a short read through pcscd takes seconds (vpcd's round
	// trips), and the in-process transcripts cover the rest.
	for _, name := range []string{"cccd-well-behaved-extended"} {
		t.Run(name, func(t *testing.T) {
			c, ok := cases[name]
			require.True(t, ok)
			want, err := transcript.ReadFile(transcriptDir + "/" + name + ".apdu")
			require.NoError(t, err)
			card := replayCard(t, c)
			pcard := insertVPCD(t, card)
			got := recordRead(t, c, withATR{apdu.NewTransmitter(pcard), pcard.ATR()})
			require.Equal(t, want.Header, got.Header)
			require.Len(t, got.Exchanges, len(want.Exchanges))
			for i := range want.Exchanges {
				require.Equal(t, want.Exchanges[i], got.Exchanges[i], "APDU %d", i+1)
			}
		})
	}
}
