package hsm

import "fmt"

// Config names a token.
type Config struct {
	// Module is the path of the PKCS#11 module, e.g.
	// /usr/lib/softhsm/libsofthsm2.so.
	Module string
	// Token is the token's label.
	Token string
	// PIN is the user PIN (see ReadPIN).
	PIN PIN
	// MaxSessions bounds the sessions opened at once (signing workers);
	// crypto11's default (1024) when zero.
	MaxSessions int
}

// String names the module and the token, never the PIN.
func (c Config) String() string {
	return fmt.Sprintf("hsm.Config{module: %s, token: %q, pin: [redacted]}", c.Module, c.Token)
}

// GoString is String.
func (c Config) GoString() string { return c.String() }
