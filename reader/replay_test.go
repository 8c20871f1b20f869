package reader

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/transcript"
)

// This file: reads recorded as APDU transcripts (testdata/transcripts, see
// its README) and replayed, as crypto/tls replays recorded handshakes. A
// change in what the reader sends fails TestReplay with the APDU's number.

var update = flag.Bool("update", false, "record the APDU transcripts of testdata/transcripts again against chip/sim")

const transcriptDir = "testdata/transcripts"

// replayCase is one recorded read of a simulated card.
type replayCase struct {
	name string
	// doc personalizes the card: a chip/sim profile and, optionally, a
	// data-level profile (sim.ImageProfiles).
	profile string // sim.ProfileCCCD, ProfileCCCD2023, ProfileICAOPassport or passportPACE
	image   string // a sim.ImageProfiles name, or ""
	cam     bool   // the chip offers PACE with Chip Authentication Mapping
	ta      bool   // the chip trusts the replay terminal's CVCA
	// link: the sim.Profiles name and whether the link is short.
	simProfile string
	short      bool
	// fault, when set, changes the card's options (sim.Faults,
	// DisablePACE); faultDoc names it for the header.
	fault    func(*sim.Config)
	faultDoc string
	// atr, when set, is the card's ATR instead of chip/sim's.
	atr []byte
	// key: "mrz" or "can".
	key string
	// opts sets the reader options that differ from the defaults, doc
	// names them for the header.
	opts func(*Config, *replayFixtures)
	doc  string
}

