package main

import (
	"crypto"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/issuance"
)

func runIssue(e *env, args []string) error {
	fs := flags(e, "issue", "--out CARD [--profile cccd|icao-passport] [--holder FILE.json] (--test-pki DIR | --ds-key KEY --ds-cert CERT)")
	profile := fs.String("profile", sim.ProfileCCCD, "cccd or icao-passport")
	holder := fs.String("holder", "", "holder record (JSON, see package issuance); default: a synthetic holder")
	out := fs.String("out", "", "card image to write (mode 0600: it holds the chip's secrets)")
	testPKI := fs.String("test-pki", "", "directory made by 'cancuoc pki init' (its ds/ key signs EF.SOD)")
	dsKey := fs.String("ds-key", "", "Document Signer private key, PKCS#8 PEM")
	dsCert := fs.String("ds-cert", "", "Document Signer certificate, PEM or DER")
	cvcaPath := fs.String("cvca", "", "CVCA certificate the card trusts for Terminal Authentication (default with --test-pki: its eac/cvca.cvcert)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("%w: --out is required", errUsage)
	}
	if *testPKI != "" {
		if *dsKey != "" || *dsCert != "" {
			return fmt.Errorf("%w: --test-pki or --ds-key/--ds-cert, not both", errUsage)
		}
		*dsKey = filepath.Join(*testPKI, pkiDSDir, pkiDSKey)
		*dsCert = filepath.Join(*testPKI, pkiDSDir, pkiDSCert)
		if *cvcaPath == "" {
			*cvcaPath = filepath.Join(*testPKI, pkiEACDir, pkiCVCA)
		}
	}
	if *dsKey == "" || *dsCert == "" {
		return fmt.Errorf("%w: the Document Signer is needed: --test-pki DIR or --ds-key and --ds-cert", errUsage)
	}
	signer, cert, err := pki.LoadSigner(*dsKey, *dsCert)
	if err != nil {
		return err
	}
	var trustPoints [][]byte
	if *cvcaPath != "" {
		b, err := os.ReadFile(*cvcaPath)
		if err != nil {
			return err
		}
		if _, err := cvc.Parse(b); err != nil {
			return fmt.Errorf("%s: %w", *cvcaPath, err)
		}
		trustPoints = [][]byte{b}
	}
	img, err := issue(*profile, *holder, signer, cert, trustPoints, time.Now())
	if err != nil {
		return err
	}
	if err := img.Save(*out); err != nil {
		return err
	}
	if *asJSON {
		r := &report{Verified: true}
		doc, _ := chip.ParseDocument(img.Files)
		r.fill(doc, nil)
		return r.print(e.stdout, true)
	}
	fmt.Fprintf(e.stdout, "issued %s card image %s (%d files)\n", *profile, *out, len(img.Files))
	return nil
}

// issue builds a card image for the holder in path (or a synthetic one).
func issue(profile, path string, signer crypto.Signer, cert *pki.Certificate, trustPoints [][]byte, now time.Time) (*sim.Image, error) {
	var doc *chip.Document
	var err error
	switch {
	case path != "":
		h, rerr := issuance.ReadHolder(path)
		if rerr != nil {
			return nil, rerr
		}
		if h.Profile == "" {
			h.Profile = profile
		}
		if h.Profile != profile {
			return nil, fmt.Errorf("%w: holder record is for profile %q, --profile is %q", errUsage, h.Profile, profile)
		}
		doc, err = h.Document()
	case profile == sim.ProfileCCCD:
		doc, err = sim.DemoCCCD()
	case profile == sim.ProfileICAOPassport:
		doc, err = sim.DemoPassport()
	default:
		return nil, fmt.Errorf("%w: unknown profile %q", errUsage, profile)
	}
	if err != nil {
		return nil, err
	}
	return sim.Personalize(doc, sim.PersonalizeOptions{Profile: profile, Issuer: sim.Issuer{Signer: signer, Cert: cert},
		TrustPoints: trustPoints, Time: now})
}
