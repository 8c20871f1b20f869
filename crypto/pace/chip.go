package pace

import (
	cryptorand "crypto/rand"
	"encoding/asn1"
	"io"
	"math/big"
	"sync"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// ChipConfig configures the chip side of PACE beyond its passwords and
// protocols (the arguments of NewChip). A nil *ChipConfig means all
// defaults.
type ChipConfig struct {
	// Rand supplies the nonce s and the ephemeral keys. Nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// CAKey is the static Chip Authentication private key, required for
	// PACE-CAM (on the curve of the CAM protocol). Nil by default: the
	// chip then offers no PACE-CAM protocol.
	CAKey *ec.PrivateKey
	// CARs are the references of the Terminal Authentication trust anchors
	// (the most recent first, at most two), returned in '87' and '88' of
	// the last step when the terminal sent a CHAT ('7F4C') in MSE:Set AT
	// (ICAO Doc 9303-11 §4.4.5). None by default.
	CARs [][]byte
}

func (c *ChipConfig) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

type chipState uint8

const (
	stIdle     chipState = iota // no protocol selected
	stSelected                  // MSE:Set AT done
	stNonce                     // encrypted nonce sent
	stMapped                    // mapping done
	stAgreed                    // key agreement done
)

// Chip is the chip side of PACE, a state machine that a card simulator
// drives with the commands it receives: MSE:Set AT, then four GENERAL
// AUTHENTICATE steps. Handle does the dispatching; SetAT and
// GeneralAuthenticate take the command data directly.
//
// Each failure answers a status word (ChipStatus of the error): 6A80 for
// unknown protocols and invalid data or keys, 6A88 for a password or domain
// parameters the chip does not have, 6985 for a step out of order, 6300 for
// a failed authentication token. After a failure the protocol must be
// started again with MSE:Set AT. After success, Session returns the secure
// messaging session and Result what was agreed.
type Chip struct {
	mu        sync.Mutex
	infos     []secinfo.PACEInfo
	passwords []Password
	cfg       ChipConfig
	rand      io.Reader
	state     chipState
	p         *protocol
	pw        Password
	s         []byte
	mapKey    keyPair
	mapped    domain
	kp        keyPair
	res       *Result
	chat      bool
	done      *Result
	session   *sm.Session
}

// NewChip returns the chip side of PACE offering the protocols infos (as
// its EF.CardAccess announces them, standardized domain parameters only)
// and accepting passwords (at most one per reference: the MRZ and the CAN
// for an eMRTD). Every info must be usable (see Open); a PACE-CAM info needs
// config.CAKey on its curve. A nil config means all defaults.
func NewChip(infos []secinfo.PACEInfo, passwords []Password, config *ChipConfig) (*Chip, error) {
	if len(infos) == 0 || len(passwords) == 0 {
		return nil, newErr("chip", 0, ErrUnsupported)
	}
	var c ChipConfig
	if config != nil {
		c = *config
	}
	for _, in := range infos {
		p, err := resolve(in)
		if err != nil {
			return nil, err
		}
		if err := p.mapping.checkChip(p, &c); err != nil {
			return nil, err
		}
	}
	seen := map[PasswordRef]bool{}
	for _, pw := range passwords {
		if pw.IsZero() || seen[pw.ref] {
			return nil, newErr("chip", 0, ErrPassword)
		}
		seen[pw.ref] = true
	}
	c.CARs = append([][]byte(nil), c.CARs...)
	return &Chip{
		infos:     append([]secinfo.PACEInfo(nil), infos...),
		passwords: append([]Password(nil), passwords...),
		cfg:       c,
		rand:      config.rand(),
	}, nil
}

// Handle processes MSE:Set AT for PACE (INS 22, P1-P2 C1A4) and GENERAL
// AUTHENTICATE (INS 86, P1-P2 0000) and returns the response; any other
// command is answered 6D00 (or 6A86 for other P1-P2).
func (c *Chip) Handle(cmd apdu.Command) apdu.Response {
	switch {
	case cmd.INS == apdu.INSManageSecurityEnv && uint16(cmd.P1)<<8|uint16(cmd.P2) == apdu.MSESetATPACE:
		if err := c.SetAT(cmd.Data); err != nil {
			return apdu.Response{SW: ChipStatus(err)}
		}
		return apdu.Response{SW: apdu.SWSuccess}
	case cmd.INS == apdu.INSGeneralAuthenticate:
		if cmd.P1 != 0 || cmd.P2 != 0 {
			return apdu.Response{SW: apdu.SWWrongP1P2}
		}
		data, err := c.GeneralAuthenticate(cmd.Data, cmd.CLA&apdu.CLAChaining == 0)
		if err != nil {
			return apdu.Response{SW: ChipStatus(err)}
		}
		return apdu.Response{Data: data, SW: apdu.SWSuccess}
	case cmd.INS == apdu.INSManageSecurityEnv:
		return apdu.Response{SW: apdu.SWWrongP1P2}
	}
	return apdu.Response{SW: apdu.SWINSNotSupported}
}

// reset forgets the protocol in progress.
func (c *Chip) reset() {
	clear(c.s)
	c.state, c.p, c.pw, c.s = stIdle, nil, Password{}, nil
	c.mapKey, c.mapped, c.kp, c.res, c.chat = keyPair{}, nil, keyPair{}, nil, false
}

// fail resets and returns the error to answer.
func (c *Chip) fail(op string, sw apdu.StatusWord, err error) error {
	c.reset()
	return newErr(op, sw, err)
}

// SetAT processes the data of MSE:Set AT: '80' the protocol OID, '83' the
// password reference, '84' the domain parameter identifier (needed when
// the chip offers the protocol with several). Other objects ('7F4C', ...)
// are ignored, as ICAO Doc 9303-11 §4.4.4.1 recommends.
func (c *Chip) SetAT(data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	const op = "MSE:Set AT"
	c.reset()
	c.done, c.session = nil, nil
	if len(data) > MaxDataLen {
		return c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	var oidBytes, ref, pid []byte
	var hasOID, hasRef, hasPID bool
	r := tlv.NewReader(data)
	for r.Next() {
		o := r.TLV()
		switch o.Tag {
		case 0x80:
			oidBytes, hasOID = o.Value, true
		case 0x83:
			ref, hasRef = o.Value, true
		case 0x84:
			pid, hasPID = o.Value, true
		case 0x7F4C:
			c.chat = true
		}
	}
	if r.Err() != nil || !hasOID || !hasRef || len(ref) != 1 || (hasPID && (len(pid) == 0 || len(pid) > 2)) {
		return c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	oid, ok := parseOID(oidBytes)
	if !ok {
		return c.fail(op, apdu.SWWrongData, ErrUnsupported)
	}
	var info *secinfo.PACEInfo
	known := false
	for i := range c.infos {
		in := &c.infos[i]
		if !in.Protocol.Equal(oid) {
			continue
		}
		known = true
		if !hasPID || in.ParameterID == int(new(big.Int).SetBytes(pid).Int64()) {
			info = in
			break
		}
	}
	if !known {
		return c.fail(op, apdu.SWWrongData, ErrUnsupported)
	}
	if info == nil {
		return c.fail(op, apdu.SWReferenceDataNotFound, ErrUnsupported)
	}
	var pw Password
	for _, cand := range c.passwords {
		if byte(cand.ref) == ref[0] {
			pw = cand
		}
	}
	if pw.IsZero() {
		return c.fail(op, apdu.SWReferenceDataNotFound, ErrPassword)
	}
	p, err := resolve(*info)
	if err != nil {
		return c.fail(op, apdu.SWWrongData, ErrUnsupported)
	}
	c.p, c.pw, c.state = p, pw, stSelected
	return nil
}

// parseOID reads the contents octets of an OBJECT IDENTIFIER.
func parseOID(b []byte) (asn1.ObjectIdentifier, bool) {
	if len(b) == 0 || len(b) > 64 {
		return nil, false
	}
	der := append([]byte{0x06, byte(len(b))}, b...)
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(der, &oid)
	return oid, err == nil && len(rest) == 0
}

// GeneralAuthenticate processes the data of one GENERAL AUTHENTICATE
// command (the '7C' template) and returns the response data. last tells
// whether the command came without the chaining bit: only the mutual
// authentication step may.
func (c *Chip) GeneralAuthenticate(data []byte, last bool) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	const op = "GENERAL AUTHENTICATE"
	if c.state == stIdle {
		return nil, c.fail(op, apdu.SWConditionsNotSatisfied, ErrSequence)
	}
	if last != (c.state == stAgreed) {
		return nil, c.fail(op, apdu.SWConditionsNotSatisfied, ErrSequence)
	}
	a, err := parseAuthData(data)
	if err != nil {
		return nil, c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	switch c.state {
	case stSelected:
		return c.encryptedNonce(a)
	case stNonce:
		return c.mapNonce(a)
	case stMapped:
		return c.keyAgreement(a)
	default:
		return c.mutualAuth(a)
	}
}

func (c *Chip) encryptedNonce(a authData) ([]byte, error) {
	const op = "encrypted nonce"
	if a.has != 0 {
		return nil, c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	s := make([]byte, nonceLen(c.p.cipher))
	for {
		if _, err := io.ReadFull(c.rand, s); err != nil {
			return nil, c.fail(op, apdu.SWNoPreciseDiagnosis, ErrRandom)
		}
		if new(big.Int).SetBytes(s).Sign() != 0 {
			break
		}
	}
	kpi := c.pw.kpi(c.p.cipher)
	z, err := sm.Encrypt(c.p.cipher, kpi, nil, s)
	clear(kpi)
	if err != nil {
		return nil, c.fail(op, apdu.SWNoPreciseDiagnosis, ErrUnsupported)
	}
	c.s, c.state = s, stNonce
	return authTemplate(do(0x80, z)), nil
}

func (c *Chip) mapNonce(a authData) ([]byte, error) {
	const op = "map nonce"
	v, ok := a.get(0x81)
	if !ok {
		return nil, c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	m, kp, reply, err := c.p.mapping.chipMap(c.p, c.s, v, c.rand)
	if err != nil {
		c.reset()
		return nil, err
	}
	c.mapKey, c.mapped, c.state = kp, m, stMapped
	return authTemplate(do(0x82, reply)), nil
}

func (c *Chip) keyAgreement(a authData) ([]byte, error) {
	const op = "key agreement"
	v, ok := a.get(0x83)
	if !ok {
		return nil, c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	peer, canon, err := c.mapped.decode(v)
	if err != nil {
		return nil, c.fail(op, apdu.SWWrongData, ErrInvalidKey)
	}
	kp, err := c.mapped.generate(c.rand)
	if err != nil {
		return nil, c.fail(op, apdu.SWNoPreciseDiagnosis, err)
	}
	if sameKey(canon, kp.pub) {
		return nil, c.fail(op, apdu.SWWrongData, ErrInvalidKey)
	}
	shared, err := c.mapped.agree(kp, peer)
	if err != nil {
		return nil, c.fail(op, apdu.SWWrongData, ErrInvalidKey)
	}
	secret := c.mapped.secret(shared)
	p := c.p
	res := &Result{
		Protocol:    p.oid,
		PACE:        p.desc,
		ParameterID: p.paramID,
		Password:    c.pw.ref,
		Cipher:      p.cipher,
		ChipKey:     kp.pub,
		TerminalKey: append([]byte(nil), canon...),
	}
	res.kEnc, res.kMAC = sm.DeriveSessionKeys(p.cipher, secret)
	clear(secret)
	if c.mapKey.pub != nil {
		res.ChipMappingKey = c.mapKey.pub
	}
	c.kp, c.res, c.state = kp, res, stAgreed
	return authTemplate(do(0x84, kp.pub)), nil
}

func (c *Chip) mutualAuth(a authData) ([]byte, error) {
	const op = "mutual authentication"
	tIFD, ok := a.get(0x85)
	if !ok || len(tIFD) != sm.MACSize {
		return nil, c.fail(op, apdu.SWWrongData, ErrMalformed)
	}
	p, res := c.p, c.res
	tag := c.mapped.keyTag()
	if ok, err := sm.VerifyAuthToken(p.cipher, res.kMAC, publicKeyDO(p, tag, res.ChipKey), tIFD); err != nil || !ok {
		return nil, c.fail(op, swAuthFailed, ErrAuthentication)
	}
	tIC, err := sm.AuthToken(p.cipher, res.kMAC, publicKeyDO(p, tag, res.TerminalKey))
	if err != nil {
		return nil, c.fail(op, apdu.SWNoPreciseDiagnosis, ErrUnsupported)
	}
	objs := [][]byte{do(0x86, tIC)}
	if c.chat {
		for i, car := range c.cfg.CARs {
			if i < 2 {
				objs = append(objs, do(tlv.Tag(0x87+i), car))
			}
		}
	}
	extra, err := p.mapping.chipFinish(&c.cfg, c.mapKey, res)
	if err != nil {
		c.reset()
		return nil, err
	}
	if extra != nil {
		objs = append(objs, extra)
	}
	sess, err := res.NewSession()
	if err != nil {
		return nil, c.fail(op, apdu.SWNoPreciseDiagnosis, ErrUnsupported)
	}
	c.reset()
	c.done, c.session = res, sess
	return authTemplate(objs...), nil
}

// Session returns the secure messaging session of the last successful
// PACE, or nil. A new MSE:Set AT drops it.
func (c *Chip) Session() *sm.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

// Result returns what the last successful PACE agreed, or nil.
func (c *Chip) Result() *Result {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

// swAuthFailed is 6300, authentication failed (ICAO Doc 9303-11 §4.4.4.2).
const swAuthFailed apdu.StatusWord = 0x6300
