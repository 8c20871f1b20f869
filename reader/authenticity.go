package reader

import (
	"context"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// This file: chip authenticity: PACE-CAM, Chip, Terminal and Active Authentication.

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
