package sim

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
)

// FuzzTransmit sends arbitrary command APDUs, one after another, to a
// personalized CCCD: the card must answer every one with a well-formed
// response (data and a status word), never panic, and never hand out a
// protected file without access control.
func FuzzTransmit(f *testing.F) {
	p := testPKI(f)
	doc, err := DemoCCCD()
	require.NoError(f, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time: func() time.Time { return time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC) }})
	require.NoError(f, err)
	sel, _ := apdu.SelectAID(chip.LDS1AID, false).Bytes()
	f.Add(append([]byte{byte(len(sel))}, sel...))
	f.Add([]byte{5, 0x00, 0xB0, 0x81, 0x00, 0x00})
	f.Add([]byte{5, 0x00, 0x84, 0x00, 0x00, 0x08, 13, 0x00, 0x82, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0})
	f.Add([]byte{12, 0x00, 0x22, 0xC1, 0xA4, 0x0F, 0x80, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07})
	f.Add([]byte{7, 0x0C, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := New(img, nil)
		require.NoError(t, err)
		for len(data) > 0 {
			n := int(data[0])
			data = data[1:]
			if n > len(data) {
				n = len(data)
			}
			cmd := data[:n]
			data = data[n:]
			out, err := c.TransmitRaw(context.Background(), cmd)
			require.NoError(t, err, "card failed")
			r, err := apdu.ParseResponse(out)
			require.NoError(t, err, "malformed response %x", out)
			// No plain response may carry the holder's data.
			if len(cmd) > 1 && cmd[0]&0x0C == 0 && r.SW.OK() {
				for _, f := range []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG13, chip.EFSOD} {
					require.False(t, len(r.Data) >= 16 && bytes.Contains(img.Files[f], r.Data[:16]), "%s leaked in plain", f)
				}
			}
		}
	})
}

// FuzzDecodeImage: card image files from untrusted places never panic the
// loader, and what loads encodes back to an image that loads equal.
func FuzzDecodeImage(f *testing.F) {
	var buf bytes.Buffer
	img := testImage(map[chip.File]int{chip.EFDG1: 20, chip.EFCOM: 5})
	img.Secrets = Secrets{MRZInfo: "L898902C<369080619406236", CAN: "123456", ChipDate: "2025-01-01"}
	require.NoError(f, img.Encode(&buf))
	f.Add(buf.Bytes())
	f.Add([]byte(`{"format":"cancuoc-card-image","version":1,"files":{"DG1":"YQA="}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		require.NoError(t, img.Encode(&out), "encode")
		back, err := Decode(&out)
		require.NoError(t, err, "reload")
		require.Equal(t, len(img.Files), len(back.Files), "round trip changed the image")
		require.Equal(t, img.Secrets.MRZInfo, back.Secrets.MRZInfo, "round trip changed the image")
	})
}
