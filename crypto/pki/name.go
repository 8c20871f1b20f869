package pki

import (
	"encoding/asn1"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// AttributeTypeAndValue is one attribute of a distinguished name, its
// value decoded to a Go string.
type AttributeTypeAndValue struct {
	Type  asn1.ObjectIdentifier
	Value string
}

// Name is an X.501 distinguished name: the raw DER (which name chaining
// compares first) and its attributes in order.
type Name struct {
	Raw        []byte
	Attributes []AttributeTypeAndValue
}

var attrShort = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{asn1.ObjectIdentifier{2, 5, 4, 6}, "C"},
	{asn1.ObjectIdentifier{2, 5, 4, 10}, "O"},
	{asn1.ObjectIdentifier{2, 5, 4, 11}, "OU"},
	{asn1.ObjectIdentifier{2, 5, 4, 3}, "CN"},
	{asn1.ObjectIdentifier{2, 5, 4, 5}, "SERIALNUMBER"},
	{asn1.ObjectIdentifier{2, 5, 4, 7}, "L"},
	{asn1.ObjectIdentifier{2, 5, 4, 8}, "ST"},
	{asn1.ObjectIdentifier{2, 5, 4, 4}, "SN"},
	{asn1.ObjectIdentifier{2, 5, 4, 42}, "GN"},
	{asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, "emailAddress"},
}

// Attribute OIDs for building names.
var (
	OIDCountry            = asn1.ObjectIdentifier{2, 5, 4, 6}
	OIDOrganization       = asn1.ObjectIdentifier{2, 5, 4, 10}
	OIDOrganizationalUnit = asn1.ObjectIdentifier{2, 5, 4, 11}
	OIDCommonName         = asn1.ObjectIdentifier{2, 5, 4, 3}
	OIDSerialNumberAttr   = asn1.ObjectIdentifier{2, 5, 4, 5}
)

// String prints the name in the order of its encoding, as
// "C=VN, O=..., CN=...".
func (n Name) String() string {
	var sb strings.Builder
	for i, a := range n.Attributes {
		if i > 0 {
			sb.WriteString(", ")
		}
		short := a.Type.String()
		for _, e := range attrShort {
			if e.oid.Equal(a.Type) {
				short = e.name
				break
			}
		}
		sb.WriteString(short)
		sb.WriteByte('=')
		sb.WriteString(a.Value)
	}
	return sb.String()
}

// Get returns the first value of attribute type oid, "" if absent.
func (n Name) Get(oid asn1.ObjectIdentifier) string {
	for _, a := range n.Attributes {
		if a.Type.Equal(oid) {
			return a.Value
		}
	}
	return ""
}

// Country returns the C attribute (the issuing state of a CSCA).
func (n Name) Country() string { return n.Get(OIDCountry) }

// Equal reports whether two names match: identical DER, or the same
// attributes with values equal after case folding and white space
// compression (the essentials of RFC 5280 §7.1).
func (n Name) Equal(m Name) bool {
	if string(n.Raw) == string(m.Raw) {
		return true
	}
	if len(n.Attributes) != len(m.Attributes) || len(n.Attributes) == 0 {
		return false
	}
	for i := range n.Attributes {
		a, b := n.Attributes[i], m.Attributes[i]
		if !a.Type.Equal(b.Type) || !strings.EqualFold(foldSpaces(a.Value), foldSpaces(b.Value)) {
			return false
		}
	}
	return true
}

func foldSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// parseName reads a Name (RDNSequence).
func parseName(s *cryptobyte.String, n *Name) bool {
	var raw, seq cryptobyte.String
	if !s.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return false
	}
	n.Raw = raw
	n.Attributes = nil
	if !raw.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return false
	}
	for len(seq) > 0 {
		var set cryptobyte.String
		if !seq.ReadASN1(&set, cbasn1.SET) || len(set) == 0 {
			return false
		}
		for len(set) > 0 {
			var atv cryptobyte.String
			var a AttributeTypeAndValue
			if !set.ReadASN1(&atv, cbasn1.SEQUENCE) || !atv.ReadASN1ObjectIdentifier(&a.Type) {
				return false
			}
			var val cryptobyte.String
			var tag cbasn1.Tag
			if !atv.ReadAnyASN1(&val, &tag) || len(atv) != 0 {
				return false
			}
			v, ok := decodeString(tag, val)
			if !ok {
				return false
			}
			a.Value = v
			n.Attributes = append(n.Attributes, a)
		}
	}
	return true
}

// decodeString decodes the ASN.1 string types found in names.
func decodeString(tag cbasn1.Tag, v []byte) (string, bool) {
	switch tag {
	case cbasn1.UTF8String:
		if !utf8.Valid(v) {
			return "", false
		}
		return string(v), true
	case cbasn1.PrintableString, cbasn1.IA5String, cbasn1.Tag(18) /* NumericString */, cbasn1.Tag(26) /* VisibleString */ :
		for _, c := range v {
			if c >= 0x80 {
				return "", false
			}
		}
		return string(v), true
	case cbasn1.T61String:
		// Latin-1 in practice.
		r := make([]rune, len(v))
		for i, c := range v {
			r[i] = rune(c)
		}
		return string(r), true
	case cbasn1.Tag(30): // BMPString
		if len(v)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(v)/2)
		for i := range u {
			u[i] = uint16(v[2*i])<<8 | uint16(v[2*i+1])
		}
		return string(utf16.Decode(u)), true
	}
	return "", false
}

// NameAttribute is one attribute for MarshalName.
type NameAttribute struct {
	Type  asn1.ObjectIdentifier
	Value string
}

// MarshalName encodes a distinguished name with one attribute per RDN, in
// the order given. C and serialNumber are PrintableString (RFC 5280
// requires it), the others UTF8String when they are not printable.
func MarshalName(attrs ...NameAttribute) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, a := range attrs {
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(a.Type)
					tag := cbasn1.UTF8String
					if isPrintable(a.Value) {
						tag = cbasn1.PrintableString
					}
					b.AddASN1(tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(a.Value)) })
				})
			})
		}
	})
	return b.Bytes()
}

// isPrintable reports whether s holds only PrintableString characters
// (X.680 §41.4): letters, digits, space and '()+,-./:=?.
func isPrintable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte(" '()+,-./:=?", c) >= 0:
		default:
			return false
		}
	}
	return true
}
