package conform_test

import (
	"bytes"
	"crypto"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

func clone(files map[chip.File][]byte) map[chip.File][]byte {
	out := map[chip.File][]byte{}
	for f, b := range files {
		out[f] = bytes.Clone(b)
	}
	return out
}

// resign signs a conforming EF.SOD over the data groups of files with the
// test Document Signer, as an issuer would after writing them.
func resign(t *testing.T, files map[chip.File][]byte) map[chip.File][]byte {
	t.Helper()
	p := testPKI(t)
	dgs := map[int][]byte{}
	for f, b := range files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	sod, err := pki.NewSOD(crypto.SHA256, dgs, p.DS.Key, p.DS.Cert, &pki.SignedDataConfig{SigningTime: testNow})
	require.NoError(t, err)
	files[chip.EFSOD] = sod
	return files
}

func dg1Text(t *testing.T, files map[chip.File][]byte) []byte {
	t.Helper()
	d, err := chip.ParseDG1Lenient(files[chip.EFDG1])
	require.NoError(t, err)
	return []byte(d.Text)
}

func withDG1(t *testing.T, files map[chip.File][]byte, text []byte) map[chip.File][]byte {
	t.Helper()
	b, err := (&chip.DG1{Text: string(text)}).Encode()
	require.NoError(t, err)
	files = clone(files)
	files[chip.EFDG1] = b
	return resign(t, files)
}

func withCOM(t *testing.T, files map[chip.File][]byte, change func(*chip.COM)) map[chip.File][]byte {
	t.Helper()
	c, err := chip.ParseCOM(files[chip.EFCOM])
	require.NoError(t, err)
	change(c)
	b, err := c.Encode()
	require.NoError(t, err)
	files = clone(files)
	files[chip.EFCOM] = b
	return files
}

// TestLDSRules: for each LDS rule, a document that breaks it, its EF.SOD
// re-signed over the changed data groups.
func TestLDSRules(t *testing.T) {
	passport := issue(t, sim.ProfileICAOPassport, 0).Files
	cccd := issue(t, sim.ProfileCCCD, 0).Files
	pt := dg1Text(t, passport)
	set := func(text []byte, i int, s string) []byte {
		b := bytes.Clone(text)
		copy(b[i:], s)
		return b
	}
	goodInfo := func(files map[chip.File][]byte) mrz.Info {
		d, err := chip.ParseDG1(files[chip.EFDG1])
		require.NoError(t, err)
		return d.MRZ.Info()
	}
	dg2 := func(change func(b []byte)) map[chip.File][]byte {
		files := clone(passport)
		change(files[chip.EFDG2])
		return resign(t, files)
	}
	face := bytes.Index(passport[chip.EFDG2], []byte("FAC\x00"))
	require.Positive(t, face)
	otherNumber, err := mrz.NewInfo("X1234567", "740812", "320415")
	require.NoError(t, err)
	otherBirth, err := mrz.NewInfo("L898902C3", "750812", "320415")
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		files  map[chip.File][]byte
		doc    func(d *conform.Document)
		rule   conform.Rule
		object string
	}{
		{"EF.COM LDS version 1.6", withCOM(t, passport, func(c *chip.COM) { c.LDSVersion = "0106" }), nil, conform.COMLDSVersion, "EF.COM"},
		{"EF.COM Unicode 5.0.0", withCOM(t, passport, func(c *chip.COM) { c.UnicodeVersion = "050000" }), nil, conform.COMUnicodeVersion, "EF.COM"},
		{"EF.COM without DG2", withCOM(t, passport, func(c *chip.COM) { c.DataGroups = []chip.File{chip.EFDG1} }), nil, conform.COMTagList, "EF.COM"},
		{"DG1 sex X", withDG1(t, passport, set(pt, 44+20, "X")), nil, conform.DG1Sex, "DG1"},
		{"DG1 TD3 document code I", withDG1(t, passport, set(pt, 0, "I")), nil, conform.DG1DocumentCode, "DG1"},
		{"DG1 document code the DS may not sign", withDG1(t, passport, set(pt, 0, "X")), nil, conform.DSDocumentType, "Document Signer certificate"},
		{"DG1 TD1 document code IV", withDG1(t, cccd, set(dg1Text(t, cccd), 1, "V")), nil, conform.DG1DocumentCode, "DG1"},
		{"DG1 digit in the name", withDG1(t, passport, set(pt, 6, "0")), nil, conform.DG1Name, "DG1"},
		{"DG1 name starting with a filler", withDG1(t, passport, set(pt, 5, "<")), nil, conform.DG1Name, "DG1"},
		{"DG1 wrong check digit", withDG1(t, passport, set(pt, 44+19, string("0123456789"[(pt[44+19]-'0'+1)%10]))), nil, conform.DG1CheckDigits, "DG1"},
		{"DG1 issuing state with a digit", withDG1(t, passport, set(pt, 2, "U1O")), nil, conform.DG1StateCodes, "DG1"},
		{"DG1 of 87 characters", withDG1(t, passport, pt[:87]), nil, conform.DG1Format, "DG1"},
		{"EF.COM not a '60' object", withFile(passport, chip.EFCOM, []byte{0x61, 0x02, 0x5F, 0x01}), nil, conform.LDSFile, "EF.COM"},
		{"DG1 month 13", withDG1(t, passport, set(pt, 44+15, "13")), nil, conform.DG1Dates, "DG1"},
		{"DG1 filler inside the document number", withDG1(t, passport, set(pt, 44+3, "<")), nil, conform.DG1DocumentNumber, "DG1"},
		{"DG1 of another document number than the key", passport, func(d *conform.Document) { d.OpenedWith = otherNumber }, conform.DG1OpeningKey, "DG1"},
		{"DG1 of another birth date than the key", passport, func(d *conform.Document) { d.OpenedWith = otherBirth }, conform.DG1OpeningKey, "DG1"},
		{"DG1 differs from the printed MRZ", passport, func(d *conform.Document) {
			d.OpenedWith = goodInfo(passport)
			d.PrintedMRZ = string(set(pt, 5, "ERIKSEN<<")[:44]) + "\n" + string(pt[44:])
		}, conform.DG1PrintedMRZ, "DG1"},
		{"DG2 face record version 030", dg2(func(b []byte) { copy(b[face+4:], "030") }), nil, conform.DG2Version, "DG2"},
		{"DG2 format identifier FAX", dg2(func(b []byte) { copy(b[face:], "FAX") }), nil, conform.DG2FormatIdentifier, "DG2"},
		{"DG2 record length one too long", dg2(func(b []byte) { b[face+11]++ }), nil, conform.DG2Lengths, "DG2"},
		{"DG2 no facial image", dg2(func(b []byte) { b[face+12], b[face+13] = 0, 0 }), nil, conform.DG2Lengths, "DG2"},
		{"DG2 header format type 0009", dg2(func(b []byte) {
			i := bytes.Index(b, []byte{0x88, 0x02, 0x00, 0x08})
			require.Positive(t, i)
			b[i+3] = 0x09
		}), nil, conform.DG2Header, "DG2"},
		{"DG14 ChipAuthenticationInfo naming an absent key", withDG14(t, cccd, func(s *secinfo.SecurityInfos) {
			for _, i := range s.Infos {
				switch v := i.(type) {
				case *secinfo.ChipAuthenticationPublicKeyInfo:
					v.KeyID, v.HasKeyID = 1, true
				case *secinfo.ChipAuthenticationInfo:
					v.KeyID, v.HasKeyID = 2, true
				}
			}
		}), nil, conform.DG14CAKeyIDs, "DG14"},
		{"DG14 two keys without keyId", withDG14(t, cccd, func(s *secinfo.SecurityInfos) {
			for _, i := range s.Infos {
				if v, ok := i.(*secinfo.ChipAuthenticationPublicKeyInfo); ok {
					w := *v
					w.PublicKey.PublicKey = append([]byte{}, v.PublicKey.PublicKey...)
					w.PublicKey.PublicKey[len(w.PublicKey.PublicKey)-1] ^= 1
					w.Raw = nil
					s.Infos = append(s.Infos, &w)
					break
				}
			}
		}), nil, conform.DG14CAKeyIDs, "DG14"},
		{"DG14 SET not in DER order", unsortedDG14(t, cccd), nil, conform.SecurityInfosDER, "DG14"},
		{"DG14 without the ActiveAuthenticationInfo of DG15's EC key", withDG14(t, cccd, func(s *secinfo.SecurityInfos) {
			var keep []secinfo.Info
			for _, i := range s.Infos {
				if _, ok := i.(*secinfo.ActiveAuthenticationInfo); !ok {
					keep = append(keep, i)
				}
			}
			require.Less(t, len(keep), len(s.Infos), "the issued card has an ECDSA AA key")
			s.Infos = keep
		}), nil, conform.DG14AAInfo, "DG14"},
		{"EF.CardAccess SET not in DER order", unsortedCardAccess(t, cccd), nil, conform.SecurityInfosDER, "EF.CardAccess"},
		{"EF.ATR/INFO '7F66' with one INTEGER", withFile(cccd, chip.EFATRInfo, []byte{0x7F, 0x66, 0x04, 0x02, 0x02, 0x01, 0x00}), nil, conform.ATRInfoFormat, "EF.ATR/INFO"},
		{"EF.ATR/INFO truncated", withFile(cccd, chip.EFATRInfo, []byte{0x7F, 0x66, 0x08, 0x02, 0x01}), nil, conform.ATRInfoFormat, "EF.ATR/INFO"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := conform.Document{Files: tc.files}
			if tc.doc != nil {
				tc.doc(&d)
			}
			fs := conform.Check(d)
			requireVerdicts(t, tc.files, fs, tc.rule, true)
			for _, f := range fs {
				if f.Rule.ID == tc.rule.ID {
					require.Equal(t, tc.object, f.Object)
				}
				// No holder data in any finding: number, birth date, name, sex.
				for _, secret := range []string{"L898902C3", "740812", "ERIKSS", "NGUYEN", "090012345", "900101"} {
					require.NotContains(t, f.String(), secret)
				}
			}
		})
	}
}

