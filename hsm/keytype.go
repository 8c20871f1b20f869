package hsm

import (
	"fmt"
	"strings"
)

// KeyType is the kind of key pair GenerateKey makes.
type KeyType int

// Key types. Brainpool keys go through the module directly (crypto11
// addresses only NIST curves and RSA).
const (
	P256 KeyType = iota + 1
	P384
	P521
	RSA2048
	RSA3072
	RSA4096
	BrainpoolP256r1
	BrainpoolP384r1
)

var keyTypeNames = map[KeyType]string{
	P256: "p256", P384: "p384", P521: "p521", RSA2048: "rsa2048", RSA3072: "rsa3072", RSA4096: "rsa4096",
	BrainpoolP256r1: "brainpoolP256r1", BrainpoolP384r1: "brainpoolP384r1",
}

func (k KeyType) String() string {
	if n, ok := keyTypeNames[k]; ok {
		return n
	}
	return fmt.Sprintf("KeyType(%d)", int(k))
}

// ParseKeyType reads a key type name as the cancuoc tool writes it: p256,
// p384, p521, rsa2048, rsa3072, rsa4096, brainpoolP256r1, brainpoolP384r1
// (case does not matter).
func ParseKeyType(s string) (KeyType, error) {
	for k, n := range keyTypeNames {
		if strings.EqualFold(n, s) {
			return k, nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want p256, p384, p521, rsa2048, rsa3072, rsa4096, brainpoolP256r1 or brainpoolP384r1)", ErrUnsupportedKey, s)
}
