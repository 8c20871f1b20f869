package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/reader"
)

// runDemo issues a synthetic CCCD into a card image, serves it from the
// simulator and reads it back with the full session.
func runDemo(e *env, args []string) error {
	fs := flags(e, "demo", "[--json] [--trace] [--short]")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	trace := fs.Bool("trace", false, "log every APDU (header, lengths, status) to stderr")
	short := fs.Bool("short", false, "simulate a card without extended length")
	if err := parse(fs, args); err != nil {
		return err
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
	eacPKI, err := cvc.NewHierarchy(cvc.HierarchyOptions{Date: now.Add(-24 * time.Hour), Access: cvc.ReadDG3 | cvc.ReadDG4,
		Rand: pkitest.SeedReader("cancuoc demo CVCA")})
	if err != nil {
		return err
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		return err
	}
	img, err := sim.Personalize(doc, sim.PersonalizeOptions{
		Profile: sim.ProfileCCCD, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: now,
		TrustPoints: [][]byte{eacPKI.CVCA.Raw},
	})
	if err != nil {
		return err
	}
	opts := sim.Options{ShortOnly: *short}
	var logger *slog.Logger
	if *trace {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	card, err := sim.New(img, opts)
	if err != nil {
		return err
	}
	key, err := keyOf(img.Files, "", "")
	if err != nil {
		return err
	}
	if !*asJSON {
		fmt.Fprintf(e.stdout, "Issued a synthetic CCCD (%d files, EF.SOD signed by %s); reading it on the simulator.\n\n",
			len(img.Files), p.DS.Cert.Subject)
	}
	res, err := reader.Read(e.ctx, card, key, reader.Options{Trust: p.Trust(), Time: now, Logger: logger,
		Terminal: &reader.Terminal{Chain: []*cvc.Certificate{eacPKI.DV, eacPKI.IS}, Signer: eacPKI.ISKey}})
	if err != nil {
		return err
	}
	if err := newReport(res).print(e.stdout, *asJSON); err != nil {
		return err
	}
	if !res.Verified() {
		return errFailedCheck
	}
	return nil
}
