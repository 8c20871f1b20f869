package tlv_test

import (
	"fmt"

	"github.com/cancuoc/cancuoc/tlv"
)

// Build a DG1 (tag '61') holding an MRZ (tag '5F1F'), then read it back.
func ExampleBuilder() {
	// A synthetic Vietnamese identity card (TD1, three lines of 30).
	mrz := "IDVNM0900123450001090012345<<<" +
		"9001011M3501014VNM<<<<<<<<<<<5" +
		"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
	var b tlv.Builder
	b.AddConstructed(0x61, func(b *tlv.Builder) {
		b.AddString(0x5F1F, mrz)
	})
	dg1, err := b.Bytes()
	if err != nil {
		panic(err)
	}
	fmt.Printf("% X ...\n", dg1[:6])

	field, err := tlv.Find(dg1, 0x61, 0x5F1F)
	if err != nil {
		panic(err)
	}
	fmt.Printf("tag %s at offset %d, %d characters\n", field.Tag, field.Offset, len(field.Value))
	// Output:
	// 61 5D 5F 1F 5A 49 ...
	// tag 5F1F at offset 2, 90 characters
}

// Walk a file's objects without allocating.
func ExampleReader() {
	// EF.COM: LDS 1.7, Unicode 4.0.0, tag list DG1, DG2, DG4, DG12.
	efCOM := []byte{0x60, 0x16,
		0x5F, 0x01, 0x04, '0', '1', '0', '7',
		0x5F, 0x36, 0x06, '0', '4', '0', '0', '0', '0',
		0x5C, 0x04, 0x61, 0x75, 0x76, 0x6C}
	r := tlv.NewReader(efCOM)
	for r.Next() {
		c := r.Children()
		for c.Next() {
			fmt.Printf("%s at %d: % X\n", c.TLV().Tag, c.TLV().Offset, c.TLV().Value)
		}
		if err := c.Err(); err != nil {
			panic(err)
		}
	}
	if err := r.Err(); err != nil {
		panic(err)
	}
	// Output:
	// 5F01 at 2: 30 31 30 37
	// 5F36 at 9: 30 34 30 30 30 30
	// 5C at 18: 61 75 76 6C
}

// Decode strictly, then leniently, a file padded with zeros as some
// documents are.
func ExampleOptions() {
	padded := []byte{0x5C, 0x02, 0x61, 0x75, 0x00, 0x00}
	_, err := tlv.Decode(padded)
	fmt.Println(err)
	nodes, err := tlv.Lenient.Decode(padded)
	fmt.Println(len(nodes), err)
	// Output:
	// tlv: offset 4: invalid tag
	// 1 <nil>
}
