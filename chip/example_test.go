package chip_test

import (
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
)

// Parse DG1 as read from a chip and look at the MRZ inside.
func ExampleParseDG1() {
	// The DG1 of a synthetic Vietnamese identity card (TD1).
	zone := "IDVNM0900123450001090012345<<<" +
		"9001011M3501014VNM<<<<<<<<<<<5" +
		"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
	file := append([]byte{0x61, 0x5D, 0x5F, 0x1F, 0x5A}, zone...)

	dg1, err := chip.ParseDG1(file)
	if err != nil {
		panic(err)
	}
	m := dg1.MRZ
	fmt.Println(m.Format, m.IssuingState, m.DocumentNumber)
	fmt.Println(m.PrimaryIdentifier + ", " + m.SecondaryIdentifier)
	// Output:
	// TD1 VNM 090012345
	// NGUYEN, VAN AN
}

// Build the files of a card for issuance: typed values in, bytes out, and
// the LDS Security Object the Document Signer signs.
func ExampleDocument_Encode() {
	m, err := mrz.Parse("IDVNM0900123450001090012345<<<" +
		"9001011M3501014VNM<<<<<<<<<<<5" +
		"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<")
	if err != nil {
		panic(err)
	}
	dg1, err := chip.NewDG1(m)
	if err != nil {
		panic(err)
	}
	doc := &chip.Document{
		DG1: dg1,
		DG11: &chip.DG11{
			FullName:        "NGUYEN<<VAN<AN",
			PersonalNumber:  "001090012345",
			FullDateOfBirth: chip.NewDate(1990, 1, 1),
		},
	}
	files, err := doc.Encode() // also builds EF.COM
	if err != nil {
		panic(err)
	}
	for f, b := range doc.Files() {
		fmt.Printf("%-6s FID %04X, %3d bytes, starts % X\n", f, f.FID(), len(b), b[:2])
	}
	// crypto/pki.NewSOD hashes these for the Document Signer to sign.
	fmt.Println(len(files), "files,", len(chip.DataGroupFiles(files)), "hashes to sign")

	// Reading them back.
	back, _ := chip.ParseDocument(files)
	ref := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(back.FullName(), back.PersonalNumber(), back.DateOfBirth(ref), back.DateOfExpiry(ref))
	// Output:
	// EF.COM FID 011E,  22 bytes, starts 60 14
	// DG1    FID 0101,  95 bytes, starts 61 5D
	// DG11   FID 010B,  53 bytes, starts 6B 33
	// 3 files, 2 hashes to sign
	// NGUYEN VAN AN 001090012345 1990-01-01 2035-01-01
}

// Look up a file by the tag EF.COM lists, and read EF.COM.
func ExampleParseCOM() {
	// Doc 9303-10 Appendix A.1, test case 1.
	b := []byte{0x60, 0x16,
		0x5F, 0x01, 0x04, '0', '1', '0', '7',
		0x5F, 0x36, 0x06, '0', '4', '0', '0', '0', '0',
		0x5C, 0x04, 0x61, 0x75, 0x76, 0x6C}
	com, err := chip.ParseCOM(b)
	if err != nil {
		panic(err)
	}
	major, minor, _ := com.LDS()
	fmt.Printf("LDS %d.%d\n", major, minor)
	for _, f := range com.DataGroups {
		fmt.Printf("%s: tag %s, FID %04X, SFI %02X\n", f, f.Tag(), f.FID(), f.SFI())
	}
	f, _ := chip.FileByName("EF.CardAccess")
	fmt.Printf("%s: FID %04X in the MF: %v\n", f, f.FID(), f.InMF())
	// Output:
	// LDS 1.7
	// DG1: tag 61, FID 0101, SFI 01
	// DG2: tag 75, FID 0102, SFI 02
	// DG4: tag 76, FID 0104, SFI 04
	// DG12: tag 6C, FID 010C, SFI 0C
	// EF.CardAccess: FID 011C in the MF: true
}
