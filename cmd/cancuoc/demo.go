package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// runDemo issues a synthetic CCCD into a card image, serves it from the
// simulator and reads it back with the full session. For a card with
// fingerprints or irises it then reads it again as a terminal without
// Terminal Authentication, to show they stay closed and the rest verifies.
func runDemo(e *env, args []string) error {
	fs := flags(e, "demo", "[--profile cccd|cccd-2023|icao-passport] [--policy NAME] [--json] [--trace] [--short]")
	profile := fs.String("profile", sim.ProfileCCCD, "card to issue: cccd, cccd-2023 (Identity Law 2023: DG3 fingerprints and DG4 irises behind Terminal Authentication) or icao-passport")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	trace := fs.Bool("trace", false, "log every APDU (header, lengths, status) to stderr")
	short := fs.Bool("short", false, "simulate a card without extended length")
	policyName := fs.String("policy", policy.Default.Name, "what verified means: "+policyHelp())
	if err := parse(fs, args); err != nil {
		return err
	}
	pol, err := policy.ByName(*policyName)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "cancuoc demo", Now: now.Add(-24 * time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		return err
	}
	// Extended Access Control: the card trusts a test CVCA; the reader is
	// an inspection system of it with the right to read fingerprints.
	eacPKI, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: now.Add(-24 * time.Hour), Access: cvc.ReadDG3 | cvc.ReadDG4,
		Rand: pkitest.SeedReader("cancuoc demo CVCA")})
	if err != nil {
		return err
	}
	doc, err := sim.DemoDocument(*profile)
	if err != nil {
		return fmt.Errorf("%w: --profile: %v", errUsage, err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{
		Profile: *profile, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return now },
		TrustPoints: [][]byte{eacPKI.CVCA.Raw},
	})
	if err != nil {
		return err
	}
	opts := sim.Config{ShortOnly: *short}
	var logger *slog.Logger
	if *trace {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	card, err := sim.New(img, &opts)
	if err != nil {
		return err
	}
	key, err := keyOf(img.Files, "", "")
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(e.stdout, "Issued a synthetic %s card (%d files, EF.SOD signed by %s); reading it on the simulator as an inspection system with Terminal Authentication rights to DG3 and DG4.\n\n",
			*profile, len(img.Files), p.DS.Cert.Subject)
	}
	res, err := reader.Read(e.ctx, card, key, &reader.Config{Trust: p.Trust(), Time: func() time.Time { return now }, Logger: logger, Policy: pol,
		Terminal: &reader.Terminal{Chain: []*cvc.Certificate{eacPKI.DV, eacPKI.IS}, Signer: eacPKI.ISKey}})
	if err != nil {
		return err
	}
	r := newReport(res)
	verified := res.Verified()
	var withoutTA *report
	if img.Files[chip.EFDG3] != nil || img.Files[chip.EFDG4] != nil {
		// The same card read by a terminal without Terminal
		// Authentication credentials: DG3 and DG4 stay closed, and
		// the rest still verifies.
		card2, err := sim.New(img, &opts)
		if err != nil {
			return err
		}
		// Ask for every data group the card has, DG3 and DG4 too: the
		// reader reports them closed instead of silently leaving them.
		var want []chip.File
		for f := range img.Files {
			if f.DataGroup() > 0 {
				want = append(want, f)
			}
		}
		slices.Sort(want)
		res2, err := reader.Read(e.ctx, card2, key, &reader.Config{Trust: p.Trust(), Time: func() time.Time { return now }, Logger: logger, Files: want, Policy: pol})
		if err != nil {
			return err
		}
		withoutTA = newReport(res2)
		verified = verified && res2.Verified()
	}
	if *asJSON {
		out := struct {
			*report
			WithoutTA *report `json:"without_terminal_authentication,omitempty"`
		}{r, withoutTA}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		if err := r.print(e.stdout, false); err != nil {
			return err
		}
		if withoutTA != nil {
			fmt.Fprintln(e.stdout, "\nThe same card read without Terminal Authentication:")
			printBiometrics(e.stdout, withoutTA.Biometrics, withoutTA.Closed)
			v := "VERIFIED (without the biometrics)"
			if !withoutTA.Verified {
				v = "NOT VERIFIED"
			}
			fmt.Fprintf(e.stdout, "Verdict: %s\n", v)
		}
	}
	if !verified {
		return errFailedCheck
	}
	return nil
}
