package dh

import (
	"math/big"
	"testing"
)

// BenchmarkNewGroupHostile: the cost of validating explicit parameters
// that match no standardized group (a prime p of MaxPBits... here the
// 2048-bit group 2 with another generator, and a 4096-bit composite).
func BenchmarkNewGroupHostile(b *testing.B) {
	g, _ := Standardized(2)
	g2 := new(big.Int).Exp(g.G, big.NewInt(2), g.P)
	b.Run("2048-valid-nonstandard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewGroup(g.P, g2, g.Q); err != nil {
				b.Fatal(err)
			}
		}
	})
	comp := new(big.Int).Lsh(big.NewInt(1), MaxPBits-1)
	comp.Add(comp, big.NewInt(1))
	b.Run("4096-composite", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := NewGroup(comp, big.NewInt(2), nil); err == nil {
				b.Fatal("accepted a composite")
			}
		}
	})
}
