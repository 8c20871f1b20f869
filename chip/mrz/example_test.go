package mrz_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/chip/mrz"
)

// Read the zone of an identity card (TD1) and print its fields.
func ExampleParse() {
	m, err := mrz.Parse("I<UTOD231458907<<<<<<<<<<<<<<<\n" +
		"7408122F1204159UTO<<<<<<<<<<<6\n" +
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<")
	if err != nil {
		panic(err)
	}
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	born, _ := m.DateOfBirth.Birth(now)
	expires, _ := m.DateOfExpiry.Expiry(now)
	fmt.Println(m.Format, m.DocumentCode, m.IssuingState, m.DocumentNumber)
	fmt.Printf("%s, %s (%c)\n", m.PrimaryIdentifier, m.SecondaryIdentifier, m.Sex)
	fmt.Println("born", born, "expires", expires)
	// Output:
	// TD1 I UTO D23145890
	// ERIKSSON, ANNA MARIA (F)
	// born 1974-08-12 expires 2012-04-15
}

// A wrong check digit is an error naming the field and its position (the
// composite check digit, which covers the changed character, fails too);
// ParseLenient still returns the zone.
func ExampleParseLenient() {
	bad := "I<UTOD231458908<<<<<<<<<<<<<<<\n" +
		"7408122F1204159UTO<<<<<<<<<<<6\n" +
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	_, err := mrz.Parse(bad)
	fmt.Println(err)

	m, err := mrz.ParseLenient(bad)
	var cde *mrz.CheckDigitError
	fmt.Println(m.DocumentNumber, errors.As(err, &cde), cde.Field)
	// Output:
	// mrz: document number at line 1 column 15: check digit of document number does not match
	// mrz: composite at line 2 column 30: check digit of composite does not match
	// D23145890 true document number
}

// Build the zone of a Vietnamese identity card (CCCD) from the personal
// number and the name as printed on the card.
func ExampleNewVNMID() {
	m, err := mrz.NewVNMID("001090012345", "Nguyễn Văn An", "900101", mrz.Male, "350101")
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	pn, _ := m.PersonalNumber()
	fmt.Println(pn)
	// Output:
	// IDVNM0900123450001090012345<<<
	// 9001011M3501014VNM<<<<<<<<<<<5
	// NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<
	// 001090012345
}

// The MRZ information is the BAC key seed input: it never prints.
func ExampleInfo() {
	info, err := mrz.NewInfo("L898902C", "690806", "940623")
	if err != nil {
		panic(err)
	}
	fmt.Println(info)
	fmt.Printf("%#v\n", info)
	fmt.Printf("%d bytes for key derivation\n", len(info.Bytes()))
	// Output:
	// mrz.Info{REDACTED}
	// mrz.Info{REDACTED}
	// 24 bytes for key derivation
}

func ExampleTransliterate() {
	for _, name := range []string{"Đặng Thị Hường", "Marie-Thérèse O'Connor", "Jürgen Groß"} {
		s, _ := mrz.Transliterate(name)
		fmt.Println(s)
	}
	// Output:
	// DANG<THI<HUONG
	// MARIE<THERESE<OCONNOR
	// JUERGEN<GROSS
}

// Two-digit years are resolved against a reference date.
func ExampleDate_Birth() {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	for _, d := range []mrz.Date{"150301", "300301", "90<<<<"} {
		c, _ := d.Birth(now)
		fmt.Println(d, c)
	}
	// Output:
	// 150301 2015-03-01
	// 300301 1930-03-01
	// 90<<<< 1990-XX-XX
}
