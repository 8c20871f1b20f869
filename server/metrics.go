package server

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// metrics are the server's Prometheus metrics, in a registry of its own
// (served at /metrics).
type metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	verdicts     *prometheus.CounterVec
	refused      *prometheus.CounterVec
	relayOpen    prometheus.Gauge
	reloads      *prometheus.CounterVec
	inFlight     prometheus.Gauge
	seenNonces   prometheus.GaugeFunc
	trustLoadedS prometheus.Gauge
}

func newMetrics(seen func() float64) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cancuoc_http_requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "cancuoc_http_request_duration_seconds", Help: "Time from request to response, by route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route"})
	m.verdicts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cancuoc_verdicts_total", Help: "Verdicts by mode (upload, relay), policy and outcome.",
	}, []string{"mode", "policy", "outcome"})
	m.refused = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cancuoc_refused_total", Help: "Requests refused before verification, by reason.",
	}, []string{"reason"})
	m.relayOpen = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cancuoc_relay_sessions_open", Help: "Relay sessions open now.",
	})
	m.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cancuoc_trust_reloads_total", Help: "Reloads of the trust store and API keys, by result.",
	}, []string{"result"})
	m.inFlight = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cancuoc_verifications_in_flight", Help: "Verifications running now.",
	})
	m.seenNonces = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "cancuoc_challenges_remembered", Help: "Redeemed challenges this replica remembers until they expire.",
	}, seen)
	m.trustLoadedS = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "cancuoc_trust_loaded_timestamp_seconds", Help: "When the trust store in use was loaded.",
	})
	m.reg.MustRegister(m.requests, m.latency, m.verdicts, m.refused, m.relayOpen, m.reloads, m.inFlight,
		m.seenNonces, m.trustLoadedS,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
