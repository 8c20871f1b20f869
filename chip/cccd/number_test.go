package cccd

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParsePersonalNumber(t *testing.T) {
	tests := []struct {
		in       string
		province Province
		name     string
		sex      Sex
		year     int
		century  int
		masked   string
	}{
		{"001090012345", 1, "Hà Nội", Male, 1990, 20, "001090******"},
		{"001150067890", 1, "Hà Nội", Female, 1950, 20, "001150******"},
		{"079203000001", 79, "Hồ Chí Minh", Male, 2003, 21, "079203******"},
		{"096310000002", 96, "Cà Mau", Female, 2010, 21, "096310******"},
		{"048499000003", 48, "Đà Nẵng", Male, 2199, 22, "048499******"},
		{"031500000004", 31, "Hải Phòng", Female, 2100, 22, "031500******"},
		{"001600000005", 1, "Hà Nội", Male, 2200, 23, "001600******"},
		{"001799000006", 1, "Hà Nội", Female, 2299, 23, "001799******"},
		{"001801000007", 1, "Hà Nội", Male, 2301, 24, "001801******"},
		{"001900000008", 1, "Hà Nội", Female, 2300, 24, "001900******"},
		{"003090012345", 3, "", Male, 1990, 20, "003090******"}, // no province 003
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := ParsePersonalNumber(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.province, n.Province)
			require.Equal(t, tt.name, n.Province.Name())
			require.Equal(t, tt.name != "", n.Province.Known())
			require.Equal(t, tt.sex, n.Sex)
			require.Equal(t, tt.year, n.BirthYear)
			require.Equal(t, tt.century, n.Century())
			require.Equal(t, tt.in[6:], n.Random)
			require.Equal(t, tt.masked, n.String())
			require.Equal(t, tt.masked, fmt.Sprint(n))
			require.True(t, ValidPersonalNumber(tt.in))
		})
	}
	for _, bad := range []string{"", "00109001234", "0010900123456", "00109001234a", "00109001234５", " 001090012345", "-01090012345"} {
		_, err := ParsePersonalNumber(bad)
		require.ErrorIs(t, err, ErrPersonalNumber, "%q", bad)
		require.False(t, ValidPersonalNumber(bad))
		_, err = CAN(bad)
		require.ErrorIs(t, err, ErrPersonalNumber)
		require.NotContains(t, err.Error(), "0010900")
	}
}

func TestCAN(t *testing.T) {
	can, err := CAN("001090012345")
	require.NoError(t, err)
	require.Equal(t, "012345", can)
	c := an(shortResidence)
	can, err = CAN(c.PersonalNumber)
	require.NoError(t, err)
	require.Equal(t, "012345", can)
}

func TestProvincesMatchCircular(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "circular-07-2016", "provinces.txt"))
	require.NoError(t, err)
	defer f.Close()
	seen := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		require.True(t, ok, line)
		n, err := strconv.Atoi(code)
		require.NoError(t, err)
		require.Equal(t, name, Province(n).Name(), code)
		require.Equal(t, code, Province(n).String())
		seen++
	}
	require.NoError(t, s.Err())
	require.Equal(t, 63, seen)
	require.Len(t, provinces, seen)
}

func TestSexString(t *testing.T) {
	require.Equal(t, "male", Male.String())
	require.Equal(t, "female", Female.String())
	require.Equal(t, "unknown", SexUnknown.String())
}

func TestDates(t *testing.T) {
	tests := []struct {
		in               string
		year, month, day int
		complete         bool
	}{
		{"01/01/1990", 1990, 1, 1, true},
		{"29/02/2000", 2000, 2, 29, true},
		{"31/12/2035", 2035, 12, 31, true},
		{" 01/01/1990 ", 1990, 1, 1, true},
		{"00/00/1950", 1950, 0, 0, false},
		{"00/03/1950", 1950, 3, 0, false},
		{"03/1950", 1950, 3, 0, false},
		{"1950", 1950, 0, 0, false},
		{"1/2/1990", 1990, 2, 1, true},
		{"29/02/1900", 0, 0, 0, false},
		{"31/04/2020", 0, 0, 0, false},
		{"01/13/2020", 0, 0, 0, false},
		{"05/00/2020", 0, 0, 0, false},
		{"01/01/0000", 0, 0, 0, false},
		{"01/01/90", 0, 0, 0, false},
		{"01-01-1990", 0, 0, 0, false},
		{"01/01/+990", 0, 0, 0, false},
		{"001/01/1990", 0, 0, 0, false},
		{"01/01/1990/1", 0, 0, 0, false},
		{NoExpiryText, 0, 0, 0, false},
		{"", 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := dateFromText(tt.in)
			require.Equal(t, Date{Raw: tt.in, Year: tt.year, Month: tt.month, Day: tt.day}, d)
			require.Equal(t, tt.complete, d.Complete())
			require.Equal(t, tt.year != 0, d.IsDate())
			require.Equal(t, tt.in, d.String())
			_, ok := d.Time(nil)
			require.Equal(t, tt.complete, ok)
			strict, err := ParseDate(tt.in)
			if tt.complete && len(tt.in) == 10 {
				require.NoError(t, err)
				require.Equal(t, d, strict)
			} else {
				require.ErrorIs(t, err, ErrDate)
			}
		})
	}
	d := NewDate(2035, 1, 1)
	require.Equal(t, Date{Raw: "01/01/2035", Year: 2035, Month: 1, Day: 1}, d)
	tm, ok := d.Time(time.FixedZone("ICT", 7*3600))
	require.True(t, ok)
	require.Equal(t, "2035-01-01T00:00:00+07:00", tm.Format(time.RFC3339))
	require.Equal(t, "05/11/0999", NewDate(999, 11, 5).Raw)
}

func TestCheckPersonalNumber(t *testing.T) {
	for _, name := range fixtureNames {
		c, _ := expected(name)
		require.NoError(t, c.CheckPersonalNumber(), name)
	}
	c := an(shortResidence)
	c.DateOfBirth = NewDate(1991, 1, 1)
	err := c.CheckPersonalNumber()
	require.ErrorIs(t, err, ErrInconsistent)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, FieldDateOfBirth, e.Field)

	c = an(shortResidence)
	c.Sex = "Nữ"
	err = c.CheckPersonalNumber()
	require.ErrorIs(t, err, ErrInconsistent)
	require.ErrorAs(t, err, &e)
	require.Equal(t, FieldSex, e.Field)

	c = an(shortResidence)
	c.DateOfBirth, c.Sex = Date{}, ""
	require.NoError(t, c.CheckPersonalNumber(), "nothing to compare")
	c.PersonalNumber = "12345"
	require.ErrorIs(t, c.CheckPersonalNumber(), ErrPersonalNumber)
}
