package issuance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFaceImageLimit: a face image is read up to DG2's size limit, not
// whole (a file larger than the limit), and never from a device:
// /dev/zero never ends.
func TestFaceImageLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.jpg")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(MaxImageFile+1024)) // sparse: no disk used
	require.NoError(t, f.Close())
	for path, want := range map[string]string{big: "larger than", "/dev/zero": "not a regular file"} {
		h, err := DecodeHolder(strings.NewReader(`{"profile":"cccd","personal_number":"001090012345","full_name":"An","date_of_birth":"1990-01-01","date_of_expiry":"2035-01-01","sex":"M","face_image":"` + path + `"}`))
		require.NoError(t, err)
		_, err = h.Document()
		require.ErrorIs(t, err, ErrHolder)
		require.Contains(t, err.Error(), want)
	}
}
