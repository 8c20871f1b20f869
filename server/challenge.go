package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cancuoc/cancuoc/crypto/aa"
)

// A challenge is stateless: the token handed to the client carries the
// nonce the chip signs (aa.ChallengeSize bytes), its expiry and the key
// that made it, under an HMAC-SHA-256 that also covers the client's
// identity. Any replica holding the same challenge key checks it without
// asking anyone.
//
//	token = base64url( version(1) | keyID(4) | nonce(8) | expiry(8, Unix seconds, big endian) | mac(32) )
//	mac   = HMAC-SHA-256(key, "cancuoc challenge" | version | keyID | nonce | expiry | len(client)(1) | client)
const (
	tokenVersion = 1
	tokenLen     = 1 + 4 + aa.ChallengeSize + 8 + sha256.Size
	// MinChallengeKeyLen is the shortest challenge key accepted: 256 bits.
	MinChallengeKeyLen = 32
)

// Errors of a challenge redeemed with an upload. Each is a clear refusal:
// the client asks for a new challenge and has the chip sign it.
var (
	ErrChallengeMalformed = errors.New("challenge token malformed")
	// ErrChallengeUnknownKey: the token was made with a challenge key this
	// server does not hold (another deployment, or a key rotated out).
	ErrChallengeUnknownKey = errors.New("challenge issued under a key this server does not hold")
	// ErrChallengeForeign: the MAC does not verify for this client: the
	// token was issued to another client, or altered.
	ErrChallengeForeign = errors.New("challenge issued to another client or altered")
	ErrChallengeExpired = errors.New("challenge expired")
	// ErrChallengeReused: this replica has already accepted the token.
	ErrChallengeReused = errors.New("challenge already used")
	// ErrChallengeBusy: the replica's memory of used challenges is full;
	// it refuses rather than accept a challenge it could not remember.
	ErrChallengeBusy = errors.New("too many challenges in flight")
)

// challengeKey is one HMAC key and its identifier.
type challengeKey struct {
	id  [4]byte
	key []byte
}

func newChallengeKey(key []byte) (challengeKey, error) {
	if len(key) < MinChallengeKeyLen {
		return challengeKey{}, fmt.Errorf("server: challenge key of %d bytes, want at least %d", len(key), MinChallengeKeyLen)
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("cancuoc challenge key id"))
	var k challengeKey
	copy(k.id[:], m.Sum(nil))
	k.key = append([]byte(nil), key...)
	return k, nil
}

// Challenge is what POST /v1/challenge returns.
type Challenge struct {
	// Token goes back with the upload, unchanged.
	Token string `json:"token"`
	// Nonce is what the chip signs with Active Authentication (INTERNAL
	// AUTHENTICATE's data field): aa.ChallengeSize bytes, base64.
	Nonce     []byte    `json:"nonce"`
	ExpiresAt time.Time `json:"expires_at"`
}

// challenges issues and redeems challenges.
type challenges struct {
	keys []challengeKey // keys[0] issues, all verify
	ttl  time.Duration
	rand io.Reader
	seen *seenSet
}

func (c *challenges) mac(k challengeKey, body []byte, client string) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte("cancuoc challenge"))
	m.Write(body)
	m.Write([]byte{byte(len(client))})
	m.Write([]byte(client))
	return m.Sum(nil)
}

// issue makes a challenge for client, valid until now+ttl.
func (c *challenges) issue(client string, now time.Time) (Challenge, error) {
	if len(client) > 255 {
		return Challenge{}, errors.New("server: client id too long")
	}
	k := c.keys[0]
	b := make([]byte, 0, tokenLen)
	b = append(b, tokenVersion)
	b = append(b, k.id[:]...)
	nonce := make([]byte, aa.ChallengeSize)
	if _, err := io.ReadFull(c.rand, nonce); err != nil {
		return Challenge{}, err
	}
	b = append(b, nonce...)
	exp := now.Add(c.ttl).Truncate(time.Second)
	b = binary.BigEndian.AppendUint64(b, uint64(exp.Unix()))
	b = append(b, c.mac(k, b, client)...)
	return Challenge{Token: base64.RawURLEncoding.EncodeToString(b), Nonce: nonce, ExpiresAt: exp.UTC()}, nil
}

// redeem checks a token presented by client at now and marks it used on
// this replica. It returns the nonce the chip must have signed.
func (c *challenges) redeem(token, client string, now time.Time) ([]byte, error) {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenLen) {
		return nil, ErrChallengeMalformed
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != tokenLen || b[0] != tokenVersion {
		return nil, ErrChallengeMalformed
	}
	body, tag := b[:tokenLen-sha256.Size], b[tokenLen-sha256.Size:]
	var k *challengeKey
	for i := range c.keys {
		if hmac.Equal(c.keys[i].id[:], body[1:5]) {
			k = &c.keys[i]
		}
	}
	if k == nil {
		return nil, ErrChallengeUnknownKey
	}
	if !hmac.Equal(c.mac(*k, body, client), tag) {
		return nil, ErrChallengeForeign
	}
	nonce := body[5 : 5+aa.ChallengeSize]
	exp := time.Unix(int64(binary.BigEndian.Uint64(body[5+aa.ChallengeSize:])), 0)
	if !now.Before(exp) {
		return nil, fmt.Errorf("%w at %s", ErrChallengeExpired, exp.UTC().Format(time.RFC3339))
	}
	if exp.Sub(now) > c.ttl+time.Minute {
		// Made by a replica whose clock or ttl differs wildly: the
		// seen-set would have to remember it too long.
		return nil, fmt.Errorf("%w: expiry too far ahead", ErrChallengeMalformed)
	}
	var n [aa.ChallengeSize]byte
	copy(n[:], nonce)
	if err := c.seen.add(n, exp, now); err != nil {
		return nil, err
	}
	return append([]byte(nil), nonce...), nil
}

// seenSet remembers the nonces this replica accepted until they expire:
// a second redemption here is refused. Its size is bounded by max (the
// rate of redemptions times the ttl); when full of unexpired nonces it
// refuses new ones rather than forget.
type seenSet struct {
	mu   sync.Mutex
	m    map[[aa.ChallengeSize]byte]int64 // nonce -> expiry (Unix seconds)
	max  int
	next int64 // the next sweep, Unix seconds
}

func newSeenSet(max int) *seenSet {
	return &seenSet{m: map[[aa.ChallengeSize]byte]int64{}, max: max}
}

func (s *seenSet) add(n [aa.ChallengeSize]byte, exp, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := now.Unix()
	if t >= s.next || len(s.m) >= s.max {
		for k, e := range s.m {
			if e <= t {
				delete(s.m, k)
			}
		}
		s.next = t + 10
	}
	if e, ok := s.m[n]; ok && e > t {
		return ErrChallengeReused
	}
	if len(s.m) >= s.max {
		return ErrChallengeBusy
	}
	s.m[n] = exp.Unix()
	return nil
}

func (s *seenSet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
