package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/reader/pcsc"
)

// fixture is an issued card, the files a reader read from it, and trust.
type fixture struct {
	card       string // card image
	files      string // directory of NAME.bin files
	trust      string // CSCA certificate and CRL
	masterList string
	otherTrust string // another state's CSCA
}

func writeTrust(t testing.TB, p *pkitest.PKI) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CSCA.Cert.Raw}), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "csca.crl"), p.CRL, 0o644))
	return dir
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "verifier test", Now: now.Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	other, err := pkitest.New(pkitest.Config{Seed: "another state", Now: now.Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)

	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	// A derived Active Authentication key: generating one under the
	// fuzzer's coverage instrumentation takes minutes.
	aa, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("verifier test AA"))
	require.NoError(t, err)
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return now }, AAKey: aa})
	require.NoError(t, err)
	dir := t.TempDir()
	f := fixture{card: filepath.Join(dir, "cccd.card"), files: filepath.Join(dir, "read"), trust: writeTrust(t, p), otherTrust: writeTrust(t, other)}
	require.NoError(t, img.Save(f.card))

	// Read the card as "cancuoc read --out" does and keep its files.
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	res, err := reader.Read(context.Background(), card, reader.MRZKey(doc.DG1.MRZ.Info()), nil)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(f.files, 0o755))
	n := 0
	for file, b := range res.Document.Files() {
		require.NoError(t, os.WriteFile(filepath.Join(f.files, file.String()+".bin"), b, 0o600))
		n++
	}
	require.GreaterOrEqual(t, n, 5, "EF.COM, DG1, DG2, DG13, DG15, EF.SOD")

	ml, err := p.MasterList()
	require.NoError(t, err)
	f.masterList = filepath.Join(dir, "masterlist.der")
	require.NoError(t, os.WriteFile(f.masterList, ml, 0o644))
	return f
}

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func runJSON(t *testing.T, args ...string) (int, *Verdict) {
	t.Helper()
	code, out, stderr := runMain(t, append([]string{"--json"}, args...)...)
	var v Verdict
	dec := json.NewDecoder(bytes.NewReader([]byte(out)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&v), "stdout %q stderr %q", out, stderr)
	return code, &v
}

func checkNamed(t *testing.T, cs []Check, name check.Name) Check {
	t.Helper()
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	require.FailNow(t, fmt.Sprintf("no check %q in %+v", name, cs))
	return Check{}
}

var wantHolder = Holder{
	From: "DG13", FullName: "Nguyễn Văn An", IDNumber: "001090012345", DateOfBirth: "01/01/1990", Sex: "Nam",
	PlaceOfResidence: "Số 1 Phố Tràng Tiền, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội",
}

func TestFilesVerified(t *testing.T) {
	f := newFixture(t)
	code, out, stderr := runMain(t, "--trust", f.trust, f.files)
	require.Equal(t, exitVerified, code, "%s%s", out, stderr)
	require.Contains(t, out, "Verdict: VERIFIED (policy lenient)\n")
	require.Contains(t, out, "Holder (from DG13, verified)")
	for _, s := range []string{wantHolder.FullName, wantHolder.IDNumber, wantHolder.DateOfBirth, wantHolder.PlaceOfResidence} {
		require.Contains(t, out, s)
	}
	require.Contains(t, out, "DG13 hash OK")

	code, v := runJSON(t, "--trust", f.trust, "--dir", f.files)
	require.Equal(t, exitVerified, code)
	require.True(t, v.Verified)
	require.Equal(t, wantHolder, v.Holder)
	require.Equal(t, "passed", checkNamed(t, v.Checks, reader.CheckPassiveAuth).Status)
	require.Equal(t, "passed", checkNamed(t, v.Checks, CheckHolder).Status)
	require.Equal(t, "passed", checkNamed(t, v.PassiveAuth, pki.CheckRevocation).Status, "the CRL is in the trust directory")
	require.Contains(t, v.DataGroups, DataGroup{Number: 13, Status: "OK"})
	require.Contains(t, v.DataGroups, DataGroup{Number: 2, Status: "OK"})
	require.NotNil(t, v.Findings)
	require.Empty(t, v.Findings, "the files of a card the project issued follow the Doc 9303 profiles")
	require.Contains(t, out, "Conformance: no finding")

	// A master list as trust: only with the named opt-in.
	code, _, stderr = runMain(t, "--trust", f.masterList, f.files)
	require.NotEqual(t, exitVerified, code)
	require.Contains(t, stderr, "master list anchored only in itself")
	code, v = runJSON(t, "--trust", f.masterList, "--self-contained-master-list", f.files)
	require.Equal(t, exitVerified, code)
	require.True(t, v.Verified)
	require.Contains(t, v.Trust, "master list")
}

