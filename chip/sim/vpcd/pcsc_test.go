//go:build pcsc

package vpcd

import (
	"context"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/pcsctest"
)

// TestPCSC serves the card to a real pcscd through the vpcd driver and has
// OpenSC's opensc-tool, an independent PC/SC client, select the eMRTD
// application.
func TestPCSC(t *testing.T) {
	pcsctest.Start(t)
	if _, err := exec.LookPath("opensc-tool"); err != nil {
		msg := "TestPCSC needs opensc-tool (apt-get install -y opensc)"
		require.False(t, isCI(), msg)
		t.Skip(msg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	card := &testCard{}
	go func() { done <- Serve(ctx, pcsctest.VPCDAddr, card, nil) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})

	var out []byte
	deadline := time.Now().Add(15 * time.Second)
	for {
		cmd := exec.Command("opensc-tool", "--reader", pcsctest.Reader, "--send-apdu", "00:A4:04:0C:07:A0:00:00:02:47:10:01")
		var err error
		out, err = cmd.CombinedOutput()
		if err == nil && strings.Contains(string(out), "SW1=0x90, SW2=0x00") {
			break
		}
		require.False(t, time.Now().After(deadline), "opensc-tool did not get 9000 through pcscd: %v\n%s", err, out)
		time.Sleep(200 * time.Millisecond)
	}
	require.Contains(t, string(out), "Received (SW1=0x90, SW2=0x00)")
	card.mu.Lock()
	defer card.mu.Unlock()
	require.Contains(t, card.events, "apdu "+hex.EncodeToString(ldsSelect))
}
