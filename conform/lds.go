package conform

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

// LDSFile is the rule a file breaks when it is not even the TLV object of
// its tag (the reader reports such files as unreadable; a finding keeps
// the deviation with the others).
var LDSFile = Rule{ID: "lds.file", Source: "ICAO Doc 9303-10 §4.6, §4.7",
	Text: "every LDS file is one well-formed BER-TLV object of its tag"}

// CheckCOM checks EF.COM: its versions, and its tag list against the data
// groups hashed in EF.SOD (sod may be nil: the tag list is then not
// compared).
func CheckCOM(com, sod []byte) []Finding {
	r := &report{object: "EF.COM"}
	c, err := chip.ParseCOM(com)
	if err != nil {
		r.add(LDSFile, errOffset(err), "%s", errText(err))
		return r.out
	}
	if c.LDSVersion != "0107" && c.LDSVersion != "0108" {
		r.add(COMLDSVersion, -1, "LDS version %q", c.LDSVersion)
	}
	if c.UnicodeVersion != "040000" {
		r.add(COMUnicodeVersion, -1, "Unicode version %q", c.UnicodeVersion)
	}
	if sod == nil {
		return r.out
	}
	hashed := sodDataGroups(sod)
	if hashed == nil {
		return r.out
	}
	for n := 1; n <= 16; n++ {
		f := chip.DataGroup(n)
		switch {
		case hashed[n] && !c.Has(f):
			r.add(COMTagList, -1, "%s is hashed in EF.SOD but not listed", f)
		case !hashed[n] && c.Has(f):
			r.add(COMTagList, -1, "%s is listed but not hashed in EF.SOD", f)
		}
	}
	return r.out
}

// sodDataGroups returns the data group numbers EF.SOD hashes, nil when it
// does not parse.
func sodDataGroups(sod []byte) map[int]bool {
	s, err := pki.ParseSOD(sod)
	if err != nil {
		return nil
	}
	m := map[int]bool{}
	for _, d := range s.SecurityObject.DataGroupHashes {
		m[d.DataGroup] = true
	}
	return m
}

// errText returns the error's text; the errors of chip and mrz never hold
// holder data.
func errText(err error) string {
	var pe *chip.ParseError
	if errors.As(err, &pe) && pe.Err != nil {
		return pe.Err.Error()
	}
	return err.Error()
}

func errOffset(err error) int {
	var pe *chip.ParseError
	if errors.As(err, &pe) {
		return pe.Offset
	}
	return -1
}

// mrzFieldRule maps the field of an mrz.Error to its rule.
func mrzFieldRule(f mrz.Field) Rule {
	switch f {
	case mrz.FieldDocumentCode:
		return DG1DocumentCode
	case mrz.FieldSex:
		return DG1Sex
	case mrz.FieldName:
		return DG1Name
	case mrz.FieldDocumentNumber:
		return DG1DocumentNumber
	case mrz.FieldIssuingState, mrz.FieldNationality:
		return DG1StateCodes
	case mrz.FieldDateOfBirth, mrz.FieldDateOfExpiry:
		return DG1Dates
	}
	return DG1Format
}

// nameField returns the name field of an MRZ text of format f.
func nameField(f mrz.Format, text string) string {
	switch {
	case f == mrz.TD1 && len(text) == 90:
		return text[60:90]
	case (f == mrz.TD2 || f == mrz.MRVB) && len(text) == 72:
		return text[5:36]
	case (f == mrz.TD3 || f == mrz.MRVA) && len(text) == 88:
		return text[5:44]
	}
	return ""
}

