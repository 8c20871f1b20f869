package mrz

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

const (
	// Doc 9303 Part 4 Appendix A (specimen passport of Utopia).
	specimenTD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" +
		"L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	// Doc 9303 Part 5 Appendix A (specimen TD1).
	specimenTD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n" +
		"7408122F1204159UTO<<<<<<<<<<<6\n" +
		"ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	// Synthetic CCCD (no real person).
	vnmTD1 = "IDVNM0900123450001090012345<<<\n" +
		"9001011M3501014VNM<<<<<<<<<<<5\n" +
		"NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
)

func TestParseSpecimens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want MRZ
	}{
		{"TD3", specimenTD3, MRZ{
			Format: TD3,
			Fields: Fields{
				DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3",
				OptionalData1: "ZE184226B", DateOfBirth: "740812", Sex: Female, DateOfExpiry: "120415",
				Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA",
			},
			CheckDigits: CheckDigits{DocumentNumber: '6', DateOfBirth: '2', DateOfExpiry: '9', OptionalData: '1', Composite: '0'},
		}},
		{"TD1", specimenTD1, MRZ{
			Format: TD1,
			Fields: Fields{
				DocumentCode: "I", IssuingState: "UTO", DocumentNumber: "D23145890",
				DateOfBirth: "740812", Sex: Female, DateOfExpiry: "120415",
				Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA",
			},
			CheckDigits: CheckDigits{DocumentNumber: '7', DateOfBirth: '2', DateOfExpiry: '9', Composite: '6'},
		}},
		{"VNM", vnmTD1, MRZ{
			Format: TD1,
			Fields: Fields{
				DocumentCode: "ID", IssuingState: "VNM", DocumentNumber: "090012345", OptionalData1: "001090012345",
				DateOfBirth: "900101", Sex: Male, DateOfExpiry: "350101",
				Nationality: "VNM", PrimaryIdentifier: "NGUYEN", SecondaryIdentifier: "VAN AN",
			},
			CheckDigits: CheckDigits{DocumentNumber: '0', DateOfBirth: '1', DateOfExpiry: '4', Composite: '5'},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.in)
			require.NoError(t, err)
			require.Equal(t, &tt.want, m)
			require.Equal(t, tt.in, m.String())
			require.NoError(t, m.Verify())

			built := tt.want
			built.CheckDigits = CheckDigits{}
			require.NoError(t, built.ComputeCheckDigits())
			require.Equal(t, tt.want.CheckDigits, built.CheckDigits)
		})
	}
}

func TestCheckDigit(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want byte
	}{
		{"", '0'}, {"<<<<<<<<<", '0'}, {"L898902C3", '6'}, {"740812", '2'}, {"120415", '9'},
		{"ZE184226B<<<<<", '1'}, {"D23145890", '7'}, {"520727", '3'},
	} {
		got, err := CheckDigit(tt.in)
		require.NoError(t, err, tt.in)
		require.Equal(t, string(tt.want), string(got), tt.in)
	}
	_, err := CheckDigit("AB c")
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, 3, e.Column)
	require.True(t, errors.Is(err, ErrCharset))
}
