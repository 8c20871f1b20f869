package reader

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// Errors of a session.
var (
	// ErrNoKey: the Key is empty, or BAC is needed and only a CAN was given.
	ErrNoKey = errors.New("reader: no usable key for this chip")
	// ErrAccess: the chip could not be opened (wrong key, or the protocol
	// failed).
	ErrAccess = errors.New("reader: access control failed")
	// ErrNotVerified: a check the caller asked for did not pass.
	ErrNotVerified = errors.New("reader: document not verified")
)

// Options tune a read. The zero value reads every data group EF.COM lists
// (but DG3 and DG4, which need Terminal Authentication) and skips passive
// authentication, reporting it as not run.
type Options struct {
	// Files lists the data groups to read; nil means those EF.COM lists.
	// EF.COM and EF.SOD are always read.
	Files []chip.File
	// Trust is the CSCA trust store for passive authentication; nil
	// leaves passive authentication out (the result is then not
	// verified).
	Trust *pki.TrustStore
	// Time is when the verification happens; zero means time.Now.
	Time time.Time
	// Extended says whether the card and the reader take extended length
	// APDUs. Auto (the zero value) asks the transport's ATR when it has
	// one (an ATR() []byte method).
	Extended Extended
	// MaxResponse caps the response size the reader asks for (0: 65536
	// with extended length).
	MaxResponse int
	// Progress receives the progress of each file.
	Progress func(Progress)
	// Logger receives one debug record per step.
	Logger *slog.Logger
	// Rand is the source of randomness (crypto/rand when nil).
	Rand io.Reader
	// Retries is how many times the reader opens the chip again after a
	// secure messaging failure while reading (default 1; -1 for none).
	Retries int
	// Terminal, when set, runs Terminal Authentication after Chip
	// Authentication with these credentials, and reads DG3 and DG4 when
	// EF.COM lists them and the chip grants them.
	Terminal *Terminal
	// UseBAC opens the chip with BAC even when it offers PACE, as the
	// caller's explicit choice (a reader whose firmware cannot run PACE,
	// a test of the BAC path). The downgrade check then does not apply.
	UseBAC bool
	// AllowBACFallback lets the reader try BAC after PACE failed on a chip
	// that offers PACE. Without it a PACE failure is final: a reader never
	// downgrades to BAC on its own, since an attacker in the radio path
	// could make PACE fail on purpose.
	AllowBACFallback bool
}

// Terminal is an inspection system's credentials for Terminal
// Authentication: its certificate chain from the one the chip's CVCA
// verifies (a DV certificate, or a CVCA link certificate first) down to its
// own, and its private key (an HSM's crypto.Signer fits).
type Terminal struct {
	Chain  []*cvc.Certificate
	Signer crypto.Signer
}

// Extended chooses extended length.
type Extended int

const (
	ExtendedAuto Extended = iota
	ExtendedOn
	ExtendedOff
)

// Result is the outcome of a read: the files, the typed document and every
// check that ran or did not.
type Result struct {
	// Document holds the files read and their typed values. It is set
	// even when checks failed: look at Verified and Checks before trusting
	// it.
	Document *chip.Document
	// Access is the protocol that opened the chip: "BAC", or "PACE"
	// followed by the protocol (e.g. "PACE ECDH-GM-AES-128 (13)").
	Access string
	// PACE is the outcome of PACE, when it ran.
	PACE *pace.Result
	// Checks lists every check, in order.
	Checks []Check
	// PassiveAuth is the detail of passive authentication, when it ran.
	PassiveAuth *pki.Result
	// APDUs counts the command APDUs sent, Bytes the bytes of commands
	// and responses.
	APDUs int
	Bytes int
	// Duration is the time the whole read took.
	Duration time.Duration
}

// Check is the outcome of one step.
type Check struct {
	Name   string
	Status Status
	Err    error
}

// Status is the outcome of a check.
type Status int

const (
	NotRun Status = iota
	Passed
	Failed
)

func (s Status) String() string {
	switch s {
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	}
	return "not run"
}

// Names of the checks.
const (
	CheckPACE        = "PACE"
	CheckAccess      = "access control"
	CheckChipAuth    = "chip authentication"
	CheckActiveAuth  = "active authentication"
	CheckTerminal    = "terminal authentication"
	CheckRead        = "read files"
	CheckParse       = "parse files"
	CheckPassiveAuth = "passive authentication"
)

// Check returns the check of that name (NotRun when absent).
func (r *Result) Check(name string) Check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{Name: name}
}

// Verified reports whether access control, reading, parsing and passive
// authentication all passed.
func (r *Result) Verified() bool {
	for _, n := range []string{CheckAccess, CheckRead, CheckParse, CheckPassiveAuth} {
		if r.Check(n).Status != Passed {
			return false
		}
	}
	for _, c := range r.Checks {
		if c.Status == Failed {
			return false
		}
	}
	return true
}

