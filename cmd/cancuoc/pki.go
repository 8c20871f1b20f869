package main

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/reader"
)

// Layout of a test PKI directory written by "pki init".
const (
	pkiTrustDir = "trust"          // what verifiers trust: CSCA certificate and CRL
	pkiDSDir    = "ds"             // what the issuance station holds: DS key and certificate
	pkiCSCAFile = "csca.pem"       // in trust/
	pkiCRLFile  = "csca.crl"       // in trust/
	pkiMLFile   = "masterlist.der" // CSCA master list signed by the master list signer
	pkiDSCert   = "ds.pem"
	pkiDSKey    = "ds-key.pem"
	// Extended Access Control: the CVCA goes into cards, the DV and IS
	// certificates and the IS key to the terminals that read DG3/DG4.
	pkiEACDir = "eac"
	pkiCVCA   = "cvca.cvcert"
	pkiDV     = reader.TerminalDVFile
	pkiIS     = reader.TerminalISFile
	pkiISKey  = reader.TerminalKeyFile
)

var keyTypes = map[string]pkitest.KeyType{
	"rsa2048": pkitest.RSA2048, "p256": pkitest.P256, "p384": pkitest.P384,
	"brainpoolP256r1": pkitest.BrainpoolP256r1,
}

func runPKI(e *env, args []string) error {
	if len(args) > 0 && args[0] == "deviation-list" {
		return runDeviationList(e, args[1:])
	}
	if len(args) == 0 || args[0] != "init" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(e.stderr, "usage: cancuoc pki init [--key TYPE] [--seed S] DIR\n       cancuoc pki deviation-list --test-pki DIR --type TYPE [--param P] [--document-number N]... --out FILE")
			return nil
		}
		return fmt.Errorf("%w: cancuoc pki init [--key TYPE] [--seed S] DIR | cancuoc pki deviation-list --test-pki DIR --type TYPE ... --out FILE", errUsage)
	}
	fs := flags(e, "pki", "init [--key TYPE] [--seed S] [--pkcs11 MODULE --token LABEL [--key-label L] [--csca-in-token] (--pin-env VAR | --pin-file F)] DIR")
	kt := fs.String("key", "p256", "key type of the CSCA and DS: rsa2048, p256, p384, brainpoolP256r1 (in a token too, when it takes the curve)")
	seed := fs.String("seed", "cancuoc test PKI", "seed of the deterministic keys (test keys protect nothing)")
	pf := addPKCS11Flags(fs)
	cscaInToken := fs.Bool("csca-in-token", false, "with --pkcs11: make the CSCA key in the token too")
	cscaKeyLabel := fs.String("csca-label", cscaLabel, "with --csca-in-token: label of the CSCA key pair in the token")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: want one directory", errUsage)
	}
	k, ok := keyTypes[*kt]
	if !ok {
		return fmt.Errorf("%w: unknown key type %q", errUsage, *kt)
	}
	dir := fs.Arg(0)
	cfg := pkitest.Config{Seed: *seed, Now: time.Now().Add(-24 * time.Hour), CSCA: k, DS: k}
	var ref *pkcs11Ref
	if pf.set() {
		// The Document Signer key (and the CSCA's, if asked) is made
		// in the token and never leaves it; ds/ gets its certificate
		// and where the key is.
		tok, err := openPKCS11(pf)
		if err != nil {
			return err
		}
		defer tok.Close()
		hk, err := hsm.ParseKeyType(*kt)
		if err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		ds, err := tok.GenerateKey(*pf.keyLabel, hk)
		if err != nil {
			return err
		}
		cfg.DSKey = ds
		if *cscaInToken {
			csca, err := tok.GenerateKey(*cscaKeyLabel, hk)
			if err != nil {
				return err
			}
			cfg.CSCAKey = csca
		}
		ref = &pkcs11Ref{Module: *pf.module, Token: *pf.token, KeyLabel: *pf.keyLabel}
	} else if *cscaInToken {
		return fmt.Errorf("%w: --csca-in-token needs --pkcs11 and --token", errUsage)
	}
	p, err := pkitest.New(cfg)
	if err != nil {
		return err
	}
	dsKeyFile := struct {
		name string
		data []byte
	}{pkiDSKey, nil}
	if ref != nil {
		if dsKeyFile.data, err = json.MarshalIndent(ref, "", "  "); err != nil {
			return err
		}
		dsKeyFile.name = pkiPKCS11File
	} else if dsKeyFile.data, err = privateKeyPEM(p.DS.Key); err != nil {
		return err
	}
	ml, err := p.MasterList()
	if err != nil {
		return err
	}
	dl, err := p.DeviationListSigner()
	if err != nil {
		return err
	}
	dlKey, err := privateKeyPEM(dl.Key)
	if err != nil {
		return err
	}
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: time.Now().Add(-24 * time.Hour),
		Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: pkitest.SeedReader(*seed + " CVCA")})
	if err != nil {
		return err
	}
	isKey, err := aa.MarshalPrivateKey(h.ISKey)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{filepath.Join(dir, pkiTrustDir, pkiCSCAFile), certPEM(p.CSCA.Cert), 0o644},
		{filepath.Join(dir, pkiTrustDir, pkiCRLFile), p.CRL, 0o644},
		{filepath.Join(dir, pkiMLFile), ml, 0o644},
		{filepath.Join(dir, pkiDSDir, pkiDSCert), certPEM(p.DS.Cert), 0o644},
		{filepath.Join(dir, pkiDSDir, dsKeyFile.name), dsKeyFile.data, 0o600},
		{filepath.Join(dir, pkiDLDir, pkiDLCert), certPEM(dl.Cert), 0o644},
		{filepath.Join(dir, pkiDLDir, pkiDLKey), dlKey, 0o600},
		{filepath.Join(dir, pkiEACDir, pkiCVCA), h.CVCA.Raw, 0o644},
		{filepath.Join(dir, pkiEACDir, pkiDV), h.DV.Raw, 0o644},
		{filepath.Join(dir, pkiEACDir, pkiIS), h.IS.Raw, 0o644},
		{filepath.Join(dir, pkiEACDir, pkiISKey), isKey, 0o600},
	} {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(f.path, f.data, f.mode); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "test PKI in %s: %s/ (CSCA, CRL: give to verifiers), %s/ (Document Signer key and certificate: for issuance), %s, %s/ (Deviation List Signer: see 'cancuoc pki deviation-list'), %s/ (CVCA for cards; DV, IS and IS key for terminals reading DG3/DG4)\n",
		dir, pkiTrustDir, pkiDSDir, pkiMLFile, pkiDLDir, pkiEACDir)
	derived := "every key here (CSCA, Document Signer, master list signer, deviation list signer, CVCA, DV, IS)"
	if ref != nil {
		derived = "the keys here other than those in the token"
	}
	fmt.Fprintf(e.stderr, "*** TEST PKI ONLY: %s derives from the public seed %q: anyone can recompute it. Use it for tests, never to issue or trust real documents.\n", derived, *seed)
	if ref != nil {
		where := "the CSCA key is a test key derived from --seed"
		if *cscaInToken {
			where = "so is the CSCA key (label " + *cscaKeyLabel + ")"
		}
		fmt.Fprintf(e.stdout, "Document Signer key %q (%s) made in token %q and not extractable; %s\n", *pf.keyLabel, *kt, *pf.token, where)
	}
	return nil
}

