package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"io"
)

// SignConfig configures how this package signs certificates and CRLs
// (CreateCertificate, CreateCRL) and, inside SignedDataConfig, CMS. A nil
// *SignConfig means every default.
type SignConfig struct {
	// Hash is the message digest; SHA-256 when zero (the default).
	Hash crypto.Hash
	// PSS selects RSASSA-PSS for RSA keys (PKCS #1 v1.5 otherwise), with
	// MGF1 over Hash and a salt of SaltLength bytes (the hash size when
	// zero; use a negative value for an empty salt, which makes PSS
	// deterministic). Default: PKCS #1 v1.5.
	PSS        bool
	SaltLength int
	// Rand is passed to the signer. Unlike the protocols' configs, nil is
	// not simply crypto/rand (output must be reproducible when asked):
	// with crypto/ecdsa keys, a nil Rand
	// gives deterministic RFC 6979 signatures; RSA PKCS #1 v1.5 is always
	// deterministic. crypto/ec keys on other curves mix Rand (crypto/rand
	// when nil) into the RFC 6979 nonce: pass a fixed reader, or sign
	// through pkitest.DeterministicSigner, for reproducible output. PSS
	// needs randomness for its salt: crypto/rand is used when Rand is nil.
	Rand io.Reader
}

func (o *SignConfig) hash() crypto.Hash {
	if o == nil || o.Hash == 0 {
		return crypto.SHA256
	}
	return o.Hash
}

// signMessage signs msg with signer and returns the AlgorithmIdentifier
// and the signature.
func signMessage(signer crypto.Signer, config *SignConfig, msg []byte) (alg SignatureAlgorithm, sig []byte, err error) {
	if config == nil {
		config = &SignConfig{}
	}
	h := config.hash()
	if !h.Available() || HashOID(h) == nil {
		return alg, nil, fmt.Errorf("%w: hash %v", ErrUnsupportedAlgorithm, h)
	}
	scheme, salt, err := schemeFor(signer.Public(), config)
	if err != nil {
		return alg, nil, err
	}
	var sopts crypto.SignerOpts = h
	if scheme == RSAPSS {
		sopts = &rsa.PSSOptions{SaltLength: salt, Hash: h}
	}
	raw, err := marshalSignatureAlgorithm(scheme, h, salt)
	if err != nil {
		return alg, nil, err
	}
	alg = mustParseAlgorithm(raw)
	hh := h.New()
	hh.Write(msg)
	rnd := config.Rand
	if rnd == nil && scheme == RSAPSS {
		rnd = defaultRand()
	}
	sig, err = signer.Sign(rnd, hh.Sum(nil), sopts)
	if err != nil {
		return alg, nil, fmt.Errorf("pki: signing: %w", err)
	}
	return alg, sig, nil
}

func mustParseAlgorithm(raw []byte) SignatureAlgorithm {
	a, err := ParseSignatureAlgorithm(raw)
	if err != nil {
		panic("pki: own AlgorithmIdentifier does not parse: " + err.Error())
	}
	return a
}

// schemeFor chooses the signature scheme for a key type and the PSS salt
// length.
func schemeFor(pub crypto.PublicKey, config *SignConfig) (SignatureScheme, int, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		if !config.PSS {
			return RSAPKCS1v15, 0, nil
		}
		salt := config.SaltLength
		if salt == 0 {
			salt = config.hash().Size()
		} else if salt < 0 {
			salt = 0
		}
		return RSAPSS, salt, nil
	case *ecdsa.PublicKey, asn1Verifier:
		return ECDSA, 0, nil
	}
	return UnknownScheme, 0, fmt.Errorf("%w: signer with a %T key", ErrUnsupportedKey, pub)
}
