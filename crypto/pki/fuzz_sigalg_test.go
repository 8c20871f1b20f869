package pki_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// FuzzParseSignatureAlgorithm: no panic; a malformed AlgorithmIdentifier
// is a *ParseError; an accepted one keeps its bytes in Raw, parses the
// same again, and an algorithm it cannot use says why (Err).
func FuzzParseSignatureAlgorithm(f *testing.F) {
	for _, h := range []string{
		"300a06082a8648ce3d040302",       // ecdsa-with-SHA256
		"300d06092a864886f70d01010b0500", // sha256WithRSAEncryption, NULL
		"300b06092a864886f70d01010b",     // the same, no parameters
		"300c060a04007f00070101040103",   // ecdsa-plain-SHA256 (BSI)
		"300906072a8648ce3d0201",         // id-ecPublicKey
		"300606042a030405",               // unknown
		"300d06092a864886f70d01010b0501", // bad NULL
		"3041" + "06092a864886f70d01010a" + "3034" + // RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32
			"a00f300d06096086480165030402010500" +
			"a11c301a06092a864886f70d010108300d06096086480165030402010500" +
			"a203020120",
	} {
		b, err := hex.DecodeString(h)
		require.NoError(f, err)
		f.Add(b)
	}
	for _, k := range []pkitest.KeyType{pkitest.P256, pkitest.RSA2048} {
		p, err := pkitest.New(pkitest.Config{Seed: "fuzz sigalg", Now: testNow, CSCA: k, DS: k})
		require.NoError(f, err)
		f.Add(p.DS.Cert.SignatureAlgorithm.Raw)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		a, err := pki.ParseSignatureAlgorithm(der)
		if err != nil {
			checkParseError(t, err)
			return
		}
		require.True(t, bytes.Equal(a.Raw, der), "Raw %x, want %x", a.Raw, der)
		require.NotEqual(t, 0, len(a.OID), "accepted without an OID")
		require.False(t, a.Scheme == pki.UnknownScheme && a.Err == nil, "an unknown algorithm without Err")
		require.False(t, a.Err != nil && !errors.Is(a.Err, pki.ErrUnsupportedAlgorithm), "Err %v is not ErrUnsupportedAlgorithm", a.Err)
		b, err := pki.ParseSignatureAlgorithm(a.Raw)
		require.NoError(t, err, "parsing Raw again: %v,", b)
		require.Equal(t, a.String(), b.String(), "parsing Raw again: %v, %v", b, err)
		require.Equal(t, a.Scheme, b.Scheme, "parsing Raw again: %v, %v", b, err)
		require.Equal(t, a.Hash, b.Hash, "parsing Raw again: %v, %v", b, err)
	})
}