func TestAlteredDG13(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(f.files, "DG13.bin")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	i := bytes.Index(b, []byte("Nguyễn Văn An"))
	require.Positive(t, i)
	b[i] = 'M' // "Mguyễn Văn An": a forged name, the file still parses
	require.NoError(t, os.WriteFile(path, b, 0o600))

	code, out, _ := runMain(t, "--trust", f.trust, f.files)
	require.Equal(t, exitNotVerified, code, out)
	require.Contains(t, out, "Verdict: NOT VERIFIED (policy lenient)\n")
	require.Contains(t, out, "NOT VERIFIED: do not copy into a form")
	require.Contains(t, out, "DG13 hash MISMATCH")

	code, v := runJSON(t, "--trust", f.trust, f.files)
	require.Equal(t, exitNotVerified, code)
	require.False(t, v.Verified)
	require.Equal(t, "Mguyễn Văn An", v.Holder.FullName)
	require.Contains(t, v.DataGroups, DataGroup{Number: 13, Status: "MISMATCH"})
	require.Contains(t, v.DataGroups, DataGroup{Number: 1, Status: "OK"})
	dg := checkNamed(t, v.PassiveAuth, pki.CheckDataGroups)
	require.Equal(t, "failed", dg.Status)
	require.Contains(t, dg.Error, "DG13")
	require.NotContains(t, dg.Error, "DG2")
	require.Equal(t, "passed", checkNamed(t, v.PassiveAuth, pki.CheckSignature).Status, "the SOD itself is intact")
	require.Equal(t, "failed", checkNamed(t, v.Checks, reader.CheckPassiveAuth).Status)
	require.Equal(t, "failed", checkNamed(t, v.Checks, CheckHolder).Status)

	// Without DG13 the fields come from the MRZ, and DG1 must verify.
	require.NoError(t, os.Remove(path))
	code, v = runJSON(t, "--trust", f.trust, f.files)
	require.Equal(t, exitVerified, code)
	require.Equal(t, "DG1", v.Holder.From)
	require.Equal(t, "NGUYEN VAN AN", v.Holder.FullName)
	require.Equal(t, "001090012345", v.Holder.IDNumber)
}

// TestConformanceFinding: an EF.COM (which EF.SOD does not sign) naming
// Unicode 5.0.0 is an encoding deviation: named in the output, the
// verdict unchanged.
func TestConformanceFinding(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(f.files, chip.EFCOM.String()+".bin")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	com, err := chip.ParseCOM(b)
	require.NoError(t, err)
	com.UnicodeVersion = "050000"
	b, err = com.Encode()
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))

	code, v := runJSON(t, "--trust", f.trust, f.files)
	require.Equal(t, exitVerified, code)
	require.Len(t, v.Findings, 1)
	require.Equal(t, conform.COMUnicodeVersion.ID, v.Findings[0].Rule.ID)
	require.Equal(t, "EF.COM", v.Findings[0].Object)
	code, out, _ := runMain(t, "--trust", f.trust, f.files)
	require.Equal(t, exitVerified, code)
	require.Contains(t, out, "[encoding] com.unicode-version (ICAO Doc 9303-10 §4.6.1): EF.COM")
}

func TestWrongTrust(t *testing.T) {
	f := newFixture(t)
	code, v := runJSON(t, "--trust", f.otherTrust, f.files)
	require.Equal(t, exitNotVerified, code)
	require.False(t, v.Verified)
	require.Equal(t, "failed", checkNamed(t, v.PassiveAuth, pki.CheckChain).Status)
	require.Contains(t, v.DataGroups, DataGroup{Number: 13, Status: "OK"}, "the data is intact, its issuer is not trusted")

	code, out, _ := runMain(t, "--sim", f.card, "--trust", f.otherTrust)
	require.Equal(t, exitNotVerified, code)
	require.Contains(t, out, "Verdict: NOT VERIFIED")
}

