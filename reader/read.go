package reader

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// This file: reading the files, in the order that proves the chip soonest, with retries.

// readFiles reads EF.COM, the wanted data groups and EF.SOD. DG14 comes
// first: Chip Authentication runs as soon as it is read, and the next file
// read under the new keys proves the chip (no extra APDU).
//
// A file the card answers it does not have (6A82) or refuses (6982, in a
// verified response) does not end the read: its outcome goes in
// Result.Files and the others are read. What ends it is returned: a
// failure of the card, the link or the session that retries did not cure
// (incomplete), or a clone.
func (s *session) readFiles(ctx context.Context) (map[chip.File][]byte, error) {
	files := map[chip.File][]byte{}
	// readOne reads f unless it is read already or closed to us, and runs
	// Chip Authentication right after DG14.
	readOne := func(f chip.File) error {
		if _, done := files[f]; done || s.outcome(f) != nil {
			return nil
		}
		protected := f == chip.EFDG3 || f == chip.EFDG4
		if protected && !s.granted(f) {
			// Refused without Terminal Authentication, or not in the
			// terminal's rights; its check says why.
			s.res.Files = append(s.res.Files, FileOutcome{File: f, Status: check.NotRun,
				Err: errors.New("needs Terminal Authentication with the right to read it")})
			return nil
		}
		b, err := s.read(ctx, f)
		switch {
		case err == nil:
			files[f] = b
			s.res.Files = append(s.res.Files, FileOutcome{File: f, Status: check.Passed, Size: len(b)})
		case protected && errors.Is(err, ErrAccessDenied):
			// The chip's effective rights (the chain's CHATs ANDed)
			// are narrower than the terminal certificate's.
			s.res.Checks = append(s.res.Checks, Check{Name: CheckFile(f), Status: check.NotRun, Err: err})
			s.res.Files = append(s.res.Files, FileOutcome{File: f, Status: check.NotRun, Err: err})
			return nil
		case !incomplete(err) && !errors.Is(err, eac.ErrCloneSuspected):
			// The card's answer about this file (absent, refused, a
			// file that lies about its length): the read goes on.
			s.res.Files = append(s.res.Files, FileOutcome{File: f, Status: check.Failed, Err: err})
			return nil
		default:
			s.res.Files = append(s.res.Files, FileOutcome{File: f, Status: check.Incomplete, Err: err})
			return err
		}
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
	if err := readOne(chip.EFCOM); err != nil {
		return nil, err
	}
	var com *chip.COM
	if b := files[chip.EFCOM]; b != nil {
		c, err := chip.ParseCOM(b)
		if err != nil {
			// Unsigned and unparseable: the parse check says so, and
			// EF.SOD's list is what counts.
			s.logf("EF.COM does not parse", "err", err)
		} else {
			com = c
		}
	}
	wanted := func(f chip.File) bool {
		if s.cfg.Files != nil {
			return slices.Contains(s.cfg.Files, f)
		}
		return f != chip.EFDG3 && f != chip.EFDG4 || s.cfg.Terminal != nil
	}
	// DG14 first (Chip Authentication), then EF.SOD, whose signed list of
	// data groups, not EF.COM's, says what to read.
	if com != nil && com.Has(chip.EFDG14) && wanted(chip.EFDG14) {
		if err := readOne(chip.EFDG14); err != nil {
			return nil, err
		}
	}
	if err := readOne(chip.EFSOD); err != nil {
		return nil, err
	}
	var list []chip.File
	if com != nil {
		list = com.DataGroups
	}
	if sodDGs, ok := sodDataGroups(files[chip.EFSOD]); ok {
		if com != nil {
			s.checkCOM(com.DataGroups, sodDGs)
		}
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
		s.res.Checks = append(s.res.Checks, Check{Name: CheckChipAuth, Status: check.NotRun, Err: errors.New("DG14 announces no Chip Authentication key")})
	}
	if s.camDone {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckTerminal, Status: check.NotRun,
			Err: errors.New("Terminal Authentication after PACE-CAM is not supported yet")})
	}
	if err := s.activeAuthentication(ctx, files); err != nil {
		return nil, err
	}
	return files, nil
}

// outcome returns the recorded outcome of f, nil when it was not tried.
func (s *session) outcome(f chip.File) *FileOutcome {
	for i := range s.res.Files {
		if s.res.Files[i].File == f {
			return &s.res.Files[i]
		}
	}
	return nil
}

// missing is the error of the read files check: nil when every wanted
// file was read, else ErrFilesMissing naming those that were not.
func (s *session) missing() error {
	var errs []error
	for _, f := range s.res.Files {
		if f.Status == check.Failed {
			errs = append(errs, fmt.Errorf("%s: %w", f.File, f.Err))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrFilesMissing, errors.Join(errs...))
}

// read reads one file (see attempt).
func (s *session) read(ctx context.Context, f chip.File) ([]byte, error) {
	var b []byte
	err := s.attempt(ctx, f.String(), func() error {
		var err error
		b, err = s.files.read(ctx, f)
		// Keep the chunk size learnt from refusals.
		s.ch = s.files.c
		return err
	})
	return b, err
}

// attempt runs op. After a failure that opening the chip again may cure (a
// secure messaging session that died, a transport error, a response that
// did not verify) it opens the chip again (new keys, new send sequence
// counter, Chip Authentication again) and runs op anew, at most
// Config.Retries times: it never goes on with a counter that may have
// lost step with the card's.
//
// The first protected exchange after Chip Authentication proves the chip
// (see caWatch). When it fails cryptographically (eac.CheckResponse), the
// chip is authenticated again and the exchange repeated: a second such
// failure in a row is a clone, returned as eac.ErrCloneSuspected. One alone,
// or one followed by a failure of the link, proves nothing: the read is
// then incomplete.
func (s *session) attempt(ctx context.Context, what string, op func() error) error {
	for n := 0; ; n++ {
		s.caStrike = nil
		err := op()
		if err == nil {
			return nil
		}
		if strike := s.caStrike; strike != nil {
			s.caStrike = nil
			if s.strikes++; s.strikes >= 2 {
				cerr := eac.CheckResponse(strike)
				s.caUnproven = false
				s.res.add(CheckChipAuth, fmt.Errorf("%w (twice, under two Chip Authentications)", cerr))
				return cerr
			}
		}
		if n >= s.cfg.Retries || !incomplete(err) || ctx.Err() != nil || errors.Is(err, apdu.ErrCardRemoved) {
			return err
		}
		s.logf("exchange failed, opening the chip again", "what", what, "err", err)
		if oerr := s.reopen(ctx); oerr != nil {
			return errors.Join(err, oerr)
		}
	}
}
