package eac

import (
	"encoding/asn1"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// CAKey is a static Chip Authentication key pair of the chip, as its DG14
// announces it: the protocol of the ChipAuthenticationInfo, the key
// identifier and the private key (EC or DH, exactly one).
type CAKey struct {
	Protocol asn1.ObjectIdentifier
	KeyID    int64
	HasKeyID bool
	EC       *ec.PrivateKey
	DH       *dh.PrivateKey
}

// String names the protocol and key identifier; the key is never printed.
func (k CAKey) String() string {
	return "eac.CAKey(" + secinfo.OIDName(k.Protocol) + ", key id " + keyIDString(k.KeyID, k.HasKeyID) + ", private key redacted)"
}

// GoString is String.
func (k CAKey) GoString() string { return k.String() }

// caKey is a CAKey resolved for use.
type caKey struct {
	CAKey
	desc   secinfo.CAProtocol
	cipher sm.Cipher
	dom    domain
}

// Chip is the chip side of Chip Authentication version 1 (and of Terminal
// Authentication version 1, which follows it), a state machine that a card
// simulator drives with the commands it receives under secure messaging.
//
// Handle returns the response and, when a command completed Chip
// Authentication, the new secure messaging session: the simulator protects
// that response with the current (old) session and switches to the new one
// for the next command (ICAO Doc 9303-11 §6.2: the keys change after the
// response).
//
// It also runs Terminal Authentication version 1 (MSE:Set DST, PSO:Verify
// Certificate, MSE:Set AT, GET CHALLENGE, EXTERNAL AUTHENTICATE) against its
// trust points, and Authorized then says whether DG3 and DG4 may be read.
//
// Refusals answer a status word: 6A80 for malformed data, an invalid public
// key or a misplaced certificate, 6A88 for an unknown key identifier or
// reference, 6985 for a step out of order, 6300 for a certificate or
// signature that does not verify (or an expired certificate), 6700 for a
// wrong challenge length, 6A86 for wrong P1-P2 and 6D00 for instructions
// that are not EAC's.
type Chip struct {
	mu   sync.Mutex
	rand io.Reader
	keys []caKey

	sel         *caKey // MSE:Set AT for CA done
	caDone      bool
	caDom       domain
	terminalKey []byte // canonical encoding of PK_DH,IFD after CA

	ta taState
}

// NewChip returns the chip side with the static Chip Authentication keys
// (none for a chip that only runs Terminal Authentication). Every CA key
// must name a Chip Authentication protocol whose key agreement matches its
// key, and key identifiers must be distinct. config may be nil for all
// defaults.
func NewChip(keys []CAKey, config *ChipConfig) (*Chip, error) {
	const op = "chip"
	c := &Chip{rand: config.rand()}
	if config == nil {
		config = &ChipConfig{}
	}
	c.ta.date = cvc.Day(config.Date)
	c.ta.idPICC = append([]byte(nil), config.IDPICC...)
	for _, tp := range config.TrustPoints {
		k, err := newTrustPoint(tp)
		if err != nil {
			return nil, newErr(op, 0, err)
		}
		c.ta.trust = append(c.ta.trust, k)
	}
	if len(c.ta.trust) > MaxTrustPoints {
		return nil, newErr(op, 0, ErrCertificate)
	}
	seen := map[int64]bool{}
	for _, k := range keys {
		desc, err := secinfo.ParseCAProtocol(k.Protocol)
		if err != nil {
			return nil, newErr(op, 0, ErrUnsupported)
		}
		ciph, ok := cipherOf(desc)
		if !ok {
			return nil, newErr(op, 0, ErrUnsupported)
		}
		var d domain
		switch {
		case k.EC != nil && k.DH == nil && desc.KeyAgreement == secinfo.ECDH:
			d.curve = k.EC.Curve()
		case k.DH != nil && k.EC == nil && desc.KeyAgreement == secinfo.DH:
			d.group = k.DH.Group
		default:
			return nil, newErr(op, 0, ErrUnsupported)
		}
		if k.HasKeyID {
			if k.KeyID < 0 || k.KeyID > 1<<31-1 || seen[k.KeyID] {
				return nil, newErr(op, 0, ErrKeyReference)
			}
			seen[k.KeyID] = true
		}
		k.Protocol = append(asn1.ObjectIdentifier(nil), k.Protocol...)
		c.keys = append(c.keys, caKey{CAKey: k, desc: desc, cipher: ciph, dom: d})
	}
	return c, nil
}

// Handle processes one command (already unwrapped from secure messaging)
// and returns the response, plus the new session when the command
// completed Chip Authentication.
func (c *Chip) Handle(cmd apdu.Command) (apdu.Response, *sm.Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p1p2 := uint16(cmd.P1)<<8 | uint16(cmd.P2)
	var (
		data []byte
		s    *sm.Session
		err  error
	)
	switch {
	case cmd.INS == apdu.INSManageSecurityEnv && p1p2 == apdu.MSESetKAT:
		s, err = c.setKAT(cmd.Data)
	case cmd.INS == apdu.INSManageSecurityEnv && p1p2 == apdu.MSESetATCA:
		err = c.setATCA(cmd.Data)
	case cmd.INS == apdu.INSGeneralAuthenticate:
		if p1p2 != 0 {
			return apdu.Response{SW: apdu.SWWrongP1P2}, nil
		}
		data, s, err = c.generalAuthenticate(cmd.Data, cmd.CLA&apdu.CLAChaining != 0)
	case cmd.INS == apdu.INSManageSecurityEnv && p1p2 == apdu.MSESetDST:
		err = c.setDST(cmd.Data)
	case cmd.INS == apdu.INSManageSecurityEnv && p1p2 == apdu.MSESetATTA:
		err = c.setATTA(cmd.Data)
	case cmd.INS == apdu.INSManageSecurityEnv:
		return apdu.Response{SW: apdu.SWWrongP1P2}, nil
	case cmd.INS == apdu.INSPerformSecurityOp:
		if p1p2 != 0x00BE {
			return apdu.Response{SW: apdu.SWWrongP1P2}, nil
		}
		err = c.verifyCertificate(cmd.Data)
	case cmd.INS == apdu.INSGetChallenge:
		if p1p2 != 0 {
			return apdu.Response{SW: apdu.SWWrongP1P2}, nil
		}
		data, err = c.getChallenge(cmd.Ne)
	case cmd.INS == apdu.INSExternalAuthenticate:
		if p1p2 != 0 {
			return apdu.Response{SW: apdu.SWWrongP1P2}, nil
		}
		err = c.externalAuthenticate(cmd.Data)
	default:
		return apdu.Response{SW: apdu.SWINSNotSupported}, nil
	}
	if err != nil {
		return apdu.Response{SW: ChipStatus(err)}, nil
	}
	return apdu.Response{Data: data, SW: apdu.SWSuccess}, s
}

// String names what the chip holds; keys are never printed.
func (c *Chip) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprintf("eac.Chip(%d CA keys, %d trust points, date %s, keys redacted)", len(c.keys), len(c.ta.trust), c.ta.date.Format(time.DateOnly))
}

