package hsm

import (
	"bytes"
	"fmt"
	"os"
)

// PIN is a token's user PIN. It prints, formats and marshals as
// "[redacted]", so that a Config in a log line or an error leaks nothing.
type PIN string

func (PIN) String() string                  { return "[redacted]" }
func (PIN) GoString() string                { return "hsm.PIN([redacted])" }
func (PIN) MarshalText() ([]byte, error)    { return []byte("[redacted]"), nil }
func (p PIN) Format(f fmt.State, verb rune) { fmt.Fprint(f, "[redacted]") }

// MaxPINFile bounds a PIN file.
const MaxPINFile = 256

// ReadPIN returns the PIN from the environment variable env or, when file
// is not empty, from the file (its first line; the file wins when both are
// given). Neither the PIN nor the variable's value ever enters an error.
func ReadPIN(env, file string) (PIN, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return "", &Error{Op: "read PIN file", Kind: ErrNoPIN, Err: err}
		}
		defer f.Close()
		b := make([]byte, MaxPINFile+1)
		n, _ := f.Read(b)
		if n > MaxPINFile {
			return "", &Error{Op: "read PIN file " + file, Kind: ErrNoPIN, Err: fmt.Errorf("longer than %d bytes", MaxPINFile)}
		}
		b = b[:n]
		if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
			b = b[:i]
		}
		if len(b) == 0 {
			return "", &Error{Op: "read PIN file " + file, Kind: ErrNoPIN, Err: fmt.Errorf("empty")}
		}
		return PIN(b), nil
	}
	if env == "" {
		return "", &Error{Op: "read PIN", Kind: ErrNoPIN, Err: fmt.Errorf("give a PIN file or an environment variable")}
	}
	p, ok := os.LookupEnv(env)
	if !ok || p == "" {
		return "", &Error{Op: "read PIN", Kind: ErrNoPIN, Err: fmt.Errorf("environment variable %s is not set", env)}
	}
	return PIN(p), nil
}
