package eac

import (
	"io"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/tlv"
)

// MaxTrustPoints is how many CVCA keys the chip keeps: a new CVCA key
// imported through a link certificate joins the trust points and the
// oldest beyond this number is dropped (BSI TR-03110-3 allows two, so that
// both keys work during a CVCA key rollover).
const MaxTrustPoints = 2

// MaxTemporaryKeys bounds the DV and terminal keys imported in one session.
const MaxTemporaryKeys = 8

// taKey is a public key the chip can verify certificates or the terminal's
// signature with: a trust point or a key imported by PSO:Verify
// Certificate in this session.
type taKey struct {
	ref  cvc.Reference
	v    *cvc.Verifier
	chat cvc.CHAT // effective authorization of the chain down to this key
	role cvc.Role
}

// newTrustPoint makes a trust point of a CVCA certificate.
func newTrustPoint(c *cvc.Certificate) (*taKey, error) {
	if c == nil || c.CHAT.Role() != cvc.RoleCVCA {
		return nil, ErrCertificate
	}
	v, err := c.PublicKey.Verifier(nil)
	if err != nil {
		return nil, ErrCertificate
	}
	return &taKey{ref: c.CHR, v: v, chat: c.CHAT, role: cvc.RoleCVCA}, nil
}

// taState is the chip side of Terminal Authentication.
type taState struct {
	trust  []*taKey
	date   time.Time
	idPICC []byte

	temp      []*taKey
	dst       *taKey // key of the next PSO:Verify Certificate
	term      *taKey // terminal key selected by MSE:Set AT
	challenge []byte
	done      bool
	effective cvc.CHAT
}

// resetSession forgets what a session imported and granted (the trust
// points and the date stay).
func (s *taState) resetSession() {
	s.temp, s.dst, s.term, s.challenge = nil, nil, nil, nil
	s.done, s.effective = false, cvc.CHAT{}
}

// findKey looks a reference up among the trust points and imported keys.
func (s *taState) findKey(ref []byte) *taKey {
	for _, list := range [][]*taKey{s.temp, s.trust} {
		for i := len(list) - 1; i >= 0; i-- {
			if string(list[i].ref) == string(ref) {
				return list[i]
			}
		}
	}
	return nil
}

// Date returns the chip's current date, which verified certificates
// advance.
func (c *Chip) Date() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ta.date
}

// TrustPoints returns the references of the CVCA keys the chip trusts,
// newest last.
func (c *Chip) TrustPoints() []cvc.Reference {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]cvc.Reference, len(c.ta.trust))
	for i, k := range c.ta.trust {
		out[i] = k.ref
	}
	return out
}

// TerminalAuthenticated reports whether Terminal Authentication succeeded
// in this session, and the effective authorization it granted.
func (c *Chip) TerminalAuthenticated() (cvc.CHAT, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ta.effective, c.ta.done
}

