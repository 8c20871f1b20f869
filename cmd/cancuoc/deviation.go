package main

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// The Deviation List Signer of a test PKI (pki init writes it).
const (
	pkiDLDir  = "dl"
	pkiDLCert = "dl-signer.pem"
	pkiDLKey  = "dl-signer-key.pem"
)

// deviationTypes name the deviation types of Doc 9303-12 §10 on the
// command line.
var deviationTypes = map[string]asn1.ObjectIdentifier{
	"cert-or-key":           conform.OIDDeviationCertOrKey,
	"ds-encoding":           conform.OIDDeviationDSEncoding,
	"csca-encoding":         conform.OIDDeviationCSCAEncoding,
	"lds":                   conform.OIDDeviationLDS,
	"dg-malformed":          conform.OIDDeviationDGMalformed,
	"com-inconsistent":      conform.OIDDeviationCOMInconsistent,
	"mrz":                   conform.OIDDeviationMRZ,
	"mrz-wrong-data":        conform.OIDDeviationMRZWrongData,
	"mrz-wrong-check-digit": conform.OIDDeviationMRZWrongCheckDigit,
	"chip":                  conform.OIDDeviationChip,
}

// runDeviationList signs a deviation list (Doc 9303-12 §10) with a test
// PKI's Deviation List Signer: one deviation, for the documents the flags
// select.
func runDeviationList(e *env, args []string) error {
	const usage = "deviation-list --test-pki DIR --type TYPE [--param N|OID] [--description TEXT] [--document-type T] [--document-number N]... [--ds-cert FILE] --out FILE"
	fs := flags(e, "pki", usage)
	dir := fs.String("test-pki", "", "the test PKI directory of 'cancuoc pki init' (its dl/ signs the list)")
	typ := fs.String("type", "", "the deviation type: "+strings.Join(sortedKeys(deviationTypes), ", "))
	param := fs.String("param", "", "its parameter: a data group number (dg-malformed: 1-16, 20 EF.SOD, 21 EF.COM), an MRZ field number (mrz-*: 1 code, 2 state, 3 name, 4 number, 5 nationality, 6 birth, 7 sex, 8 expiry, 9 optional data), or a certificate field number or extension OID (ds-/csca-encoding)")
	desc := fs.String("description", "", "the deviation in words")
	docType := fs.String("document-type", "", "select documents of this MRZ document code (P<, ID)")
	var numbers []string
	fs.Func("document-number", "select this document number (repeatable)", func(s string) error {
		numbers = append(numbers, s)
		return nil
	})
	dsCert := fs.String("ds-cert", "", "select documents signed by this Document Signer certificate (PEM or DER)")
	out := fs.String("out", "", "write the list (DER) here")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" || *out == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: cancuoc pki %s", errUsage, usage)
	}
	oid, ok := deviationTypes[*typ]
	if !ok {
		return fmt.Errorf("%w: unknown deviation type %q", errUsage, *typ)
	}
	dd := conform.DeviationDescription{Description: *desc, Type: oid}
	if *param != "" {
		if n, err := strconv.Atoi(*param); err == nil && n >= 0 && n <= 255 {
			dd.Parameters = conform.DatagroupParam(n) // an INTEGER, whatever it numbers
		} else {
			var o asn1.ObjectIdentifier
			for _, part := range strings.Split(*param, ".") {
				v, err := strconv.Atoi(part)
				if err != nil || v < 0 {
					return fmt.Errorf("%w: --param %q is neither a number nor an OID", errUsage, *param)
				}
				o = append(o, v)
			}
			if len(o) < 2 {
				return fmt.Errorf("%w: --param %q is neither a number nor an OID", errUsage, *param)
			}
			dd.Parameters = conform.CertExtensionParam(o)
		}
	}
	docs := conform.DeviationDocuments{DocumentType: *docType, DocumentNumbers: numbers}
	if *dsCert != "" {
		b, err := readFileMax(*dsCert, pki.MaxCertificateSize*2)
		if err != nil {
			return err
		}
		certs, err := pki.ParseCertificatePEM(b)
		if err != nil {
			return err
		}
		docs.DSIssuer, docs.DSSerialNumber = certs[0].Issuer.Raw, certs[0].SerialNumber
	}
	key, cert, err := pki.LoadSigner(filepath.Join(*dir, pkiDLDir, pkiDLKey), filepath.Join(*dir, pkiDLDir, pkiDLCert))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("%s has no Deviation List Signer (%s/): make it again with 'cancuoc pki init'", *dir, pkiDLDir)
	}
	if err != nil {
		return err
	}
	der, err := conform.CreateDeviationList(&conform.DeviationList{Deviations: []conform.Deviation{{Documents: docs, Descriptions: []conform.DeviationDescription{dd}}}},
		key, cert, &pki.SignedDataConfig{SigningTime: time.Now()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, der, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "deviation list (%s) signed by %s in %s: give it to 'cancuoc read --deviation-list' with the PKI's trust/\n", *typ, cert.Subject, *out)
	return nil
}

func sortedKeys(m map[string]asn1.ObjectIdentifier) []string {
	return slices.Sorted(maps.Keys(m))
}
