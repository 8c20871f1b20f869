package issuance

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// DecodeHolder takes one whole record: a second record or stray bytes
// after it are refused (a batch line holding two holders must not issue
// one silently), and a record over MaxHolderSize says so.
func TestDecodeHolderWhole(t *testing.T) {
	b, err := os.ReadFile("testdata/holder-cccd-2023.json")
	require.NoError(t, err)
	rec := string(b)
	for _, tc := range []struct {
		name, in, err string
	}{
		{"one record", rec, ""},
		{"one record, blank lines after", rec + "\n\n \t\n", ""},
		{"two records", rec + `{"full_name": "SECOND"}`, "data after the record"},
		{"stray bytes", rec + "x", "data after the record"},
		{"too large", `{"full_name": "` + strings.Repeat("A", MaxHolderSize) + `"}`, "larger than 1048576 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := DecodeHolder(strings.NewReader(tc.in))
			if tc.err == "" {
				require.NoError(t, err)
				require.NotNil(t, h)
				return
			}
			require.ErrorIs(t, err, ErrHolder)
			require.ErrorContains(t, err, tc.err)
			require.Nil(t, h)
		})
	}
}
