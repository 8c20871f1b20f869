package cvc

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// FuzzParse: no panic; whatever parses re-encodes to the same body (the
// encoding is canonical) and parses again to the same values.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "openpace", "*.cvcert"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(b)
	}
	hexFiles, _ := filepath.Glob(filepath.Join("testdata", "ausweisapp", "*.hex"))
	for _, name := range hexFiles {
		b, err := os.ReadFile(name)
		require.NoError(f, err)
		raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
		require.NoError(f, err)
		f.Add(raw)
	}
	if h, err := NewHierarchy(&HierarchyConfig{Access: ReadDG3, Rand: pkitest.SeedReader("fuzz")}); err == nil {
		f.Add(h.IS.Raw)
		f.Add(h.CVCA.Raw)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			require.True(t, c == nil, "certificate with error")
			return
		}
		tm := Template{CAR: c.CAR, CHR: c.CHR, PublicKey: c.PublicKey, CHAT: c.CHAT, Effective: c.Effective, Expiry: c.Expiry, Extensions: c.Extensions}
		body, err := tm.MarshalBody()
		require.NoError(t, err, "parsed certificate does not encode")
		// Unsigned integers may carry leading zeros on input; the
		// encoder writes them minimal, so compare values after a
		// second parse.
		c2, err := ParseBody(body)
		require.NoError(t, err, "re-encoded body does not parse")
		body2, err := (&Template{CAR: c2.CAR, CHR: c2.CHR, PublicKey: c2.PublicKey, CHAT: c2.CHAT, Effective: c2.Effective, Expiry: c2.Expiry, Extensions: c2.Extensions}).MarshalBody()
		require.NoError(t, err, "encoding is not stable")
		require.True(t, bytes.Equal(body, body2), "encoding is not stable")
		require.Equal(t, c2.CAR, c.CAR, "values differ after a round trip")
		require.Equal(t, c2.CHR, c.CHR, "values differ after a round trip")
		require.True(t, c.CHAT.Equal(c2.CHAT), "values differ after a round trip")
		require.True(t, c.Effective.Equal(c2.Effective), "values differ after a round trip")
		require.True(t, c.Expiry.Equal(c2.Expiry), "values differ after a round trip")
		_ = c.VerifyData()
		_ = c.String()
	})
}
