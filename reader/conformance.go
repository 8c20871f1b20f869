package reader

import (
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/conform"
)

// This file: the Doc 9303 profile checks (package conform) of what was read.

// conformance checks the files read against the profiles of Doc 9303
// (certificates, EF.SOD's SignedData, the LDS, EF.CardSecurity against
// EF.CardAccess, EF.ATR/INFO), DG1 against the MRZ key the chip was opened
// with and, when the caller gave it, the printed MRZ; findings that a
// verified deviation list of the issuer publishes are marked known.
// EF.CardAccess given by the caller is not the chip's and is left out.
func (s *session) conformance(res *Result, files map[chip.File][]byte) {
	in := make(map[chip.File][]byte, len(files)+1)
	for f, b := range files {
		in[f] = b
	}
	if s.atrInfo != nil {
		in[chip.EFATRInfo] = s.atrInfo
	}
	var opened mrz.Info
	if s.key.can == "" {
		opened = s.key.mrz
	}
	d := conform.Document{Files: in, OpenedWith: opened, PrintedMRZ: s.cfg.PrintedMRZ, IssuedAt: issueDate(res.Document)}
	res.Findings = append(res.Findings, conform.Check(d)...)
	res.Findings = append(res.Findings, chainFindings(res)...)
	res.Findings = conform.ApplyDeviations(res.Findings, d, s.cfg.DeviationLists...)
}

// chainFindings checks the certificates above the Document Signer on the
// path passive authentication built: link certificates and the CSCA
// (the Document Signer's own profile is checked with EF.SOD).
func chainFindings(res *Result) []conform.Finding {
	pa := res.PassiveAuth
	if pa == nil || len(pa.Chain) < 2 {
		return nil
	}
	var out []conform.Finding
	for i, c := range pa.Chain[1:] {
		role := conform.RoleLink
		if i == len(pa.Chain)-2 && c.IsSelfIssued() && c.CheckSignatureFrom(c) == nil {
			role = conform.RoleCSCA
		}
		out = append(out, conform.CheckCertificate(c, role)...)
	}
	return out
}
