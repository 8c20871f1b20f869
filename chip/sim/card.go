package sim

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// ErrRemoved is returned by a Card that was torn away from the reader (see
// Faults.TearAfterAPDUs): like a real card out of the field, it answers
// nothing until it is powered on again. It wraps apdu.ErrCardRemoved, as
// reader/pcsc's ErrCardRemoved does.
var ErrRemoved = fmt.Errorf("sim: %w from the field", apdu.ErrCardRemoved)

// Config is what real cards differ in; New takes a pointer to one, nil
// meaning all defaults: a card that accepts extended length up to 64 KiB.
type Config struct {
	// ShortOnly makes the card refuse extended length APDUs with '6700',
	// as many older chips and some readers do.
	ShortOnly bool
	// MaxResponse caps the data field of one response (after secure
	// messaging). 0 means 65536, or 256 with ShortOnly.
	MaxResponse int
	// SelectMFQuirk makes SELECT of the master file answer '6D00', as the
	// Vietnamese CCCD does: readers must reach EF.CardAccess without it.
	SelectMFQuirk bool
	// WrongLe6C makes READ BINARY past the end answer '6CXX' (XX the bytes
	// left) instead of the data with '6282'.
	WrongLe6C bool
	// OpenAccess lets every file be read without opening the chip, as on
	// the first passports that had no Basic Access Control.
	OpenAccess bool
	// Logger, when set, receives one record per APDU at debug level (see
	// Trace).
	Logger *slog.Logger
	// TraceRaw puts the bytes of commands and responses in the trace.
	// Without it, data fields are left out: before secure messaging they
	// can carry passwords and cryptograms, and under it they are
	// ciphertext of the holder's data.
	TraceRaw bool
	// DisableBAC makes the card refuse BAC, as PACE-only cards do.
	DisableBAC bool
	// DisablePACE makes the card refuse PACE although its EF.CardAccess
	// offers it (a card whose PACE is broken: readers must not fall back
	// to BAC unless told to).
	DisablePACE bool
	// Rand is the chip's source of randomness (challenges, nonces,
	// ephemeral keys); nil means crypto/rand.Reader.
	Rand io.Reader
	// Faults makes the card misbehave on purpose.
	Faults Faults
	// Quirks are the ways of real cards (see Quirks, Profiles).
	Quirks Quirks
}

// rand is c.Rand, or crypto/rand.Reader when c or c.Rand is nil.
func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return rand.Reader
	}
	return c.Rand
}

// Card is a simulated eMRTD chip serving an Image. It is safe for use by
// several goroutines; commands are processed one at a time, as a card does.
type Card struct {
	img  *Image
	opts Config

	// pace is the configuration of the chip side of PACE, from
	// EF.CardAccess and the secrets; nil when the card has no PACE.
	pace *paceSetup
	// caKeys and eac configure the chip side of Chip and Terminal
	// Authentication, from DG14 and the secrets.
	caKeys []eac.CAKey
	eac    eac.ChipConfig
	// aa is the chip side of Active Authentication (nil without a key).
	aa *aa.Chip

	mu    sync.Mutex
	st    state
	stats Stats
	torn  bool
}

// Stats counts what crossed the card's contacts since it was made.
type Stats struct {
	APDUs         int // command APDUs answered
	CommandBytes  int // bytes of command APDUs
	ResponseBytes int // bytes of response APDUs, status words included
}

// state is everything a card forgets when it loses power.
type state struct {
	appSelected bool
	current     chip.File
	// open is set once BAC or PACE succeeded (or with OpenAccess).
	open bool
	// sm protects every command and response once set.
	sm channel
	// bac is the BAC exchange under way, from GET CHALLENGE on.
	bac *bac.Chip
	// pace is the PACE exchange under way, from MSE:Set AT on.
	pace *pace.Chip
	// eac is the chip side of Chip and Terminal Authentication, from the
	// opening of the chip on; next is the session it asked to start once
	// the current response is protected with the old one.
	eac  *eac.Chip
	next *sm.Session
	// pending is the rest of a response too long for the exchange, which
	// GET RESPONSE collects (61XX).
	pending []byte
}

