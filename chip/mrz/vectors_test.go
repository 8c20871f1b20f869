package mrz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// vectorFields are the decoded fields of each vector file, written out by
// hand from the specification's description of the examples.
var vectorFields = map[string]MRZ{
	"icao9303/p4_td3_specimen": {Format: TD3, Fields: Fields{
		DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3", OptionalData1: "ZE184226B",
		DateOfBirth: "740812", Sex: Female, DateOfExpiry: "120415", Nationality: "UTO",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"},
		CheckDigits: CheckDigits{'6', '2', '9', '1', '0'}},
	"icao9303/p5_td1_specimen": {Format: TD1, Fields: Fields{
		DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890",
		DateOfBirth: "740812", Sex: Female, DateOfExpiry: "120415", Nationality: "UTO",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"},
		CheckDigits: CheckDigits{'7', '2', '9', 0, '6'}},
	"icao9303/p6_td2_specimen": {Format: TD2, Fields: Fields{
		DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890",
		DateOfBirth: "740812", Sex: Female, DateOfExpiry: "120415", Nationality: "UTO",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"},
		CheckDigits: CheckDigits{'7', '2', '9', 0, '6'}},
	"icao9303/p7_mrva_specimen": {Format: MRVA, Fields: Fields{
		DocumentCode: "V", IssuingState: "UTO", DocumentNumber: "L8988901C", OptionalData1: "6ZE184226B",
		DateOfBirth: "400907", Sex: Female, DateOfExpiry: "961210", Nationality: "XXX",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"},
		CheckDigits: CheckDigits{'4', '8', '9', 0, 0}},
	"icao9303/p7_mrvb_specimen": {Format: MRVB, Fields: Fields{
		DocumentCode: "V", IssuingState: "UTO", DocumentNumber: "L8988901C",
		DateOfBirth: "400907", Sex: Female, DateOfExpiry: "961210", Nationality: "XXX",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"},
		CheckDigits: CheckDigits{'4', '8', '9', 0, 0}},
	"icao9303/p11_d2_td3_bac": {Format: TD3, Fields: Fields{
		DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C", OptionalData1: "ZE184226B",
		DateOfBirth: "690806", Sex: Female, DateOfExpiry: "940623", Nationality: "UTO",
		PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"},
		CheckDigits: CheckDigits{'3', '1', '6', '1', '4'}},
	"icao9303/p11_d2_td1_long_number": {Format: TD1, Fields: Fields{
		DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890734",
		DateOfBirth: "340712", Sex: Male, DateOfExpiry: "950712", Nationality: "UTO",
		PrimaryIdentifier: "STEVENSON", SecondaryIdentifier: "PETER JOHN"},
		CheckDigits: CheckDigits{'9', '7', '2', 0, '2'}},
	"icao9303/p11_d2_td2_long_number": {Format: TD2, Fields: Fields{
		DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890734",
		DateOfBirth: "340712", Sex: Male, DateOfExpiry: "950712", Nationality: "UTO",
		PrimaryIdentifier: "STEVENSON", SecondaryIdentifier: "PETER JOHN"},
		CheckDigits: CheckDigits{'9', '7', '2', 0, '8'}},
	"vnm/nguyen_van_an": {Format: TD1, Fields: Fields{
		DocumentCode: "ID", IssuingState: "VNM", DocumentNumber: "090012345", OptionalData1: "001090012345",
		DateOfBirth: "900101", Sex: Male, DateOfExpiry: "350101", Nationality: "VNM",
		PrimaryIdentifier: "NGUYEN", SecondaryIdentifier: "VAN AN"},
		CheckDigits: CheckDigits{'0', '1', '4', 0, '5'}},
	"vnm/tran_thi_ngoc_anh_truncated": {Format: TD1, Fields: Fields{
		DocumentCode: "ID", IssuingState: "VNM", DocumentNumber: "203001234", OptionalData1: "079203001234",
		DateOfBirth: "030515", Sex: Female, DateOfExpiry: "280515", Nationality: "VNM",
		PrimaryIdentifier: "TRAN", SecondaryIdentifier: "THI NGOC ANH DANG PHUONG"},
		CheckDigits: CheckDigits{'5', '2', '1', 0, '7'}},
	"vnm/pham_thi_mai_leap_day": {Format: TD1, Fields: Fields{
		DocumentCode: "ID", IssuingState: "VNM", DocumentNumber: "300000042", OptionalData1: "001300000042",
		DateOfBirth: "000229", Sex: Female, DateOfExpiry: "400229", Nationality: "VNM",
		PrimaryIdentifier: "PHAM", SecondaryIdentifier: "THI MAI"},
		CheckDigits: CheckDigits{'5', '9', '7', 0, '6'}},
}

// vnmSource is what a personalization profile holds for the synthetic
// Vietnamese vectors: the name as printed, with diacritics.
var vnmSource = map[string]struct{ pn, name string }{
	"vnm/nguyen_van_an":               {"001090012345", "Nguyễn Văn An"},
	"vnm/tran_thi_ngoc_anh_truncated": {"079203001234", "Trần Thị Ngọc Ánh Đặng Phương Hoàng Yến"},
	"vnm/pham_thi_mai_leap_day":       {"001300000042", "Phạm Thị Mai"},
}

func readVector(t *testing.T, name string) string {
	t.Helper()
	return strings.TrimSuffix(string(vectors.Read(t, filepath.Join("testdata", name))), "\n")
}

func TestVectors(t *testing.T) {
	files, err := filepath.Glob("testdata/*/*.mrz")
	require.NoError(t, err)
	require.Len(t, files, len(vectorFields))
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(file), "testdata/"), ".mrz")
		t.Run(name, func(t *testing.T) {
			want, ok := vectorFields[name]
			require.True(t, ok, "no expected fields for %s", name)
			text := readVector(t, name+".mrz")

			m, err := Parse(text)
			require.NoError(t, err)
			require.Equal(t, &want, m)
			require.Equal(t, text, m.String(), "round trip")
			lines, err := m.Lines()
			require.NoError(t, err)
			require.Equal(t, strings.Split(text, "\n"), lines)

			// The same zone, joined without line breaks and with CRLF.
			m2, err := Parse(strings.ReplaceAll(text, "\n", ""))
			require.NoError(t, err)
			require.Equal(t, m, m2)
			m2, err = Parse(strings.ReplaceAll(text, "\n", "\r\n") + "\r\n")
			require.NoError(t, err)
			require.Equal(t, m, m2)

			// Built from its fields, the zone comes out the same.
			built, err := New(want.Format, want.Fields)
			require.NoError(t, err)
			require.Equal(t, &want, built)
			if src, ok := vnmSource[name]; ok {
				v, err := NewVNMID(src.pn, src.name, want.DateOfBirth, want.Sex, want.DateOfExpiry)
				require.NoError(t, err)
				require.Equal(t, text, v.String())
				pn, ok := v.PersonalNumber()
				require.True(t, ok)
				require.Equal(t, src.pn, pn)
			}

			if _, err := os.Stat(filepath.Join("testdata", name+".info")); err == nil {
				info := readVector(t, name+".info")
				require.Equal(t, info, string(m.Info().Bytes()))
				n := strings.TrimRight(m.DocumentNumber, "<")
				fromFields, err := NewInfo(n, m.DateOfBirth, m.DateOfExpiry)
				require.NoError(t, err)
				require.Equal(t, info, string(fromFields.Bytes()))
			}
		})
	}
}
