package ec

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

func hexInt(t testing.TB, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 16)
	require.True(t, ok, "hex %q", s)
	return v
}
