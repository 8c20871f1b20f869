package bio

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

// TestNFCPassportReaderSamples reads the two cut-down DG2 prefixes of
// testdata/nfcpassportreader (see its README).
func TestNFCPassportReaderSamples(t *testing.T) {
	for _, tc := range []struct {
		file    string
		format  ImageFormat
		checkOK bool
	}{
		{"dg2-j2k-cut.hex", FormatJP2, true},
		// Edited by hand from the first: it still declares JPEG 2000.
		{"dg2-jpeg-cut.hex", FormatJPEG, false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			dg2 := vectors.Hex(t, "testdata/nfcpassportreader/"+tc.file)
			// The envelope announces more than is present.
			_, err := tlv.ParseOne(dg2)
			require.ErrorIs(t, err, tlv.ErrTruncated)
			grp := dg2[2:]
			_, err = ParseGroup(grp)
			require.ErrorIs(t, err, tlv.ErrTruncated)

			// The header template is complete: parse it through a group
			// holding it with an empty data block.
			bht, err := tlv.Find(dg2[bytesIndex(dg2, 0xA1):], TagHeader)
			require.NoError(t, err)
			require.Equal(t, vectors.Unhex(t, bhtPassport), bht.Raw)
			in := wrapGroup(t, "01", tpl(t, bhtPassport+"5F2E 00"))
			g, err := ParseGroup(in)
			require.NoError(t, err)
			want := NewHeader(BiometricFace, SubtypeNone, FormatTypeFaceImage)
			want.Subtype = ptr(SubtypeNone)    // present, value 00
			want.Version = ptr(uint16(0x0100)) // this issuer writes 0100
			require.Equal(t, want, g.Templates[0].Header)

			// The face record: 56 bytes present, 0x2026 announced.
			bdb := dg2[len(dg2)-56:]
			_, err = ParseFace(bdb)
			requireErr(t, err, ErrTruncated, RecordFace, "record length", 8)
			// With the two lengths set to what is present, every field
			// reads as the source describes.
			fixed := setU32(setU32(bdb, 8, 56), 14, 42)
			f, err := ParseFace(fixed)
			require.NoError(t, err)
			img := f.Images[0]
			require.Equal(t, FaceImage{Expression: ExpressionNeutral, Type: FaceBasic, DataType: ImageDataJPEG2000, Data: bdb[46:]}, img)
			data, format := f.Image()
			require.Equal(t, tc.format, format)
			require.Len(t, data, 10)
			if tc.checkOK {
				require.NoError(t, img.CheckImage())
			} else {
				require.ErrorIs(t, img.CheckImage(), ErrImageFormat)
			}
			out, err := f.Encode()
			require.NoError(t, err)
			require.Equal(t, fixed, out)
		})
	}
}

func bytesIndex(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
