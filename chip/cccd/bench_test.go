package cccd

import "testing"

func BenchmarkParseDG13(b *testing.B) {
	for _, name := range []string{"full", "long-residence"} {
		in := fixture(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				if _, err := ParseDG13(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCitizen(b *testing.B) {
	d, err := ParseDG13(fixture(b, "full"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Citizen(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	d, err := ParseDG13(fixture(b, "full"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}
