package bio

import "testing"

// The benchmarks use the synthetic DG2 of testdata/synthetic (about 20 KB,
// one JPEG face), the size of the largest file a CCCD reader parses.

func BenchmarkParseGroupDG2(b *testing.B) {
	in := readFixture(b, "dg2-face.bin")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		g, err := ParseGroup(in)
		if err != nil {
			b.Fatal(err)
		}
		f, err := g.Templates[0].Face()
		if err != nil || len(f.Images[0].Data) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseFace(b *testing.B) {
	g, err := ParseGroup(readFixture(b, "dg2-face.bin"))
	if err != nil {
		b.Fatal(err)
	}
	in := g.Templates[0].Data
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFace(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeGroupDG2(b *testing.B) {
	in := readFixture(b, "dg2-face.bin")
	g, err := ParseGroup(in)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	buf := make([]byte, 0, len(in))
	for b.Loop() {
		if buf, err = g.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseGroupDG3(b *testing.B) { benchParseAll(b, "dg3-two-fingers.bin") }

func BenchmarkParseGroupDG4(b *testing.B) { benchParseAll(b, "dg4-two-eyes.bin") }

func benchParseAll(b *testing.B, name string) {
	in := readFixture(b, name)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		g, err := ParseGroup(in)
		if err != nil {
			b.Fatal(err)
		}
		for i := range g.Templates {
			var err error
			switch *g.Templates[i].Header.Type {
			case BiometricFinger:
				_, err = g.Templates[i].Finger()
			case BiometricIris:
				_, err = g.Templates[i].Iris()
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
