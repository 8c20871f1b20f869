package bac

import (
	cryptorand "crypto/rand"
	"crypto/subtle"
	"errors"
	"io"
	"sync"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// Chip is the chip side of BAC, a state machine a card simulator drives
// with the commands it receives: GET CHALLENGE, then EXTERNAL
// AUTHENTICATE. Once authentication succeeds, Session returns the secure
// messaging session to unwrap the next commands with.
//
// A challenge serves once: EXTERNAL AUTHENTICATE consumes it whether it
// succeeds or not, so a terminal cannot try several keys against one
// challenge.
type Chip struct {
	mu        sync.Mutex
	key       *Key
	rand      io.Reader
	rndICC    [NonceSize]byte
	challenge bool
	session   *sm.Session
}

// ChipConfig configures the chip side of BAC beyond its key (the argument
// of NewChip). A nil *ChipConfig means all defaults.
type ChipConfig struct {
	// Rand gives RND.ICC (8 bytes per challenge) and K.ICC (16 bytes per
	// authentication). Nil means crypto/rand.Reader.
	Rand io.Reader
}

func (c *ChipConfig) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

// NewChip returns the chip side for the document whose key is k (NewKey
// from its MRZ information). config may be nil for all defaults.
func NewChip(k *Key, config *ChipConfig) (*Chip, error) {
	if k == nil {
		return nil, &Error{Op: "key", Err: ErrKey}
	}
	return &Chip{key: k, rand: config.rand()}, nil
}

// Session returns the session established by the last successful EXTERNAL
// AUTHENTICATE, or nil.
func (c *Chip) Session() *sm.Session {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

// Handle processes one plain command and returns the response to send.
// The error, if not nil, says why the command failed (for logs); the
// response then carries the status word the chip answers with: 6300 for a
// failed authentication (ICAO Doc 9303-11 §4.3.4), 6985 without a
// challenge, 6700 or 6A86 for malformed commands, 6D00 for an INS that is
// not BAC's, 6F00 when the random source fails.
func (c *Chip) Handle(cmd apdu.Command) (apdu.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch cmd.INS {
	case apdu.INSGetChallenge:
		return c.getChallenge(cmd)
	case apdu.INSExternalAuthenticate:
		return c.externalAuthenticate(cmd)
	}
	return apdu.Response{SW: apdu.SWINSNotSupported}, &Error{Op: "chip", SW: apdu.SWINSNotSupported, Err: ErrCommand}
}

func (c *Chip) getChallenge(cmd apdu.Command) (apdu.Response, error) {
	const op = "chip GET CHALLENGE"
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return apdu.Response{SW: apdu.SWWrongP1P2}, &Error{Op: op, SW: apdu.SWWrongP1P2, Err: ErrCommand}
	}
	if len(cmd.Data) != 0 || cmd.Ne != NonceSize {
		return apdu.Response{SW: apdu.SWWrongLength}, &Error{Op: op, SW: apdu.SWWrongLength, Err: ErrCommand}
	}
	c.challenge = false
	if _, err := io.ReadFull(c.rand, c.rndICC[:]); err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}, &Error{Op: op, Err: errors.Join(ErrRandom, err)}
	}
	c.challenge = true
	return apdu.Response{Data: append([]byte(nil), c.rndICC[:]...), SW: apdu.SWSuccess}, nil
}

func (c *Chip) externalAuthenticate(cmd apdu.Command) (apdu.Response, error) {
	const op = "chip EXTERNAL AUTHENTICATE"
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return apdu.Response{SW: apdu.SWWrongP1P2}, &Error{Op: op, SW: apdu.SWWrongP1P2, Err: ErrCommand}
	}
	if len(cmd.Data) != authDataLen || (cmd.Ne != authDataLen && cmd.Ne != apdu.MaxShortNe) {
		return apdu.Response{SW: apdu.SWWrongLength}, &Error{Op: op, SW: apdu.SWWrongLength, Err: ErrCommand}
	}
	if !c.challenge {
		return apdu.Response{SW: apdu.SWConditionsNotSatisfied}, &Error{Op: op, SW: apdu.SWConditionsNotSatisfied, Err: ErrNoChallenge}
	}
	c.challenge = false
	c.session = nil
	denied := apdu.Response{SW: 0x6300}
	kEnc, kMAC := c.key.Enc(), c.key.MAC()
	defer clear(kEnc)
	defer clear(kMAC)
	// S = RND.IFD || RND.ICC || K.IFD
	s, err := open(kEnc, kMAC, cmd.Data, op)
	if err != nil {
		return denied, err
	}
	defer clear(s)
	if subtle.ConstantTimeCompare(s[8:16], c.rndICC[:]) != 1 {
		return denied, &Error{Op: op, Err: ErrNonce}
	}
	// R = RND.ICC || RND.IFD || K.ICC
	var r [cryptogramLen]byte
	defer clear(r[:])
	copy(r[0:8], c.rndICC[:])
	copy(r[8:16], s[0:8])
	if _, err := io.ReadFull(c.rand, r[16:32]); err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}, &Error{Op: op, Err: errors.Join(ErrRandom, err)}
	}
	auth, err := seal(kEnc, kMAC, r[:])
	if err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}, err
	}
	sess, err := session(s[16:32], r[16:32], c.rndICC[:], s[0:8])
	if err != nil {
		return apdu.Response{SW: apdu.SWNoPreciseDiagnosis}, err
	}
	c.session = sess
	return apdu.Response{Data: auth, SW: apdu.SWSuccess}, nil
}