// channel is the chip side of a secure messaging session.
type channel interface {
	UnwrapCommand(cmd apdu.Command) (apdu.Command, error)
	WrapResponse(resp apdu.Response) (apdu.Response, error)
	Cipher() sm.Cipher
}

// New returns a card serving img. The card keeps img; do not change it while
// the card is in use.
func New(img *Image, config *Config) (*Card, error) {
	var opts Config
	if config != nil {
		opts = *config
	}
	if img == nil {
		return nil, errors.New("sim: nil image")
	}
	if opts.MaxResponse < 0 || opts.MaxResponse > apdu.MaxNe {
		return nil, fmt.Errorf("sim: MaxResponse %d outside 0..%d", opts.MaxResponse, apdu.MaxNe)
	}
	if opts.MaxResponse == 0 {
		opts.MaxResponse = apdu.MaxNe
		if opts.ShortOnly {
			opts.MaxResponse = 256
		}
	}
	if opts.ShortOnly && opts.MaxResponse > 256 {
		opts.MaxResponse = 256
	}
	// The card serves a shallow copy: faults may change some files.
	cp := *img
	cp.Files = opts.Faults.files(img.Files)
	img = &cp
	c := &Card{img: img, opts: opts}
	if err := c.setupEAC(); err != nil {
		return nil, err
	}
	if err := c.setupPACE(); err != nil {
		return nil, err
	}
	if err := c.setupAA(); err != nil {
		return nil, err
	}
	c.st = c.fresh()
	return c, nil
}

// setupPACE reads the PACE protocols the card offers from its
// EF.CardAccess. A card whose EF.CardAccess does not parse serves the file
// as it is and has no PACE (a test of readers facing such a file).
func (c *Card) setupPACE() error {
	ca := c.img.Files[chip.EFCardAccess]
	if ca == nil || c.opts.DisablePACE {
		return nil
	}
	infos, err := secinfo.Lenient.Parse(ca)
	if err != nil {
		return nil
	}
	cfg := &paceSetup{cfg: pace.ChipConfig{Rand: c.opts.rand()}}
	for _, pi := range infos.PACE() {
		info := *pi
		if !info.HasParameterID && infos.PACEDomainParameter(pi) == nil {
			// A PACEInfo that names no domain parameters (as some
			// cards' do): this chip runs the CCCD's, brainpoolP256r1.
			info.ParameterID, info.HasParameterID = CCCDPACEParameterID, true
		}
		cfg.infos = append(cfg.infos, info)
	}
	if len(cfg.infos) == 0 {
		return nil
	}
	if len(c.caKeys) > 0 && c.caKeys[0].EC != nil {
		// PACE-CAM proves the Chip Authentication key.
		cfg.cfg.CAKey = c.caKeys[0].EC
	}
	if info := c.img.Secrets.MRZInfo; info != "" {
		k := sha1.Sum([]byte(info))
		pw, err := pace.NewPassword(pace.MRZ, k[:])
		if err != nil {
			return err
		}
		cfg.passwords = append(cfg.passwords, pw)
	}
	if can := c.img.Secrets.CAN; can != "" {
		pw, err := pace.CANPassword(can)
		if err != nil {
			return fmt.Errorf("sim: CAN: %w", err)
		}
		cfg.passwords = append(cfg.passwords, pw)
	}
	c.pace = cfg
	return nil
}

// paceSetup is what the chip side of PACE is made from: the protocols of
// EF.CardAccess, the passwords and the chip's configuration.
type paceSetup struct {
	infos     []secinfo.PACEInfo
	passwords []pace.Password
	cfg       pace.ChipConfig
}

func (c *Card) fresh() state { return state{open: c.opts.OpenAccess} }

