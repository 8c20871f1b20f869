package main

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	stdout := os.Stdout
	os.Stdout = w
	runErr := run()
	os.Stdout = stdout
	require.NoError(t, w.Close())
	out, err := io.ReadAll(r)
	require.NoError(t, err)
	require.NoError(t, runErr)
	require.True(t, bytes.HasPrefix(out, []byte("DG1, 95 bytes: 61 5D 5F 1F 5A")), "%s", out)
	require.Contains(t, string(out), "5F1F (offset 2)")
}
