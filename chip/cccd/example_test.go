package cccd_test

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/cancuoc/cancuoc/chip/cccd"
)

// Parse the DG13 of a (synthetic) CCCD and print the holder's details.
func ExampleParseDG13() {
	h, err := os.ReadFile("testdata/synthetic/full.hex")
	if err != nil {
		panic(err)
	}
	file, err := hex.DecodeString(strings.Join(strings.Fields(string(h)), ""))
	if err != nil {
		panic(err)
	}

	// Lenient accepts the '00'/'FF' padding some reads leave after the file.
	dg13, err := cccd.Lenient.ParseDG13(file)
	if err != nil {
		panic(err)
	}
	c, err := dg13.Citizen()
	if err != nil {
		panic(err)
	}
	fmt.Println("Name:         ", c.FullName)
	fmt.Println("ID number:    ", c.PersonalNumber)
	fmt.Println("Date of birth:", c.DateOfBirth, "=", c.DateOfBirth.Year, c.DateOfBirth.Month, c.DateOfBirth.Day)
	fmt.Println("Address:      ", c.PlaceOfResidence)
	fmt.Println("Expires:      ", c.DateOfExpiry, "no expiry:", c.NoExpiry)
	fmt.Println("Has spouse field:", c.Present.Has(cccd.FieldSpouse))
	// Output:
	// Name:          NGUYỄN VĂN AN
	// ID number:     001090012345
	// Date of birth: 01/01/1990 = 1990 1 1
	// Address:       Số 1 Phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội
	// Expires:       01/01/2035 no expiry: false
	// Has spouse field: true
}

// Build the DG13 of a personalization profile, then read it back.
func ExampleNewDG13() {
	c := cccd.Citizen{
		PersonalNumber: "001090012345",
		FullName:       "NGUYỄN VĂN AN",
		DateOfBirth:    cccd.NewDate(1990, 1, 1),
		Sex:            "Nam",
		Nationality:    "Việt Nam",
		DateOfIssue:    cccd.NewDate(2021, 1, 1),
		DateOfExpiry:   cccd.NewDate(2035, 1, 1),
	}
	dg13, err := cccd.NewDG13(c) // Present is zero: every field with a value
	if err != nil {
		panic(err)
	}
	file, err := dg13.Encode()
	if err != nil {
		panic(err)
	}
	fmt.Printf("% X ...\n", file[:19])

	back, err := cccd.ParseDG13(file)
	if err != nil {
		panic(err)
	}
	for _, f := range back.Fields {
		fmt.Print(f.Number, " ")
	}
	fmt.Println()
	// Output:
	// 6D 81 88 30 81 85 02 01 01 06 06 28 D3 16 01 00 08 31 78 ...
	// 1 2 3 4 5 11 12
}

// Decode a personal number and derive the CAN that PACE uses.
func ExampleParsePersonalNumber() {
	n, err := cccd.ParsePersonalNumber("001090012345")
	if err != nil {
		panic(err)
	}
	fmt.Println(n.Province, n.Province.Name(), n.Sex, n.BirthYear)
	fmt.Println(n) // the CAN is masked
	can, err := cccd.CAN("001090012345")
	if err != nil {
		panic(err)
	}
	fmt.Println(len(can), "digits")
	// Output:
	// 001 Hà Nội male 1990
	// 001090******
	// 6 digits
}
