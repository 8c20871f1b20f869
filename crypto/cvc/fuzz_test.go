package cvc

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: no panic; whatever parses re-encodes to the same body (the
// encoding is canonical) and parses again to the same values.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "openpace", "*.cvcert"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	hexFiles, _ := filepath.Glob(filepath.Join("testdata", "ausweisapp", "*.hex"))
	for _, name := range hexFiles {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	if h, err := NewHierarchy(&HierarchyConfig{Access: ReadDG3, Rand: newSeedReader("fuzz")}); err == nil {
		f.Add(h.IS.Raw)
		f.Add(h.CVCA.Raw)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Parse(b)
		if err != nil {
			if c != nil {
				t.Fatal("certificate with error")
			}
			return
		}
		tm := Template{CAR: c.CAR, CHR: c.CHR, PublicKey: c.PublicKey, CHAT: c.CHAT, Effective: c.Effective, Expiry: c.Expiry, Extensions: c.Extensions}
		body, err := tm.MarshalBody()
		if err != nil {
			t.Fatalf("parsed certificate does not encode: %v", err)
		}
		// Unsigned integers may carry leading zeros on input; the
		// encoder writes them minimal, so compare values after a
		// second parse.
		c2, err := ParseBody(body)
		if err != nil {
			t.Fatalf("re-encoded body does not parse: %v", err)
		}
		body2, err := (&Template{CAR: c2.CAR, CHR: c2.CHR, PublicKey: c2.PublicKey, CHAT: c2.CHAT, Effective: c2.Effective, Expiry: c2.Expiry, Extensions: c2.Extensions}).MarshalBody()
		if err != nil || !bytes.Equal(body, body2) {
			t.Fatal("encoding is not stable")
		}
		if c.CAR != c2.CAR || c.CHR != c2.CHR || !c.CHAT.Equal(c2.CHAT) || !c.Effective.Equal(c2.Effective) || !c.Expiry.Equal(c2.Expiry) {
			t.Fatal("values differ after a round trip")
		}
		_ = c.VerifyData()
		_ = c.String()
	})
}
