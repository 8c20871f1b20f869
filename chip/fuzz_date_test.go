package chip

import (
	"bytes"
	"testing"
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
		if d == nil {
			t.Fatal("nil date")
		}
		if !bytes.Equal(d.Raw, raw) {
			t.Fatalf("Raw %x, want %x", d.Raw, raw)
		}
		if len(raw) > 0 && &d.Raw[0] == &raw[0] {
			t.Fatal("Raw aliases the input")
		}
		if !d.Valid() {
			if d.Month != 0 || d.Day != 0 || d.HasTime {
				t.Fatalf("an unread date has fields: %+v", *d)
			}
			return
		}
		if d.Year < 1 || d.Year > 9999 || d.Month > 12 || d.Day > 31 || (d.Month == 0 && d.Day != 0) {
			t.Fatalf("out of range: %+v", *d)
		}
		if d.HasTime && (d.Hour > 23 || d.Minute > 59 || d.Second > 59) {
			t.Fatalf("time out of range: %+v", *d)
		}
		if d.HasTime != (len(raw) == 14 || len(raw) == 7) {
			t.Fatalf("HasTime %v for %d bytes", d.HasTime, len(raw))
		}
		if len(raw) == 8 || len(raw) == 14 {
			if got := d.format(); !bytes.Equal(got, raw) {
				t.Fatalf("format %q, want %q", got, raw)
			}
		}
		if d.String() == "" {
			t.Fatal("empty String of a valid date")
		}
	})
}
