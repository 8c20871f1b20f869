package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/hsm"
)

// Defaults of the PKCS#11 flags.
const (
	defaultPINEnv  = "CANCUOC_PKCS11_PIN"
	defaultDSLabel = "cancuoc-ds"
	cscaLabel      = "cancuoc-csca"
	pkiPKCS11File  = "pkcs11.json" // in ds/: where the DS key is, instead of ds-key.pem
)

// pkcs11Flags are the flags that name a token and its PIN. The PIN is never
// a flag: it comes from an environment variable or a file.
type pkcs11Flags struct {
	module, token, keyLabel, pinEnv, pinFile *string
}

func addPKCS11Flags(fs *flag.FlagSet) *pkcs11Flags {
	return &pkcs11Flags{
		module:   fs.String("pkcs11", "", "PKCS#11 module of the HSM holding the Document Signer key (e.g. /usr/lib/softhsm/libsofthsm2.so)"),
		token:    fs.String("token", "", "label of the PKCS#11 token"),
		keyLabel: fs.String("key-label", defaultDSLabel, "label of the Document Signer key pair in the token"),
		pinEnv:   fs.String("pin-env", defaultPINEnv, "environment variable holding the token's user PIN"),
		pinFile:  fs.String("pin-file", "", "file holding the token's user PIN (first line); wins over --pin-env"),
	}
}

// set reports whether a token was asked for.
func (f *pkcs11Flags) set() bool { return *f.module != "" || *f.token != "" }

// config checks the flags and reads the PIN.
func (f *pkcs11Flags) config() (hsm.Config, error) {
	if *f.module == "" || *f.token == "" {
		return hsm.Config{}, fmt.Errorf("%w: --pkcs11 MODULE and --token LABEL go together", errUsage)
	}
	pin, err := hsm.ReadPIN(*f.pinEnv, *f.pinFile)
	if err != nil {
		return hsm.Config{}, err
	}
	return hsm.Config{Module: *f.module, Token: *f.token, PIN: pin}, nil
}

// pkcs11Ref is ds/pkcs11.json of a test PKI whose DS key is in a token:
// where the key is, never the PIN.
type pkcs11Ref struct {
	Module   string `json:"module"`
	Token    string `json:"token"`
	KeyLabel string `json:"key_label"`
}

func readPKCS11Ref(dir string) (*pkcs11Ref, error) {
	b, err := readFileMax(filepath.Join(dir, pkiDSDir, pkiPKCS11File), maxCredentialSize)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r pkcs11Ref
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", pkiPKCS11File, err)
	}
	return &r, nil
}

// fill takes the module, token and key label of a test PKI's reference for
// the flags not given.
func (f *pkcs11Flags) fill(r *pkcs11Ref) {
	if *f.module == "" {
		*f.module = r.Module
	}
	if *f.token == "" {
		*f.token = r.Token
	}
	if *f.keyLabel == defaultDSLabel && r.KeyLabel != "" {
		*f.keyLabel = r.KeyLabel
	}
}

// openPKCS11 opens the token of the flags.
func openPKCS11(f *pkcs11Flags) (*hsm.Token, error) {
	cfg, err := f.config()
	if err != nil {
		return nil, err
	}
	return hsm.Open(cfg)
}

// tokenSigner opens the token and finds the Document Signer key, checking
// that it is the key of cert.
func tokenSigner(f *pkcs11Flags, cert *pki.Certificate) (*hsm.Token, *hsm.Key, error) {
	tok, err := openPKCS11(f)
	if err != nil {
		return nil, nil, err
	}
	key, err := tok.Key(*f.keyLabel)
	if err != nil {
		tok.Close()
		return nil, nil, err
	}
	spki, err := pki.MarshalPublicKey(key.Public())
	if err != nil || !bytes.Equal(spki, cert.PublicKey.Raw) {
		tok.Close()
		return nil, nil, fmt.Errorf("key %q in token %q is not the key of the Document Signer certificate %s", *f.keyLabel, *f.token, cert.Subject)
	}
	return tok, key, nil
}
