package reader

import (
	"context"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// This file: access control (EF.CardAccess, PACE, BAC) and secure messaging on top of it.

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
