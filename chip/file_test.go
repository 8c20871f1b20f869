package chip

import (
	"testing"

	"github.com/cancuoc/cancuoc/tlv"
	"github.com/stretchr/testify/require"
)

// TestFileRegistry checks every file against Doc 9303-10 §4.6 / §4.7 (tags,
// FIDs and SFIs of the LDS1 files) and §3.11 (files of the master file).
func TestFileRegistry(t *testing.T) {
	tests := []struct {
		f    File
		name string
		tag  tlv.Tag
		fid  uint16
		sfi  byte
		mf   bool
		dg   int
	}{
		{EFCOM, "EF.COM", 0x60, 0x011E, 0x1E, false, 0},
		{EFDG1, "DG1", 0x61, 0x0101, 0x01, false, 1},
		{EFDG2, "DG2", 0x75, 0x0102, 0x02, false, 2},
		{EFDG3, "DG3", 0x63, 0x0103, 0x03, false, 3},
		{EFDG4, "DG4", 0x76, 0x0104, 0x04, false, 4},
		{EFDG5, "DG5", 0x65, 0x0105, 0x05, false, 5},
		{EFDG6, "DG6", 0x66, 0x0106, 0x06, false, 6},
		{EFDG7, "DG7", 0x67, 0x0107, 0x07, false, 7},
		{EFDG8, "DG8", 0x68, 0x0108, 0x08, false, 8},
		{EFDG9, "DG9", 0x69, 0x0109, 0x09, false, 9},
		{EFDG10, "DG10", 0x6A, 0x010A, 0x0A, false, 10},
		{EFDG11, "DG11", 0x6B, 0x010B, 0x0B, false, 11},
		{EFDG12, "DG12", 0x6C, 0x010C, 0x0C, false, 12},
		{EFDG13, "DG13", 0x6D, 0x010D, 0x0D, false, 13},
		{EFDG14, "DG14", 0x6E, 0x010E, 0x0E, false, 14},
		{EFDG15, "DG15", 0x6F, 0x010F, 0x0F, false, 15},
		{EFDG16, "DG16", 0x70, 0x0110, 0x10, false, 16},
		{EFSOD, "EF.SOD", 0x77, 0x011D, 0x1D, false, 0},
		{EFCVCA, "EF.CVCA", 0, 0x011C, 0x1C, false, 0},
		{EFCardAccess, "EF.CardAccess", 0, 0x011C, 0x1C, true, 0},
		{EFCardSecurity, "EF.CardSecurity", 0, 0x011D, 0x1D, true, 0},
		{EFATRInfo, "EF.ATR/INFO", 0, 0x2F01, 0x01, true, 0},
		{EFDIR, "EF.DIR", 0, 0x2F00, 0x1E, true, 0},
	}
	require.Len(t, Files(), len(tests))
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			require.Equal(t, f, Files()[i])
			require.True(t, f.Valid())
			require.Equal(t, tc.name, f.String())
			require.Equal(t, tc.tag, f.Tag())
			require.Equal(t, tc.fid, f.FID())
			require.Equal(t, tc.sfi, f.SFI())
			require.Equal(t, tc.mf, f.InMF())
			require.Equal(t, tc.dg, f.DataGroup())
			if tc.dg > 0 {
				require.Equal(t, f, DataGroup(tc.dg))
			}
			if tc.tag != 0 {
				g, ok := FileByTag(tc.tag)
				require.True(t, ok)
				require.Equal(t, f, g)
			}
			g, ok := FileByFID(tc.fid, tc.mf)
			require.True(t, ok)
			require.Equal(t, f, g)
			g, ok = FileBySFI(tc.sfi, tc.mf)
			require.True(t, ok)
			require.Equal(t, f, g)
			g, ok = FileByName(tc.name)
			require.True(t, ok)
			require.Equal(t, f, g)
		})
	}
}

func TestFileLookupMisses(t *testing.T) {
	for _, n := range []string{"dg2", "EF.DG2", "ef.dg2"} {
		f, ok := FileByName(n)
		require.True(t, ok, n)
		require.Equal(t, EFDG2, f)
	}
	f, ok := FileByName("SOD")
	require.True(t, ok)
	require.Equal(t, EFSOD, f)
	_, ok = FileByName("DG17")
	require.False(t, ok)
	_, ok = FileByTag(0x71)
	require.False(t, ok)
	_, ok = FileByTag(0)
	require.False(t, ok)
	_, ok = FileByFID(0x0111, false)
	require.False(t, ok)
	_, ok = FileBySFI(0x11, false)
	require.False(t, ok)
	_, ok = FileByFID(0x0101, true) // DG1 is not in the MF
	require.False(t, ok)
	require.Equal(t, File(0), DataGroup(0))
	require.Equal(t, File(0), DataGroup(17))
	require.False(t, File(0).Valid())
	require.Equal(t, "File(0)", File(0).String())
	require.Equal(t, "File(200)", File(200).String())
	require.Equal(t, tlv.Tag(0), File(200).Tag())
	require.Equal(t, SmallFileLimit, File(200).MaxSize())
	require.Equal(t, LargeFileLimit, EFDG2.MaxSize())
	require.Equal(t, SmallFileLimit, EFDG1.MaxSize())
	require.Equal(t, []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}, LDS1AID)
}