// closeSession forgets the access rights and keys, as a chip does after a
// secure messaging error; the selected application and file stay.
func (c *Card) closeSession() {
	c.st.open = c.opts.OpenAccess
	c.st.sm = nil
	c.st.bac = nil
	c.st.pace = nil
	c.st.eac = nil
	c.st.next = nil
}

// Stats returns the traffic counters.
func (c *Card) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// ATR returns the card's Answer To Reset: T=1, with historical bytes that
// announce extended length support unless the card is ShortOnly.
func (c *Card) ATR() []byte {
	if len(c.img.ATR) > 0 {
		return bytes.Clone(c.img.ATR)
	}
	return DefaultATR(!c.opts.ShortOnly)
}

// PowerOn brings a torn card back into the field. Session state starts
// afresh, as on a real card.
func (c *Card) PowerOn() { c.reset(true) }

// PowerOff ends every session.
func (c *Card) PowerOff() { c.reset(false) }

// Reset is a warm reset: every session ends.
func (c *Card) Reset() { c.reset(true) }

func (c *Card) reset(untear bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st = c.fresh()
	if untear {
		c.torn = false
		c.stats = Stats{}
	}
}

// Transmit answers one command. It returns ErrRemoved once the card is torn
// away, and the context's error when it ends during a delayed answer.
func (c *Card) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	raw, err := cmd.Bytes()
	if err != nil {
		return apdu.Response{}, err
	}
	out, err := c.TransmitRaw(ctx, raw)
	if err != nil {
		return apdu.Response{}, err
	}
	return apdu.ParseResponse(out)
}

// TransmitRaw answers one command APDU given as bytes; it makes the card an
// apdu.RawTransport.
func (c *Card) TransmitRaw(ctx context.Context, command []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.torn {
		return nil, ErrRemoved
	}
	f := &c.opts.Faults
	if f.TearAfterAPDUs > 0 && c.stats.APDUs >= f.TearAfterAPDUs ||
		f.TearAfterBytes > 0 && c.stats.ResponseBytes >= f.TearAfterBytes {
		c.torn = true
		c.st = c.fresh()
		return nil, ErrRemoved
	}
	start := time.Now()
	c.stats.APDUs++
	c.stats.CommandBytes += len(command)
	var resp apdu.Response
	if f.KillSession == c.stats.APDUs {
		c.closeSession()
		resp = status(apdu.SWSMDataObjectsIncorrect)
	} else {
		resp = c.process(command)
	}
	out := resp.Bytes()
	out = c.opts.Faults.apply(c.stats.APDUs, out)
	if d := c.opts.Faults.Delay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
	c.stats.ResponseBytes += len(out)
	c.trace(command, out, time.Since(start))
	return out, nil
}

