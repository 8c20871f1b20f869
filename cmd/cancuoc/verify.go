package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/evidence"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

func runVerify(e *env, args []string) error {
	fs := flags(e, "verify", "(DIR | BUNDLE) --trust DIR|FILE [--self-contained-master-list] [--policy NAME] [--json]")
	trust := fs.String("trust", "", "CSCA trust: a directory of certificates and CRLs, or a file of certificates")
	selfML := fs.Bool("self-contained-master-list", false, "accept a CSCA master list file as --trust although only the CSCAs it contains vouch for it (its authenticity then rests on how you obtained it)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	policyName := fs.String("policy", policy.Default.Name, "what verified means ("+strings.Join(policy.Names(), ", ")+"); a bundle is decided under its own unless this is given")
	dir, err := parseOperand(fs, args, "the directory written by 'cancuoc read --out' or the bundle written by 'cancuoc read --evidence'")
	if err != nil {
		return err
	}
	if *trust == "" {
		return fmt.Errorf("%w: --trust is required", errUsage)
	}
	pol, err := policy.ByName(*policyName)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("%s: does not exist (want the directory written by 'cancuoc read --out' or the bundle written by 'cancuoc read --evidence')", dir)
		}
		return err
	}
	now := time.Now()
	ts, err := loadTrust(*trust, now, *selfML)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		var under *policy.Policy
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "policy" {
				under = &pol
			}
		})
		return verifyBundle(e, dir, ts, under, *asJSON)
	}
	files := map[chip.File][]byte{}
	for _, f := range chip.Files() {
		// Each file at most its LDS size limit: a bigger one is refused
		// before it is read.
		b, err := readFileMax(filepath.Join(dir, f.String()+".bin"), int64(f.MaxSize()))
		if errors.Is(err, iofs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		files[f] = b
	}
	if files[chip.EFSOD] == nil {
		return fmt.Errorf("%s: no %s.bin, the Document Security Object: nothing there can be verified", dir, chip.EFSOD)
	}
	doc, perr := chip.ParseDocument(files)
	v := reader.VerifyFiles(files, doc, &reader.Config{Trust: ts, Time: func() time.Time { return now }})
	// The Doc 9303 profile checks of the files (package conform).
	v.Findings = append(v.Findings, conform.Check(conform.Document{Files: files})...)
	r := &report{}
	r.Checks = append(r.Checks, checkOf(reader.CheckParse, status(perr), perr), checkOf(reader.CheckPassiveAuth, status(v.Err), v.Err))
	r.fill(doc, v.PassiveAuth)
	r.decided(pol.Decide(reader.FilesFacts(files, doc, v, perr)), v.Findings)
	if err := r.print(e.stdout, *asJSON); err != nil {
		return err
	}
	if !r.Verified {
		return errFailedCheck
	}
	return nil
}

func status(err error) check.Status {
	if err != nil {
		return check.Failed
	}
	return check.Passed
}

// verifyBundle re-verifies an evidence bundle offline (package evidence).
// With under, the re-verified facts are decided under that policy (an
// auditor's own) instead of the bundle's.
func verifyBundle(e *env, path string, ts *pki.TrustStore, under *policy.Policy, asJSON bool) error {
	data, err := readFileMax(path, evidence.MaxSize)
	if err != nil {
		return err
	}
	rep, err := evidence.Verify(data, ts)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if under != nil {
		rep.Decision = under.Decide(rep.Facts)
	}
	if asJSON {
		out := struct {
			Verified   bool   `json:"verified"`
			Consistent bool   `json:"consistent"`
			ReadAt     string `json:"read_at"`
			*evidence.Report
		}{rep.Verified(), rep.Err() == nil, rep.Bundle.ReadAt.Format(time.RFC3339), rep}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		w := e.stdout
		fmt.Fprintf(w, "Evidence bundle %s: read at %s, %d files, claimed verdict %s under policy %s\n",
			path, rep.Bundle.ReadAt.Format(time.RFC3339), len(rep.Bundle.Files), rep.Bundle.Verdict, rep.Bundle.Policy.Name)
		fmt.Fprintln(w, "Re-verified offline:")
		for _, s := range rep.Reproven {
			fmt.Fprintln(w, "  "+s)
		}
		fmt.Fprintln(w, "Claimed by the reader (not re-provable offline):")
		for _, s := range rep.Claimed {
			fmt.Fprintln(w, "  "+s)
		}
		for _, n := range rep.Notes {
			fmt.Fprintln(w, "Note: "+n)
		}
		if len(rep.Disagreements) == 0 {
			fmt.Fprintln(w, "Claims: consistent with re-verification")
		} else {
			fmt.Fprintln(w, "Claims that DISAGREE with re-verification:")
			for _, d := range rep.Disagreements {
				fmt.Fprintln(w, "  "+d.String())
			}
		}
		if under != nil && under.Name != rep.Bundle.Policy.Name {
			fmt.Fprintf(w, "Decided under --policy %s (the bundle's policy: %s)\n", under.Name, rep.Bundle.Policy.Name)
		}
		printVerdict(w, rep.Decision.Verdict, rep.Decision.Policy.Name, rep.Decision.Reasons)
	}
	if !rep.Verified() {
		return errFailedCheck
	}
	return nil
}
