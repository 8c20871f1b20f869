package sm_test

import (
	"encoding/hex"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

func unhex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// Protect SELECT EF.COM with the session of ICAO 9303-11 Appendix D and
// read the card's answer.
func ExampleSession_Wrap() {
	s, err := sm.NewSession(sm.TDES,
		unhex("979EC13B1CBFE9DCD01AB0FED307EAE5"), // KS_Enc
		unhex("F1CB1F1FB5ADF208806B89DC579DC1F8"), // KS_MAC
		unhex("887022120C06C226"))                 // SSC
	if err != nil {
		panic(err)
	}
	protected, err := s.Wrap(apdu.SelectEF(0x011E))
	if err != nil {
		panic(err)
	}
	b, _ := protected.Bytes()
	fmt.Printf("%X\n", b)

	r, err := s.Unwrap(apdu.Response{Data: unhex("990290008E08FA855A5D4C50A8ED"), SW: 0x9000})
	fmt.Println(r.SW, err)
	fmt.Println(s)
	// Output:
	// 0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800
	// 9000 (success) <nil>
	// sm.Session(3DES, keys redacted)
}

// Derive the PACE session keys of ICAO 9303-11 Appendix G.1 from the
// shared secret.
func ExampleDeriveKey() {
	secret := unhex("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925")
	fmt.Printf("K_Enc %X\n", sm.DeriveKey(sm.AES128, secret, sm.CounterEnc))
	fmt.Printf("K_MAC %X\n", sm.DeriveKey(sm.AES128, secret, sm.CounterMAC))
	// Output:
	// K_Enc F5F0E35C0D7161EE6724EE513A0D9A7F
	// K_MAC FE251C7858B356B24514B3BD5F4297D1
}