// replayCases are the recorded reads.
func replayCases() []replayCase {
	var cs []replayCase
	add := func(c replayCase) {
		if c.key == "" {
			c.key = "mrz"
		}
		if c.doc == "" {
			c.doc = "defaults"
		}
		cs = append(cs, c)
	}
	// The CCCD of each sim profile, on extended and short links.
	for _, pr := range sim.Profiles {
		for _, l := range links {
			if _, ok := profileOptions(pr, l); ok {
				add(replayCase{name: "cccd-" + pr.Name + "-" + l.name, profile: sim.ProfileCCCD, simProfile: pr.Name, short: l.short})
			}
		}
	}
	add(replayCase{name: "cccd-can-extended", profile: sim.ProfileCCCD, simProfile: "well-behaved", key: "can"})
	add(replayCase{name: "cccd-bac-by-choice", profile: sim.ProfileCCCD, simProfile: "well-behaved",
		opts: func(o *Config, _ *replayFixtures) { o.UseBAC = true }, doc: "UseBAC"})
	add(replayCase{name: "cccd-terminal-authentication", profile: sim.ProfileCCCD, ta: true, simProfile: "well-behaved", key: "can",
		opts: func(o *Config, f *replayFixtures) { o.Terminal = f.terminal }, doc: "Terminal (DG3 and DG4)"})
	add(replayCase{name: "cccd-2023-terminal-authentication-extended", profile: sim.ProfileCCCD2023, ta: true, simProfile: "well-behaved",
		opts: func(o *Config, f *replayFixtures) { o.Terminal = f.terminal }, doc: "Terminal (DG3 and DG4)"})
	add(replayCase{name: "cccd-2023-short", profile: sim.ProfileCCCD2023, ta: true, simProfile: "well-behaved", short: true})
	add(replayCase{name: "cccd-pace-cam-extended", profile: sim.ProfileCCCD, cam: true, simProfile: "well-behaved"})
	add(replayCase{name: "cccd-pace-cam-short", profile: sim.ProfileCCCD, cam: true, simProfile: "well-behaved", short: true})
	add(replayCase{name: "passport-bac-extended", profile: sim.ProfileICAOPassport, simProfile: "well-behaved"})
	add(replayCase{name: "passport-bac-short", profile: sim.ProfileICAOPassport, simProfile: "well-behaved", short: true})
	add(replayCase{name: "passport-pace-extended", profile: passportPACE, simProfile: "well-behaved"})
	add(replayCase{name: "passport-pace-bac-by-choice", profile: passportPACE, simProfile: "well-behaved",
		opts: func(o *Config, _ *replayFixtures) { o.UseBAC = true }, doc: "UseBAC"})
	// Faults: what the reader does when the card, the link or the
	// session fails, retries included, and its verdicts on clones and
	// tampered files. APDU numbers are those of cccd-well-behaved-extended
	// (11 is Chip Authentication's GENERAL AUTHENTICATE, 12 the first READ
	// BINARY after it) and passport-bac-extended (5 GET CHALLENGE, 10
	// Chip Authentication).
	fault := func(name, profile, doc string, f func(*sim.Config), opts ...func(*Config, *replayFixtures)) {
		c := replayCase{name: name, profile: profile, simProfile: "well-behaved", fault: f, faultDoc: doc}
		if len(opts) > 0 {
			c.opts, c.doc = opts[0], "Retries -1"
		}
		add(c)
	}
	fault("cccd-fault-kill-session-12", sim.ProfileCCCD, "Faults.KillSession 12", func(o *sim.Config) { o.Faults.KillSession = 12 })
	fault("cccd-fault-kill-session-12-no-retries", sim.ProfileCCCD, "Faults.KillSession 12", func(o *sim.Config) { o.Faults.KillSession = 12 },
		func(o *Config, _ *replayFixtures) { o.Retries = -1 })
	fault("cccd-fault-corrupt-response-11", sim.ProfileCCCD, "Faults.CorruptResponse 11", func(o *sim.Config) { o.Faults.CorruptResponse = 11 })
	fault("cccd-fault-corrupt-response-12", sim.ProfileCCCD, "Faults.CorruptResponse 12", func(o *sim.Config) { o.Faults.CorruptResponse = 12 })
	fault("cccd-fault-no-do99-12", sim.ProfileCCCD, "Faults.NoDO99 12", func(o *sim.Config) { o.Faults.NoDO99 = 12 })
	fault("cccd-fault-wrong-mac-14", sim.ProfileCCCD, "Faults.WrongMAC 14", func(o *sim.Config) { o.Faults.WrongMAC = 14 })
	fault("cccd-fault-chip-error-6f00-13", sim.ProfileCCCD, "Faults.ChipError 13", func(o *sim.Config) { o.Faults.ChipError = 13 })
	fault("cccd-fault-tear-after-12", sim.ProfileCCCD, "Faults.TearAfterAPDUs 12", func(o *sim.Config) { o.Faults.TearAfterAPDUs = 12 })
	fault("cccd-fault-clone", sim.ProfileCCCD, "Faults.Clone", func(o *sim.Config) { o.Faults.Clone = true })
	fault("cccd-fault-clone-rejects-sm", sim.ProfileCCCD, "Faults.Clone, CloneRejectsSM", func(o *sim.Config) { o.Faults.Clone, o.Faults.CloneRejectsSM = true, true })
	fault("cccd-fault-tampered-dg2", sim.ProfileCCCD, "Faults.TamperedFile DG2", func(o *sim.Config) { o.Faults.TamperedFile = chip.EFDG2 })
	fault("cccd-fault-lying-dg1", sim.ProfileCCCD, "Faults.LyingFile DG1", func(o *sim.Config) { o.Faults.LyingFile = chip.EFDG1 })
	fault("cccd-fault-absent-dg13", sim.ProfileCCCD, "Faults.AbsentFile DG13", func(o *sim.Config) { o.Faults.AbsentFile = chip.EFDG13 })
	fault("cccd-fault-denied-dg13", sim.ProfileCCCD, "Faults.DeniedFile DG13", func(o *sim.Config) { o.Faults.DeniedFile = chip.EFDG13 })
	fault("passport-bac-fault-kill-session-10", sim.ProfileICAOPassport, "Faults.KillSession 10", func(o *sim.Config) { o.Faults.KillSession = 10 })
	fault("passport-bac-fault-tear-after-5", sim.ProfileICAOPassport, "Faults.TearAfterAPDUs 5", func(o *sim.Config) { o.Faults.TearAfterAPDUs = 5 })
	// PACE that fails on a chip that offers it: never BAC on the reader's
	// own initiative, BAC when the caller allows the fallback.
	fault("cccd-pace-broken", sim.ProfileCCCD, "DisablePACE", func(o *sim.Config) { o.DisablePACE = true })
	add(replayCase{name: "cccd-pace-broken-bac-fallback", profile: sim.ProfileCCCD, simProfile: "well-behaved",
		fault: func(o *sim.Config) { o.DisablePACE = true }, faultDoc: "DisablePACE",
		opts: func(o *Config, _ *replayFixtures) { o.AllowBACFallback = true }, doc: "AllowBACFallback"})
	// The reader's options that change what it sends, and the ways it
	// learns the card's EF.CardAccess and extended length.
	cccdOpts := func(name, doc string, o func(*Config, *replayFixtures)) {
		add(replayCase{name: name, profile: sim.ProfileCCCD, simProfile: "well-behaved", opts: o, doc: doc})
	}
	cccdOpts("cccd-reader-max-response-1024", "MaxResponse 1024", func(o *Config, _ *replayFixtures) { o.MaxResponse = 1024 })
	cccdOpts("cccd-reader-extended-off", "Extended off", func(o *Config, _ *replayFixtures) { o.Extended = ExtendedOff })
	cccdOpts("cccd-reader-files-dg1-dg2", "Files DG1, DG2", func(o *Config, _ *replayFixtures) { o.Files = []chip.File{chip.EFDG1, chip.EFDG2} })
	cccdOpts("cccd-reader-card-access-from-chip", "CardAccess (the chip's, from cccd-well-behaved-extended's APDU 1), CardAccessFromChip",
		func(o *Config, f *replayFixtures) { o.CardAccess, o.CardAccessFromChip = f.cardAccess, true })
	// The CCCD as it is: SELECT MF answered 6D00.
	for _, l := range links {
		add(replayCase{name: "cccd-select-mf-6d00-" + l.name, profile: sim.ProfileCCCD, simProfile: "well-behaved", short: l.short,
			fault: func(o *sim.Config) { o.SelectMFQuirk = true }, faultDoc: "SelectMFQuirk (SELECT MF answered 6D00)"})
	}
	// EF.CardAccess refused before PACE (CCCDs to iPhones): the caller
	// names the PACE parameters.
	add(replayCase{name: "cccd-card-access-denied-paceinfo", profile: sim.ProfileCCCD, simProfile: "well-behaved", key: "can",
		fault: func(o *sim.Config) { o.Quirks.CardAccessDenied = true }, faultDoc: "Quirks.CardAccessDenied",
		opts: func(o *Config, _ *replayFixtures) {
			o.PACEInfo = secinfo.NewPACEInfo(sim.CCCDPACE, sim.CCCDPACEParameterID)
		}, doc: "PACEInfo (ECDH-GM-AES-128, parameters 13)"})
	// An ATR without card capabilities: the reader asks EF.ATR/INFO.
	add(replayCase{name: "cccd-atr-without-capabilities", profile: sim.ProfileCCCD, simProfile: "well-behaved",
		atr: []byte{0x3B, 0x80, 0x80, 0x01, 0x01}, faultDoc: "ATR 3B80800101 (no card capabilities)"})
	// The CCCD of each data-level profile, on an extended link.
	for _, ip := range sim.ImageProfiles {
		c := replayCase{name: "cccd-image-" + ip.Name, profile: sim.ProfileCCCD, image: ip.Name, simProfile: "well-behaved"}
		if ip.Name == "paceinfo-no-parameterid" {
			c.key = "can"
			c.opts = func(o *Config, _ *replayFixtures) {
				o.PACEInfo = secinfo.NewPACEInfo(sim.CCCDPACE, sim.CCCDPACEParameterID)
			}
			c.doc = "PACEInfo (ECDH-GM-AES-128, parameters 13)"
		}
		add(c)
	}
	return cs
}

