package relay_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/internal/transcript"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// rawReplayer is a transcript's card as the relay client sees a card: raw
// APDUs and an ATR.
type rawReplayer struct{ *transcript.Replayer }

func (r rawReplayer) TransmitRaw(ctx context.Context, b []byte) ([]byte, error) {
	cmd, err := apdu.ParseCommand(b)
	if err != nil {
		return nil, err
	}
	resp, err := r.Transmit(ctx, cmd)
	if err != nil {
		return nil, err
	}
	return resp.Bytes(), nil
}

// TestRelayReplaysTranscripts reads cards of reader/testdata/transcripts
// on a server through the relay, the client carrying the APDUs to a
// replaying card: the server's reader sends every recorded command, byte
// for byte, and ends as recorded. The relay changes nothing on the wire.
func TestRelayReplaysTranscripts(t *testing.T) {
	dir := filepath.Join("..", "reader", "testdata", "transcripts")
	trust := pki.NewTrustStore()
	for _, name := range []string{"csca.der", "crl.der"} {
		b, err := os.ReadFile(filepath.Join(dir, "fixtures", name))
		require.NoError(t, err)
		if name == "crl.der" {
			require.NoError(t, trust.AddCRL(b))
		} else {
			require.NoError(t, trust.AddCertificates(b))
		}
	}
	// The demo CCCD's MRZ, the key of the transcripts that say "mrz".
	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	m := doc.DG1.MRZ
	mrz := relay.MRZKey(m.DocumentNumber, string(m.DateOfBirth), string(m.DateOfExpiry))
	for _, name := range []string{"cccd-can-extended", "cccd-well-behaved-short", "cccd-pace-cam-short", "cccd-fault-clone"} {
		t.Run(name, func(t *testing.T) {
			tr, err := transcript.ReadFile(filepath.Join(dir, name+".apdu"))
			require.NoError(t, err)
			at, err := time.Parse(time.RFC3339, tr.Get("time"))
			require.NoError(t, err)
			mux := http.NewServeMux()
			mux.HandleFunc("/v1/relay", func(w http.ResponseWriter, r *http.Request) {
				s, start, err := relay.Accept(r.Context(), w, r, nil)
				if err != nil {
					return
				}
				defer s.Close()
				cfg := &reader.Config{Trust: trust, Time: func() time.Time { return at },
					Rand: pkitest.SeedReader(tr.Get("reader-seed")), MaxResponse: start.MaxResponse}
				if start.Extended != nil {
					cfg.Extended = reader.ExtendedOff
					if *start.Extended {
						cfg.Extended = reader.ExtendedOn
					}
				}
				key := reader.CANKey(start.Key.CAN)
				if !start.Key.IsCAN() {
					if key, err = reader.ParseMRZKey(start.Key.Document + "," + start.Key.Birth + "," + start.Key.Expiry); err != nil {
						_ = s.Fail(relay.CodeBadStart, "the MRZ key is not valid")
						return
					}
				}
				res, rerr := reader.Read(s.Context(), s, key, cfg)
				errText := "none"
				if rerr != nil {
					errText = strings.Join(strings.Fields(rerr.Error()), " ")
				}
				b, _ := json.Marshal(map[string]string{"verdict": res.Verdict().String(), "apdus": strconv.Itoa(res.APDUs),
					"access": res.Access.String(), "error": errText})
				_ = s.Finish(b)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()

			rp, err := transcript.NewReplayer(tr)
			require.NoError(t, err)
			c := &relay.Client{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/relay", ServerReadsCardAccess: true}
			key := mrz
			if tr.Get("key") == "can" {
				key = relay.CANKey("123456")
			}
			b, err := c.Run(context.Background(), rawReplayer{rp}, relay.Start{Key: key})
			require.NoError(t, err)
			require.NoError(t, rp.Done(), "the server's reader sends what was recorded")
			var got map[string]string
			require.NoError(t, json.Unmarshal(b, &got))
			for _, k := range []string{"verdict", "apdus", "access", "error"} {
				require.Equal(t, tr.Get(k), got[k], k)
			}
		})
	}
}
