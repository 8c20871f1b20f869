package pki

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
	"time"
)

// LoadTrust makes a trust store from path, as verifiers receive their
// trust: a directory of CSCA certificates and CRLs (see LoadDir), a CSCA
// master list (verified against the CSCAs it contains: its authenticity
// rests on how it was obtained, such as from a national PKD), or a file of
// PEM or DER certificates. It also returns a line saying what was loaded.
func LoadTrust(path string, at time.Time) (*TrustStore, string, error) {
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
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	if ml, err := VerifyMasterList(b, nil, at); err == nil {
		if err := t.AddMasterList(ml); err != nil {
			return nil, "", err
		}
		return t, fmt.Sprintf("master list %s (%s, signed by %s)", path, plural(len(ml.Certificates), "certificate"), ml.Signer.Subject), nil
	}
	if err := t.AddCertificates(b); err != nil {
		return nil, "", fmt.Errorf("pki: %s: neither a master list nor certificates: %w", path, err)
	}
	return t, fmt.Sprintf("%s from %s", plural(len(t.CSCAs()), "CSCA certificate"), path), nil
}

// LoadSigner reads a signing key from a PKCS#8 PEM file and its certificate
// from a PEM or DER file, for issuance stations that keep the Document
// Signer key in a file (an HSM gives a crypto.Signer instead).
func LoadSigner(keyPath, certPath string) (crypto.Signer, *Certificate, error) {
	kb, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, nil, err
	}
	blk, _ := pem.Decode(kb)
	if blk == nil || !strings.HasSuffix(blk.Type, "PRIVATE KEY") {
		return nil, nil, fmt.Errorf("pki: %s: no PEM private key", keyPath)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: %s: %w", keyPath, err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("pki: %s: not a signing key", keyPath)
	}
	c, err := LoadCertificate(certPath)
	if err != nil {
		return nil, nil, err
	}
	return signer, c, nil
}

// LoadCertificate reads the first certificate of a PEM or DER file.
func LoadCertificate(path string) (*Certificate, error) {
	cb, err := os.ReadFile(path)
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