// process runs one command through secure messaging and the dispatcher.
func (c *Card) process(raw []byte) apdu.Response {
	cmd, err := apdu.ParseCommand(raw)
	if err != nil {
		return status(apdu.SWWrongLength)
	}
	if cmd.IsExtended() && c.opts.ShortOnly {
		return status(apdu.SWWrongLength)
	}
	if resp, ok := c.quirk(cmd); ok {
		return resp
	}
	pending := c.st.pending
	c.st.pending = nil
	if cmd.INS == apdu.INSGetResponse && cmd.CLA&0x0C == 0 {
		// GET RESPONSE goes in plain even under secure messaging: it
		// collects the rest of the last (protected) response.
		return c.getResponse(cmd, pending)
	}
	// The response limit follows the APDU on the wire: a short one
	// answers at most 256 bytes, protected or not.
	limit := c.opts.MaxResponse
	if !cmd.IsExtended() && limit > 256 {
		limit = 256
	}
	ch := c.st.sm
	if cmd.CLA&0x0C == 0x0C {
		if ch == nil {
			// A protected command with no session: the card has no keys.
			return status(apdu.SWSMDataObjectsMissing)
		}
		plain, err := ch.UnwrapCommand(cmd)
		if err != nil && c.opts.Faults.Clone && !c.opts.Faults.CloneRejectsSM && errors.Is(err, sm.ErrMAC) {
			// A clone's keys are not the reader's: it cannot read the
			// command, and answers "success" under its own keys all the
			// same (DO '99' 9000 and a MAC the reader's keys refuse).
			c.closeSession()
			return apdu.Response{Data: cloneAnswer(), SW: apdu.SWSuccess}
		}
		if err != nil {
			// The session is dead, as on a real chip: the reader must
			// open the chip again.
			c.closeSession()
			return smStatus(err)
		}
		cmd = plain
	} else if ch != nil {
		// A plain command ends secure messaging.
		c.closeSession()
		ch = nil
	}
	var resp apdu.Response
	if f := &c.opts.Faults; f.ChipError == c.stats.APDUs {
		resp = status(cmp.Or(f.ChipErrorSW, apdu.SWNoPreciseDiagnosis))
	} else {
		resp = c.dispatch(cmd, limit)
	}
	if ch == nil || c.st.sm != ch {
		// Unprotected, or the command ended the session (the reply to
		// the command that ended it goes out in plain).
		return c.chain(resp, limit)
	}
	readBinary := cmd.INS == 0xB0 || cmd.INS == 0xB1
	if readBinary && len(resp.Data) > sm.MaxPlainResponse(limit, ch.Cipher().BlockSize()) {
		// The protected response would not fit the exchange.
		c.st.next = nil
		resp = status(apdu.SWWrongLength)
	}
	wrapped, err := ch.WrapResponse(resp)
	if err != nil {
		c.closeSession()
		return status(apdu.SWNoPreciseDiagnosis)
	}
	if c.st.next != nil {
		c.st.sm, c.st.next = c.st.next, nil
	}
	return c.chain(c.opts.Faults.noDO99(c.stats.APDUs, wrapped), limit)
}

// chain sends a response longer than the exchange allows in pieces: the
// first limit bytes with 61XX (XX the bytes left, 00 for 256 or more), the
// rest to GET RESPONSE (ISO/IEC 7816-4 §5.3.4), as cards on short-only
// links answer INTERNAL AUTHENTICATE with an RSA-2048 signature.
func (c *Card) chain(resp apdu.Response, limit int) apdu.Response {
	if len(resp.Data) <= limit || limit > 256 {
		return resp
	}
	c.st.pending = append(append([]byte(nil), resp.Data[limit:]...), byte(resp.SW>>8), byte(resp.SW))
	return apdu.Response{Data: resp.Data[:limit], SW: apdu.StatusWord(0x6100 | min(len(c.st.pending)-2, 256)&0xFF)}
}

// getResponse answers GET RESPONSE from pending (the rest of the last
// response followed by its status word).
func (c *Card) getResponse(cmd apdu.Command, pending []byte) apdu.Response {
	if len(pending) < 2 {
		return status(apdu.SWConditionsNotSatisfied)
	}
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return status(apdu.SWWrongP1P2)
	}
	data, sw := pending[:len(pending)-2], apdu.StatusWord(pending[len(pending)-2])<<8|apdu.StatusWord(pending[len(pending)-1])
	n := min(cmd.Ne, 256)
	if n >= len(data) {
		return apdu.Response{Data: data, SW: sw}
	}
	c.st.pending = pending[n:]
	return apdu.Response{Data: data[:n], SW: apdu.StatusWord(0x6100 | min(len(data)-n, 256)&0xFF)}
}

func smStatus(err error) apdu.Response { return status(sm.ChipStatus(err)) }

// cloneAnswer is the protected "success" of a clone that derived other
// keys than the reader's: DO '99' 9000 and DO '8E', a MAC of the session's
// width under no key the reader holds.
func cloneAnswer() []byte {
	return []byte{0x99, 0x02, 0x90, 0x00, 0x8E, sm.MACSize, 0xC1, 0x0E, 0xC1, 0x0E, 0xC1, 0x0E, 0xC1, 0x0E}
}

