package cvc

import (
	"encoding/asn1"
	"fmt"
	"strings"

	"github.com/cancuoc/cancuoc/tlv"
)

// Terminal types of a certificate holder authorization template (BSI
// TR-03110-3 C.4): the role OID of its '06' object.
var (
	// OIDInspectionSystem is id-IS (0.4.0.127.0.7.3.1.2.1): inspection
	// systems reading an eMRTD, the only type that matters for DG3/DG4.
	OIDInspectionSystem = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 1, 2, 1}
	// OIDAuthenticationTerminal is id-AT (0.4.0.127.0.7.3.1.2.2), of eID
	// cards.
	OIDAuthenticationTerminal = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 1, 2, 2}
	// OIDSignatureTerminal is id-ST (0.4.0.127.0.7.3.1.2.3).
	OIDSignatureTerminal = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 3, 1, 2, 3}
)

// Role is the role of a certificate holder: the two most significant bits
// of the relative authorization (BSI TR-03110-3 C.4.1, Table C.4).
type Role uint8

const (
	RoleTerminal   Role = 0 // 00: inspection system (terminal)
	RoleDVForeign  Role = 1 // 01: document verifier, foreign (non-official)
	RoleDVDomestic Role = 2 // 10: document verifier, domestic (official)
	RoleCVCA       Role = 3 // 11: country verifying CA
)

