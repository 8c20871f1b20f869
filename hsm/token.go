//go:build cgo

package hsm

import (
	"crypto"
	"crypto/elliptic"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ThalesGroup/crypto11"
	"github.com/miekg/pkcs11"

	"github.com/cancuoc/cancuoc/crypto/ec"
)

// Token is an open, logged-in PKCS#11 token. It is safe for concurrent use:
// each signature takes a session from a pool.
type Token struct {
	cfg Config
	ctx *crypto11.Context
	// direct is the module opened directly, for brainpool keys.
	directMu sync.Mutex
	direct   *direct
	closed   bool
}

// Open loads the module, finds the token by its label and logs in with the
// PIN.
func Open(cfg Config) (*Token, error) {
	op := fmt.Sprintf("open token %q", cfg.Token)
	if cfg.Module == "" {
		return nil, &Error{Op: op, Kind: ErrModule, Err: errors.New("no module path")}
	}
	if cfg.Token == "" {
		return nil, &Error{Op: op, Kind: ErrTokenNotFound, Err: errors.New("no token label")}
	}
	if cfg.PIN == "" {
		return nil, &Error{Op: op, Kind: ErrNoPIN}
	}
	ctx, err := crypto11.Configure(&crypto11.Config{
		Path: cfg.Module, TokenLabel: cfg.Token, Pin: string(cfg.PIN), MaxSessions: cfg.MaxSessions,
	})
	if err != nil {
		return nil, classify(op, err, cfg.PIN)
	}
	return &Token{cfg: cfg, ctx: ctx}, nil
}

// Close logs out and releases the module. Closing again does nothing.
func (t *Token) Close() error {
	t.directMu.Lock()
	if t.closed {
		t.directMu.Unlock()
		return nil
	}
	t.closed = true
	if t.direct != nil {
		t.direct.close()
		t.direct = nil
	}
	t.directMu.Unlock()
	if err := t.ctx.Close(); err != nil {
		return classify(fmt.Sprintf("close token %q", t.cfg.Token), err, t.cfg.PIN)
	}
	return nil
}

// Label is the token's label.
func (t *Token) Label() string { return t.cfg.Token }

// GenerateKey makes a key pair of type kt inside the token under label
// (CKA_LABEL and CKA_ID), private key sensitive and not extractable, and
// returns it as a signer. A key pair with that label must not exist yet.
// Brainpool keys are made when the token takes the curve (SoftHSM2 does);
// otherwise the error says the token does not (ErrUnsupportedKey).
func (t *Token) GenerateKey(label string, kt KeyType) (*Key, error) {
	op := fmt.Sprintf("generate %s key %q in token %q", kt, label, t.cfg.Token)
	if label == "" {
		return nil, &Error{Op: op, Kind: ErrKeyNotFound, Err: errors.New("no key label")}
	}
	if old, err := t.ctx.FindKeyPairs(nil, []byte(label)); err != nil {
		if strings.Contains(err.Error(), "unsupported elliptic curve") {
			// A key pair crypto11 cannot address (brainpool) has
			// the label.
			return nil, &Error{Op: op, Kind: ErrKeyExists}
		}
		return nil, classify(op, err, t.cfg.PIN)
	} else if len(old) > 0 {
		return nil, &Error{Op: op, Kind: ErrKeyExists}
	}
	pub, err := crypto11.NewAttributeSetWithIDAndLabel([]byte(label), []byte(label))
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrToken, Err: err}
	}
	priv := pub.Copy()
	// The private key: only for signing, never to be revealed or
	// wrapped, readable only after login.
	priv.AddIfNotPresent([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, false),
		pkcs11.NewAttribute(pkcs11.CKA_UNWRAP, false),
		pkcs11.NewAttribute(pkcs11.CKA_DERIVE, false),
	})
	var s crypto11.Signer
	switch kt {
	case P256, P384, P521:
		c := map[KeyType]elliptic.Curve{P256: elliptic.P256(), P384: elliptic.P384(), P521: elliptic.P521()}[kt]
		s, err = t.ctx.GenerateECDSAKeyPairWithAttributes(pub, priv, c)
	case RSA2048, RSA3072, RSA4096:
		bits := map[KeyType]int{RSA2048: 2048, RSA3072: 3072, RSA4096: 4096}[kt]
		s, err = t.ctx.GenerateRSAKeyPairWithAttributes(pub, priv, bits)
	case BrainpoolP256r1, BrainpoolP384r1:
		return t.generateBrainpool(op, label, kt)
	default:
		return nil, &Error{Op: op, Kind: ErrUnsupportedKey}
	}
	if err != nil {
		return nil, classify(op, err, t.cfg.PIN)
	}
	return &Key{label: label, token: t, s: s}, nil
}

