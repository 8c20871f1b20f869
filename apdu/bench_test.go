package apdu

import (
	"testing"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func BenchmarkCommandAppend(b *testing.B) {
	c := Command{CLA: 0x0C, INS: 0xB0, Data: make([]byte, 19), Ne: 65536}
	buf := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = c.AppendBinary(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCommandBytes(b *testing.B) {
	c := must(ReadBinary(0, 223))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCommand(b *testing.B) {
	in := vectors.Unhex(b, appDExtAuth)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCommand(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseResponse(b *testing.B) {
	in := make([]byte, 225)
	in[223], in[224] = 0x90, 0x00
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseResponse(in); err != nil {
			b.Fatal(err)
		}
	}
}