// replayFixtures are what a replay needs besides the transcript: the
// trust store and the inspection system's credentials, kept as files
// under testdata/transcripts/fixtures so that a replay does not depend on
// how pkitest or cvc derive keys.
type replayFixtures struct {
	trust    *pki.TrustStore
	terminal *Terminal
	// For recording only (recordingFixtures): the PKI that signs the
	// cards, the CVCA they trust, the cards made so far.
	pki   *pkitest.PKI
	cvca  []byte
	aaKey crypto.Signer
	// cardAccess is the CCCD's EF.CardAccess as its chip answers it
	// (cccd-well-behaved-extended's first response).
	cardAccess []byte
	mu         sync.Mutex
	images     map[string]*sim.Image
	fileBytes  map[string][]byte
}

// aaKeyFile holds the cards' Active Authentication key (RSA-2048): made
// once from replaySeed with -update and kept, since deriving an RSA key
// takes seconds.
const aaKeyFile = "aa-key.der"

var (
	replayOnce, recordOnce sync.Once
	replayFix, recordFix   *replayFixtures
	replayErr, recordErr   error
)

// replaySeed is the seed of everything random in the recordings.
const replaySeed = "cancuoc replay"

var replayFixtureDir = filepath.Join(transcriptDir, "fixtures")

// loadReplayFixtures reads the trust store and terminal of
// testdata/transcripts/fixtures; with -update it writes them first.
func loadReplayFixtures(t testing.TB) *replayFixtures {
	t.Helper()
	replayOnce.Do(func() {
		if *update {
			var f *replayFixtures
			if f, replayErr = generateReplayFixtures(); replayErr != nil {
				return
			}
			var k crypto.Signer
			if k, replayErr = pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader(replaySeed+" aa")); replayErr != nil {
				return
			}
			if f.fileBytes[aaKeyFile], replayErr = aa.MarshalPrivateKey(k); replayErr != nil {
				return
			}
			replayErr = f.write()
			if replayErr != nil {
				return
			}
		}
		replayFix, replayErr = readReplayFixtures()
	})
	require.NoError(t, replayErr)
	return replayFix
}

