package mrz

import "testing"

func BenchmarkParseTD1(b *testing.B) {
	b.SetBytes(int64(len(vnmTD1)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(vnmTD1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTD3(b *testing.B) {
	b.SetBytes(int64(len(specimenTD3)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(specimenTD3); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkString(b *testing.B) {
	m, err := Parse(vnmTD1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(m.String()) != 92 {
			b.Fatal("wrong length")
		}
	}
}

func BenchmarkNewVNMID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewVNMID("001090012345", "Nguyễn Văn An", "900101", Male, "350101"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheckDigit(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CheckDigit("D23145890734"); err != nil {
			b.Fatal(err)
		}
	}
}
