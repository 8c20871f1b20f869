package server

import (
	"math"
	"sync"
	"time"
)

// limiter is a token bucket per client: rate tokens a second, up to burst.
type limiter struct {
	rate  float64
	burst float64
	mu    sync.Mutex
	b     map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets bounds the clients remembered; idle full buckets go first.
const maxBuckets = 100000

func newLimiter(rate float64, burst int) *limiter {
	if burst < 1 {
		burst = max(1, int(math.Ceil(rate)))
	}
	return &limiter{rate: rate, burst: float64(burst), b: map[string]*bucket{}}
}

// allow takes a token for client; when none is left it says how long to
// wait for one.
func (l *limiter) allow(client string, now time.Time) (bool, time.Duration) {
	if l == nil || l.rate <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b[client]
	if b == nil {
		if len(l.b) >= maxBuckets {
			for k, v := range l.b {
				if now.Sub(v.last).Seconds()*l.rate >= l.burst {
					delete(l.b, k)
				}
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.b[client] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}