// Key finds the key pair labelled label.
func (t *Token) Key(label string) (*Key, error) {
	op := fmt.Sprintf("find key %q in token %q", label, t.cfg.Token)
	s, err := t.ctx.FindKeyPairs(nil, []byte(label))
	if err != nil && strings.Contains(err.Error(), "unsupported elliptic curve") {
		// Perhaps a brainpool key, which crypto11 cannot address.
		k, berr := t.findBrainpool(label)
		if berr != nil {
			return nil, classify(op, berr, t.cfg.PIN)
		}
		if k != nil {
			return k, nil
		}
	}
	if err != nil {
		return nil, classify(op, err, t.cfg.PIN)
	}
	switch len(s) {
	case 0:
		return nil, &Error{Op: op, Kind: ErrKeyNotFound}
	case 1:
		return &Key{label: label, token: t, s: s[0]}, nil
	}
	return nil, &Error{Op: op, Kind: ErrToken, Err: fmt.Errorf("%d key pairs have this label", len(s))}
}

// Key is a key pair in a token: a crypto.Signer whose private key stays in
// the token. ECDSA signatures are DER, RSA signatures PKCS #1 v1.5 or PSS
// (with *rsa.PSSOptions), as crypto/ecdsa and crypto/rsa make them.
type Key struct {
	label string
	token *Token
	s     crypto11.Signer
	// A brainpool key, through the module directly.
	direct *direct
	priv   pkcs11.ObjectHandle
	pub    *ec.PublicKey
}

// Public returns the public key: *ecdsa.PublicKey, *rsa.PublicKey, or
// *ec.PublicKey for a brainpool key.
func (k *Key) Public() crypto.PublicKey {
	if k.s == nil {
		return k.pub
	}
	return k.s.Public()
}

// Sign asks the token to sign digest. rand is not used: the token makes
// its own randomness.
func (k *Key) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	var sig []byte
	var err error
	if k.s == nil {
		sig, err = k.signDirect(digest)
	} else {
		sig, err = k.s.Sign(rand, digest, opts)
	}
	if err != nil {
		return nil, classify(fmt.Sprintf("sign with key %q in token %q", k.label, k.token.cfg.Token), err, k.token.cfg.PIN)
	}
	return sig, nil
}

// Label is the key's CKA_LABEL.
func (k *Key) Label() string { return k.label }

// String names the key and its token.
func (k *Key) String() string {
	return fmt.Sprintf("hsm key %q in token %q", k.label, k.token.cfg.Token)
}

// classify turns an error of crypto11 or the module into an *Error with a
// sentinel. The PIN is cut out of any text, whatever the module wrote.
func classify(op string, err error, pin PIN) error {
	e := &Error{Op: op, Kind: ErrToken}
	var ckr pkcs11.Error
	if errors.As(err, &ckr) {
		e.Code = uint(ckr)
		switch ckr {
		case pkcs11.CKR_PIN_INCORRECT, pkcs11.CKR_PIN_INVALID, pkcs11.CKR_PIN_LEN_RANGE:
			e.Kind = ErrPINIncorrect
		case pkcs11.CKR_PIN_LOCKED:
			e.Kind = ErrPINLocked
		case pkcs11.CKR_USER_NOT_LOGGED_IN, pkcs11.CKR_OBJECT_HANDLE_INVALID:
			// After a logout the private key is hidden: SoftHSM2
			// answers a signature with CKR_OBJECT_HANDLE_INVALID.
			e.Kind = ErrLoggedOut
		case pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_DEVICE_REMOVED, pkcs11.CKR_SESSION_CLOSED,
			pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED, pkcs11.CKR_TOKEN_NOT_RECOGNIZED:
			e.Kind = ErrTokenRemoved
		case pkcs11.CKR_CURVE_NOT_SUPPORTED, pkcs11.CKR_DOMAIN_PARAMS_INVALID, pkcs11.CKR_MECHANISM_INVALID,
			pkcs11.CKR_KEY_SIZE_RANGE:
			e.Kind = ErrUnsupportedKey
		}
		return e
	}
	msg := err.Error()
	if pin != "" {
		msg = strings.ReplaceAll(msg, string(pin), "[redacted]")
	}
	switch {
	case strings.Contains(msg, "could not find PKCS#11 token"):
		e.Kind = ErrTokenNotFound
		return e
	case strings.Contains(msg, "failed to create module context"), strings.Contains(msg, "failed to open module"):
		e.Kind = ErrModule
	case strings.Contains(msg, "unsupported elliptic curve"):
		e.Kind = ErrUnsupportedKey
	}
	e.Err = errors.New(msg)
	return e
}
