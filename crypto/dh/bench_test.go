package dh

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkSharedSecret(b *testing.B) {
	for id := range 3 {
		g, _ := Standardized(id)
		b.Run(g.Name, func(b *testing.B) {
			k1, _ := g.GenerateKey(rand.NewChaCha8([32]byte{1}))
			k2, _ := g.GenerateKey(rand.NewChaCha8([32]byte{2}))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := k1.SharedSecret(k2.Public()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGenerateKey(b *testing.B) {
	g, _ := Standardized(2)
	r := rand.NewChaCha8([32]byte{1})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := g.GenerateKey(r); err != nil {
			b.Fatal(err)
		}
	}
}
