package main

import (
	"crypto"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/issuance"
)

func runIssue(e *env, args []string) error {
	fs := flags(e, "issue", "--out CARD [--profile cccd|cccd-2023|icao-passport] [--holder FILE.json] (--test-pki DIR | --ds-key KEY --ds-cert CERT | --pkcs11 MODULE --token LABEL --ds-cert CERT)")
	profile := fs.String("profile", sim.ProfileCCCD, "cccd, cccd-2023 (Identity Law 2023: DG3 and DG4 behind Terminal Authentication) or icao-passport")
	holder := fs.String("holder", "", "holder record (JSON, see package issuance); default: a synthetic holder")
	out := fs.String("out", "", "card image to write (mode 0600: it holds the chip's secrets)")
	testPKI := fs.String("test-pki", "", "directory made by 'cancuoc pki init' (its ds/ key signs EF.SOD)")
	dsKey := fs.String("ds-key", "", "Document Signer private key, PKCS#8 PEM")
	dsCert := fs.String("ds-cert", "", "Document Signer certificate, PEM or DER")
	cvcaPath := fs.String("cvca", "", "CVCA certificate the card trusts for Terminal Authentication (default with --test-pki: its eac/cvca.cvcert)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pf := addPKCS11Flags(fs)
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
		ref, err := readPKCS11Ref(*testPKI)
		if err != nil {
			return err
		}
		if ref != nil {
			pf.fill(ref) // the test PKI's DS key is in a token
		} else if !pf.set() {
			*dsKey = filepath.Join(*testPKI, pkiDSDir, pkiDSKey)
		}
		*dsCert = filepath.Join(*testPKI, pkiDSDir, pkiDSCert)
		if *cvcaPath == "" {
			*cvcaPath = filepath.Join(*testPKI, pkiEACDir, pkiCVCA)
		}
	}
	var signer crypto.Signer
	var cert *pki.Certificate
	switch {
	case pf.set():
		if *dsKey != "" {
			return fmt.Errorf("%w: --ds-key or --pkcs11, not both", errUsage)
		}
		if *dsCert == "" {
			return fmt.Errorf("%w: --pkcs11 needs the Document Signer certificate: --ds-cert or --test-pki", errUsage)
		}
		c, err := pki.LoadCertificate(*dsCert)
		if err != nil {
			return err
		}
		tok, key, err := tokenSigner(pf, c)
		if err != nil {
			return err
		}
		defer tok.Close()
		signer, cert = key, c
	case *dsKey == "" || *dsCert == "":
		return fmt.Errorf("%w: the Document Signer is needed: --test-pki DIR, --ds-key and --ds-cert, or --pkcs11 and --token", errUsage)
	default:
		var err error
		if signer, cert, err = pki.LoadSigner(*dsKey, *dsCert); err != nil {
			return err
		}
	}
	var trustPoints [][]byte
	if *cvcaPath != "" {
		b, err := readFileMax(*cvcaPath, maxCredentialSize)
		if err != nil {
			return err
		}
		if _, err := cvc.Parse(b); err != nil {
			return fmt.Errorf("%s: %w", *cvcaPath, err)
		}
		trustPoints = [][]byte{b}
	}
	if *testPKI != "" || isTestCertificate(cert) {
		// Loudly: the deterministic test PKI's keys follow from a public
		// seed, so anyone can sign for this card's CSCA.
		fmt.Fprint(e.stderr, testOnlyWarning)
	}
	profileSet := false
	fs.Visit(func(f *flag.Flag) { profileSet = profileSet || f.Name == "profile" })
	img, err := issue(*profile, profileSet, *holder, signer, cert, trustPoints, time.Now())
	if err != nil {
		return err
	}
	if err := img.Save(*out); err != nil {
		return err
	}
	open, err := openingOf(img)
	if err != nil {
		return err
	}
	if *asJSON {
		// What was written, not a verdict: nothing was read back or
		// verified here (cancuoc read --sim CARD --trust DIR does that).
		doc, err := chip.ParseDocument(img.Files)
		if err != nil {
			return err
		}
		var r report
		r.fill(doc, nil)
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(issueView{Card: *out, Profile: img.Profile, Holder: r.Holder, Files: r.Files, Open: open})
	}
	fmt.Fprintf(e.stdout, "issued %s card image %s (%d files)\n", img.Profile, *out, len(img.Files))
	fmt.Fprintf(e.stdout, "to open it (TEST DATA, a synthetic card): ")
	if open.CAN != "" {
		fmt.Fprintf(e.stdout, "CAN %s, or ", open.CAN)
	}
	fmt.Fprintf(e.stdout, "MRZ key: document number %s, date of birth %s, date of expiry %s\n", open.DocumentNumber, open.DateOfBirth, open.DateOfExpiry)
	// The read commands, with what verifies the card when the test PKI
	// is known: its CSCA, and its inspection system for DG3/DG4.
	extra := " --trust CSCA_DIR"
	if *testPKI != "" {
		extra = " --trust " + filepath.Join(*testPKI, pkiTrustDir)
		if img.Files[chip.EFDG3] != nil || img.Files[chip.EFDG4] != nil {
			extra += " --terminal " + filepath.Join(*testPKI, pkiEACDir)
		}
	}
	fmt.Fprintf(e.stdout, "  cancuoc read --sim %s --mrz %s%s\n", *out, open.MRZ, extra)
	if open.CAN != "" {
		fmt.Fprintf(e.stdout, "  cancuoc read --sim %s --can %s%s\n", *out, open.CAN, extra)
	}
	return nil
}

