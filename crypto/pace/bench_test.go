package pace

import (
	"context"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// BenchmarkPACE runs one whole PACE, terminal against chip in process, and
// reports the time each side spent computing (terminal-µs/op, chip-µs/op).
func BenchmarkPACE(b *testing.B) {
	mrzPw, canPw := testPasswords(b)
	for _, bc := range []struct {
		name string
		info secinfo.PACEInfo
	}{
		{"ECDH-GM-AES128-brainpoolP256r1", infoOf(secinfo.OIDPACEECDHGMAES128, 13)},
		{"ECDH-GM-AES128-P256", infoOf(secinfo.OIDPACEECDHGMAES128, 12)},
		{"ECDH-IM-AES128-brainpoolP256r1", infoOf(secinfo.OIDPACEECDHIMAES128, 13)},
		{"DH-GM-AES128-2048", infoOf(secinfo.OIDPACEDHGMAES128, 2)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			chip, err := NewChip([]secinfo.PACEInfo{bc.info}, []Password{mrzPw, canPw}, &ChipConfig{Rand: seeded(1)})
			if err != nil {
				b.Fatal(err)
			}
			var chipTime time.Duration
			tx := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
				start := time.Now()
				r := chip.Handle(cmd)
				chipTime += time.Since(start)
				return r, nil
			})
			rnd := seeded(2)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				if _, err := Open(ctx, tx, canPw, bc.info, &Config{Rand: rnd}); err != nil {
					b.Fatal(err)
				}
			}
			total := time.Since(start)
			n := float64(b.N)
			b.ReportMetric(float64((total-chipTime).Microseconds())/n, "terminal-µs/op")
			b.ReportMetric(float64(chipTime.Microseconds())/n, "chip-µs/op")
		})
	}
}
