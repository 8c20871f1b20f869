package bac_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/bac"
)

// Run BAC between a terminal and a simulated chip in the same process, then
// exchange a protected READ BINARY.
func ExampleOpen() {
	const mrzInfo = "L898902C<369080619406236" // ICAO 9303 specimen
	key, err := bac.NewKey(mrzInfo)
	if err != nil {
		panic(err)
	}
	chip, err := bac.NewChip(key, nil) // nil: the default ChipConfig
	if err != nil {
		panic(err)
	}
	card := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		r, _ := chip.Handle(cmd)
		return r, nil
	})
	session, err := bac.Open(context.Background(), card, key, nil) // nil: the default Config
	if err != nil {
		panic(err)
	}
	fmt.Println(session)

	rb, _ := apdu.ReadBinary(0, 4)
	protected, _ := session.Wrap(rb)
	plain, _ := chip.Session().UnwrapCommand(protected)
	fmt.Println(plain)
	resp, _ := chip.Session().WrapResponse(apdu.Response{Data: []byte{0x60, 0x14, 0x5F, 0x01}, SW: 0x9000})
	data, _ := session.Unwrap(resp)
	fmt.Printf("% X\n", data.Data)
	fmt.Println(bytes.Equal(session.SSC(), chip.Session().SSC()))
	// Output:
	// sm.Session(3DES, keys redacted)
	// C-APDU 00 B0 00 00 Ne=4
	// 60 14 5F 01
	// true
}
