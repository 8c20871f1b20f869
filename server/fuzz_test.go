package server

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzRedeem: any token is refused or accepted without a panic, and only
// a token this key made for this client is accepted.
func FuzzRedeem(f *testing.F) {
	k, err := newChallengeKey(bytes.Repeat([]byte{7}, 32))
	require.NoError(f, err)
	now := time.Unix(1_800_000_000, 0)
	c := &challenges{keys: []challengeKey{k}, ttl: time.Minute, rand: bytes.NewReader(bytes.Repeat([]byte{9}, 64)), seen: newSeenSet(1 << 16)}
	good, err := c.issue("bank", now)
	require.NoError(f, err)
	f.Add(good.Token)
	f.Add("")
	f.Add("AQ")
	f.Fuzz(func(t *testing.T, tok string) {
		c.seen = newSeenSet(16)
		nonce, err := c.redeem(tok, "bank", now)
		require.False(t, err == nil && (tok != good.Token || !bytes.Equal(nonce, good.Nonce)), "accepted a token this server did not make: %q", tok)
	})
}

// FuzzReadUpload: any body is parsed into an upload or refused, without a
// panic and within the part limits.
func FuzzReadUpload(f *testing.F) {
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"challenge\"\r\n\r\nAQ\r\n--b\r\nContent-Disposition: form-data; name=\"EF.SOD\"\r\n\r\nxx\r\n--b\r\nContent-Disposition: form-data; name=\"DG1\"\r\n\r\nyy\r\n--b--\r\n"))
	f.Add([]byte("--b--"))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/v1/verify", bytes.NewReader(body))
		r.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		u, err := readUpload(r)
		if err != nil {
			return
		}
		for f, b := range u.Files {
			require.NotEqual(t, 0, len(b), "%s: %d bytes", f, len(b))
			require.False(t, len(b) > f.MaxSize(), "%s: %d bytes", f, len(b))
		}
		require.False(t, len(u.Signature) > MaxSignatureLen, "signature or token out of bounds")
		require.NotEqual(t, "", u.Token, "signature or token out of bounds")
	})
}
