package vpcd

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzReadFrame: whatever the driver side sends, frames are read into the
// one fixed buffer, each payload is what its length says, and reading stops
// with an error at the first incomplete frame.
func FuzzReadFrame(f *testing.F) {
	f.Add([]byte{0x00, 0x01, 0x04})
	f.Add([]byte{0x00, 0x05, 0x00, 0xA4, 0x04, 0x0C, 0x00, 0x00, 0x01, 0x01})
	f.Add([]byte{0xFF, 0xFF, 0x00})
	f.Add([]byte{0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		buf := make([]byte, MaxFrame)
		r := bytes.NewReader(data)
		consumed := 0
		for {
			payload, err := readFrame(r, buf)
			if err != nil {
				return
			}
			n := int(binary.BigEndian.Uint16(data[consumed:]))
			require.Equal(t, n, len(payload), "frame at %d: payload of %d bytes, length field %d", consumed, len(payload), n)
			require.True(t, bytes.Equal(payload, data[consumed+2:consumed+2+n]), "frame at %d: payload of %d bytes, length field %d", consumed, len(payload), n)
			consumed += 2 + n
		}
	})
}
