package sm

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/tlv"
)

// Secure messaging data objects (ISO/IEC 7816-4 §10.2, ICAO Doc 9303-11
// §9.8).
const (
	tagCryptogramTLV    tlv.Tag = 0x85 // cryptogram of BER-TLV data (odd INS)
	tagCryptogramPadded tlv.Tag = 0x87 // padding indicator 01 || cryptogram
	tagLe               tlv.Tag = 0x97 // Ne, 1 or 2 bytes
	tagSW               tlv.Tag = 0x99 // status word of the response
	tagMAC              tlv.Tag = 0x8E // cryptographic checksum
)

// claSM are the CLA bits of a protected command: secure messaging with the
// header authenticated (ISO/IEC 7816-4 §5.4.1, ICAO's '0C').
const claSM = 0x0C

type role uint8

const (
	roleNone role = iota
	roleTerminal
	roleChip
)

// Session is one secure messaging session: the cipher, the session keys
// K_Enc and K_MAC and the send sequence counter (SSC). The terminal uses
// Wrap and Unwrap, the chip UnwrapCommand and WrapResponse; a session
// serves one side only, fixed by its first call, and the calls of that
// side must alternate, each incrementing the SSC once.
//
// Any error kills the session: every later call returns an error wrapping
// ErrSessionDead, and the keys are dropped. The card does the same on its
// side (it answers 6987 or 6988 and forgets its keys), so the only way on
// is a new authentication.
//
// A Session is safe for use by several goroutines, though a protocol
// exchange is sequential by nature.
type Session struct {
	mu   sync.Mutex
	c    Cipher
	enc  cipher.Block
	mac  *macKey
	ssc  [16]byte
	role role
	busy bool // a command is in flight (terminal) or being processed (chip)
	ins  byte // INS of the command in flight
	// undo is the counter before the command in flight, kept when the
	// command carries no data (see ErrLengthRejected).
	undo    [16]byte
	canUndo bool
	err     error
	input   []byte // scratch for the MAC input
}

// NewSession starts a session with the given keys and initial SSC (8
// bytes for 3DES, 16 for AES; nil for zero). The keys are copied. BAC's
// SSC is RND.ICC[4:8] || RND.IFD[4:8]; PACE and Chip Authentication start
// at zero.
func NewSession(c Cipher, kEnc, kMAC, ssc []byte) (*Session, error) {
	if !c.Valid() {
		return nil, &Error{Op: "new session", Err: ErrCipher}
	}
	if ssc == nil {
		ssc = make([]byte, c.BlockSize())
	}
	if len(ssc) != c.BlockSize() {
		return nil, &Error{Op: "new session", Err: ErrSSCSize}
	}
	enc, err := NewBlock(c, kEnc)
	if err != nil {
		return nil, err
	}
	mac, err := newMACKey(c, kMAC)
	if err != nil {
		return nil, err
	}
	s := &Session{c: c, enc: enc, mac: mac}
	copy(s.ssc[:], ssc)
	return s, nil
}

// Cipher returns the session's cipher.
func (s *Session) Cipher() Cipher { return s.c }

// SSC returns a copy of the current send sequence counter.
func (s *Session) SSC() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.ssc[:s.c.BlockSize()]...)
}

// Err returns the error that killed the session, or nil while it lives.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close ends the session: later calls fail with ErrSessionDead.
func (s *Session) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.kill(&Error{Op: "close", Err: ErrSessionDead})
}

// String names the cipher and whether the session lives; keys and SSC are
// never printed.
func (s *Session) String() string {
	if s.Err() != nil {
		return fmt.Sprintf("sm.Session(%s, dead)", s.c)
	}
	return fmt.Sprintf("sm.Session(%s, keys redacted)", s.c)
}

// GoString is String, so that %#v does not print keys either.
func (s *Session) GoString() string { return s.String() }

func (s *Session) kill(err error) {
	if s.err == nil {
		s.err = err
	}
	s.enc, s.mac = nil, nil
	s.ssc, s.undo, s.canUndo = [16]byte{}, [16]byte{}, false
	clear(s.input)
}

// fail kills the session and returns err as an *Error.
func (s *Session) fail(op string, tag tlv.Tag, sw apdu.StatusWord, err error) error {
	e := &Error{Op: op, Tag: tag, SW: sw, Err: err}
	s.kill(e)
	return e
}

// begin checks that the session lives and that the call fits the role and
// the sequence.
func (s *Session) begin(op string, r role, wantBusy bool) error {
	if s.err != nil {
		return &Error{Op: op, Err: ErrSessionDead}
	}
	if s.role == roleNone {
		s.role = r
	}
	if s.role != r || s.busy != wantBusy {
		return s.fail(op, 0, 0, ErrSequence)
	}
	return nil
}