// built answers with the bytes of a builder; a builder cannot fail on the
// small templates the card writes, but a failure is not hidden either.
func built(b *tlv.Builder) apdu.Response {
	out, err := b.Bytes()
	if err != nil {
		return status(apdu.SWNoPreciseDiagnosis)
	}
	return apdu.Response{Data: out, SW: apdu.SWSuccess}
}

func status(sw apdu.StatusWord) apdu.Response { return apdu.Response{SW: sw} }

// dispatch runs a plain command against the card state. limit is the
// largest response data field the exchange allows.
func (c *Card) dispatch(cmd apdu.Command, limit int) apdu.Response {
	if cmd.CLA&0x80 != 0 {
		return status(apdu.SWCLANotSupported)
	}
	switch cmd.INS {
	case apdu.INSSelect:
		return c.selectFile(cmd)
	case 0xB0, 0xB1:
		return c.readBinary(cmd, limit)
	case apdu.INSGetChallenge, apdu.INSExternalAuthenticate:
		if c.st.sm == nil {
			return c.basicAccess(cmd)
		}
		return c.eacStep(cmd)
	case apdu.INSPerformSecurityOp:
		if c.st.sm != nil {
			return c.eacStep(cmd)
		}
	case apdu.INSInternalAuthenticate:
		if c.aa == nil || !c.st.open {
			return status(apdu.SWSecurityStatusNotSatisfied)
		}
		resp, _ := c.aa.Handle(cmd)
		return resp
	case apdu.INSManageSecurityEnv, apdu.INSGeneralAuthenticate:
		if c.st.sm == nil {
			return c.paceStep(cmd)
		}
		return c.eacStep(cmd)
	}
	return status(apdu.SWINSNotSupported)
}

// selectFile implements SELECT as an LDS1 chip does.
func (c *Card) selectFile(cmd apdu.Command) apdu.Response {
	p2 := cmd.P2 &^ 0x03 // file occurrence bits: first only
	fcp := false
	switch p2 {
	case 0x0C:
	case 0x00, 0x04:
		fcp = true
	default:
		return status(apdu.SWWrongP1P2)
	}
	switch cmd.P1 {
	case 0x04: // DF name
		if !bytes.Equal(cmd.Data, chip.LDS1AID) {
			return status(apdu.SWFileNotFound)
		}
		c.st.appSelected = true
		c.st.current = 0
		if fcp {
			var b tlv.Builder
			b.AddConstructed(0x6F, func(b *tlv.Builder) { b.Add(0x84, chip.LDS1AID) })
			return built(&b)
		}
		return status(apdu.SWSuccess)
	case 0x00: // MF, DF or EF by FID
		if len(cmd.Data) == 0 || bytes.Equal(cmd.Data, []byte{0x3F, 0x00}) {
			return c.selectMF()
		}
		if len(cmd.Data) != 2 {
			return status(apdu.SWWrongData)
		}
		return c.selectEF(binary.BigEndian.Uint16(cmd.Data), c.st.appSelected, true, fcp)
	case 0x02: // EF under the current DF
		if len(cmd.Data) != 2 {
			return status(apdu.SWWrongData)
		}
		return c.selectEF(binary.BigEndian.Uint16(cmd.Data), c.st.appSelected, false, fcp)
	case 0x08, 0x09: // path from the MF, from the current DF
		if len(cmd.Data) == 0 || len(cmd.Data)%2 != 0 {
			return status(apdu.SWWrongData)
		}
		path := cmd.Data
		inApp := c.st.appSelected
		if cmd.P1 == 0x08 {
			inApp = false
			if bytes.HasPrefix(path, []byte{0x3F, 0x00}) {
				path = path[2:]
			}
		}
		if len(path) != 2 {
			// The LDS has no DF under the MF that a FID reaches.
			return status(apdu.SWFileNotFound)
		}
		return c.selectEF(binary.BigEndian.Uint16(path), inApp, false, fcp)
	}
	return status(apdu.SWWrongP1P2)
}

