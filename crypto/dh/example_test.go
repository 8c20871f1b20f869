package dh_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"github.com/cancuoc/cancuoc/crypto/dh"
)

// A key agreement on the standardized group 2 (RFC 5114 section 2.3), as
// PACE with DH parameters performs it.
func ExampleGroup_GenerateKey() {
	g, err := dh.Standardized(2)
	if err != nil {
		panic(err)
	}
	// A fixed seed for a reproducible example; use crypto/rand.Reader.
	terminal, _ := g.GenerateKey(rand.NewChaCha8([32]byte{1}))
	chip, _ := g.GenerateKey(rand.NewChaCha8([32]byte{2}))

	// Each side receives the other's public value as bytes and validates it.
	chipPub, err := dh.NewPublicKey(g, chip.Public().Bytes())
	if err != nil {
		panic(err)
	}
	termPub, err := dh.NewPublicKey(g, terminal.Public().Bytes())
	if err != nil {
		panic(err)
	}
	z1, _ := terminal.SharedSecret(chipPub)
	z2, _ := chip.SharedSecret(termPub)
	fmt.Println(g.Name)
	fmt.Println(len(z1), bytes.Equal(z1, z2))
	// Output:
	// RFC 5114 2048-bit MODP Group with 256-bit Prime Order Subgroup
	// 256 true
}
