package pki

import (
	"crypto"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/chip"
)

// SignDocument is the issuance step of a chip.Document: it encodes the
// document's typed data groups, hashes every data group with h into an
// LDSSecurityObject, signs it as EF.SOD with the document signer, stores it
// in d.SOD, and returns the EF.SOD file bytes.
func SignDocument(d *chip.Document, h crypto.Hash, signer crypto.Signer, dsCert *Certificate, opts *SignedDataOptions) ([]byte, error) {
	if _, err := d.Encode(); err != nil {
		return nil, err
	}
	lso, err := d.SecurityObject(h)
	if err != nil {
		return nil, err
	}
	lds, err := lso.Encode()
	if err != nil {
		return nil, err
	}
	sod, err := SignSOD(lds, signer, dsCert, opts)
	if err != nil {
		return nil, err
	}
	if err := d.Set(chip.EFSOD, sod); err != nil {
		return nil, fmt.Errorf("pki: EF.SOD just signed does not parse: %w", err)
	}
	return sod, nil
}

// VerifyDocument runs passive authentication (VerifyWithOptions) on the
// files of a document read from a chip: its EF.SOD and every data group it
// holds. Documents without EF.SOD fail the structure check.
func VerifyDocument(d *chip.Document, trust *TrustStore, opts VerifyOptions) *Result {
	dgs := map[int][]byte{}
	for f, b := range d.Files() {
		if n := f.DataGroup(); n != 0 {
			dgs[n] = b
		}
	}
	return VerifyWithOptions(d.Raw(chip.EFSOD), dgs, trust, opts)
}

// DocumentIssueDate is a helper for VerifyOptions.IssuedAt: the date of
// issue of DG12 when the document has it, zero otherwise.
// (The CCCD's DG13 also carries one; read it with chip/cccd.)
func DocumentIssueDate(d *chip.Document) time.Time {
	if d.DG12 == nil {
		return time.Time{}
	}
	t, ok := d.DG12.DateOfIssue.Time()
	if !ok {
		return time.Time{}
	}
	return t
}