func (s *Session) incSSC() {
	b := s.ssc[:s.c.BlockSize()]
	for i := len(b) - 1; i >= 0; i-- {
		b[i]++
		if b[i] != 0 {
			return
		}
	}
}

// iv is the zero block for 3DES and E(K_Enc, SSC) for AES (ICAO Doc
// 9303-11 §9.8.6.1).
func (s *Session) iv() []byte {
	bs := s.c.BlockSize()
	iv := make([]byte, bs)
	if s.c != TDES {
		s.enc.Encrypt(iv, s.ssc[:bs])
	}
	return iv
}

// encryptDO appends the data object carrying data encrypted: '87' with
// the padding indicator 01, or '85' when odd is set.
func (s *Session) encryptDO(dst, data []byte, odd bool) []byte {
	bs := s.c.BlockSize()
	n := (len(data)/bs + 1) * bs
	tag := tagCryptogramPadded
	vlen := n + 1
	if odd {
		tag, vlen = tagCryptogramTLV, n
	}
	dst = tag.AppendTo(dst)
	dst = tlv.AppendLength(dst, vlen)
	if !odd {
		dst = append(dst, 0x01)
	}
	start := len(dst)
	dst = Pad(dst, data, bs)
	ct := dst[start:]
	cipher.NewCBCEncrypter(s.enc, s.iv()).CryptBlocks(ct, ct)
	return dst
}

// decryptDO decrypts the value of a '87' or '85' object.
func (s *Session) decryptDO(op string, do tlv.TLV) ([]byte, error) {
	bs := s.c.BlockSize()
	ct := do.Value
	if do.Tag == tagCryptogramPadded {
		if len(ct) == 0 || ct[0] != 0x01 {
			return nil, s.fail(op, do.Tag, 0, ErrMalformedDO)
		}
		ct = ct[1:]
	}
	if len(ct) == 0 || len(ct)%bs != 0 {
		return nil, s.fail(op, do.Tag, 0, ErrMalformedDO)
	}
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(s.enc, s.iv()).CryptBlocks(pt, ct)
	pt, err := Unpad(pt, bs)
	if err != nil {
		return nil, s.fail(op, do.Tag, 0, ErrPadding)
	}
	return pt, nil
}

// macOver computes the MAC of SSC || [padded header] || objects, padded.
func (s *Session) macOver(out *[16]byte, header []byte, objects []byte) {
	bs := s.c.BlockSize()
	in := append(s.input[:0], s.ssc[:bs]...)
	if header != nil {
		in = Pad(in, header, bs)
	}
	in = append(in, objects...)
	in = padTo(in, len(in), bs)
	s.input = in
	s.mac.sum(out, in)
}

// Wrap protects a command (terminal side): the data encrypted in DO '87'
// (DO '85' for an odd INS), Ne in DO '97', the MAC in DO '8E', CLA with
// the bits '0C'. The protected command asks for Ne 256 ('00'), or 65536
// ('0000') when it needs extended length (an extended command, or
// protected data too long for a short one). The terminal must choose the
// plain Ne, and mark the command extended, so that the protected response
// fits: MaxPlainResponse(256, block size) bytes of data (223 with AES, 231
// with 3DES) fit in a short response.
func (s *Session) Wrap(cmd apdu.Command) (apdu.Command, error) {
	const op = "wrap"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(op, roleTerminal, false); err != nil {
		return apdu.Command{}, err
	}
	if cmd.CLA&claSM != 0 {
		return apdu.Command{}, s.fail(op, 0, 0, ErrUnexpectedDO)
	}
	if len(cmd.Data) > apdu.MaxNc || cmd.Ne < 0 || cmd.Ne > apdu.MaxNe {
		return apdu.Command{}, s.fail(op, 0, 0, ErrTooLong)
	}
	s.undo, s.canUndo = s.ssc, len(cmd.Data) == 0
	s.incSSC()
	ext := cmd.IsExtended()
	bs := s.c.BlockSize()
	data := make([]byte, 0, len(cmd.Data)+2*bs+16)
	if len(cmd.Data) > 0 {
		data = s.encryptDO(data, cmd.Data, cmd.INS&1 == 1)
	}
	if cmd.Ne > 0 {
		if ext {
			data = append(data, byte(tagLe), 2, byte(cmd.Ne>>8), byte(cmd.Ne))
		} else {
			data = append(data, byte(tagLe), 1, byte(cmd.Ne))
		}
	}
	header := []byte{cmd.CLA | claSM, cmd.INS, cmd.P1, cmd.P2}
	var sum [16]byte
	s.macOver(&sum, header, data)
	data = append(data, byte(tagMAC), MACSize)
	data = append(data, sum[:MACSize]...)
	if len(data) > apdu.MaxNc {
		return apdu.Command{}, s.fail(op, 0, 0, ErrTooLong)
	}
	out := apdu.Command{CLA: header[0], INS: cmd.INS, P1: cmd.P1, P2: cmd.P2, Data: data, Ne: apdu.MaxShortNe}
	if ext || len(data) > apdu.MaxShortNc {
		out.Ne, out.Extended = apdu.MaxNe, true
	}
	s.busy, s.ins = true, cmd.INS
	return out, nil
}

