package ec

import (
	"crypto"
	_ "crypto/sha256"
	_ "crypto/sha3"
	_ "crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The Wycheproof test vectors (C2SP/wycheproof, Apache License 2.0) are
// not copied into this repository: the tests download the repository at a
// pinned version through the Go module proxy (go mod download, so it lands
// in the module cache and is checked against the checksum database) and
// read the JSON files from there, as golang.org/x/crypto's tests do.
// Without network or the go command the tests skip, except with CI=true,
// where a missing download is a failure.
const wycheproofModule = "github.com/C2SP/wycheproof@v0.0.0-20250901140545-b51abcfb8daf"

var wycheproofDir = sync.OnceValues(func() (string, error) {
	out, err := exec.Command("go", "mod", "download", "-json", wycheproofModule).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
		return "", err
	}
	var m struct{ Dir string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", err
	}
	return filepath.Join(m.Dir, "testvectors_v1"), nil
})

// wycheproofFile decodes a vector file into v.
func wycheproofFile(t *testing.T, name string, v any) {
	t.Helper()
	dir, err := wycheproofDir()
	if err != nil {
		require.NotEqual(t, "true", os.Getenv("CI"), "download of %s: %v", wycheproofModule, err)
		t.Skipf("Wycheproof vectors not available (%v): set CI=true to make this a failure", err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, v))
}

var brainpoolNames = []string{"brainpoolP224r1", "brainpoolP256r1", "brainpoolP320r1", "brainpoolP384r1", "brainpoolP512r1"}

// Every ECDH vector for the Brainpool curves: the peer key as a
// SubjectPublicKeyInfo (named or explicit parameters, compressed points),
// invalid and twist points, wrong curves and edge cases of the arithmetic.
// Valid cases must give the shared secret, invalid ones must fail, and
// acceptable ones may do either but never give a wrong secret.
func TestWycheproofECDHBrainpool(t *testing.T) {
	for _, name := range brainpoolNames {
		t.Run(name, func(t *testing.T) {
			var file struct {
				NumberOfTests int
				TestGroups    []struct {
					Curve, Encoding string
					Tests           []struct {
						TcID                    int
						Comment                 string
						Flags                   []string
						Public, Private, Shared string
						Result                  string
					}
				}
			}
			wycheproofFile(t, "ecdh_"+name+"_test.json", &file)
			c, err := ByName(name)
			require.NoError(t, err)
			// The files hold a few "invalid" cases whose bytes are those of
			// an "acceptable" case: "cofactor = 0" is encoded without the
			// cofactor, exactly as "cofactor = None". Such a case is held
			// to the acceptable rule: a result, if any, must be right.
			notInvalid := map[string]bool{}
			for _, g := range file.TestGroups {
				for _, tc := range g.Tests {
					if tc.Result != "invalid" {
						notInvalid[tc.Public+"/"+tc.Private] = true
					}
				}
			}
			n, same := 0, 0
			for _, g := range file.TestGroups {
				require.Equal(t, name, g.Curve)
				require.Equal(t, "asn", g.Encoding)
				for _, tc := range g.Tests {
					n++
					spki, err := hex.DecodeString(tc.Public)
					require.NoError(t, err)
					d, err := hex.DecodeString(tc.Private)
					require.NoError(t, err)
					priv, err := NewPrivateKey(c, d)
					require.NoError(t, err, "tcId %d", tc.TcID)
					var shared []byte
					pub, _, err := ParseSubjectPublicKeyInfo(spki)
					if err == nil && pub.Curve().Equal(c) {
						shared, err = priv.ECDH(pub)
					} else if err == nil {
						err = errors.New("another curve")
					}
					what := fmt.Sprintf("tcId %d (%s) %s %v", tc.TcID, tc.Result, tc.Comment, tc.Flags)
					result := tc.Result
					if result == "invalid" && notInvalid[tc.Public+"/"+tc.Private] {
						result = "acceptable"
						same++
						t.Logf("%s: same bytes as an acceptable case", what)
					}
					switch result {
					case "valid":
						require.NoError(t, err, what)
						require.Equal(t, tc.Shared, hex.EncodeToString(shared), what)
					case "invalid":
						require.Error(t, err, what)
					case "acceptable":
						if err == nil {
							require.Equal(t, tc.Shared, hex.EncodeToString(shared), what)
						}
					default:
						require.FailNow(t, "unknown result", what)
					}
				}
			}
			require.Equal(t, file.NumberOfTests, n)
			require.LessOrEqual(t, same, 1)
		})
	}
}