func TestSimulatedCard(t *testing.T) {
	f := newFixture(t)
	code, v := runJSON(t, "--sim", f.card, "--trust", f.trust)
	require.Equal(t, exitVerified, code)
	require.True(t, v.Verified)
	require.Equal(t, wantHolder, v.Holder)
	require.NotEmpty(t, v.Access)
	require.Equal(t, "passed", checkNamed(t, v.Checks, reader.CheckAccess).Status)
	require.Equal(t, "passed", checkNamed(t, v.Checks, reader.CheckPassiveAuth).Status)
	require.Equal(t, "passed", checkNamed(t, v.PassiveAuth, pki.CheckDataGroups).Status)
	require.NotNil(t, v.Findings)
	require.Empty(t, v.Findings)

	// With the key given, as at a counter.
	code, _ = runJSON(t, "--sim", f.card, "--trust", f.trust, "--mrz", "090012345,900101,350101")
	require.Equal(t, exitVerified, code)
	// A wrong key does not open the chip.
	code, out, stderr := runMain(t, "--sim", f.card, "--trust", f.trust, "--mrz", "090012346,900101,350101")
	require.Equal(t, exitNotVerified, code, out)
	require.Contains(t, stderr, "access control failed")
}

func TestReader(t *testing.T) {
	f := newFixture(t)
	code, _, stderr := runMain(t, "--reader", "No Such Reader 00 00", "--trust", f.trust, "--can", "012345")
	require.Equal(t, exitNotVerified, code)
	if !pcsc.Built() {
		require.Contains(t, stderr, "-tags pcsc")
	}
}

func TestBadFiles(t *testing.T) {
	f := newFixture(t)
	// No EF.SOD: nothing is protected.
	require.NoError(t, os.Remove(filepath.Join(f.files, chip.EFSOD.String()+".bin")))
	code, v := runJSON(t, "--trust", f.trust, f.files)
	require.Equal(t, exitNotVerified, code)
	require.Equal(t, "failed", checkNamed(t, v.PassiveAuth, pki.CheckSODStructure).Status)

	// A file larger than its limit is refused before it is read whole.
	big := make([]byte, chip.EFDG1.MaxSize()+1)
	require.NoError(t, os.WriteFile(filepath.Join(f.files, "DG1.bin"), big, 0o600))
	code, _, stderr := runMain(t, "--trust", f.trust, f.files)
	require.Equal(t, exitNotVerified, code)
	require.Contains(t, stderr, "larger than")

	// Only EF.SOD: no holder to show.
	only := t.TempDir()
	sod, err := os.ReadFile(filepath.Join(newFixture(t).files, "EF.SOD.bin"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(only, "EF.SOD.bin"), sod, 0o600))
	code, out, _ := runMain(t, "--trust", f.trust, only)
	require.Equal(t, exitNotVerified, code, out)
	require.Contains(t, out, "Holder: no DG13 or DG1 could be read")
	require.Contains(t, out, "passive authentication passed", "the SOD alone is authentic")
	require.Contains(t, out, "holder data            failed: neither DG13 nor DG1 was read")

	// An empty directory.
	code, _, stderr = runMain(t, "--trust", f.trust, t.TempDir())
	require.Equal(t, exitNotVerified, code)
	require.Contains(t, stderr, "no files read from a chip")
}

func TestUsage(t *testing.T) {
	f := newFixture(t)
	for _, args := range [][]string{
		{},
		{f.files},            // no trust
		{"--trust", f.trust}, // no source
		{"--trust", f.trust, "--sim", f.card, f.files}, // two sources
		{"--trust", f.trust, "--mrz", "090012345,900101,350101", f.files},
		{"--trust", f.trust, "--sim", f.card, "--mrz", "x", "--can", "1"},
		{"--trust", f.trust, "--sim", f.card, "--mrz", "x"},
		{"--trust", f.trust, f.files, "extra"},
		{"--bogus"},
	} {
		code, _, stderr := runMain(t, args...)
		require.Equal(t, exitUsage, code, "%q", args)
		require.Contains(t, stderr, "usage: verifier", "%q", args)
	}
	code, _, _ := runMain(t, "--help")
	require.Equal(t, exitVerified, code)
	code, _, _ = runMain(t, "--trust", filepath.Join(t.TempDir(), "none"), f.files)
	require.Equal(t, exitNotVerified, code)
}

func TestTrustNotAMasterList(t *testing.T) {
	f := newFixture(t)
	code, _, stderr := runMain(t, "--trust", f.card, f.files)
	require.Equal(t, exitNotVerified, code)
	require.Contains(t, stderr, "neither a master list nor certificates")
}

// TestTruncatedSOD: a hostile EF.SOD is a failed check, never a crash (this
// one crashed crypto/pki before 6cd47ad).
func TestTruncatedSOD(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(f.files, "EF.SOD.bin"), []byte{0x77, 0x02, 0x30, 0x0A}, 0o600))
	code, v := runJSON(t, "--trust", f.trust, f.files)
	require.Equal(t, exitNotVerified, code)
	require.Equal(t, "failed", checkNamed(t, v.PassiveAuth, pki.CheckSODStructure).Status)
}