// Unwrap checks and decrypts the card's protected response (terminal
// side). The MAC is verified, in constant time, before anything is
// decrypted. A response of only a status word is an error: 6987/6988
// (ErrCardSM, the card rejected our secure messaging) or any other
// (ErrNotProtected: an unauthenticated status cannot be trusted, and the
// card has ended the session). The returned Response carries the status
// word of DO '99'.
func (s *Session) Unwrap(resp apdu.Response) (apdu.Response, error) {
	const op = "unwrap"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(op, roleTerminal, true); err != nil {
		return apdu.Response{}, err
	}
	s.busy = false
	if len(resp.Data) == 0 && resp.SW == apdu.SWWrongLength && s.canUndo {
		// Refused in plain before secure messaging: the card's counter
		// did not move, so ours goes back (see ErrLengthRejected).
		s.ssc, s.canUndo = s.undo, false
		return apdu.Response{}, &Error{Op: op, SW: resp.SW, Err: ErrLengthRejected}
	}
	s.canUndo = false
	s.incSSC()
	if len(resp.Data) == 0 {
		if resp.SW == apdu.SWSMDataObjectsMissing || resp.SW == apdu.SWSMDataObjectsIncorrect {
			return apdu.Response{}, s.fail(op, 0, resp.SW, ErrCardSM)
		}
		return apdu.Response{}, s.fail(op, 0, resp.SW, ErrNotProtected)
	}
	var cryptogram, sw tlv.TLV
	macAt := -1
	r := tlv.NewReader(resp.Data)
	for r.Next() {
		do := r.TLV()
		switch {
		case macAt >= 0:
			return apdu.Response{}, s.fail(op, do.Tag, 0, ErrUnexpectedDO)
		case (do.Tag == tagCryptogramPadded || do.Tag == tagCryptogramTLV) && cryptogram.Tag == 0 && sw.Tag == 0:
			cryptogram = do
		case do.Tag == tagSW && sw.Tag == 0:
			if len(do.Value) != 2 {
				return apdu.Response{}, s.fail(op, do.Tag, 0, ErrMalformedDO)
			}
			sw = do
		case do.Tag == tagMAC:
			if len(do.Value) != MACSize {
				return apdu.Response{}, s.fail(op, do.Tag, 0, ErrMalformedDO)
			}
			macAt = do.Offset
		default:
			return apdu.Response{}, s.fail(op, do.Tag, 0, ErrUnexpectedDO)
		}
	}
	if r.Err() != nil {
		return apdu.Response{}, s.fail(op, 0, 0, ErrMalformedDO)
	}
	if macAt < 0 {
		return apdu.Response{}, s.fail(op, tagMAC, 0, ErrMissingDO)
	}
	if sw.Tag == 0 {
		return apdu.Response{}, s.fail(op, tagSW, 0, ErrMissingDO)
	}
	var sum [16]byte
	s.macOver(&sum, nil, resp.Data[:macAt])
	if subtle.ConstantTimeCompare(sum[:MACSize], resp.Data[macAt+2:]) != 1 {
		return apdu.Response{}, s.fail(op, tagMAC, 0, ErrMAC)
	}
	out := apdu.Response{SW: apdu.StatusWord(sw.Value[0])<<8 | apdu.StatusWord(sw.Value[1])}
	if cryptogram.Tag != 0 {
		pt, err := s.decryptDO(op, cryptogram)
		if err != nil {
			return apdu.Response{}, err
		}
		out.Data = pt
	}
	return out, nil
}