// Err returns nil when Verified, else an error joining the failures (or
// ErrNotVerified for checks that did not run).
func (r *Result) Err() error {
	if r.Verified() {
		return nil
	}
	var errs []error
	for _, c := range r.Checks {
		if c.Status == Failed {
			errs = append(errs, fmt.Errorf("%s: %w", c.Name, c.Err))
		}
	}
	if len(errs) == 0 {
		return ErrNotVerified
	}
	return errors.Join(append([]error{ErrNotVerified}, errs...)...)
}

func (r *Result) add(name string, err error) {
	st := Passed
	if err != nil {
		st = Failed
	}
	r.Checks = append(r.Checks, Check{Name: name, Status: st, Err: err})
}

// session is one read in progress.
type session struct {
	raw   *counter
	t     apdu.Transmitter // raw, or wrapped by secure messaging
	key   Key
	opts  Options
	ch    chunker
	files *fileReader
	log   *slog.Logger
	// cardAccess is EF.CardAccess once read (nil: absent), and paceInfo
	// the PACE protocol chosen from it.
	cardAccess     []byte
	cardAccessRead bool
	paceInfo       *secinfo.PACEInfo
	// res is the result being filled.
	res *Result
	// dg14 is DG14 parsed once read (nil when absent or unparseable).
	dg14 *secinfo.SecurityInfos
	// maxLimit is the largest response the caller lets the reader ask for.
	maxLimit int
	// caTried is set once Chip Authentication was attempted, caUnproven
	// while its new keys wait for their first protected response.
	caTried, caUnproven bool
	// ca is the Chip Authentication that passed, run again on every
	// re-opening so that the whole read stays under chip-authenticated
	// keys; caAgain marks such a repetition, whose proof adds no check.
	ca      *secinfo.ChipAuthentication
	caAgain bool
	// camDone is set when PACE-CAM authenticated the chip (no Chip
	// Authentication then), cardSecurity is EF.CardSecurity as read.
	camDone      bool
	cardSecurity []byte
	// idPICC identifies the chip for Terminal Authentication; taPassed
	// is set when it succeeded.
	idPICC   []byte
	taPassed bool
}

// counter counts APDUs and bytes, and traces each exchange to log at
// debug level: the header, the lengths, the status word and the time, never
// the data (passwords, cryptograms and the holder's data travel there).
type counter struct {
	t            apdu.Transmitter
	log          *slog.Logger
	apdus, bytes int
}

func (c *counter) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	if err := ctx.Err(); err != nil {
		return apdu.Response{}, err
	}
	c.apdus++
	c.bytes += cmd.Len()
	start := time.Now()
	r, err := c.t.Transmit(ctx, cmd)
	c.bytes += len(r.Data) + 2
	if c.log != nil && c.log.Enabled(ctx, slog.LevelDebug) {
		attrs := []slog.Attr{
			slog.Int("n", c.apdus),
			slog.String("header", fmt.Sprintf("%02X%02X%02X%02X", cmd.CLA, cmd.INS, cmd.P1, cmd.P2)),
			slog.Int("lc", len(cmd.Data)), slog.Int("ne", cmd.Ne),
			slog.Int("response_len", len(r.Data)), slog.Duration("took", time.Since(start)),
		}
		if err != nil {
			attrs = append(attrs, slog.String("err", err.Error()))
		} else {
			attrs = append(attrs, slog.String("sw", fmt.Sprintf("%04X", uint16(r.SW))))
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "apdu", attrs...)
	}
	return r, err
}

