package eac

import (
	"testing"

	"github.com/cancuoc/cancuoc/internal/secretcheck"
)

// TestCAResultNeverPrintsKeys: the session keys of a CAResult show in no
// printing (every fmt verb, JSON, slog); see internal/secretcheck.
func TestCAResultNeverPrintsKeys(t *testing.T) {
	kEnc := []byte{0x9d, 0x41, 0xe7, 0x02, 0xc3, 0x5a, 0x88, 0x17, 0x6e, 0xb0, 0x2f, 0xd4, 0x31, 0x7c, 0xa9, 0x55}
	kMAC := []byte{0x1b, 0xf6, 0x3e, 0x84, 0x5d, 0xc2, 0x07, 0x9a, 0xe1, 0x48, 0x76, 0x2c, 0xbd, 0x13, 0x6f, 0xa0}
	r := CAResult{kEnc: kEnc, kMAC: kMAC}
	forms := append(secretcheck.Forms(kEnc), secretcheck.Forms(kMAC)...)
	secretcheck.NoSecret(t, "eac.CAResult", r, forms...)
	secretcheck.NoSecret(t, "*eac.CAResult", &r, forms...)
}
