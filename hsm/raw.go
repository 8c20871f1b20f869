//go:build cgo

package hsm

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"sync"

	"github.com/miekg/pkcs11"

	"github.com/cancuoc/cancuoc/crypto/ec"
)

// crypto11 addresses only the NIST curves; brainpool keys go through the
// PKCS#11 module directly (miekg/pkcs11, the library under crypto11), on
// sessions of their own in the same logged-in application: login belongs
// to the application, not to a session, so these sessions are logged in
// too.

// direct is the module opened a second time, after crypto11 initialized it.
type direct struct {
	ctx  *pkcs11.Ctx
	slot uint
	mu   sync.Mutex
	free []pkcs11.SessionHandle
}

// directModule opens the module directly on first use.
func (t *Token) directModule() (*direct, error) {
	t.directMu.Lock()
	defer t.directMu.Unlock()
	if t.closed {
		return nil, &Error{Op: fmt.Sprintf("token %q", t.cfg.Token), Kind: ErrTokenRemoved, Err: errors.New("closed")}
	}
	if t.direct != nil {
		return t.direct, nil
	}
	p := pkcs11.New(t.cfg.Module)
	if p == nil {
		return nil, &Error{Op: "open module " + t.cfg.Module, Kind: ErrModule}
	}
	if err := p.Initialize(); err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
		p.Destroy()
		return nil, classify("initialize module", err, t.cfg.PIN)
	}
	slots, err := p.GetSlotList(true)
	if err != nil {
		p.Destroy()
		return nil, classify("list slots", err, t.cfg.PIN)
	}
	for _, s := range slots {
		if ti, err := p.GetTokenInfo(s); err == nil && ti.Label == t.cfg.Token {
			t.direct = &direct{ctx: p, slot: s}
			return t.direct, nil
		}
	}
	p.Destroy()
	return nil, &Error{Op: fmt.Sprintf("open token %q", t.cfg.Token), Kind: ErrTokenNotFound}
}

// close closes the sessions and lets go of the module without finalizing
// it (crypto11 does that).
func (d *direct) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, s := range d.free {
		_ = d.ctx.CloseSession(s)
	}
	d.free = nil
	d.ctx.Destroy()
}

func (d *direct) session() (pkcs11.SessionHandle, error) {
	d.mu.Lock()
	if n := len(d.free); n > 0 {
		s := d.free[n-1]
		d.free = d.free[:n-1]
		d.mu.Unlock()
		return s, nil
	}
	d.mu.Unlock()
	return d.ctx.OpenSession(d.slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION)
}

func (d *direct) put(s pkcs11.SessionHandle, err error) {
	if err != nil {
		// A session that failed may be dead: do not keep it.
		_ = d.ctx.CloseSession(s)
		return
	}
	d.mu.Lock()
	d.free = append(d.free, s)
	d.mu.Unlock()
}

var brainpoolCurves = map[KeyType]*ec.Curve{
	BrainpoolP256r1: ec.BrainpoolP256r1(),
	BrainpoolP384r1: ec.BrainpoolP384r1(),
}

// generateBrainpool makes a brainpool key pair through the module directly.
// A token that does not take the curve says so (ErrUnsupportedKey).
func (t *Token) generateBrainpool(op, label string, kt KeyType) (*Key, error) {
	d, err := t.directModule()
	if err != nil {
		return nil, err
	}
	curve := brainpoolCurves[kt]
	params, err := asn1.Marshal(curve.OID())
	if err != nil {
		return nil, &Error{Op: op, Kind: ErrUnsupportedKey, Err: err}
	}
	s, err := d.session()
	if err != nil {
		return nil, classify(op, err, t.cfg.PIN)
	}
	pubT := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PUBLIC_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true),
		pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, params),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_ID, []byte(label)),
	}
	privT := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false),
		pkcs11.NewAttribute(pkcs11.CKA_DECRYPT, false),
		pkcs11.NewAttribute(pkcs11.CKA_DERIVE, false),
		pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		pkcs11.NewAttribute(pkcs11.CKA_ID, []byte(label)),
	}
	pubH, privH, err := d.ctx.GenerateKeyPair(s, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_EC_KEY_PAIR_GEN, nil)}, pubT, privT)
	d.put(s, err)
	if err != nil {
		e := classify(op, err, t.cfg.PIN)
		var he *Error
		if errors.As(e, &he) && (he.Kind == ErrUnsupportedKey || he.Code == pkcs11.CKR_TEMPLATE_INCONSISTENT || he.Code == pkcs11.CKR_ATTRIBUTE_VALUE_INVALID) {
			he.Kind = ErrUnsupportedKey
			he.Err = fmt.Errorf("the token does not take %s keys; use p256, p384 or an RSA key", kt)
		}
		return nil, e
	}
	pub, err := d.ecPublic(pubH, curve)
	if err != nil {
		return nil, classify(op, err, t.cfg.PIN)
	}
	return &Key{label: label, token: t, direct: d, priv: privH, pub: pub}, nil
}

