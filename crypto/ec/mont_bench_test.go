package ec

import (
	"math/big"
	"testing"
)

func BenchmarkFieldMul(b *testing.B) {
	c := BrainpoolP256r1()
	b.Run("mont", func(b *testing.B) {
		var x, y fe
		c.m.fromBig(&x, c.gx)
		c.m.fromBig(&y, c.gy)
		for b.Loop() {
			c.m.mul(&x, &x, &y)
		}
	})
	b.Run("big", func(b *testing.B) {
		f := newField(c)
		x, y := new(big.Int).Set(c.gx), new(big.Int).Set(c.gy)
		for b.Loop() {
			f.mul(x, x, y)
		}
	})
}