// CheckDG1 checks the MRZ of DG1 field by field (Doc 9303-3, -4, -5, -6).
func CheckDG1(file []byte) []Finding {
	r := &report{object: "DG1"}
	d, err := chip.ParseDG1Lenient(file)
	if d == nil {
		r.add(LDSFile, errOffset(err), "%s", errText(err))
		return r.out
	}
	if err != nil {
		var joined interface{ Unwrap() []error }
		var pe *chip.ParseError
		inner := err
		if errors.As(err, &pe) {
			inner = pe.Err
		}
		errs := []error{inner}
		if errors.As(inner, &joined) {
			errs = joined.Unwrap()
		}
		for _, e := range errs {
			var me *mrz.Error
			var cde *mrz.CheckDigitError
			switch {
			case errors.As(e, &cde):
				r.add(DG1CheckDigits, -1, "check digit of %s does not match", cde.Field)
			case errors.As(e, &me) && me.Line > 0:
				r.add(mrzFieldRule(me.Field), -1, "%s at line %d column %d", me.Err, me.Line, me.Column)
			default:
				r.add(DG1Format, -1, "%s", e)
			}
		}
	}
	m := d.MRZ
	if m == nil {
		return r.out
	}
	text := d.Text
	// Document code (the lenient parser accepts any second character).
	code := text[:2]
	okFirst := false
	switch m.Format {
	case mrz.TD3:
		okFirst = code[0] == 'P'
	case mrz.TD1, mrz.TD2:
		okFirst = code[0] == 'A' || code[0] == 'C' || code[0] == 'I'
	case mrz.MRVA, mrz.MRVB:
		okFirst = code[0] == 'V'
	}
	if !okFirst {
		r.add(DG1DocumentCode, -1, "document code starting with %q in a %s", code[:1], m.Format)
	}
	if c := code[1]; !(c >= 'A' && c <= 'Z' || c == mrz.Filler) || (c == 'V' && (m.Format == mrz.TD1 || m.Format == mrz.TD2)) {
		r.add(DG1DocumentCode, -1, "second character of the document code is %q", string(c))
	}
	if m.Sex != mrz.Male && m.Sex != mrz.Female && m.Sex != mrz.Unspecified {
		r.add(DG1Sex, -1, "sex is not F, M or <")
	}
	if name := nameField(m.Format, text); name != "" {
		if name[0] == mrz.Filler {
			r.add(DG1Name, -1, "name field starts with a filler")
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; !(c >= 'A' && c <= 'Z' || c == mrz.Filler) {
				r.add(DG1Name, -1, "name field holds a character other than a letter or filler")
				break
			}
		}
	}
	for i := 0; i < len(m.DocumentNumber); i++ {
		if c := m.DocumentNumber[i]; !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			r.add(DG1DocumentNumber, -1, "document number holds a filler inside")
			break
		}
	}
	if m.DateOfExpiry.Validate(false) != nil {
		r.add(DG1Dates, -1, "date of expiry is not a full date")
	}
	return r.out
}

// CheckDG1Key compares DG1 with the MRZ information the chip was opened
// with (BAC, or PACE with the MRZ as password): a chip answering to one
// document's key with another document's DG1 is not that document.
func CheckDG1Key(file []byte, opened mrz.Info) []Finding {
	if opened.IsZero() {
		return nil
	}
	r := &report{object: "DG1"}
	d, _ := chip.ParseDG1Lenient(file)
	if d == nil || d.MRZ == nil {
		r.add(DG1OpeningKey, -1, "DG1 cannot be compared with the key: its MRZ does not decode")
		return r.out
	}
	got, want := d.MRZ.Info(), opened
	if bytes.Equal(got.Bytes(), want.Bytes()) {
		return nil
	}
	if got.DocumentNumber() != want.DocumentNumber() {
		r.add(DG1OpeningKey, -1, "document number differs from the one the chip was opened with")
		return r.out
	}
	gb, wb := got.Bytes(), want.Bytes()
	n := len(got.DocumentNumber())
	switch {
	case gb[n] != wb[n]:
		r.add(DG1OpeningKey, -1, "document number check digit differs from the one the chip was opened with")
	case len(gb) >= n+8 && !bytes.Equal(gb[n+1:n+8], wb[n+1:n+8]):
		r.add(DG1OpeningKey, -1, "date of birth differs from the one the chip was opened with")
	default:
		r.add(DG1OpeningKey, -1, "date of expiry differs from the one the chip was opened with")
	}
	return r.out
}

