package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/chip/sim/vpcd"
)

func runSim(e *env, args []string) error {
	fs := flags(e, "sim", "CARD [--vpcd HOST:PORT] [--fault NAME[:ARG]] [--quirk NAME] [--short] [--trace]")
	addr := fs.String("vpcd", vpcd.DefaultAddr, "address of the vpcd driver (pcscd's Virtual PCD reader)")
	var faults []string
	var quirks []string
	fs.Func("quirk", "behave as a kind of real card: "+quirkNames()+"; repeatable", func(s string) error {
		if _, ok := sim.ProfileByName(s); !ok {
			return fmt.Errorf("%w: unknown quirk %q (%s)", errUsage, s, quirkNames())
		}
		quirks = append(quirks, s)
		return nil
	})
	fs.Func("fault", "misbehave: tear:N (torn after N APDUs), tear-bytes:N, corrupt:N, wrong-mac:N (from response N), kill:N (plain 6988 to APDU N, session dropped), no-do99:N (protected response N without DO '99'), delay:DURATION, lie:FILE (cut short), tamper:FILE (changed after signing), absent:FILE (6A82), denied:FILE (6982), clone (wrong CA/AA keys); repeatable", func(s string) error {
		faults = append(faults, s)
		return nil
	})
	short := fs.Bool("short", false, "refuse extended length APDUs")
	cccdQuirk := fs.Bool("select-mf-6d00", false, "answer SELECT MF with 6D00 as the CCCD does")
	trace := fs.Bool("trace", false, "log every APDU to stderr")
	path, err := parseOperand(fs, args, "a card image")
	if err != nil {
		return err
	}
	img, err := sim.Load(path)
	if err != nil {
		return err
	}
	opts := sim.Config{ShortOnly: *short, SelectMFQuirk: *cccdQuirk}
	for _, q := range quirks {
		p, _ := sim.ProfileByName(q)
		p.Apply(&opts)
	}
	for _, f := range faults {
		if err := parseFault(&opts.Faults, f); err != nil {
			return err
		}
	}
	if *trace {
		opts.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	card, err := sim.New(img, &opts)
	if err != nil {
		return err
	}
	ctx := e.ctx
	// Connect first: "serving" is said only once the driver is there.
	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	var d net.Dialer
	conn, err := d.DialContext(dctx, "tcp", *addr)
	cancel()
	if err != nil {
		return fmt.Errorf("cannot reach the vpcd driver at %s (is pcscd running, with vsmartcard-vpcd installed?): %w", *addr, err)
	}
	fmt.Fprintf(e.stderr, "serving %s to the vpcd driver at %s; interrupt to stop\n", path, *addr)
	return vpcd.ServeConn(ctx, conn, card.VPCD(), nil)
}

// parseFault reads NAME[:ARG] into f.
func parseFault(f *sim.Faults, s string) error {
	name, arg, _ := strings.Cut(s, ":")
	fileFaults := map[string]*chip.File{
		"lie": &f.LyingFile, "tamper": &f.TamperedFile, "absent": &f.AbsentFile, "denied": &f.DeniedFile,
	}
	countFaults := map[string]*int{
		"tear": &f.TearAfterAPDUs, "tear-bytes": &f.TearAfterBytes, "corrupt": &f.CorruptResponse,
		"wrong-mac": &f.WrongMAC, "kill": &f.KillSession, "no-do99": &f.NoDO99,
	}
	if name == "clone" {
		f.Clone = true
		return nil
	}
	if field, ok := fileFaults[name]; ok {
		file, ok := chip.FileByName(arg)
		if !ok {
			return fmt.Errorf("%w: --fault %s: unknown file %q", errUsage, s, arg)
		}
		*field = file
		return nil
	}
	if name == "delay" {
		d, err := time.ParseDuration(arg)
		if err != nil {
			return fmt.Errorf("%w: --fault %s: %v", errUsage, s, err)
		}
		f.Delay = d
		return nil
	}
	n, err := strconv.Atoi(arg)
	if err != nil || n <= 0 {
		return fmt.Errorf("%w: --fault %s: want a positive number after the colon", errUsage, s)
	}
	field, ok := countFaults[name]
	if !ok {
		return fmt.Errorf("%w: unknown fault %q", errUsage, name)
	}
	*field = n
	return nil
}

// quirkNames lists the simulator's named card behaviours.
func quirkNames() string {
	var names []string
	for _, p := range sim.Profiles {
		if p.Name != "well-behaved" {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}
