package conform

import (
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/crypto/pki"
)

// Document is what Check looks at: the files read from a chip, and what
// the reader knows besides them.
type Document struct {
	// Files are the files as read (EF.SOD, EF.COM, data groups, and from
	// the master file EF.CardAccess, EF.CardSecurity, EF.ATR/INFO).
	Files map[chip.File][]byte
	// OpenedWith is the MRZ information the chip was opened with (BAC, or
	// PACE with the MRZ as password); zero when it was opened with the CAN.
	OpenedWith mrz.Info
	// PrintedMRZ is the MRZ read from the printed page (by OCR or typed),
	// "" when the caller has none.
	PrintedMRZ string
	// IssuedAt is the document's date of issue when known (DG12, or DG13
	// of a CCCD); deviation lists may select documents by it.
	IssuedAt time.Time
}

// Check runs every profile check that the files of d allow and returns the
// findings, in the order: EF.SOD (SignedData, LDS Security Object,
// Document Signer certificate), EF.COM, DG1, DG2, DG14, EF.CardAccess,
// EF.CardSecurity, EF.ATR/INFO. Files absent from d are not checked.
// Check never fails: a file that cannot be read gives a finding of
// LDSFile, or none when passive authentication refuses it anyway.
func Check(d Document) []Finding {
	f := d.Files
	var out []Finding
	if sod := f[chip.EFSOD]; sod != nil {
		out = append(out, CheckSOD(sod)...)
	}
	if com := f[chip.EFCOM]; com != nil {
		out = append(out, CheckCOM(com, f[chip.EFSOD])...)
	}
	if dg1 := f[chip.EFDG1]; dg1 != nil {
		out = append(out, CheckDG1(dg1)...)
		out = append(out, CheckDG1Key(dg1, d.OpenedWith)...)
		out = append(out, CheckDG1Printed(dg1, d.PrintedMRZ)...)
		if sod := f[chip.EFSOD]; sod != nil {
			out = append(out, CheckDocumentType(sod, dg1)...)
		}
	}
	if dg2 := f[chip.EFDG2]; dg2 != nil {
		out = append(out, CheckDG2(dg2)...)
	}
	if dg14 := f[chip.EFDG14]; dg14 != nil {
		out = append(out, CheckDG14(dg14)...)
	}
	if dg15 := f[chip.EFDG15]; dg15 != nil {
		out = append(out, CheckAAInfo(dg15, f[chip.EFDG14])...)
	}
	if ca := f[chip.EFCardAccess]; ca != nil {
		out = append(out, CheckCardAccess(ca)...)
	}
	if cs := f[chip.EFCardSecurity]; cs != nil {
		out = append(out, CheckCardSecurity(cs, f[chip.EFCardAccess])...)
	}
	if ai := f[chip.EFATRInfo]; ai != nil {
		out = append(out, CheckATRInfo(ai)...)
	}
	return out
}

// CheckDocumentType compares the DocumentTypeList of the Document Signer
// in EF.SOD with the document code of DG1: a type matches when it equals
// the code or its first character (a list naming "I" covers "ID").
func CheckDocumentType(sod, dg1 []byte) []Finding {
	s, err := pki.ParseSOD(sod)
	if err != nil || len(s.SignedData.SignerInfos) == 0 {
		return nil
	}
	c, err := s.SignedData.SignerCertificate(s.SignedData.SignerInfos[0])
	if err != nil || c.DocumentTypes == nil {
		return nil // absent list: CertDocumentTypeList reports it
	}
	d, _ := chip.ParseDG1Lenient(dg1)
	if d == nil || d.MRZ == nil {
		return nil
	}
	code := d.MRZ.DocumentCode
	for _, t := range c.DocumentTypes {
		if t == code || t == code[:1] {
			return nil
		}
	}
	r := &report{object: "Document Signer certificate"}
	r.add(DSDocumentType, -1, "DocumentTypeList %q does not allow document code %q", c.DocumentTypes, code)
	return r.out
}

// Security returns the findings of rules that bear on security.
func Security(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule.Security {
			out = append(out, f)
		}
	}
	return out
}

// Has reports whether fs holds a finding of rule.
func Has(fs []Finding, rule Rule) bool {
	for _, f := range fs {
		if f.Rule.ID == rule.ID {
			return true
		}
	}
	return false
}
