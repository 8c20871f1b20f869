package main

import (
	"bufio"
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

// maxDumpSize bounds the file dump reads.
const maxDumpSize = 16 << 20

func runDump(e *env, args []string) error {
	fs := flags(e, "dump", "FILE [--json]  (FILE may be binary or hex text; - for stdin)")
	asJSON := fs.Bool("json", false, "print the tree as JSON")
	path, err := parseOperand(fs, args, "a file")
	if err != nil {
		return err
	}
	var r io.Reader = e.stdin
	hint := int64(64 << 10)
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > maxDumpSize {
			return fmt.Errorf("%s: %d bytes, larger than the %d dump reads", path, st.Size(), maxDumpSize)
		}
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			hint = st.Size()
		}
		r = f
	}
	// One buffer of the file's size (ReadFrom grows it only when fewer
	// than bytes.MinRead bytes are free).
	buf := bytes.NewBuffer(make([]byte, 0, hint+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(r, maxDumpSize+1)); err != nil {
		return err
	}
	data := buf.Bytes()
	if len(data) > maxDumpSize {
		return fmt.Errorf("%s: larger than %d bytes", path, maxDumpSize)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%s: empty: no TLV to show", path)
	}
	if trimmed := bytes.TrimSpace(data); trimmed[0] == '{' {
		return dumpJSONFile(e, path, data, *asJSON)
	}
	if h, ok := hexText(data); ok {
		data = h
	}
	nodes, err := tlv.Lenient.Decode(data)
	if errors.Is(err, tlv.ErrTooManyNodes) {
		return fmt.Errorf("%s: more than %d TLV objects, more than any eMRTD file holds: %w", path, tlv.DefaultMaxNodes, err)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *asJSON {
		// Streamed: the output is never held in memory whole.
		w := bufio.NewWriter(e.stdout)
		writeJSONNodes(w, nodes, 0, "")
		w.WriteString("\n")
		return w.Flush()
	}
	printNodes(e.stdout, nodes, 0, 0)
	return nil
}

// dumpJSONFile handles a file that is JSON, not TLV: the tool's own card
// image (see chip/sim) has its files dumped one by one, never its secrets;
// any other JSON is named as such.
func dumpJSONFile(e *env, path string, data []byte, asJSON bool) error {
	img, err := sim.Decode(bytes.NewReader(data))
	if err != nil {
		if json.Valid(data) {
			return fmt.Errorf("%s: a JSON document, not BER-TLV", path)
		}
		return fmt.Errorf("%s: neither BER-TLV nor a card image: %w", path, err)
	}
	type fileView struct {
		File  string      `json:"file"`
		Nodes []*nodeView `json:"nodes"`
		Error string      `json:"error,omitempty"`
	}
	var views []fileView
	if !asJSON {
		fmt.Fprintf(e.stdout, "%s: cancuoc card image, profile %s (its secrets are not shown)\n", path, img.Profile)
	}
	for _, f := range chip.Files() {
		b := img.Files[f]
		if b == nil {
			continue
		}
		nodes, derr := tlv.Lenient.Decode(b)
		if asJSON {
			v := fileView{File: f.String(), Nodes: jsonNodes(nodes, 0)}
			if derr != nil {
				v.Error = derr.Error()
			}
			views = append(views, v)
			continue
		}
		fmt.Fprintf(e.stdout, "%s (%d bytes)\n", f, len(b))
		printNodes(e.stdout, nodes, 0, 1)
		if derr != nil {
			fmt.Fprintf(e.stdout, "  %s: %v\n", f, derr)
		}
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			CardImage string     `json:"card_image"`
			Profile   string     `json:"profile"`
			Files     []fileView `json:"files"`
		}{path, img.Profile, views})
	}
	return nil
}

// hexText decodes data that is hex text (spaces and newlines allowed).
// A binary file is told apart without a copy of it.
func hexText(data []byte) ([]byte, bool) {
	digits := 0
	for _, c := range data {
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			digits++
		case c == ' ', c == '\t', c == '\n', c == '\r', c == '\v', c == '\f':
		default:
			return nil, false
		}
	}
	if digits == 0 || digits%2 != 0 {
		return nil, false
	}
	b := make([]byte, 0, digits/2)
	var hi byte
	n := 0
	for _, c := range data {
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if n%2 == 0 {
			hi = v
		} else {
			b = append(b, hi<<4|v)
		}
		n++
	}
	return b, true
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
			if n.Tag == tagOID {
				v.Value = oidText(n.Value)
			}
		}
		out = append(out, v)
	}
	return out
}

// writeJSONNodes writes nodes as jsonNodes would have them encoded
// (indented by two spaces), one object at a time, hex values streamed.
func writeJSONNodes(w *bufio.Writer, nodes []*tlv.Node, parent tlv.Tag, indent string) {
	if len(nodes) == 0 {
		w.WriteString("[]")
		return
	}
	in := indent + "  "
	w.WriteString("[\n")
	for i, n := range nodes {
		w.WriteString(in + "{\n")
		field := func(name string) { w.WriteString(in + "  " + `"` + name + `": `) }
		field("tag")
		writeJSONString(w, n.Tag.String())
		if name := tagName(parent, n.Tag); name != "" {
			w.WriteString(",\n")
			field("name")
			writeJSONString(w, name)
		}
		w.WriteString(",\n")
		field("offset")
		w.WriteString(strconv.Itoa(n.Offset))
		w.WriteString(",\n")
		field("length")
		w.WriteString(strconv.Itoa(len(n.Value)))
		switch {
		case len(n.Children) > 0:
			w.WriteString(",\n")
			field("children")
			writeJSONNodes(w, n.Children, n.Tag, in+"  ")
		case len(n.Value) == 0:
		case n.Tag == tagOID:
			w.WriteString(",\n")
			field("value")
			writeJSONString(w, oidText(n.Value))
		case utf8.Valid(n.Value) && printable(n.Value):
			w.WriteString(",\n")
			field("value")
			writeJSONString(w, valueText(n.Value, 0))
		default:
			w.WriteString(",\n")
			field("value")
			w.WriteByte('"')
			enc := hex.NewEncoder(upperWriter{w})
			_, _ = enc.Write(n.Value)
			w.WriteByte('"')
		}
		w.WriteString("\n" + in + "}")
		if i < len(nodes)-1 {
			w.WriteByte(',')
		}
		w.WriteString("\n")
	}
	w.WriteString(indent + "]")
}

