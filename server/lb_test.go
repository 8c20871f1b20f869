package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/relay"
	"github.com/cancuoc/cancuoc/server"
)

// The tests in this file run the real program (cancuoc serve), two
// processes, behind Debian's HAProxy on loopback ports.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// cancuocBin builds cmd/cancuoc once.
func cancuocBin(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "cancuoc-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "cancuoc")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/cancuoc/cancuoc/cmd/cancuoc").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	require.NoError(t, binErr)
	return binPath
}

// needTool skips the test (fails it under CI) when a program is missing.
func needTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	require.Equal(t, "", os.Getenv("CI"), "%s not found: install the Debian package %s", name, debianPackage)
	t.Skipf("%s not found: install the Debian package %s", name, debianPackage)
	return ""
}

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// proc is a process the test started; it is stopped by its own PID.
type proc struct {
	cmd  *exec.Cmd
	out  *logBuffer
	done chan error
}

func startProc(t testing.TB, name string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(name, args...), out: &logBuffer{}, done: make(chan error, 1)}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	require.NoError(t, p.cmd.Start())
	go func() { p.done <- p.cmd.Wait() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			p.cmd.Process.Kill()
			<-p.done
		}
	})
	return p
}

// stop sends SIGTERM and waits for the process to end.
func (p *proc) stop(t testing.TB) error {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case err := <-p.done:
		return err
	case <-time.After(40 * time.Second):
		require.FailNow(t, "process did not stop")
	}
	return nil
}

func waitReady(t testing.TB, url string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.FailNow(t, url+" not ready")
}

// cluster is two replicas of cancuoc serve behind HAProxy.
type cluster struct {
	lb       string // http://127.0.0.1:PORT of the load balancer
	replicas []*proc
	direct   []string // each replica's own URL
	haproxy  *proc
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	haproxy := needTool(t, "haproxy", "haproxy")
	bin := cancuocBin(t)
	w := newWorld(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "api-keys")
	require.NoError(t, os.WriteFile(keys, []byte("bank-app "+server.HashAPIKey(bankKey)+"\n"), 0o600))
	ck := filepath.Join(dir, "challenge-key")
	require.NoError(t, os.WriteFile(ck, []byte(hex.EncodeToString(testKey)+"\n"), 0o600))
	c := &cluster{}
	var servers []string
	for i := range 2 {
		addr := freePort(t)
		p := startProc(t, bin, "serve", "--trust", w.trust, "--listen", addr, "--api-keys", keys,
			"--challenge-key-file", ck, "--rate", "0")
		c.replicas = append(c.replicas, p)
		c.direct = append(c.direct, "http://"+addr)
		servers = append(servers, fmt.Sprintf("    server r%d %s check inter 100ms fall 1 rise 2", i, addr))
	}
	for _, u := range c.direct {
		waitReady(t, u+"/readyz")
	}
	front := freePort(t)
	cfg := fmt.Sprintf(`global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 120s
    retries 3
    option redispatch
frontend api
    bind %s
    default_backend replicas
backend replicas
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    http-response set-header X-Replica %%s
%s
`, front, strings.Join(servers, "\n"))
	cfgPath := filepath.Join(dir, "haproxy.cfg")
	require.NoError(t, os.WriteFile(cfgPath, []byte(cfg), 0o600))
	c.haproxy = startProc(t, haproxy, "-db", "-f", cfgPath)
	c.lb = "http://" + front
	waitReady(t, c.lb+"/readyz")
	// Both replicas in service.
	seen := map[string]bool{}
	for range 20 {
		resp, err := http.Get(c.lb + "/readyz")
		require.NoError(t, err)
		resp.Body.Close()
		seen[resp.Header.Get("X-Replica")] = true
		if len(seen) == 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.Len(t, seen, 2, "both replicas behind the balancer")
	return c
}

// relayRetry reads the simulated CCCD through a relay session to url; a
// session refused or cut (a replica going away) is started again.
func relayRetry(t testing.TB, url string) (string, error) {
	w := newWorld(t)
	var last error
	for attempt := 0; attempt < 10; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
		}
		sc := simCard(t, w.cccd)
		cl := &relay.Client{URL: relayURL(url), APIKey: bankKey}
		b, err := cl.Run(context.Background(), sc, canStart(w.cccd, sc.ATR()))
		if err != nil {
			last = err
			continue
		}
		var r server.Result
		if err := json.Unmarshal(b, &r); err != nil {
			return "", err
		}
		if r.Verdict.Outcome == server.Incomplete {
			last = fmt.Errorf("incomplete: %v", r.Verdict.Reasons)
			continue
		}
		return r.Verdict.Outcome, nil
	}
	return "", fmt.Errorf("no verdict after retries: %w", last)
}