// ecPublic reads CKA_EC_POINT of a public key object on curve.
func (d *direct) ecPublic(h pkcs11.ObjectHandle, curve *ec.Curve) (*ec.PublicKey, error) {
	s, err := d.session()
	if err != nil {
		return nil, err
	}
	a, err := d.ctx.GetAttributeValue(s, h, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
	d.put(s, err)
	if err != nil {
		return nil, err
	}
	var point []byte
	if rest, err := asn1.Unmarshal(a[0].Value, &point); err != nil || len(rest) > 0 {
		point = a[0].Value // some tokens give the bare point
	}
	return ec.NewPublicKey(curve, point)
}

// findBrainpool finds a brainpool key pair by label; nil when there is
// none on a brainpool curve.
func (t *Token) findBrainpool(label string) (*Key, error) {
	d, err := t.directModule()
	if err != nil {
		return nil, err
	}
	find := func(class uint) ([]pkcs11.ObjectHandle, error) {
		s, err := d.session()
		if err != nil {
			return nil, err
		}
		defer func() { d.put(s, err) }()
		if err = d.ctx.FindObjectsInit(s, []*pkcs11.Attribute{
			pkcs11.NewAttribute(pkcs11.CKA_CLASS, class), pkcs11.NewAttribute(pkcs11.CKA_LABEL, label),
		}); err != nil {
			return nil, err
		}
		objs, _, ferr := d.ctx.FindObjects(s, 4)
		if err = d.ctx.FindObjectsFinal(s); ferr != nil {
			err = ferr
		}
		return objs, err
	}
	privs, err := find(pkcs11.CKO_PRIVATE_KEY)
	if err != nil || len(privs) != 1 {
		return nil, err
	}
	pubs, err := find(pkcs11.CKO_PUBLIC_KEY)
	if err != nil || len(pubs) != 1 {
		return nil, err
	}
	s, err := d.session()
	if err != nil {
		return nil, err
	}
	a, err := d.ctx.GetAttributeValue(s, pubs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, nil)})
	d.put(s, err)
	if err != nil {
		return nil, err
	}
	var oid asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(a[0].Value, &oid); err != nil {
		return nil, nil
	}
	for _, c := range brainpoolCurves {
		if c.OID().Equal(oid) {
			pub, err := d.ecPublic(pubs[0], c)
			if err != nil {
				return nil, err
			}
			return &Key{label: label, token: t, direct: d, priv: privs[0], pub: pub}, nil
		}
	}
	return nil, nil
}

// signDirect signs digest with CKM_ECDSA and encodes r||s as DER.
func (k *Key) signDirect(digest []byte) ([]byte, error) {
	d := k.direct
	s, err := d.session()
	if err != nil {
		return nil, err
	}
	var sig []byte
	if err = d.ctx.SignInit(s, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_ECDSA, nil)}, k.priv); err == nil {
		sig, err = d.ctx.Sign(s, digest)
	}
	d.put(s, err)
	if err != nil {
		return nil, err
	}
	if len(sig) == 0 || len(sig)%2 != 0 {
		return nil, fmt.Errorf("the token returned a %d-byte ECDSA signature", len(sig))
	}
	n := len(sig) / 2
	return ec.EncodeSignatureASN1(new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])), nil
}
