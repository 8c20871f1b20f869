package pace

import (
	"github.com/cancuoc/cancuoc/tlv"
)

// MaxDataLen bounds the dynamic authentication data this package parses:
// the largest legitimate object is a public key of an 8192-bit group.
const MaxDataLen = 2048

// authData is the content of a dynamic authentication data template '7C':
// the context-specific objects '80' to '8A' of ICAO Doc 9303-11 Table 4.
// Values alias the input.
type authData struct {
	objs [16][]byte // indexed by tag - 0x80
	has  uint16
}

func (a *authData) get(tag byte) ([]byte, bool) {
	i := tag - 0x80
	if i >= 16 || a.has&(1<<i) == 0 {
		return nil, false
	}
	return a.objs[i], true
}

// parseAuthData decodes a '7C' template (the whole object, tag included).
// Objects '80' to '8F' are kept; a duplicate of one, a constructed or
// unknown-class object is malformed; other tags are ignored.
func parseAuthData(b []byte) (authData, error) {
	var a authData
	if len(b) > MaxDataLen+8 {
		return a, ErrMalformed
	}
	t, err := tlv.ParseOne(b)
	if err != nil || t.Tag != 0x7C {
		return a, ErrMalformed
	}
	return parseAuthObjects(t.Value)
}

// parseAuthObjects decodes the content of a '7C' template.
func parseAuthObjects(v []byte) (authData, error) {
	var a authData
	r := tlv.NewReader(v)
	for r.Next() {
		o := r.TLV()
		if o.Tag < 0x80 || o.Tag > 0x8F {
			continue
		}
		i := byte(o.Tag - 0x80)
		if a.has&(1<<i) != 0 {
			return a, ErrMalformed
		}
		a.has |= 1 << i
		a.objs[i] = o.Value
	}
	if r.Err() != nil {
		return a, ErrMalformed
	}
	return a, nil
}

// authTemplate encodes '7C' { objects } for a response.
func authTemplate(objs ...[]byte) []byte {
	n := 0
	for _, o := range objs {
		n += len(o)
	}
	inner := make([]byte, 0, n)
	for _, o := range objs {
		inner = append(inner, o...)
	}
	return tlv.AppendTLV(make([]byte, 0, n+4), 0x7C, inner)
}

func do(tag tlv.Tag, v []byte) []byte { return tlv.AppendTLV(nil, tag, v) }
