package relay_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// TestHeldSessions holds RELAY_SESSIONS relay sessions open at once on one
// server and reports the server's memory per session. Each session is
// real: the server runs reader.Read over it and waits for the answer to
// its first command, which the client (a second process, so that each
// side has its own file descriptor limit) never sends, as a phone whose
// user has not yet laid the card on it. Then the clients all vanish at
// once and the server must end every session. Not run in CI:
//
//	RELAY_SESSIONS=10000 go test -run '^TestHeldSessions$' -v -timeout 10m ./relay
//
// (scripts/relay-sessions). Target: 10,000 sessions, under 64 KiB each.
func TestHeldSessions(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("RELAY_SESSIONS"))
	if n <= 0 || os.Getenv("RELAY_HOLD_CLIENT") != "" {
		t.Skip("set RELAY_SESSIONS=N to hold N sessions (see scripts/relay-sessions)")
	}
	raiseNoFile(t, n+200)
	p, _ := fixtures(t)
	trust := p.Trust()

	var open, reading atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, start, err := relay.Accept(context.Background(), w, r, &relay.Config{APDUTimeout: 10 * time.Minute, SessionTimeout: 10 * time.Minute})
		if err != nil {
			return
		}
		open.Add(1)
		defer open.Add(-1)
		defer s.Close()
		reading.Add(1)
		_, _ = reader.Read(s.Context(), s, reader.CANKey(start.Key.CAN), &reader.Config{Trust: trust, Time: func() time.Time { return verifyAt }})
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	url := "ws://" + ln.Addr().String() + "/v1/relay"

	before := memNow()

	child := exec.Command(os.Args[0], "-test.run=^TestHeldSessionsClient$", "-test.v", "-test.timeout=15m")
	child.Env = append(os.Environ(), "RELAY_HOLD_CLIENT="+url)
	out, err := child.StdoutPipe()
	require.NoError(t, err)
	child.Stderr = os.Stderr
	require.NoError(t, child.Start())
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	began := time.Now()
	sc := bufio.NewScanner(out)
	held := 0
	for held < n && sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "held "); ok {
			held, _ = strconv.Atoi(v)
		} else if strings.Contains(line, "FAIL") || strings.Contains(line, "client: ") {
			t.Log(line)
		}
	}
	require.Equal(t, n, held, "the client process held every session")
	took := time.Since(began)
	require.Equal(t, int64(n), open.Load())
	after := memNow()

	perHeap := float64(after.heapStacks-before.heapStacks) / float64(n)
	t.Logf("heap %.1f KiB, stacks %.1f KiB per session", float64(after.heap-before.heap)/float64(n)/1024, float64(after.stacks-before.stacks)/float64(n)/1024)
	if f := os.Getenv("RELAY_HEAP_PROFILE"); f != "" {
		w, err := os.Create(f)
		require.NoError(t, err)
		require.NoError(t, pprof.WriteHeapProfile(w))
		require.NoError(t, w.Close())
	}
	perSys := float64(after.sys-before.sys) / float64(n)
	perRSS := float64(after.rss-before.rss) / float64(n)
	report := fmt.Sprintf("held %d relay sessions (each in reader.Read, waiting for its first response) in %v; "+
		"server per session: %.1f KiB Go heap+stacks in use, %.1f KiB Go runtime total (Sys), %.1f KiB RSS; %d goroutines; open files limit %d",
		n, took.Round(time.Millisecond), perHeap/1024, perSys/1024, perRSS/1024, after.goroutines, noFile())
	t.Log(report)
	fmt.Println(report)
	require.Less(t, perHeap, 64.0*1024, "memory per session")

	// Every client vanishes at once (no close frame): every session ends.
	_ = child.Process.Kill()
	_ = child.Wait()
	gone := time.Now()
	require.Eventually(t, func() bool { return open.Load() == 0 }, 60*time.Second, 50*time.Millisecond)
	fmt.Printf("all %d sessions ended %v after their clients vanished\n", n, time.Since(gone).Round(time.Millisecond))
}

// TestHeldSessionsClient is the client process of TestHeldSessions.
func TestHeldSessionsClient(t *testing.T) {
	url := os.Getenv("RELAY_HOLD_CLIENT")
	n, _ := strconv.Atoi(os.Getenv("RELAY_SESSIONS"))
	if url == "" || n <= 0 {
		t.Skip("the client process of TestHeldSessions")
	}
	raiseNoFile(t, n+200)
	start, err := relay.Marshal(&relay.Start{Version: relay.Version, Key: relay.CANKey("123456"), ATR: sim.DefaultATR(true)})
	require.NoError(t, err)
	hc := &http.Client{Transport: &http.Transport{DisableKeepAlives: true, MaxIdleConns: -1}}
	conns := make([]*websocket.Conn, n)
	var next, held atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || failed.Load() != nil {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{
					HTTPClient: hc, Subprotocols: []string{relay.Subprotocol},
					HTTPHeader: http.Header{relay.StartHeader: {string(start)}},
				})
				if err == nil {
					var b []byte
					_, b, err = conn.Read(context.Background()) // the first command: never answered
					if err == nil && !strings.Contains(string(b), `"t":"cmd"`) {
						err = fmt.Errorf("unexpected frame %.40s", b)
					}
				}
				cancel()
				if err != nil {
					failed.Store(fmt.Errorf("session %d: %w", i, err))
					return
				}
				conns[i] = conn
				if h := held.Add(1); h%1000 == 0 && int(h) != n {
					fmt.Printf("held %d\n", h)
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		fmt.Printf("client: %v\n", err)
		require.NoError(t, err)
	}
	fmt.Printf("held %d\n", held.Load())
	time.Sleep(10 * time.Minute) // until the server's test kills this process
	runtime.KeepAlive(conns)
}

type mem struct {
	heapStacks, heap, stacks, sys, rss uint64
	goroutines                         int
}

func memNow() mem {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := mem{heapStacks: ms.HeapInuse + ms.StackInuse, heap: ms.HeapInuse, stacks: ms.StackInuse, sys: ms.Sys, goroutines: runtime.NumGoroutine()}
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
				kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				m.rss = kb * 1024
			}
		}
	}
	return m
}

// raiseNoFile raises the soft limit of open files to at least want, up to
// the hard limit, or skips the test.
func raiseNoFile(t *testing.T, want int) {
	var rl syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl))
	if rl.Cur < uint64(want) {
		rl.Cur = min(uint64(want), rl.Max)
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
	}
	if noFile() < want {
		t.Skipf("open files limit %d < %d (ulimit -n)", noFile(), want)
	}
}

func noFile() int {
	var rl syscall.Rlimit
	_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
	return int(rl.Cur)
}
