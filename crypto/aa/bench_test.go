package aa

import (
	"testing"
)

// benchVerify measures the terminal side: Verify of one response.
func benchVerify(b *testing.B, key string) {
	c, err := NewChip(loadKey(b, key), nil)
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(c.Public(), c.Info())
	if err != nil {
		b.Fatal(err)
	}
	challenge := []byte("12345678")
	sig, err := c.Sign(challenge)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Verify(challenge, sig); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyRSA2048(b *testing.B)         { benchVerify(b, "rsa-2048.pkcs8.der") }
func BenchmarkVerifyBrainpoolP256r1(b *testing.B) { benchVerify(b, "ec-brainpoolP256r1.pkcs8.der") }
func BenchmarkVerifyP256(b *testing.B)            { benchVerify(b, "ec-prime256v1.pkcs8.der") }

// benchSign measures the chip side.
func benchSign(b *testing.B, key string) {
	c, err := NewChip(loadKey(b, key), nil)
	if err != nil {
		b.Fatal(err)
	}
	challenge := []byte("12345678")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Sign(challenge); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignRSA2048(b *testing.B)         { benchSign(b, "rsa-2048.pkcs8.der") }
func BenchmarkSignBrainpoolP256r1(b *testing.B) { benchSign(b, "ec-brainpoolP256r1.pkcs8.der") }