func (c *Card) selectMF() apdu.Response {
	if c.opts.SelectMFQuirk {
		return status(apdu.SWINSNotSupported)
	}
	if sw := c.opts.Quirks.SelectMFStatus; sw != 0 {
		return status(sw)
	}
	c.st.appSelected = false
	c.st.current = 0
	return status(apdu.SWSuccess)
}

// selectEF makes the EF with the given FID current. inApp tells where to
// look first; mfToo also finds the files of the MF from inside the
// application (P1 '00' may name any file).
func (c *Card) selectEF(fid uint16, inApp, mfToo, fcp bool) apdu.Response {
	f, ok := chip.FileByFID(fid, !inApp)
	if !ok || c.img.Files[f] == nil {
		if !inApp || !mfToo {
			return status(apdu.SWFileNotFound)
		}
		if f, ok = chip.FileByFID(fid, true); !ok || c.img.Files[f] == nil {
			return status(apdu.SWFileNotFound)
		}
	}
	c.st.current = f
	if !fcp {
		return status(apdu.SWSuccess)
	}
	var b tlv.Builder
	size := len(c.img.Files[f])
	b.AddConstructed(0x62, func(b *tlv.Builder) {
		b.Add(0x80, []byte{byte(size >> 8), byte(size)})
		b.Add(0x82, []byte{0x01}) // working EF, transparent
		b.Add(0x83, []byte{byte(fid >> 8), byte(fid)})
	})
	return built(&b)
}

// basicAccess runs the chip side of BAC: GET CHALLENGE, then EXTERNAL
// AUTHENTICATE, whose success opens the chip and starts secure messaging
// (the EXTERNAL AUTHENTICATE response itself goes out in plain).
func (c *Card) basicAccess(cmd apdu.Command) apdu.Response {
	if c.opts.DisableBAC || c.img.Secrets.MRZInfo == "" {
		return status(apdu.SWINSNotSupported)
	}
	if sw := c.opts.Quirks.BACStatus; sw != 0 {
		return status(sw)
	}
	if cmd.INS == apdu.INSGetChallenge {
		k, err := bac.NewKey(c.img.Secrets.MRZInfo)
		if err != nil {
			return status(apdu.SWConditionsNotSatisfied)
		}
		ch, err := bac.NewChip(k, &bac.ChipConfig{Rand: c.opts.rand()})
		if err != nil {
			return status(apdu.SWConditionsNotSatisfied)
		}
		c.st.bac = ch
	}
	if c.st.bac == nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	resp, err := c.st.bac.Handle(cmd)
	if err != nil {
		c.st.bac = nil
		if resp.SW == 0 || resp.SW.OK() {
			resp = status(apdu.SWSecurityStatusNotSatisfied)
		}
		return resp
	}
	if s := c.st.bac.Session(); s != nil {
		c.st.bac = nil
		// The document number and its check digit: the first 10
		// characters of the MRZ information (9 + 1, and a long TD1
		// number is not used for BAC-era Terminal Authentication).
		c.opened(s, []byte(c.img.Secrets.MRZInfo[:10]))
	}
	return resp
}

