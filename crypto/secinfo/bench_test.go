package secinfo

import (
	"testing"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func BenchmarkParseCardAccess(b *testing.B) {
	in := vectors.Hex(b, "testdata/cccd/efcardaccess.hex")
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := Parse(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDG14(b *testing.B) {
	in := vectors.Hex(b, "testdata/gmrtd/dg14_at.hex")
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ParseDG14(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeDG14(b *testing.B) {
	s, err := ParseDG14(vectors.Hex(b, "testdata/gmrtd/dg14_at.hex"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.EncodeDG14(); err != nil {
			b.Fatal(err)
		}
	}
}