// CheckDG1Printed compares DG1 with the MRZ read from the printed page
// (line breaks and spaces are ignored). It names the fields that differ,
// never their values.
func CheckDG1Printed(file []byte, printed string) []Finding {
	if printed == "" {
		return nil
	}
	r := &report{object: "DG1"}
	p := strings.Map(func(c rune) rune {
		if c == '\n' || c == '\r' || c == ' ' || c == '\t' {
			return -1
		}
		return c
	}, printed)
	d, _ := chip.ParseDG1Lenient(file)
	if d == nil {
		r.add(DG1PrintedMRZ, -1, "DG1 cannot be compared with the printed MRZ: it does not parse")
		return r.out
	}
	if d.Text == p {
		return nil
	}
	pm, _ := mrz.ParseLenient(p)
	if pm == nil || d.MRZ == nil || pm.Format != d.MRZ.Format {
		r.add(DG1PrintedMRZ, -1, "DG1 and the printed MRZ differ (format or encoding)")
		return r.out
	}
	var fields []string
	a, b := d.MRZ, pm
	for _, f := range []struct {
		name string
		same bool
	}{
		{"document code", a.DocumentCode == b.DocumentCode},
		{"issuing state", a.IssuingState == b.IssuingState},
		{"document number", a.DocumentNumber == b.DocumentNumber},
		{"date of birth", a.DateOfBirth == b.DateOfBirth},
		{"sex", a.Sex == b.Sex},
		{"date of expiry", a.DateOfExpiry == b.DateOfExpiry},
		{"nationality", a.Nationality == b.Nationality},
		{"name", a.PrimaryIdentifier == b.PrimaryIdentifier && a.SecondaryIdentifier == b.SecondaryIdentifier},
		{"optional data", a.OptionalData1 == b.OptionalData1 && a.OptionalData2 == b.OptionalData2},
	} {
		if !f.same {
			fields = append(fields, f.name)
		}
	}
	if len(fields) == 0 {
		fields = []string{"check digits or fillers"}
	}
	r.add(DG1PrintedMRZ, -1, "DG1 differs from the printed MRZ in: %s", strings.Join(fields, ", "))
	return r.out
}

// Face record layout, ISO/IEC 19794-5:2005 §5.4, §5.5, §5.7.
const (
	faceHeaderLen    = 14 // format identifier, version, record length, number of images
	facialInfoLen    = 20 // block length (4) ... up to and including pose uncertainty
	featurePointLen  = 8
	imageInfoLen     = 12
	featureCountOffs = 4 // within the facial information block
)

// CheckDG2 checks the biometric header templates of DG2 and the general
// and facial record headers of each ISO/IEC 19794-5 record.
func CheckDG2(file []byte) []Finding {
	r := &report{object: "DG2"}
	t, err := tlv.Lenient.ParseOne(file)
	if err != nil || t.Tag != 0x75 {
		r.add(LDSFile, -1, "not a '75' data object")
		return r.out
	}
	g, err := bio.ParseGroupLenient(t.Value)
	if err != nil {
		r.add(LDSFile, -1, "biometric group: %v", err)
		return r.out
	}
	for i, tp := range g.Templates {
		if tp.Header.FormatOwner != bio.FormatOwnerSC37 || tp.Header.FormatType != bio.FormatTypeFaceImage {
			r.add(DG2Header, -1, "template %d: format owner %04X, format type %04X", i+1, tp.Header.FormatOwner, tp.Header.FormatType)
		}
		if tp.Enciphered {
			continue
		}
		checkFaceRecord(r, i+1, tp.Data, offsetIn(file, tp.Data))
	}
	return r.out
}

// offsetIn returns the offset of sub within b when sub aliases b, or -1.
func offsetIn(b, sub []byte) int {
	if len(sub) == 0 || len(b) == 0 {
		return -1
	}
	i := bytes.Index(b, sub[:min(len(sub), 16)])
	return i
}

func checkFaceRecord(r *report, n int, d []byte, base int) {
	at := func(off int) int {
		if base < 0 {
			return -1
		}
		return base + off
	}
	if len(d) < faceHeaderLen {
		r.add(DG2Lengths, at(0), "template %d: face record of %d bytes, shorter than its header", n, len(d))
		return
	}
	if string(d[:4]) != "FAC\x00" {
		r.add(DG2FormatIdentifier, at(0), "template %d: format identifier % X", n, d[:4])
		return
	}
	if string(d[4:8]) != "010\x00" {
		r.add(DG2Version, at(4), "template %d: version % X", n, d[4:8])
	}
	if l := binary.BigEndian.Uint32(d[8:12]); uint64(l) != uint64(len(d)) {
		r.add(DG2Lengths, at(8), "template %d: record length %d, record of %d bytes", n, l, len(d))
	}
	count := int(binary.BigEndian.Uint16(d[12:14]))
	if count == 0 {
		r.add(DG2Lengths, at(12), "template %d: number of facial images is 0", n)
		return
	}
	off := faceHeaderLen
	for i := 0; i < count; i++ {
		if off+facialInfoLen > len(d) {
			r.add(DG2Lengths, at(off), "template %d: facial image %d runs past the record", n, i+1)
			return
		}
		bl := int(binary.BigEndian.Uint32(d[off : off+4]))
		fp := int(binary.BigEndian.Uint16(d[off+featureCountOffs : off+featureCountOffs+2]))
		if bl < facialInfoLen+fp*featurePointLen+imageInfoLen || bl > len(d)-off {
			r.add(DG2Lengths, at(off), "template %d: facial record data length %d does not fit its blocks and the record", n, bl)
			return
		}
		off += bl
	}
	if off != len(d) {
		r.add(DG2Lengths, at(off), "template %d: %d bytes after the last facial image", n, len(d)-off)
	}
}

