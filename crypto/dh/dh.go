package dh

import (
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
)

// Size limits on group parameters.
const (
	// MinPBits is the smallest modulus accepted from explicit parameters.
	MinPBits = 1024
	// MinQBits is the smallest subgroup order accepted from explicit
	// parameters (the 160 bits of the RFC 5114 1024-bit group).
	MinQBits = 160
	// MaxPBits is the largest modulus accepted. BSI TR-03110 and ICAO
	// Doc 9303 use 1024- and 2048-bit groups; the bound keeps the cost of
	// validating hostile explicit parameters (primality tests, g^q) in the
	// tens of milliseconds.
	MaxPBits = 4096
)

const primeRounds = 8

// Group is a finite-field Diffie-Hellman group: the multiplicative group
// modulo the prime P with generator G of prime order Q (nil when the
// parameters do not say, as in PKCS #3). Treat a Group as immutable once
// in use; Standardized returns a fresh copy on each call.
type Group struct {
	P, G, Q *big.Int
	// Name is "RFC 5114 ..." for the standardized groups, empty otherwise.
	Name string

	// safePrime: p = 2*((p-1)/2) + 1 with (p-1)/2 prime, and Q nil because
	// G generates the whole group of order p-1 (set by NewGroup).
	safePrime bool
}

// Standardized returns the group of a standardized domain parameter
// identifier of BSI TR-03110 part 3 / ICAO Doc 9303 part 11: 0, 1 and 2
// are the RFC 5114 groups of sections 2.1 (1024-bit p, 160-bit q), 2.2
// (2048/224) and 2.3 (2048/256). Identifiers 8 to 18 are elliptic curves
// (package crypto/ec).
func Standardized(id int) (*Group, error) {
	if id < 0 || id >= len(rfc5114) {
		return nil, newError(fmt.Sprintf("standardized domain parameters %d", id), ErrUnknownGroup)
	}
	s := rfc5114[id]
	return &Group{P: mustHex(s.p), G: mustHex(s.g), Q: mustHex(s.q), Name: "RFC 5114 " + s.name}, nil
}

func mustHex(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("dh: bad built-in constant")
	}
	return v
}

// StandardizedID returns the standardized identifier of a group equal to
// one of the RFC 5114 groups.
func (g *Group) StandardizedID() (int, bool) {
	for id := range rfc5114 {
		s, _ := Standardized(id)
		if g.Equal(s) {
			return id, true
		}
	}
	return 0, false
}

// Equal reports whether g and h have the same P, G and Q.
func (g *Group) Equal(h *Group) bool {
	if g == h {
		return true
	}
	if g == nil || h == nil || g.P.Cmp(h.P) != 0 || g.G.Cmp(h.G) != 0 {
		return false
	}
	if g.Q == nil || h.Q == nil {
		return g.Q == nil && h.Q == nil
	}
	return g.Q.Cmp(h.Q) == 0
}

// ByteLen returns the length in bytes of p, and so of public values and
// shared secrets.
func (g *Group) ByteLen() int { return (g.P.BitLen() + 7) / 8 }