// setupEAC makes the Chip Authentication keys from the public keys of DG14
// and the private scalar of the card's secrets. With Faults.Clone the card
// uses a different key, as a clone that copied DG14 but not the key would.
func (c *Card) setupEAC() error {
	c.eac.Rand = c.opts.rand()
	for i, b := range c.img.Secrets.CVCA {
		cert, err := cvc.Parse(b)
		if err != nil {
			return fmt.Errorf("sim: trust point %d: %w", i, err)
		}
		c.eac.TrustPoints = append(c.eac.TrustPoints, cert)
	}
	if d := c.img.Secrets.ChipDate; d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return fmt.Errorf("sim: chip date: %w", err)
		}
		c.eac.Date = t
	}
	dg14 := c.img.Files[chip.EFDG14]
	if dg14 == nil || c.img.Secrets.CAKey == nil {
		return nil
	}
	infos, err := secinfo.Lenient.ParseDG14(dg14)
	if err != nil {
		return nil // served as it is, without Chip Authentication
	}
	for _, ca := range infos.ChipAuthentication() {
		if ca.PublicKey == nil || ca.CA.KeyAgreement != secinfo.ECDH {
			continue
		}
		alg := ca.PublicKey.PublicKey.Algorithm
		curve, _, err := ec.ParseECParameters(alg.Parameters)
		if id, ok := alg.StandardizedDomainParameterID(); ok {
			curve, err = ec.Standardized(id)
		}
		if err != nil {
			return fmt.Errorf("sim: DG14 Chip Authentication key: %w", err)
		}
		k, err := ec.NewPrivateKey(curve, c.img.Secrets.CAKey)
		if err != nil {
			return fmt.Errorf("sim: Chip Authentication key: %w", err)
		}
		if c.opts.Faults.Clone {
			if k, err = ec.GenerateKey(curve, c.opts.rand()); err != nil {
				return err
			}
		}
		c.caKeys = append(c.caKeys, eac.CAKey{Protocol: ca.Protocol, KeyID: ca.KeyID, HasKeyID: ca.HasKeyID, EC: k})
	}
	return nil
}

// setupAA loads the Active Authentication key (a new one of the same kind
// with Faults.Clone).
func (c *Card) setupAA() error {
	if c.img.Secrets.AAKey == nil {
		return nil
	}
	key, err := aa.ParsePrivateKey(c.img.Secrets.AAKey)
	if err != nil {
		return fmt.Errorf("sim: Active Authentication key: %w", err)
	}
	if c.opts.Faults.Clone {
		switch k := key.(type) {
		case *rsa.PrivateKey:
			key, err = rsa.GenerateKey(c.opts.rand(), k.N.BitLen())
		case *ec.PrivateKey:
			key, err = ec.GenerateKey(k.Curve(), c.opts.rand())
		default:
			err = fmt.Errorf("sim: cannot clone an Active Authentication key of type %T", key)
		}
		if err != nil {
			return err
		}
	}
	c.aa, err = aa.NewChip(key, &aa.ChipConfig{Rand: c.opts.rand()})
	return err
}

// opened records that BAC or PACE opened the chip with session s; idPICC
// identifies the chip for Terminal Authentication (the compressed PACE
// key, or the document number and check digit after BAC).
func (c *Card) opened(s *sm.Session, idPICC []byte) {
	c.st.open = true
	c.st.sm = s
	c.st.eac = nil
	if len(c.caKeys) > 0 || len(c.eac.TrustPoints) > 0 {
		// A card without keys answers the EAC commands 6D00.
		cfg := c.eac
		cfg.IDPICC = idPICC
		c.st.eac, _ = eac.NewChip(c.caKeys, &cfg)
	}
}

// paceStep runs the chip side of PACE: MSE:Set AT starts it afresh,
// GENERAL AUTHENTICATE goes on; the last step opens the chip and starts
// secure messaging (its response goes out in plain).
func (c *Card) paceStep(cmd apdu.Command) apdu.Response {
	if c.pace == nil {
		return status(apdu.SWINSNotSupported)
	}
	if cmd.INS == apdu.INSManageSecurityEnv {
		ch, err := pace.NewChip(c.pace.infos, c.pace.passwords, &c.pace.cfg)
		if err != nil {
			return status(apdu.SWConditionsNotSatisfied)
		}
		c.st.pace = ch
	}
	if c.st.pace == nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	resp := c.st.pace.Handle(cmd)
	if !resp.SW.OK() {
		c.st.pace = nil
		return resp
	}
	if s := c.st.pace.Session(); s != nil {
		c.opened(s, c.st.pace.Result().IDPICC())
		c.st.pace = nil
	}
	return resp
}

// eacStep runs the chip side of Chip Authentication under secure
// messaging. When it completes, the new session starts after this response,
// which the old session still protects.
func (c *Card) eacStep(cmd apdu.Command) apdu.Response {
	if c.st.eac == nil {
		return status(apdu.SWINSNotSupported)
	}
	resp, next := c.st.eac.Handle(cmd)
	c.st.next = next
	return resp
}

