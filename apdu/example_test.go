package apdu_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
)

// Build the commands of ICAO 9303-11 Appendix D and encode them.
func ExampleCommand_Bytes() {
	rb, err := apdu.ReadBinary(0, 4)
	if err != nil {
		panic(err)
	}
	for _, c := range []apdu.Command{apdu.GetChallenge(8), apdu.SelectEF(0x011E), rb} {
		b, err := c.Bytes()
		if err != nil {
			panic(err)
		}
		fmt.Printf("% X   %s\n", b, c)
	}
	// Output:
	// 00 84 00 00 08   C-APDU 00 84 00 00 Ne=8
	// 00 A4 02 0C 02 01 1E   C-APDU 00 A4 02 0C Nc=2
	// 00 B0 00 00 04   C-APDU 00 B0 00 00 Ne=4
}

// Decode a command as a card does, in any of the seven forms.
func ExampleParseCommand() {
	c, err := apdu.ParseCommand([]byte{0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00})
	if err != nil {
		panic(err)
	}
	fmt.Println(c, c.Ne)
	// Output: C-APDU 00 B0 00 00 Ne=65536 extended 65536
}

// card is a stand-in for a transport such as reader/pcsc.Card.
type card struct{}

func (card) TransmitRaw(_ context.Context, cmd []byte) ([]byte, error) {
	if cmd[1] == 0xB0 {
		return []byte{0x69, 0x82}, nil // READ BINARY before authentication
	}
	return []byte{0x46, 0x08, 0xF9, 0x19, 0x88, 0x70, 0x22, 0x12, 0x90, 0x00}, nil
}

// Send commands over a byte transport and match status errors.
func ExampleTransmit() {
	t := apdu.WithChaining(apdu.NewTransmitter(card{}), nil)
	ctx := context.Background()

	rnd, err := apdu.Transmit(ctx, t, apdu.GetChallenge(8))
	fmt.Printf("% X %v\n", rnd, err)

	rb, _ := apdu.ReadBinary(0, 4)
	_, err = apdu.Transmit(ctx, t, rb)
	fmt.Println(err)
	fmt.Println(errors.Is(err, apdu.ErrSecurityStatusNotSatisfied), errors.Is(err, apdu.SW(0x6982)))
	// Output:
	// 46 08 F9 19 88 70 22 12 <nil>
	// apdu: INS B0: status 6982 (error: security status not satisfied)
	// true true
}

// A card that answers 61XX: WithChaining fetches the rest with GET
// RESPONSE and returns the whole answer.
func ExampleWithChaining() {
	var sent []string
	card := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		sent = append(sent, cmd.String())
		if cmd.INS == apdu.INSGetResponse {
			return apdu.Response{Data: []byte{3, 4}, SW: 0x9000}, nil
		}
		return apdu.Response{Data: []byte{1, 2}, SW: 0x6102}, nil
	})
	r, err := apdu.WithChaining(card, nil).Transmit(context.Background(), apdu.InternalAuthenticate(make([]byte, 8)))
	fmt.Println(r, err)
	fmt.Println(r.Data)
	fmt.Println(sent)
	// Output:
	// R-APDU 4 bytes, SW 9000 (success) <nil>
	// [1 2 3 4]
	// [C-APDU 00 88 00 00 Nc=8 Ne=256 C-APDU 00 C0 00 00 Ne=2]
}

// Read the size of a file from the FCP a SELECT returns.
func ExampleParseFCP() {
	fcp, err := apdu.ParseFCP([]byte{0x62, 0x0B, 0x80, 0x02, 0x01, 0x2C, 0x82, 0x01, 0x01, 0x83, 0x02, 0x01, 0x01})
	if err != nil {
		panic(err)
	}
	fmt.Printf("EF %04X, %d bytes\n", fcp.FID, fcp.Size)
	// Output: EF 0101, 300 bytes
}
