package reader

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
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
	if s.cfg.Trust != nil {
		// The one trust path of every signed object: chain by names and
		// key identifiers through link certificates, validity at the
		// signing time, key usage, verified CRLs.
		if _, err := pki.VerifySignedData(sd, secinfo.OIDSecurityObject, s.cfg.Trust,
			pki.RoleDocumentSigner, &pki.VerifyConfig{Time: func() time.Time { return s.now }}); err != nil {
			return fmt.Errorf("%w: %w", ErrCardSecurity, err)
		}
	} else if _, err := sd.Verify(); err != nil {
		// Without a trust store only the signature can be checked;
		// passive authentication then does not run and the read is
		// not verified.
		return fmt.Errorf("%w: %w", ErrCardSecurity, err)
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
	t := s.cfg.Terminal
	if !s.taPassed || t == nil || len(t.Chain) == 0 {
		return false
	}
	return t.Chain[len(t.Chain)-1].CHAT.CanRead(f.DataGroup())
}

// terminalAuthentication runs Terminal Authentication under the new Chip
// Authentication session when the caller gave credentials. Its protected
// exchanges prove Chip Authentication (see caWatch). A failure of the link
// or the session is returned (attempt opens the chip again); the chip's
// refusal is the check's outcome.
func (s *session) terminalAuthentication(ctx context.Context) error {
	if s.cfg.Terminal == nil {
		if s.Check(CheckTerminal) == nil {
			s.res.Checks = append(s.res.Checks, Check{Name: CheckTerminal, Status: check.NotRun, Err: errors.New("no terminal credentials given")})
		}
		return nil
	}
	err := s.runTA(ctx)
	if incomplete(err) || s.caStrike != nil {
		return err
	}
	s.res.add(CheckTerminal, err)
	s.taPassed = err == nil
	return nil
}

// runTA runs the Terminal Authentication exchanges.
func (s *session) runTA(ctx context.Context) error {
	return eac.TerminalAuthenticate(ctx, s.t, s.idPICC, s.caResult.CompressedTerminalKey(), &eac.Config{
		Chain: s.cfg.Terminal.Chain, Signer: s.cfg.Terminal.Signer, Rand: s.cfg.rand(),
	})
}

// Check returns the recorded check of that name, nil when there is none.
func (s *session) Check(name check.Name) *Check {
	for i := range s.res.Checks {
		if s.res.Checks[i].Name == name {
			return &s.res.Checks[i]
		}
	}
	return nil
}

