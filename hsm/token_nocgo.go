//go:build !cgo

package hsm

import (
	"crypto"
	"io"
)

// Token is an open PKCS#11 token; without cgo none can be opened.
type Token struct{}

// Open returns ErrNoCgo: PKCS#11 needs cgo.
func Open(cfg Config) (*Token, error) {
	return nil, &Error{Op: "open token " + cfg.Token, Kind: ErrNoCgo}
}

// Close does nothing.
func (t *Token) Close() error { return nil }

// Label is the token's label.
func (t *Token) Label() string { return "" }

// GenerateKey returns ErrNoCgo.
func (t *Token) GenerateKey(label string, kt KeyType) (*Key, error) {
	return nil, &Error{Op: "generate key", Kind: ErrNoCgo}
}

// Key returns ErrNoCgo.
func (t *Token) Key(label string) (*Key, error) { return nil, &Error{Op: "find key", Kind: ErrNoCgo} }

// Key is a key pair in a token; without cgo there is none.
type Key struct{}

// Public returns nil.
func (k *Key) Public() crypto.PublicKey { return nil }

// Sign returns ErrNoCgo.
func (k *Key) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, &Error{Op: "sign", Kind: ErrNoCgo}
}

// Label is empty.
func (k *Key) Label() string { return "" }
