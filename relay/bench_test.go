package relay_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// delayProxy is a TCP proxy on loopback that holds every byte back for
// oneWay in each direction: a link with 2*oneWay of round-trip time. Bytes
// keep their order and the link's throughput is not limited: only latency
// is added, as on a phone's mobile network.
type delayProxy struct {
	ln     net.Listener
	target string
	oneWay time.Duration
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []net.Conn
}

func newDelayProxy(t testing.TB, target string, rtt time.Duration) *delayProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &delayProxy{ln: ln, target: target, oneWay: rtt / 2}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			_ = c.Close()
		}
		p.mu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *delayProxy) Addr() string { return p.ln.Addr().String() }

func (p *delayProxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(u, c)
		go p.pipe(c, u)
	}
}

type chunk struct {
	due time.Time
	b   []byte
}

// pipe copies src to dst, each chunk oneWay after it was read.
func (p *delayProxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	q := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range q {
			time.Sleep(time.Until(c.due))
			if _, err := dst.Write(c.b); err != nil {
				return
			}
		}
		if tc, ok := dst.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			q <- chunk{time.Now().Add(p.oneWay), append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			break
		}
	}
	close(q)
	<-done
	_ = dst.Close()
	_, _ = io.Copy(io.Discard, src)
}

// BenchmarkRelayRead measures a verified CCCD read (PACE with the CAN,
// Chip and Active Authentication, passive authentication: 17 APDUs) side
// by side: in process without the relay, over the relay on loopback, and
// over the relay through a proxy that adds 50 ms of round-trip time, with
// the start in the upgrade request (the Go client's default) and in a
// first frame (one round trip more), with EF.CardAccess read by the client
// and sent in the start (the default) and read by the server
// ("server-reads-card-access", one round trip more); "relay/..." run the package's test
// handler (reader.Read and a small result), "server/..." package server's
// whole service (bank policy, evidence, holder data and face in the
// result). Each relayed read includes the TCP
// connection, the WebSocket upgrade and the start. Target: at most 1.0 s
// with 50 ms RTT; the floor is 17 round trips (the upgrade with the first
// command, the 16 APDUs after EF.CardAccess, the result) = 850 ms, 18 =
// 900 ms when the server reads EF.CardAccess.
//
//	go test -run '^$' -bench BenchmarkRelayRead -benchtime 20x ./relay
func BenchmarkRelayRead(b *testing.B) {
	p, imgs := fixtures(b)
	img := imgs[sim.ProfileCCCD]
	ts := newTestServer(b, nil)
	b.Run("local", func(b *testing.B) {
		b.ReportAllocs()
		apdus := 0
		for b.Loop() {
			card, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
			require.NoError(b, err)
			res, err := reader.Read(context.Background(), card, reader.CANKey("123456"), &reader.Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }})
			require.NoError(b, err)
			require.True(b, res.Verified())
			apdus = res.APDUs
		}
		b.ReportMetric(float64(apdus), "APDUs/op")
	})
	for _, trips := range []int{17, 18} {
		b.Run(fmt.Sprintf("link/%d-round-trips/rtt=50ms", trips), func(b *testing.B) {
			// The proxy alone: 17 bare round trips, the floor of a relayed
			// CCCD read (the upgrade with the first command, 16 APDUs after
			// the client's EF.CardAccess, the result); 18 when the server
			// reads EF.CardAccess.
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(b, err)
			defer ln.Close()
			go func() {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
			proxy := newDelayProxy(b, ln.Addr().String(), 50*time.Millisecond)
			c, err := net.Dial("tcp", proxy.Addr())
			require.NoError(b, err)
			defer c.Close()
			buf := make([]byte, 64)
			for b.Loop() {
				for range trips {
					_, err := c.Write([]byte("ping"))
					require.NoError(b, err)
					_, err = io.ReadFull(c, buf[:4])
					require.NoError(b, err)
				}
			}
		})
	}
	realURL := realServer(b, 0)
	for _, tc := range []struct {
		rtt         time.Duration
		inFrame     bool
		real        bool
		serverReads bool // Client.ServerReadsCardAccess
	}{
		{0, false, false, false},
		{50 * time.Millisecond, false, false, false},
		{50 * time.Millisecond, false, false, true},
		{50 * time.Millisecond, true, false, true},
		{50 * time.Millisecond, false, true, false},
		{50 * time.Millisecond, false, true, true},
	} {
		rtt := tc.rtt
		name := "relay/rtt=" + rtt.String()
		if tc.real {
			name = "server/rtt=" + rtt.String()
		}
		if tc.inFrame {
			name += "/start-in-frame"
		}
		if tc.serverReads {
			name += "/server-reads-card-access"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			url, target := ts.URL(), strings.TrimPrefix(ts.Server.URL, "http://")
			if tc.real {
				url, target = realURL, strings.TrimSuffix(strings.TrimPrefix(realURL, "ws://"), "/v1/relay")
			}
			if rtt > 0 {
				proxy := newDelayProxy(b, target, rtt)
				url = "ws://" + proxy.Addr() + "/v1/relay"
			}
			apdus, cardAPDUs := 0, 0
			var worst time.Duration
			for b.Loop() {
				card, err := sim.New(img, &sim.Config{SelectMFQuirk: true})
				require.NoError(b, err)
				began := time.Now()
				out, err := (&relay.Client{URL: url, StartInFrame: tc.inFrame, ServerReadsCardAccess: tc.serverReads, APIKey: serverAPIKey}).Run(context.Background(), card, relay.Start{Key: relay.CANKey("123456")})
				worst = max(worst, time.Since(began))
				require.NoError(b, err)
				cardAPDUs = card.Stats().APDUs
				if tc.real {
					var r serverResult
					require.NoError(b, json.Unmarshal(out, &r))
					require.Equal(b, "verified", r.Verdict.Outcome)
					apdus = r.Wire.APDUs
					continue
				}
				r := decode(b, out)
				require.True(b, r.Verified)
				apdus = r.APDUs
				<-ts.done
			}
			b.ReportMetric(float64(apdus), "APDUs/op") // over the relay
			b.ReportMetric(float64(cardAPDUs), "card-APDUs/op")
			b.ReportMetric(worst.Seconds(), "worst-s")
		})
	}
}
