package reader

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// TestConsistentCOMParsed: with EF.SOD parsed already, the EF.COM check
// gives what ConsistentCOM gives on the raw files: consistent, another
// list, an EF.COM that does not parse, an EF.SOD that did not.
func TestConsistentCOMParsed(t *testing.T) {
	_, imgs := fixtures(t)
	img := imgs[sim.ProfileCCCD]
	com, sodRaw := img.Files[chip.EFCOM], img.Files[chip.EFSOD]
	sod, err := pki.ParseSOD(sodRaw)
	require.NoError(t, err)
	other, err := chip.NewCOM(chip.EFDG1, chip.EFDG2).Encode()
	require.NoError(t, err)
	for _, c := range []struct {
		name     string
		com, raw []byte
		sod      *pki.SOD
		ok       bool
	}{
		{"consistent", com, sodRaw, sod, true},
		{"another list", other, sodRaw, sod, false},
		{"EF.COM does not parse", []byte{0x60, 0x01}, sodRaw, sod, false},
		{"EF.SOD did not parse", com, []byte{0x77, 0x00}, nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := ConsistentCOM(c.com, c.raw)
			got := ConsistentCOMParsed(c.com, c.sod)
			require.Equal(t, c.ok, got == nil, "%v", got)
			if !c.ok {
				require.ErrorIs(t, got, ErrCOMMismatch)
				require.Equal(t, want.Error(), got.Error())
			} else {
				require.NoError(t, want)
			}
		})
	}
}
