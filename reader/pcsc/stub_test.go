//go:build !pcsc

package pcsc

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNotBuilt(t *testing.T) {
	t.Log("PC/SC support is left out of this build; see scripts/test, which adds -tags pcsc when libpcsclite-dev is installed")
	require.False(t, Built())
	_, err := Establish()
	require.ErrorIs(t, err, ErrNotBuilt)
	require.Contains(t, err.Error(), "libpcsclite-dev")
	var c *Context
	_, err = c.WaitForCard(context.Background(), "")
	require.ErrorIs(t, err, ErrNotBuilt)
}