// readable reports whether the current access rights allow reading f:
// DG3 and DG4 only after Terminal Authentication with the right in the
// effective CHAT.
func (c *Card) readable(f chip.File) bool {
	if f == chip.EFDG3 || f == chip.EFDG4 {
		if c.opts.OpenAccess {
			return true
		}
		return c.st.eac != nil && c.st.eac.Authorized(f.DataGroup())
	}
	if c.st.open {
		return true
	}
	switch f {
	case chip.EFCardAccess:
		return !c.opts.Quirks.CardAccessDenied
	case chip.EFATRInfo, chip.EFDIR:
		return true
	}
	return false
}

// readBinary implements READ BINARY 'B0' (offset or SFI) and 'B1' (offset
// DO '54').
func (c *Card) readBinary(cmd apdu.Command, limit int) apdu.Response {
	f := c.st.current
	var offset int
	if cmd.INS == 0xB0 {
		if cmd.P1&0x80 != 0 {
			if cmd.P1&0x60 != 0 {
				return status(apdu.SWWrongP1P2)
			}
			sfi := cmd.P1 & 0x1F
			g, ok := chip.FileBySFI(sfi, !c.st.appSelected)
			if !ok || c.img.Files[g] == nil {
				return status(apdu.SWFileNotFound)
			}
			f = g
			c.st.current = g
			offset = int(cmd.P2)
		} else {
			offset = int(cmd.P1)<<8 | int(cmd.P2)
		}
		if len(cmd.Data) != 0 {
			return status(apdu.SWWrongLength)
		}
	} else {
		if cmd.P1 != 0 || cmd.P2 != 0 {
			// An SFI in P2 of 'B1' is not used by Doc 9303 readers.
			return status(apdu.SWWrongP1P2)
		}
		do, err := tlv.Find(cmd.Data, 0x54)
		if err != nil || len(do.Value) == 0 || len(do.Value) > 3 {
			return status(apdu.SWWrongData)
		}
		for _, b := range do.Value {
			offset = offset<<8 | int(b)
		}
	}
	if f == 0 {
		return status(apdu.SWCommandNotAllowed) // no current EF
	}
	if !c.readable(f) || f == c.opts.Faults.DeniedFile {
		return status(apdu.SWSecurityStatusNotSatisfied)
	}
	data := c.img.Files[f]
	if offset > len(data) || offset == len(data) && len(data) > 0 {
		return status(apdu.SWWrongP1P2Offset)
	}
	ne := cmd.Ne
	if ne == 0 || c.opts.Quirks.RefuseLe256 && ne == 256 {
		return status(apdu.SWWrongLength)
	}
	if cmd.INS == 0xB1 {
		// The data come back inside DO '53': the header takes room.
		ne -= 2 + tlv.LengthLen(ne)
		if ne <= 0 {
			return status(apdu.SWWrongLength)
		}
	}
	rest := data[offset:]
	sw := apdu.SWSuccess
	if ne > len(rest) {
		if c.opts.WrongLe6C && len(rest) < 256 {
			return status(apdu.StatusWord(0x6C00 | len(rest)))
		}
		sw = apdu.SWEndOfFile
		if pad := min(c.opts.Quirks.StrayPadding, ne-len(rest), limit-len(rest)); pad > 0 && cmd.INS == 0xB0 {
			padded := make([]byte, len(rest)+pad)
			copy(padded, rest)
			return apdu.Response{Data: padded, SW: sw}
		}
		ne = len(rest)
	}
	if ne > limit {
		return status(apdu.SWWrongLength)
	}
	out := rest[:ne]
	if cmd.INS == 0xB1 {
		out = tlv.AppendTLV(nil, 0x53, out)
		if len(out) > limit {
			return status(apdu.SWWrongLength)
		}
	}
	return apdu.Response{Data: out, SW: sw}
}
