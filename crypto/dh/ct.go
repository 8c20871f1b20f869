package dh

import (
	"math/big"
	"sync"

	"filippo.io/bigmod"
)

// Constant-time modular arithmetic for secret exponents and secret bases,
// through filippo.io/bigmod (the standard library's
// crypto/internal/fips140/bigmod, which crypto/rsa uses, published as a
// module): a fixed-window Montgomery exponentiation over a fixed number of
// words, whose time depends on the modulus and the exponent's length in
// bytes, never on their values. math/big's Exp is not constant time.

// moduli caches the Montgomery constants of recent moduli (the
// standardized groups, a card's explicit group); a few entries suffice.
var moduli struct {
	sync.Mutex
	m map[string]*bigmod.Modulus
}

const maxCachedModuli = 8

func modulus(p *big.Int) *bigmod.Modulus {
	key := string(p.Bytes())
	moduli.Lock()
	defer moduli.Unlock()
	if m, ok := moduli.m[key]; ok {
		return m
	}
	m, err := bigmod.NewModulus(p.Bytes())
	if err != nil {
		panic("dh: modulus: " + err.Error()) // p is odd and > 1 in every Group
	}
	if moduli.m == nil || len(moduli.m) >= maxCachedModuli {
		moduli.m = make(map[string]*bigmod.Modulus)
	}
	moduli.m[key] = m
	return m
}

// expCT returns base^e mod p for 0 <= base < p, with e written on exactly
// elen bytes (elen must hold e): the time depends on p and elen only.
func expCT(p, base, e *big.Int, elen int) *big.Int {
	m := modulus(p)
	b, err := bigmod.NewNat().SetBytes(base.Bytes(), m)
	if err != nil {
		panic("dh: base not reduced modulo p")
	}
	eb := e.FillBytes(make([]byte, elen))
	z := bigmod.NewNat().Exp(b, eb, m)
	clear(eb)
	return new(big.Int).SetBytes(z.Bytes(m))
}

// mulCT returns x*y mod p for x, y in [0, p-1], in constant time.
func mulCT(p, x, y *big.Int) *big.Int {
	m := modulus(p)
	a, err1 := bigmod.NewNat().SetBytes(x.Bytes(), m)
	b, err2 := bigmod.NewNat().SetBytes(y.Bytes(), m)
	if err1 != nil || err2 != nil {
		panic("dh: operand not reduced modulo p")
	}
	return new(big.Int).SetBytes(a.Mul(b, m).Bytes(m))
}

// exponentLen is the byte length of private exponents of g: that of q,
// or of p-1 without q.
func (g *Group) exponentLen() int { return (g.maxExponent().BitLen() + 7) / 8 }
