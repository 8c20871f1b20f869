// Package server is the bank's verification service: it verifies an
// identity card (Vietnam's CCCD) or a passport for a client that cannot be
// trusted with the verdict, such as a phone app, under a named policy.
//
// # Two ways in, one verdict
//
// Relay (GET /v1/relay, the strong mode): the server runs reader.Read itself
// and the phone or counter device only carries APDUs between the chip and
// the server over a WebSocket (package relay defines the protocol). Session
// keys and the Chip Authentication proof never leave the server.
//
// Upload (POST /v1/challenge, then POST /v1/verify): for apps that read the
// chip with another SDK. The client takes a challenge, has the chip sign its
// nonce with Active Authentication (INTERNAL AUTHENTICATE), and uploads the
// raw files with the signature. The server runs passive authentication on
// the files and verifies the signature with the key of the authentic DG15:
// with it, a live genuine chip is proven; without it, only the data's
// authenticity.
//
// Both answer with the same Result: the verdict under the policy (package
// policy: verified, not verified, incomplete, with typed reasons), what was
// proven, every check, the facts, the evidence bundle (package evidence),
// and when the data is authentic the holder's data (DG13 of a CCCD with its
// diacritics) and the face image (JPEG as read, JPEG 2000 converted to PNG
// by package photo).
//
// # Challenges without shared state
//
// A challenge token carries its nonce and expiry under an HMAC-SHA-256 that
// also covers the client's identity; every replica holding the challenge
// key checks it, so a challenge issued by one replica is redeemed at any
// other. A replica remembers the tokens it accepted until they expire and
// refuses them a second time. Replicas share no memory, so the same
// token presented to two different replicas within its lifetime (two
// minutes by default) is accepted by each once: cross-replica replay is
// bounded by the lifetime and by the client's own credentials (a token is
// valid only for the client it was issued to), not excluded. Where that
// matters, route /v1/verify by the token to one replica (a hash on the
// token at the load balancer) or keep lifetimes short.
//
// # Operations
//
// Every body and frame has a size limit and every stage a deadline; a body
// is read whole before a worker is taken, so slow clients hold connections,
// not workers. Clients authenticate with API keys (stored as SHA-256,
// compared in constant time) or TLS client certificates, and each has a
// rate limit. Logs are log/slog records with a request id; they never hold
// personal data, bodies or keys. The trust store and API keys reload on
// Reload (SIGHUP in cancuoc serve) and periodically; a CRL past its next
// update fails verdicts under the bank policy (reason crl-stale). Metrics are
// served at /metrics for Prometheus; /healthz and /readyz serve load
// balancers, and /v1/openapi.yaml documents the API.
package server
