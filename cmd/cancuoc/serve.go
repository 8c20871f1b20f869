package main

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cancuoc/cancuoc/photo"
	presets "github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/server"
)

func runServe(e *env, args []string) error {
	fs := flags(e, "serve", "--trust DIR|MASTERLIST --listen ADDR [--tls-cert F --tls-key F] [--api-keys F] [--challenge-key-file F] [--policy NAME]")
	trust := fs.String("trust", "", "CSCA trust: a directory of certificates and CRLs, or a master list (reloaded on SIGHUP and every --reload)")
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	cert := fs.String("tls-cert", "", "TLS certificate chain (PEM); with --tls-key the server speaks HTTPS")
	key := fs.String("tls-key", "", "TLS private key (PEM)")
	clientCA := fs.String("client-ca", "", "CA certificates (PEM) of client certificates: clients may authenticate by mTLS")
	apiKeys := fs.String("api-keys", "", "API key file: lines \"CLIENT-ID sha256:HEX\" (the SHA-256 of each key; reloaded with the trust)")
	challengeKey := fs.String("challenge-key-file", "", "challenge HMAC keys, one per line in hex (32 bytes or more; the first issues): the same file on every replica")
	policy := fs.String("policy", server.PolicyBank, "policy of the verdicts: "+strings.Join(server.Policies, ", "))
	rate := fs.Float64("rate", 50, "requests per second per client (0: no limit)")
	burst := fs.Int("burst", 100, "burst of requests per client")
	reload := fs.Duration("reload", 10*time.Minute, "reload trust and API keys this often (0: only on SIGHUP)")
	anonymous := fs.Bool("allow-anonymous", false, "serve clients without an API key or client certificate (trials only)")
	debug := fs.Bool("debug", false, "debug logs")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if *trust == "" {
		return fmt.Errorf("%w: --trust is required", errUsage)
	}
	if _, err := presets.ByName(*policy); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if (*cert == "") != (*key == "") {
		return fmt.Errorf("%w: --tls-cert and --tls-key go together", errUsage)
	}
	if *clientCA != "" && *cert == "" {
		return fmt.Errorf("%w: --client-ca needs TLS (--tls-cert, --tls-key)", errUsage)
	}
	if *apiKeys == "" && *clientCA == "" && !*anonymous {
		return fmt.Errorf("%w: no client authentication: give --api-keys or --client-ca (or --allow-anonymous for a trial)", errUsage)
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level}))

	cfg := server.Config{
		TrustPath: *trust, APIKeysPath: *apiKeys, AllowAnonymous: *anonymous, Policy: *policy,
		RateLimit: *rate, Burst: *burst, ReloadEvery: *reload, Logger: log,
		Photo: photo.Converter{Tool: photo.LookTool()},
	}
	if cfg.Photo.Tool == "" {
		log.Warn("opj_decompress not found: JPEG 2000 faces will not be converted (Debian: libopenjp2-tools)")
	}
	if *challengeKey != "" {
		keys, err := readChallengeKeys(*challengeKey)
		if err != nil {
			return err
		}
		cfg.ChallengeKeys = keys
	} else {
		k := make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return err
		}
		cfg.ChallengeKeys = [][]byte{k}
		log.Warn("no --challenge-key-file: a random challenge key, so only this process accepts its challenges")
	}
	var tlsCfg *tls.Config
	if *cert != "" {
		c, err := tls.LoadX509KeyPair(*cert, *key)
		if err != nil {
			return err
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}
		if *clientCA != "" {
			b, err := readFileMax(*clientCA, maxCredentialSize)
			if err != nil {
				return err
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(b) {
				return fmt.Errorf("%s: no PEM certificate", *clientCA)
			}
			tlsCfg.ClientCAs, tlsCfg.ClientAuth = pool, tls.VerifyClientCertIfGiven
		}
	}
	srv, err := server.New(&cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for range hup {
			srv.Reload()
		}
	}()
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	log.Info("listening", "url", scheme+"://"+ln.Addr().String(), "policy", *policy, "pid", os.Getpid())
	return srv.Serve(e.ctx, ln, tlsCfg)
}

// readChallengeKeys reads hex keys, one per line ('#' comments).
func readChallengeKeys(path string) ([][]byte, error) {
	b, err := readFileMax(path, maxCredentialSize)
	if err != nil {
		return nil, err
	}
	var keys [][]byte
	for n, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, err := hex.DecodeString(string(line))
		if err != nil || len(k) < server.MinChallengeKeyLen {
			return nil, fmt.Errorf("%s line %d: want a key of %d bytes or more in hex", path, n+1, server.MinChallengeKeyLen)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no key", path)
	}
	return keys, nil
}
