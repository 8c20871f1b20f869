package pki

import (
	"bytes"
	"crypto/sha256"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// TrustStore holds what a verifier trusts: CSCA certificates (the trust
// anchors, from bilateral exchange, a folder or verified master lists),
// link certificates that must chain to an anchor, and CRLs. It is safe for
// concurrent use, and caches the signature checks of certificate pairs and
// CRLs so that verifying many documents of the same signers costs one
// signature verification each (the SOD's).
type TrustStore struct {
	mu      sync.RWMutex
	anchors []*Certificate
	links   []*Certificate
	crls    []*CRL
	seen    map[[32]byte]bool

	// verified caches successful CheckSignatureFrom results by the hash
	// of child and parent.
	verified sync.Map
}

// NewTrustStore returns an empty store.
func NewTrustStore() *TrustStore { return &TrustStore{seen: map[[32]byte]bool{}} }

func (t *TrustStore) add(list *[]*Certificate, c *Certificate) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil {
		t.seen = map[[32]byte]bool{}
	}
	k := sha256.Sum256(c.Raw)
	if t.seen[k] {
		return
	}
	t.seen[k] = true
	*list = append(*list, c)
}

// AddCSCA adds a trust anchor: a CSCA certificate obtained out of band
// (or from a verified master list). Link certificates added here are
// trusted as anchors too; use AddLinkCertificate for one that must chain
// to an anchor.
func (t *TrustStore) AddCSCA(c *Certificate) { t.add(&t.anchors, c) }

// AddLinkCertificate adds a CSCA link certificate (a new CSCA key
// certified by the previous one, Doc 9303 Part 12 §5.1.1). It is used
// only when it chains to a trust anchor.
func (t *TrustStore) AddLinkCertificate(c *Certificate) { t.add(&t.links, c) }

// AddCertificates parses DER or PEM certificates and adds them as CSCAs.
func (t *TrustStore) AddCertificates(data []byte) error {
	certs, err := ParseCertificatePEM(data)
	if err != nil {
		return err
	}
	for _, c := range certs {
		t.AddCSCA(c)
	}
	return nil
}

// AddCRL parses a CRL (DER or PEM) and adds it. Its signature is checked
// when it is used, against the CSCA that issued the certificate checked.
func (t *TrustStore) AddCRL(data []byte) error {
	l, err := ParseCRL(data)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.crls = append(t.crls, l)
	t.mu.Unlock()
	return nil
}

// AddMasterList adds every certificate of a master list that was verified
// (see VerifyMasterList) as a CSCA.
func (t *TrustStore) AddMasterList(ml *MasterList) error {
	if !ml.Verified {
		return errors.New("pki: master list not verified")
	}
	for _, c := range ml.Certificates {
		t.AddCSCA(c)
	}
	return nil
}

// LoadDir adds the files of a folder (not recursive): certificates
// (.der, .cer, .crt, .pem) as CSCAs and CRLs (.crl). Master lists are not
// loaded here, since they must be verified first. Errors name the file.
func (t *TrustStore) LoadDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if ext != ".der" && ext != ".cer" && ext != ".crt" && ext != ".pem" && ext != ".crl" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		fi, err := e.Info()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if fi.Size() > MaxCRLSize {
			errs = append(errs, fmt.Errorf("%s: %w", p, ErrTooLarge))
			continue
		}
		data, err := readFileLimit(p, MaxCRLSize)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		isCRL := ext == ".crl" || bytes.Contains(data, []byte("-----BEGIN X509 CRL"))
		if isCRL {
			if blk, _ := pem.Decode(data); blk != nil {
				data = blk.Bytes
			}
			err = t.AddCRL(data)
		} else {
			err = t.AddCertificates(data)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

// CSCAs returns the trust anchors.
func (t *TrustStore) CSCAs() []*Certificate {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.anchors)
}

// checkIssued is CheckSignatureFrom with a cache of successes.
func (t *TrustStore) checkIssued(child, parent *Certificate) error {
	h := sha256.New()
	h.Write(child.Raw)
	h.Write(parent.Raw)
	var k [32]byte
	h.Sum(k[:0])
	if _, ok := t.verified.Load(k); ok {
		return nil
	}
	if err := child.CheckSignatureFrom(parent); err != nil {
		return err
	}
	t.verified.Store(k, true)
	return nil
}

func (t *TrustStore) checkCRL(l *CRL, issuer *Certificate) error {
	h := sha256.New()
	h.Write(l.Raw)
	h.Write(issuer.Raw)
	var k [32]byte
	h.Sum(k[:0])
	if _, ok := t.verified.Load(k); ok {
		return nil
	}
	if err := l.CheckSignatureFrom(issuer); err != nil {
		return err
	}
	t.verified.Store(k, true)
	return nil
}