func withFile(files map[chip.File][]byte, f chip.File, b []byte) map[chip.File][]byte {
	files = clone(files)
	files[f] = b
	return files
}

func withDG14(t *testing.T, files map[chip.File][]byte, change func(*secinfo.SecurityInfos)) map[chip.File][]byte {
	t.Helper()
	s, err := secinfo.ParseDG14(files[chip.EFDG14])
	require.NoError(t, err)
	change(s)
	b, err := s.EncodeDG14()
	require.NoError(t, err)
	files = clone(files)
	files[chip.EFDG14] = b
	return resign(t, files)
}

// reversedSet re-encodes a SET OF SecurityInfo with its elements in
// reverse DER order.
func reversedSet(t *testing.T, s *secinfo.SecurityInfos) []byte {
	t.Helper()
	var elems [][]byte
	for _, i := range s.Infos {
		b, err := i.Marshal()
		require.NoError(t, err)
		elems = append(elems, b)
	}
	require.Greater(t, len(elems), 1)
	var body []byte
	for i := len(elems) - 1; i >= 0; i-- {
		body = append(body, elems[i]...)
	}
	return tlv.AppendTLV(nil, 0x31, body)
}

func unsortedDG14(t *testing.T, files map[chip.File][]byte) map[chip.File][]byte {
	s, err := secinfo.ParseDG14(files[chip.EFDG14])
	require.NoError(t, err)
	files = clone(files)
	files[chip.EFDG14] = tlv.AppendTLV(nil, 0x6E, reversedSet(t, s))
	return resign(t, files)
}