// Read opens the chip behind t with key, reads its files and verifies
// them as opts say. The error is for what stopped the read (no access, a
// card removed, a context ended); checks that failed are in the Result,
// whose Err says whether the document can be trusted.
func Read(ctx context.Context, t apdu.Transmitter, key Key, opts Options) (*Result, error) {
	start := time.Now()
	if opts.Rand == nil {
		opts.Rand = rand.Reader
	}
	if opts.Time.IsZero() {
		opts.Time = start
	}
	if opts.Retries == 0 {
		opts.Retries = 1
	}
	s := &session{raw: &counter{t: t, log: opts.Logger}, key: key, opts: opts, log: opts.Logger}
	s.t = s.raw
	s.maxLimit = 65536
	if opts.MaxResponse > 0 {
		s.maxLimit = min(opts.MaxResponse, 65536)
	}
	s.ch = chunker{limit: s.maxLimit}
	ext, known := extendedLength(t, opts.Extended)
	if !ext {
		s.ch.limit, s.ch.short = min(s.ch.limit, 256), true
	}
	res := &Result{}
	s.res = res
	defer func() {
		res.APDUs, res.Bytes, res.Duration = s.raw.apdus, s.raw.bytes, time.Since(start)
	}()

	if !known {
		if err := s.learnExtendedLength(ctx); err != nil {
			res.add(CheckAccess, err)
			return res, err
		}
	}
	if err := s.open(ctx, res); err != nil {
		res.add(CheckAccess, err)
		return res, err
	}
	res.add(CheckAccess, nil)

	files, err := s.readFiles(ctx)
	if s.cardAccess != nil && files != nil {
		files[chip.EFCardAccess] = s.cardAccess
	}
	if s.cardSecurity != nil && files != nil {
		files[chip.EFCardSecurity] = s.cardSecurity
	}
	if err != nil {
		res.add(CheckRead, err)
		return res, err
	}
	res.add(CheckRead, nil)

	doc, perr := chip.ParseDocument(files)
	res.Document = doc
	res.add(CheckParse, perr)

	s.passiveAuth(res, files)
	s.checkDowngrade(res)
	return res, nil
}

// extendedLength decides whether to send extended length APDUs; known is
// false when neither the caller nor the transport's ATR tells.
func extendedLength(t apdu.Transmitter, e Extended) (ext, known bool) {
	switch e {
	case ExtendedOn:
		return true, true
	case ExtendedOff:
		return false, true
	}
	if a, ok := t.(interface{ ATR() []byte }); ok {
		return ATRCapabilities(a.ATR())
	}
	return false, false
}

// learnExtendedLength reads EF.ATR/INFO (ISO/IEC 7816-4 §12.7.1, in the MF,
// by its short EF identifier, before access control) when the ATR said
// nothing: its extended length information '7F66' gives the largest
// response the card sends. PC/SC readers build contactless ATRs from the
// card's historical bytes, which often omit the card capabilities; without
// this a card that takes extended length would be read in short APDUs (91
// instead of 17 for a CCCD). A card without the file stays short.
func (s *session) learnExtendedLength(ctx context.Context) error {
	fr := &fileReader{t: s.raw, c: chunker{limit: 256, short: true}}
	b, err := fr.read(ctx, chip.EFATRInfo)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// No usable EF.ATR/INFO: short APDUs. A transport failure shows
		// again, typed, in what comes next.
		s.logf("no extended length information", "err", err)
		return nil
	}
	if maxLe, ok := atrInfoMaxLe(b); ok && maxLe > 256 {
		s.ch = chunker{limit: min(maxLe, s.maxLimit)}
	}
	return nil
}

// atrInfoMaxLe finds the maximum Le of the extended length information
// '7F66' { '02' max Lc, '02' max Le } in EF.ATR/INFO.
func atrInfoMaxLe(b []byte) (int, bool) {
	do, err := tlv.Lenient.Find(b, 0x7F66)
	if err != nil {
		return 0, false
	}
	r := tlv.NewReader(do.Value)
	var ints []int
	for r.Next() {
		t := r.TLV()
		if t.Tag != 0x02 || len(t.Value) == 0 || len(t.Value) > 3 {
			return 0, false
		}
		v := 0
		for _, c := range t.Value {
			v = v<<8 | int(c)
		}
		ints = append(ints, v)
	}
	if r.Err() != nil || len(ints) < 2 {
		return 0, false
	}
	return ints[1], true
}

// open runs access control and selects the application: PACE when
// EF.CardAccess offers it, BAC when it does not (or after a PACE failure,
// when the caller allows it).
func (s *session) open(ctx context.Context, res *Result) error {
	if s.key.mrz.IsZero() && s.key.can == "" {
		return ErrNoKey
	}
	if err := s.readCardAccess(ctx); err != nil {
		return err
	}
	if s.paceInfo != nil && !s.opts.UseBAC {
		err := s.openPACE(ctx, res)
		if err == nil {
			return nil
		}
		res.add(CheckPACE, err)
		if !s.opts.AllowBACFallback || s.key.mrz.IsZero() {
			return fmt.Errorf("%w: PACE: %w", ErrAccess, err)
		}
		s.logf("PACE failed, falling back to BAC as allowed", "err", err)
	}
	if s.key.mrz.IsZero() {
		return fmt.Errorf("%w: the chip offers no PACE, and a CAN opens a chip with PACE only", ErrNoKey)
	}
	if _, err := apdu.Transmit(ctx, s.raw, apdu.SelectAID(chip.LDS1AID, false)); err != nil {
		return fmt.Errorf("select LDS1 application: %w", err)
	}
	ss, err := bac.Open(ctx, s.raw, string(s.key.mrz.Bytes()), s.opts.Rand)
	if err != nil {
		return fmt.Errorf("%w: BAC: %w", ErrAccess, err)
	}
	res.Access = "BAC"
	s.idPICC = s.key.mrz.Bytes()[:10]
	s.secure(ss)
	return nil
}