// infoRaw returns the encoding of a SecurityInfo as read.
func infoRaw(i secinfo.Info) []byte {
	switch v := i.(type) {
	case *secinfo.PACEInfo:
		return v.Raw
	case *secinfo.PACEDomainParameterInfo:
		return v.Raw
	case *secinfo.ChipAuthenticationInfo:
		return v.Raw
	case *secinfo.ChipAuthenticationDomainParameterInfo:
		return v.Raw
	case *secinfo.ChipAuthenticationPublicKeyInfo:
		return v.Raw
	case *secinfo.TerminalAuthenticationInfo:
		return v.Raw
	case *secinfo.ActiveAuthenticationInfo:
		return v.Raw
	case *secinfo.UnknownInfo:
		return v.Raw
	}
	b, _ := i.Marshal()
	return b
}

// checkSecurityInfosDER reports an unsorted SET or padding.
func checkSecurityInfosDER(r *report, strictErr error, s *secinfo.SecurityInfos) {
	switch {
	case !s.Sorted:
		r.add(SecurityInfosDER, -1, "the SET OF SecurityInfo is not in DER order")
	case strictErr != nil:
		r.add(SecurityInfosDER, -1, "%v", strictErr)
	}
}

// CheckDG14 checks DG14: DER, and the Chip Authentication key identifiers
// across its infos.
func CheckDG14(file []byte) []Finding {
	r := &report{object: "DG14"}
	s, err := secinfo.Lenient.ParseDG14(file)
	if err != nil {
		r.add(LDSFile, -1, "%v", err)
		return r.out
	}
	_, strictErr := secinfo.ParseDG14(file)
	checkSecurityInfosDER(r, strictErr, s)
	checkCAKeyIDs(r, s)
	return r.out
}

func checkCAKeyIDs(r *report, s *secinfo.SecurityInfos) {
	keys := s.ChipAuthenticationPublicKeys()
	if len(keys) > 1 {
		seen := map[int64]bool{}
		for i, k := range keys {
			switch {
			case !k.HasKeyID:
				r.add(DG14CAKeyIDs, -1, "Chip Authentication key %d of %d has no keyId", i+1, len(keys))
			case seen[k.KeyID]:
				r.add(DG14CAKeyIDs, -1, "keyId %d names two Chip Authentication keys", k.KeyID)
			}
			seen[k.KeyID] = true
		}
	}
	for _, ci := range s.ChipAuthenticationInfos() {
		found := false
		for _, k := range keys {
			if k.KeyAgreement != ci.CA.KeyAgreement {
				continue
			}
			if !ci.HasKeyID || (k.HasKeyID && k.KeyID == ci.KeyID) || (!k.HasKeyID && len(keys) == 1) {
				found = true
			}
		}
		switch {
		case !ci.HasKeyID && len(keys) > 1:
			r.add(DG14CAKeyIDs, -1, "ChipAuthenticationInfo %s without keyId while there are %d keys", ci.Protocol, len(keys))
		case !found && len(keys) > 0:
			r.add(DG14CAKeyIDs, -1, "ChipAuthenticationInfo %s names no key present", ci.Protocol)
		}
	}
}

// CheckAAInfo checks that DG14 announces the signature algorithm of an
// ECDSA Active Authentication key of DG15 (an RSA key needs none). A DG15
// or DG14 that does not parse gives no finding here (LDSFile does).
func CheckAAInfo(dg15, dg14 []byte) []Finding {
	d, err := chip.ParseDG15(dg15)
	if err != nil || d.KeyAlgorithm() != chip.ECKey {
		return nil
	}
	r := &report{object: "DG14"}
	if dg14 == nil {
		r.add(DG14AAInfo, -1, "DG15 holds an EC key and there is no DG14")
		return r.out
	}
	s, err := secinfo.Lenient.ParseDG14(dg14)
	if err != nil {
		return nil
	}
	if s.ActiveAuthentication() == nil {
		r.add(DG14AAInfo, -1, "DG15 holds an EC key and DG14 has no ActiveAuthenticationInfo")
	}
	return r.out
}

