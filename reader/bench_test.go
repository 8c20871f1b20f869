package reader

import (
	"context"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim"
)

// BenchmarkRead reads a personalized card on the in-process simulator,
// opening it with PACE (cccd) or BAC (passport), with Chip and Active
// Authentication and passive authentication against a cached trust store.
// It reports the APDUs and wire bytes of one full read; ns/op includes the
// simulated chip's own work (its side of PACE, CA, AA and secure
// messaging), so it is an upper bound of the reader's CPU time.
func BenchmarkRead(b *testing.B) {
	p, imgs := fixtures(b)
	trust := p.Trust()
	for _, bc := range []struct {
		name    string
		profile string
		short   bool
	}{
		{"cccd/extended", sim.ProfileCCCD, false},
		{"cccd/short", sim.ProfileCCCD, true},
		{"passport/extended", sim.ProfileICAOPassport, false},
		{"passport/short", sim.ProfileICAOPassport, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			img := imgs[bc.profile]
			key := mrzKey(b, img)
			b.ReportAllocs()
			var apdus, bytes int
			for b.Loop() {
				card, err := sim.New(img, &sim.Config{ShortOnly: bc.short})
				if err != nil {
					b.Fatal(err)
				}
				res, err := Read(context.Background(), card, key, &Config{Trust: trust, Time: func() time.Time { return verifyAt }})
				if err != nil || !res.Verified() {
					b.Fatal(err, res.Err())
				}
				apdus, bytes = res.APDUs, res.Bytes
			}
			b.ReportMetric(float64(apdus), "apdus/op")
			b.ReportMetric(float64(bytes), "wirebytes/op")
		})
	}
}

// BenchmarkReadProfiles reads the CCCD through every real-world profile of
// chip/sim on extended and short links, and reports the APDUs of one full
// read, the GET RESPONSEs among them, and the extra APDUs the profile costs
// over a well-behaved card on the same link. A well-behaved CCCD stays at
// the minimum: 17 APDUs extended; short, the minimum of short APDUs plus
// one GET RESPONSE for the RSA-2048 Active Authentication signature.
func BenchmarkReadProfiles(b *testing.B) {
	p, imgs := fixtures(b)
	trust := p.Trust()
	img := imgs[sim.ProfileCCCD]
	key := mrzKey(b, img)
	base := map[string]int{}
	for _, l := range links {
		for _, pr := range sim.Profiles {
			opts, ok := profileOptions(pr, l)
			if !ok {
				continue
			}
			b.Run(pr.Name+"/"+l.name, func(b *testing.B) {
				b.ReportAllocs()
				var apdus, getResponses int
				for b.Loop() {
					card, err := sim.New(img, &opts)
					if err != nil {
						b.Fatal(err)
					}
					getResponses = 0
					tr := apdu.TransmitterFunc(func(ctx context.Context, cmd apdu.Command) (apdu.Response, error) {
						if cmd.INS == apdu.INSGetResponse {
							getResponses++
						}
						return card.Transmit(ctx, cmd)
					})
					res, err := Read(context.Background(), tr, key, &Config{Trust: trust, Time: func() time.Time { return verifyAt }, Extended: extendedOf(opts)})
					if err != nil || !res.Verified() {
						b.Fatal(err, res.Err())
					}
					apdus = res.APDUs
				}
				if pr.Name == "well-behaved" {
					base[l.name] = apdus
				}
				b.ReportMetric(float64(apdus), "apdus/op")
				b.ReportMetric(float64(getResponses), "getresponses/op")
				b.ReportMetric(float64(apdus-base[l.name]), "extra-apdus/op")
			})
		}
	}
	// The data-level profiles, on extended links.
	for _, ip := range allImageProfiles(b) {
		c := imageProfileCard(b, ip)
		b.Run(ip.name+"/extended", func(b *testing.B) {
			b.ReportAllocs()
			var apdus int
			for b.Loop() {
				card, err := sim.New(c.img, &sim.Config{SelectMFQuirk: true})
				if err != nil {
					b.Fatal(err)
				}
				opts := copyConfig(c.opts)
				opts.Extended = ExtendedOn
				res, err := Read(context.Background(), card, c.key, opts)
				if err != nil || res.Incomplete() {
					b.Fatal(err, res.Err())
				}
				apdus = res.APDUs
			}
			b.ReportMetric(float64(apdus), "apdus/op")
			b.ReportMetric(float64(apdus-base["extended"]), "extra-apdus/op")
		})
	}
}