// FuzzVerifyFiles gives the verifier hostile DG1, DG13 and EF.SOD files
// beside the authentic others: it never panics, never verifies altered data,
// and shows fields only from the data group it names.
func FuzzVerifyFiles(f *testing.F) {
	fx := newFixture(f)
	files := map[chip.File][]byte{}
	for _, file := range chip.Files() {
		if b, err := os.ReadFile(filepath.Join(fx.files, file.String()+".bin")); err == nil {
			files[file] = b
		}
	}
	trust := pki.NewTrustStore()
	require.NoError(f, trust.LoadDir(fx.trust))
	now := time.Now()
	require.True(f, verifyMap(files, "seed", trust, now, policy.Lenient).Verified)
	orig := map[chip.File][]byte{chip.EFDG1: files[chip.EFDG1], chip.EFDG13: files[chip.EFDG13], chip.EFSOD: files[chip.EFSOD]}
	f.Add(orig[chip.EFDG1], orig[chip.EFDG13], orig[chip.EFSOD])
	f.Add([]byte{}, orig[chip.EFDG13], orig[chip.EFSOD])
	f.Add(orig[chip.EFDG1], []byte{0x6D, 0x00}, []byte{0x77, 0x02, 0x30, 0x0A})
	f.Fuzz(func(t *testing.T, dg1, dg13, sod []byte) {
		in := maps.Clone(files)
		for file, b := range map[chip.File][]byte{chip.EFDG1: dg1, chip.EFDG13: dg13, chip.EFSOD: sod} {
			if len(b) == 0 {
				delete(in, file)
			} else {
				in[file] = b
			}
		}
		v := verifyMap(in, "fuzz", trust, now, policy.Lenient)
		if !v.Verified {
			return
		}
		// Verified: every file given is the issuer's, byte for byte.
		for file, b := range map[chip.File][]byte{chip.EFDG1: dg1, chip.EFDG13: dg13, chip.EFSOD: sod} {
			if len(b) > 0 {
				require.Equal(t, orig[file], b, "%s verified but altered", file)
			}
		}
		require.Contains(t, []string{"DG1", "DG13"}, v.Holder.From)
	})
}

// TestPolicy: --policy names what verified means, and the verdict shows the
// policy and the reasons. A live card verifies under bank (its chip proves
// itself); files alone do not (they prove nothing about a chip); without a
// CRL bank refuses and lenient warns.
func TestPolicy(t *testing.T) {
	fx := newFixture(t)
	noCRL := t.TempDir()
	b, err := os.ReadFile(filepath.Join(fx.trust, "csca.pem"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(noCRL, "csca.pem"), b, 0o644))
	cases := []struct {
		name     string
		args     []string
		code     int
		verdict  policy.Verdict
		reason   policy.Code
		severity policy.Severity
	}{
		{"live card, bank", []string{"--policy", "bank", "--trust", fx.trust, "--sim", fx.card}, exitVerified, policy.Verified, "", 0},
		{"files, bank", []string{"--policy", "bank", "--trust", fx.trust, fx.files}, exitNotVerified, policy.NotVerified,
			policy.CodeChipAuthenticityNotRun, policy.Fatal},
		{"files, lenient", []string{"--trust", fx.trust, fx.files}, exitVerified, policy.Verified,
			policy.CodeChipAuthenticityNotRun, policy.Warning},
		{"no CRL, bank", []string{"--policy", "bank", "--trust", noCRL, "--sim", fx.card}, exitNotVerified, policy.NotVerified,
			policy.CodeCRLAbsent, policy.Fatal},
		{"no CRL, lenient", []string{"--policy", "lenient", "--trust", noCRL, "--sim", fx.card}, exitVerified, policy.Verified,
			policy.CodeCRLAbsent, policy.Warning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, append([]string{"--json"}, c.args...)...)
			require.Equal(t, c.code, code, stderr)
			var v Verdict
			require.NoError(t, json.Unmarshal([]byte(stdout), &v))
			require.Equal(t, c.verdict, v.Verdict, "%v", v.Reasons)
			if c.reason != "" {
				found := false
				for _, r := range v.Reasons {
					if r.Code == c.reason {
						found = true
						require.Equal(t, c.severity, r.Severity)
					}
				}
				require.True(t, found, "%v", v.Reasons)
			}
			_, text, _ := runMain(t, c.args...)
			require.Contains(t, text, "Verdict: "+strings.ToUpper(c.verdict.String())+" (policy ")
			if c.reason != "" {
				require.Contains(t, text, string(c.reason))
			}
		})
	}
	code, _, stderr := runMain(t, "--policy", "border", "--trust", fx.trust, fx.files)
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "unknown policy")
}
