package archtest

import (
	"errors"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const module = "github.com/cancuoc/cancuoc"

// A rule says which packages of the module a group of packages may import.
// Patterns are module-relative: "x" is package x, "x/..." is x and every
// package below it.
type rule struct {
	// pkgs are the packages the rule governs.
	pkgs []string
	// except are packages among pkgs the rule does not govern (they have
	// a rule of their own).
	except []string
	// may lists what they may import; anything else of the module is
	// refused.
	may []string
	// tests: the rule holds for their test files too, not only their code.
	tests bool
	// why is the sentence of ARCHITECTURE.md the rule enforces.
	why string
}

// rules is the direction of use, bottom up. A package matched by several
// rules obeys them all.
var rules = []rule{
	{pkgs: []string{"internal/vectors"}, tests: true, why: "the reader of test-vector files is a leaf every package's tests may use"},
	{pkgs: []string{"tlv"}, tests: true, why: "tlv knows nothing above it"},
	{pkgs: []string{"check"}, tests: true, why: "check is vocabulary: it knows nothing of the module"},
	{pkgs: []string{"apdu"}, may: []string{"tlv"}, tests: true, why: "apdu knows only tlv"},
	{pkgs: []string{"crypto/..."}, may: []string{"tlv", "apdu", "check", "crypto/..."}, tests: true,
		why: "protocol and trust packages know keys, bytes and certificates, not the LDS (chip) and not the session (reader)"},
	{pkgs: []string{"chip/..."}, except: []string{"chip/sim/..."}, may: []string{"tlv", "chip/...", "crypto/secinfo"}, tests: true,
		why: "chip knows the LDS, not the wire: tlv and the SecurityInfos DG14 and EF.CardAccess carry"},
	{pkgs: []string{"chip/sim/..."}, may: []string{"tlv", "apdu", "check", "chip/...", "crypto/...", "internal/..."},
		why: "chip/sim is the card side: chip, apdu and the chip side of each protocol, never the reader"},
	{pkgs: []string{"conform/...", "policy"}, may: []string{"tlv", "check", "chip/...", "crypto/...", "conform/..."},
		why: "conform and policy judge files and facts; they know nothing of sessions"},
	{pkgs: []string{"issuance", "photo"}, may: []string{"tlv", "chip/..."},
		why: "issuance and photo know the LDS only"},
	{pkgs: []string{"hsm/..."}, may: []string{"crypto/...", "hsm/..."}, why: "hsm gives crypto.Signers; it knows keys only"},
	{pkgs: []string{"relay", "reader/pcsc"}, may: []string{"tlv", "apdu"},
		why: "transports carry APDUs: they know apdu, not reader"},
	{pkgs: []string{"..."}, except: []string{"reader/...", "evidence", "server/...", "cmd/...", "examples/...", "internal/loadgen"},
		may: []string{"tlv", "apdu", "check", "chip/...", "crypto/...", "conform/...", "policy", "issuance", "photo", "hsm/...", "relay", "internal/..."},
		why: "nothing below reader imports reader or what is built on it (evidence, server, cmd)"},
}

// testHelpers are the module's helpers for tests that import nothing of
// the module themselves (vector files, secret printing, pcscd, timing):
// any package's tests may use them without pointing upwards.
var testHelpers = []string{"internal/vectors", "internal/secretcheck", "internal/pcsctest", "internal/dudect"}

// match reports whether module-relative package p matches pattern pat.
func match(pat, p string) bool {
	if pat == "..." {
		return true
	}
	if base, ok := strings.CutSuffix(pat, "/..."); ok {
		return p == base || strings.HasPrefix(p, base+"/")
	}
	return p == pat
}

func matchAny(pats []string, p string) bool {
	return slices.ContainsFunc(pats, func(pat string) bool { return match(pat, p) })
}

// pkg is one package of the module and its imports of the module.
type pkg struct {
	path        string // module-relative
	imports     []string
	testImports []string
}

// modulePackages lists the packages under root with go/build (tag pcsc on,
// so the PC/SC files count too).
func modulePackages(t *testing.T, root string) []pkg {
	t.Helper()
	ctx := build.Default
	ctx.BuildTags = append(slices.Clone(ctx.BuildTags), "pcsc")
	own := func(list []string) []string {
		var out []string
		for _, imp := range list {
			if imp == module {
				out = append(out, ".")
			} else if rel, ok := strings.CutPrefix(imp, module+"/"); ok {
				out = append(out, rel)
			}
		}
		return out
	}
	var pkgs []pkg
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			return filepath.SkipDir
		}
		bp, err := ctx.ImportDir(path, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		pkgs = append(pkgs, pkg{
			path:        filepath.ToSlash(rel),
			imports:     own(bp.Imports),
			testImports: own(append(slices.Clone(bp.TestImports), bp.XTestImports...)),
		})
		return nil
	})
	require.NoError(t, err)
	return pkgs
}

