package server

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
)

// API keys are stored hashed: the file holds, per line, a client id and
// the SHA-256 of its key, never the key:
//
//	# client-id   sha256:hex of the key
//	bank-app      sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
//
// HashAPIKey (or `printf %s "$KEY" | sha256sum`) makes the second column.
// A client presents its key as "Authorization: Bearer KEY"; the server
// hashes it and compares the hash with every stored one in constant time.
type APIKeys struct {
	ids    []string
	hashes [][sha256.Size]byte
}

// ErrUnauthorized: no valid API key nor client certificate.
var ErrUnauthorized = errors.New("no valid API key or client certificate")

// MaxAPIKeyLen bounds a presented key.
const MaxAPIKeyLen = 256

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// HashAPIKey returns the form an API key is stored in: "sha256:" and the
// hex SHA-256 of the key.
func HashAPIKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(h[:])
}

// ParseAPIKeys reads an API key file (see APIKeys).
func ParseAPIKeys(r io.Reader) (*APIKeys, error) {
	k := &APIKeys{}
	sc := bufio.NewScanner(io.LimitReader(r, 4<<20))
	seen := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || !strings.HasPrefix(f[1], "sha256:") {
			return nil, fmt.Errorf("server: API keys line %d: want \"CLIENT-ID sha256:HEX\"", n)
		}
		if !clientIDPattern.MatchString(f[0]) {
			return nil, fmt.Errorf("server: API keys line %d: client id must be 1-64 of A-Z a-z 0-9 . _ @ -", n)
		}
		h, err := hex.DecodeString(strings.TrimPrefix(f[1], "sha256:"))
		if err != nil || len(h) != sha256.Size {
			return nil, fmt.Errorf("server: API keys line %d: not a SHA-256 in hex", n)
		}
		if seen[f[1]] {
			return nil, fmt.Errorf("server: API keys line %d: the same key hash twice", n)
		}
		seen[f[1]] = true
		k.ids = append(k.ids, f[0])
		k.hashes = append(k.hashes, [sha256.Size]byte(h))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("server: API keys: %w", err)
	}
	return k, nil
}

// MaxAPIKeysFileSize bounds an API key file (about 10,000 clients).
const MaxAPIKeysFileSize = 1 << 20

// ErrAPIKeysTooLarge is returned by LoadAPIKeys for a file larger than
// MaxAPIKeysFileSize (or one that never ends, such as a device).
var ErrAPIKeysTooLarge = errors.New("server: API key file too large")

// LoadAPIKeys reads an API key file, refusing one larger than
// MaxAPIKeysFileSize before reading it whole.
func LoadAPIKeys(path string) (*APIKeys, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxAPIKeysFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxAPIKeysFileSize {
		return nil, fmt.Errorf("%w: %s: more than %d bytes", ErrAPIKeysTooLarge, path, MaxAPIKeysFileSize)
	}
	return ParseAPIKeys(bytes.NewReader(b))
}

// Len is the number of keys.
func (k *APIKeys) Len() int { return len(k.ids) }

// lookup returns the client whose key this is. Every stored hash is
// compared, in constant time, whatever matches.
func (k *APIKeys) lookup(key string) (string, bool) {
	if k == nil || key == "" || len(key) > MaxAPIKeyLen {
		return "", false
	}
	h := sha256.Sum256([]byte(key))
	found := -1
	for i := range k.hashes {
		if subtle.ConstantTimeCompare(h[:], k.hashes[i][:]) == 1 {
			found = i
		}
	}
	if found < 0 {
		return "", false
	}
	return k.ids[found], true
}

// authenticate names the client of r: by its API key, else by the
// client certificate the TLS handshake verified ("cert:" and the
// certificate's common name).
func (s *Server) authenticate(r *http.Request) (string, error) {
	if a := r.Header.Get("Authorization"); a != "" {
		key, ok := strings.CutPrefix(a, "Bearer ")
		if !ok {
			return "", ErrUnauthorized
		}
		if id, ok := s.apiKeys().lookup(key); ok {
			return id, nil
		}
		return "", ErrUnauthorized
	}
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.VerifiedChains[0]) > 0 {
		cn := r.TLS.VerifiedChains[0][0].Subject.CommonName
		if clientIDPattern.MatchString(cn) {
			return "cert:" + cn, nil
		}
		return "", ErrUnauthorized
	}
	if s.cfg.AllowAnonymous {
		return "anonymous", nil
	}
	return "", ErrUnauthorized
}
