package dh

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// RFC 5114 appendix A: public values and shared secrets of the three
// standardized groups.
func TestRFC5114(t *testing.T) {
	for _, set := range vectors.Blocks(t, "testdata/rfc5114/dh.txt") {
		v := set.Values
		t.Run("id "+v["id"], func(t *testing.T) {
			id, err := strconv.Atoi(v["id"])
			require.NoError(t, err)
			g, err := Standardized(id)
			require.NoError(t, err)
			a, err := g.NewPrivateKey(vectors.Unhex(t, v["xA"]))
			require.NoError(t, err)
			b, err := g.NewPrivateKey(vectors.Unhex(t, v["xB"]))
			require.NoError(t, err)
			require.Equal(t, vectors.Unhex(t, v["yA"]), a.PublicKey.Bytes())
			require.Equal(t, vectors.Unhex(t, v["yB"]), b.PublicKey.Bytes())
			yb, err := NewPublicKey(g, vectors.Unhex(t, v["yB"]))
			require.NoError(t, err)
			ya, err := NewPublicKey(g, vectors.Unhex(t, v["yA"]))
			require.NoError(t, err)
			z1, err := a.SharedSecret(yb)
			require.NoError(t, err)
			z2, err := b.SharedSecret(ya)
			require.NoError(t, err)
			require.Equal(t, vectors.Unhex(t, v["Z"]), z1)
			require.Equal(t, z1, z2)
			require.Len(t, z1, g.ByteLen())
			got, ok := g.StandardizedID()
			require.True(t, ok)
			require.Equal(t, id, got)
		})
	}
}

func TestStandardizedUnknown(t *testing.T) {
	for _, id := range []int{-1, 3, 8, 12, 31} {
		_, err := Standardized(id)
		require.ErrorIs(t, err, ErrUnknownGroup)
	}
}

func TestOpenSSLParameters(t *testing.T) {
	for id := range 3 {
		want, err := Standardized(id)
		require.NoError(t, err)
		n := strconv.Itoa(id + 1)
		der, err := os.ReadFile("testdata/openssl/rfc5114-" + n + "-x942.der")
		require.NoError(t, err)
		g, err := ParseDomainParameters(der)
		require.NoError(t, err)
		require.True(t, g.Equal(want))
		require.Equal(t, want.Name, g.Name)
		mine, err := MarshalDomainParameters(g)
		require.NoError(t, err)
		require.Equal(t, der, mine)

		der, err = os.ReadFile("testdata/openssl/rfc5114-" + n + "-pkcs3.der")
		require.NoError(t, err)
		g, err = ParseDHParameter(der)
		require.NoError(t, err)
		require.True(t, g.Equal(want), "PKCS #3 parameters of a standardized group get their q back")
		mine, err = MarshalDHParameter(g)
		require.NoError(t, err)
		require.Equal(t, der, mine)
	}
}

func TestValidatePublic(t *testing.T) {
	g, err := Standardized(2)
	require.NoError(t, err)
	pm1 := new(big.Int).Sub(g.P, big.NewInt(1))
	// An element of order 2: p-1; of the full group but not of order q: a
	// generator of Z_p^* is unlikely to be g; 2 has order != q here.
	for _, y := range []*big.Int{nil, big.NewInt(0), big.NewInt(1), pm1, g.P, new(big.Int).Add(g.P, big.NewInt(2)), big.NewInt(2)} {
		require.ErrorIs(t, g.ValidatePublic(y), ErrInvalidPublic, "y = %v", y)
	}
	require.NoError(t, g.ValidatePublic(g.G))
	_, err = NewPublicKey(g, make([]byte, g.ByteLen()+1))
	require.ErrorIs(t, err, ErrInvalidPublic)
	// A group without q made by hand (not through NewGroup): no value can
	// be checked against the subgroup, so none is accepted.
	noQ := &Group{P: g.P, G: g.G}
	require.ErrorIs(t, noQ.ValidatePublic(big.NewInt(2)), ErrNoSubgroupOrder)
}

// oakleyGroup2 is the 1024-bit safe prime of RFC 2409 section 6.2 (the
// second Oakley group), with generator 2.
const oakleyGroup2 = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF"

