package reader

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// link is one way of talking to the card in the tear and kill tests.
type link struct {
	name  string
	short bool
}

var links = []link{{"extended", false}, {"short", true}}

// profileOptions returns the simulator options of a profile on a link, and
// false when the profile does not exist on that link (a profile that is
// short by nature has no extended link).
func profileOptions(p sim.Profile, l link) (sim.Config, bool) {
	var o sim.Config
	p.Apply(&o)
	if o.ShortOnly && !l.short {
		return o, false
	}
	o.ShortOnly = o.ShortOnly || l.short
	return o, true
}

// tornCard is a card image and how to read it.
type tornCard struct {
	img  *sim.Image
	key  Key
	opts *Config
}

// cccdCard is the CCCD fixture, read with the MRZ.
func cccdCard(t testing.TB) tornCard {
	p, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	return tornCard{img, mrzKey(t, img), &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }}}
}

// imageProfileCard is the CCCD of a data-level profile, read as it must be.
func imageProfileCard(t testing.TB, ip imageProfile) tornCard {
	c := tornCard{ip.img, mrzKey(t, ip.img), &Config{Trust: ip.trust, Time: func() time.Time { return verifyAt }}}
	if ip.name == "paceinfo-no-parameterid" {
		c.key = CANKey(ip.img.Secrets.CAN)
		c.opts.PACEInfo = secinfo.NewPACEInfo(sim.CCCDPACE, sim.CCCDPACEParameterID)
	}
	return c
}

// clean reads c without faults and returns its APDU count.
func (c tornCard) clean(t testing.TB, opts sim.Config) int {
	card, err := sim.New(c.img, &opts)
	require.NoError(t, err)
	ro := copyConfig(c.opts)
	ro.Extended = extendedOf(opts)
	res, err := Read(context.Background(), card, c.key, ro)
	require.NoError(t, err)
	require.False(t, res.Incomplete())
	return res.APDUs
}

// tornStats counts what the tear and kill tests saw.
type tornStats struct {
	reads, verified, incomplete, accessFailed, notVerified, clones, verifiedMissing, untyped int
}

// checkTorn reads the CCCD through a card with faults and checks the
// promise of a verdict: no clone, nothing verified with data missing,
// every error typed.
func checkTorn(t *testing.T, st *tornStats, c tornCard, opts sim.Config, what string) (verified bool) {
	t.Helper()
	img := c.img
	card, err := sim.New(img, &opts)
	require.NoError(t, err)
	ro := copyConfig(c.opts)
	ro.Extended = extendedOf(opts)
	res, err := Read(context.Background(), card, c.key, ro)
	st.reads++
	if errors.Is(err, eac.ErrCloneSuspected) || res.Check(CheckChipAuth).Status == check.Failed || res.Check(CheckActiveAuth).Status == check.Failed {
		st.clones++
		assert.Failf(t, "a genuine chip called a clone", "%s: %v %v", what, err, res.Checks)
	}
	switch {
	case err != nil:
		if !errors.Is(err, ErrIncomplete) && !errors.Is(err, ErrAccess) {
			st.untyped++
			assert.Failf(t, "error neither incomplete nor access", "%s: %v", what, err)
		}
		if errors.Is(err, ErrIncomplete) {
			st.incomplete++
		} else {
			st.accessFailed++
		}
		require.False(t, res.Verified(), what)
	case res.Verified():
		st.verified++
		if len(res.Missing()) > 0 {
			st.verifiedMissing++
			assert.Failf(t, "verified with files missing", "%s: %v missing", what, res.Missing())
		}
		for f, b := range img.Files {
			if f != chip.EFDG3 && f != chip.EFATRInfo && (f != chip.EFCardAccess || c.opts.CardAccess == nil) && string(res.Document.Raw(f)) != string(b) {
				st.verifiedMissing++
				assert.Failf(t, "verified without a file", "%s: verified without %s", what, f)
			}
		}
	default:
		st.notVerified++
		if e := res.Err(); !errors.Is(e, ErrNotVerified) {
			st.untyped++
			assert.Failf(t, "untyped verdict", "%s: %v", what, e)
		}
	}
	return err == nil && res.Verified()
}

// TestTearAndKillAtEveryAPDU tears the card away, kills the secure
// messaging session (a plain 6988) and corrupts the response at every
// APDU index of a full CCCD read, on extended and short links and under
// every profile of chip/sim (the card's ways on both links, the data-level
// ones on extended links): no clone verdicts, no result verified with data
// missing, every error typed; a killed session or a corrupted response is
// retried and the genuine card verified, a torn card is incomplete.
func TestTearAndKillAtEveryAPDU(t *testing.T) {
	if testing.Short() {
		t.Skip("thousands of reads")
	}
	type run struct {
		name string
		card tornCard
		opts sim.Config
	}
	var runs []run
	for _, pr := range sim.Profiles {
		for _, l := range links {
			if opts, ok := profileOptions(pr, l); ok {
				runs = append(runs, run{pr.Name + "/" + l.name, cccdCard(t), opts})
			}
		}
	}
	for _, ip := range allImageProfiles(t) {
		runs = append(runs, run{ip.name + "/extended", imageProfileCard(t, ip), sim.Config{SelectMFQuirk: true}})
	}
	var total tornStats
	for _, r := range runs {
		{
			opts := r.opts
			t.Run(r.name, func(t *testing.T) {
				n := r.card.clean(t, opts)
				var st tornStats
				for i := 1; i <= n; i++ {
					for _, kind := range []string{"tear", "kill", "corrupt"} {
						o := opts
						switch kind {
						case "tear":
							o.Faults.TearAfterAPDUs = i
						case "kill":
							o.Faults.KillSession = i
						case "corrupt":
							o.Faults.CorruptResponse = i
						}
						what := fmt.Sprintf("%s at APDU %d of %d", kind, i, n)
						ok := checkTorn(t, &st, r.card, o, what)
						if kind != "tear" && !strings.HasPrefix(r.name, "com-absent") {
							// A message lost or spoiled on the way is
							// retried: the genuine card verifies.
							assert.True(t, ok, "%s: not verified after retries", what)
						}
					}
				}
				t.Logf("%d APDUs, %d faulty reads: %d verified, %d incomplete, %d access failed, %d not verified, %d clones, %d verified with data missing, %d untyped",
					n, st.reads, st.verified, st.incomplete, st.accessFailed, st.notVerified, st.clones, st.verifiedMissing, st.untyped)
				if !strings.HasPrefix(r.name, "com-absent") {
					// A fault of the link is retried or reported
					// incomplete: never a verdict on the card.
					require.Zero(t, st.accessFailed+st.notVerified, "faulty reads ending in a verdict")
				}
				total.reads += st.reads
				total.clones += st.clones
				total.verifiedMissing += st.verifiedMissing
				total.untyped += st.untyped
			})
		}
	}
	t.Logf("total: %d faulty reads, %d clone verdicts, %d verified with data missing, %d untyped errors",
		total.reads, total.clones, total.verifiedMissing, total.untyped)
}
