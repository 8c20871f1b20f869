// Command tlvdemo builds the DG1 of a synthetic Vietnamese identity card as
// BER-TLV and decodes it again, printing the tree. It is the smallest tour
// of package tlv; `go run ./cmd/cancuoc demo` (once the simulator lands) is
// the full one.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/cancuoc/cancuoc/tlv"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "tlvdemo:", err)
		os.Exit(1)
	}
}

func run() error {
	// Three MRZ lines of a synthetic CCCD (TD1): no real person's data.
	mrz := "IDVNM0900123450001090012345<<<" +
		"9001011M3501014VNM<<<<<<<<<<<5" +
		"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"

	var b tlv.Builder
	b.AddConstructed(0x61, func(b *tlv.Builder) { // DG1
		b.AddString(0x5F1F, mrz) // MRZ data element
	})
	dg1, err := b.Bytes()
	if err != nil {
		return err
	}
	fmt.Printf("DG1, %d bytes: % X ...\n", len(dg1), dg1[:8])

	nodes, err := tlv.Decode(dg1)
	if err != nil {
		return err
	}
	printTree(nodes, 0)
	return nil
}

func printTree(nodes []*tlv.Node, depth int) {
	for _, n := range nodes {
		indent := strings.Repeat("  ", depth)
		if n.Children != nil {
			fmt.Printf("%s%s (offset %d, %d bytes)\n", indent, n.Tag, n.Offset, len(n.Value))
			printTree(n.Children, depth+1)
			continue
		}
		fmt.Printf("%s%s (offset %d): %q\n", indent, n.Tag, n.Offset, n.Value)
	}
}
