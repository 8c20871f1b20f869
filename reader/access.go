package reader

import (
	"context"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// This file: access control (EF.CardAccess, PACE, BAC) and secure messaging on top of it.

// open runs access control and selects the application: PACE when
// EF.CardAccess (the chip's, or the caller's when the chip's cannot be
// read) offers it, BAC when it does not (or after a PACE attempt that
// failed, when the caller allows it).
func (s *session) open(ctx context.Context, res *Result) error {
	if s.key.mrz.IsZero() && s.key.can == "" {
		return ErrNoKey
	}
	if err := s.readCardAccess(ctx); err != nil {
		return err
	}
	if s.paceInfo != nil && !s.cfg.UseBAC {
		err := s.openPACE(ctx, res)
		for n := 0; err != nil && n < s.cfg.Retries && paceRetryable(ctx, err); n++ {
			// A step that failed for a reason other than the password
			// (a lost or corrupted message, a session a weak field
			// killed): PACE again from its start.
			s.logf("PACE failed, running it again", "err", err)
			err = s.openPACE(ctx, res)
		}
		if err == nil {
			return nil
		}
		if incomplete(err) {
			return err
		}
		res.add(CheckPACE, err)
		if !s.cfg.AllowBACFallback || s.key.mrz.IsZero() {
			return fmt.Errorf("%w: PACE: %w", ErrAccess, err)
		}
		s.logf("PACE failed, falling back to BAC as allowed", "err", err)
	}
	if s.key.mrz.IsZero() {
		if s.cardAccessErr != nil && !errors.Is(s.cardAccessErr, ErrFileNotFound) {
			return fmt.Errorf("%w (a CAN opens a chip with PACE only): %w", ErrNeedCardAccess, s.cardAccessErr)
		}
		return fmt.Errorf("%w: the chip has no EF.CardAccess (not even after selecting the master file), so no PACE parameters, and a CAN opens a chip with PACE only; if the chip does run PACE, give Config.CardAccess or Config.PACEInfo", ErrNoKey)
	}
	var selectErr error
	openBAC := func() (*sm.Session, error) {
		if _, err := apdu.Transmit(ctx, s.link, apdu.SelectAID(chip.LDS1AID, false)); err != nil {
			selectErr = fmt.Errorf("select LDS1 application: %w", err)
			return nil, selectErr
		}
		selectErr = nil
		k, err := bac.NewKey(string(s.key.mrz.Bytes()))
		if err != nil {
			return nil, err
		}
		return bac.Open(ctx, s.link, k, &bac.Config{Rand: s.cfg.rand()})
	}
	ss, err := openBAC()
	for n := 0; err != nil && n < s.cfg.Retries && bacRetryable(ctx, err); n++ {
		// An answer lost or spoiled on the way (the chip's cryptogram,
		// a status word of a failing chip), not the chip's 6300 to a
		// wrong key: BAC again, from the selection of the application.
		s.logf("BAC failed, running it again", "err", err)
		ss, err = openBAC()
	}
	if selectErr != nil {
		return selectErr
	}
	if err != nil {
		if s.cardAccessErr != nil && !errors.Is(s.cardAccessErr, ErrFileNotFound) && !incomplete(err) {
			// A chip that hides EF.CardAccess before PACE is likely
			// PACE-only.
			return fmt.Errorf("%w: BAC: %w (%w: %w)", ErrAccess, err, ErrNeedCardAccess, s.cardAccessErr)
		}
		return fmt.Errorf("%w: BAC: %w", ErrAccess, err)
	}
	res.Access = Access{Method: BAC}
	s.idPICC = s.key.mrz.Bytes()[:10]
	s.secure(ss)
	return nil
}

// paceRetryable reports whether running PACE again may cure err: not a
// wrong password (the chip's 6300 to our token), an unusable one or an
// unsupported protocol, and not a card gone or a context ended.
func paceRetryable(ctx context.Context, err error) bool {
	var pe *pace.Error
	if errors.As(err, &pe) && errors.Is(pe.Err, pace.ErrAuthentication) && pe.SW == 0 {
		// The chip accepted our token (the password is right) and its
		// own did not verify: an answer spoiled on the way, as likely
		// as a chip that cannot make it. Once more.
		return ctx.Err() == nil
	}
	for _, e := range []error{pace.ErrAuthentication, pace.ErrPassword, pace.ErrUnsupported, apdu.ErrCardRemoved} {
		if errors.Is(err, e) {
			return false
		}
	}
	return ctx.Err() == nil
}

// bacRetryable reports whether running BAC again may cure err: not the
// chip's 6300 to EXTERNAL AUTHENTICATE (a wrong key, which another try
// does not mend), a key that cannot be used, a card gone or a context
// ended.
func bacRetryable(ctx context.Context, err error) bool {
	var be *bac.Error
	if errors.As(err, &be) && errors.Is(be.Err, bac.ErrAccessDenied) && be.SW == 0x6300 {
		return false
	}
	for _, e := range []error{bac.ErrMRZInfo, bac.ErrCheckDigit, bac.ErrRandom, bac.ErrCommand, apdu.ErrCardRemoved} {
		if errors.Is(err, e) {
			return false
		}
	}
	return ctx.Err() == nil
}

// readCardAccess reads EF.CardAccess from the master file and picks the
// best PACE protocol it offers. A chip without the file has no PACE; when
// the chip refuses it (6982, as CCCDs do to iPhones), the caller's
// Config.PACEInfo or Config.CardAccess stands in.
func (s *session) readCardAccess(ctx context.Context) error {
	if s.cardAccessRead {
		return nil
	}
	if s.cfg.CardAccessFromChip && len(s.cfg.CardAccess) > 0 {
		if infos, err := secinfo.Lenient.Parse(s.cfg.CardAccess); err == nil {
			// The chip's own, read by the party carrying the APDUs: as
			// if read here (checked against DG14 all the same).
			s.cardAccessRead, s.cardAccess = true, s.cfg.CardAccess
			return s.choosePACE(infos)
		}
		s.logf("the EF.CardAccess given as the chip's does not parse; reading the chip's")
	}
	b, err := s.readMFFile(ctx, chip.EFCardAccess)
	if err != nil && s.cfg.Retries > 0 && !errors.Is(err, ErrFileNotFound) && !errors.Is(err, ErrAccessDenied) &&
		!errors.Is(err, apdu.ErrCardRemoved) && ctx.Err() == nil {
		// An answer out of turn (a status word of a session the card
		// still thought open, a lost message): once more.
		b, err = s.readMFFile(ctx, chip.EFCardAccess)
	}
	switch {
	case errors.Is(err, ErrFileNotFound), errors.Is(err, ErrAccessDenied):
		s.cardAccessRead, s.cardAccessErr = true, err
		return s.suppliedCardAccess()
	case err != nil:
		return err
	}
	s.cardAccessRead = true
	infos, err := secinfo.Lenient.Parse(b)
	if err != nil && s.cfg.Retries > 0 {
		// Unsigned and unparseable: a transmission error is as likely
		// as a broken file. Once more.
		if b2, err2 := s.readMFFile(ctx, chip.EFCardAccess); err2 == nil {
			b = b2
			infos, err = secinfo.Lenient.Parse(b)
		}
	}
	s.cardAccess = b
	if err != nil {
		// Unusable: the caller's parameters stand in, or BAC (whose
		// read the downgrade check then judges).
		s.logf("EF.CardAccess does not parse", "err", err)
		s.cardAccessErr = &FileError{File: chip.EFCardAccess, Err: err}
		return s.suppliedPACEInfo()
	}
	return s.choosePACE(infos)
}

// choosePACE picks the best PACE protocol EF.CardAccess offers.
func (s *session) choosePACE(infos *secinfo.SecurityInfos) error {
	s.paceInfo = infos.BestPACE()
	if s.paceInfo == nil && len(infos.PACE()) > 0 {
		// PACE offered, but with no domain parameters the reader can
		// run (a PACEInfo without parameterId, as some cards have).
		s.cardAccessErr = ErrPACEParameters
		return s.suppliedPACEInfo()
	}
	return nil
}

// suppliedPACEInfo takes Config.PACEInfo when the chip's EF.CardAccess is
// there but unusable.
func (s *session) suppliedPACEInfo() error {
	if s.cfg.PACEInfo != nil {
		s.paceInfo = s.cfg.PACEInfo
	}
	return nil
}

// ErrPACEParameters: EF.CardAccess offers PACE, but names no domain
// parameters the reader can run (a PACEInfo without parameterId and no
// PACEDomainParameterInfo): give them with Config.PACEInfo.
var ErrPACEParameters = errors.New("reader: EF.CardAccess offers PACE without domain parameters (no parameterId)")

// suppliedCardAccess takes the caller's PACE parameters when the chip's
// EF.CardAccess cannot be read.
func (s *session) suppliedCardAccess() error {
	switch {
	case s.cfg.PACEInfo != nil:
		s.paceInfo = s.cfg.PACEInfo
	case s.cfg.CardAccess != nil:
		infos, err := secinfo.Lenient.Parse(s.cfg.CardAccess)
		if err != nil {
			return fmt.Errorf("%w: Config.CardAccess: %w", ErrNeedCardAccess, err)
		}
		s.cardAccess, s.cardAccessSupplied = s.cfg.CardAccess, true
		s.paceInfo = infos.BestPACE()
	}
	return nil
}

// readMFFile reads a file of the master file by its short EF identifier.
// When the card answers that it has no such file, it may still be inside
// the application of an earlier session (a card left on the reader, read
// again): the reader selects the MF and reads again, and when the card
// refuses SELECT MF (the CCCD answers 6D00, others 6A86, 6985 or 6700),
// selects the file by its path from the MF and reads it as the current
// file. Every read thus starts from a known state.
func (s *session) readMFFile(ctx context.Context, f chip.File) ([]byte, error) {
	fr := &fileReader{t: s.link, c: s.ch}
	defer func() { s.ch = fr.c }()
	b, err := fr.read(ctx, f)
	if !errors.Is(err, ErrFileNotFound) {
		return b, err
	}
	r, serr := s.link.Transmit(ctx, apdu.SelectMF())
	if serr != nil {
		return nil, serr
	}
	if r.SW == apdu.SWSuccess {
		return fr.read(ctx, f)
	}
	fid := f.FID()
	r, serr = s.link.Transmit(ctx, apdu.Select(apdu.SelectPathFromMF, apdu.ReturnNone, []byte{byte(fid >> 8), byte(fid)}))
	if serr != nil {
		return nil, serr
	}
	if r.SW != apdu.SWSuccess {
		return nil, err // the first answer stands
	}
	fr.current = true
	return fr.read(ctx, f)
}

// openPACE runs PACE with the key as password, then selects the
// application under secure messaging.
func (s *session) openPACE(ctx context.Context, res *Result) error {
	var pw pace.Password
	var err error
	if s.key.can != "" {
		pw, err = pace.CANPassword(s.key.can)
	} else {
		pw, err = pace.MRZPassword(s.key.mrz.Bytes())
	}
	if err != nil {
		return err
	}
	r, err := pace.Open(ctx, s.link, pw, *s.paceInfo, &pace.Config{Rand: s.cfg.rand()})
	if err != nil {
		return err
	}
	ss, err := r.NewSession()
	if err != nil {
		return err
	}
	s.secure(ss)
	if pace.AuthenticatesChip(r.PACE.Mapping) && !s.camDone {
		if err := s.checkCAM(ctx, r); err != nil {
			return err
		}
	}
	if _, err := apdu.Transmit(ctx, s.t, apdu.SelectAID(chip.LDS1AID, false)); err != nil {
		return fmt.Errorf("select LDS1 application: %w", err)
	}
	res.PACE = r
	s.idPICC = r.IDPICC()
	res.Access = Access{Method: PACE, PACE: r.PACE, ParameterID: r.ParameterID}
	res.add(CheckPACE, nil)
	return nil
}

// secure puts secure messaging with session ss under every later command.
func (s *session) secure(ss *sm.Session) {
	s.t = sm.NewTransmitter(s.link, ss)
	s.ch.block = ss.Cipher().BlockSize()
	s.files = &fileReader{t: s.t, c: s.ch, progress: s.cfg.Progress}
}

// reopen opens the chip again after a failure of the session or the
// link, and runs Chip Authentication (and Terminal Authentication) again
// when it had run: the rest of the read must not travel under keys that
// only the password protects.
func (s *session) reopen(ctx context.Context) error {
	if err := s.open(ctx, &Result{}); err != nil {
		return err
	}
	if s.ca == nil {
		return nil
	}
	if err := s.runCA(ctx, *s.ca); err != nil {
		return err
	}
	if s.taPassed {
		return s.runTA(ctx)
	}
	return nil
}
