package reader

import (
	"context"
	"errors"
	"slices"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// This file: reading the files, in the order that proves the chip soonest, with retries.

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
