package pki_test

import (
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// Issue a document's EF.SOD with a test PKI, then run passive
// authentication on what a reader would read.
func Example() {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	dataGroups := map[int][]byte{
		1:  {0x61, 0x03, 0x5F, 0x1F, 0x00}, // DG1 (MRZ), shortened
		13: {0x6D, 0x01, 0x00},             // DG13 (CCCD national data), shortened
	}
	sod, err := p.SignSOD(p.DS, dataGroups, now)
	if err != nil {
		panic(err)
	}

	// The verifier's clock; nil (a nil *VerifyConfig) would be time.Now.
	config := &pki.VerifyConfig{Time: func() time.Time { return now.Add(time.Hour) }}
	r := pki.Verify(sod, dataGroups, p.Trust(), config)
	fmt.Println("valid:", r.Valid)
	fmt.Println("signed by:", r.Signer.Subject)
	fmt.Println("CSCA:", r.Chain[len(r.Chain)-1].Subject)
	for _, c := range r.Checks {
		fmt.Printf("%s: %s\n", c.Name, c.Status)
	}

	dataGroups[13][2] = 1 // altered after issuance
	r = pki.Verify(sod, dataGroups, p.Trust(), config)
	fmt.Println("valid:", r.Valid, "DG13:", r.DataGroups[1].Status)
	// Output:
	// valid: true
	// signed by: C=VN, O=cancuoc test PKI, CN=DS VN TEST ds1
	// CSCA: C=VN, O=cancuoc test PKI, CN=CSCA VN TEST
	// SOD structure: passed
	// content type: passed
	// message digest: passed
	// signer certificate: passed
	// SOD signature: passed
	// data group hashes: passed
	// certificate chain: passed
	// validity: passed
	// key usage: passed
	// revocation: passed
	// valid: false DG13: MISMATCH
}

// A verifier's trust store from a CSCA master list.
func ExampleVerifyMasterList() {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	ml, err := p.MasterList()
	if err != nil {
		panic(err)
	}
	// The CSCA that vouches for the list, obtained out of band.
	anchor := pki.NewTrustStore()
	anchor.AddCSCA(p.CSCA.Cert)
	list, err := pki.VerifyMasterList(ml, anchor, &pki.VerifyConfig{Time: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	trust := pki.NewTrustStore()
	if err := trust.AddMasterList(list); err != nil {
		panic(err)
	}
	fmt.Println(len(trust.CSCAs()), "CSCA certificates, signed by", list.Signer.Subject.Get(pki.OIDCommonName))
	// Output: 3 CSCA certificates, signed by Master List Signer VN TEST
}