// uploadRetry verifies the card through url the way a client should:
// transport errors and 5xx are retried with the same challenge (another
// replica has not seen it), a refused challenge with a new one. It
// returns the verdict and the replicas that issued and redeemed.
func uploadRetry(t testing.TB, url string) (string, error) {
	w := newWorld(t)
	hc := &http.Client{Timeout: 30 * time.Second}
	var last error
	for attempt := 0; attempt < 10; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 50 * time.Millisecond)
		}
		req, _ := http.NewRequest(http.MethodPost, url+"/v1/challenge", nil)
		req.Header.Set("Authorization", "Bearer "+bankKey)
		resp, err := hc.Do(req)
		if err != nil {
			last = err
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			last = fmt.Errorf("challenge: %d %s", resp.StatusCode, b)
			continue
		}
		var ch server.Challenge
		if err := json.Unmarshal(b, &ch); err != nil {
			return "", err
		}
		ct, body := uploadBody(t, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
		for try := 0; try < 3; try++ {
			req, _ := http.NewRequest(http.MethodPost, url+"/v1/verify", bytes.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+bankKey)
			req.Header.Set("Content-Type", ct)
			resp, err := hc.Do(req)
			if err != nil {
				last = err
				continue
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				var r server.Result
				if err := json.Unmarshal(b, &r); err != nil {
					return "", err
				}
				return r.Verdict.Outcome, nil
			}
			last = fmt.Errorf("verify: %d %s", resp.StatusCode, b)
			if resp.StatusCode < 500 {
				break // a refused challenge: take a new one
			}
		}
	}
	return "", fmt.Errorf("no verdict after retries: %w", last)
}

func TestLoadBalancedReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	c := startCluster(t)
	w := newWorld(t)
	cl := newClient(t, bankKey)

	// A challenge issued by one replica, redeemed at the other, through
	// the balancer (round robin alternates; X-Replica names the server).
	var issuer, redeemer string
	for range 10 {
		req, _ := http.NewRequest(http.MethodPost, c.lb+"/v1/challenge", nil)
		resp, b := cl.do(req, true)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		issuer = resp.Header.Get("X-Replica")
		var ch server.Challenge
		require.NoError(t, json.Unmarshal(b, &ch))
		ct, body := uploadBody(t, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
		req, _ = http.NewRequest(http.MethodPost, c.lb+"/v1/verify", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		resp, b = cl.do(req, true)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		require.Equal(t, server.Verified, result(t, b).Verdict.Outcome)
		redeemer = resp.Header.Get("X-Replica")
		if issuer != redeemer {
			break
		}
	}
	require.NotEqual(t, issuer, redeemer, "a challenge of one replica redeemed at the other")

	// Relay sessions through the balancer (it passes WebSockets).
	for range 2 {
		v, err := relayRetry(t, c.lb)
		require.NoError(t, err)
		require.Equal(t, server.Verified, v)
	}

	// Load through the balancer, uploads and relay sessions; one replica
	// is stopped in the middle. Every one ends with its verdict.
	const total, workers = 80, 4
	var next, doneN atomic.Int64
	verdicts := make(chan string, total)
	errs := make(chan error, total)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > total {
					return
				}
				do := uploadRetry
				if i%4 == 0 {
					do = relayRetry
				}
				v, err := do(t, c.lb)
				if err != nil {
					errs <- err
					continue
				}
				verdicts <- v
				doneN.Add(1)
			}
		}()
	}
	for doneN.Load() < total/3 {
		time.Sleep(10 * time.Millisecond)
	}
	stopErr := c.replicas[1].stop(t)
	wg.Wait()
	close(verdicts)
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	n := 0
	for v := range verdicts {
		require.Equal(t, server.Verified, v)
		n++
	}
	require.Equal(t, total, n, "no verdict lost")
	require.NoError(t, stopErr, "the stopped replica drained and exited cleanly")
	logs := c.replicas[1].out.String()
	require.Contains(t, logs, `"msg":"draining"`)
	require.Contains(t, logs, `"msg":"stopped"`)

	// The survivor serves on.
	v, err := uploadRetry(t, c.lb)
	require.NoError(t, err)
	require.Equal(t, server.Verified, v)
	// Its logs are JSON lines with request ids and no personal data.
	checkLogs(t, c.replicas[0].out.String())
}

