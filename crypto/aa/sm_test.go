package aa

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// smCard is a card that speaks secure messaging: it unwraps each command
// with its session, lets the chip side answer, wraps the response, and
// answers 6700 when a response does not fit the APDU form of the command
// (256 bytes for a short Le), as a card would.
type smCard struct {
	chip *Chip
	s    *sm.Session
}

func (c *smCard) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	b, err := cmd.Bytes()
	if err != nil {
		return apdu.Response{}, err
	}
	parsed, err := apdu.ParseCommand(b)
	if err != nil {
		return apdu.Response{}, err
	}
	plain, err := c.s.UnwrapCommand(parsed)
	if err != nil {
		return apdu.Response{SW: sm.ChipStatus(err)}, nil
	}
	resp, _ := c.chip.Handle(plain)
	wrapped, err := c.s.WrapResponse(resp)
	if err != nil {
		return apdu.Response{}, err
	}
	if !parsed.IsExtended() && len(wrapped.Data) > apdu.MaxShortNe {
		return apdu.Response{SW: apdu.SWWrongLength}, nil
	}
	return apdu.ParseResponse(wrapped.Bytes())
}

// TestUnderSecureMessaging runs Active Authentication inside secure
// messaging, where a reader runs it after BAC or PACE: the protected
// response of RSA-2048 exceeds a short APDU, so extended length is
// needed; ECDSA fits.
func TestUnderSecureMessaging(t *testing.T) {
	for _, c := range []sm.Cipher{sm.TDES, sm.AES128} {
		for _, key := range []string{"rsa-1024.pkcs8.der", "rsa-2048.pkcs8.der", "rsa-4096.pkcs8.der", "ec-brainpoolP384r1.pkcs8.der"} {
			chip, err := NewChip(loadKey(t, key), nil)
			require.NoError(t, err)
			v, err := NewVerifier(chip.Public(), chip.Info())
			require.NoError(t, err)

			kEnc := bytes.Repeat([]byte{0x11}, c.KeySize())
			kMAC := bytes.Repeat([]byte{0x22}, c.KeySize())
			ssc := make([]byte, c.BlockSize())
			term, err := sm.NewSession(c, kEnc, kMAC, ssc)
			require.NoError(t, err)
			card, err := sm.NewSession(c, kEnc, kMAC, ssc)
			require.NoError(t, err)
			tr := sm.NewTransmitter(&smCard{chip: chip, s: card}, term)
			require.NoError(t, Authenticate(context.Background(), tr, v, nil), "%v %s", c, key)

			// The same exchange forced into short APDUs: RSA-2048 and
			// larger cannot fit.
			if v.NeedsExtendedLength() {
				cmd := apdu.InternalAuthenticate(make([]byte, 8))
				resp, err := tr.Transmit(context.Background(), cmd)
				if err == nil {
					require.Equal(t, apdu.SWWrongLength, resp.SW, "%v %s", c, key)
				}
			}
		}
	}
}
