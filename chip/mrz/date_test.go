package mrz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestNewDate(t *testing.T) {
	for _, tt := range []struct {
		y, m, d int
		want    Date
		err     bool
	}{
		{1974, 8, 12, "740812", false},
		{2000, 2, 29, "000229", false},
		{5, 1, 1, "050101", false},
		{1974, 0, 0, "74<<<<", false},
		{-1, 0, 0, "<<<<<<", false},
		{-1, 3, 0, "<<03<<", false},
		{1990, 0, 15, "90<<15", false},
		{1990, 13, 1, "", true},
		{1990, -1, 1, "", true},
		{1990, 4, 31, "", true},
		{1990, 2, 30, "", true},
		{1990, 1, 32, "", true},
	} {
		d, err := NewDate(tt.y, tt.m, tt.d)
		if tt.err {
			require.ErrorIs(t, err, ErrDate, "%d-%d-%d", tt.y, tt.m, tt.d)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tt.want, d)
		require.NoError(t, d.Validate(true))
	}
}

func TestDateValidate(t *testing.T) {
	for _, tt := range []struct {
		d            Date
		allowUnknown bool
		col          int // 0: valid
	}{
		{"740812", false, 0},
		{"000229", false, 0},
		{"740431", false, 5},
		{"740230", false, 5},
		{"741301", false, 3},
		{"740001", false, 3},
		{"740100", false, 5},
		{"74<<<<", false, 3},
		{"74<<<<", true, 0},
		{"<<<<<<", true, 0},
		{"<<0229", true, 0},
		{"7<0812", true, 1},
		{"74081", true, 0},
		{"7408122", true, 0},
		{"74O812", true, 3},
		{"74<<32", true, 5},
	} {
		err := tt.d.Validate(tt.allowUnknown)
		if tt.col == 0 && len(tt.d) == 6 {
			require.NoError(t, err, string(tt.d))
			continue
		}
		require.ErrorIs(t, err, ErrDate, string(tt.d))
		require.Equal(t, tt.col, err.(*Error).Column, string(tt.d))
	}
}

func TestDateCentury(t *testing.T) {
	ref := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		d      Date
		birth  string
		expiry string
	}{
		{"740812", "1974-08-12", "2074-08-12"},
		{"261125", "2026-11-25", "2026-11-25"},
		{"261126", "1926-11-26", "2026-11-26"},
		{"261201", "1926-12-01", "2026-12-01"},
		{"260101", "2026-01-01", "2026-01-01"},
		{"770101", "1977-01-01", "1977-01-01"}, // 51 years on: expired long ago
		{"760101", "1976-01-01", "2076-01-01"}, // 50 years ahead is the limit
		{"000229", "2000-02-29", "2000-02-29"},
		{"26<<<<", "2026-XX-XX", ""},
		{"27<<<<", "1927-XX-XX", ""},
		{"<<<<<<", "XXXX-XX-XX", ""},
		{"<<0315", "XXXX-03-15", ""},
		{"2611<<", "2026-11-XX", ""},
		{"2612<<", "1926-12-XX", ""},
	} {
		b, err := tt.d.Birth(ref)
		require.NoError(t, err, string(tt.d))
		require.Equal(t, tt.birth, b.String(), string(tt.d))
		e, err := tt.d.Expiry(ref)
		if tt.expiry == "" {
			require.ErrorIs(t, err, ErrDate)
			continue
		}
		require.NoError(t, err, string(tt.d))
		require.Equal(t, tt.expiry, e.String(), string(tt.d))
	}

	// 29 February in a year that resolves to a common year.
	_, err := Date("000229").Birth(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	_, err = Date("000229").Expiry(time.Date(2060, 1, 1, 0, 0, 0, 0, time.UTC)) // 2100
	require.ErrorIs(t, err, ErrDate)
	_, err = Date("010229").Birth(ref)
	require.ErrorIs(t, err, ErrDate)
	_, err = Date("741301").Birth(ref)
	require.ErrorIs(t, err, ErrDate)

	c, err := Date("740812").Birth(ref)
	require.NoError(t, err)
	tm, ok := c.Time()
	require.True(t, ok)
	require.Equal(t, time.Date(1974, 8, 12, 0, 0, 0, 0, time.UTC), tm)
	_, ok = CivilDate{Year: 1974}.Time()
	require.False(t, ok)
}
