package pace

import (
	"context"
	cryptorand "crypto/rand"
	"errors"
	"io"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// Config configures the terminal side of PACE beyond the password and the
// protocol (the arguments of Open). A nil *Config means all defaults.
type Config struct {
	// Rand supplies the ephemeral keys and, for the Integrated Mapping, the
	// nonce t. Nil means crypto/rand.Reader.
	Rand io.Reader
	// OmitParameterID leaves the domain parameter identifier ('84') out of
	// MSE:Set AT. ICAO Doc 9303-11 §4.4.4.1 requires it only when the chip
	// offers several sets of domain parameters; the worked examples omit
	// it. False by default: the identifier is sent.
	OmitParameterID bool
	// CHAT is a certificate holder authorization template (the whole
	// encoded '7F4C' object) to send in MSE:Set AT, asking the chip for the
	// references of its Terminal Authentication trust anchors (returned in
	// Result.CARs). Nil by default: no CHAT is sent.
	CHAT []byte
}

func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

func (c *Config) omitParameterID() bool { return c != nil && c.OmitParameterID }

func (c *Config) chat() []byte {
	if c == nil {
		return nil
	}
	return c.CHAT
}

// Open runs PACE as the terminal (inspection system) over t: MSE:Set AT
// selecting the protocol of info and the password, then four chained
// GENERAL AUTHENTICATE commands (encrypted nonce, map nonce, key agreement,
// mutual authentication).
//
// info names the protocol and the standardized domain parameters (from
// EF.CardAccess, or built as secinfo.PACEInfo{Protocol: oid, ParameterID:
// id, HasParameterID: true}). config may be nil for all defaults. On success
// the Result holds the session keys; start secure messaging with
// Result.NewSession. A wrong password gives an error matching
// ErrAuthentication.
func Open(ctx context.Context, t apdu.Transmitter, pw Password, info secinfo.PACEInfo, config *Config) (*Result, error) {
	if pw.IsZero() {
		return nil, newErr("password", 0, ErrPassword)
	}
	p, err := resolve(info)
	if err != nil {
		return nil, err
	}
	term := &terminal{ctx: ctx, t: t, p: p, rand: config.rand()}
	return term.run(pw, config)
}

type terminal struct {
	ctx  context.Context
	t    apdu.Transmitter
	p    *protocol
	rand io.Reader
}

// send transmits one command and returns the response data, mapping status
// words to errors.
func (s *terminal) send(op string, cmd apdu.Command) ([]byte, error) {
	resp, err := s.t.Transmit(s.ctx, cmd)
	if err != nil {
		return nil, &Error{Op: op, Err: errors.Join(ErrChip, err)}
	}
	if resp.SW != apdu.SWSuccess {
		switch {
		case resp.SW == 0x6300 || resp.SW&0xFFF0 == 0x63C0:
			return nil, newErr(op, resp.SW, ErrAuthentication)
		case resp.SW == apdu.SWReferenceDataNotFound && op == "MSE:Set AT":
			return nil, newErr(op, resp.SW, ErrPassword)
		default:
			return nil, newErr(op, resp.SW, ErrChip)
		}
	}
	return resp.Data, nil
}

// step sends one GENERAL AUTHENTICATE with the given objects and parses the
// response template.
func (s *terminal) step(op string, objects []byte, last bool) (authData, error) {
	cmd := apdu.GeneralAuthenticate(objects, last)
	// A response carrying a public key of a large group does not fit in
	// 256 bytes: ask for an extended one.
	if s.p.dom.prime().BitLen() > 1536 {
		cmd.Ne = apdu.MaxNe
	}
	data, err := s.send(op, cmd)
	if err != nil {
		return authData{}, err
	}
	if len(data) == 0 {
		return authData{}, nil
	}
	a, err := parseAuthData(data)
	if err != nil {
		return authData{}, newErr(op, 0, ErrMalformed)
	}
	return a, nil
}

func (s *terminal) run(pw Password, config *Config) (*Result, error) {
	p := s.p
	paramID := p.paramID
	if config.omitParameterID() {
		paramID = -1
	}
	mse, err := apdu.MSESetPACE(p.oidBytes, byte(pw.ref), paramID, config.chat())
	if err != nil {
		return nil, newErr("MSE:Set AT", 0, ErrUnsupported)
	}
	if _, err := s.send("MSE:Set AT", mse); err != nil {
		return nil, err
	}

	// 1. Encrypted nonce.
	a, err := s.step("encrypted nonce", nil, false)
	if err != nil {
		return nil, err
	}
	z, ok := a.get(0x80)
	bs := p.cipher.BlockSize()
	if !ok || len(z) == 0 || len(z)%bs != 0 || len(z) > 64 {
		return nil, newErr("encrypted nonce", 0, ErrMalformed)
	}
	kpi := pw.kpi(p.cipher)
	sBytes, err := sm.Decrypt(p.cipher, kpi, nil, z)
	clear(kpi)
	if err != nil {
		return nil, newErr("encrypted nonce", 0, ErrMalformed)
	}
	defer clear(sBytes)

	res := &Result{
		Protocol:    p.oid,
		PACE:        p.desc,
		ParameterID: p.paramID,
		Password:    pw.ref,
		Cipher:      p.cipher,
	}

	// 2. Map nonce.
	sent, err := p.mapping.terminalStart(p, s.rand)
	if err != nil {
		return nil, err
	}
	if a, err = s.step("map nonce", do(0x81, sent.pub), false); err != nil {
		return nil, err
	}
	mapped, chipMapKey, err := p.mapping.terminalMap(p, sBytes, sent, a)
	if err != nil {
		return nil, err
	}
	res.ChipMappingKey = chipMapKey

	// 3. Key agreement.
	kp, err := mapped.generate(s.rand)
	if err != nil {
		return nil, newErr("key agreement", 0, err)
	}
	a, err = s.step("key agreement", do(0x83, kp.pub), false)
	if err != nil {
		return nil, err
	}
	pkIC, ok := a.get(0x84)
	if !ok {
		return nil, newErr("key agreement", 0, ErrMalformed)
	}
	peer, canon, err := mapped.decode(pkIC)
	if err != nil || sameKey(canon, kp.pub) {
		return nil, newErr("key agreement", 0, ErrInvalidKey)
	}
	shared, err := mapped.agree(kp, peer)
	if err != nil {
		return nil, newErr("key agreement", 0, ErrInvalidKey)
	}
	secret := mapped.secret(shared)
	res.kEnc, res.kMAC = sm.DeriveSessionKeys(p.cipher, secret)
	clear(secret)
	res.ChipKey = append([]byte(nil), canon...)
	res.TerminalKey = kp.pub

	// 4. Mutual authentication.
	tag := mapped.keyTag()
	tIFD, err := sm.AuthToken(p.cipher, res.kMAC, publicKeyDO(p, tag, res.ChipKey))
	if err != nil {
		return nil, newErr("mutual authentication", 0, ErrUnsupported)
	}
	a, err = s.step("mutual authentication", do(0x85, tIFD), true)
	if err != nil {
		return nil, err
	}
	tIC, ok := a.get(0x86)
	if !ok || len(tIC) != sm.MACSize {
		return nil, newErr("mutual authentication", 0, ErrMalformed)
	}
	if ok, err := sm.VerifyAuthToken(p.cipher, res.kMAC, publicKeyDO(p, tag, res.TerminalKey), tIC); err != nil || !ok {
		return nil, newErr("mutual authentication", 0, ErrAuthentication)
	}
	for _, t := range []byte{0x87, 0x88} {
		if car, ok := a.get(t); ok {
			res.CARs = append(res.CARs, append([]byte(nil), car...))
		}
	}
	if err := p.mapping.terminalFinish(a, res); err != nil {
		return nil, err
	}
	return res, nil
}
