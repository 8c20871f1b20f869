package ec

import (
	"errors"

	"filippo.io/nistec"
)

// nistBackend is the constant-time point arithmetic of filippo.io/nistec
// (the code of Go's crypto/internal/fips140/nistec, published as a module)
// for P-224, P-256, P-384 and P-521: scalar multiplication on the
// generator and on any point, and point addition, as PACE Generic Mapping
// needs them (G' = s*G + H, then the ephemeral keys on G'). Points go in
// and out as uncompressed encodings (00 for the point at infinity);
// scalars as big-endian bytes of the order's length.
type nistBackend interface {
	scalarBaseMult(k []byte) ([]byte, error)
	scalarMult(p, k []byte) ([]byte, error)
	add(p, q []byte) ([]byte, error)
}

// nistPoint is the method set that nistec's point types share.
type nistPoint[T any] interface {
	Bytes() []byte
	SetBytes([]byte) (T, error)
	Add(T, T) T
	ScalarMult(T, []byte) (T, error)
	ScalarBaseMult([]byte) (T, error)
}

type nistCurve[P nistPoint[P]] struct {
	newPoint func() P
}

func (c nistCurve[P]) scalarBaseMult(k []byte) ([]byte, error) {
	p, err := c.newPoint().ScalarBaseMult(k)
	if err != nil {
		return nil, err
	}
	return p.Bytes(), nil
}

func (c nistCurve[P]) scalarMult(pt, k []byte) ([]byte, error) {
	q, err := c.newPoint().SetBytes(pt)
	if err != nil {
		return nil, err
	}
	p, err := c.newPoint().ScalarMult(q, k)
	if err != nil {
		return nil, err
	}
	return p.Bytes(), nil
}

func (c nistCurve[P]) add(a, b []byte) ([]byte, error) {
	p, err := c.newPoint().SetBytes(a)
	if err != nil {
		return nil, err
	}
	q, err := c.newPoint().SetBytes(b)
	if err != nil {
		return nil, err
	}
	return c.newPoint().Add(p, q).Bytes(), nil
}

var (
	nistP224 nistBackend = nistCurve[*nistec.P224Point]{nistec.NewP224Point}
	nistP256 nistBackend = nistCurve[*nistec.P256Point]{nistec.NewP256Point}
	nistP384 nistBackend = nistCurve[*nistec.P384Point]{nistec.NewP384Point}
	nistP521 nistBackend = nistCurve[*nistec.P521Point]{nistec.NewP521Point}
)

var errNistEncoding = errors.New("ec: unexpected point encoding from nistec")

// pointFromNist builds a Point from nistec's output encoding, which needs
// no validation.
func (c *Curve) pointFromNist(b []byte, err error) *Point {
	if err != nil {
		// Only a programming error (a scalar of the wrong length, a point
		// that is not on the curve) gets here.
		panic("ec: " + err.Error())
	}
	if len(b) == 1 && b[0] == 0 {
		return c.Infinity()
	}
	l := c.byteLen
	if len(b) != 1+2*l || b[0] != 4 {
		panic(errNistEncoding)
	}
	p := &Point{c: c}
	p.x.SetBytes(b[1 : 1+l])
	p.y.SetBytes(b[1+l:])
	return p
}
