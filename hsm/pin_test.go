package hsm_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/hsm"
)

const testPIN = "4711-secret-PIN"

func TestPINNeverPrinted(t *testing.T) {
	cfg := hsm.Config{Module: "/m.so", Token: "t", PIN: testPIN}
	for _, s := range []string{
		fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s %q", cfg, cfg, cfg, cfg, cfg),
		fmt.Sprintf("%v %+v %#v %s %q %x", cfg.PIN, cfg.PIN, cfg.PIN, cfg.PIN, cfg.PIN, cfg.PIN),
		fmt.Sprintf("%v %+v", &cfg, struct{ C hsm.Config }{cfg}),
	} {
		require.NotContains(t, s, testPIN)
		require.NotContains(t, s, fmt.Sprintf("%x", testPIN))
	}
	j, err := json.Marshal(cfg)
	require.NoError(t, err)
	require.NotContains(t, string(j), testPIN)
}

func TestReadPIN(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "pin")
	require.NoError(t, os.WriteFile(file, []byte(testPIN+"\n"), 0o600))
	t.Setenv("H18_TEST_PIN", testPIN)

	p, err := hsm.ReadPIN("H18_TEST_PIN", "")
	require.NoError(t, err)
	require.Equal(t, hsm.PIN(testPIN), p)
	p, err = hsm.ReadPIN("", file)
	require.NoError(t, err)
	require.Equal(t, hsm.PIN(testPIN), p)

	for _, tc := range []struct{ env, file, want string }{
		{"H18_UNSET_PIN", "", "H18_UNSET_PIN is not set"},
		{"", "", "give a PIN file or an environment variable"},
		{"", filepath.Join(dir, "absent"), "no such file"},
	} {
		_, err := hsm.ReadPIN(tc.env, tc.file)
		require.ErrorIs(t, err, hsm.ErrNoPIN)
		require.Contains(t, err.Error(), tc.want)
		require.False(t, strings.Contains(err.Error(), testPIN))
	}
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, []byte("\n"), 0o600))
	_, err = hsm.ReadPIN("", empty)
	require.ErrorIs(t, err, hsm.ErrNoPIN)
}