func certPEM(c *pki.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// privateKeyPEM writes a key as PKCS#8 PEM ("PRIVATE KEY"), which
// pki.LoadSigner and OpenSSL read: by crypto/x509 for RSA and the NIST
// curves, and for the other curves (brainpool), which crypto/x509 cannot
// write, as a PrivateKeyInfo of id-ecPublicKey with the namedCurve around
// the key's RFC 5915 ECPrivateKey.
func privateKeyPEM(k crypto.Signer) ([]byte, error) {
	if d, ok := k.(pkitest.DeterministicSigner); ok {
		k = d.PrivateKey
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if ek, ok := k.(*ec.PrivateKey); ok && err != nil {
		der, err = ecPKCS8(ek)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot write this key type as PKCS#8: %w", err)
	}
	defer clear(der)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ecPKCS8 is the PKCS#8 PrivateKeyInfo (RFC 5208, RFC 5915 §3) of an EC key
// on a named curve crypto/x509 does not know.
func ecPKCS8(k *ec.PrivateKey) ([]byte, error) {
	inner, err := aa.MarshalPrivateKey(k) // RFC 5915 ECPrivateKey
	if err != nil {
		return nil, err
	}
	defer clear(inner)
	params, err := ec.MarshalECParameters(k.Curve(), false)
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(0)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(ec.OIDPublicKeyEC)
			b.AddBytes(params)
		})
		b.AddASN1OctetString(inner)
	})
	return b.Bytes()
}
