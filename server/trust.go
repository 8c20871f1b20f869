package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
)

// trustState is one loaded trust store; a reload swaps it whole, so a
// verification uses one store from start to end.
type trustState struct {
	store  *pki.TrustStore
	desc   string
	loaded time.Time
}

func (s *Server) trust() *trustState { return s.trustPtr.Load() }

func (s *Server) apiKeys() *APIKeys { return s.keysPtr.Load() }

// Reload reads the trust store (CSCA certificates and CRLs, or a master
// list) and the API key file again, as SIGHUP and the reload period do.
// On an error the server keeps what it had and says so.
func (s *Server) Reload() error {
	var errs []error
	now := s.cfg.time()
	if s.cfg.TrustPath != "" {
		ts, desc, err := pki.LoadTrust(s.cfg.TrustPath, &pki.LoadConfig{Time: func() time.Time { return now }})
		if err != nil {
			errs = append(errs, fmt.Errorf("trust %s: %w", s.cfg.TrustPath, err))
		} else {
			s.trustPtr.Store(&trustState{store: ts, desc: desc, loaded: now})
			s.metrics.trustLoadedS.Set(float64(now.Unix()))
		}
	}
	if s.cfg.APIKeysPath != "" {
		k, err := LoadAPIKeys(s.cfg.APIKeysPath)
		if err != nil {
			errs = append(errs, err)
		} else {
			s.keysPtr.Store(k)
		}
	}
	err := errors.Join(errs...)
	if err != nil {
		s.metrics.reloads.WithLabelValues("error").Inc()
		s.log.Error("reload failed, keeping the previous trust and keys", "err", err.Error())
	} else {
		s.metrics.reloads.WithLabelValues("ok").Inc()
		s.log.Info("reloaded", "trust", s.trust().desc, "api_keys", s.apiKeys().Len())
	}
	return err
}
