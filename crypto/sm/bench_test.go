package sm

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cancuoc/cancuoc/apdu"
)

// BenchmarkReadBinary runs one protected READ BINARY through both sides:
// terminal Wrap, chip UnwrapCommand, chip WrapResponse, terminal Unwrap.
// 223 bytes is the largest read that fits a short protected response;
// 64000 bytes is about the largest under extended length.
func BenchmarkReadBinary(b *testing.B) {
	for _, c := range []Cipher{TDES, AES128} {
		for _, n := range []int{223, 64000} {
			b.Run(fmt.Sprintf("%s/%d", c, n), func(b *testing.B) {
				term, chip := pair(b, c)
				file := bytes.Repeat([]byte{0xA5}, n)
				cmd, err := apdu.ReadBinary(0, n)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(n))
				b.ReportAllocs()
				for b.Loop() {
					w, err := term.Wrap(cmd)
					if err != nil {
						b.Fatal(err)
					}
					p, err := chip.UnwrapCommand(w)
					if err != nil {
						b.Fatal(err)
					}
					r, err := chip.WrapResponse(apdu.Response{Data: file[:p.Ne], SW: 0x9000})
					if err != nil {
						b.Fatal(err)
					}
					out, err := term.Unwrap(r)
					if err != nil || len(out.Data) != n {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