// ErrCardSecurity: EF.CardSecurity, which PACE-CAM is checked against,
// is not signed by a Document Signer of a trusted CSCA, or holds no Chip
// Authentication key.
var ErrCardSecurity = errors.New("reader: EF.CardSecurity not trusted")

// checkCAM completes PACE with Chip Authentication Mapping: it reads
// EF.CardSecurity (after PACE, from the MF), checks its signature and, with
// a trust store, that a trusted CSCA issued its signer, and checks the
// chip's authentication data against the Chip Authentication key it holds.
// This stands for Chip Authentication, which then does not run. Only a
// transport failure is returned; the outcome is the chip authentication
// check.
func (s *session) checkCAM(ctx context.Context, r *pace.Result) error {
	s.camDone, s.caTried = true, true
	fr := &fileReader{t: s.t, c: s.ch}
	b, err := fr.read(ctx, chip.EFCardSecurity)
	s.ch = fr.c
	if err != nil {
		if ctx.Err() != nil || !errors.Is(err, ErrFileNotFound) && !errors.Is(err, ErrAccessDenied) {
			return err
		}
		s.res.add(CheckChipAuth, fmt.Errorf("PACE-CAM: %w", err))
		return nil
	}
	s.cardSecurity = b
	s.res.add(CheckChipAuth, s.verifyCAM(r, b))
	return nil
}

func (s *session) verifyCAM(r *pace.Result, b []byte) error {
	sd, err := pki.ParseSignedData(b)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardSecurity, err)
	}
	if !sd.ContentType.Equal(secinfo.OIDSecurityObject) {
		return fmt.Errorf("%w: content type %v", ErrCardSecurity, sd.ContentType)
	}
	signer, err := sd.Verify()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardSecurity, err)
	}
	if s.opts.Trust != nil {
		trusted := false
		for _, csca := range s.opts.Trust.CSCAs() {
			if signer.CheckSignatureFrom(csca) == nil && signer.ValidAt(s.opts.Time) {
				trusted = true
				break
			}
		}
		if !trusted {
			return fmt.Errorf("%w: its signer chains to no trusted CSCA", ErrCardSecurity)
		}
	}
	infos, err := secinfo.Lenient.Parse(sd.Content)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrCardSecurity, err)
	}
	var lastErr error = fmt.Errorf("%w: no Chip Authentication key", ErrCardSecurity)
	for _, pk := range infos.ChipAuthenticationPublicKeys() {
		if lastErr = pace.VerifyCAM(r, pk.PublicKey.PublicKey); lastErr == nil {
			return nil
		}
	}
	return fmt.Errorf("PACE-CAM: %w", lastErr)
}

// readCardAccess reads EF.CardAccess from the master file (by short EF
// identifier, without selecting the MF: the CCCD refuses SELECT MF) and
// picks the best PACE protocol it offers. A chip without the file has no
// PACE.
func (s *session) readCardAccess(ctx context.Context) error {
	if s.cardAccessRead {
		return nil
	}
	fr := &fileReader{t: s.raw, c: s.ch}
	b, err := fr.read(ctx, chip.EFCardAccess)
	s.ch = fr.c
	switch {
	case errors.Is(err, ErrFileNotFound), errors.Is(err, ErrAccessDenied):
		s.cardAccessRead = true
		return nil
	case err != nil:
		return err
	}
	s.cardAccessRead = true
	s.cardAccess = b
	infos, err := secinfo.Lenient.Parse(b)
	if err != nil {
		// A chip whose EF.CardAccess is unreadable cannot run PACE; BAC
		// may still open it.
		s.logf("EF.CardAccess does not parse", "err", err)
		return nil
	}
	s.paceInfo = infos.BestPACE()
	return nil
}

// openPACE runs PACE with the key as password, then selects the
// application under secure messaging.
func (s *session) openPACE(ctx context.Context, res *Result) error {
	var pw pace.Password
	var err error
	if s.key.can != "" {
		pw, err = pace.CANPassword(s.key.can)
	} else {
		pw, err = pace.MRZPassword(s.key.mrz)
	}
	if err != nil {
		return err
	}
	r, err := pace.Open(ctx, s.raw, pw, *s.paceInfo, s.opts.Rand)
	if err != nil {
		return err
	}
	ss, err := r.NewSession()
	if err != nil {
		return err
	}
	s.secure(ss)
	if r.PACE.Mapping == secinfo.ChipAuthenticationMapping && !s.camDone {
		if err := s.checkCAM(ctx, r); err != nil {
			return err
		}
	}
	if _, err := apdu.Transmit(ctx, s.t, apdu.SelectAID(chip.LDS1AID, false)); err != nil {
		return fmt.Errorf("select LDS1 application: %w", err)
	}
	res.PACE = r
	s.idPICC = r.IDPICC()
	res.Access = fmt.Sprintf("PACE %s (%d)", r.PACE, r.ParameterID)
	res.add(CheckPACE, nil)
	return nil
}

