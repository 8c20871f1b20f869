//go:build pcsc

package pcsctest

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Reader is the PC/SC name of the vpcd reader whose card port VPCDAddr is.
const Reader = "Virtual PCD 00 00"

// VPCDAddr is where the vpcd driver waits for the card of Reader.
const VPCDAddr = "localhost:35963"

const (
	socketPath = "/run/pcscd/pcscd.comm"
	lockPath   = "/tmp/cancuoc-pcsctest.lock"
)

// driverPaths are where Debian installs the vpcd driver.
var driverPaths = []string{
	"/usr/lib/pcsc/drivers/serial/libifdvpcd.so",
	"/usr/lib/x86_64-linux-gnu/pcsc/drivers/serial/libifdvpcd.so",
}

// Missing names the Debian packages that the PC/SC tests need and this
// machine lacks.
func Missing() []string {
	var missing []string
	if _, err := exec.LookPath("pcscd"); err != nil {
		missing = append(missing, "pcscd")
	}
	found := false
	for _, p := range driverPaths {
		if _, err := os.Stat(p); err == nil {
			found = true
		}
	}
	if !found {
		missing = append(missing, "vsmartcard-vpcd")
	}
	return missing
}

// Start makes sure pcscd runs with the vpcd driver for the rest of the test.
func Start(t testing.TB) {
	t.Helper()
	if missing := Missing(); len(missing) > 0 {
		msg := "PC/SC test needs Debian packages " + strings.Join(missing, " and ") + " (apt-get install -y pcscd vsmartcard-vpcd)"
		require.NotEqual(t, "true", os.Getenv("CI"), msg)
		t.Skip(msg)
	}
	lock(t)
	if daemonUp() {
		return
	}
	cmd := exec.Command("pcscd", "--foreground")
	logPath := filepath.Join(t.TempDir(), "pcscd.log")
	logFile, err := os.Create(logPath)
	require.NoError(t, err)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	require.NoError(t, cmd.Start(), "start pcscd")
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		logFile.Close()
	})
	deadline := time.Now().Add(10 * time.Second)
	for !daemonUp() || !vpcdListening() {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			require.FailNow(t, "pcscd did not come up within 10s; its log:\n"+string(log))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func daemonUp() bool {
	c, err := net.DialTimeout("unix", socketPath, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// vpcdListening reports whether the driver's card port is open. Probing it
// with a connection would insert a card, so the probe only looks at the
// listening sockets.
func vpcdListening() bool {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return true // cannot tell: let the test's own connect decide
	}
	// 35963 = 0x8C7B, state 0A = LISTEN.
	return containsListen(string(b), ":8C7B")
}

func containsListen(table, port string) bool {
	for _, line := range strings.Split(table, "\n") {
		f := strings.Fields(line)
		if len(f) > 3 && strings.HasSuffix(f[1], port) && f[3] == "0A" {
			return true
		}
	}
	return false
}

func lock(t testing.TB) {
	f, err := os.OpenFile(lockPath, os.O_CREATE|os.O_RDWR, 0o666)
	require.NoError(t, err, "pcsctest lock")
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		require.NoError(t, err, "pcsctest lock")
	}
	t.Cleanup(func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}
