package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/cancuoc/cancuoc/tlv"
)

// maxDumpSize bounds the file dump reads.
const maxDumpSize = 16 << 20

func runDump(e *env, args []string) error {
	fs := flags(e, "dump", "FILE [--json]  (FILE may be binary or hex text; - for stdin)")
	asJSON := fs.Bool("json", false, "print the tree as JSON")
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && args[0] != "-") {
		if err := parse(fs, args); err != nil {
			return err
		}
		return fmt.Errorf("%w: want a file", errUsage)
	}
	path := args[0]
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxDumpSize+1))
	if err != nil {
		return err
	}
	if len(data) > maxDumpSize {
		return fmt.Errorf("%s: larger than %d bytes", path, maxDumpSize)
	}
	if h, ok := hexText(data); ok {
		data = h
	}
	nodes, err := tlv.Lenient.Decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(jsonNodes(nodes, 0))
	}
	printNodes(e.stdout, nodes, 0, 0)
	return nil
}

// hexText decodes data that is hex text (spaces and newlines allowed).
func hexText(data []byte) ([]byte, bool) {
	s := strings.Join(strings.Fields(string(data)), "")
	if s == "" || len(s)%2 != 0 {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	return b, err == nil
}

type nodeView struct {
	Tag      string      `json:"tag"`
	Name     string      `json:"name,omitempty"`
	Offset   int         `json:"offset"`
	Length   int         `json:"length"`
	Value    string      `json:"value,omitempty"`
	Children []*nodeView `json:"children,omitempty"`
}

func jsonNodes(nodes []*tlv.Node, parent tlv.Tag) []*nodeView {
	var out []*nodeView
	for _, n := range nodes {
		v := &nodeView{Tag: n.Tag.String(), Name: tagName(parent, n.Tag), Offset: n.Offset, Length: len(n.Value)}
		if len(n.Children) > 0 {
			v.Children = jsonNodes(n.Children, n.Tag)
		} else {
			v.Value = valueText(n.Value, 0)
		}
		out = append(out, v)
	}
	return out
}

func printNodes(w io.Writer, nodes []*tlv.Node, parent tlv.Tag, depth int) {
	for _, n := range nodes {
		name := tagName(parent, n.Tag)
		if name != "" {
			name = " " + name
		}
		fmt.Fprintf(w, "%6d %s%s%s (%d)", n.Offset, strings.Repeat("  ", depth), n.Tag, name, len(n.Value))
		if len(n.Children) > 0 {
			fmt.Fprintln(w)
			printNodes(w, n.Children, n.Tag, depth+1)
			continue
		}
		fmt.Fprintf(w, " %s\n", valueText(n.Value, 48))
	}
}

// valueText shows a value as text when it is printable UTF-8, else hex
// (cut to max bytes when max > 0).
func valueText(v []byte, max int) string {
	if len(v) > 0 && utf8.Valid(v) && printable(v) {
		return fmt.Sprintf("%q", string(v))
	}
	if max > 0 && len(v) > max {
		return strings.ToUpper(hex.EncodeToString(v[:max])) + "…"
	}
	return strings.ToUpper(hex.EncodeToString(v))
}

func printable(v []byte) bool {
	for _, r := range string(v) {
		if r < 0x20 || r == 0x7F {
			return false
		}
	}
	return !bytes.ContainsRune(v, utf8.RuneError)
}

// lds names the tags of ICAO Doc 9303-10 and the universal ASN.1 tags.
var lds = map[tlv.Tag]string{
	0x60: "EF.COM", 0x61: "DG1", 0x75: "DG2", 0x63: "DG3", 0x76: "DG4", 0x65: "DG5", 0x66: "DG6",
	0x67: "DG7", 0x68: "DG8", 0x69: "DG9", 0x6A: "DG10", 0x6B: "DG11", 0x6C: "DG12", 0x6D: "DG13",
	0x6E: "DG14", 0x6F: "DG15", 0x70: "DG16", 0x77: "EF.SOD",
	0x5F01: "LDS version", 0x5F36: "Unicode version", 0x5C: "tag list", 0x5F1F: "MRZ",
	0x7F61: "biometric information group", 0x7F60: "biometric information template",
	0xA1: "biometric header template", 0x5F2E: "biometric data block", 0x7F2E: "enciphered biometric data",
	0x5F0E: "full name", 0x5F0F: "other name", 0x5F10: "personal number", 0x5F2B: "full date of birth",
	0x5F11: "place of birth", 0x5F42: "address", 0x5F12: "telephone", 0x5F13: "profession",
	0x5F14: "title", 0x5F15: "personal summary", 0x5F16: "proof of citizenship", 0x5F17: "other TD numbers",
	0x5F18: "custody information", 0x5F19: "issuing authority", 0x5F26: "date of issue",
	0x5F1B: "endorsements", 0x5F1C: "tax/exit requirements", 0x5F1D: "image of front",
	0x5F1E: "image of rear", 0x5F55: "date and time of personalization", 0x5F56: "personalization system",
	0x5F40: "displayed portrait", 0x5F43: "displayed signature", 0x5F50: "date recorded",
	0x5F51: "name", 0x5F52: "telephone", 0x5F53: "address",
	0x01: "BOOLEAN", 0x02: "INTEGER", 0x03: "BIT STRING", 0x04: "OCTET STRING", 0x05: "NULL", 0x06: "OBJECT IDENTIFIER",
	0x0C: "UTF8String", 0x13: "PrintableString", 0x16: "IA5String", 0x17: "UTCTime", 0x18: "GeneralizedTime",
	0x30: "SEQUENCE", 0x31: "SET",
}

// header names the objects of a biometric header template 'A1'.
var header = map[tlv.Tag]string{
	0x80: "ICAO header version", 0x81: "biometric type", 0x82: "biometric subtype", 0x83: "creation date and time",
	0x85: "validity period", 0x86: "creator", 0x87: "format owner", 0x88: "format type",
}

func tagName(parent, t tlv.Tag) string {
	if parent == 0xA1 {
		return header[t]
	}
	if parent == 0x7F61 && t == 0x02 {
		return "number of instances"
	}
	return lds[t]
}
