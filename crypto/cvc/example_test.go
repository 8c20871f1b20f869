package cvc_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/crypto/cvc"
)

func ExampleNewHierarchy() {
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{
		Country: "VN",
		Date:    time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		Access:  cvc.ReadDG3 | cvc.ReadDG4,
		Rand:    bytes.NewReader(bytes.Repeat([]byte{7}, 1024)), // use crypto/rand
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h.IS)

	// Verify the chain as a chip does: from the trusted CVCA key down;
	// DV and IS keys inherit the CVCA's domain parameters.
	cvca, _ := h.CVCA.PublicKey.Verifier(nil)
	dv, _ := h.DV.PublicKey.Verifier(cvca.Curve())
	fmt.Println(h.DV.CheckSignatureFrom(cvca), h.IS.CheckSignatureFrom(dv))
	eff := h.IS.CHAT.Intersect(h.DV.CHAT).Intersect(h.CVCA.CHAT)
	fmt.Println("DG3:", eff.CanRead(3), "DG4:", eff.CanRead(4))
	// Output:
	// cvc.Certificate(CAR VNDV00001, CHR VNIS00001, IS terminal +DG3 +DG4 (03), 2026-11-25 to 2026-12-25)
	// <nil> <nil>
	// DG3: true DG4: true
}

func ExampleParse() {
	raw := []byte{0x7F, 0x21, 0x00}
	_, err := cvc.Parse(raw)
	fmt.Println(err)
	// Output: cvc: parse 7F4E at offset 3: malformed certificate
}