// NewGroup validates explicit parameters: p an odd probable prime of
// MinPBits to MaxPBits bits, 1 < g < p-1, and when q is given: q a
// probable prime of at least MinQBits bits dividing p-1 with g^q = 1 mod
// p. Without q, p must be a safe prime (p = 2q' + 1, q' prime; an
// ErrNoSubgroupOrder error otherwise), and when g is of order q' the group
// gets Q = q'. It returns the standardized group when the parameters equal
// one (with its q, even when q is nil).
func NewGroup(p, g, q *big.Int) (*Group, error) {
	const op = "explicit group"
	if p == nil || g == nil {
		return nil, newError(op+": missing parameter", ErrInvalidGroup)
	}
	if p.BitLen() > MaxPBits || (q != nil && q.BitLen() > MaxPBits) {
		return nil, newError(op, ErrTooLarge)
	}
	if p.BitLen() < MinPBits || p.Bit(0) == 0 {
		return nil, newError(op+": modulus size", ErrInvalidGroup)
	}
	pm1 := new(big.Int).Sub(p, big.NewInt(1))
	if g.Cmp(big.NewInt(1)) <= 0 || g.Cmp(pm1) >= 0 {
		return nil, newError(op+": generator out of range", ErrInvalidGroup)
	}
	grp := &Group{P: new(big.Int).Set(p), G: new(big.Int).Set(g)}
	if q != nil {
		grp.Q = new(big.Int).Set(q)
		if q.Sign() <= 0 || q.Cmp(p) >= 0 || new(big.Int).Mod(pm1, q).Sign() != 0 {
			return nil, newError(op+": q does not divide p-1", ErrInvalidGroup)
		}
	}
	for id := range rfc5114 {
		s, _ := Standardized(id)
		if s.P.Cmp(p) == 0 && s.G.Cmp(g) == 0 && (q == nil || s.Q.Cmp(q) == 0) {
			return s, nil // with its q, even when the caller did not give it
		}
	}
	// Baillie-PSW plus 8 Miller-Rabin rounds with random bases: no known
	// composite passes Baillie-PSW, and the cost stays bounded.
	if !p.ProbablyPrime(primeRounds) {
		return nil, newError(op+": p is not prime", ErrInvalidGroup)
	}
	if q == nil {
		// Without q, the peer's value can only be checked against the
		// subgroup when p is a safe prime (p = 2q + 1, q prime): its
		// subgroups then have order 1, 2, q and 2q, and excluding 1 and
		// p-1 leaves at least q elements. Otherwise p-1 may have small
		// factors, and a value of small order would reveal the private
		// key modulo that order (Lim and Lee, CRYPTO 1997).
		sq := new(big.Int).Rsh(p, 1)
		if !sq.ProbablyPrime(primeRounds) {
			return nil, newError(op+": no q, and p is not a safe prime", ErrNoSubgroupOrder)
		}
		if new(big.Int).Exp(g, sq, p).Cmp(big.NewInt(1)) == 0 {
			grp.Q = sq // g generates the subgroup of order q: check against it
		} else {
			grp.safePrime = true // g of order 2q: values other than 1 and p-1 are safe
		}
		return grp, nil
	}
	if !q.ProbablyPrime(primeRounds) {
		return nil, newError(op+": q is not prime", ErrInvalidGroup)
	}
	if new(big.Int).Exp(g, q, p).Cmp(big.NewInt(1)) != 0 {
		return nil, newError(op+": g is not of order q", ErrInvalidGroup)
	}
	if q.BitLen() < MinQBits {
		return nil, newError(op+": q is too small", ErrWeakGroup)
	}
	return grp, nil
}

// ValidatePublic checks a peer's public value y: 1 < y < p-1 and, when q
// is known, y^q = 1 mod p (NIST SP 800-56A section 5.6.2.3.1, the check
// BSI TR-03110 asks a chip to make on the terminal's ephemeral key).
func (g *Group) ValidatePublic(y *big.Int) error {
	pm1 := new(big.Int).Sub(g.P, big.NewInt(1))
	if y == nil || y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(pm1) >= 0 {
		return newError("public value", ErrInvalidPublic)
	}
	if g.Q != nil && new(big.Int).Exp(y, g.Q, g.P).Cmp(big.NewInt(1)) != 0 {
		return newError("public value: not in the order-q subgroup", ErrInvalidPublic)
	}
	if g.Q == nil && !g.safePrime {
		// A Group built by hand, without q and without NewGroup's check
		// that p is a safe prime: the subgroup cannot be checked.
		return newError("public value: group without q", ErrNoSubgroupOrder)
	}
	return nil
}

// Exp returns base^k mod p for 0 <= base < p and k >= 0: the scalar
// operation on an arbitrary base, as PACE needs it on the mapped generator
// and in the Integrated Mapping. It runs in constant time in base and k
// (filippo.io/bigmod), k written on the length of a private exponent or
// its own, whichever is longer.
func (g *Group) Exp(base, k *big.Int) *big.Int {
	b := base
	if base.Sign() < 0 || base.Cmp(g.P) >= 0 {
		b = new(big.Int).Mod(base, g.P)
	}
	return expCT(g.P, b, k, max(g.exponentLen(), (k.BitLen()+7)/8))
}

// GenericMap returns the group with the mapped generator of PACE Generic
// Mapping (ICAO Doc 9303 part 11 section 4.4.3.3.1, BSI TR-03110 part 3
// A.3.4): g' = g^s * h mod p, where s is the decrypted nonce and h the
// shared secret of the mapping DH exchange. h must be a valid element of
// the group; g' = 1 is refused.
func (g *Group) GenericMap(s, h *big.Int) (*Group, error) {
	if err := g.ValidatePublic(h); err != nil {
		return nil, err
	}
	if s == nil || s.Sign() <= 0 {
		return nil, newError("generic mapping: nonce", ErrInvalidPrivate)
	}
	gp := mulCT(g.P, g.Exp(g.G, s), h)
	pm1 := new(big.Int).Sub(g.P, big.NewInt(1))
	if gp.Cmp(big.NewInt(1)) <= 0 || gp.Cmp(pm1) >= 0 {
		return nil, newError("generic mapping", ErrWeakSecret)
	}
	out := &Group{P: g.P, G: gp, Q: g.Q, safePrime: g.safePrime}
	if g.Name != "" {
		out.Name = g.Name + " (mapped generator)"
	}
	return out, nil
}

// PublicKey is a Diffie-Hellman public value y = g^x mod p.
type PublicKey struct {
	Group *Group
	Y     *big.Int
}

