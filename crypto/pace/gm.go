package pace

import (
	"io"
	"math/big"

	"github.com/cancuoc/cancuoc/apdu"
)

// genericMapping is the Generic Mapping (ICAO Doc 9303-11 §4.4.3.3.1): an
// anonymous key agreement on the static generator gives H (h), and the
// mapped generator is G' = s·G + H (g' = g^s·h).
type genericMapping struct{ noFinish }

// terminalStart draws the terminal's mapping key pair; '81' carries its
// public key.
func (genericMapping) terminalStart(p *protocol, rand io.Reader) (keyPair, error) {
	kp, err := p.dom.generate(rand)
	if err != nil {
		return keyPair{}, newErr("map nonce", 0, err)
	}
	return kp, nil
}

func (genericMapping) terminalMap(p *protocol, s []byte, sent keyPair, a authData) (domain, []byte, error) {
	const op = "map nonce"
	pkMap, ok := a.get(0x82)
	if !ok {
		return nil, nil, newErr(op, 0, ErrMalformed)
	}
	peer, canon, err := p.dom.decode(pkMap)
	if err != nil || sameKey(canon, sent.pub) {
		return nil, nil, newErr(op, 0, ErrInvalidKey)
	}
	h, err := p.dom.agree(sent, peer)
	if err != nil {
		return nil, nil, newErr(op, 0, ErrInvalidKey)
	}
	mapped, err := p.dom.genericMap(new(big.Int).SetBytes(s), h)
	if err != nil {
		return nil, nil, newErr(op, 0, ErrInvalidKey)
	}
	return mapped, append([]byte(nil), canon...), nil
}

func (genericMapping) chipMap(p *protocol, s, v []byte, rand io.Reader) (domain, keyPair, []byte, error) {
	const op = "map nonce"
	peer, canon, err := p.dom.decode(v)
	if err != nil {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrInvalidKey)
	}
	kp, err := p.dom.generate(rand)
	if err != nil {
		return nil, keyPair{}, nil, newErr(op, apdu.SWNoPreciseDiagnosis, err)
	}
	if sameKey(canon, kp.pub) {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrInvalidKey)
	}
	h, err := p.dom.agree(kp, peer)
	if err != nil {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrInvalidKey)
	}
	m, err := p.dom.genericMap(new(big.Int).SetBytes(s), h)
	if err != nil {
		return nil, keyPair{}, nil, newErr(op, apdu.SWWrongData, ErrInvalidKey)
	}
	return m, kp, kp.pub, nil
}