// Groups without q (PKCS #3 DHParameter, as a DG14 may carry for Chip
// Authentication): refused unless p is a safe prime; with a safe prime the
// subgroup of order (p-1)/2 is found and peer values are checked in it.
func TestGroupWithoutQ(t *testing.T) {
	g5114, err := Standardized(0)
	require.NoError(t, err)
	// RFC 5114's 1024-bit p with another generator and no q: p-1 has small
	// factors, so the group is refused with a typed error.
	g2 := new(big.Int).Exp(g5114.G, big.NewInt(2), g5114.P)
	_, err = NewGroup(g5114.P, g2, nil)
	require.ErrorIs(t, err, ErrNoSubgroupOrder)
	var de *Error
	require.ErrorAs(t, err, &de)

	der, err := MarshalDHParameter(&Group{P: g5114.P, G: g2})
	require.NoError(t, err)
	_, err = ParseDHParameter(der)
	require.ErrorIs(t, err, ErrNoSubgroupOrder)

	// A safe prime without q: accepted, Q = (p-1)/2 found (2 is a
	// quadratic residue modulo this p, so of order q).
	p, ok := new(big.Int).SetString(oakleyGroup2, 16)
	require.True(t, ok)
	grp, err := NewGroup(p, big.NewInt(2), nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Rsh(p, 1), grp.Q)
	pm1 := new(big.Int).Sub(p, big.NewInt(1))
	require.ErrorIs(t, grp.ValidatePublic(pm1), ErrInvalidPublic, "order 2")
	// A non-residue (order 2q) is outside the subgroup.
	var nonResidue *big.Int
	for v := int64(3); ; v++ {
		if big.Jacobi(big.NewInt(v), p) == -1 {
			nonResidue = big.NewInt(v)
			break
		}
	}
	require.ErrorIs(t, grp.ValidatePublic(nonResidue), ErrInvalidPublic)
	a, err := grp.GenerateKey(rand.NewChaCha8([32]byte{5}))
	require.NoError(t, err)
	b, err := grp.GenerateKey(rand.NewChaCha8([32]byte{6}))
	require.NoError(t, err)
	za, err := a.SharedSecret(b.Public())
	require.NoError(t, err)
	zb, err := b.SharedSecret(a.Public())
	require.NoError(t, err)
	require.Equal(t, za, zb)

	// The same safe prime with a generator of order 2q: accepted without
	// Q, values 1 and p-1 refused, others (order q or 2q) accepted.
	full, err := NewGroup(p, nonResidue, nil)
	require.NoError(t, err)
	require.Nil(t, full.Q)
	require.ErrorIs(t, full.ValidatePublic(pm1), ErrInvalidPublic)
	require.NoError(t, full.ValidatePublic(nonResidue))

}

// A subgroup of fewer than MinQBits bits is refused even when q is given
// and right: a 1024-bit prime p = 2kq + 1 with a 128-bit prime q, found by
// a seeded search, and g of order q.
func TestSmallSubgroupRefused(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	word := func(bits int) *big.Int {
		v := new(big.Int)
		for v.BitLen() < bits {
			v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(rng.Uint64()))
		}
		return v.Rsh(v, uint(v.BitLen()-bits)).SetBit(v, bits-1, 1)
	}
	var q *big.Int
	for q = word(128); !q.ProbablyPrime(10); q = word(128) {
	}
	var p *big.Int
	for {
		k := word(1024 - 128)
		p = new(big.Int).Mul(k, q)
		p.Lsh(p, 1).Add(p, big.NewInt(1))
		if p.BitLen() >= MinPBits && p.ProbablyPrime(10) {
			break
		}
	}
	e := new(big.Int).Sub(p, big.NewInt(1))
	e.Quo(e, q)
	var g *big.Int
	for h := int64(2); ; h++ {
		g = new(big.Int).Exp(big.NewInt(h), e, p)
		if g.Cmp(big.NewInt(1)) != 0 {
			break
		}
	}
	_, err := NewGroup(p, g, q)
	require.ErrorIs(t, err, ErrWeakGroup)
}

func TestKeysAndErrors(t *testing.T) {
	g, err := Standardized(0)
	require.NoError(t, err)
	a, err := g.GenerateKey(rand.NewChaCha8([32]byte{1}))
	require.NoError(t, err)
	b, err := g.GenerateKey(rand.NewChaCha8([32]byte{2}))
	require.NoError(t, err)
	a2, err := g.GenerateKey(rand.NewChaCha8([32]byte{1}))
	require.NoError(t, err)
	require.Equal(t, a.Bytes(), a2.Bytes(), "GenerateKey honours rand")
	require.Len(t, a.Bytes(), 20)
	z1, err := a.SharedSecret(b.Public())
	require.NoError(t, err)
	z2, err := b.SharedSecret(a.Public())
	require.NoError(t, err)
	require.Equal(t, z1, z2)
	require.NotContains(t, a.String(), a.x.Text(16))
	for _, x := range [][]byte{{0}, g.Q.Bytes(), make([]byte, g.ByteLen()+1)} {
		_, err := g.NewPrivateKey(x)
		require.ErrorIs(t, err, ErrInvalidPrivate)
	}
	other, err := Standardized(1)
	require.NoError(t, err)
	ob, err := other.GenerateKey(rand.NewChaCha8([32]byte{3}))
	require.NoError(t, err)
	_, err = a.SharedSecret(ob.Public())
	require.ErrorIs(t, err, ErrGroupMismatch)
	var e *Error
	require.True(t, errors.As(err, &e))
}