// NewPublicKey decodes a big-endian public value (at most ByteLen bytes)
// and validates it (see ValidatePublic).
func NewPublicKey(g *Group, y []byte) (*PublicKey, error) {
	if len(y) > g.ByteLen() {
		return nil, newError("public value length", ErrInvalidPublic)
	}
	v := new(big.Int).SetBytes(y)
	if err := g.ValidatePublic(v); err != nil {
		return nil, err
	}
	return &PublicKey{Group: g, Y: v}, nil
}

// Bytes returns y as ByteLen big-endian bytes.
func (k *PublicKey) Bytes() []byte { return k.Y.FillBytes(make([]byte, k.Group.ByteLen())) }

// Equal reports whether k and o are the same public value of the same
// group.
func (k *PublicKey) Equal(o *PublicKey) bool {
	return o != nil && k.Group.Equal(o.Group) && k.Y.Cmp(o.Y) == 0
}

// PrivateKey is a private exponent x with its public key.
type PrivateKey struct {
	PublicKey
	x *big.Int
}

// maxExponent returns the bound of private exponents: q when known
// (x in [1, q-1]), p-1 otherwise (x in [1, p-2]).
func (g *Group) maxExponent() *big.Int {
	if g.Q != nil {
		return g.Q
	}
	return new(big.Int).Sub(g.P, big.NewInt(1))
}

// GenerateKey draws x uniformly from [1, q-1] (or [1, p-2] without q) by
// rejection sampling on rand (crypto/rand.Reader when nil), and computes
// y = g^x mod p.
func (g *Group) GenerateKey(r io.Reader) (*PrivateKey, error) {
	if r == nil {
		r = rand.Reader
	}
	bound := g.maxExponent()
	nb := bound.BitLen()
	buf := make([]byte, (nb+7)/8)
	x := new(big.Int)
	for range 100 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, newError("generate key", err)
		}
		if extra := len(buf)*8 - nb; extra > 0 {
			buf[0] &= 0xFF >> extra
		}
		x.SetBytes(buf)
		if x.Sign() > 0 && x.Cmp(bound) < 0 {
			return g.newPrivate(x), nil
		}
	}
	return nil, newError("generate key", ErrInvalidPrivate)
}

func (g *Group) newPrivate(x *big.Int) *PrivateKey {
	return &PrivateKey{PublicKey: PublicKey{Group: g, Y: expCT(g.P, g.G, x, g.exponentLen())}, x: x}
}

// NewPrivateKey returns the key of the big-endian private exponent x,
// which must be in [1, q-1] (or [1, p-2] without q).
func (g *Group) NewPrivateKey(x []byte) (*PrivateKey, error) {
	if len(x) > g.ByteLen() {
		return nil, newError("private value", ErrInvalidPrivate)
	}
	v := new(big.Int).SetBytes(x)
	if v.Sign() <= 0 || v.Cmp(g.maxExponent()) >= 0 {
		return nil, newError("private value", ErrInvalidPrivate)
	}
	return g.newPrivate(v), nil
}

// Public returns the public key.
func (k *PrivateKey) Public() *PublicKey { return &k.PublicKey }

// Bytes returns x as big-endian bytes of the length of the exponent bound.
// It is a secret: keep it out of logs.
func (k *PrivateKey) Bytes() []byte {
	return k.x.FillBytes(make([]byte, (k.Group.maxExponent().BitLen()+7)/8))
}

// String never shows the private value.
func (k *PrivateKey) String() string { return "dh.PrivateKey(REDACTED)" }

// SharedSecret returns Z = y^x mod p as ByteLen big-endian bytes (with
// leading zeros: the encoding BSI TR-03110 and ICAO Doc 9303 part 11 feed
// to key derivation, and RFC 5114 appendix A prints). The peer's value is
// validated first; Z = 1 is refused.
func (k *PrivateKey) SharedSecret(peer *PublicKey) ([]byte, error) {
	z, err := k.SharedInt(peer)
	if err != nil {
		return nil, err
	}
	return z.FillBytes(make([]byte, k.Group.ByteLen())), nil
}

// SharedInt is SharedSecret as an integer, as PACE Generic Mapping uses
// it for h.
func (k *PrivateKey) SharedInt(peer *PublicKey) (*big.Int, error) {
	g := k.Group
	if peer.Group == nil || g.P.Cmp(peer.Group.P) != 0 {
		return nil, newError("shared secret", ErrGroupMismatch)
	}
	if err := g.ValidatePublic(peer.Y); err != nil {
		return nil, err
	}
	z := expCT(g.P, peer.Y, k.x, g.exponentLen())
	if z.Cmp(big.NewInt(1)) <= 0 {
		return nil, newError("shared secret", ErrWeakSecret)
	}
	return z, nil
}