// recordingFixtures are the fixtures with what recording needs: the PKI
// and the CVCA, derived from replaySeed. They must be those of the files
// (they are, unless pkitest or cvc derive keys otherwise now: then
// record again with -update).
func recordingFixtures(t testing.TB) *replayFixtures {
	t.Helper()
	loadReplayFixtures(t)
	recordOnce.Do(func() {
		recordFix, recordErr = generateReplayFixtures()
		if recordErr != nil {
			return
		}
		for name, b := range recordFix.fileBytes {
			kept, err := os.ReadFile(filepath.Join(replayFixtureDir, name))
			if err != nil {
				recordErr = err
				return
			}
			if !bytes.Equal(kept, b) {
				recordErr = fmt.Errorf("%s differs from the one derived from %q: record again with -update", name, replaySeed)
				return
			}
		}
		recordFix.trust, recordFix.terminal, recordFix.cardAccess = replayFix.trust, replayFix.terminal, replayFix.cardAccess
		b, err := os.ReadFile(filepath.Join(replayFixtureDir, aaKeyFile))
		if err != nil {
			recordErr = err
			return
		}
		recordFix.aaKey, recordErr = aa.ParsePrivateKey(b)
	})
	require.NoError(t, recordErr)
	return recordFix
}

// generateReplayFixtures derives the PKI and the terminal from replaySeed.
// brainpoolP256r1 keys sign deterministically (pkitest's
// DeterministicSigner): recording twice gives the same bytes.
func generateReplayFixtures() (*replayFixtures, error) {
	p, err := pkitest.New(pkitest.Config{Seed: replaySeed, Now: pkiNow, CSCA: pkitest.BrainpoolP256r1, DS: pkitest.BrainpoolP256r1})
	if err != nil {
		return nil, err
	}
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: signedAt, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: pkitest.SeedReader(replaySeed + " terminal")})
	if err != nil {
		return nil, err
	}
	key, err := aa.MarshalPrivateKey(h.ISKey)
	if err != nil {
		return nil, err
	}
	return &replayFixtures{pki: p, cvca: h.CVCA.Raw, images: map[string]*sim.Image{}, fileBytes: map[string][]byte{
		"csca.der": p.CSCA.Cert.Raw, "crl.der": p.CRL,
		TerminalDVFile: h.DV.Raw, TerminalISFile: h.IS.Raw, TerminalKeyFile: key,
	}}, nil
}

