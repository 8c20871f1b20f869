package conform

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAlpha2(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"VNM", "VN"}, {"D<<", "DE"}, {"D", "DE"}, {"DEU", "DE"}, {"GBR", "GB"}, {"GBD", "GB"},
		{"AFG", "AF"}, {"ZWE", "ZW"}, {"USA", "US"}, {"NLD", "NL"}, {"RKS", "XK"}, {"vnm", "VN"},
	} {
		got, ok := Alpha2(c.in)
		require.True(t, ok, c.in)
		require.Equal(t, c.want, got, c.in)
	}
	for _, in := range []string{"UTO", "UNO", "XXA", "", "VN", "GAX", "AFGA"} {
		_, ok := Alpha2(in)
		require.False(t, ok, in)
	}
	require.Len(t, iso3166, 249*6)
}

func TestCheckDSCountry(t *testing.T) {
	require.Nil(t, CheckDSCountry("VN", "VNM"))
	require.Nil(t, CheckDSCountry("DE", "D<<"))
	for _, c := range [][2]string{{"VN", "UTO"}, {"VN", "DEU"}, {"", "VNM"}, {"VN", ""}, {"VN", "UNO"}} {
		f := CheckDSCountry(c[0], c[1])
		require.NotNil(t, f, c)
		require.Equal(t, RuleDSCountry, f.Rule)
		require.True(t, f.Rule.Security)
		require.Equal(t, -1, f.Offset)
	}
	require.Contains(t, CheckDSCountry("VN", "UTO").Detail, `"UTO"`)
}