func unsortedCardAccess(t *testing.T, files map[chip.File][]byte) map[chip.File][]byte {
	s, err := secinfo.Parse(files[chip.EFCardAccess])
	require.NoError(t, err)
	return withFile(files, chip.EFCardAccess, reversedSet(t, s))
}

// TestCardSecurityAgainstCardAccess: EF.CardSecurity signed by the test
// Document Signer that leaves out, or changes, a SecurityInfo that
// EF.CardAccess announces.
func TestCardSecurityAgainstCardAccess(t *testing.T) {
	p := testPKI(t)
	img := issue(t, sim.ProfileCCCD, secinfo.ChipAuthenticationMapping)
	sign := func(change func(s *secinfo.SecurityInfos)) map[chip.File][]byte {
		sd, err := pki.ParseSignedData(img.Files[chip.EFCardSecurity])
		require.NoError(t, err)
		s, err := secinfo.Parse(sd.Content)
		require.NoError(t, err)
		change(s)
		content, err := s.Encode()
		require.NoError(t, err)
		cs, err := pki.SignSignedData(content, secinfo.OIDSecurityObject, p.DS.Key, p.DS.Cert, &pki.SignedDataConfig{SigningTime: testNow})
		require.NoError(t, err)
		parsed, err := pki.ParseSignedData(cs)
		require.NoError(t, err)
		_, err = parsed.Verify()
		require.NoError(t, err, "EF.CardSecurity's signature verifies")
		return withFile(img.Files, chip.EFCardSecurity, cs)
	}
	for _, tc := range []struct {
		name   string
		files  map[chip.File][]byte
		detail string
	}{
		{"PACEInfo left out", sign(func(s *secinfo.SecurityInfos) {
			var keep []secinfo.Info
			for _, i := range s.Infos {
				if _, ok := i.(*secinfo.PACEInfo); !ok {
					keep = append(keep, i)
				}
			}
			s.Infos = keep
		}), "missing"},
		{"PACEInfo changed", sign(func(s *secinfo.SecurityInfos) {
			for _, i := range s.Infos {
				if v, ok := i.(*secinfo.PACEInfo); ok {
					v.ParameterID, v.Raw = 12, nil
				}
			}
		}), "differs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := conform.Check(conform.Document{Files: tc.files})
			requireVerdicts(t, tc.files, fs, conform.CardSecurityCardAccess, true)
			found := false
			for _, f := range fs {
				if f.Rule.ID == conform.CardSecurityCardAccess.ID {
					require.Equal(t, "EF.CardSecurity", f.Object)
					require.Contains(t, f.Detail, tc.detail)
					found = true
				}
			}
			require.True(t, found)
		})
	}
}
