// Package readme checks that the README's code stays true: every Go block
// that follows a marker <!-- example: FILE FUNC --> must be the body of that
// Example function (one tab of indentation removed), which go test runs and
// whose output it checks.
package readme

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var marker = regexp.MustCompile("(?s)<!-- example: (\\S+) (\\w+) -->\n```go\n(.*?)```\n")

func TestREADMESnippetsAreExamples(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	found := marker.FindAllStringSubmatch(string(readme), -1)
	require.NotEqual(t, 0, len(found), "the README has no example markers")
	for _, m := range found {
		file, fn, snippet := m[1], m[2], m[3]
		body, err := exampleBody(filepath.Join(root, file), fn)
		if !assert.NoError(t, err, "%s %s", file, fn) {
			continue
		}
		assert.Equal(t, snippet, body, "README snippet of %s %s differs from the Example's body; copy the body (one tab less) into the README", file, fn)
	}
}

// exampleBody returns the lines between "func FN() {" and the closing "}"
// at column 0, each with its first tab removed.
func exampleBody(path, fn string) (string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	lines := strings.Split(string(src), "\n")
	start := -1
	for i, l := range lines {
		if l == "func "+fn+"() {" {
			start = i
			break
		}
	}
	if start < 0 {
		return "", os.ErrNotExist
	}
	var b strings.Builder
	for _, l := range lines[start+1:] {
		if l == "}" {
			return b.String(), nil
		}
		b.WriteString(strings.TrimPrefix(l, "\t"))
		b.WriteByte('\n')
	}
	return "", os.ErrNotExist
}
