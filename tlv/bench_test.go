package tlv

import "testing"

// The benchmarks run over a DG2-like file of about 20 KB (one face image),
// the largest file a CCCD reader parses.

func BenchmarkReaderWalk(b *testing.B) {
	in := dg2Like(b, 20000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if walk(in) != 10 {
			b.Fatal("wrong object count")
		}
	}
}

// BenchmarkReaderWalkMany walks a file of many small objects, where
// per-object cost dominates.
func BenchmarkReaderWalkMany(b *testing.B) {
	var bld Builder
	bld.AddConstructed(0x6D, func(bld *Builder) {
		for i := range 2000 {
			bld.AddConstructed(0x30, func(bld *Builder) {
				bld.AddByte(0x02, byte(i))
				bld.AddString(0x0C, "Nguyễn Văn An")
			})
		}
	})
	in, err := bld.Bytes()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if walk(in) != 6001 {
			b.Fatal("wrong object count")
		}
	}
}

func BenchmarkFind(b *testing.B) {
	in := dg2Like(b, 20000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Find(in, 0x75, 0x7F61, 0x7F60, 0x5F2E); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	in := dg2Like(b, 20000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	img := make([]byte, 20000)
	b.SetBytes(int64(len(img)))
	b.ReportAllocs()
	for b.Loop() {
		bld := NewBuilder(20100)
		bld.AddConstructed(0x75, func(bld *Builder) {
			bld.AddConstructed(0x7F61, func(bld *Builder) {
				bld.AddByte(0x02, 1)
				bld.AddConstructed(0x7F60, func(bld *Builder) {
					bld.Add(0x5F2E, img)
				})
			})
		})
		if _, err := bld.Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
