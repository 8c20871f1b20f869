package chip

import (
	"github.com/cancuoc/cancuoc/tlv"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// SOD is EF.SOD, the Document Security Object: '77' { ContentInfo }, a CMS
// SignedData (RFC 5652) whose encapsulated content is an LDSSecurityObject
// signed by the Document Signer. This package only unwraps it; package
// crypto/pki reads the CMS and the LDSSecurityObject, signs and verifies.
type SOD struct {
	// CMS is the ContentInfo, as stored: DER, or BER with indefinite
	// lengths as some issuers write it (crypto/pki reads both).
	CMS []byte
}

// ParseSOD checks the outer tag and size of EF.SOD and that its contents
// are one SEQUENCE (DER, or BER with indefinite lengths), and keeps them.
func ParseSOD(b []byte) (*SOD, error) {
	outer, _, err := open(EFSOD, b)
	if err != nil {
		return nil, err
	}
	if err := checkOneSequence(outer.Value); err != nil {
		return nil, &ParseError{File: EFSOD, Tag: outer.Tag, Offset: outer.ValueOffset(), Err: err}
	}
	return &SOD{CMS: clone(outer.Value)}, nil
}

// checkOneSequence checks that b is one SEQUENCE, in DER or in BER.
func checkOneSequence(b []byte) error {
	if checkOneDER(b, asn1.SEQUENCE) == nil {
		return nil
	}
	if len(b) == 0 || b[0] != 0x30 {
		return errorf(ErrInvalidValue, "not a SEQUENCE")
	}
	n, err := berElement(b, 0)
	if err != nil {
		return err
	}
	if n != len(b) {
		return errorf(ErrInvalidValue, "bytes after the SEQUENCE")
	}
	return nil
}

// maxBERDepth bounds the nesting of indefinite lengths berElement follows.
const maxBERDepth = 32

// berElement returns the size of the BER element at the start of b: a
// definite length as DER has it (any length form), or an indefinite one
// ('80', constructed only) whose contents end with '0000'. Every length is
// checked against the bytes there.
func berElement(b []byte, depth int) (int, error) {
	bad := errorf(ErrInvalidValue, "malformed BER")
	if depth > maxBERDepth || len(b) < 2 {
		return 0, bad
	}
	i := 1
	if b[0]&0x1F == 0x1F {
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
		i++
	}
	if i >= len(b) {
		return 0, bad
	}
	l := b[i]
	i++
	switch {
	case l < 0x80:
		if i+int(l) > len(b) {
			return 0, bad
		}
		return i + int(l), nil
	case l == 0x80:
		if b[0]&0x20 == 0 {
			return 0, bad
		}
		for {
			if i+2 <= len(b) && b[i] == 0 && b[i+1] == 0 {
				return i + 2, nil
			}
			if i >= len(b) {
				return 0, bad
			}
			n, err := berElement(b[i:], depth+1)
			if err != nil {
				return 0, err
			}
			i += n
		}
	default:
		k := int(l & 0x7F)
		if k > 4 || i+k > len(b) {
			return 0, bad
		}
		v := 0
		for _, c := range b[i : i+k] {
			v = v<<8 | int(c)
		}
		i += k
		if v > len(b)-i {
			return 0, bad
		}
		return i + v, nil
	}
}

// Encode returns EF.SOD as the chip stores it.
func (s *SOD) Encode() ([]byte, error) {
	if err := checkOneSequence(s.CMS); err != nil {
		return nil, &ParseError{File: EFSOD, Err: err}
	}
	return encodeFile(EFSOD, func(b *tlv.Builder) error {
		b.AddRaw(s.CMS)
		return nil
	})
}
