package pki

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestRevocationString: every state prints, one out of range too (it
// panicked with an index out of range).
func TestRevocationString(t *testing.T) {
	for r, want := range map[Revocation]string{RevocationUnknown: "unknown", CRLFresh: "fresh", CRLInvalid: "invalid",
		Revocation(42): "Revocation(42)", Revocation(-1): "Revocation(-1)"} {
		require.NotPanics(t, func() { _ = fmt.Sprint(r) })
		require.Equal(t, want, r.String())
	}
}
