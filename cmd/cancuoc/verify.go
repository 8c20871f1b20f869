package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

func runVerify(e *env, args []string) error {
	fs := flags(e, "verify", "DIR --trust DIR|MASTERLIST [--json]")
	trust := fs.String("trust", "", "CSCA trust: a directory of certificates and CRLs, or a master list")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if err := parse(fs, args); err != nil {
			return err
		}
		return fmt.Errorf("%w: want the directory written by 'cancuoc read --out'", errUsage)
	}
	dir := args[0]
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *trust == "" {
		return fmt.Errorf("%w: --trust is required", errUsage)
	}
	now := time.Now()
	ts, _, err := pki.LoadTrust(*trust, now)
	if err != nil {
		return err
	}
	files := map[chip.File][]byte{}
	for _, f := range chip.Files() {
		b, err := os.ReadFile(filepath.Join(dir, f.String()+".bin"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		files[f] = b
	}
	if files[chip.EFSOD] == nil {
		return fmt.Errorf("%s: no %s.bin", dir, chip.EFSOD)
	}
	doc, perr := chip.ParseDocument(files)
	dgs := map[int][]byte{}
	for f, b := range files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	pa := pki.VerifyWithOptions(files[chip.EFSOD], dgs, ts, pki.VerifyOptions{At: now})
	r := &report{Verified: pa.Valid && perr == nil}
	r.Checks = append(r.Checks, checkOf("parse files", status(perr), perr), checkOf("passive authentication", status(pa.Err()), pa.Err()))
	r.fill(doc, pa)
	if err := r.print(e.stdout, *asJSON); err != nil {
		return err
	}
	if !r.Verified {
		return errFailedCheck
	}
	return nil
}

func status(err error) string {
	if err != nil {
		return "failed"
	}
	return "passed"
}
