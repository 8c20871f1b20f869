// Package vectors reads the project's test-vector files under testdata/, so
// that every package's tests parse them the same way, with a size limit and
// errors that name the file and the line.
//
// Two text formats are used, each described in the README beside the files:
//
//   - hex files (*.hex): hex digits, white space anywhere, lines starting
//     with '#' are comments. Hex returns the decoded bytes.
//   - name = value files (*.txt): one "name = value" per line, '#' starts a
//     comment line. Values read as hex may hold spaces. Load treats the whole
//     file as one set of names (a name may appear once); Blocks splits it into
//     sets at blank lines (each set one test case, as RFC test vectors are
//     printed).
//
// Read returns any other file (DER, JPEG, binary data groups) as it is,
// under the same size limit. The functions take a testing.TB and stop the
// test (testify require) on any error: they are for tests only.
package vectors

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// MaxSize is the largest vector file read: the project's largest is a few
// tens of KiB; anything bigger is a mistake, not a vector.
const MaxSize = 1 << 20

var (
	// ErrTooLarge: a file holds more than MaxSize bytes.
	ErrTooLarge = errors.New("larger than vectors.MaxSize")
	// ErrSyntax: a line is not "name = value", or hex does not decode.
	ErrSyntax = errors.New("syntax error")
	// ErrDuplicate: a name appears twice in one set.
	ErrDuplicate = errors.New("duplicate name")
	// ErrEmpty: a name = value file holds no values.
	ErrEmpty = errors.New("no values")
)

// Error says which file and line (1-based; 0 for the whole file) a problem
// is in.
type Error struct {
	File string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return e.File + ": " + e.Err.Error()
	}
	return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// readFile reads path, refusing more than MaxSize bytes before reading them.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, &Error{File: path, Err: err}
	}
	if len(b) > MaxSize {
		return nil, &Error{File: path, Err: ErrTooLarge}
	}
	return clip(b), nil
}

// decodeHex decodes hex digits with any white space between them.
func decodeHex(s string) ([]byte, error) {
	return hex.DecodeString(strings.Join(strings.Fields(s), ""))
}

// ParseHex decodes the text of a hex file (white space ignored, '#' lines
// are comments); name is the file's name for errors.
func ParseHex(name string, data []byte) ([]byte, error) {
	var out []byte
	for i, line := range lines(data) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		b, err := decodeHex(line)
		if err != nil {
			return nil, &Error{File: name, Line: i + 1, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
		}
		out = append(out, b...)
	}
	return clip(out), nil
}

// clip drops spare capacity: a parser under test sees exactly the file's
// bytes, as it would from hex.DecodeString or os.ReadFile of a known size
// (some parsers compute offsets from capacities).
func clip(b []byte) []byte { return b[:len(b):len(b)] }

// A Set is one set of name = value pairs: a whole file (Load) or one block
// (Blocks).
type Set struct {
	File   string
	Line   int // the line of its first pair
	Values map[string]string
	lines  map[string]int
}

// ParseBlocks parses the text of a name = value file; name is the file's
// name for errors. With split, a blank line ends a set; without, the file is
// one set.
func ParseBlocks(name string, data []byte, split bool) ([]*Set, error) {
	var out []*Set
	var cur *Set
	for i, line := range lines(data) {
		n := i + 1
		line = strings.TrimSpace(line)
		if line != "" && line[0] == '#' {
			continue
		}
		if line == "" {
			if split && cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w: want name = value", ErrSyntax)}
		}
		if cur == nil {
			cur = &Set{File: name, Line: n, Values: map[string]string{}, lines: map[string]int{}}
		}
		if prev, dup := cur.lines[k]; dup {
			return nil, &Error{File: name, Line: n, Err: fmt.Errorf("%w %q (first on line %d)", ErrDuplicate, k, prev)}
		}
		cur.Values[k] = strings.TrimSpace(v)
		cur.lines[k] = n
	}
	if cur != nil {
		out = append(out, cur)
	}
	if len(out) == 0 {
		return nil, &Error{File: name, Err: ErrEmpty}
	}
	return out, nil
}

// lines splits text at '\n' (a final '\r' is white space to TrimSpace).
func lines(data []byte) []string {
	return strings.Split(string(bytes.TrimSuffix(data, []byte("\n"))), "\n")
}

// Lookup returns the value of name, hex-decoded when asHex.
func (s *Set) lookup(name string, asHex bool) (string, []byte, error) {
	v, ok := s.Values[name]
	if !ok {
		return "", nil, &Error{File: s.File, Line: s.Line, Err: fmt.Errorf("no value named %q in the set", name)}
	}
	if !asHex {
		return v, nil, nil
	}
	b, err := decodeHex(v)
	if err != nil {
		return "", nil, &Error{File: s.File, Line: s.lines[name], Err: fmt.Errorf("%w: %s: %v", ErrSyntax, name, err)}
	}
	return v, b, nil
}

// String returns the value of name; a missing name fails the test.
func (s *Set) String(tb testing.TB, name string) string {
	tb.Helper()
	v, _, err := s.lookup(name, false)
	require.NoError(tb, err)
	return v
}

// Bytes returns the value of name decoded from hex (spaces allowed); a
// missing name or bad hex fails the test.
func (s *Set) Bytes(tb testing.TB, name string) []byte {
	tb.Helper()
	_, b, err := s.lookup(name, true)
	require.NoError(tb, err)
	return b
}

// HexValues decodes every value of the set from hex.
func (s *Set) HexValues(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := make(map[string][]byte, len(s.Values))
	for k := range s.Values {
		out[k] = s.Bytes(tb, k)
	}
	return out
}

// Read returns the bytes of path (at most MaxSize).
func Read(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := readFile(path)
	require.NoError(tb, err)
	return b
}

// Hex reads a hex file.
func Hex(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := ParseHex(path, Read(tb, path))
	require.NoError(tb, err)
	return b
}

// Load reads a name = value file as one set (blank lines only separate
// groups for the reader; a name appears once in the file).
func Load(tb testing.TB, path string) *Set {
	tb.Helper()
	sets, err := ParseBlocks(path, Read(tb, path), false)
	require.NoError(tb, err)
	return sets[0]
}

// LoadHex reads a name = value file as one set whose values are all hex.
func LoadHex(tb testing.TB, path string) map[string][]byte {
	tb.Helper()
	return Load(tb, path).HexValues(tb)
}

// Blocks reads a name = value file whose blank lines separate its sets (at
// least one).
func Blocks(tb testing.TB, path string) []*Set {
	tb.Helper()
	sets, err := ParseBlocks(path, Read(tb, path), true)
	require.NoError(tb, err)
	return sets
}

// Unhex decodes hex written in a test, white space allowed; bad hex fails
// the test.
func Unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := decodeHex(s)
	require.NoError(tb, err, "unhex %.40q", s)
	return b
}
