package issuance

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFaceImageLimit: a face image is read up to DG2's size limit, not
// whole: /dev/zero never ends.
func TestFaceImageLimit(t *testing.T) {
	h, err := DecodeHolder(strings.NewReader(`{"profile":"cccd","personal_number":"001090012345","full_name":"An","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01","sex":"M","face_image":"/dev/zero"}`))
	require.NoError(t, err)
	_, err = h.Document()
	require.ErrorIs(t, err, ErrHolder)
	require.Contains(t, err.Error(), "larger than")
}
