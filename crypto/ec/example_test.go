package ec_test

import (
	"crypto"
	"crypto/sha256"
	"fmt"
	"math/big"
	"math/rand/v2"

	"github.com/cancuoc/cancuoc/crypto/ec"
)

// ECDH on the curve PACE announces as standardized domain parameters 13
// (brainpoolP256r1).
func ExamplePrivateKey_ECDH() {
	c, err := ec.Standardized(13)
	if err != nil {
		panic(err)
	}
	// Fixed seeds for a reproducible example; use crypto/rand.Reader.
	terminal, _ := ec.GenerateKey(c, rand.NewChaCha8([32]byte{1}))
	chip, _ := ec.GenerateKey(c, rand.NewChaCha8([32]byte{2}))

	// The chip's public key arrives as an uncompressed point.
	z1, err := terminal.ECDHPoint(chip.PublicKey.Bytes())
	if err != nil {
		panic(err)
	}
	z2, _ := chip.ECDH(&terminal.PublicKey)
	fmt.Println(c.Name(), len(z1), string(z1) == string(z2))
	// Output: brainpoolP256r1 32 true
}

// PACE Generic Mapping: after a first ECDH gives the shared point H, both
// sides map the nonce s to the new generator G' = s*G + H and run a second
// key agreement with ephemeral keys on G'.
func ExampleCurve_WithGenerator() {
	c := ec.BrainpoolP256r1()
	terminal, _ := ec.GenerateKey(c, rand.NewChaCha8([32]byte{3}))
	chip, _ := ec.GenerateKey(c, rand.NewChaCha8([32]byte{4}))
	h1, _ := terminal.SharedPoint(&chip.PublicKey)
	h2, _ := chip.SharedPoint(&terminal.PublicKey)

	s := new(big.Int).SetBytes([]byte("nonce from the chip"))
	g1 := c.MulAdd(s, big.NewInt(1), h1) // s*G + H
	g2 := c.ScalarBaseMult(s).Add(h2)    // the same, step by step
	fmt.Println(g1.Equal(g2))

	// Ephemeral keys on the mapped curve, then the second ECDH.
	mapped, err := c.WithGenerator(g1)
	if err != nil {
		panic(err)
	}
	kt, _ := ec.GenerateKey(mapped, rand.NewChaCha8([32]byte{5}))
	kc, _ := ec.GenerateKey(mapped, rand.NewChaCha8([32]byte{6}))
	z1, _ := kt.ECDHPoint(kc.PublicKey.Bytes())
	z2, _ := kc.ECDHPoint(kt.PublicKey.Bytes())
	fmt.Println(len(z1), string(z1) == string(z2))
	// Output:
	// true
	// 32 true
}

// Deterministic ECDSA (RFC 6979) in the plain r || s format that Active
// Authentication uses, then verification.
func ExamplePrivateKey_SignDeterministic() {
	c := ec.BrainpoolP256r1()
	key, _ := ec.NewPrivateKey(c, []byte("a test key, not a secret at all"))
	digest := sha256.Sum256([]byte("challenge"))
	r, s, err := key.SignDeterministic(digest[:], crypto.SHA256)
	if err != nil {
		panic(err)
	}
	sig, _ := ec.EncodeSignaturePlain(c, r, s)
	fmt.Println(len(sig), key.PublicKey.VerifyPlain(digest[:], sig))
	// Output: 64 true
}

// A brainpoolP512r1 key with explicit parameters, as in a CSCA
// certificate, parses back to the named curve.
func ExampleParseSubjectPublicKeyInfo() {
	key, _ := ec.GenerateKey(ec.BrainpoolP512r1(), rand.NewChaCha8([32]byte{5}))
	der, _ := ec.MarshalSubjectPublicKeyInfo(&key.PublicKey, true)
	pub, explicit, err := ec.ParseSubjectPublicKeyInfo(der)
	if err != nil {
		panic(err)
	}
	id, _ := pub.Curve().StandardizedID()
	fmt.Println(pub.Curve().Name(), explicit, id)
	// Output: brainpoolP512r1 true 17
}
