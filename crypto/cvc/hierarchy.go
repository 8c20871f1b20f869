package cvc

import (
	cryptorand "crypto/rand"
	"encoding/asn1"
	"io"
	"time"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// HierarchyConfig describes a test hierarchy of Extended Access Control:
// a CVCA, a domestic document verifier and an inspection system. A nil
// *HierarchyConfig means all defaults.
type HierarchyConfig struct {
	// Country is the ISO 3166-1 alpha-2 code of the references ("VN"
	// when empty).
	Country string
	// Curve is the domain parameters of all three keys
	// (brainpoolP256r1 when nil).
	Curve *ec.Curve
	// Protocol is the signature algorithm of the keys
	// (id-TA-ECDSA-SHA-256 when nil); it must be an ECDSA one.
	Protocol asn1.ObjectIdentifier
	// Date is the day the three certificates take effect (a field of the
	// certificates, as x509.Certificate.NotBefore; the zero time when
	// unset).
	Date time.Time
	// Access are the inspection system's rights (ReadDG3 | ReadDG4); the
	// CVCA and DV certificates grant both. None when zero.
	Access byte
	// Rand supplies the keys and the signatures' randomness: with a
	// deterministic reader and a Brainpool curve, equal configurations
	// give equal certificates. Nil means crypto/rand.Reader.
	Rand io.Reader
}

// Hierarchy is a CVCA -> DV -> IS chain with its private keys, for tests
// and simulators: the chip trusts CVCA, the terminal presents DV and IS
// and signs with ISKey.
type Hierarchy struct {
	CVCA, DV, IS          *Certificate
	CVCAKey, DVKey, ISKey *ec.PrivateKey
}

// Validity periods of NewHierarchy's certificates, from Date.
const (
	CVCAValidity = 3 * 365 * 24 * time.Hour
	DVValidity   = 365 * 24 * time.Hour
	ISValidity   = 30 * 24 * time.Hour
)

// NewHierarchy creates the three certificates: CVCA self-signed with full
// domain parameters, DV and IS keys without (they inherit the CVCA's).
// The references are <country>CVCA00001, <country>DV00001 and
// <country>IS00001. config may be nil for all defaults.
func NewHierarchy(config *HierarchyConfig) (*Hierarchy, error) {
	var o HierarchyConfig
	if config != nil {
		o = *config
	}
	if o.Rand == nil {
		o.Rand = cryptorand.Reader
	}
	if o.Country == "" {
		o.Country = "VN"
	}
	if o.Curve == nil {
		o.Curve = ec.BrainpoolP256r1()
	}
	if o.Protocol == nil {
		o.Protocol = secinfo.OIDTAECDSASHA256
	}
	if a, ok := algorithmOf(o.Protocol); !ok || a.rsa {
		return nil, newErr("create", 0, -1, ErrUnsupported)
	}
	h := &Hierarchy{}
	var err error
	for _, k := range []**ec.PrivateKey{&h.CVCAKey, &h.DVKey, &h.ISKey} {
		if *k, err = ec.GenerateKey(o.Curve, o.Rand); err != nil {
			return nil, &Error{Op: "create", Offset: -1, Err: err}
		}
	}
	cvcaRef := Reference(o.Country + "CVCA00001")
	dvRef := Reference(o.Country + "DV00001")
	isRef := Reference(o.Country + "IS00001")
	day := Day(o.Date)
	all := ReadDG3 | ReadDG4
	h.CVCA, err = Create(&Template{
		CAR: cvcaRef, CHR: cvcaRef,
		PublicKey: PublicKey{Protocol: o.Protocol, Curve: o.Curve, Point: h.CVCAKey.PublicKey.Bytes()},
		CHAT:      NewISCHAT(RoleCVCA, all),
		Effective: day, Expiry: day.Add(CVCAValidity),
	}, o.Protocol, h.CVCAKey, &SignConfig{Rand: o.Rand})
	if err != nil {
		return nil, err
	}
	h.DV, err = Create(&Template{
		CAR: cvcaRef, CHR: dvRef,
		PublicKey: PublicKey{Protocol: o.Protocol, Point: h.DVKey.PublicKey.Bytes()},
		CHAT:      NewISCHAT(RoleDVDomestic, all),
		Effective: day, Expiry: day.Add(DVValidity),
	}, o.Protocol, h.CVCAKey, &SignConfig{Rand: o.Rand})
	if err != nil {
		return nil, err
	}
	h.IS, err = Create(&Template{
		CAR: dvRef, CHR: isRef,
		PublicKey: PublicKey{Protocol: o.Protocol, Point: h.ISKey.PublicKey.Bytes()},
		CHAT:      NewISCHAT(RoleTerminal, o.Access),
		Effective: day, Expiry: day.Add(ISValidity),
	}, o.Protocol, h.DVKey, &SignConfig{Rand: o.Rand})
	if err != nil {
		return nil, err
	}
	return h, nil
}
