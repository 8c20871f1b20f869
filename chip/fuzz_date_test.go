package chip

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseDate: ParseDate never fails nor panics and keeps the bytes it
// was given; a date it reads has its fields in range and, when given as
// ASCII digits, is written back to the same digits.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"20250601", "20250601093000", "19900230", "00000101", "2025060", "abcdefgh", "20251301", "20250601246000", ""} {
		f.Add([]byte(s))
	}
	f.Add([]byte{0x20, 0x25, 0x06, 0x01})                   // BCD date
	f.Add([]byte{0x20, 0x25, 0x06, 0x01, 0x09, 0x30, 0x00}) // BCD date-time
	f.Add([]byte{0x20, 0x25, 0x0A, 0x01})                   // not BCD
	f.Fuzz(func(t *testing.T, raw []byte) {
		d := ParseDate(raw)
		require.NotNil(t, d, "nil date")
		require.True(t, bytes.Equal(d.Raw, raw), "Raw %x, want %x", d.Raw, raw)
		require.False(t, len(raw) > 0 && &d.Raw[0] == &raw[0], "Raw aliases the input")
		if !d.Valid() {
			require.Equal(t, 0, d.Month, "an unread date has fields: %+v", *d)
			require.Equal(t, 0, d.Day, "an unread date has fields: %+v", *d)
			require.False(t, d.HasTime, "an unread date has fields: %+v", *d)
			return
		}
		require.False(t, d.Year < 1, "out of range: %+v", *d)
		require.False(t, d.Year > 9999, "out of range: %+v", *d)
		require.False(t, d.Month > 12, "out of range: %+v", *d)
		require.False(t, d.Day > 31, "out of range: %+v", *d)
		require.False(t, (d.Month == 0 && d.Day != 0), "out of range: %+v", *d)
		require.False(t, d.HasTime && (d.Hour > 23 || d.Minute > 59 || d.Second > 59), "time out of range: %+v", *d)
		require.False(t, d.HasTime != (len(raw) == 14 || len(raw) == 7), "HasTime %v for %d bytes", d.HasTime, len(raw))
		if len(raw) == 8 || len(raw) == 14 {
			got := d.format()
			require.True(t, bytes.Equal(got, raw), "format %q, want %q", got, raw)
		}
		require.NotEqual(t, "", d.String(), "empty String of a valid date")
	})
}