var wycheproofHashes = map[string]crypto.Hash{
	"SHA-224": crypto.SHA224, "SHA-256": crypto.SHA256, "SHA-384": crypto.SHA384, "SHA-512": crypto.SHA512,
	"SHA3-224": crypto.SHA3_224, "SHA3-256": crypto.SHA3_256, "SHA3-384": crypto.SHA3_384, "SHA3-512": crypto.SHA3_512,
}

// Every ECDSA verification vector for the Brainpool curves, DER
// (SHA-2 and SHA-3) and IEEE P1363 (plain r || s): valid signatures,
// malformed and BER encodings, out-of-range and special values of r and s,
// edge-case public keys and arithmetic errors.
func TestWycheproofECDSABrainpool(t *testing.T) {
	var files []string
	for _, name := range brainpoolNames {
		bits := strings.TrimSuffix(strings.TrimPrefix(name, "brainpoolP"), "r1")
		sha2 := map[string]string{"224": "sha224", "256": "sha256", "320": "sha384", "384": "sha384", "512": "sha512"}[bits]
		sha3 := map[string]string{"224": "sha3_224", "256": "sha3_256", "320": "sha3_384", "384": "sha3_384", "512": "sha3_512"}[bits]
		files = append(files,
			"ecdsa_"+name+"_"+sha2+"_test.json",
			"ecdsa_"+name+"_"+sha2+"_p1363_test.json",
			"ecdsa_"+name+"_"+sha3+"_test.json")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(f, "_test.json"), func(t *testing.T) {
			var file struct {
				NumberOfTests int
				TestGroups    []struct {
					Type         string
					PublicKeyDer string
					Sha          string
					Tests        []struct {
						TcID             int
						Comment          string
						Flags            []string
						Msg, Sig, Result string
					}
				}
			}
			wycheproofFile(t, f, &file)
			n := 0
			for _, g := range file.TestGroups {
				der, err := hex.DecodeString(g.PublicKeyDer)
				require.NoError(t, err)
				pub, _, err := ParseSubjectPublicKeyInfo(der)
				require.NoError(t, err)
				require.True(t, pub.Curve().IsNamed())
				h, ok := wycheproofHashes[g.Sha]
				require.True(t, ok, g.Sha)
				plain := g.Type == "EcdsaP1363Verify"
				for _, tc := range g.Tests {
					n++
					msg, err := hex.DecodeString(tc.Msg)
					require.NoError(t, err)
					sig, err := hex.DecodeString(tc.Sig)
					require.NoError(t, err)
					hh := h.New()
					hh.Write(msg)
					digest := hh.Sum(nil)
					var got bool
					if plain {
						got = pub.VerifyPlain(digest, sig)
					} else {
						got = pub.VerifyASN1(digest, sig)
					}
					what := fmt.Sprintf("tcId %d (%s) %s %v", tc.TcID, tc.Result, tc.Comment, tc.Flags)
					switch tc.Result {
					case "valid":
						require.True(t, got, what)
					case "invalid":
						require.False(t, got, what)
					case "acceptable":
					default:
						require.FailNow(t, "unknown result", what)
					}
				}
			}
			require.Equal(t, file.NumberOfTests, n)
		})
	}
}
