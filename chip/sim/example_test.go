package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// demoImage personalizes the synthetic CCCD as ExamplePersonalize does.
func demoImage() *sim.Image {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Seed: "example", Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		panic(err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{
		Profile: sim.ProfileCCCD,
		Issuer:  sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Rand:    pkitest.SeedReader("example chip"),
		Time:    func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	return img
}

// Issue the synthetic CCCD onto a card image: Personalize adds DG14 (Chip
// Authentication), DG15 (Active Authentication), EF.COM, EF.CardAccess
// (PACE) and EF.SOD signed by the test Document Signer.
func ExamplePersonalize() {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Seed: "example", Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		panic(err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{
		Profile: sim.ProfileCCCD,
		Issuer:  sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Rand:    pkitest.SeedReader("example chip"),
		Time:    func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	var files []chip.File
	for _, f := range chip.Files() {
		if img.Files[f] != nil {
			files = append(files, f)
		}
	}
	fmt.Println(files)
	fmt.Println("CAN:", img.Secrets.CAN)
	fmt.Println("secrets:", img.Secrets) // they never print
	// Output:
	// [EF.COM DG1 DG2 DG3 DG13 DG14 DG15 EF.SOD EF.CardAccess EF.ATR/INFO]
	// CAN: 012345
	// secrets: sim.Secrets{redacted}
}

// Talk to the card at the APDU level: SELECT the LDS1 application, then try
// to read DG1 before the chip is opened with BAC or PACE.
func ExampleCard_Transmit() {
	card, err := sim.New(demoImage(), nil)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	resp, err := card.Transmit(ctx, apdu.SelectAID(chip.LDS1AID, false))
	if err != nil {
		panic(err)
	}
	fmt.Println("SELECT LDS1:", resp.SW)

	read, err := apdu.ReadBinarySFI(chip.EFDG1.SFI(), 0, 256)
	if err != nil {
		panic(err)
	}
	resp, err = card.Transmit(ctx, read)
	if err != nil {
		panic(err)
	}
	fmt.Println("READ BINARY DG1:", resp.SW)
	// Output:
	// SELECT LDS1: 9000 (success)
	// READ BINARY DG1: 6982 (error: security status not satisfied)
}