// issuerCandidates returns the anchors and links whose subject matches the
// issuer of c and whose key identifier does not contradict it.
func (t *TrustStore) issuerCandidates(c *Certificate) (anchors, links []*Certificate) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	match := func(p *Certificate) bool {
		if !c.Issuer.Equal(p.Subject) {
			return false
		}
		return c.AuthorityKeyID == nil || p.SubjectKeyID == nil || bytes.Equal(c.AuthorityKeyID, p.SubjectKeyID)
	}
	for _, p := range t.anchors {
		if match(p) {
			anchors = append(anchors, p)
		}
	}
	for _, p := range t.links {
		if match(p) {
			links = append(links, p)
		}
	}
	return anchors, links
}

// maxChainLinks bounds the link certificates between a document signer and
// its anchor.
const maxChainLinks = 4

// buildChain finds a path from c to a trust anchor through link
// certificates, checking names, key identifiers and signatures. It returns
// [c, link..., anchor]. Validity and key usage are checked by the caller.
func (t *TrustStore) buildChain(c *Certificate, depth int) ([]*Certificate, error) {
	anchors, links := t.issuerCandidates(c)
	var errs []error
	for _, p := range anchors {
		if err := t.checkIssued(c, p); err != nil {
			errs = append(errs, fmt.Errorf("CSCA %v: %w", p, err))
			continue
		}
		return []*Certificate{c, p}, nil
	}
	if depth < maxChainLinks {
		for _, p := range links {
			if bytes.Equal(p.Raw, c.Raw) {
				continue
			}
			if err := t.checkIssued(c, p); err != nil {
				errs = append(errs, fmt.Errorf("link %v: %w", p, err))
				continue
			}
			rest, err := t.buildChain(p, depth+1)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			return append([]*Certificate{c}, rest...), nil
		}
	}
	if len(errs) == 0 {
		return nil, ErrNoIssuer
	}
	return nil, fmt.Errorf("%w: %w", ErrNoIssuer, errors.Join(errs...))
}

// revocation checks c against the newest CRL issued under the name of
// issuer and verified on the trust path (VerifyCRL: signed by a trusted,
// unrevoked key of that CSCA). It returns the CRL that decided, and nil
// when it does not list c and is current, ErrRevoked, ErrNoCRL,
// ErrCRLStale, or ErrBadSignature when the only CRLs of the issuer do not
// verify.
func (t *TrustStore) revocation(c, issuer *Certificate, at time.Time, depth int) (*CRL, error) {
	t.mu.RLock()
	crls := slices.Clone(t.crls)
	t.mu.RUnlock()
	var best *CRL
	var badSig error
	for _, l := range crls {
		if !l.Issuer.Equal(issuer.Subject) {
			continue
		}
		// A CRL signed by any trusted key of the CSCA (the current one
		// after a rollover) is valid for it.
		if _, err := t.verifyCRL(l, at, depth); err != nil {
			badSig = fmt.Errorf("%w: CRL of %v (number %v) not signed by a trusted key of the CSCA", ErrBadSignature, l.Issuer, l.Number)
			continue
		}
		if best == nil || l.ThisUpdate.After(best.ThisUpdate) {
			best = l
		}
	}
	if best == nil {
		if badSig != nil {
			return nil, badSig
		}
		return nil, ErrNoCRL
	}
	if r, revoked := best.IsRevoked(c.SerialNumber); revoked {
		return best, fmt.Errorf("%w: serial %x since %v (CRL number %v)", ErrRevoked, c.SerialNumber, r.RevocationTime.UTC(), best.Number)
	}
	if !best.NextUpdate.IsZero() && at.After(best.NextUpdate) {
		return best, fmt.Errorf("%w: next update was %v", ErrCRLStale, best.NextUpdate.UTC())
	}
	return best, nil
}

// CRLs returns the CRLs of the store (verified or not: VerifyCRL says).
func (t *TrustStore) CRLs() []*CRL {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.crls)
}

// LinkCertificates returns the link certificates of the store.
func (t *TrustStore) LinkCertificates() []*Certificate {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return slices.Clone(t.links)
}

// AddMasterListData verifies a DER master list against the CSCAs already
// in the store (its signer must chain to one of them, see
// VerifyMasterList, with config) and adds its certificates as CSCAs.
func (t *TrustStore) AddMasterListData(der []byte, config *VerifyConfig) (*MasterList, error) {
	ml, err := VerifyMasterList(der, t, config)
	if err != nil {
		return ml, err
	}
	return ml, t.AddMasterList(ml)
}