// Authorized reports whether the terminal may read data group dg: DG3
// (fingerprints) and DG4 (iris) only after Terminal Authentication with an
// effective CHAT that grants them; every other data group is not governed
// by Terminal Authentication and reports true (BAC or PACE protects it).
// A simulator answers 6982 to a READ BINARY of DG3 or DG4 that is not
// authorized.
func (c *Chip) Authorized(dg int) bool {
	if dg != 3 && dg != 4 {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ta.done && c.ta.effective.CanRead(dg)
}

// setDST is MSE:Set DST: '83' the reference of the key that verifies the
// next certificate.
func (c *Chip) setDST(data []byte) error {
	const op = "MSE:Set DST"
	c.ta.dst = nil
	o, err := parseCRT(op, data, 0x83)
	if err != nil {
		return err
	}
	ref, ok := o[0x83]
	if !ok {
		return newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	k := c.ta.findKey(ref)
	if k == nil {
		return newErr(op, apdu.SWReferenceDataNotFound, ErrKeyReference)
	}
	c.ta.dst = k
	return nil
}

// verifyCertificate is PSO:Verify Certificate: the body '7F4E' and the
// signature '5F37' of a certificate issued by the key MSE:Set DST chose.
// Checks (BSI TR-03110-1 §2.5, -3 C): the CAR names that key, the signature
// verifies, the holder's role may follow the issuer's (CVCA -> CVCA link
// or DV, DV -> terminal), the CHAT type is the trust point's, and the
// certificate has not expired at the chip's date. The chip's date then
// advances to the effective date of a CVCA link, DV or domestic terminal
// certificate, a CVCA link certificate becomes a trust point, and DV and
// terminal keys are kept for this session with the CHAT ANDed down the
// chain.
//
// Refusals: 6985 without MSE:Set DST, 6A80 for malformed or misplaced
// certificates, 6300 for a signature that does not verify or an expired
// certificate.
func (c *Chip) verifyCertificate(data []byte) error {
	const op = "PSO:Verify Certificate"
	issuer := c.ta.dst
	c.ta.dst = nil
	if issuer == nil {
		return newErr(op, apdu.SWConditionsNotSatisfied, ErrSequence)
	}
	if len(data) > cvc.MaxCertificateLen {
		return newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	cert, err := cvc.Parse(tlv.AppendTLV(nil, 0x7F21, data))
	if err != nil {
		return &Error{Op: op, SW: apdu.SWWrongData, Err: ErrMalformed, Cause: err}
	}
	if cert.CAR != issuer.ref || !cert.CHAT.Type.Equal(issuer.chat.Type) {
		return newErr(op, apdu.SWWrongData, ErrCertificate)
	}
	role := cert.CHAT.Role()
	switch issuer.role {
	case cvc.RoleCVCA:
		if role == cvc.RoleTerminal {
			return newErr(op, apdu.SWWrongData, ErrCertificate)
		}
	case cvc.RoleDVDomestic, cvc.RoleDVForeign:
		if role != cvc.RoleTerminal {
			return newErr(op, apdu.SWWrongData, ErrCertificate)
		}
	default:
		return newErr(op, apdu.SWWrongData, ErrCertificate)
	}
	if err := cert.CheckSignatureFrom(issuer.v); err != nil {
		return &Error{Op: op, SW: swVerificationFailed, Err: ErrCertificate, Cause: err}
	}
	if cert.Expiry.Before(c.ta.date) {
		return newErr(op, swVerificationFailed, ErrCertificate)
	}
	v, err := cert.PublicKey.Verifier(issuer.v.Curve())
	if err != nil {
		return &Error{Op: op, SW: apdu.SWWrongData, Err: ErrCertificate, Cause: err}
	}
	// The date advances with certificates that a trusted authority
	// vouches for: CVCA link and DV certificates, and terminal
	// certificates of domestic DVs.
	if cert.Effective.After(c.ta.date) && (role != cvc.RoleTerminal || issuer.role == cvc.RoleDVDomestic) {
		c.ta.date = cert.Effective
	}
	if role == cvc.RoleCVCA {
		k := &taKey{ref: cert.CHR, v: v, chat: cert.CHAT, role: cvc.RoleCVCA}
		c.ta.trust = append(c.ta.trust, k)
		if len(c.ta.trust) > MaxTrustPoints {
			c.ta.trust = c.ta.trust[len(c.ta.trust)-MaxTrustPoints:]
		}
		return nil
	}
	k := &taKey{ref: cert.CHR, v: v, chat: cert.CHAT.Intersect(issuer.chat), role: role}
	for i, old := range c.ta.temp {
		if old.ref == k.ref {
			c.ta.temp[i] = k // the same holder again replaces its key
			return nil
		}
	}
	if len(c.ta.temp) >= MaxTemporaryKeys {
		return newErr(op, apdu.SWConditionsNotSatisfied, ErrSequence)
	}
	c.ta.temp = append(c.ta.temp, k)
	return nil
}

// setATTA is MSE:Set AT for Terminal Authentication: '83' the CHR of a
// terminal certificate verified in this session. The objects of version 2
// ('80' protocol, '67' auxiliary data, '91' ephemeral key) are accepted
// and ignored.
func (c *Chip) setATTA(data []byte) error {
	const op = "MSE:Set AT"
	c.ta.term = nil
	o, err := parseCRT(op, data, 0x80, 0x83, 0x67, 0x91)
	if err != nil {
		return err
	}
	ref, ok := o[0x83]
	if !ok {
		return newErr(op, apdu.SWWrongData, ErrMalformed)
	}
	k := c.ta.findKey(ref)
	if k == nil || k.role != cvc.RoleTerminal {
		return newErr(op, apdu.SWReferenceDataNotFound, ErrKeyReference)
	}
	c.ta.term = k
	return nil
}

// getChallenge is GET CHALLENGE: 8 random bytes, r_PICC.
func (c *Chip) getChallenge(ne int) ([]byte, error) {
	const op = "GET CHALLENGE"
	c.ta.challenge = nil
	if ne != ChallengeSize {
		return nil, newErr(op, apdu.SWWrongLength, ErrMalformed)
	}
	if c.rand == nil {
		return nil, newErr(op, apdu.SWNoPreciseDiagnosis, ErrRandom)
	}
	r := make([]byte, ChallengeSize)
	if _, err := io.ReadFull(c.rand, r); err != nil {
		return nil, newErr(op, apdu.SWNoPreciseDiagnosis, ErrRandom)
	}
	c.ta.challenge = r
	return append([]byte(nil), r...), nil
}

// externalAuthenticate is EXTERNAL AUTHENTICATE: the terminal's signature
// over ID_PICC || r_PICC || Comp(PK_DH,IFD) with the key MSE:Set AT chose.
// It needs Chip Authentication, a terminal key and a fresh challenge
// (6985 otherwise); the challenge serves once. A signature that does not
// verify answers 6300.
func (c *Chip) externalAuthenticate(sig []byte) error {
	const op = "EXTERNAL AUTHENTICATE"
	ch, term := c.ta.challenge, c.ta.term
	c.ta.challenge = nil
	if ch == nil || term == nil || !c.caDone || len(c.ta.idPICC) == 0 {
		return newErr(op, apdu.SWConditionsNotSatisfied, ErrSequence)
	}
	msg := taMessage(c.ta.idPICC, ch, c.caDom.compress(c.terminalKey))
	if !term.v.Verify(msg, sig) {
		c.ta.term = nil
		return newErr(op, swVerificationFailed, ErrAuthentication)
	}
	c.ta.done, c.ta.effective = true, term.chat
	return nil
}
