package reader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
)

// This file: the one entry point, Read, which runs the phases in order: link
// (link.go), access control (access.go), files and chip authenticity
// (read.go, authenticity.go), verdict (verdict.go).

// session is one read in progress.
type session struct {
	raw *counter
	// link is raw with the transmission procedures a card may ask for
	// (GET RESPONSE after 61XX, Le again after 6CXX), below secure
	// messaging: a protected response longer than a short APDU (an
	// RSA-2048 signature) comes in pieces on short links.
	link  apdu.Transmitter
	t     apdu.Transmitter // link, or wrapped by secure messaging
	key   Key
	cfg   Config    // the caller's, defaults filled in (Retries)
	now   time.Time // the time of verification: Config.Time, once
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
	// cardAccessSupplied is set when cardAccess came from the caller
	// (Config.CardAccess), not from the chip.
	cardAccessSupplied bool
	// cardAccessErr is why the chip's EF.CardAccess could not be read.
	cardAccessErr error
	// caTried is set once Chip Authentication was attempted, caUnproven
	// while its new keys wait for their first protected response that
	// verifies (see caWatch).
	caTried, caUnproven bool
	// caStrike is the cryptographic failure of the first protected
	// exchange under new Chip Authentication keys (see eac.CheckResponse),
	// strikes how many Chip Authentication runs in a row ended so: two
	// make a clone, one may be a transmission error.
	caStrike error
	strikes  int
	// ca is the Chip Authentication that passed, run again on every
	// re-opening so that the whole read stays under chip-authenticated
	// keys; caAgain marks such a repetition, whose proof adds no check.
	ca       *secinfo.ChipAuthentication
	caResult *eac.CAResult
	// caChecked is set once the chip authentication check passed.
	caChecked bool
	// camDone is set when PACE-CAM authenticated the chip (no Chip
	// Authentication then), cardSecurity is EF.CardSecurity as read.
	camDone      bool
	cardSecurity []byte
	// atrInfo is EF.ATR/INFO when the read learnt extended length from it.
	atrInfo []byte
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
// them as config says (nil: all defaults). The error is for what stopped the read (no access, a
// card removed, a context ended); checks that failed are in the Result,
// whose Err says whether the document can be trusted.
func Read(ctx context.Context, t apdu.Transmitter, key Key, config *Config) (*Result, error) {
	start := time.Now()
	var opts Config
	if config != nil {
		opts = *config
	}
	if opts.Retries == 0 {
		opts.Retries = 1
	}
	s := &session{raw: &counter{t: t, log: opts.Logger}, key: key, cfg: opts, now: opts.time(), log: opts.Logger}
	s.link = getResponse{t: s.raw}
	s.t = s.link
	s.maxLimit = 65536
	if opts.MaxResponse > 0 {
		s.maxLimit = min(opts.MaxResponse, 65536)
	}
	s.ch = chunker{limit: s.maxLimit}
	ext, known := extendedLength(t, opts.Extended)
	if !ext {
		s.ch.limit, s.ch.short = min(s.ch.limit, 256), true
	}
	res := &Result{Policy: opts.Policy}
	if res.Policy.IsZero() {
		res.Policy = policy.Default
	}
	s.res = res
	defer func() {
		res.APDUs, res.Bytes, res.Duration = s.raw.apdus, s.raw.bytes, time.Since(start)
	}()

	if !known {
		if err := s.learnExtendedLength(ctx); err != nil {
			return res, s.stop(CheckAccess, err)
		}
	}
	if err := s.open(ctx, res); err != nil {
		return res, s.stop(CheckAccess, err)
	}
	res.add(CheckAccess, nil)

	files, err := s.readFiles(ctx)
	if err != nil {
		if !errors.Is(err, eac.ErrCloneSuspected) {
			s.res.addOutcome(CheckRead, err)
		}
		return res, incompleteErr(err)
	}
	if s.cardAccess != nil && !s.cardAccessSupplied {
		files[chip.EFCardAccess] = s.cardAccess
	}
	if s.cardSecurity != nil {
		files[chip.EFCardSecurity] = s.cardSecurity
	}
	res.add(CheckRead, s.missing())

	doc, perr := chip.ParseDocument(files)
	res.Document = doc
	res.add(CheckParse, perr)

	s.passiveAuth(res, files)
	s.conformance(res, files)
	s.checkDowngrade(res)
	return res, nil
}

// stop records the error that ended the read as the outcome of check name
// and returns it, marked ErrIncomplete when the card, the link or the
// session failed.
func (s *session) stop(name check.Name, err error) error {
	if name == CheckAccess && !errors.Is(err, ErrAccess) && !errors.Is(err, ErrNoKey) && !errors.Is(err, ErrNeedCardAccess) {
		// Not a refusal of the key: a card that answered out of turn
		// before access control (a status word where EF.CardAccess or
		// the application should be) proves nothing either.
		err = fmt.Errorf("%w: %w", ErrIncomplete, err)
	}
	s.res.addOutcome(name, err)
	return incompleteErr(err)
}

// incompleteErr wraps err with ErrIncomplete when it says nothing about
// the document (see incomplete).
func incompleteErr(err error) error {
	if incomplete(err) && !errors.Is(err, ErrIncomplete) {
		return fmt.Errorf("%w: %w", ErrIncomplete, err)
	}
	return err
}

func (s *session) logf(msg string, args ...any) {
	if s.log != nil {
		s.log.Debug(msg, args...)
	}
}
