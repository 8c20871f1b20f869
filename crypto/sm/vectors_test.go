package sm

import (
	"bufio"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.NewReplacer(" ", "", "\n", "", "\t", "").Replace(s))
	require.NoError(t, err)
	return b
}

// vectors reads a testdata file of `name = hex` lines.
func vectors(t testing.TB, path string) map[string][]byte {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	out := map[string][]byte{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, val, ok := strings.Cut(line, "=")
		require.True(t, ok, "line %q", line)
		name = strings.TrimSpace(name)
		_, dup := out[name]
		require.False(t, dup, "duplicate %s", name)
		out[name] = unhex(t, strings.TrimSpace(val))
	}
	require.NoError(t, sc.Err())
	return out
}

func get(t testing.TB, v map[string][]byte, name string) []byte {
	t.Helper()
	b, ok := v[name]
	require.True(t, ok, "vector %s missing", name)
	return b
}
