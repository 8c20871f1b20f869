package readme

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var shBlock = regexp.MustCompile("(?s)```sh\n(.*?)```")

// readmeCommand is a "go run" line of a README and the exit code it is
// documented to end with: 0, or N when its comment says "exit N".
type readmeCommand struct {
	line string
	exit int
}

var exitComment = regexp.MustCompile(`#.*\bexit (\d+)\b`)

// readmeCommands returns the "go run" commands of a README's sh blocks, in
// order, without their comments.
func readmeCommands(t *testing.T, path string) []readmeCommand {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var cmds []readmeCommand
	for _, m := range shBlock.FindAllStringSubmatch(string(b), -1) {
		// A line ending in a backslash continues on the next.
		for _, l := range strings.Split(strings.ReplaceAll(m[1], "\\\n", " "), "\n") {
			c := readmeCommand{}
			if e := exitComment.FindStringSubmatch(l); e != nil {
				c.exit, _ = strconv.Atoi(e[1])
			}
			if i := strings.Index(l, " #"); i >= 0 {
				l = l[:i]
			}
			c.line = strings.TrimSpace(l)
			if strings.HasPrefix(c.line, "go run ") {
				cmds = append(cmds, c)
			}
		}
	}
	return cmds
}

// TestREADMECommandsSucceed runs every "go run" command the READMEs show,
// in order, as a new user would paste them, and wants exit 0 from each (or
// the exit code its comment documents, "# exit 1"):
// /tmp/ becomes a fresh directory, and the commands that need hardware
// (-tags pcsc, --reader), a PKCS#11 token (--pkcs11) or serve until stopped
// (--listen) are left out.
func TestREADMECommandsSucceed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the tool: not in -short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", bin+string(filepath.Separator), "./cmd/cancuoc", "./examples/...")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)
	readmes, err := filepath.Glob(filepath.Join(root, "examples", "*", "README.md"))
	require.NoError(t, err)
	readmes = append([]string{filepath.Join(root, "README.md")}, readmes...)
	ran := 0
	for _, readme := range readmes {
		rel, _ := filepath.Rel(root, readme)
		tmp := t.TempDir() + "/"
		for _, c := range readmeCommands(t, readme) {
			line := c.line
			// --pkcs11 needs a token set up by the lines around it
			// (softhsm2-util): hsm/, cmd/cancuoc and examples/issuance
			// run that path against SoftHSM2.
			if strings.Contains(line, "-tags pcsc") || strings.Contains(line, "--reader") || strings.Contains(line, "--listen") ||
				strings.Contains(line, "--pkcs11") {
				continue
			}
			args := strings.Fields(strings.ReplaceAll(line, "/tmp/", tmp))
			pkg := args[2] // go run PKG ...
			if !assert.True(t, strings.HasPrefix(pkg, "./"), "%s: %q: want go run ./PKG", rel, line) {
				continue
			}
			cmd := exec.Command(filepath.Join(bin, filepath.Base(pkg)), args[3:]...)
			cmd.Dir = root
			out, err := cmd.CombinedOutput()
			if !assert.NotNil(t, cmd.ProcessState, "%s: %q did not start: %v", rel, line, err) {
				continue
			}
			code := cmd.ProcessState.ExitCode()
			assert.Equal(t, c.exit, code, "%s: %q exited %d, the README says %d (%v):\n%s", rel, line, code, c.exit, err, out)
			ran++
		}
	}
	require.False(t, ran < 5, "only %d README commands found", ran)
	t.Logf("%d README commands ran", ran)
}
