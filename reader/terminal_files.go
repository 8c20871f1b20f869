package reader

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/cvc"
)

// Files of an inspection system's credentials in a directory, as
// 'cancuoc pki init' writes them under eac/.
const (
	TerminalDVFile  = "dv.cvcert"  // the Document Verifier's CV certificate
	TerminalISFile  = "is.cvcert"  // the inspection system's CV certificate
	TerminalKeyFile = "is-key.der" // its private key (PKCS#8, or RFC 5915 for brainpool)
)

// MaxCredentialFile bounds each credential file LoadTerminal reads: a CV
// certificate or a key is a few hundred bytes.
const MaxCredentialFile = 1 << 20

// ErrCredentialTooLarge: a credential file is larger than MaxCredentialFile (or
// is a device that never ends).
var ErrCredentialTooLarge = errors.New("reader: credential file too large")

// LoadTerminal reads an inspection system's credentials for Terminal
// Authentication from dir: TerminalDVFile, TerminalISFile and
// TerminalKeyFile. An HSM-held key needs a Terminal built by hand instead.
func LoadTerminal(dir string) (*Terminal, error) {
	var chain []*cvc.Certificate
	for _, name := range []string{TerminalDVFile, TerminalISFile} {
		b, err := readCredential(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		c, err := cvc.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		chain = append(chain, c)
	}
	kb, err := readCredential(filepath.Join(dir, TerminalKeyFile))
	if err != nil {
		return nil, err
	}
	key, err := aa.ParsePrivateKey(kb)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", TerminalKeyFile, err)
	}
	return &Terminal{Chain: chain, Signer: key}, nil
}

// readCredential reads a whole file of at most MaxCredentialFile bytes,
// refusing a larger one before reading it whole.
func readCredential(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxCredentialFile+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(b) > MaxCredentialFile {
		return nil, fmt.Errorf("%s: %w: more than the %d bytes it may have", path, ErrCredentialTooLarge, MaxCredentialFile)
	}
	return b, nil
}