func writeJSONString(w *bufio.Writer, s string) {
	b, _ := json.Marshal(s) // a string always marshals
	w.Write(b)
}

// upperWriter upper-cases the hex digits written through it.
type upperWriter struct{ w *bufio.Writer }

func (u upperWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		if c >= 'a' && c <= 'f' {
			c -= 'a' - 'A'
		}
		if err := u.w.WriteByte(c); err != nil {
			return 0, err
		}
	}
	return len(p), nil
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
		if n.Tag == tagOID {
			fmt.Fprintf(w, " %s\n", oidText(n.Value))
			continue
		}
		fmt.Fprintf(w, " %s\n", valueText(n.Value, 48))
	}
}

// tagOID is the universal tag of an OBJECT IDENTIFIER.
const tagOID tlv.Tag = 0x06

// oidText shows an OBJECT IDENTIFIER's value dotted, with its name when
// known: "0.4.0.127.0.7.2.2.4.2.2 id-PACE-ECDH-GM-AES-CBC-CMAC-128". A value
// that is not a valid encoding is shown in hex.
func oidText(v []byte) string {
	oid, ok := parseOID(v)
	if !ok {
		return strings.ToUpper(hex.EncodeToString(v)) + " (not a valid OBJECT IDENTIFIER)"
	}
	if name := oidName(oid); name != "" {
		return oid.String() + " " + name
	}
	return oid.String()
}

// parseOID decodes the contents octets of an OBJECT IDENTIFIER with
// encoding/asn1 (minimal base-128 arcs, X.690 §8.19).
func parseOID(v []byte) (asn1.ObjectIdentifier, bool) {
	if len(v) == 0 || len(v) > 127 {
		return nil, false
	}
	var oid asn1.ObjectIdentifier
	rest, err := asn1.Unmarshal(append([]byte{0x06, byte(len(v))}, v...), &oid)
	return oid, err == nil && len(rest) == 0
}

// oidName names the identifiers of eMRTD security infos (crypto/secinfo) and
// the CMS, X.509 and hash identifiers an EF.SOD carries.
func oidName(oid asn1.ObjectIdentifier) string {
	if n := secinfo.OIDName(oid); n != oid.String() {
		return n
	}
	return otherOIDs[oid.String()]
}

var otherOIDs = map[string]string{
	"1.2.840.113549.1.7.1": "id-data", "1.2.840.113549.1.7.2": "id-signedData",
	"1.2.840.113549.1.9.3": "id-contentType", "1.2.840.113549.1.9.4": "id-messageDigest",
	"1.2.840.113549.1.9.5": "id-signingTime",
	"1.2.840.113549.1.1.1": "rsaEncryption", "1.2.840.113549.1.1.10": "id-RSASSA-PSS",
	"1.2.840.113549.1.1.8": "id-mgf1", "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
	"1.2.840.113549.1.1.11": "sha256WithRSAEncryption", "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
	"1.2.840.113549.1.1.13": "sha512WithRSAEncryption", "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
	"1.3.14.3.2.26": "id-sha1", "2.16.840.1.101.3.4.2.1": "id-sha256", "2.16.840.1.101.3.4.2.2": "id-sha384",
	"2.16.840.1.101.3.4.2.3": "id-sha512", "2.16.840.1.101.3.4.2.4": "id-sha224",
	"1.2.840.10045.1.1": "prime-field", "1.2.840.10045.3.1.7": "prime256v1 (P-256)",
	"1.3.132.0.33": "secp224r1 (P-224)", "1.3.132.0.34": "secp384r1 (P-384)", "1.3.132.0.35": "secp521r1 (P-521)",
	"1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.9": "brainpoolP320r1",
	"1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1", "1.3.36.3.3.2.8.1.1.13": "brainpoolP512r1",
	"2.23.136.1.1.1": "id-icao-mrtd-security-ldsSecurityObject", "2.23.136.1.1.2": "id-icao-cscaMasterList",
	"2.23.136.1.1.6.2": "id-icao-mrtd-security-extensions-documentTypeList",
	"2.5.4.3":          "commonName", "2.5.4.5": "serialNumber", "2.5.4.6": "countryName", "2.5.4.7": "localityName",
	"2.5.4.8": "stateOrProvinceName", "2.5.4.10": "organizationName", "2.5.4.11": "organizationalUnitName",
	"2.5.29.14": "subjectKeyIdentifier", "2.5.29.15": "keyUsage", "2.5.29.16": "privateKeyUsagePeriod",
	"2.5.29.17": "subjectAltName", "2.5.29.18": "issuerAltName", "2.5.29.19": "basicConstraints",
	"2.5.29.20": "cRLNumber", "2.5.29.31": "cRLDistributionPoints", "2.5.29.32": "certificatePolicies",
	"2.5.29.35": "authorityKeyIdentifier", "2.5.29.37": "extKeyUsage",
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