// CheckCardAccess checks EF.CardAccess for DER.
func CheckCardAccess(file []byte) []Finding {
	r := &report{object: "EF.CardAccess"}
	s, err := secinfo.Lenient.Parse(file)
	if err != nil {
		r.add(LDSFile, -1, "%v", err)
		return r.out
	}
	_, strictErr := secinfo.Parse(file)
	checkSecurityInfosDER(r, strictErr, s)
	return r.out
}

// CheckCardSecurity checks EF.CardSecurity: its SignedData profile, its
// signer certificate, and that every SecurityInfo of EF.CardAccess
// appears in it unchanged (cardAccess may be nil: that comparison is then
// skipped).
func CheckCardSecurity(file, cardAccess []byte) []Finding {
	r := &report{object: "EF.CardSecurity"}
	sd, err := pki.ParseSignedData(file)
	if err != nil {
		r.add(LDSFile, -1, "%v", err)
		return r.out
	}
	r.out = append(r.out, CheckSignedData(sd, "EF.CardSecurity", OIDSecurityObject)...)
	if len(sd.SignerInfos) > 0 {
		if c, err := sd.SignerCertificate(sd.SignerInfos[0]); err == nil {
			for _, f := range CheckCertificate(c, RoleDocumentSigner) {
				f.Object = "EF.CardSecurity: " + f.Object
				r.out = append(r.out, f)
			}
		}
	}
	cs, err := secinfo.Lenient.Parse(sd.Content)
	if err != nil {
		r.add(LDSFile, -1, "signed SecurityInfos: %v", err)
		return r.out
	}
	checkCAKeyIDs(r, cs)
	if cardAccess == nil {
		return r.out
	}
	ca, err := secinfo.Lenient.Parse(cardAccess)
	if err != nil {
		return r.out
	}
	have := map[string]bool{}
	for _, i := range cs.Infos {
		have[string(infoRaw(i))] = true
	}
	for _, i := range ca.Infos {
		if have[string(infoRaw(i))] {
			continue
		}
		changed := false
		for _, j := range cs.Infos {
			if j.ProtocolOID().Equal(i.ProtocolOID()) {
				changed = true
			}
		}
		if changed {
			r.add(CardSecurityCardAccess, -1, "SecurityInfo %s of EF.CardAccess differs in EF.CardSecurity", i.ProtocolOID())
		} else {
			r.add(CardSecurityCardAccess, -1, "SecurityInfo %s of EF.CardAccess is missing from EF.CardSecurity", i.ProtocolOID())
		}
	}
	return r.out
}

// CheckATRInfo checks that EF.ATR/INFO is a sequence of BER-TLV data
// objects (padding '00'/'FF' allowed between them, ISO/IEC 7816-4 §5.2.2)
// and that an extended length information '7F66' holds two positive
// INTEGERs.
func CheckATRInfo(file []byte) []Finding {
	r := &report{object: "EF.ATR/INFO"}
	opts := tlv.Strict
	opts.AllowPadding = true
	rd := opts.NewReader(file)
	for rd.Next() {
		t := rd.TLV()
		if t.Tag != 0x7F66 {
			continue
		}
		c := opts.NewReader(t.Value)
		n := 0
		for c.Next() {
			ct := c.TLV()
			if ct.Tag != 0x02 || len(ct.Value) == 0 || len(ct.Value) > 4 || ct.Value[0]&0x80 != 0 {
				r.add(ATRInfoFormat, t.Offset, "'7F66' holds something other than a positive INTEGER")
				return r.out
			}
			n++
		}
		if err := c.Err(); err != nil {
			r.add(ATRInfoFormat, t.Offset, "'7F66': %v", err)
			return r.out
		}
		if n != 2 {
			r.add(ATRInfoFormat, t.Offset, "'7F66' holds %d INTEGERs, not 2", n)
		}
	}
	if err := rd.Err(); err != nil {
		r.add(ATRInfoFormat, -1, "%v", err)
	}
	return r.out
}
