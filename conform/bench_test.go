package conform_test

import (
	"testing"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// BenchmarkCheck: the profile checks of a whole CCCD with PACE-CAM (the
// files a read holds), reported with the bytes checked.
func BenchmarkCheck(b *testing.B) {
	img := issue(b, sim.ProfileCCCD, secinfo.ChipAuthenticationMapping)
	d, err := chip.ParseDG1(img.Files[chip.EFDG1])
	if err != nil {
		b.Fatal(err)
	}
	doc := conform.Document{Files: img.Files, OpenedWith: d.MRZ.Info()}
	n := 0
	for _, f := range img.Files {
		n += len(f)
	}
	b.ReportAllocs()
	b.SetBytes(int64(n))
	for b.Loop() {
		if fs := conform.Check(doc); len(fs) != 0 {
			b.Fatal(fs)
		}
	}
	b.ReportMetric(float64(n), "file-bytes/op")
}
