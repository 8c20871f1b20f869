package mrz

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func addVectors(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.mrz")
	for _, file := range files {
		b, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(string(b))
		f.Add(strings.ReplaceAll(string(b), "\n", ""))
	}
}

var canonical = strings.NewReplacer("\r", "", "\n", "")

func FuzzParse(f *testing.F) {
	addVectors(f)
	f.Add(longTD1)
	f.Add(set(specimenTD3, 2, 43, "<"))
	f.Add(set(set(specimenTD3, 2, 22, "<"), 2, 23, "<"))
	f.Add("I<UTOD23145890<7349ABCDEFGHIJK\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<")
	f.Add("P<UTOA<<<B<<C<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10")
	f.Fuzz(func(t *testing.T, in string) {
		for _, strict := range []bool{true, false} {
			var m *MRZ
			var err error
			if strict {
				m, err = Parse(in)
			} else {
				m, err = ParseLenient(in)
			}
			if err != nil {
				var e *Error
				require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
				require.False(t, e.Line < 0, "error position %d:%d out of range", e.Line, e.Column)
				require.False(t, e.Line > 4, "error position %d:%d out of range", e.Line, e.Column)
				require.False(t, e.Column < 0, "error position %d:%d out of range", e.Line, e.Column)
				require.False(t, e.Column > 44, "error position %d:%d out of range", e.Line, e.Column)
				if m == nil {
					continue
				}
				require.False(t, strict, "strict Parse returned an MRZ with an error")
				require.ErrorIs(t, err, ErrCheckDigit, "lenient MRZ returned with error %v", err)
			}
			// Writing back gives the input, byte for byte (line breaks
			// aside), and reads back to the same value.
			out := m.String()
			require.Equal(t, canonical.Replace(in), canonical.Replace(out), "round trip:\n%q\n%q", in, out)
			again, err2 := ParseLenient(out)
			require.NotNil(t, again, "reparse of %q: %v", out, err2)
			require.Equal(t, m, again, "reparse differs")
			require.Equal(t, (err == nil), (m.Verify() == nil), "Verify %v disagrees with parse error %v", m.Verify(), err)
			if strict {
				_, err := Parse(out)
				require.NoError(t, err, "strict reparse")
			}
			info := m.Info().Bytes()
			require.False(t, len(info) < 24, "info %q", info)
			require.True(t, strings.Contains(string(info), string(m.DateOfBirth)), "info %q", info)
			_, _ = m.PersonalNumber()
			c := *m
			require.NoError(t, c.ComputeCheckDigits(), "ComputeCheckDigits on a parsed MRZ")
			require.NoError(t, c.Verify(), "Verify after ComputeCheckDigits")
		}
	})
}

func FuzzCheckDigit(f *testing.F) {
	f.Add("L898902C3", 3, byte('X'))
	f.Add("D23145890734", 0, byte('<'))
	f.Add("", 0, byte('0'))
	f.Add("ab<", 1, byte('A'))
	f.Fuzz(func(t *testing.T, s string, i int, c byte) {
		cd, err := CheckDigit(s)
		if err != nil {
			var e *Error
			require.ErrorAs(t, err, &e, "error %v", err)
			require.ErrorIs(t, err, ErrCharset, "error %v", err)
			require.False(t, e.Column < 1, "column %d does not point at an invalid character of %q", e.Column, s)
			require.False(t, e.Column > len(s), "column %d does not point at an invalid character of %q", e.Column, s)
			require.False(t, validChar(s[e.Column-1]), "column %d does not point at an invalid character of %q", e.Column, s)
			return
		}
		// A reference computation, written differently.
		sum := 0
		for k := 0; k < len(s); k++ {
			v := strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", s[k])
			if v < 0 {
				v = 0 // filler
			}
			sum += v * []int{7, 3, 1}[k%3]
		}
		require.Equal(t, byte('0'+sum%10), cd, "CheckDigit(%q) = %c, want %d", s, cd, sum%10)
		// A single substitution changes the digit unless the two values
		// differ by a multiple of 10 (the weights are prime to 10).
		if len(s) == 0 || !validChar(c) {
			return
		}
		i = int(uint(i) % uint(len(s)))
		t2 := s[:i] + string(c) + s[i+1:]
		cd2, err := CheckDigit(t2)
		require.NoError(t, err)
		v1, _ := charValue(s[i])
		v2, _ := charValue(c)
		require.Equal(t, ((v1-v2)%10 == 0), (cd == cd2), "substitution at %d of %q by %c: %c -> %c", i, s, c, cd, cd2)
	})
}

// FuzzNew builds zones from arbitrary names and numbers: New either fails
// or returns an MRZ that formats, parses back strictly to itself and fits.
func FuzzNew(f *testing.F) {
	f.Add(uint8(TD1), "Nguyễn", "Văn An", "090012345", "001090012345")
	f.Add(uint8(TD3), "Mustermann-Schmidt-Großkopf", "Erika Anna-Lena", "C01X00T47", "")
	f.Add(uint8(TD2), "STEVENSON", "PETER JOHN", "D23145890734", "")
	f.Add(uint8(MRVA), "O'Brien", "", "L8988901C", "6ZE184226B")
	f.Fuzz(func(t *testing.T, format uint8, primary, secondary, number, opt string) {
		fm := Format(format)
		code := "I"
		if fm == MRVA || fm == MRVB {
			code = "V"
		}
		m, err := New(fm, Fields{DocumentCode: code, IssuingState: "UTO", Nationality: "UTO",
			DocumentNumber: number, OptionalData1: opt, DateOfBirth: "740812", Sex: Female,
			DateOfExpiry: "120415", PrimaryIdentifier: primary, SecondaryIdentifier: secondary})
		if err != nil {
			var e *Error
			require.ErrorAs(t, err, &e, "error %v is not an *Error", err)
			return
		}
		out := m.String()
		again, err := Parse(out)
		require.NoError(t, err, "Parse(%q)", out)
		require.Equal(t, m, again, "%q reparses differently", out)
	})
}
