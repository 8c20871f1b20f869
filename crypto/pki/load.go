package pki

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/crypto/aa"
)

// LoadConfig configures LoadTrust. A nil *LoadConfig means every default.
type LoadConfig struct {
	// Time returns the time a master list file is verified at; nil means
	// time.Now.
	Time func() time.Time
	// AllowSelfContainedMasterList accepts a master list file as trust
	// although it is verified only against the CSCAs it contains
	// (VerifySelfContainedMasterList): its authenticity then rests on how
	// the file was obtained, such as from a national PKD over an
	// authenticated channel. Without it such a file is refused with
	// ErrSelfContainedMasterList (the default, false).
	AllowSelfContainedMasterList bool
}

// LoadTrust makes a trust store from path, as verifiers receive their
// trust: a directory of CSCA certificates and CRLs (see LoadDir) or a file
// of PEM or DER certificates. A CSCA master list file alone is refused
// (ErrSelfContainedMasterList) unless config.AllowSelfContainedMasterList:
// it is then verified against the CSCAs it contains, at config.Time, and
// its certificates become the trust anchors. It also returns a line saying
// what was loaded.
func LoadTrust(path string, config *LoadConfig) (*TrustStore, string, error) {
	if config == nil {
		config = &LoadConfig{}
	}
	t := NewTrustStore()
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", err
	}
	if st.IsDir() {
		if err := t.LoadDir(path); err != nil {
			return nil, "", err
		}
		return t, fmt.Sprintf("%s from %s", plural(len(t.CSCAs()), "CSCA certificate"), path), nil
	}
	if st.Size() > MaxMasterListSize {
		return nil, "", fmt.Errorf("pki: %s: larger than a master list may be", path)
	}
	b, err := readFileLimit(path, MaxMasterListSize)
	if err != nil {
		return nil, "", err
	}
	if _, err := ParseMasterList(b); err == nil {
		if !config.AllowSelfContainedMasterList {
			return nil, "", fmt.Errorf("pki: %s: %w: a master list file alone vouches only for itself; give the CSCA certificates (a directory), or opt in to self-contained master lists", path, ErrSelfContainedMasterList)
		}
		ml, err := VerifySelfContainedMasterList(b, &VerifyConfig{Time: config.Time})
		if err != nil {
			return nil, "", fmt.Errorf("pki: %s: %w", path, err)
		}
		if err := t.AddMasterList(ml); err != nil {
			return nil, "", err
		}
		return t, fmt.Sprintf("self-contained master list %s (%s, signed by %s)", path, plural(len(ml.Certificates), "certificate"), ml.Signer.Subject), nil
	}
	if err := t.AddCertificates(b); err != nil {
		return nil, "", fmt.Errorf("pki: %s: neither a master list nor certificates: %w", path, err)
	}
	return t, fmt.Sprintf("%s from %s", plural(len(t.CSCAs()), "CSCA certificate"), path), nil
}

// LoadSigner reads a signing key from a PEM file and its certificate from
// a PEM or DER file, for issuance stations that keep the Document Signer
// key in a file (an HSM gives a crypto.Signer instead). The key is PKCS#8
// ("PRIVATE KEY"; on the brainpool curves too, which crypto/x509 does not
// read), an RFC 5915 ECPrivateKey ("EC PRIVATE KEY") or PKCS#1 ("RSA
// PRIVATE KEY"): what aa.ParsePrivateKey reads.
func LoadSigner(keyPath, certPath string) (crypto.Signer, *Certificate, error) {
	kb, err := readFileLimit(keyPath, MaxKeyFileSize)
	if err != nil {
		return nil, nil, err
	}
	blk, _ := pem.Decode(kb)
	if blk == nil || !strings.HasSuffix(blk.Type, "PRIVATE KEY") {
		return nil, nil, fmt.Errorf("pki: %s: no PEM private key", keyPath)
	}
	var signer crypto.Signer
	if k, err := x509.ParsePKCS8PrivateKey(blk.Bytes); err == nil {
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, nil, fmt.Errorf("pki: %s: not a signing key", keyPath)
		}
		signer = s
	} else if signer, err = aa.ParsePrivateKey(blk.Bytes); err != nil {
		// The brainpool curves, RFC 5915 and PKCS#1.
		return nil, nil, fmt.Errorf("pki: %s: %w", keyPath, err)
	}
	c, err := LoadCertificate(certPath)
	if err != nil {
		return nil, nil, err
	}
	return signer, c, nil
}

// LoadCertificate reads the first certificate of a PEM or DER file.
func LoadCertificate(path string) (*Certificate, error) {
	cb, err := readFileLimit(path, MaxKeyFileSize)
	if err != nil {
		return nil, err
	}
	certs, err := ParseCertificatePEM(cb)
	if err != nil || len(certs) == 0 {
		c, derr := ParseCertificate(cb)
		if derr != nil {
			return nil, fmt.Errorf("pki: %s: no certificate", path)
		}
		certs = []*Certificate{c}
	}
	return certs[0], nil
}

// plural says "1 certificate", "2 certificates".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// MaxKeyFileSize bounds a key or certificate file LoadSigner and
// LoadCertificate read: a few kilobytes in practice.
const MaxKeyFileSize = 1 << 20

// readFileLimit reads a file of at most max bytes; a larger one (or a
// device that never ends) is refused with ErrTooLarge before it is read
// whole.
func readFileLimit(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("pki: %s: %w (more than %d bytes)", path, ErrTooLarge, max)
	}
	return b, nil
}