// GoString is String.
func (c *Chip) GoString() string { return c.String() }

// ChipAuthenticated reports whether Chip Authentication has completed (the
// new keys are in force from the command after the one that completed it).
func (c *Chip) ChipAuthenticated() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.caDone
}

// CompressedTerminalKey returns Comp(PK_DH,IFD) of the last Chip
// Authentication, which Terminal Authentication's signature covers, or nil.
func (c *Chip) CompressedTerminalKey() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.caDone {
		return nil
	}
	return c.caDom.compress(c.terminalKey)
}

// crt holds the objects of a control reference template (MSE data).
type crt map[tlv.Tag][]byte

// parseCRT reads the primitive objects of MSE data, refusing duplicates and
// tags not in allowed.
func parseCRT(op string, data []byte, allowed ...tlv.Tag) (crt, error) {
	out := crt{}
	r := tlv.NewReader(data)
	for r.Next() {
		o := r.TLV()
		ok := false
		for _, a := range allowed {
			ok = ok || o.Tag == a
		}
		if _, dup := out[o.Tag]; !ok || dup {
			return nil, newErr(op, apdu.SWWrongData, ErrMalformed)
		}
		out[o.Tag] = o.Value
	}
	if r.Err() != nil {
		return nil, newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	return out, nil
}

// keyRef decodes a key identifier ('84'): an unsigned integer of up to 4
// bytes.
func keyRef(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 4 {
		return 0, false
	}
	var v int64
	for _, x := range b {
		v = v<<8 | int64(x)
	}
	return v, true
}

// findKey selects a CA key by cipher family or protocol and optional key
// identifier. Without identifier, the first key that matches serves.
func (c *Chip) findKey(op string, match func(*caKey) bool, ref []byte, hasRef bool) (*caKey, error) {
	var id int64
	if hasRef {
		v, ok := keyRef(ref)
		if !ok {
			return nil, newErr(op, apdu.SWWrongData, ErrMalformed)
		}
		id = v
	}
	for i := range c.keys {
		k := &c.keys[i]
		if !match(k) {
			continue
		}
		if hasRef && (!k.HasKeyID || k.KeyID != id) {
			continue
		}
		return k, nil
	}
	return nil, newErr(op, apdu.SWReferenceDataNotFound, ErrKeyReference)
}

// setKAT is MSE:Set KAT: Chip Authentication with 3DES.
func (c *Chip) setKAT(data []byte) (*sm.Session, error) {
	const op = "MSE:Set KAT"
	c.sel = nil
	o, err := parseCRT(op, data, 0x91, 0x84)
	if err != nil {
		return nil, err
	}
	pub, ok := o[0x91]
	if !ok {
		return nil, newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	ref, hasRef := o[0x84]
	k, err := c.findKey(op, func(k *caKey) bool { return k.cipher == sm.TDES }, ref, hasRef)
	if err != nil {
		return nil, err
	}
	return c.agree(op, k, pub)
}

// setATCA is MSE:Set AT for Chip Authentication: it selects the protocol
// and key for the GENERAL AUTHENTICATE that follows.
func (c *Chip) setATCA(data []byte) error {
	const op = "MSE:Set AT"
	c.sel = nil
	o, err := parseCRT(op, data, 0x80, 0x84)
	if err != nil {
		return err
	}
	oidBytes, ok := o[0x80]
	if !ok {
		return newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	oid, ok := parseOIDContents(oidBytes)
	if !ok {
		return newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	if _, err := secinfo.ParseCAProtocol(oid); err != nil {
		return newErr(op, apdu.SWWrongData, ErrUnsupported)
	}
	ref, hasRef := o[0x84]
	k, err := c.findKey(op, func(k *caKey) bool { return k.Protocol.Equal(oid) }, ref, hasRef)
	if err != nil {
		return err
	}
	c.sel = k
	return nil
}

// generalAuthenticate is the one GENERAL AUTHENTICATE step of Chip
// Authentication version 1: '7C' { '80' ephemeral public key }, answered
// with an empty '7C'.
func (c *Chip) generalAuthenticate(data []byte, chained bool) ([]byte, *sm.Session, error) {
	const op = "GENERAL AUTHENTICATE"
	k := c.sel
	c.sel = nil
	if k == nil || chained {
		return nil, nil, newErr(op, apdu.SWConditionsNotSatisfied, ErrSequence)
	}
	inner, err := apdu.ParseDynamicAuthData(data)
	if err != nil {
		return nil, nil, newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	o, err := parseCRT(op, inner, 0x80)
	if err != nil {
		return nil, nil, err
	}
	pub, ok := o[0x80]
	if !ok {
		return nil, nil, newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	s, err := c.agree(op, k, pub)
	if err != nil {
		return nil, nil, err
	}
	return []byte{0x7C, 0x00}, s, nil
}

// agree validates the terminal's ephemeral key, computes the shared secret
// with the static key and starts the new session.
func (c *Chip) agree(op string, k *caKey, pub []byte) (*sm.Session, error) {
	peer, err := k.dom.decode(pub)
	if err != nil {
		return nil, newErr(op, apdu.SWWrongData, err)
	}
	secret, err := agree(k.EC, k.DH, peer)
	if err != nil {
		return nil, newErr(op, apdu.SWWrongData, err)
	}
	kEnc, kMAC := sm.DeriveSessionKeys(k.cipher, secret)
	clear(secret)
	s, err := sm.NewSession(k.cipher, kEnc, kMAC, nil)
	clear(kEnc)
	clear(kMAC)
	if err != nil {
		return nil, newErr(op, apdu.SWNoPreciseDiagnosis, ErrUnsupported)
	}
	c.caDone, c.caDom, c.terminalKey = true, k.dom, peer.enc
	c.onChipAuthenticated()
	return s, nil
}

// onChipAuthenticated resets the Terminal Authentication state: it starts
// afresh under each Chip Authentication.
func (c *Chip) onChipAuthenticated() { c.ta.resetSession() }