// UnwrapCommand checks and decrypts a protected command (chip side). The
// MAC is verified, in constant time, before anything is decrypted. On an
// error the chip answers in plain with ChipStatus(err) and the session is
// dead.
func (s *Session) UnwrapCommand(cmd apdu.Command) (apdu.Command, error) {
	const op = "unwrap command"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(op, roleChip, false); err != nil {
		return apdu.Command{}, err
	}
	s.incSSC()
	if cmd.CLA&claSM != claSM {
		return apdu.Command{}, s.fail(op, 0, 0, ErrNotProtected)
	}
	var cryptogram, le tlv.TLV
	macAt := -1
	r := tlv.NewReader(cmd.Data)
	for r.Next() {
		do := r.TLV()
		switch {
		case macAt >= 0:
			return apdu.Command{}, s.fail(op, do.Tag, 0, ErrUnexpectedDO)
		case (do.Tag == tagCryptogramPadded || do.Tag == tagCryptogramTLV) && cryptogram.Tag == 0 && le.Tag == 0:
			cryptogram = do
		case do.Tag == tagLe && le.Tag == 0:
			if len(do.Value) < 1 || len(do.Value) > 2 {
				return apdu.Command{}, s.fail(op, do.Tag, 0, ErrMalformedDO)
			}
			le = do
		case do.Tag == tagMAC:
			if len(do.Value) != MACSize {
				return apdu.Command{}, s.fail(op, do.Tag, 0, ErrMalformedDO)
			}
			macAt = do.Offset
		default:
			return apdu.Command{}, s.fail(op, do.Tag, 0, ErrUnexpectedDO)
		}
	}
	if r.Err() != nil {
		return apdu.Command{}, s.fail(op, 0, 0, ErrMalformedDO)
	}
	if macAt < 0 {
		return apdu.Command{}, s.fail(op, tagMAC, 0, ErrMissingDO)
	}
	var sum [16]byte
	s.macOver(&sum, []byte{cmd.CLA, cmd.INS, cmd.P1, cmd.P2}, cmd.Data[:macAt])
	if subtle.ConstantTimeCompare(sum[:MACSize], cmd.Data[macAt+2:]) != 1 {
		return apdu.Command{}, s.fail(op, tagMAC, 0, ErrMAC)
	}
	out := apdu.Command{CLA: cmd.CLA &^ claSM, INS: cmd.INS, P1: cmd.P1, P2: cmd.P2}
	if cryptogram.Tag != 0 {
		pt, err := s.decryptDO(op, cryptogram)
		if err != nil {
			return apdu.Command{}, err
		}
		out.Data = pt
	}
	switch len(le.Value) {
	case 1:
		out.Ne = int(le.Value[0])
		if out.Ne == 0 {
			out.Ne = apdu.MaxShortNe
		}
	case 2:
		out.Ne = int(le.Value[0])<<8 | int(le.Value[1])
		if out.Ne == 0 {
			out.Ne = apdu.MaxNe
		}
		out.Extended = true
	}
	s.busy, s.ins = true, cmd.INS
	return out, nil
}

// WrapResponse protects the chip's response to the command last unwrapped
// (chip side): the data encrypted in DO '87' ('85' for an odd INS), the
// status word in DO '99', the MAC in DO '8E'. The protected response's
// trailer is the same status word.
func (s *Session) WrapResponse(resp apdu.Response) (apdu.Response, error) {
	const op = "wrap response"
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.begin(op, roleChip, true); err != nil {
		return apdu.Response{}, err
	}
	s.busy = false
	s.incSSC()
	bs := s.c.BlockSize()
	if len(resp.Data) > apdu.MaxNe {
		return apdu.Response{}, s.fail(op, 0, 0, ErrTooLong)
	}
	data := make([]byte, 0, len(resp.Data)+2*bs+24)
	if len(resp.Data) > 0 {
		data = s.encryptDO(data, resp.Data, s.ins&1 == 1)
	}
	data = append(data, byte(tagSW), 2, resp.SW.SW1(), resp.SW.SW2())
	var sum [16]byte
	s.macOver(&sum, nil, data)
	data = append(data, byte(tagMAC), MACSize)
	data = append(data, sum[:MACSize]...)
	if len(data) > apdu.MaxNe {
		return apdu.Response{}, s.fail(op, 0, 0, ErrTooLong)
	}
	return apdu.Response{Data: data, SW: resp.SW}, nil
}

// ChipStatus is the status word a chip returns in plain when
// UnwrapCommand fails: 6987 when secure messaging data objects are missing
// (including a plain command), 6988 when they are incorrect (a wrong MAC,
// a malformed object, bad padding) or the session is dead.
func ChipStatus(err error) apdu.StatusWord {
	var e *Error
	if errors.As(err, &e) && (e.Err == ErrMissingDO || e.Err == ErrNotProtected) {
		return apdu.SWSMDataObjectsMissing
	}
	return apdu.SWSMDataObjectsIncorrect
}
