package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/evidence"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

func runRead(e *env, args []string) (err error) {
	fs := flags(e, "read", "(--reader NAME | --sim CARD | --replay FILE) [--record FILE] [--mrz DOC,YYMMDD,YYMMDD | --can NNNNNN] [--trust DIR|FILE [--self-contained-master-list]] [--printed-mrz MRZ] [--deviation-list FILE]... [--policy NAME] [--evidence FILE] [--out DIR] [--json] [--trace]")
	readerName := fs.String("reader", "", "PC/SC reader name (see 'cancuoc readers')")
	simPath := fs.String("sim", "", "card image to read on the in-process simulator")
	mrzKey := fs.String("mrz", "", "MRZ key: document number, date of birth, date of expiry (YYMMDD)")
	can := fs.String("can", "", "card access number (PACE)")
	trust := fs.String("trust", "", "CSCA trust: a directory of certificates and CRLs, or a file of certificates")
	selfML := fs.Bool("self-contained-master-list", false, "accept a CSCA master list file as --trust although only the CSCAs it contains vouch for it (its authenticity then rests on how you obtained it)")
	out := fs.String("out", "", "write every file read (raw) and the face image to this directory")
	useBAC := fs.Bool("bac", false, "open the chip with BAC even when it offers PACE")
	fallback := fs.Bool("allow-bac-fallback", false, "try BAC when PACE fails (never done silently otherwise)")
	terminal := fs.String("terminal", "", "inspection system credentials for DG3/DG4 (the eac/ directory of 'cancuoc pki init')")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	trace := fs.Bool("trace", false, "log every APDU (header, lengths, status) to stderr")
	printed := fs.String("printed-mrz", "", "the MRZ printed on the document (its lines, as read by OCR): DG1 is checked against it")
	var devLists []string
	fs.Func("deviation-list", "an ICAO deviation list (DER) of the issuer, verified against --trust: the deviations it publishes are reported as known (repeatable)", func(s string) error {
		devLists = append(devLists, s)
		return nil
	})
	policyName := fs.String("policy", policy.Default.Name, "what verified means: "+policyHelp())
	evidencePath := fs.String("evidence", "", "write the evidence bundle of the read to this file (JSON; 'cancuoc verify FILE' re-verifies it)")
	recordPath := fs.String("record", "", "write the read's APDU transcript to this file (the holder's personal data: see reader/testdata/transcripts/README.md)")
	replayPath := fs.String("replay", "", "read from an APDU transcript written by --record instead of a card: the reader must send the same commands, byte for byte, and end the same way")
	if err := parse(fs, args); err != nil {
		return err
	}
	pol, err := policy.ByName(*policyName)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	var decided *policy.Decision
	if *asJSON {
		// Whatever stops the read, a program reading stdout gets a JSON
		// object saying so (the message goes to stderr as well), with
		// the verdict when the read got far enough for one.
		defer func() {
			if err != nil && !errors.Is(err, errFailedCheck) {
				err = printJSONErrorDecided(e.stdout, err, decided)
			}
		}()
	}
	if n := btoi(*readerName != "") + btoi(*simPath != "") + btoi(*replayPath != ""); n != 1 {
		return fmt.Errorf("%w: give --reader, --sim or --replay", errUsage)
	}
	if *recordPath != "" && *replayPath != "" {
		return fmt.Errorf("%w: give --record or --replay, not both", errUsage)
	}
	ctx := e.ctx
	now := time.Now()
	var replayed *recording
	if *replayPath != "" {
		// The read runs at the time it was recorded at.
		if replayed, now, err = replay(*replayPath); err != nil {
			return err
		}
	}
	opts := &reader.Config{Time: func() time.Time { return now }, UseBAC: *useBAC, AllowBACFallback: *fallback, Policy: pol}
	if *trust != "" {
		t, err := loadTrust(*trust, now, *selfML)
		if err != nil {
			return err
		}
		opts.Trust = t
	}
	opts.PrintedMRZ = *printed
	for _, path := range devLists {
		if opts.Trust == nil {
			return fmt.Errorf("%w: --deviation-list needs --trust to verify it", errUsage)
		}
		b, err := readFileMax(path, maxDeviationListSize)
		if err != nil {
			return err
		}
		l, err := conform.VerifyDeviationList(b, opts.Trust, &pki.VerifyConfig{Time: opts.Time})
		if err != nil {
			return fmt.Errorf("deviation list %s refused: %w", path, err)
		}
		opts.DeviationLists = append(opts.DeviationLists, l)
	}
	if *terminal != "" {
		t, err := reader.LoadTerminal(*terminal)
		if err != nil {
			return err
		}
		opts.Terminal = t
	}
	var logger *slog.Logger
	if *trace {
		logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		opts.Logger = logger
	}
	if !*asJSON {
		opts.Progress = func(p reader.Progress) {
			if p.Total > 4096 {
				fmt.Fprintf(e.stderr, "\r%s %d/%d bytes", p.File, p.Read, p.Total)
				if p.Read == p.Total {
					fmt.Fprintln(e.stderr)
				}
			}
		}
	}
	var t apdu.Transmitter
	var files map[chip.File][]byte
	var cardDesc string
	var atr []byte
	if replayed != nil {
		if err := replayed.prepare(opts, *can); err != nil {
			return err
		}
		t = replayed.rp
	} else if *simPath != "" {
		img, err := sim.Load(*simPath)
		if err != nil {
			return err
		}
		card, err := sim.New(img, nil)
		if err != nil {
			return err
		}
		t, files = card, img.Files
		cardDesc = "simulated (cancuoc read --sim)"
	} else {
		pc, err := pcsc.Establish()
		if err != nil {
			return err
		}
		defer pc.Close()
		card, err := pc.Connect(*readerName)
		if err != nil {
			return err
		}
		defer card.Close()
		t = apdu.NewTransmitter(card)
		opts.Extended = reader.ExtendedFromATR(card.ATR())
		cardDesc, atr = "PC/SC reader "+*readerName, card.ATR()
	}
	key, err := keyOf(files, *mrzKey, *can)
	if err != nil {
		return err
	}
	var recorded *recording
	if *recordPath != "" {
		recorded, t = record(*recordPath, t, opts)
	}
	res, err := reader.Read(ctx, t, key, opts)
	if recorded != nil {
		if werr := recorded.write(cardDesc, atr, keyKind(*can), opts, now, res, err); werr != nil {
			return werr
		}
	}
	if replayed != nil {
		if rerr := replayed.check(res, err); rerr != nil {
			return rerr
		}
	}
	if res != nil && res.Document != nil && *out != "" {
		if werr := writeFiles(*out, res.Document); werr != nil {
			return werr
		}
	}
	if res != nil && res.Document != nil && *evidencePath != "" {
		if werr := writeEvidence(*evidencePath, res, now); werr != nil {
			return werr
		}
	}
	if err != nil {
		if res != nil {
			d := res.Decision()
			decided = &d
			if !*asJSON {
				printVerdict(e.stderr, d.Verdict, d.Policy.Name, d.Reasons)
			}
		}
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

// writeEvidence writes the evidence bundle of a read.
func writeEvidence(path string, res *reader.Result, at time.Time) error {
	b, err := evidence.New(res, at)
	if err != nil {
		return err
	}
	data, err := b.Marshal()
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// policyHelp lists the preset policies for flag help.
func policyHelp() string {
	var s []string
	for _, p := range policy.Presets() {
		s = append(s, p.Name+" ("+p.Description+")")
	}
	return strings.Join(s, "; ")
}

// writeFiles writes every file as NAME.bin and the face image as
// face.jpg or face.jp2.
func writeFiles(dir string, doc *chip.Document) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for f, b := range doc.Files() {
		if err := os.WriteFile(filepath.Join(dir, f.String()+".bin"), b, 0o600); err != nil {
			return err
		}
	}
	if img, format, ok := doc.FaceImage(); ok {
		ext := ".jpg"
		if format.IsJPEG2000() {
			ext = ".jp2"
		}
		return os.WriteFile(filepath.Join(dir, "face"+ext), img, 0o600)
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
