package reader

import (
	"context"
	"testing"

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
				card, err := sim.New(img, sim.Options{ShortOnly: bc.short})
				if err != nil {
					b.Fatal(err)
				}
				res, err := Read(context.Background(), card, key, Options{Trust: trust, Time: verifyAt})
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
