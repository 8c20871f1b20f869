package eac

import (
	"crypto/sha1"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// MaxPublicKeyLen bounds an ephemeral public key received in a command: an
// uncompressed point of a 521-bit curve is 133 bytes, a DH public value
// at most 512 bytes (4096-bit p).
const MaxPublicKeyLen = 1024

// domain is the group in which Chip Authentication agrees on a key: an
// elliptic curve (ECDH) or a prime-field group (DH).
type domain struct {
	curve *ec.Curve
	group *dh.Group
}

// ephemeral is a key pair on a domain.
type ephemeral struct {
	ec  *ec.PrivateKey
	dh  *dh.PrivateKey
	pub []byte // public key as sent on the wire
}

// publicKey is a decoded public key of a domain.
type publicKey struct {
	ec  *ec.PublicKey
	dh  *dh.PublicKey
	enc []byte // canonical wire encoding
}

func (d domain) generate(r io.Reader) (*ephemeral, error) {
	if d.curve != nil {
		k, err := ec.GenerateKey(d.curve, r)
		if err != nil {
			return nil, ErrRandom
		}
		return &ephemeral{ec: k, pub: k.PublicKey.Bytes()}, nil
	}
	k, err := d.group.GenerateKey(r)
	if err != nil {
		return nil, ErrRandom
	}
	return &ephemeral{dh: k, pub: unsigned(k.Y)}, nil
}

// decode validates a peer's public key: an uncompressed or compressed point
// of the curve, or a DH public value as an unsigned integer.
func (d domain) decode(b []byte) (*publicKey, error) {
	if len(b) == 0 || len(b) > MaxPublicKeyLen {
		return nil, ErrInvalidKey
	}
	if d.curve != nil {
		k, err := ec.NewPublicKey(d.curve, b)
		if err != nil {
			return nil, ErrInvalidKey
		}
		return &publicKey{ec: k, enc: k.Bytes()}, nil
	}
	if len(b) > d.group.ByteLen() {
		return nil, ErrInvalidKey
	}
	y := new(big.Int).SetBytes(b)
	if err := d.group.ValidatePublic(y); err != nil {
		return nil, ErrInvalidKey
	}
	return &publicKey{dh: &dh.PublicKey{Group: d.group, Y: y}, enc: unsigned(y)}, nil
}

// agree computes the shared secret K: the x-coordinate of the shared point
// (ECKA-DH, BSI TR-03111 4.3.1) or g^xy mod p, as field-size bytes.
func agree(ecPriv *ec.PrivateKey, dhPriv *dh.PrivateKey, peer *publicKey) ([]byte, error) {
	switch {
	case ecPriv != nil && peer.ec != nil:
		s, err := ecPriv.ECDH(peer.ec)
		if err != nil {
			return nil, ErrInvalidKey
		}
		return s, nil
	case dhPriv != nil && peer.dh != nil:
		s, err := dhPriv.SharedSecret(peer.dh)
		if err != nil {
			return nil, ErrInvalidKey
		}
		return s, nil
	}
	return nil, ErrInvalidKey
}

// compress is the compression function Comp of BSI TR-03110-3 A.2.2.3
// (ICAO Doc 9303-11 §9.5.2) on a canonical wire encoding: the x-coordinate
// of an elliptic-curve public key (04 || X || Y), the SHA-1 hash of a
// Diffie-Hellman public value (an unsigned integer). Terminal
// Authentication signs Comp of the terminal's ephemeral Chip
// Authentication key.
func (d domain) compress(enc []byte) []byte {
	if d.curve != nil {
		n := d.curve.ByteLen()
		if len(enc) != 1+2*n {
			return nil
		}
		return append([]byte(nil), enc[1:1+n]...)
	}
	s := sha1.Sum(enc)
	return s[:]
}

// unsigned encodes a non-negative integer on the fewest octets (BSI
// TR-03110-3 D.2.1.1).
func unsigned(y *big.Int) []byte {
	b := y.Bytes()
	if len(b) == 0 {
		return []byte{0}
	}
	return b
}

// staticKey decodes a Chip Authentication public key from DG14: the
// domain parameters (standardized, named or explicit curve, DH group) and
// the public key.
func staticKey(spki secinfo.SubjectPublicKeyInfo) (domain, *publicKey, error) {
	alg := spki.Algorithm
	var d domain
	switch {
	case alg.Algorithm.Equal(secinfo.OIDStandardizedDomainParameters):
		id, ok := alg.StandardizedDomainParameterID()
		if !ok {
			return d, nil, ErrUnsupported
		}
		if c, err := ec.Standardized(id); err == nil {
			d.curve = c
		} else if g, err := dh.Standardized(id); err == nil {
			d.group = g
		} else {
			return d, nil, ErrUnsupported
		}
	case alg.Algorithm.Equal(secinfo.OIDECPublicKey):
		c, _, err := ec.ParseECParameters(alg.Parameters)
		if err != nil {
			// Both sentinels: ErrInvalidKey, and ec's reason (a weak or
			// invalid curve).
			return d, nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
		}
		d.curve = c
	case alg.Algorithm.Equal(secinfo.OIDDHPublicNumber):
		g, err := dh.ParseDomainParameters(alg.Parameters)
		if err != nil {
			return d, nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
		}
		d.group = g
	case alg.Algorithm.Equal(dh.OIDDHKeyAgreement):
		g, err := dh.ParseDHParameter(alg.Parameters)
		if err != nil {
			// dh.ErrNoSubgroupOrder for a group without q over a p that
			// is not a safe prime.
			return d, nil, fmt.Errorf("%w: %w", ErrInvalidKey, err)
		}
		d.group = g
	default:
		return d, nil, ErrUnsupported
	}
	raw := spki.PublicKey
	if d.group != nil {
		// The subjectPublicKey of a DH key holds the DER INTEGER y.
		s := cryptobyte.String(raw)
		var y cryptobyte.String
		if !s.ReadASN1(&y, cbasn1.INTEGER) || !s.Empty() || len(y) == 0 || y[0]&0x80 != 0 {
			return d, nil, ErrInvalidKey
		}
		raw = new(big.Int).SetBytes(y).Bytes()
	}
	pk, err := d.decode(raw)
	if err != nil {
		return d, nil, err
	}
	return d, pk, nil
}

// oidContents returns the contents octets of an OBJECT IDENTIFIER, as the
// data object '80' of MSE:Set AT carries them.
func oidContents(oid asn1.ObjectIdentifier) ([]byte, bool) {
	der, err := asn1.Marshal(oid)
	if err != nil || len(der) < 2 || der[1] >= 0x80 || int(der[1]) != len(der)-2 {
		return nil, false
	}
	return der[2:], true
}

// parseOIDContents is the inverse of oidContents.
func parseOIDContents(b []byte) (asn1.ObjectIdentifier, bool) {
	if len(b) == 0 || len(b) > 64 {
		return nil, false
	}
	der := append([]byte{0x06, byte(len(b))}, b...)
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(der, &oid)
	if err != nil || len(rest) != 0 {
		return nil, false
	}
	return oid, true
}