func (r Role) String() string {
	switch r {
	case RoleTerminal:
		return "terminal"
	case RoleDVForeign:
		return "DV (foreign)"
	case RoleDVDomestic:
		return "DV (domestic)"
	case RoleCVCA:
		return "CVCA"
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// Access rights of an inspection system (BSI TR-03110-3 C.4.1, Table C.4):
// bits of the first (and only) byte of its relative authorization, below
// the role bits 7-6.
const (
	ReadDG3 byte = 0x01 // bit 0: read access to DG3 (fingerprints)
	ReadDG4 byte = 0x02 // bit 1: read access to DG4 (iris)
	// ReadEID is bit 5, read access to the eID application (deprecated).
	ReadEID byte = 0x20
)

// roleMask covers the role bits of the first byte.
const roleMask byte = 0xC0

// CHAT is a certificate holder authorization template ('7F4C'): the
// terminal type (an OID such as id-IS) and the relative authorization
// ('53'), a bit string whose first byte starts with the role.
type CHAT struct {
	Type          asn1.ObjectIdentifier
	Authorization []byte
}

// NewISCHAT returns the CHAT of an inspection system with the given role
// and access bits (ReadDG3 | ReadDG4).
func NewISCHAT(role Role, access byte) CHAT {
	return CHAT{
		Type:          append(asn1.ObjectIdentifier(nil), OIDInspectionSystem...),
		Authorization: []byte{byte(role)<<6 | access&^roleMask},
	}
}

// Role returns the holder's role (RoleTerminal for an empty template).
func (c CHAT) Role() Role {
	if len(c.Authorization) == 0 {
		return RoleTerminal
	}
	return Role(c.Authorization[0] >> 6)
}

// IsInspectionSystem reports whether the template is of type id-IS.
func (c CHAT) IsInspectionSystem() bool { return c.Type.Equal(OIDInspectionSystem) }

// CanRead reports whether an inspection system template grants read access
// to data group dg: only DG3 and DG4 are protected by Terminal
// Authentication; any other data group answers false here (it is not
// governed by the CHAT).
func (c CHAT) CanRead(dg int) bool {
	if !c.IsInspectionSystem() || len(c.Authorization) == 0 {
		return false
	}
	switch dg {
	case 3:
		return c.Authorization[0]&ReadDG3 != 0
	case 4:
		return c.Authorization[0]&ReadDG4 != 0
	}
	return false
}

// Intersect returns the effective authorization of c restricted by o (BSI
// TR-03110-1 §2.7, TR-03110-3 C.4): the access bits ANDed, the role of c
// kept. Templates of different types give an empty authorization of c's
// type. Templates of different lengths are compared over the shorter one.
func (c CHAT) Intersect(o CHAT) CHAT {
	out := CHAT{Type: append(asn1.ObjectIdentifier(nil), c.Type...), Authorization: make([]byte, len(c.Authorization))}
	if len(out.Authorization) == 0 {
		return out
	}
	if !c.Type.Equal(o.Type) {
		out.Authorization[0] = c.Authorization[0] & roleMask
		return out
	}
	for i := range out.Authorization {
		if i < len(o.Authorization) {
			out.Authorization[i] = c.Authorization[i] & o.Authorization[i]
		}
	}
	out.Authorization[0] = c.Authorization[0]&roleMask | out.Authorization[0]&^roleMask
	return out
}

// Equal reports whether c and o are the same template.
func (c CHAT) Equal(o CHAT) bool {
	return c.Type.Equal(o.Type) && string(c.Authorization) == string(o.Authorization)
}

// String names the type, role and, for an inspection system, the rights.
func (c CHAT) String() string {
	var sb strings.Builder
	switch {
	case c.IsInspectionSystem():
		sb.WriteString("IS ")
	case c.Type.Equal(OIDAuthenticationTerminal):
		sb.WriteString("AT ")
	case c.Type.Equal(OIDSignatureTerminal):
		sb.WriteString("ST ")
	default:
		sb.WriteString(c.Type.String() + " ")
	}
	sb.WriteString(c.Role().String())
	if c.IsInspectionSystem() {
		for _, dg := range []int{3, 4} {
			if c.CanRead(dg) {
				fmt.Fprintf(&sb, " +DG%d", dg)
			}
		}
	}
	fmt.Fprintf(&sb, " (%X)", c.Authorization)
	return sb.String()
}

// Marshal encodes the template as '7F4C' { '06' type, '53' authorization },
// as certificates and MSE:Set AT of PACE carry it.
func (c CHAT) Marshal() ([]byte, error) {
	var b tlv.Builder
	if err := c.marshal(&b); err != nil {
		return nil, err
	}
	return b.Bytes()
}

func (c CHAT) marshal(b *tlv.Builder) error {
	oid, err := asn1.Marshal(c.Type)
	if err != nil || len(c.Authorization) == 0 {
		return newErr("create", 0x7F4C, -1, ErrMalformed)
	}
	b.AddConstructed(0x7F4C, func(b *tlv.Builder) {
		b.AddRaw(oid)
		b.Add(0x53, c.Authorization)
	})
	return nil
}

// MaxAuthorizationLen bounds the relative authorization (5 bytes for
// authentication terminals, 1 for the others).
const MaxAuthorizationLen = 16

// parseCHAT decodes the contents of '7F4C'.
func parseCHAT(v []byte, off int) (CHAT, error) {
	var c CHAT
	r := tlv.NewReader(v)
	if !r.Next() || r.TLV().Tag != 0x06 {
		return c, newErr("parse", 0x7F4C, off, ErrMalformed)
	}
	if rest, err := asn1.Unmarshal(r.TLV().Raw, &c.Type); err != nil || len(rest) != 0 {
		return c, newErr("parse", 0x06, off+r.TLV().Offset, ErrMalformed)
	}
	if !r.Next() || r.TLV().Tag != 0x53 {
		return c, newErr("parse", 0x7F4C, off, ErrMalformed)
	}
	a := r.TLV()
	if len(a.Value) == 0 || len(a.Value) > MaxAuthorizationLen {
		return c, newErr("parse", 0x53, off+a.Offset, ErrMalformed)
	}
	c.Authorization = append([]byte(nil), a.Value...)
	if r.Next() || r.Err() != nil {
		return c, newErr("parse", 0x7F4C, off, ErrMalformed)
	}
	return c, nil
}

// ParseCHAT decodes an encoded '7F4C' object.
func ParseCHAT(b []byte) (CHAT, error) {
	t, err := tlv.ParseOne(b)
	if err != nil || t.Tag != 0x7F4C {
		return CHAT{}, newErr("parse", 0x7F4C, 0, ErrMalformed)
	}
	return parseCHAT(t.Value, t.ValueOffset())
}
