package ec

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// Wycheproof ECDH on brainpoolP256r1: public keys as SubjectPublicKeyInfo
// (uncompressed and compressed), shared secrets whose x-coordinate is an
// edge case (1, 2, 3, p-1, p-3, repeating bit patterns), which exercise
// the reductions of the field arithmetic.
func TestWycheproofECDHBrainpoolP256r1(t *testing.T) {
	raw, err := os.ReadFile("testdata/wycheproof/ecdh_brainpoolP256r1_excerpt.json")
	require.NoError(t, err)
	var file struct {
		Curve string
		Tests []struct {
			TcID    int
			Comment string
			Result  string
			Public  string
			Private string
			Shared  string
		}
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	c, err := ByName(file.Curve)
	require.NoError(t, err)
	require.NotEmpty(t, file.Tests)
	for _, tc := range file.Tests {
		t.Run(fmt.Sprintf("tcId %d", tc.TcID), func(t *testing.T) {
			spki, err := hex.DecodeString(tc.Public)
			require.NoError(t, err)
			d, err := hex.DecodeString(tc.Private)
			require.NoError(t, err)
			pub, _, err := ParseSubjectPublicKeyInfo(spki)
			if tc.Result == "invalid" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err, tc.Comment)
			require.Same(t, c, pub.Curve())
			priv, err := NewPrivateKey(c, d)
			require.NoError(t, err)
			z, err := priv.ECDH(pub)
			require.NoError(t, err)
			require.Equal(t, tc.Shared, hex.EncodeToString(z), tc.Comment)
		})
	}
}

// Wycheproof ECDSA (IEEE P1363 = plain r || s) on brainpoolP256r1 with
// SHA-256: a valid signature and range/special-value forgeries.
func TestWycheproofECDSABrainpoolP256r1(t *testing.T) {
	raw, err := os.ReadFile("testdata/wycheproof/ecdsa_brainpoolP256r1_sha256_p1363_excerpt.json")
	require.NoError(t, err)
	var file struct {
		PublicKeyDer string
		Tests        []struct {
			TcID    int
			Comment string
			Msg     string
			Sig     string
			Result  string
		}
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	der, err := hex.DecodeString(file.PublicKeyDer)
	require.NoError(t, err)
	pub, _, err := ParseSubjectPublicKeyInfo(der)
	require.NoError(t, err)
	require.Same(t, BrainpoolP256r1(), pub.Curve())
	valid := 0
	for _, tc := range file.Tests {
		msg, err := hex.DecodeString(tc.Msg)
		require.NoError(t, err)
		sig, err := hex.DecodeString(tc.Sig)
		require.NoError(t, err)
		digest := sha256.Sum256(msg)
		got := pub.VerifyPlain(digest[:], sig)
		require.Equal(t, tc.Result == "valid", got, "tcId %d: %s", tc.TcID, tc.Comment)
		if got {
			valid++
			// The same signature in DER verifies too.
			d, err := PlainToASN1(pub.Curve(), sig)
			require.NoError(t, err)
			require.True(t, pub.VerifyASN1(digest[:], d))
		}
	}
	require.Equal(t, 1, valid)
}