// secure puts secure messaging with session ss under every later command.
func (s *session) secure(ss *sm.Session) {
	s.t = sm.NewTransmitter(s.raw, ss)
	s.ch.block = ss.Cipher().BlockSize()
	s.files = &fileReader{t: s.t, c: s.ch, progress: s.opts.Progress}
}

// readFiles reads EF.COM, the wanted data groups and EF.SOD. DG14 comes
// first: Chip Authentication runs as soon as it is read, and the next file
// read under the new keys proves the chip (no extra APDU).
func (s *session) readFiles(ctx context.Context) (map[chip.File][]byte, error) {
	files := map[chip.File][]byte{}
	com, err := s.read(ctx, chip.EFCOM)
	if err != nil {
		return nil, err
	}
	files[chip.EFCOM] = com
	c, err := chip.ParseCOM(com)
	if err != nil {
		return nil, &FileError{File: chip.EFCOM, Err: err}
	}
	// readOne reads f unless it is read already or closed to us, and runs
	// Chip Authentication right after DG14.
	readOne := func(f chip.File) error {
		if _, done := files[f]; done {
			return nil
		}
		protected := f == chip.EFDG3 || f == chip.EFDG4
		if protected && !s.granted(f) {
			// Refused without Terminal Authentication, or not in the
			// terminal's rights; its check says why.
			return nil
		}
		b, err := s.read(ctx, f)
		if protected && errors.Is(err, ErrAccessDenied) {
			// The chip's effective rights (the chain's CHATs ANDed)
			// are narrower than the terminal certificate's.
			s.res.Checks = append(s.res.Checks, Check{Name: "read " + f.String(), Status: NotRun, Err: err})
			return nil
		}
		if err != nil {
			return err
		}
		files[f] = b
		if f == chip.EFDG14 {
			// Parsed once for Chip and Active Authentication and the
			// consistency checks; a DG14 that does not parse fails the
			// parse check and leaves them without it.
			s.dg14, _ = secinfo.Lenient.ParseDG14(b)
			if !s.camDone {
				return s.chipAuthentication(ctx)
			}
		}
		return nil
	}
	wanted := func(f chip.File) bool {
		if s.opts.Files != nil {
			return slices.Contains(s.opts.Files, f)
		}
		return f != chip.EFDG3 && f != chip.EFDG4 || s.opts.Terminal != nil
	}
	// DG14 first (Chip Authentication), then EF.SOD, whose signed list of
	// data groups, not EF.COM's, says what to read.
	if c.Has(chip.EFDG14) && wanted(chip.EFDG14) {
		if err := readOne(chip.EFDG14); err != nil {
			return nil, err
		}
	}
	if err := readOne(chip.EFSOD); err != nil {
		return nil, err
	}
	list := c.DataGroups
	if sodDGs, ok := sodDataGroups(files[chip.EFSOD]); ok {
		s.checkCOM(c.DataGroups, sodDGs)
		list = sodDGs
	}
	if slices.Contains(list, chip.EFDG14) && wanted(chip.EFDG14) {
		if err := readOne(chip.EFDG14); err != nil {
			return nil, err
		}
	}
	for _, f := range list {
		if wanted(f) {
			if err := readOne(f); err != nil {
				return nil, err
			}
		}
	}
	s.checkCardAccess()
	if !s.caTried {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckChipAuth, Status: NotRun, Err: errors.New("DG14 announces no Chip Authentication key")})
	}
	if s.camDone {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckTerminal, Status: NotRun,
			Err: errors.New("Terminal Authentication after PACE-CAM is not supported yet")})
	}
	if err := s.activeAuthentication(ctx, files); err != nil {
		return nil, err
	}
	return files, nil
}

// Consistency of the files EF.SOD does not sign.
var (
	// ErrCOMMismatch: EF.COM lists other data groups than EF.SOD.
	ErrCOMMismatch = errors.New("reader: EF.COM and EF.SOD list different data groups")
	// ErrCardAccessMismatch: EF.CardAccess holds a SecurityInfo that the
	// authenticated DG14 does not.
	ErrCardAccessMismatch = errors.New("reader: EF.CardAccess differs from DG14")
)

// Names of the consistency checks.
const (
	CheckCOM        = "EF.COM"
	CheckCardAccess = "EF.CardAccess"
)

