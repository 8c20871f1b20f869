package ec

import (
	"crypto/ecdsa"
)

// PublicKeyFromECDSA converts a standard-library ECDSA public key (as
// crypto/x509 returns it for NIST-curve certificates) on P-224, P-256,
// P-384 or P-521.
func PublicKeyFromECDSA(pub *ecdsa.PublicKey) (*PublicKey, error) {
	if pub == nil || pub.Curve == nil {
		return nil, newError("from crypto/ecdsa", nil, ErrUnknownCurve)
	}
	c, err := ByName(pub.Curve.Params().Name)
	if err != nil {
		return nil, err
	}
	b, err := pub.Bytes()
	if err != nil {
		return nil, newError("from crypto/ecdsa", c, ErrInvalidEncoding)
	}
	return NewPublicKey(c, b)
}

// ECDSA returns the key as a standard-library ECDSA public key, for
// P-224, P-256, P-384 and P-521 (an ErrUnsupported error otherwise).
func (k *PublicKey) ECDSA() (*ecdsa.PublicKey, error) {
	c := k.point.c
	if c.stdECDSA == nil {
		return nil, newError("to crypto/ecdsa", c, ErrUnsupported)
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(c.stdECDSA, k.point.Bytes())
	if err != nil {
		return nil, newError("to crypto/ecdsa", c, ErrNotOnCurve)
	}
	return pub, nil
}
