package reader

import (
	"crypto"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
)

// This file: what the caller asks of a read (Config, Terminal, Extended) and the session's errors.

// Errors of a session.
var (
	// ErrNoKey: the Key is empty, or BAC is needed and only a CAN was given.
	ErrNoKey = errors.New("reader: no usable key for this chip")
	// ErrAccess: the chip could not be opened (wrong key, or the protocol
	// failed).
	ErrAccess = errors.New("reader: access control failed")
	// ErrNotVerified: the read is not verified under its policy (a check
	// failed, or a requirement was not met).
	ErrNotVerified = errors.New("reader: document not verified")
	// ErrNeedCardAccess: the chip's EF.CardAccess could not be read before
	// PACE (iPhones get 6982 on CCCDs), so the PACE parameters are
	// unknown: give them with Config.CardAccess or Config.PACEInfo.
	ErrNeedCardAccess = errors.New("reader: EF.CardAccess unreadable before PACE: give Config.CardAccess or Config.PACEInfo")
	// ErrFilesMissing: files the read wanted (those EF.SOD lists) were not
	// read: the card answered that it has none, or refused them. The
	// other files are kept; Result.Files says which and why.
	ErrFilesMissing = errors.New("reader: files missing")
)

// Config tunes a read; Read takes a pointer to one, nil meaning all
// defaults. The zero value (or nil) reads every data group EF.COM lists
// (but DG3 and DG4, which need Terminal Authentication) and skips passive
// authentication, reporting it as not run. Read does not modify it: a
// Config may be reused for many reads.
type Config struct {
	// Files lists the data groups to read; nil means those EF.COM lists.
	// EF.COM and EF.SOD are always read.
	Files []chip.File
	// Trust is the CSCA trust store for passive authentication; nil
	// leaves passive authentication out (the result is then not
	// verified).
	Trust *pki.TrustStore
	// Time returns the time of verification (certificate validity,
	// CRLs); nil means time.Now. Read calls it once, at its start.
	Time func() time.Time
	// Extended says whether the card and the reader take extended length
	// APDUs. Auto (the zero value) asks the transport's ATR when it has
	// one (an ATR() []byte method).
	Extended Extended
	// MaxResponse caps the response size the reader asks for (0: 65536
	// with extended length).
	MaxResponse int
	// Progress receives the progress of each file (nil: nobody).
	Progress func(Progress)
	// Logger receives one debug record per step (nil: no logging).
	Logger *slog.Logger
	// Rand is the source of randomness (nonces, ephemeral keys of PACE
	// and Chip Authentication, the Active Authentication challenge); nil
	// means crypto/rand.Reader.
	Rand io.Reader
	// Retries is how many times the reader tries a step again after a
	// failure of the session or the link (default 1; -1 for none): a
	// file, Chip, Terminal or Active Authentication after opening the chip
	// again (PACE or BAC, then Chip Authentication again); PACE itself
	// when it failed for another reason than the password; EF.CardAccess
	// when it does not parse. With -1 a single cryptographic failure after
	// Chip Authentication leaves the read incomplete: a clone needs two.
	Retries int
	// Terminal, when set, runs Terminal Authentication after Chip
	// Authentication with these credentials, and reads DG3 and DG4 when
	// EF.COM lists them and the chip grants them.
	Terminal *Terminal
	// UseBAC opens the chip with BAC even when it offers PACE, as the
	// caller's explicit choice (a reader whose firmware cannot run PACE,
	// a test of the BAC path). The downgrade check then does not apply.
	UseBAC bool
	// AllowBACFallback lets the reader try BAC after PACE failed on a chip
	// that offers PACE. Without it a PACE failure is final: a reader never
	// downgrades to BAC on its own, since an attacker in the radio path
	// could make PACE fail on purpose.
	AllowBACFallback bool
	// CardAccess is EF.CardAccess as the caller knows it (from an earlier
	// read, or a profile's published file), used only when the chip's own
	// cannot be read before PACE (but see CardAccessFromChip). PACEInfo names the PACE protocol and
	// parameters directly instead. The chip's DG14 is checked against the
	// EF.CardAccess used, as always.
	CardAccess []byte
	PACEInfo   *secinfo.PACEInfo
	// CardAccessFromChip says CardAccess is this very chip's EF.CardAccess,
	// read just before by whoever carries the APDUs (a relay client reads
	// it next to the chip and sends it with its start). The reader then
	// uses it instead of reading the file, one APDU less, and treats it
	// as the chip's own: it is checked against DG14, kept among the files
	// read (evidence, profile checks), and a BAC read it led to is judged
	// by the downgrade check. Nothing is lost in trust: the chip does not
	// protect EF.CardAccess either, so a party carrying the APDUs could
	// equally change the read's answer. When it does not parse, the reader
	// reads the chip's.
	CardAccessFromChip bool
	// Policy says what "verified" means for this read (package policy):
	// Result.Verified and Result.Verdict decide under it. The zero value
	// is policy.Default (lenient: passive authentication passed and
	// nothing failed); a bank names policy.Bank.
	Policy policy.Policy
	// PrintedMRZ is the MRZ read from the document's printed page (OCR, or
	// typed), when the caller has it: DG1 is then checked against it
	// (conform.DG1PrintedMRZ), as it always is against the MRZ key the
	// chip was opened with.
	PrintedMRZ string
	// DeviationLists are verified ICAO deviation lists
	// (conform.VerifyDeviationList): the findings they publish for the
	// document's issuer are reported as known deviations, which no policy
	// fails on. Unverified lists are ignored.
	DeviationLists []*conform.DeviationList
}

// rand is c.Rand, or crypto/rand.Reader when c or c.Rand is nil.
func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return rand.Reader
	}
	return c.Rand
}

// time is c.Time(), or time.Now() when c or c.Time is nil.
func (c *Config) time() time.Time {
	if c == nil || c.Time == nil {
		return time.Now()
	}
	return c.Time()
}

// Terminal is an inspection system's credentials for Terminal
// Authentication: its certificate chain from the one the chip's CVCA
// verifies (a DV certificate, or a CVCA link certificate first) down to its
// own, and its private key (an HSM's crypto.Signer fits).
type Terminal struct {
	Chain  []*cvc.Certificate
	Signer crypto.Signer
}

// Extended chooses extended length.
type Extended int

const (
	ExtendedAuto Extended = iota
	ExtendedOn
	ExtendedOff
)
