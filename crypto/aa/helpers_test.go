package aa

import (
	"bytes"
	"context"
	"crypto"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

// readVector reads a testdata file of "name = hex" lines.
func readVector(t testing.TB, path string) map[string][]byte {
	t.Helper()
	return vectors.LoadHex(t, filepath.Join("testdata", path))
}

func bigInt(b []byte) *big.Int { return new(big.Int).SetBytes(b) }

// loadKey parses a key of testdata/keys.
func loadKey(t testing.TB, name string) crypto.Signer {
	t.Helper()
	der, err := os.ReadFile(filepath.Join("testdata", "keys", name))
	require.NoError(t, err)
	k, err := ParsePrivateKey(der)
	require.NoError(t, err, name)
	return k
}

// wire is a Transmitter that encodes each command and response to bytes
// and back, as a real reader does, around a chip side. It records the
// last command's bytes.
type wire struct {
	chip    *Chip
	last    []byte
	mangle  func([]byte) []byte // changes the response data when set
	answers int
}

func (w *wire) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	b, err := cmd.Bytes()
	if err != nil {
		return apdu.Response{}, err
	}
	w.last = b
	parsed, err := apdu.ParseCommand(b)
	if err != nil {
		return apdu.Response{}, err
	}
	resp, _ := w.chip.Handle(parsed)
	w.answers++
	if w.mangle != nil && resp.SW == apdu.SWSuccess {
		resp.Data = w.mangle(bytes.Clone(resp.Data))
	}
	return apdu.ParseResponse(resp.Bytes())
}

// zeroReader gives zero bytes, for exact tests.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// verifier is NewVerifier that must succeed.
func verifier(t testing.TB, pub crypto.PublicKey, info *secinfo.ActiveAuthenticationInfo) *Verifier {
	t.Helper()
	v, err := NewVerifier(pub, info)
	require.NoError(t, err)
	return v
}