// activeAuthentication runs Active Authentication when DG15 was read: one
// INTERNAL AUTHENTICATE with a fresh challenge, whose signature must verify
// with DG15's key (and, for ECDSA, the hash DG14 names). On short links a
// response longer than 256 bytes (RSA-2048) comes with GET RESPONSE. A
// failure of the card, the link or the session is retried, and otherwise
// stops the read, incomplete; a bad signature is a failed check.
func (s *session) activeAuthentication(ctx context.Context, files map[chip.File][]byte) error {
	b := files[chip.EFDG15]
	if b == nil {
		s.res.Checks = append(s.res.Checks, Check{Name: CheckActiveAuth, Status: check.NotRun, Err: errors.New("no DG15")})
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
	v, err := aa.NewVerifier(dg15.SubjectPublicKeyInfo, info)
	if err != nil {
		s.res.add(CheckActiveAuth, err)
		return nil
	}
	var result error
	err = s.attempt(ctx, "Active Authentication", func() error {
		rec := &aaRecorder{t: s.t}
		err := aa.Authenticate(ctx, rec, v, &aa.Config{Rand: s.cfg.rand(), ShortOnly: s.ch.short, Chaining: true})
		if rec.proof != nil {
			s.res.ActiveAuthProof = rec.proof
		}
		if incomplete(err) {
			return err
		}
		result = err
		return nil
	})
	switch {
	case err != nil:
		s.res.addOutcome(CheckActiveAuth, err)
		return err
	case errors.Is(result, aa.ErrNeedsExtendedLength):
		// The signature is too long for short APDUs even with GET
		// RESPONSE: nothing was sent.
		s.res.Checks = append(s.res.Checks, Check{Name: CheckActiveAuth, Status: check.NotRun, Err: result})
	default:
		s.res.add(CheckActiveAuth, result)
	}
	return nil
}

// chipAuthentication runs Chip Authentication with the first key DG14
// announces and switches to its session; the next protected response
// that verifies proves the chip (see caWatch). A session that dies during
// it is opened again and Chip Authentication run again (see attempt); a
// chip that refuses it, in a verified response, is opened again so that
// reading goes on, with the check failed.
func (s *session) chipAuthentication(ctx context.Context) error {
	if s.dg14 == nil {
		return nil // the parse check reports it
	}
	for _, ca := range s.dg14.ChipAuthentication() {
		if ca.PublicKey == nil {
			continue
		}
		s.caTried = true
		var refused error
		err := s.attempt(ctx, "Chip Authentication", func() error {
			if s.ca == nil {
				// Not yet established (a re-opening establishes it
				// again once it was).
				err := s.runCA(ctx, ca)
				if err != nil && !incomplete(err) {
					refused = err
					return nil
				}
				if err != nil {
					return err
				}
			}
			return s.terminalAuthentication(ctx)
		})
		if refused != nil {
			s.res.add(CheckChipAuth, refused)
			// The old session may be dead after a refusal: open anew.
			return s.open(ctx, &Result{})
		}
		return err
	}
	return nil
}

// runCA runs Chip Authentication with ca and puts its session, watched,
// under every later command.
func (s *session) runCA(ctx context.Context, ca secinfo.ChipAuthentication) error {
	r, err := eac.ChipAuthenticate(ctx, s.t, ca, &eac.Config{Rand: s.cfg.rand()})
	if err != nil {
		return err
	}
	ss, err := r.NewSession()
	if err != nil {
		return err
	}
	s.secure(ss)
	s.t = &caWatch{t: s.t, s: s}
	s.files.t = s.t
	s.caUnproven, s.ca, s.caResult = true, &ca, r
	return nil
}

// caWatch watches the first exchange under new Chip Authentication keys:
// a response that verifies proves the chip holds the private key (a status
// word inside it too, even 6A82); a cryptographic failure (eac.CheckResponse)
// is a strike, which attempt weighs; a failure of the link proves nothing
// and the next exchange is watched.
type caWatch struct {
	t apdu.Transmitter
	s *session
}

func (w *caWatch) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	r, err := w.t.Transmit(ctx, cmd)
	if s := w.s; s.caUnproven && s.t == w {
		switch {
		case err == nil:
			s.caUnproven, s.strikes = false, 0
			if !s.caChecked {
				s.caChecked = true
				s.res.add(CheckChipAuth, nil)
			}
		case errors.Is(eac.CheckResponse(err), eac.ErrCloneSuspected):
			s.caUnproven, s.caStrike = false, err
		}
	}
	return r, err
}

// AAProof is what Active Authentication exchanged: the challenge the reader
// sent and the chip's signature over it. With DG15 (which EF.SOD signs)
// anyone can verify it again later, offline (see package evidence): it
// proves that a chip holding DG15's private key signed this challenge.
type AAProof struct {
	Challenge []byte
	Signature []byte
}

// aaRecorder keeps the INTERNAL AUTHENTICATE challenge and the chip's
// answer, as they pass under secure messaging.
type aaRecorder struct {
	t     apdu.Transmitter
	proof *AAProof
}

func (r *aaRecorder) Transmit(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
	resp, err := r.t.Transmit(ctx, cmd)
	if err == nil && cmd.INS == 0x88 && resp.SW == 0x9000 {
		r.proof = &AAProof{Challenge: bytes.Clone(cmd.Data), Signature: bytes.Clone(resp.Data)}
	}
	return resp, err
}
