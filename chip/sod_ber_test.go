package chip

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/tlv"
)

// EF.SOD in BER with indefinite lengths (as some issuers write it) parses
// and encodes back byte for byte; malformed BER is refused, typed, without
// panics or reads past the end.
func TestParseSODBER(t *testing.T) {
	for _, tc := range []struct {
		name string
		cms  []byte
		ok   bool
	}{
		{"DER", []byte{0x30, 0x03, 0x02, 0x01, 0x05}, true},
		{"indefinite", []byte{0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00}, true},
		{"nested indefinite", []byte{0x30, 0x80, 0xA0, 0x80, 0x30, 0x80, 0x04, 0x01, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, true},
		{"long form length", []byte{0x30, 0x81, 0x03, 0x02, 0x01, 0x05}, true},
		{"no end of contents", []byte{0x30, 0x80, 0x02, 0x01, 0x05}, false},
		{"indefinite primitive", []byte{0x30, 0x80, 0x04, 0x80, 0x00, 0x00, 0x00, 0x00}, false},
		{"length past the end", []byte{0x30, 0x80, 0x02, 0x05, 0x05, 0x00, 0x00}, false},
		{"bytes after", []byte{0x30, 0x80, 0x00, 0x00, 0x01}, false},
		{"not a sequence", []byte{0x31, 0x80, 0x00, 0x00}, false},
		{"too deep", append(bytes.Repeat([]byte{0x30, 0x80}, 40), bytes.Repeat([]byte{0, 0}, 40)...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tlv.AppendTLV(nil, 0x77, tc.cms)
			sod, err := ParseSOD(file)
			if !tc.ok {
				require.ErrorIs(t, err, ErrInvalidValue)
				var pe *ParseError
				require.ErrorAs(t, err, &pe)
				require.Equal(t, EFSOD, pe.File)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.cms, sod.CMS)
			back, err := sod.Encode()
			require.NoError(t, err)
			require.Equal(t, file, back)
		})
	}
}