// sodDataGroups returns the data groups EF.SOD lists, in order.
func sodDataGroups(b []byte) ([]chip.File, bool) {
	sod, err := pki.ParseSOD(b)
	if err != nil || sod.SecurityObject == nil {
		return nil, false
	}
	var out []chip.File
	for _, h := range sod.SecurityObject.DataGroupHashes {
		if f := chip.DataGroup(h.DataGroup); f.Valid() {
			out = append(out, f)
		}
	}
	return out, true
}

// checkCOM compares EF.COM's list with EF.SOD's (which passive
// authentication verifies): EF.COM is not signed, so a difference means
// it was changed, or issued wrong.
func (s *session) checkCOM(com, sod []chip.File) {
	a, b := slices.Clone(com), slices.Clone(sod)
	slices.Sort(a)
	slices.Sort(b)
	if slices.Equal(a, b) {
		s.res.add(CheckCOM, nil)
		return
	}
	s.res.add(CheckCOM, fmt.Errorf("%w: EF.COM %v, EF.SOD %v", ErrCOMMismatch, com, sod))
}

// checkCardAccess checks EF.CardAccess, which nothing signs, against DG14,
// which EF.SOD signs and which repeats the SecurityInfos of EF.CardAccess
// (ICAO Doc 9303-11 §9.2.1): every info of EF.CardAccess must be in DG14,
// byte for byte. Without a DG14 that lists PACE the check cannot run.
func (s *session) checkCardAccess() {
	if s.cardAccess == nil {
		return
	}
	d := s.dg14
	if d == nil || len(d.PACE()) == 0 {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckCardAccess, Status: NotRun,
			Err: errors.New("no DG14 repeating the PACE protocols: EF.CardAccess cannot be authenticated")})
		return
	}
	ca, err := secinfo.Lenient.Parse(s.cardAccess)
	if err != nil {
		s.res.add(CheckCardAccess, fmt.Errorf("%w: %w", ErrCardAccessMismatch, err))
		return
	}
	for _, info := range ca.Infos {
		a, err := info.Marshal()
		found := false
		for _, o := range d.Infos {
			if b, berr := o.Marshal(); err == nil && berr == nil && bytes.Equal(a, b) {
				found = true
				break
			}
		}
		if !found {
			s.res.add(CheckCardAccess, fmt.Errorf("%w: %s", ErrCardAccessMismatch, info))
			return
		}
	}
	s.res.add(CheckCardAccess, nil)
}

// activeAuthentication runs Active Authentication when DG15 was read: one
// INTERNAL AUTHENTICATE with a fresh challenge, whose signature must verify
// with DG15's key (and, for ECDSA, the hash DG14 names). A transport
// failure stops the read; a bad signature is a failed check.
func (s *session) activeAuthentication(ctx context.Context, files map[chip.File][]byte) error {
	b := files[chip.EFDG15]
	if b == nil {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckActiveAuth, Status: NotRun, Err: errors.New("no DG15")})
		return nil
	}
	dg15, err := chip.ParseDG15(b)
	if err != nil {
		s.res.add(CheckActiveAuth, err)
		return nil
	}
	var info *secinfo.ActiveAuthenticationInfo
	if s.dg14 != nil {
		info = s.dg14.ActiveAuthentication()
	}
	v, err := aa.NewVerifier(dg15, info)
	if err != nil {
		s.res.add(CheckActiveAuth, err)
		return nil
	}
	err = v.Authenticate(ctx, s.t, &aa.Options{Rand: s.opts.Rand, ShortOnly: s.ch.short})
	if errors.Is(err, aa.ErrNeedsExtendedLength) {
		// The card or the reader takes short APDUs only: the signature
		// cannot come back, nothing was sent.
		s.res.Checks = append(s.res.Checks, Check{Name: CheckActiveAuth, Status: NotRun, Err: err})
		return nil
	}
	s.res.add(CheckActiveAuth, err)
	var ae *aa.Error
	if err != nil && (ctx.Err() != nil || !errors.As(err, &ae) && !isSMError(err) && !isStatus(err)) {
		return err
	}
	return nil
}

// isStatus reports an error that is a status word of the card.
func isStatus(err error) bool {
	var se *apdu.StatusError
	return errors.As(err, &se)
}

