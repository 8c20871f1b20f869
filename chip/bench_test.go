package chip

import (
	"testing"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// BenchmarkParseDocument parses the twelve files of the synthetic card
// (about 3 KB; the face image is tiny, so this measures the LDS parsing).
func BenchmarkParseDocument(b *testing.B) {
	files, err := syntheticDocument(b).Encode()
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, f := range files {
		n += len(f)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDocument(files); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeDocument encodes the synthetic card's typed values.
func BenchmarkEncodeDocument(b *testing.B) {
	doc := syntheticDocument(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := doc.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseDG11(b *testing.B) {
	in := vectors.Hex(b, "testdata/synthetic/dg11.hex")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDG11(in); err != nil {
			b.Fatal(err)
		}
	}
}
