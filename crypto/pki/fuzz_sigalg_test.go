package pki_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"testing"

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
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, k := range []pkitest.KeyType{pkitest.P256, pkitest.RSA2048} {
		p, err := pkitest.New(pkitest.Config{Seed: "fuzz sigalg", Now: testNow, CSCA: k, DS: k})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p.DS.Cert.SignatureAlgorithm.Raw)
	}
	f.Fuzz(func(t *testing.T, der []byte) {
		a, err := pki.ParseSignatureAlgorithm(der)
		if err != nil {
			checkParseError(t, err)
			return
		}
		if !bytes.Equal(a.Raw, der) {
			t.Fatalf("Raw %x, want %x", a.Raw, der)
		}
		if len(a.OID) == 0 {
			t.Fatal("accepted without an OID")
		}
		if a.Scheme == pki.UnknownScheme && a.Err == nil {
			t.Fatal("an unknown algorithm without Err")
		}
		if a.Err != nil && !errors.Is(a.Err, pki.ErrUnsupportedAlgorithm) {
			t.Fatalf("Err %v is not ErrUnsupportedAlgorithm", a.Err)
		}
		b, err := pki.ParseSignatureAlgorithm(a.Raw)
		if err != nil || b.String() != a.String() || b.Scheme != a.Scheme || b.Hash != a.Hash {
			t.Fatalf("parsing Raw again: %v, %v", b, err)
		}
	})
}