// chipAuthentication runs Chip Authentication with the first key DG14
// announces and switches to its session; the next protected response
// proves the chip (see read). A chip that refuses it is opened again so
// that reading goes on, with the check failed.
func (s *session) chipAuthentication(ctx context.Context) error {
	if s.dg14 == nil {
		return nil // the parse check reports it
	}
	for _, ca := range s.dg14.ChipAuthentication() {
		if ca.PublicKey == nil {
			continue
		}
		s.caTried = true
		r, err := eac.ChipAuthenticate(ctx, s.t, ca, s.opts.Rand)
		if err == nil {
			var ss *sm.Session
			if ss, err = r.NewSession(); err == nil {
				s.secure(ss)
				s.caUnproven = true
				s.ca = &ca
				return s.terminalAuthentication(ctx, r)
			}
		}
		s.res.add(CheckChipAuth, err)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// The old session may be dead after a refusal: open anew.
		return s.open(ctx, &Result{})
	}
	return nil
}

// granted reports whether Terminal Authentication passed with a terminal
// certificate that grants reading DG3 or DG4.
func (s *session) granted(f chip.File) bool {
	t := s.opts.Terminal
	if !s.taPassed || t == nil || len(t.Chain) == 0 {
		return false
	}
	return t.Chain[len(t.Chain)-1].CHAT.CanRead(f.DataGroup())
}

// terminalAuthentication runs Terminal Authentication under the new Chip
// Authentication session when the caller gave credentials. Its protected
// exchanges prove Chip Authentication; a secure messaging failure there
// means a clone.
func (s *session) terminalAuthentication(ctx context.Context, ca *eac.CAResult) error {
	if s.opts.Terminal == nil {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckTerminal, Status: NotRun, Err: errors.New("no terminal credentials given")})
		return nil
	}
	err := eac.TerminalAuthenticate(ctx, s.t, eac.TAParams{
		Chain: s.opts.Terminal.Chain, Signer: s.opts.Terminal.Signer,
		IDPICC: s.idPICC, CompressedKey: ca.CompressedTerminalKey(), Rand: s.opts.Rand,
	})
	if cerr := eac.CheckResponse(err); errors.Is(cerr, eac.ErrCloneSuspected) {
		s.caUnproven = false
		s.res.add(CheckChipAuth, cerr)
		return cerr
	}
	if err == nil || isStatus(err) {
		// Protected responses came back: the chip holds the key.
		s.caUnproven = false
		s.res.add(CheckChipAuth, nil)
	}
	s.res.add(CheckTerminal, err)
	s.taPassed = err == nil
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

// read reads one file. After a secure messaging failure it opens the chip
// again (new keys, new send sequence counter) and reads the file anew, at
// most Options.Retries times: it never goes on with a counter that may have
// lost step with the card's. The first read after Chip Authentication
// proves the chip, or shows a clone: then reading stops.
func (s *session) read(ctx context.Context, f chip.File) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		b, err := s.files.read(ctx, f)
		// Keep the chunk size learnt from refusals.
		s.ch = s.files.c
		if s.caUnproven {
			s.caUnproven = false
			if err == nil {
				if !s.caAgain {
					s.res.add(CheckChipAuth, nil)
				}
			} else if cerr := eac.CheckResponse(err); errors.Is(cerr, eac.ErrCloneSuspected) {
				s.res.add(CheckChipAuth, cerr)
				return nil, cerr
			}
		}
		if err == nil || attempt >= s.opts.Retries || !isSMError(err) || ctx.Err() != nil {
			return b, err
		}
		s.logf("secure messaging failed, opening the chip again", "file", f.String(), "err", err)
		if oerr := s.reopen(ctx); oerr != nil {
			return nil, errors.Join(err, oerr)
		}
	}
}

// reopen opens the chip again after a secure messaging failure, and runs
// Chip Authentication again when it had passed: the rest of the read must
// not travel under keys that only the password protects.
func (s *session) reopen(ctx context.Context) error {
	if err := s.open(ctx, &Result{}); err != nil {
		return err
	}
	if s.ca == nil {
		return nil
	}
	r, err := eac.ChipAuthenticate(ctx, s.t, *s.ca, s.opts.Rand)
	if err != nil {
		s.res.add(CheckChipAuth, fmt.Errorf("again after re-opening: %w", err))
		return err
	}
	ss, err := r.NewSession()
	if err != nil {
		return err
	}
	s.secure(ss)
	s.caUnproven, s.caAgain = true, true
	return nil
}