// opening is how to open a card just issued: its access keys. They are
// printed because the card is a test card; the JSON says so.
type opening struct {
	TestData       bool   `json:"test_data"` // always true: these keys open a synthetic card
	CAN            string `json:"can,omitempty"`
	DocumentNumber string `json:"document_number"`
	DateOfBirth    string `json:"date_of_birth"`  // YYMMDD, as in the MRZ
	DateOfExpiry   string `json:"date_of_expiry"` // YYMMDD
	MRZ            string `json:"mrz_key"`        // the value of read --mrz
}

func openingOf(img *sim.Image) (*opening, error) {
	dg1, err := chip.ParseDG1(img.Files[chip.EFDG1])
	if err != nil {
		return nil, err
	}
	m := dg1.MRZ
	o := &opening{TestData: true, CAN: img.Secrets.CAN, DocumentNumber: m.DocumentNumber,
		DateOfBirth: string(m.DateOfBirth), DateOfExpiry: string(m.DateOfExpiry)}
	o.MRZ = o.DocumentNumber + "," + o.DateOfBirth + "," + o.DateOfExpiry
	return o, nil
}

// issueView is what issue --json prints: what was written and how to open
// it, no verdict.
type issueView struct {
	Card    string         `json:"card"`
	Profile string         `json:"profile"`
	Holder  holderView     `json:"holder"`
	Files   map[string]int `json:"files"`
	Open    *opening       `json:"open"`
}

// issue builds a card image for the holder in path (or a synthetic one).
//
// The profile of a holder record wins over a --profile left at its
// default; given both, they must agree. The image records the profile used.
func issue(profile string, profileSet bool, path string, signer crypto.Signer, cert *pki.Certificate, trustPoints [][]byte, now time.Time) (*sim.Image, error) {
	var doc *chip.Document
	var err error
	switch {
	case path != "":
		h, rerr := issuance.ReadHolder(path)
		if rerr != nil {
			return nil, rerr
		}
		switch {
		case h.Profile == "":
			h.Profile = profile
		case !profileSet:
			profile = h.Profile
		case h.Profile != profile:
			return nil, fmt.Errorf("%w: holder record is for profile %q, --profile is %q", errUsage, h.Profile, profile)
		}
		doc, err = h.Document()
	case slices.Contains(sim.PersonalizationProfiles(), profile):
		doc, err = sim.DemoDocument(profile)
	default:
		return nil, fmt.Errorf("%w: unknown profile %q", errUsage, profile)
	}
	if err != nil {
		return nil, err
	}
	return sim.Personalize(doc, &sim.PersonalizeConfig{Profile: profile, Issuer: sim.Issuer{Signer: signer, Cert: cert},
		TrustPoints: trustPoints, Time: func() time.Time { return now }})
}

// testOnlyWarning is what issue says when it signs with the test PKI of
// 'cancuoc pki init'.
const testOnlyWarning = `*** TEST CARD ONLY: signed with the deterministic test PKI of 'cancuoc pki init'.
*** Its CSCA and Document Signer keys derive from a public seed: anyone can
*** recompute them and sign a card that verifies like this one. Never issue
*** a card for a real person with it, and never trust this CSCA outside tests.
`

// isTestCertificate reports whether c was made by the test PKI of package
// pkitest (whose names end in "TEST"): the Document Signer or its CSCA.
func isTestCertificate(c *pki.Certificate) bool {
	if c == nil {
		return false
	}
	for _, n := range []string{c.Subject.String(), c.Issuer.String()} {
		if strings.Contains(n, " TEST") {
			return true
		}
	}
	return false
}
