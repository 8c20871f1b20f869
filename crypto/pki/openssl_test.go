package pki_test

import (
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/tlv"
	"github.com/stretchr/testify/require"
)

func needOpenSSL(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed: cross-checks skipped")
	}
	return p
}

func openssl(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "openssl %s:\n%s", strings.Join(args, " "), out)
	return string(out)
}

func opensslFails(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "openssl %s should fail:\n%s", strings.Join(args, " "), out)
	return string(out)
}

func writePEM(t *testing.T, path, typ string, der ...[]byte) {
	t.Helper()
	var b []byte
	for _, d := range der {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: d})...)
	}
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

// TestOpenSSLVerifiesOurSOD: openssl cms -verify accepts the SODs this
// package signs, and openssl verify the certificates and CRL of the test
// PKI, for every key type (brainpool and explicit parameters included).
func TestOpenSSLVerifiesOurSOD(t *testing.T) {
	needOpenSSL(t)
	for _, k := range keyTypes {
		t.Run(k.String(), func(t *testing.T) {
			p := testPKI(t, k)
			dir := t.TempDir()
			at := strconv.FormatInt(testNow.Add(time.Hour).Unix(), 10)
			sod, err := p.SignSOD(p.DS, cccdDataGroups(), testNow)
			require.NoError(t, err)
			outer, err := tlv.ParseOne(sod)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "sod.cms"), outer.Value, 0o600))
			writePEM(t, filepath.Join(dir, "csca.pem"), "CERTIFICATE", p.CSCA.Cert.Raw)
			writePEM(t, filepath.Join(dir, "ds.pem"), "CERTIFICATE", p.DS.Cert.Raw)
			writePEM(t, filepath.Join(dir, "revoked.pem"), "CERTIFICATE", p.RevokedDS.Cert.Raw)
			writePEM(t, filepath.Join(dir, "link.pem"), "CERTIFICATE", p.Link.Raw)
			writePEM(t, filepath.Join(dir, "ds2.pem"), "CERTIFICATE", p.NewDS.Cert.Raw)
			writePEM(t, filepath.Join(dir, "crl.pem"), "X509 CRL", p.CRL)

			if k == pkitest.BrainpoolP512r1Explicit {
				// OpenSSL 3 refuses CA certificates with explicit EC
				// parameters in chain building (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS,
				// "Certificate public key has explicit ECC parameters"), which
				// is why this package parses them itself. Check the same
				// facts without chain building: the SOD signature, and each
				// certificate and CRL signature with the CSCA public key.
				out := opensslFails(t, dir, "verify", "-attime", at, "-CAfile", "csca.pem", "ds.pem")
				require.Contains(t, out, "explicit ECC parameters")
				out = openssl(t, dir, "x509", "-in", "csca.pem", "-noout", "-text")
				require.Contains(t, out, "Field Type: prime-field")
				openssl(t, dir, "cms", "-verify", "-noverify", "-inform", "DER", "-binary", "-in", "sod.cms", "-out", "lds.der")
				openssl(t, dir, "x509", "-in", "csca.pem", "-pubkey", "-noout", "-out", "csca-pub.pem")
				for name, signed := range map[string]struct{ tbs, sig []byte }{
					"ds":      {p.DS.Cert.RawTBS, p.DS.Cert.Signature},
					"link":    {p.Link.RawTBS, p.Link.Signature},
					"csca":    {p.CSCA.Cert.RawTBS, p.CSCA.Cert.Signature},
					"crl":     {crlOf(t, p.CRL).RawTBS, crlOf(t, p.CRL).Signature},
					"revoked": {p.RevokedDS.Cert.RawTBS, p.RevokedDS.Cert.Signature},
				} {
					require.NoError(t, os.WriteFile(filepath.Join(dir, name+".tbs"), signed.tbs, 0o600))
					require.NoError(t, os.WriteFile(filepath.Join(dir, name+".sig"), signed.sig, 0o600))
					openssl(t, dir, "dgst", "-sha256", "-verify", "csca-pub.pem", "-signature", name+".sig", name+".tbs")
				}
			} else {
				openssl(t, dir, "cms", "-verify", "-inform", "DER", "-binary", "-in", "sod.cms", "-CAfile", "csca.pem",
					"-attime", at, "-purpose", "any", "-out", "lds.der")
				openssl(t, dir, "verify", "-attime", at, "-CAfile", "csca.pem", "ds.pem")
				openssl(t, dir, "verify", "-attime", at, "-CAfile", "csca.pem", "-crl_check", "-CRLfile", "crl.pem", "ds.pem")
				out := opensslFails(t, dir, "verify", "-attime", at, "-CAfile", "csca.pem", "-crl_check", "-CRLfile", "crl.pem", "revoked.pem")
				require.Contains(t, out, "revoked")
				openssl(t, dir, "verify", "-attime", at, "-CAfile", "csca.pem", "-untrusted", "link.pem", "ds2.pem")
				openssl(t, dir, "crl", "-in", "crl.pem", "-CAfile", "csca.pem", "-noout")
			}
			lds, err := os.ReadFile(filepath.Join(dir, "lds.der"))
			require.NoError(t, err)
			parsed, err := pki.ParseSOD(sod)
			require.NoError(t, err)
			require.Equal(t, parsed.LDS, lds)
		})
	}
}

