//go:build !cgo

package hsm_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/hsm"
)

// TestNoCgo: built without cgo, opening a token says why it cannot
// (CGO_ENABLED=0 go test ./hsm).
func TestNoCgo(t *testing.T) {
	_, err := hsm.Open(hsm.Config{Module: "/usr/lib/softhsm/libsofthsm2.so", Token: "t", PIN: "1234"})
	require.ErrorIs(t, err, hsm.ErrNoCgo)
	require.True(t, hsm.TokenFailure(err))
	require.Contains(t, err.Error(), "CGO_ENABLED=1")
	require.NotContains(t, err.Error(), "1234")
}
