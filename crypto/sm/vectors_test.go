package sm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func get(t testing.TB, v map[string][]byte, name string) []byte {
	t.Helper()
	b, ok := v[name]
	require.True(t, ok, "vector %s missing", name)
	return b
}
