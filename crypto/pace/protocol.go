package pace

import (
	"encoding/asn1"

	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// protocol is a PACEInfo resolved into what the two sides compute with.
type protocol struct {
	oid        asn1.ObjectIdentifier
	oidBytes   []byte // contents octets of the OBJECT IDENTIFIER
	desc       secinfo.PACEProtocol
	paramID    int
	dom        domain
	mapping    mapping
	cipher     sm.Cipher
	hasParamID bool // beside cipher: the struct stays in its allocation size class
}

// resolve checks a PACEInfo and finds its cipher and domain parameters.
// Only standardized domain parameters (BSI TR-03110-3 Table 4) are supported.
func resolve(info secinfo.PACEInfo) (*protocol, error) {
	desc, err := secinfo.ParsePACEProtocol(info.Protocol)
	if err != nil {
		return nil, newErr("protocol", 0, ErrUnsupported)
	}
	c, ok := cipherOf(desc)
	if !ok {
		return nil, newErr("protocol", 0, ErrUnsupported)
	}
	m := mappingOf(desc.Mapping)
	if m == nil {
		return nil, newErr("protocol", 0, ErrUnsupported)
	}
	// Standardized domain parameters of the key agreement's type, that the
	// mapping can run on (secinfo's table of mappings says which cannot).
	info.PACE = desc
	if _, ok := info.Standardized(); !ok {
		return nil, newErr("domain parameters", 0, ErrUnsupported)
	}
	var dom domain
	switch desc.KeyAgreement {
	case secinfo.ECDH:
		curve, err := ec.Standardized(info.ParameterID)
		if err != nil {
			return nil, newErr("domain parameters", 0, ErrUnsupported)
		}
		dom = newECDomain(curve)
	case secinfo.DH:
		g, err := dh.Standardized(info.ParameterID)
		if err != nil || g.Q == nil {
			return nil, newErr("domain parameters", 0, ErrUnsupported)
		}
		dom = &dhDomain{g: g}
	default:
		return nil, newErr("protocol", 0, ErrUnsupported)
	}
	der, err := asn1.Marshal(info.Protocol)
	if err != nil || len(der) < 2 || int(der[1]) != len(der)-2 {
		return nil, newErr("protocol", 0, ErrUnsupported)
	}
	return &protocol{
		oid:        append(asn1.ObjectIdentifier(nil), info.Protocol...),
		oidBytes:   der[2:],
		desc:       desc,
		cipher:     c,
		paramID:    info.ParameterID,
		hasParamID: true,
		dom:        dom,
		mapping:    m,
	}, nil
}

// cipherOf maps a protocol's cipher and key length to the secure
// messaging cipher.
func cipherOf(p secinfo.PACEProtocol) (sm.Cipher, bool) {
	switch {
	case p.Cipher == secinfo.TripleDES && p.KeyLength == 16:
		return sm.TDES, true
	case p.Cipher == secinfo.AES && p.KeyLength == 16:
		return sm.AES128, true
	case p.Cipher == secinfo.AES && p.KeyLength == 24:
		return sm.AES192, true
	case p.Cipher == secinfo.AES && p.KeyLength == 32:
		return sm.AES256, true
	}
	return 0, false
}

// nonceLen is the length of the chip's nonce s: the smallest multiple of the
// block size at least as long as the key (ICAO Doc 9303-11 §4.4.3.3, with
// k = 128 bits for 3DES).
func nonceLen(c sm.Cipher) int {
	if c == sm.AES192 || c == sm.AES256 {
		return 32
	}
	return 16
}

// imKeyLen is k, the length of the terminal's nonce t of the Integrated
// Mapping and of the keys of the pseudo-random function.
func imKeyLen(c sm.Cipher) int { return c.KeySize() }