// moduleRoot is the folder of go.mod above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test")
		dir = parent
	}
}

// violations lists the imports of pkgs that break rules.
func violations(pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		for _, r := range rules {
			if !matchAny(r.pkgs, p.path) || matchAny(r.except, p.path) {
				continue
			}
			check := func(kind string, imports []string) {
				for _, imp := range imports {
					if imp == p.path || matchAny(r.may, imp) || (kind == "tests" && matchAny(testHelpers, imp)) {
						continue
					}
					out = append(out, p.path+" ("+kind+") imports "+imp+": "+r.why)
				}
			}
			check("code", p.imports)
			if r.tests {
				check("tests", p.testImports)
			}
		}
	}
	return out
}

func TestDirectionOfUse(t *testing.T) {
	pkgs := modulePackages(t, moduleRoot(t))
	byPath := map[string]pkg{}
	for _, p := range pkgs {
		byPath[p.path] = p
	}
	// The walk saw the module: the packages the rules are about exist.
	for _, want := range []string{"tlv", "apdu", "chip", "chip/mrz", "chip/sim", "crypto/pki", "crypto/aa", "crypto/pace", "reader", "reader/pcsc", "relay", "server", "cmd/cancuoc", "internal/archtest"} {
		require.Contains(t, byPath, want)
	}
	// The pcsc-tagged files were read too.
	require.Contains(t, byPath["reader/pcsc"].imports, "apdu")

	require.Empty(t, violations(pkgs))

	// The test helpers stay leaves: were one to import the module, its
	// place among everyone's tests would point upwards.
	for _, h := range testHelpers {
		require.Contains(t, byPath, h)
		require.Empty(t, byPath[h].imports, "%s imports the module", h)
	}
}

// TestRulesCatch: each rule refuses what it is about (a test of the test:
// the rules would be worthless if an upward import passed).
func TestRulesCatch(t *testing.T) {
	for _, tc := range []struct {
		p    pkg
		want string
	}{
		{pkg{path: "tlv", imports: []string{"apdu"}}, "tlv (code) imports apdu"},
		{pkg{path: "apdu", imports: []string{"chip"}}, "apdu (code) imports chip"},
		{pkg{path: "crypto/pki", imports: []string{"chip"}}, "crypto/pki (code) imports chip"},
		{pkg{path: "crypto/pace", imports: []string{"chip/mrz"}}, "crypto/pace (code) imports chip/mrz"},
		{pkg{path: "crypto/aa", testImports: []string{"chip"}}, "crypto/aa (tests) imports chip"},
		{pkg{path: "crypto/eac", imports: []string{"reader"}}, "crypto/eac (code) imports reader"},
		{pkg{path: "chip", imports: []string{"apdu"}}, "chip (code) imports apdu"},
		{pkg{path: "chip/cccd", imports: []string{"crypto/pki"}}, "chip/cccd (code) imports crypto/pki"},
		{pkg{path: "chip/sim", imports: []string{"reader"}}, "chip/sim (code) imports reader"},
		{pkg{path: "conform", imports: []string{"reader"}}, "conform (code) imports reader"},
		{pkg{path: "policy", imports: []string{"evidence"}}, "policy (code) imports evidence"},
		{pkg{path: "relay", imports: []string{"reader"}}, "relay (code) imports reader"},
		{pkg{path: "reader/pcsc", imports: []string{"chip"}}, "reader/pcsc (code) imports chip"},
		{pkg{path: "internal/transcript", imports: []string{"server"}}, "internal/transcript (code) imports server"},
		{pkg{path: "apdu", imports: []string{"internal/vectors"}}, "apdu (code) imports internal/vectors"},
		{pkg{path: "tlv", testImports: []string{"internal/transcript"}}, "tlv (tests) imports internal/transcript"},
	} {
		got := violations([]pkg{tc.p})
		require.NotEmpty(t, got, tc.want)
		require.True(t, strings.HasPrefix(got[0], tc.want), "%q", got)
	}
	// And allows what the direction allows.
	for _, p := range []pkg{
		{path: "crypto/pki", imports: []string{"tlv", "check", "crypto/aa", "crypto/ec"}},
		{path: "chip", imports: []string{"tlv", "crypto/secinfo", "chip/mrz"}},
		{path: "chip/sim", imports: []string{"apdu", "chip", "crypto/pace", "crypto/pki"}},
		{path: "reader", imports: []string{"apdu", "chip", "crypto/pki", "policy", "conform"}},
		{path: "server", imports: []string{"reader", "relay", "evidence"}},
		{path: "apdu", imports: []string{"tlv"}, testImports: []string{"internal/vectors", "internal/secretcheck"}},
	} {
		require.Empty(t, violations([]pkg{p}), p.path)
	}
}
