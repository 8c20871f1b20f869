//go:build pcsc

package sim

import (
	"context"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
	"github.com/cancuoc/cancuoc/internal/pcsctest"
)

// TestOpenSCSeesTheCard serves a personalized CCCD to a real pcscd through
// the vsmartcard vpcd driver, and has OpenSC's opensc-tool, an independent
// PC/SC client, select the LDS1 application (9000), read EF.CardAccess
// before any authentication (allowed), and be refused EF.COM (6982).
func TestOpenSCSeesTheCard(t *testing.T) {
	pcsctest.Start(t)
	if _, err := exec.LookPath("opensc-tool"); err != nil {
		require.NotEqual(t, "true", os.Getenv("CI"), "opensc-tool is missing (apt-get install -y opensc)")
		t.Skip("needs opensc-tool (apt-get install -y opensc)")
	}
	p := testPKI(t)
	doc, err := DemoCCCD()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time: func() time.Time { return time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	card, err := New(img, &Config{SelectMFQuirk: true})
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- vpcd.Serve(ctx, pcsctest.VPCDAddr, card.VPCD(), nil) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
		time.Sleep(500 * time.Millisecond) // let pcscd see the card go
	})

	ca := img.Files[chip.EFCardAccess]
	readCA := "00:B0:9C:00:" + hex.EncodeToString([]byte{byte(len(ca))})
	var out string
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := exec.Command("opensc-tool", "--reader", pcsctest.Reader,
			"--send-apdu", readCA,
			"--send-apdu", "00:A4:04:0C:07:A0:00:00:02:47:10:01",
			"--send-apdu", "00:B0:9E:00:04").CombinedOutput()
		out = string(b)
		if err == nil && strings.Count(out, "Received") == 3 {
			break
		}
		require.False(t, time.Now().After(deadline), "opensc-tool did not reach the card through pcscd: %v\n%s", err, out)
		time.Sleep(200 * time.Millisecond)
	}
	parts := strings.Split(out, "Received")
	require.Len(t, parts, 4, out)
	require.Contains(t, parts[1], "SW1=0x90, SW2=0x00", "EF.CardAccess: %s", parts[1])
	// opensc-tool prints the data as hex bytes separated by spaces.
	got := strings.ToUpper(hex.EncodeToString(ca[:8]))
	flat := strings.ReplaceAll(strings.ToUpper(parts[1]), " ", "")
	require.Contains(t, flat, got, "EF.CardAccess bytes")
	require.Contains(t, parts[2], "SW1=0x90, SW2=0x00", "SELECT LDS1: %s", parts[2])
	require.Contains(t, parts[3], "SW1=0x69, SW2=0x82", "EF.COM before access control: %s", parts[3])
}
