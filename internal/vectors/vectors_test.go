package vectors

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseHex(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []byte
		line     int
	}{
		{"plain", "0102", []byte{1, 2}, 0},
		{"spaces and comments", "# c\n01 02\n\n  # c2\n0A0b\r\n", []byte{1, 2, 0x0a, 0x0b}, 0},
		{"empty", "# nothing\n", nil, 0},
		{"bad digit", "01\n0G\n", nil, 2},
		{"odd", "012\n", nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHex("f.hex", []byte(tc.in))
			if tc.line != 0 {
				var e *Error
				require.ErrorAs(t, err, &e)
				require.ErrorIs(t, err, ErrSyntax)
				require.Equal(t, "f.hex", e.File)
				require.Equal(t, tc.line, e.Line)
				require.Contains(t, err.Error(), "f.hex:"+string(rune('0'+tc.line))+":")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			require.Equal(t, len(got), cap(got))
		})
	}
}

func TestParseBlocks(t *testing.T) {
	in := "# head\na = 01 02\nb=x y\n\n\n# c\nc = 3\n"
	sets, err := ParseBlocks("v.txt", []byte(in), true)
	require.NoError(t, err)
	require.Len(t, sets, 2)
	require.Equal(t, map[string]string{"a": "01 02", "b": "x y"}, sets[0].Values)
	require.Equal(t, 2, sets[0].Line)
	require.Equal(t, map[string]string{"c": "3"}, sets[1].Values)
	require.Equal(t, 7, sets[1].Line)
	require.Equal(t, []byte{1, 2}, sets[0].Bytes(t, "a"))
	require.Equal(t, "x y", sets[0].String(t, "b"))

	one, err := ParseBlocks("v.txt", []byte(in), false)
	require.NoError(t, err)
	require.Len(t, one, 1)
	require.Equal(t, map[string]string{"a": "01 02", "b": "x y", "c": "3"}, one[0].Values)

	for _, tc := range []struct {
		name, in string
		split    bool
		err      error
		line     int
	}{
		{"no equals", "a = 1\nnonsense\n", false, ErrSyntax, 2},
		{"no name", " = 1\n", false, ErrSyntax, 1},
		{"duplicate", "a = 1\n\na = 2\n", false, ErrDuplicate, 3},
		{"duplicate in block", "a = 1\na = 2\n\na = 3\n", true, ErrDuplicate, 2},
		{"empty", "# only\n\n", true, ErrEmpty, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBlocks("v.txt", []byte(tc.in), tc.split)
			require.ErrorIs(t, err, tc.err)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, "v.txt", e.File)
			require.Equal(t, tc.line, e.Line)
		})
	}
	// The same name in two blocks is two cases, not a duplicate.
	sets, err = ParseBlocks("v.txt", []byte("a = 1\n\na = 2\n"), true)
	require.NoError(t, err)
	require.Len(t, sets, 2)
}

func TestSetLookupErrors(t *testing.T) {
	sets, err := ParseBlocks("v.txt", []byte("a = 1\nb = zz\n"), false)
	require.NoError(t, err)
	_, _, err = sets[0].lookup("missing", false)
	require.ErrorContains(t, err, `v.txt:1: no value named "missing"`)
	_, _, err = sets[0].lookup("b", true)
	require.ErrorIs(t, err, ErrSyntax)
	require.ErrorContains(t, err, "v.txt:2: ")
}

func TestReadLimit(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.hex")
	require.NoError(t, os.WriteFile(ok, []byte(strings.Repeat("0", MaxSize)), 0o600))
	b := Read(t, ok)
	require.Len(t, b, MaxSize)
	require.Equal(t, MaxSize, cap(b))
	big := filepath.Join(dir, "big.hex")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("0", MaxSize+1)), 0o600))
	_, err := readFile(big)
	require.ErrorIs(t, err, ErrTooLarge)
	require.ErrorContains(t, err, big)
	_, err = readFile(filepath.Join(dir, "absent"))
	require.True(t, errors.Is(err, os.ErrNotExist))
}

func TestHelpers(t *testing.T) {
	dir := t.TempDir()
	h := filepath.Join(dir, "a.hex")
	require.NoError(t, os.WriteFile(h, []byte("# x\nDEAD\nbeef\n"), 0o600))
	require.Equal(t, []byte{0xde, 0xad, 0xbe, 0xef}, Hex(t, h))
	v := filepath.Join(dir, "v.txt")
	require.NoError(t, os.WriteFile(v, []byte("a = 01\n\nb = 02 03\n"), 0o600))
	require.Equal(t, map[string][]byte{"a": {1}, "b": {2, 3}}, LoadHex(t, v))
	require.Len(t, Blocks(t, v), 2)
	require.Equal(t, []byte{1, 2, 3}, Unhex(t, " 01\n02\t03 "))
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a = 01\n\n# c\nb = 02 03\n"), true)
	f.Add([]byte("0102\n# c\n0g"), false)
	f.Fuzz(func(t *testing.T, data []byte, split bool) {
		if _, err := ParseHex("f", data); err != nil {
			var e *Error
			require.ErrorAs(t, err, &e)
		}
		sets, err := ParseBlocks("f", data, split)
		if err != nil {
			var e *Error
			require.ErrorAs(t, err, &e)
			return
		}
		require.NotEmpty(t, sets)
		for _, s := range sets {
			require.NotEmpty(t, s.Values)
			for k := range s.Values {
				require.NotEmpty(t, k)
				_, _, _ = s.lookup(k, true)
			}
		}
	})
}
