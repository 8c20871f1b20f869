package aa

import (
	"crypto"
	"crypto/rsa"
	"crypto/subtle"
	"errors"
	"io"
	"math/big"

	cryptorand "crypto/rand"
)

// Limits of the RSA keys this package accepts. ICAO Doc 9303-12 asks for
// 1024 bits at least (older documents) and issuers use up to 4096 bits;
// 8192 bits bounds the work a hostile DG15 can cause.
const (
	MinRSABits = 1024
	MaxRSABits = 8192
)

// checkRSAPublic checks that pub is an RSA key this package works with.
// The modulus must be a whole number of bytes: the message representative
// of ISO/IEC 9796-2 is then the byte string F, whose first bits '01' keep
// it below the modulus.
func checkRSAPublic(pub *rsa.PublicKey, minBits int) string {
	if pub == nil || pub.N == nil || pub.N.Sign() <= 0 {
		return "no modulus"
	}
	bits := pub.N.BitLen()
	switch {
	case bits < minBits || bits > MaxRSABits:
		return "modulus size"
	case bits%8 != 0:
		return "modulus not a multiple of 8 bits"
	case pub.N.Bit(0) == 0:
		return "even modulus"
	case pub.E < 3 || pub.E%2 == 0:
		return "public exponent"
	}
	return ""
}

// recoverRSA opens an ISO/IEC 9796-2 scheme 1 signature: J = Σ^e mod n,
// parsed as the representative F. The signature is Σ = F^d mod n, or
// min(Σ, n - Σ), which ISO/IEC 9796-2 allows: J is taken when it ends with
// the nibble 'C' of the trailer, n - J otherwise (n is odd, so exactly one
// of J and n - J is even). implicit is the hash of the trailer 'BC'. On
// failure it returns the name of what is wrong.
func recoverRSA(pub *rsa.PublicKey, sig []byte, implicit crypto.Hash) (*representative, string) {
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) != k {
		return nil, "signature length"
	}
	s := new(big.Int).SetBytes(sig)
	if s.Sign() == 0 || s.Cmp(pub.N) >= 0 {
		return nil, "signature out of range"
	}
	j := s.Exp(s, big.NewInt(int64(pub.E)), pub.N)
	if j.Sign() == 0 || j.Bits()[0]&0x0F != 0x0C {
		j.Sub(pub.N, j)
		if j.Bits()[0]&0x0F != 0x0C {
			return nil, "trailer"
		}
	}
	return parseRepresentative(j.FillBytes(make([]byte, k)), implicit)
}

// verifyRSA recovers the representative of sig and checks it against m2,
// the non-recoverable part of the message (see representative.check).
func verifyRSA(pub *rsa.PublicKey, m2, sig []byte, implicit crypto.Hash) (*representative, string) {
	r, bad := recoverRSA(pub, sig, implicit)
	if bad != "" {
		return nil, bad
	}
	if bad := r.check(m2); bad != "" {
		return nil, bad
	}
	return r, ""
}

var errRSAFault = errors.New("RSA private-key operation failed its check")

// rsaPrivate computes f^d mod n with the key's CRT values when it has
// them, blinded by a random r (f*r^e, then the result times r^-1), and
// checks the result with the public exponent before returning it (a
// fault in the CRT computation would otherwise hand out a factor of n).
//
// math/big is not constant time: the blinding hides the message from
// timing, but the exponentiation's timing and memory access still depend
// on the private exponent. This is the simulator's and the tests' chip;
// a real chip does this in its cryptographic coprocessor.
func rsaPrivate(priv *rsa.PrivateKey, f []byte, rand io.Reader) ([]byte, error) {
	n := priv.N
	k := (n.BitLen() + 7) / 8
	m := new(big.Int).SetBytes(f)
	if m.Cmp(n) >= 0 {
		return nil, errRSAFault
	}
	e := big.NewInt(int64(priv.E))

	// Blinding factor r in [1, n-1] with an inverse mod n.
	var r, rInv *big.Int
	for range 16 {
		x, err := cryptorand.Int(rand, n)
		if err != nil {
			return nil, err
		}
		if x.Sign() == 0 {
			continue
		}
		if rInv = new(big.Int).ModInverse(x, n); rInv != nil {
			r = x
			break
		}
	}
	if r == nil {
		return nil, errRSAFault
	}
	c := new(big.Int).Exp(r, e, n)
	c.Mul(c, m).Mod(c, n)

	var x *big.Int
	pre := priv.Precomputed
	if len(priv.Primes) == 2 && pre.Dp != nil && pre.Dq != nil && pre.Qinv != nil {
		p, q := priv.Primes[0], priv.Primes[1]
		m1 := new(big.Int).Exp(c, pre.Dp, p)
		m2 := new(big.Int).Exp(c, pre.Dq, q)
		h := m1.Sub(m1, m2)
		h.Mul(h, pre.Qinv).Mod(h, p)
		x = h.Mul(h, q).Add(h, m2)
	} else {
		x = new(big.Int).Exp(c, priv.D, n)
	}
	x.Mul(x, rInv).Mod(x, n)

	// Check: x^e = m.
	chk := new(big.Int).Exp(x, e, n)
	if subtle.ConstantTimeCompare(chk.FillBytes(make([]byte, k)), m.FillBytes(make([]byte, k))) != 1 {
		return nil, errRSAFault
	}
	return x.FillBytes(make([]byte, k)), nil
}

// minimal returns min(s, n - s) as k bytes, the signature form of
// ISO/IEC 9796-2 for which verifyRSA also looks at n - J.
func minimal(n *big.Int, sig []byte) []byte {
	s := new(big.Int).SetBytes(sig)
	t := new(big.Int).Sub(n, s)
	if t.Cmp(s) < 0 {
		s = t
	}
	return s.FillBytes(make([]byte, len(sig)))
}