// PACE Generic Mapping: g' = g^s * h, then a DH exchange on g' agrees.
func TestGenericMap(t *testing.T) {
	g, err := Standardized(2)
	require.NoError(t, err)
	rng := rand.NewChaCha8([32]byte{4})
	// Mapping exchange.
	ta, err := g.GenerateKey(rng)
	require.NoError(t, err)
	ca, err := g.GenerateKey(rng)
	require.NoError(t, err)
	h1, err := ta.SharedInt(ca.Public())
	require.NoError(t, err)
	h2, err := ca.SharedInt(ta.Public())
	require.NoError(t, err)
	require.Equal(t, 0, h1.Cmp(h2))
	s := big.NewInt(0x1234567890)
	m1, err := g.GenericMap(s, h1)
	require.NoError(t, err)
	m2, err := g.GenericMap(s, h2)
	require.NoError(t, err)
	require.True(t, m1.Equal(m2))
	want := new(big.Int).Exp(g.G, s, g.P)
	want.Mul(want, h1).Mod(want, g.P)
	require.Equal(t, 0, want.Cmp(m1.G))
	require.Equal(t, 0, g.Exp(m1.G, g.Q).Cmp(big.NewInt(1)), "g' has order q")
	// Key agreement on the mapped group.
	k1, err := m1.GenerateKey(rng)
	require.NoError(t, err)
	k2, err := m2.GenerateKey(rng)
	require.NoError(t, err)
	z1, err := k1.SharedSecret(k2.Public())
	require.NoError(t, err)
	z2, err := k2.SharedSecret(k1.Public())
	require.NoError(t, err)
	require.Equal(t, z1, z2)
	// Invalid h.
	_, err = g.GenericMap(s, big.NewInt(1))
	require.ErrorIs(t, err, ErrInvalidPublic)
	_, err = g.GenericMap(big.NewInt(0), h1)
	require.ErrorIs(t, err, ErrInvalidPrivate)
	// h = g^-s gives g' = 1: refused.
	inv := new(big.Int).Exp(g.G, new(big.Int).Sub(g.Q, s), g.P)
	_, err = g.GenericMap(s, inv)
	require.ErrorIs(t, err, ErrWeakSecret)
}

func TestNewGroupRejects(t *testing.T) {
	g, err := Standardized(1)
	require.NoError(t, err)
	one := big.NewInt(1)
	add := func(v *big.Int, d int64) *big.Int { return new(big.Int).Add(v, big.NewInt(d)) }
	for _, tc := range []struct {
		name    string
		p, g, q *big.Int
		err     error
	}{
		{"nil", nil, g.G, g.Q, ErrInvalidGroup},
		{"small p", big.NewInt(23), big.NewInt(5), big.NewInt(11), ErrInvalidGroup},
		{"even p", add(g.P, 1), g.G, nil, ErrInvalidGroup},
		{"composite p", add(g.P, 2), g.G, nil, ErrInvalidGroup},
		{"g = 1", g.P, one, g.Q, ErrInvalidGroup},
		{"q not dividing", g.P, g.G, add(g.Q, 2), ErrInvalidGroup},
		{"g not of order q", g.P, add(g.G, 1), g.Q, ErrInvalidGroup},
		{"too large", new(big.Int).Lsh(one, MaxPBits+1), g.G, nil, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewGroup(tc.p, tc.g, tc.q)
			require.ErrorIs(t, err, tc.err)
		})
	}
	// A valid non-standard group: same p and q, generator g^2.
	g2 := new(big.Int).Exp(g.G, big.NewInt(2), g.P)
	grp, err := NewGroup(g.P, g2, g.Q)
	require.NoError(t, err)
	require.Empty(t, grp.Name)
	_, ok := grp.StandardizedID()
	require.False(t, ok)
}

func TestSPKI(t *testing.T) {
	g, err := Standardized(2)
	require.NoError(t, err)
	k, err := g.GenerateKey(rand.NewChaCha8([32]byte{5}))
	require.NoError(t, err)
	der, err := MarshalSubjectPublicKeyInfo(k.Public())
	require.NoError(t, err)
	pub, err := ParseSubjectPublicKeyInfo(der)
	require.NoError(t, err)
	require.True(t, pub.Equal(k.Public()))
	// Corruptions.
	_, err = ParseSubjectPublicKeyInfo(der[:len(der)-1])
	require.ErrorIs(t, err, ErrMalformed)
	bad := append([]byte(nil), der...)
	bad[len(bad)-1] = 0 // y changed: almost surely not of order q
	_, err = ParseSubjectPublicKeyInfo(bad)
	require.ErrorIs(t, err, ErrInvalidPublic)
	_, err = ParseDomainParameters(nil)
	require.ErrorIs(t, err, ErrMalformed)
	_, err = ParseDomainParameters(make([]byte, MaxParametersLen+1))
	require.ErrorIs(t, err, ErrTooLarge)
	_, err = MarshalDomainParameters(&Group{P: g.P, G: g.G})
	require.ErrorIs(t, err, ErrInvalidGroup)
}
