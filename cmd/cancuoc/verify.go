package main

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

func runVerify(e *env, args []string) error {
	fs := flags(e, "verify", "DIR --trust DIR|FILE [--self-contained-master-list] [--json]")
	trust := fs.String("trust", "", "CSCA trust: a directory of certificates and CRLs, or a file of certificates")
	selfML := fs.Bool("self-contained-master-list", false, "accept a CSCA master list file as --trust although only the CSCAs it contains vouch for it (its authenticity then rests on how you obtained it)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	dir, err := parseOperand(fs, args, "the directory written by 'cancuoc read --out'")
	if err != nil {
		return err
	}
	if *trust == "" {
		return fmt.Errorf("%w: --trust is required", errUsage)
	}
	if st, err := os.Stat(dir); err != nil {
		if errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("%s: the directory does not exist (want the directory written by 'cancuoc read --out')", dir)
		}
		return err
	} else if !st.IsDir() {
		return fmt.Errorf("%s: not a directory (want the directory written by 'cancuoc read --out')", dir)
	}
	now := time.Now()
	ts, err := loadTrust(*trust, now, *selfML)
	if err != nil {
		return err
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
