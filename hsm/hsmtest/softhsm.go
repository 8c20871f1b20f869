// Package hsmtest gives tests a fresh SoftHSM2 token: its own SOFTHSM2_CONF
// and token directory in t.TempDir, initialized with softhsm2-util. It is
// pure Go (it runs softhsm2-util); the PKCS#11 module itself is loaded by
// package hsm.
//
// Without SoftHSM2 on the machine the test is skipped, except in CI
// (CI=true), where it fails: the HSM path must never pass unseen.
package hsmtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// Module is where Debian's softhsm2 package puts the PKCS#11 module.
const Module = "/usr/lib/softhsm/libsofthsm2.so"

// Token is an initialized SoftHSM2 token.
type Token struct {
	Module string // the PKCS#11 module
	Label  string
	PIN    string // user PIN
	SOPIN  string
	Conf   string // the SOFTHSM2_CONF file, already set in the environment
}

// Available reports whether SoftHSM2 is installed (module and tool).
func Available() bool {
	if _, err := os.Stat(Module); err != nil {
		return false
	}
	_, err := exec.LookPath("softhsm2-util")
	return err == nil
}

// Require skips the test when SoftHSM2 is not installed, or fails it in CI.
func Require(t testing.TB) {
	t.Helper()
	if Available() {
		return
	}
	msg := "SoftHSM2 is not installed (apt-get install -y --no-install-recommends softhsm2)"
	require.Empty(t, os.Getenv("CI"), msg+": required in CI")
	t.Skip(msg)
}

// New makes a configuration in a temporary directory, exports it as
// SOFTHSM2_CONF for the rest of the test (so the test cannot run in
// parallel) and initializes one token labelled label with user PIN pin.
func New(t testing.TB, label, pin string) *Token {
	t.Helper()
	Require(t)
	dir := t.TempDir()
	tokens := filepath.Join(dir, "tokens")
	require.NoError(t, os.Mkdir(tokens, 0o700))
	conf := filepath.Join(dir, "softhsm2.conf")
	body := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
	require.NoError(t, os.WriteFile(conf, []byte(body), 0o600))
	t.Setenv("SOFTHSM2_CONF", conf)
	tok := &Token{Module: Module, Label: label, PIN: pin, SOPIN: "so-" + pin, Conf: conf}
	tok.InitToken(t, label, pin)
	return tok
}

// InitToken initializes one more token in the same configuration.
func (tok *Token) InitToken(t testing.TB, label, pin string) {
	t.Helper()
	cmd := exec.Command("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", "so-"+pin)
	cmd.Env = append(os.Environ(), "SOFTHSM2_CONF="+tok.Conf)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "softhsm2-util --init-token:\n%s", out)
}
