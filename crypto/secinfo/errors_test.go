package secinfo

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func TestParseErrors(t *testing.T) {
	pace := "3012 060A 04007F00070202040202 020102 02010D"
	tests := []struct {
		name   string
		in     string
		opts   Options
		err    error
		offset int
		index  int
	}{
		{"empty", "", Strict, ErrSyntax, 0, -1},
		{"not a SET", "3000", Strict, ErrSyntax, 0, -1},
		{"truncated SET", "3114" + pace[:20], Strict, ErrSyntax, 0, -1},
		{"trailing byte", "3114" + pace + "00", Strict, ErrTrailingData, 22, -1},
		{"padding needs AllowPadding", "3114" + pace + "FF", Options{AllowUnsorted: true}, ErrTrailingData, 22, -1},
		{"padding then data", "3114" + pace + "FF00 01", Lenient, ErrTrailingData, 22, -1},
		{"indefinite length", "3180" + pace + "0000", Strict, ErrSyntax, 0, -1},
		{"non-minimal length", "318114" + pace, Strict, ErrSyntax, 0, -1},
		{"element not a SEQUENCE", "3103 020101", Strict, ErrSyntax, 2, 0},
		{"SEQUENCE without OID", "3105 3003 020101", Strict, ErrSyntax, 4, 0},
		{"PACEInfo without version", "310E 300C 060A 04007F00070202040202", Strict, ErrSyntax, 16, 0},
		{"PACEInfo negative version", "3111 300F 060A 04007F00070202040202 0201FE", Strict, ErrValue, 16, 0},
		{"PACEInfo non-minimal INTEGER", "3112 3010 060A 04007F00070202040202 02020002", Strict, ErrSyntax, 16, 0},
		{"PACEInfo extra element", "3116 3014 060A 04007F00070202040202 020102 02010D 0500", Strict, ErrSyntax, 22, 0},
		{"PACEInfo parameterId too large", "3118 3016 060A 04007F00070202040202 020102 02050100000000", Strict, ErrValue, 19, 0},
		{"unsorted", "3128" + pace + "3012 060A 04007F00070202040202 020102 02010C", Strict, ErrNotSorted, 22, 1},
		{"TA FileID of 3 bytes", "3116 3014 0608 04007F0007020202 020101 3005 0403 011C00", Strict, ErrValue, 19, 0},
		{"TA FileID SFID of 2 bytes", "3119 3017 0608 04007F0007020202 020101 3008 0402011C 04021C00", Strict, ErrValue, 23, 0},
		{"AA without signature algorithm", "310D 300B 0606 678108010105 020101", Strict, ErrSyntax, 15, 0},
		{"unknown with three elements", "310E 300C 0604 2B060104 0500 0500 0500", Strict, ErrSyntax, 14, 0},
		{"unknown without data", "3108 3006 0604 2B060104", Strict, ErrSyntax, 10, 0},
		{"public key with unused bits", "3124 3022 0609 04007F000702020102 3012 300B 0607 04007F00070102 0500 0303 0104FE 02010D", Strict, ErrValue, 30, 0},
		{"public key with bad padding", "3124 3022 0609 04007F000702020102 3012 300B 0607 04007F00070102 0500 0303 0104FF 02010D", Strict, ErrSyntax, 30, 0},
		{"AlgorithmIdentifier without OID", "3124 3022 0609 04007F000702020102 3012 300B 0207 04007F00070102 0500 0303 0004FF 02010D", Strict, ErrSyntax, 19, 0},
		{"too large", "3114" + pace, Options{MaxSize: 21}, ErrTooLarge, 21, -1},
		{"too many", "3128" + pace + pace, Options{MaxInfos: 1}, ErrTooMany, 22, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.opts.Parse(vectors.Unhex(t, tc.in))
			require.ErrorIs(t, err, tc.err)
			var e *Error
			require.True(t, errors.As(err, &e))
			require.Equal(t, tc.offset, e.Offset, "offset")
			require.Equal(t, tc.index, e.Index, "index")
			require.NotEmpty(t, e.Error())
		})
	}
}

func TestParseDG14Errors(t *testing.T) {
	set := "3114 3012 060A 04007F00070202040202 020102 02010D"
	_, err := ParseDG14(vectors.Unhex(t, "6F16"+set))
	require.ErrorIs(t, err, ErrNotDG14)
	_, err = ParseDG14(vectors.Unhex(t, "6E17"+set))
	require.ErrorIs(t, err, ErrSyntax)
	_, err = ParseDG14(vectors.Unhex(t, "6E16"+set+"0000"))
	require.ErrorIs(t, err, ErrTrailingData)
	var te *Error
	require.ErrorAs(t, err, &te)
	require.Equal(t, 24, te.Offset)
	s, err := Lenient.ParseDG14(vectors.Unhex(t, "6E16"+set+"0000"))
	require.NoError(t, err)
	require.Len(t, s.PACE(), 1)

	// An error inside the SET gives an offset in the DG14 file.
	_, err = ParseDG14(vectors.Unhex(t, "6E14 3112 3010 060A 04007F00070202040202 02020002"))
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, ErrSyntax, e.Err)
	require.Equal(t, 18, e.Offset)
	require.Equal(t, 0, e.Index)
	require.True(t, e.Protocol.Equal(OIDPACEECDHGMAES128))
	require.Contains(t, e.Error(), "id-PACE-ECDH-GM-AES-CBC-CMAC-128")
}

func TestEncodeErrors(t *testing.T) {
	_, err := (&SecurityInfos{Infos: []Info{&UnknownInfo{Protocol: OIDEFDIR}}}).Encode()
	require.Error(t, err)
	_, err = (&SecurityInfos{Infos: []Info{&PACEInfo{Version: 2}}}).Encode()
	require.Error(t, err)
	b, err := (&SecurityInfos{}).Encode()
	require.NoError(t, err)
	require.Equal(t, []byte{0x31, 0x00}, b)
}
