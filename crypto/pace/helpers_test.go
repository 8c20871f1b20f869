package pace

import (
	"bytes"
	"context"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

// loadVectors reads a testdata file of "name = hex" lines (internal/vectors).
func loadVectors(t testing.TB, name string) map[string][]byte {
	t.Helper()
	return vectors.LoadHex(t, filepath.Join("testdata", "icao9303-11", name))
}

// script is a transmitter that checks each command against the expected
// bytes and answers the recorded response.
type script struct {
	t     testing.TB
	cmds  [][]byte
	resps [][]byte
	n     int
}

func newScript(t testing.TB, v map[string][]byte, steps int) *script {
	s := &script{t: t}
	for i := 1; i <= steps; i++ {
		s.cmds = append(s.cmds, v["cmd"+string(rune('0'+i))])
		s.resps = append(s.resps, v["resp"+string(rune('0'+i))])
	}
	return s
}

func (s *script) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	s.t.Helper()
	require.Less(s.t, s.n, len(s.cmds), "extra command")
	b, err := cmd.Bytes()
	require.NoError(s.t, err)
	if s.cmds[s.n] != nil {
		require.Equal(s.t, strings.ToUpper(hex.EncodeToString(s.cmds[s.n])), strings.ToUpper(hex.EncodeToString(b)), "command %d", s.n+1)
	}
	r, err := apdu.ParseResponse(s.resps[s.n])
	require.NoError(s.t, err)
	s.n++
	return r, nil
}

// fixedRand returns the concatenation of its parts, then fails.
func fixedRand(parts ...[]byte) *bytes.Reader {
	return bytes.NewReader(bytes.Join(parts, nil))
}
