// Command cancuoc issues, serves, reads and verifies the chips of
// electronic identity documents: Vietnam's chip-based citizen identity card
// (CCCD) and ICAO Doc 9303 passports.
//
//	cancuoc demo                      issue a synthetic CCCD, read and verify it on the simulator
//	cancuoc pki init DIR              create a test CSCA, Document Signer and CRL
//	cancuoc issue --out CARD ...      personalize a card image
//	cancuoc sim CARD                  serve a card image to pcscd (vsmartcard vpcd)
//	cancuoc read --sim CARD --mrz ... read and verify a card (simulated or in a PC/SC reader)
//	cancuoc verify DIR --trust ...    passive authentication of files read before
//	cancuoc relay --reader NAME --server URL   let a verification server read a card remotely
//	cancuoc readers                   list PC/SC readers
//	cancuoc dump FILE                 print the TLV tree of a file
//	cancuoc serve --trust DIR ...     the verification service (package server)
//
// Every subcommand takes --help. Exit codes: 0 success, 1 a failed check or
// operation, 2 bad usage. --json prints machine-readable output.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// exit codes
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// errUsage marks a usage error: the command exits with 2.
var errUsage = errors.New("usage")

type command struct {
	summary string
	run     func(env *env, args []string) error
}

var commands map[string]command

func init() {
	commands = map[string]command{
		"demo":    {"issue a synthetic CCCD, read it back on the simulator and verify it", runDemo},
		"pki":     {"pki init DIR: create a test PKI (CSCA, Document Signer, CRL, master list)", runPKI},
		"issue":   {"personalize a card image from a holder record", runIssue},
		"sim":     {"serve a card image to pcscd through the vsmartcard vpcd driver", runSim},
		"read":    {"open, read and verify a card (simulated or in a PC/SC reader)", runRead},
		"verify":  {"passive authentication of files already read", runVerify},
		"readers": {"list PC/SC readers and whether a card is present", runReaders},
		"relay":   {"carry a card's APDUs to a verification server, which reads and verifies it", runRelay},
		"dump":    {"print the TLV tree of a file, with names for known tags", runDump},
		"serve":   {"the verification service: upload and relay verification over HTTP", runServe},
	}
}

// env is what a command talks to; tests give their own.
type env struct {
	// ctx ends on SIGINT or SIGTERM (or when a test says so).
	ctx            context.Context
	stdout, stderr io.Writer
	stdin          io.Reader
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(os.Args[1:], &env{ctx: ctx, stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin})
	stop()
	os.Exit(code)
}

func run(args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "cancuoc: unknown command %q\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	err := cmd.run(e, args[1:])
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintf(e.stderr, "cancuoc %s: %v\n", args[0], err)
		return exitUsage
	case errors.Is(err, errFailedCheck):
		return exitFail
	}
	fmt.Fprintf(e.stderr, "cancuoc %s: %v\n", args[0], err)
	return exitFail
}

// errFailedCheck: the command ran and printed its result, and a check
// failed (exit code 1, nothing more to print).
var errFailedCheck = errors.New("a check failed")

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: cancuoc COMMAND [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'cancuoc COMMAND --help' for the flags of a command.")
}

// flags returns a FlagSet that reports errors as usage errors.
func flags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet("cancuoc "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: cancuoc %s %s\n\n%s\n\nflags:\n", name, synopsis, commands[name].summary)
		fs.PrintDefaults()
	}
	return fs
}

// parseOperand parses flags given before or after the command's one
// operand (FILE, DIR, CARD) and returns that operand; what says what the
// operand is, for the usage error when it is missing or doubled. A lone "-"
// is an operand (stdin).
func parseOperand(fs *flag.FlagSet, args []string, what string) (string, error) {
	if err := parse(fs, args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("%w: want %s", errUsage, what)
	}
	operand, rest := fs.Arg(0), fs.Args()[1:]
	if err := parse(fs, rest); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		return "", fmt.Errorf("%w: want one %s, not also %q", errUsage, what, fs.Arg(0))
	}
	return operand, nil
}

// parse parses flags; errors become usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
