package reader

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLoadTerminalLimits: a missing file is named, and a credential that
// never ends (a device) is refused after MaxCredentialFile bytes.
func TestLoadTerminalLimits(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadTerminal(dir)
	require.ErrorIs(t, err, os.ErrNotExist)
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(dir, TerminalDVFile)))
	_, err = LoadTerminal(dir)
	require.ErrorIs(t, err, ErrCredentialTooLarge)
}
