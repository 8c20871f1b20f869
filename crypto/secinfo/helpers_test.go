package secinfo

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readHex reads a testdata file of hex digits; '#' starts a comment line
// and white space is ignored.
func readHex(tb testing.TB, name string) []byte {
	tb.Helper()
	f, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	var sb strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(f))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		sb.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(sb.String())
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return b
}

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// vectorFiles lists every testdata vector with whether it holds a DG14 and
// whether it is in strict DER order.
var vectorFiles = []struct {
	name   string
	dg14   bool
	sorted bool
}{
	{"cccd/efcardaccess.hex", false, true},
	{"gmrtd/cardaccess_at.hex", false, true},
	{"gmrtd/cardaccess_de.hex", false, true},
	{"gmrtd/securityinfos_pk_std13.hex", false, true},
	{"gmrtd/securityinfos_efdir_badoid.hex", false, true},
	{"gmrtd/dg14_at.hex", true, true},
	{"gmrtd/dg14_my.hex", true, false},
	{"gmrtd/dg14_bp384.hex", true, false},
	{"synthetic/dg14_ca_aa.hex", true, true},
}
