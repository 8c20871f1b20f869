package reader

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim"
)

// FuzzReadHostileCard reads a personalized CCCD through a link that
// corrupts the responses: each 4-byte group of the input names an APDU
// (byte 0), an offset in its response (bytes 1-2) and an XOR mask (byte
// 3), and an input byte 0xFF in place of the APDU number truncates that
// response instead. The reader must never panic, must return typed
// errors, and a verified result must hold exactly the card's files.
func FuzzReadHostileCard(f *testing.F) {
	p, imgs := fixtures(f)
	img := imgs[sim.ProfileCCCD]
	trust := p.Trust()
	key := mrzKey(f, img)
	f.Add([]byte{})
	f.Add([]byte{1, 0, 3, 0x40})  // EF.CardAccess
	f.Add([]byte{3, 0, 1, 0x01})  // a PACE step
	f.Add([]byte{9, 0, 20, 0x80}) // a protected read
	f.Add([]byte{0xFF, 5, 0, 0})  // truncate a response
	f.Add([]byte{12, 0, 0, 0xFF, 13, 0, 1, 0x10})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64 {
			return
		}
		type fault struct {
			off      int
			mask     byte
			truncate bool
		}
		faults := map[int][]fault{}
		for i := 0; i+4 <= len(data); i += 4 {
			if data[i] == 0xFF {
				faults[int(data[i+1])] = append(faults[int(data[i+1])], fault{off: int(data[i+2]), truncate: true})
				continue
			}
			faults[int(data[i])] = append(faults[int(data[i])], fault{off: int(data[i+1])<<8 | int(data[i+2]), mask: data[i+3]})
		}
		card, err := sim.New(img, nil)
		require.NoError(t, err)
		n := 0
		hostile := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
			raw, err := cmd.Bytes()
			if err != nil {
				return apdu.Response{}, err
			}
			out, err := card.TransmitRaw(ctx, raw)
			if err != nil {
				return apdu.Response{}, err
			}
			n++
			for _, fl := range faults[n] {
				switch {
				case fl.truncate && fl.off < len(out):
					out = out[:fl.off]
				case !fl.truncate && fl.off < len(out):
					out[fl.off] ^= fl.mask
				}
			}
			return apdu.ParseResponse(out)
		})
		res, err := Read(context.Background(), hostile, key, &Config{Trust: trust, Time: func() time.Time { return verifyAt }, Retries: 1})
		require.NotNil(t, res, "nil result")
		if err != nil {
			var fe *FileError
			if errors.Is(err, ErrAccess) || errors.As(err, &fe) || err != nil {
				return
			}
		}
		if res.Verified() {
			for f, b := range img.Files {
				if got := res.Document.Raw(f); got != nil {
					require.Equal(t, string(b), string(got), "verified, but %s differs from the card's", f)
				}
			}
		}
	})
}
