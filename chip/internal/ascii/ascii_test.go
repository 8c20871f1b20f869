package ascii

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDigits(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want bool
	}{
		{"0107", 4, true},
		{"040000", 6, true},
		{"", 0, true},
		{"0107", 3, false},
		{"0107", 5, false},
		{"01.7", 4, false},
		{"/:09", 4, false}, // '/' and ':' border the digits
		{"０１", 6, false},   // full-width digits are not ASCII (6 bytes)
		{"12345678901a", 12, false},
	} {
		require.Equal(t, tc.want, Digits(tc.s, tc.n), "%q %d", tc.s, tc.n)
	}
}