// isSMError reports whether err is a secure messaging failure of the
// channel (a response that does not verify, a card that found our
// messages wrong), after which opening the chip again may help; not a
// transport failure such as a card gone from the field.
func isSMError(err error) bool {
	for _, e := range []error{sm.ErrMAC, sm.ErrMissingDO, sm.ErrUnexpectedDO, sm.ErrMalformedDO,
		sm.ErrPadding, sm.ErrNotProtected, sm.ErrCardSM} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func (s *session) logf(msg string, args ...any) {
	if s.log != nil {
		s.log.Debug(msg, args...)
	}
}

// passiveAuth verifies EF.SOD and the data groups read.
func (s *session) passiveAuth(res *Result, files map[chip.File][]byte) {
	if s.opts.Trust == nil {
		res.Checks = append(res.Checks, Check{Name: CheckPassiveAuth, Status: NotRun,
			Err: errors.New("no trust store given")})
		return
	}
	dgs := map[int][]byte{}
	for f, b := range files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	pa := pki.VerifyWithOptions(files[chip.EFSOD], dgs, s.opts.Trust, pki.VerifyOptions{At: s.opts.Time, IssuedAt: issueDate(res.Document)})
	res.PassiveAuth = pa
	err := pa.Err()
	if err == nil {
		// An authentic EF.SOD alone passes passive authentication: the
		// holder's data must be there too, DG1 at least, with its hash
		// verified (Doc 9303-10: DG1 is mandatory).
		err = ErrNoHolderData
		for _, d := range pa.DataGroups {
			if d.Number == 1 && d.Status == pki.DGOK {
				err = nil
			}
		}
	}
	res.add(CheckPassiveAuth, err)
}

// ErrNoHolderData: passive authentication found no DG1 whose hash verified.
var ErrNoHolderData = errors.New("reader: no verified DG1")

// ErrDowngrade: the chip was opened with BAC although its authenticated
// DG14 announces PACE: someone may have hidden or spoiled EF.CardAccess to
// force the weaker protocol.
var ErrDowngrade = errors.New("reader: BAC used although DG14 announces PACE")

// checkDowngrade fails the read when BAC opened a chip whose DG14 (verified
// by passive authentication) announces PACE, unless the caller allowed
// the fallback (and PACE then failed: that check says so).
func (s *session) checkDowngrade(res *Result) {
	if res.Access != "BAC" || s.dg14 == nil || s.opts.AllowBACFallback || s.opts.UseBAC {
		return
	}
	if len(s.dg14.PACE()) == 0 {
		return
	}
	res.add("PACE downgrade", ErrDowngrade)
}

// issueDate is the document's date of issue, which passive authentication
// uses as the signing time when EF.SOD carries none: DG12's, or the CCCD's
// (DG13 field 11). Zero when unknown.
func issueDate(doc *chip.Document) time.Time {
	if doc == nil {
		return time.Time{}
	}
	if t := pki.DocumentIssueDate(doc); !t.IsZero() {
		return t
	}
	if c, ok := doc.Citizen(); ok {
		if t, ok := c.DateOfIssue.Time(nil); ok {
			return t
		}
	}
	return time.Time{}
}

// ATRExtendedLength reports whether an ATR's historical bytes announce
// extended Lc and Le fields (ISO/IEC 7816-4 §12.1.1.9, the third software
// function table byte of the card capabilities, tag '7', bit '40').
func ATRExtendedLength(atr []byte) bool {
	ext, _ := ATRCapabilities(atr)
	return ext
}

// ExtendedFromATR turns what an ATR says into Options.Extended: On or Off
// when it has card capabilities, Auto when it does not (Read then asks
// EF.ATR/INFO). Transports that give no ATR() method to Read pass this.
func ExtendedFromATR(atr []byte) Extended {
	ext, known := ATRCapabilities(atr)
	switch {
	case !known:
		return ExtendedAuto
	case ext:
		return ExtendedOn
	}
	return ExtendedOff
}

// ATRCapabilities reads the card capabilities of an ATR's historical bytes:
// extended tells whether extended Lc and Le fields are supported, known
// whether the ATR says at all (compact-TLV historical bytes with a
// card capabilities object of 3 bytes). Readers pass Extended accordingly,
// and leave it Auto when the ATR does not know (Read then asks EF.ATR/INFO).
func ATRCapabilities(atr []byte) (extended, known bool) {
	hist := historicalBytes(atr)
	if len(hist) == 0 || hist[0] != 0x80 {
		return false, false
	}
	for i := 1; i < len(hist); {
		tag, n := hist[i]>>4, int(hist[i]&0x0F)
		i++
		if i+n > len(hist) {
			return false, false
		}
		if tag == 7 && n >= 3 {
			return hist[i+2]&0x40 != 0, true
		}
		i += n
	}
	return false, false
}

// historicalBytes returns the historical bytes of an ATR.
func historicalBytes(atr []byte) []byte {
	if len(atr) < 2 {
		return nil
	}
	k := int(atr[1] & 0x0F)
	i := 2
	td := atr[1]
	for {
		for bit := byte(0x10); bit <= 0x40; bit <<= 1 {
			if td&bit != 0 {
				i++
			}
		}
		if td&0x80 == 0 {
			break
		}
		if i >= len(atr) {
			return nil
		}
		td = atr[i]
		i++
	}
	if i+k > len(atr) {
		return nil
	}
	return atr[i : i+k]
}
