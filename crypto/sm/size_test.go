package sm

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/tlv"
)

func TestMaxPlainResponse(t *testing.T) {
	require.Equal(t, 223, MaxPlainResponse(256, 16))
	require.Equal(t, 231, MaxPlainResponse(256, 8))
	// The largest extended response.
	n := MaxPlainResponse(65536, 16)
	require.Equal(t, 65503, n)
	// Check the formula against the sizes it claims, for many limits.
	for _, block := range []int{8, 16} {
		for limit := 32; limit <= 65536+37; limit += 37 {
			n := MaxPlainResponse(limit, block)
			limit := min(limit, 65536)
			if n == 0 {
				require.Greater(t, wrapped(0, block), limit)
				continue
			}
			require.LessOrEqual(t, wrapped(n, block), limit, "limit %d block %d", limit, block)
			require.Greater(t, wrapped(n+1, block), limit, "limit %d block %d: %d+1 fits", limit, block, n)
		}
	}
}

// wrapped is the size of a protected response carrying n plain bytes.
func wrapped(n, block int) int {
	padded := (n/block + 1) * block
	return 1 + tlv.LengthLen(padded+1) + 1 + padded + 4 + 10
}
