package relay_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/relay"
	"github.com/cancuoc/cancuoc/server"
)

const serverAPIKey = "relay-package-test-key"

// realServer is package server's verification service on a loopback
// socket, verifying at verifyAt under the bank policy.
func realServer(t testing.TB, relayIdle time.Duration) (url string) {
	t.Helper()
	p, _ := fixtures(t)
	keys, err := server.ParseAPIKeys(strings.NewReader("relay-test " + server.HashAPIKey(serverAPIKey) + "\n"))
	require.NoError(t, err)
	s, err := server.New(&server.Config{
		Trust: p.Trust(), APIKeys: keys, ChallengeKeys: [][]byte{make([]byte, 32)},
		Policy: server.PolicyBank, RelayIdle: relayIdle, Time: func() time.Time { return verifyAt },
	})
	require.NoError(t, err)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return "ws" + strings.TrimPrefix(hs.URL, "http") + "/v1/relay"
}

// serverResult is the part of package server's result the tests read.
type serverResult struct {
	Mode    string `json:"mode"`
	Verdict struct {
		Policy  string `json:"policy"`
		Outcome string `json:"outcome"`
		Reasons []struct {
			Code string `json:"code"`
		} `json:"reasons"`
	} `json:"verdict"`
	Proven struct {
		DataAuthentic bool `json:"data_authentic"`
		LiveChip      bool `json:"live_chip"`
	} `json:"proven"`
	Wire struct {
		APDUs int `json:"apdus"`
	} `json:"wire"`
	Holder *struct {
		FullName       string `json:"full_name"`
		DocumentNumber string `json:"document_number"`
	} `json:"holder"`
}

// TestRelayServer: the relay client with the simulated card, verified by
// package server (the service behind "cancuoc serve"): a CCCD by CAN and a
// passport by MRZ, then a late relay, a client gone mid-read and garbage,
// after each of which the server still verifies the next read.
func TestRelayServer(t *testing.T) {
	_, imgs := fixtures(t)
	url := realServer(t, 300*time.Millisecond)
	verify := func(t *testing.T, profile string, key relay.AccessKey) *serverResult {
		card, err := sim.New(imgs[profile], &sim.Config{SelectMFQuirk: true})
		require.NoError(t, err)
		b, err := (&relay.Client{URL: url, APIKey: serverAPIKey}).Run(context.Background(), card, relay.Start{Key: key})
		require.NoError(t, err)
		var r serverResult
		require.NoError(t, json.Unmarshal(b, &r))
		require.Equal(t, "relay", r.Mode)
		require.Equal(t, "verified", r.Verdict.Outcome, "%+v", r.Verdict)
		require.True(t, r.Proven.DataAuthentic && r.Proven.LiveChip)
		require.NotNil(t, r.Holder)
		return &r
	}
	t.Run("cccd", func(t *testing.T) {
		r := verify(t, sim.ProfileCCCD, relay.CANKey("123456"))
		require.Equal(t, 16, r.Wire.APDUs, "17 on the card, EF.CardAccess read by the client")
		require.Equal(t, "Nguyễn Văn An", r.Holder.FullName)
	})
	t.Run("passport", func(t *testing.T) {
		verify(t, sim.ProfileICAOPassport, mrzOf(t, imgs[sim.ProfileICAOPassport]))
	})
	t.Run("late relay", func(t *testing.T) {
		card, err := sim.New(imgs[sim.ProfileCCCD], nil)
		require.NoError(t, err)
		b, err := (&relay.Client{URL: url, APIKey: serverAPIKey}).Run(context.Background(),
			&lateCard{Card: card, n: 8, delay: time.Second}, relay.Start{Key: relay.CANKey("123456")})
		require.NoError(t, err)
		var r serverResult
		require.NoError(t, json.Unmarshal(b, &r))
		require.Equal(t, "incomplete", r.Verdict.Outcome, "%+v", r.Verdict)
		require.False(t, r.Proven.DataAuthentic)
		require.Nil(t, r.Holder, "no holder data from an incomplete read")
		verify(t, sim.ProfileCCCD, relay.CANKey("123456"))
	})
	t.Run("client gone", func(t *testing.T) {
		conn, _, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{
			Subprotocols: []string{relay.Subprotocol},
			HTTPHeader: http.Header{"Authorization": {"Bearer " + serverAPIKey},
				relay.StartHeader: {`{"t":"start","v":1,"can":"123456"}`}},
		})
		require.NoError(t, err)
		_, b, err := conn.Read(context.Background())
		require.NoError(t, err)
		require.Contains(t, string(b), `"t":"cmd"`)
		require.NoError(t, conn.CloseNow())
		verify(t, sim.ProfileCCCD, relay.CANKey("123456"))
	})
	t.Run("garbage", func(t *testing.T) {
		conn, _, err := websocket.Dial(context.Background(), url, &websocket.DialOptions{
			Subprotocols: []string{relay.Subprotocol},
			HTTPHeader:   http.Header{"Authorization": {"Bearer " + serverAPIKey}},
		})
		require.NoError(t, err)
		require.NoError(t, conn.Write(context.Background(), websocket.MessageText, []byte(`{"t":"start","v":1,"can":"123456"`)))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_, b, err := conn.Read(ctx)
		require.NoError(t, err)
		f, err := relay.ParseServerFrame(b, 0)
		require.NoError(t, err)
		require.Equal(t, relay.CodeBadFrame, f.(*relay.Error).Code)
		_, _, err = conn.Read(ctx)
		require.Equal(t, websocket.StatusProtocolError, websocket.CloseStatus(err))
		verify(t, sim.ProfileCCCD, relay.CANKey("123456"))
	})
	t.Run("wrong api key", func(t *testing.T) {
		card, err := sim.New(imgs[sim.ProfileCCCD], nil)
		require.NoError(t, err)
		_, err = (&relay.Client{URL: url, APIKey: "wrong"}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
		var de *relay.DialError
		require.ErrorAs(t, err, &de)
		require.Equal(t, http.StatusUnauthorized, de.Status)
		require.Equal(t, 1, card.Stats().APDUs, "only the client's own READ BINARY of the public EF.CardAccess")
	})
}
