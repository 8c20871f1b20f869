package server

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestSeenSetBounded: the memory of redeemed challenges holds at most max
// unexpired nonces, refuses beyond (never forgets one early), and frees
// them when they expire.
func TestSeenSetBounded(t *testing.T) {
	c := &challenges{ttl: time.Minute, rand: bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, 100)), seen: newSeenSet(3)}
	k, err := newChallengeKey(bytes.Repeat([]byte{7}, 32))
	require.NoError(t, err)
	c.keys = []challengeKey{k}
	now := time.Unix(1_800_000_000, 0)
	var toks []string
	for range 4 {
		ch, err := c.issue("bank", now)
		require.NoError(t, err)
		toks = append(toks, ch.Token)
	}
	for _, tok := range toks[:3] {
		_, err := c.redeem(tok, "bank", now)
		require.NoError(t, err)
	}
	_, err = c.redeem(toks[3], "bank", now)
	require.ErrorIs(t, err, ErrChallengeBusy)
	_, err = c.redeem(toks[0], "bank", now)
	require.ErrorIs(t, err, ErrChallengeReused)
	// Later, the remembered ones have expired: room again, and the
	// fourth (expired too by then) is refused as expired.
	later := now.Add(2 * time.Minute)
	_, err = c.redeem(toks[3], "bank", later)
	require.ErrorIs(t, err, ErrChallengeExpired)
	ch, err := c.issue("bank", later)
	require.NoError(t, err)
	_, err = c.redeem(ch.Token, "bank", later)
	require.NoError(t, err)
	require.Equal(t, 1, c.seen.len())
	_, err = c.redeem(ch.Token, "other", later)
	require.ErrorIs(t, err, ErrChallengeForeign)
}