// write writes the fixture files of generated fixtures.
func (f *replayFixtures) write() error {
	if err := os.MkdirAll(replayFixtureDir, 0o755); err != nil {
		return err
	}
	for name, b := range f.fileBytes {
		if err := os.WriteFile(filepath.Join(replayFixtureDir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// readReplayFixtures reads the trust store and the terminal.
func readReplayFixtures() (*replayFixtures, error) {
	f := &replayFixtures{trust: pki.NewTrustStore()}
	csca, err := os.ReadFile(filepath.Join(replayFixtureDir, "csca.der"))
	if err != nil {
		return nil, err
	}
	if err := f.trust.AddCertificates(csca); err != nil {
		return nil, err
	}
	crl, err := os.ReadFile(filepath.Join(replayFixtureDir, "crl.der"))
	if err != nil {
		return nil, err
	}
	if err := f.trust.AddCRL(crl); err != nil {
		return nil, err
	}
	if f.terminal, err = LoadTerminal(replayFixtureDir); err != nil {
		return nil, err
	}
	tr, err := transcript.ReadFile(filepath.Join(transcriptDir, "cccd-well-behaved-extended.apdu"))
	if err != nil {
		return nil, err
	}
	r := tr.Exchanges[0].Response
	f.cardAccess = r[:len(r)-2]
	return f, nil
}

// replayImage personalizes the card of c, from fixed seeds.
func replayImage(t testing.TB, f *replayFixtures, c replayCase) *sim.Image {
	t.Helper()
	var doc *chip.Document
	var err error
	switch c.profile {
	case sim.ProfileCCCD:
		doc, err = sim.DemoCCCD()
	case sim.ProfileCCCD2023:
		doc, err = sim.DemoCCCD2023()
	default:
		doc, err = sim.DemoPassport()
	}
	require.NoError(t, err)
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("%s/%s/ta=%v", c.profile, c.image, c.ta)
	if c.cam {
		id += "/cam"
	}
	if img, ok := f.images[id]; ok {
		return img
	}
	seed := replaySeed + " image " + id
	opts := &sim.PersonalizeConfig{
		Profile: strings.TrimSuffix(c.profile, "+pace"), PACE: c.profile == passportPACE, CAN: "123456",
		Issuer: sim.Issuer{Signer: f.pki.DS.Key, Cert: f.pki.DS.Cert}, Time: func() time.Time { return signedAt },
		AAKey: f.aaKey, Rand: pkitest.SeedReader(seed),
	}
	if c.ta {
		opts.TrustPoints = [][]byte{f.cvca}
	}
	if c.cam {
		opts.PACEMapping = secinfo.ChipAuthenticationMapping
	}
	ip := sim.ImageProfile{Name: "none"}
	if c.image != "" {
		i := slices.IndexFunc(sim.ImageProfiles, func(ip sim.ImageProfile) bool { return ip.Name == c.image })
		require.GreaterOrEqual(t, i, 0, "no image profile %q", c.image)
		ip = sim.ImageProfiles[i]
	}
	img, err := sim.PersonalizeProfile(doc, opts, ip)
	require.NoError(t, err)
	f.images[id] = img
	return img
}

// replayKey is the key of c's card: the demo document's MRZ, or the CAN
// every replay card has.
func replayKey(t testing.TB, c replayCase) Key {
	t.Helper()
	if c.key == "can" {
		return CANKey("123456")
	}
	mk := sim.DemoCCCD
	switch c.profile {
	case sim.ProfileCCCD2023:
		mk = sim.DemoCCCD2023
	case sim.ProfileICAOPassport, passportPACE:
		mk = sim.DemoPassport
	}
	doc, err := mk()
	require.NoError(t, err)
	return MRZKey(doc.DG1.MRZ.Info())
}

// replayOptions are the reader options of c: the fixtures' trust store,
// the fixed time and randomness, and the case's own.
func replayOptions(f *replayFixtures, c replayCase) *Config {
	o := &Config{Trust: f.trust, Time: func() time.Time { return verifyAt }, Rand: pkitest.SeedReader(replaySeed + " reader " + c.name)}
	if c.opts != nil {
		c.opts(o, f)
	}
	return o
}

// replayHeader is the header of c's transcript: what was read and how
// (the inputs), then what the read found (its outcome). atr is the
// card's, as recorded.
func replayHeader(c replayCase, atr string, res *Result, err error) []transcript.Field {
	card := "simulated (chip/sim) " + c.profile
	if c.image != "" {
		card += ", image profile " + c.image
	}
	if c.ta {
		card += ", trusts the replay terminal's CVCA"
	}
	if c.cam {
		card += ", PACE with Chip Authentication Mapping"
	}
	card += ", sim profile " + c.simProfile
	if c.faultDoc != "" {
		card += ", " + c.faultDoc
	}
	link := "extended length"
	if c.short {
		link = "short APDUs only"
	}
	h := []transcript.Field{{Key: "transcript", Value: c.name}, {Key: "card", Value: card}, {Key: "link", Value: link}}
	if atr != "" {
		h = append(h, transcript.Field{Key: "atr", Value: atr})
	}
	h = append(h,
		transcript.Field{Key: "key", Value: c.key},
		transcript.Field{Key: "options", Value: c.doc},
		transcript.Field{Key: "reader-seed", Value: replaySeed + " reader " + c.name},
		transcript.Field{Key: "chip-seed", Value: replaySeed + " chip " + c.name},
		transcript.Field{Key: "time", Value: verifyAt.Format(time.RFC3339)},
	)
	errText := "none"
	if err != nil {
		errText = strings.Join(strings.Fields(err.Error()), " ")
	}
	var files, checks []string
	for _, fo := range res.Files {
		files = append(files, fmt.Sprintf("%s %s %d", fo.File, fo.Status, fo.Size))
	}
	for _, ch := range res.Checks {
		checks = append(checks, fmt.Sprintf("%s: %s", ch.Name, ch.Status))
	}
	return append(h,
		transcript.Field{Key: "access", Value: res.Access.String()},
		transcript.Field{Key: "verdict", Value: res.Verdict().String()},
		transcript.Field{Key: "error", Value: errText},
		transcript.Field{Key: "apdus", Value: strconv.Itoa(res.APDUs)},
		transcript.Field{Key: "files", Value: strings.Join(files, "; ")},
		transcript.Field{Key: "checks", Value: strings.Join(checks, "; ")},
	)
}

// TestReplay reads every transcript's card from its transcript: each
// command the reader sends must be the recorded one, byte for byte, and
// the read must end as recorded (verdict, files, checks, APDU count).
// With -update it records them first against chip/sim.
func TestReplay(t *testing.T) {
	f := loadReplayFixtures(t)
	cases := replayCases()
	names := map[string]bool{}
	for _, c := range cases {
		require.False(t, names[c.name], "case %s twice", c.name)
		names[c.name] = true
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(transcriptDir, c.name+".apdu")
			if *update {
				require.NoError(t, recordRead(t, c, replayCard(t, c)).WriteFile(path))
			}
			tr, err := transcript.ReadFile(path)
			require.NoError(t, err, "record it with go test ./reader -run TestReplay -update")
			rp, err := transcript.NewReplayer(tr)
			require.NoError(t, err)
			res, rerr := Read(context.Background(), rp, replayKey(t, c), replayOptions(f, c))
			require.NoError(t, rp.Done(), "what the reader sends changed")
			require.Equal(t, tr.Header, replayHeader(c, tr.Get("atr"), res, rerr), "how the read ends changed")
			require.Equal(t, len(tr.Exchanges), res.APDUs)
		})
	}
	// Every transcript kept is replayed.
	kept, err := filepath.Glob(filepath.Join(transcriptDir, "*.apdu"))
	require.NoError(t, err)
	for _, k := range kept {
		require.True(t, names[strings.TrimSuffix(filepath.Base(k), ".apdu")], "%s has no case in replayCases", k)
	}
}

// replayCard is c's simulated card, made from fixed seeds.
func replayCard(t testing.TB, c replayCase) *sim.Card {
	t.Helper()
	pr, ok := sim.ProfileByName(c.simProfile)
	require.True(t, ok, c.simProfile)
	so, ok := profileOptions(pr, link{short: c.short})
	require.True(t, ok)
	so.Rand = pkitest.SeedReader(replaySeed + " chip " + c.name)
	if c.fault != nil {
		c.fault(&so)
	}
	img := replayImage(t, recordingFixtures(t), c)
	if c.atr != nil {
		cp := *img
		cp.ATR = c.atr
		img = &cp
	}
	card, err := sim.New(img, &so)
	require.NoError(t, err)
	return card
}

// recordRead reads c's card through tx and returns the transcript.
func recordRead(t testing.TB, c replayCase, tx apdu.Transmitter) *transcript.Transcript {
	t.Helper()
	f := loadReplayFixtures(t)
	rec := transcript.NewRecorder(tx)
	res, err := Read(context.Background(), rec, replayKey(t, c), replayOptions(f, c))
	tr := rec.Transcript()
	tr.Header = replayHeader(c, tr.Get("atr"), res, err)
	return tr
}

// TestReplayNamesTheChange: a reader that sends anything else than the
// transcript fails the replay at the APDU that differs.
func TestReplayNamesTheChange(t *testing.T) {
	f := loadReplayFixtures(t)
	var c replayCase
	for _, rc := range replayCases() {
		if rc.name == "cccd-well-behaved-extended" {
			c = rc
		}
	}
	require.NotEmpty(t, c.name)
	tr, err := transcript.ReadFile(filepath.Join(transcriptDir, c.name+".apdu"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name  string
		opts  func(*Config)
		index int
		where string
	}{
		// EF.CardAccess is read first, with Le 0400 instead of 0000.
		{"another Le", func(o *Config) { o.MaxResponse = 1024 }, 1, "(Le)"},
		// PACE's first GENERAL AUTHENTICATE that carries the reader's
		// ephemeral public key (the nonce's mapping) is APDU 4.
		{"other randomness", func(o *Config) { o.Rand = pkitest.SeedReader("another seed") }, 4, "(data)"},
		// Short APDUs: EF.CardAccess with Le 00.
		{"short link", func(o *Config) { o.Extended = ExtendedOff }, 1, "(the command sent is shorter)"},
		// BAC instead of PACE: after EF.CardAccess, SELECT of the
		// application instead of MSE:Set AT.
		{"BAC", func(o *Config) { o.UseBAC = true }, 2, "(INS)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp, err := transcript.NewReplayer(tr)
			require.NoError(t, err)
			o := replayOptions(f, c)
			tc.opts(o)
			_, _ = Read(context.Background(), rp, replayKey(t, c), o)
			var me *transcript.MismatchError
			require.ErrorAs(t, rp.Done(), &me)
			require.Equal(t, tc.index, me.Index, "%v", me)
			require.Contains(t, me.Error(), fmt.Sprintf("APDU %d of %d differs", tc.index, len(tr.Exchanges)))
			require.Contains(t, me.Error(), tc.where)
		})
	}
}

// TestReplayRecordedRandomness records a read the way a real card is
// recorded: the chip's randomness is its own (crypto/rand here, unknown on
// a real card), the reader draws from crypto/rand through the recorder,
// which keeps what it drew. The transcript replays exactly with that
// randomness, and not with any other.
func TestReplayRecordedRandomness(t *testing.T) {
	p, imgs := fixtures(t)
	for _, profile := range []string{sim.ProfileCCCD, sim.ProfileICAOPassport} {
		t.Run(profile, func(t *testing.T) {
			img := imgs[profile]
			card, err := sim.New(img, nil)
			require.NoError(t, err)
			rec := transcript.NewRecorder(card)
			opts := &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Rand: rec.Rand(rand.Reader)}
			res, err := Read(context.Background(), rec, mrzKey(t, img), opts)
			require.NoError(t, err)
			require.True(t, res.Verified())
			text := rec.Transcript().Marshal()
			tr, err := transcript.Parse(text)
			require.NoError(t, err)
			require.NotEmpty(t, tr.Get(transcript.FieldReaderRand))

			// replay reads from the transcript with r as the reader's
			// randomness and returns the result and the replay's end.
			replay := func(r io.Reader) (*Result, error) {
				rp, err := transcript.NewReplayer(tr)
				require.NoError(t, err)
				opts.Rand = r
				res, _ := Read(context.Background(), rp, mrzKey(t, img), opts)
				return res, rp.Done()
			}
			r, ok, err := tr.Rand()
			require.NoError(t, err)
			require.True(t, ok)
			again, err := replay(r)
			require.NoError(t, err)
			require.True(t, again.Verified())
			require.Equal(t, res.APDUs, again.APDUs)
			require.Equal(t, res.Files, again.Files)

			_, err = replay(rand.Reader)
			var me *transcript.MismatchError
			require.ErrorAs(t, err, &me, "other randomness, other bytes")
		})
	}
}

// TestRecordAgain records every transcript again against chip/sim and
// compares it with the file, byte for byte: the chip's side of each
// protocol must not change either (replay alone checks only the reader's
// side).
func TestRecordAgain(t *testing.T) {
	if *update {
		t.Skip("TestReplay records them with -update")
	}
	for _, c := range replayCases() {
		t.Run(c.name, func(t *testing.T) {
			want, err := transcript.ReadFile(filepath.Join(transcriptDir, c.name+".apdu"))
			require.NoError(t, err)
			got := recordRead(t, c, replayCard(t, c))
			require.Equal(t, want.Header, got.Header)
			require.Len(t, got.Exchanges, len(want.Exchanges))
			for i := range want.Exchanges {
				require.Equal(t, want.Exchanges[i], got.Exchanges[i], "APDU %d", i+1)
			}
		})
	}
}
