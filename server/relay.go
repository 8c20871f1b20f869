package server

import (
	"context"
	"errors"
	"net/http"
)

// relayConn is one relay session in progress.
type relayConn struct {
	cancel context.CancelFunc
}

// relay upgrades GET /v1/relay to a relay session (package relay).
func (s *Server) relay(w http.ResponseWriter, r *http.Request, client string) {
	s.fail(w, r, http.StatusNotImplemented, "not_implemented", errors.New("relay sessions are not served yet"))
}

// drainRelays waits for the relay sessions to end, and cancels those still
// open when ctx ends.
func (s *Server) drainRelays(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.relayWait.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.relayMu.Lock()
		for c := range s.relays {
			c.cancel()
		}
		s.relayMu.Unlock()
		<-done
	}
}