// TestOpenSSLSignedSOD: a SOD that openssl cms -sign made (CSCA and DS
// made by openssl too) passes this package's passive authentication.
func TestOpenSSLSignedSOD(t *testing.T) {
	needOpenSSL(t)
	for _, tc := range []struct {
		name   string
		keyArg []string
	}{
		{"brainpoolP256r1", []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:brainpoolP256r1"}},
		{"P-256", []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}},
		{"RSA-PSS", []string{"-newkey", "rsa:2048"}},
		{"P-256 streamed BER", []string{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			openssl(t, dir, append(append([]string{"req", "-x509"}, tc.keyArg...),
				"-nodes", "-keyout", "csca.key", "-out", "csca.pem", "-days", "3650", "-subj", "/C=VN/O=openssl test/CN=CSCA",
				"-addext", "basicConstraints=critical,CA:TRUE,pathlen:0", "-addext", "keyUsage=critical,keyCertSign,cRLSign")...)
			openssl(t, dir, append(append([]string{"req"}, tc.keyArg...),
				"-nodes", "-keyout", "ds.key", "-out", "ds.csr", "-subj", "/C=VN/O=openssl test/CN=DS")...)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "ds.ext"), []byte("keyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n"), 0o600))
			openssl(t, dir, "x509", "-req", "-in", "ds.csr", "-CA", "csca.pem", "-CAkey", "csca.key", "-set_serial", "4660",
				"-days", "365", "-extfile", "ds.ext", "-out", "ds.pem")

			dgs := cccdDataGroups()
			lds := sodLDS(t, dgs)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "lds.der"), lds, 0o600))
			args := []string{"cms", "-sign", "-nodetach", "-binary", "-outform", "DER", "-md", "sha256",
				"-econtent_type", "2.23.136.1.1.1", "-signer", "ds.pem", "-inkey", "ds.key", "-in", "lds.der", "-out", "sod.cms"}
			if tc.name == "RSA-PSS" {
				args = append(args, "-keyopt", "rsa_padding_mode:pss")
			}
			if strings.HasSuffix(tc.name, "BER") {
				args = append(args, "-stream") // indefinite lengths
			}
			openssl(t, dir, args...)
			cms, err := os.ReadFile(filepath.Join(dir, "sod.cms"))
			require.NoError(t, err)
			sod := tlv.AppendTLV(nil, pki.SODTag, cms)

			caPEM, err := os.ReadFile(filepath.Join(dir, "csca.pem"))
			require.NoError(t, err)
			trust := pki.NewTrustStore()
			require.NoError(t, trust.AddCertificates(caPEM))
			r := pki.Verify(sod, dgs, trust, nil)
			for _, c := range r.Checks {
				if c.Name == pki.CheckRevocation {
					require.Equal(t, check.NotRun, c.Status)
					continue
				}
				require.Equal(t, check.Passed, c.Status, "%s: %v", c.Name, c.Err)
			}
			require.True(t, r.Valid, "%v", r.Err())
			require.False(t, r.SigningTime.IsZero(), "openssl adds signing-time")
			require.Equal(t, strings.HasSuffix(tc.name, "BER"), r.SOD.SignedData.BER)
			if tc.name == "RSA-PSS" {
				require.Equal(t, pki.RSAPSS, r.SOD.SignedData.SignerInfos[0].SignatureAlgorithm.Scheme)
			}
			dgs[13][7] ^= 1
			require.False(t, pki.Verify(sod, dgs, trust, nil).Valid)
		})
	}
}

func crlOf(t *testing.T, der []byte) *pki.CRL {
	t.Helper()
	l, err := pki.ParseCRL(der)
	require.NoError(t, err)
	return l
}
