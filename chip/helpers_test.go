package chip

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

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
