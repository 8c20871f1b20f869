package chip

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

// unhex decodes hex with any whitespace.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	require.NoError(t, err)
	return b
}

// vector reads a .hex file under testdata.
func vector(t testing.TB, name string) []byte {
	t.Helper()
	s, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return unhex(t, string(s))
}

// cmpOpts treat nil and empty slices alike (an empty field is an absent
// one) and compare byte slices with bytes.Equal, which is fast on images.
var cmpOpts = []cmp.Option{
	cmp.Comparer(bytes.Equal),
	cmp.FilterValues(func(x, y any) bool {
		_, isBytes := x.([]byte)
		return !isBytes
	}, cmpopts.EquateEmpty()),
	cmp.AllowUnexported(Document{}),
}

func requireEqual(t testing.TB, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts...); d != "" {
		t.Fatalf("mismatch (-want +got):\n%s", d)
	}
}
