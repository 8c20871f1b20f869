package ec

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseSignaturePlain: no panic on any curve (the first byte picks it);
// a signature of the wrong length is a typed ErrInvalidSignature; an
// accepted one splits into r and s of OrderByteLen bytes each that
// EncodeSignaturePlain writes back to the input.
func FuzzParseSignaturePlain(f *testing.F) {
	curves := Curves()
	for i, c := range curves {
		l := c.OrderByteLen()
		sig := bytes.Repeat([]byte{0x5A}, 2*l)
		f.Add(byte(i), sig)
		f.Add(byte(i), sig[:2*l-1])
		f.Add(byte(i), append(sig, 0))
		f.Add(byte(i), make([]byte, 2*l))
		f.Add(byte(i), bytes.Repeat([]byte{0xFF}, 2*l))
	}
	f.Add(byte(0), []byte{})
	f.Fuzz(func(t *testing.T, pick byte, sig []byte) {
		c := curves[int(pick)%len(curves)]
		r, s, err := ParseSignaturePlain(c, sig)
		l := c.OrderByteLen()
		if err != nil {
			checkErr(t, err)
			if !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("error %v is not ErrInvalidSignature", err)
			}
			if len(sig) == 2*l {
				t.Fatalf("%s: refused a signature of the right length: %v", c, err)
			}
			return
		}
		if len(sig) != 2*l {
			t.Fatalf("%s: accepted %d bytes, want %d", c, len(sig), 2*l)
		}
		if r.Sign() < 0 || s.Sign() < 0 || r.BitLen() > 8*l || s.BitLen() > 8*l {
			t.Fatalf("%s: r or s out of range", c)
		}
		back, err := EncodeSignaturePlain(c, r, s)
		if err != nil {
			t.Fatalf("%s: r, s of a parsed signature do not encode: %v", c, err)
		}
		if !bytes.Equal(back, sig) {
			t.Fatalf("%s: round trip %x, want %x", c, back, sig)
		}
		// The DER form agrees where both are defined.
		if r.Sign() > 0 && s.Sign() > 0 {
			der, err := PlainToASN1(c, sig)
			if err != nil {
				t.Fatalf("%s: PlainToASN1: %v", c, err)
			}
			plain, err := ASN1ToPlain(c, der)
			if err != nil || !bytes.Equal(plain, sig) {
				t.Fatalf("%s: plain -> DER -> plain: %x, %v", c, plain, err)
			}
		}
	})
}