// checkLogs: every line is a JSON object; none holds the holder's data,
// the API key or the challenge key.
func checkLogs(t testing.TB, logs string) {
	t.Helper()
	w := newWorld(t)
	sc := bufio.NewScanner(strings.NewReader(logs))
	n := 0
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), sc.Text())
		if m["msg"] == "request" {
			require.NotEmpty(t, m["request_id"])
			n++
		}
	}
	require.Positive(t, n)
	secret := []string{bankKey, hex.EncodeToString(testKey), w.cccd.img.Secrets.CAN, w.cccd.img.Secrets.MRZInfo}
	doc := parsedCCCD(t)
	cit, _ := doc.Citizen()
	secret = append(secret, cit.FullName, cit.PersonalNumber, doc.DocumentNumber(), cit.PlaceOfResidence, cit.DateOfBirth.Raw)
	for _, s := range secret {
		require.NotEmpty(t, s)
		require.NotContains(t, logs, s)
	}
}

// TestCLIRelayToServe: `cancuoc relay --sim CARD` carries a simulated
// CCCD's APDUs to a `cancuoc serve` process, which verifies it: the two
// programs as a bank and a counter device run them.
func TestCLIRelayToServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	bin := cancuocBin(t)
	w := newWorld(t)
	dir := t.TempDir()
	keys := filepath.Join(dir, "api-keys")
	require.NoError(t, os.WriteFile(keys, []byte("counter-1 "+server.HashAPIKey(bankKey)+"\n"), 0o600))
	keyFile := filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(keyFile, []byte(bankKey+"\n"), 0o600))
	cardPath := filepath.Join(dir, "cccd.card")
	require.NoError(t, w.cccd.img.Save(cardPath))
	addr := freePort(t)
	srv := startProc(t, bin, "serve", "--trust", w.trust, "--listen", addr, "--api-keys", keys)
	waitReady(t, "http://"+addr+"/readyz")

	out, err := exec.Command(bin, "relay", "--sim", cardPath, "--server", "ws://"+addr+"/v1/relay",
		"--can", w.cccd.img.Secrets.CAN, "--api-key-file", keyFile, "--json").Output()
	require.NoError(t, err, string(out))
	var r server.Result
	require.NoError(t, json.Unmarshal(out, &r), string(out))
	require.Equal(t, server.Verified, r.Verdict.Outcome)
	require.Equal(t, "relay", r.Mode)
	require.True(t, r.Proven.LiveChip)

	// A wrong CAN: the tool fails, the server serves on.
	_, err = exec.Command(bin, "relay", "--sim", cardPath, "--server", "ws://"+addr+"/v1/relay",
		"--can", "000000", "--api-key-file", keyFile, "--json").Output()
	require.Error(t, err)
	require.NoError(t, srv.stop(t))
	require.Contains(t, srv.out.String(), `"client":"counter-1"`)
	checkLogs(t, srv.out.String())
}
