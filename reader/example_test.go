package reader_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// Issue a synthetic CCCD with a test PKI, serve it from the software chip and
// read it back: PACE with the card access number, Chip and Active
// Authentication, every file EF.COM lists, passive authentication against the
// test CSCA. DG3 (fingerprints) stays unread: it needs Terminal
// Authentication (Config.Terminal).
func ExampleRead() {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Seed: "example", Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	aaKey, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("example AA"))
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
		AAKey:   aaKey,
		Rand:    pkitest.SeedReader("example chip"),
		Time:    func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	card, err := sim.New(img, nil)
	if err != nil {
		panic(err)
	}

	// The CAN is printed on the card: on a CCCD, the last 6 digits of the
	// personal number.
	res, err := reader.Read(context.Background(), card, reader.CANKey("012345"),
		&reader.Config{Trust: p.Trust(), Time: func() time.Time { return now.Add(time.Hour) }})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Access)
	for _, c := range res.Checks {
		fmt.Printf("%s: %s\n", c.Name, c.Status)
	}
	// A CCCD's DG13, parsed by package chip/cccd.
	citizen, ok := res.Document.Citizen()
	if !ok {
		panic("no CCCD DG13")
	}
	fmt.Println("data groups:", res.Document.DataGroups())
	fmt.Println("APDUs:", res.APDUs) // the minimum: see the package doc
	fmt.Println("holder:", citizen.FullName)
	fmt.Println("verified:", res.Verified())
	// Output:
	// PACE id-PACE-ECDH-GM-AES-CBC-CMAC-128 (13)
	// PACE: passed
	// access control: passed
	// terminal authentication: not run
	// chip authentication: passed
	// EF.COM: passed
	// EF.CardAccess: passed
	// active authentication: passed
	// read files: passed
	// parse files: passed
	// passive authentication: passed
	// data groups: [DG1 DG2 DG13 DG14 DG15]
	// APDUs: 17
	// holder: Nguyễn Văn An
	// verified: true
}

// A passport without PACE is opened with Basic Access Control, whose key
// comes from the MRZ printed on the data page (document number, date of
// birth, date of expiry).
func ExampleMRZKey() {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Seed: "example", Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	doc, err := sim.DemoPassport()
	if err != nil {
		panic(err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{
		Profile: sim.ProfileICAOPassport,
		Issuer:  sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time:    func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	card, err := sim.New(img, nil)
	if err != nil {
		panic(err)
	}

	// What an MRZ scanner reads from the data page.
	key := reader.MRZKey(doc.DG1.MRZ.Info())
	fmt.Println("key:", key) // a secret: it never prints
	res, err := reader.Read(context.Background(), card, key, &reader.Config{Trust: p.Trust(), Time: func() time.Time { return now.Add(time.Hour) }})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Access, res.Document.FullName(), res.Document.DataGroups())
	fmt.Println("verified:", res.Verified())
	// Output:
	// key: reader.Key(redacted)
	// BAC TRAN THI BINH [DG1 DG2 DG11 DG14 DG15]
	// verified: true
}

// Extended Access Control: the chip trusts a CVCA (its trust point, stored at
// personalization); an inspection system of that CVCA, with the right to read
// fingerprints, proves it with Terminal Authentication, and DG3 becomes
// readable.
func ExampleRead_terminalAuthentication() {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Seed: "example", Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	eacPKI, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: now, Access: cvc.ReadDG3,
		Rand: pkitest.SeedReader("example CVCA")})
	if err != nil {
		panic(err)
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		panic(err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{
		Profile:     sim.ProfileCCCD,
		Issuer:      sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		TrustPoints: [][]byte{eacPKI.CVCA.Raw},
		Time:        func() time.Time { return now },
	})
	if err != nil {
		panic(err)
	}
	card, err := sim.New(img, nil)
	if err != nil {
		panic(err)
	}

	res, err := reader.Read(context.Background(), card, reader.CANKey("012345"), &reader.Config{
		Trust: p.Trust(),
		Time:  func() time.Time { return now.Add(time.Hour) },
		Terminal: &reader.Terminal{
			Chain:  []*cvc.Certificate{eacPKI.DV, eacPKI.IS},
			Signer: eacPKI.ISKey,
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("terminal authentication:", res.Check(reader.CheckTerminal).Status)
	fmt.Println("data groups:", res.Document.DataGroups())
	fmt.Println(len(res.Document.DG3.Group.Templates), "biometric templates in DG3")
	fmt.Println("verified:", res.Verified())
	// Output:
	// terminal authentication: passed
	// data groups: [DG1 DG2 DG3 DG13 DG14 DG15]
	// 2 biometric templates in DG3
	// verified: true
}

// Read the card on a PC/SC reader (build with -tags pcsc; without the tag
// pcsc.Establish returns pcsc.ErrNotBuilt).
func ExampleRead_pcsc() {
	ctx := context.Background()
	pc, err := pcsc.Establish()
	if err != nil {
		panic(err)
	}
	defer pc.Close()
	name, err := pc.WaitForCard(ctx, "") // any reader
	if err != nil {
		panic(err)
	}
	card, err := pc.Connect(name)
	if err != nil {
		panic(err)
	}
	defer card.Close()

	// The CSCA certificates and CRLs to trust, e.g. from cancuoc pki init.
	trust := pki.NewTrustStore()
	if err := trust.LoadDir("/tmp/pki/trust"); err != nil {
		panic(err)
	}
	res, err := reader.Read(ctx, apdu.NewTransmitter(card), reader.CANKey("012345"), &reader.Config{Trust: trust})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Access, res.Document.FullName(), "verified:", res.Verified())
}
