package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// policyFixture makes a test PKI, trust folders with a fresh, a stale and
// no CRL, and card images: a CCCD, a CCCD signed by the revoked Document
// Signer, and a passport whose DG1 says UTO under a Vietnamese DS.
type policyFixture struct {
	trust map[string]string // "fresh", "stale", "absent"
	cards map[string]string // "cccd", "revoked", "uto"
}

func newPolicyFixture(t *testing.T) policyFixture {
	t.Helper()
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "cmd policy", Now: now.Add(-24 * time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	dir := t.TempDir()
	fx := policyFixture{trust: map[string]string{}, cards: map[string]string{}}
	stale, err := pki.CreateCRL(&pki.CRLTemplate{Number: big.NewInt(7), ThisUpdate: now.Add(-20 * time.Hour), NextUpdate: now.Add(-time.Hour)},
		p.CSCA.Cert, p.CSCA.Key, nil)
	require.NoError(t, err)
	for name, crl := range map[string][]byte{"fresh": p.CRL, "stale": stale, "absent": nil} {
		d := filepath.Join(dir, "trust-"+name)
		require.NoError(t, os.MkdirAll(d, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(d, "csca.pem"), certPEM(p.CSCA.Cert), 0o644))
		if crl != nil {
			require.NoError(t, os.WriteFile(filepath.Join(d, "csca.crl"), crl, 0o644))
		}
		fx.trust[name] = d
	}
	issue := func(name string, doc *chip.Document, profile string, ds pkitest.Entity) {
		img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: profile, Issuer: sim.Issuer{Signer: ds.Key, Cert: ds.Cert}, Time: func() time.Time { return now }})
		require.NoError(t, err)
		path := filepath.Join(dir, name+".card")
		require.NoError(t, img.Save(path))
		fx.cards[name] = path
	}
	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	issue("cccd", doc, sim.ProfileCCCD, p.DS)
	doc, err = sim.DemoCCCD()
	require.NoError(t, err)
	issue("revoked", doc, sim.ProfileCCCD, p.RevokedDS)
	doc, err = sim.DemoPassport()
	require.NoError(t, err)
	dob, _ := mrz.NewDate(1974, 8, 12)
	doe, _ := mrz.NewDate(2032, 4, 15)
	m, err := mrz.New(mrz.TD3, mrz.Fields{DocumentCode: "P", IssuingState: "UTO", DocumentNumber: "L898902C3",
		DateOfBirth: dob, Sex: mrz.Female, DateOfExpiry: doe, Nationality: "UTO", PrimaryIdentifier: "ERIKSSON", SecondaryIdentifier: "ANNA MARIA"})
	require.NoError(t, err)
	doc.DG1, err = chip.NewDG1(m)
	require.NoError(t, err)
	issue("uto", doc, sim.ProfileICAOPassport, p.DS)
	return fx
}

// TestReadPolicyJSON: 'cancuoc read --policy NAME --json' gives the verdict
// and reasons of each way a read can end that the tool can produce, under
// each preset.
func TestReadPolicyJSON(t *testing.T) {
	fx := newPolicyFixture(t)
	V, NV := "verified", "not verified"
	cases := []struct {
		name, card, trust          string
		bank, conformance, lenient string
		code                       policy.Code
	}{
		{"CA and AA passed, CRL fresh", "cccd", "fresh", V, V, V, ""},
		{"CRL absent", "cccd", "absent", NV, NV, V, policy.CodeCRLAbsent},
		{"CRL stale", "cccd", "stale", NV, NV, V, policy.CodeCRLStale},
		{"CRL revoking the DS", "revoked", "fresh", NV, NV, NV, policy.CodeCRLRevoking},
		{"DG1 and DS countries differ", "uto", "fresh", NV, NV, V, policy.CodeFinding},
		{"no trust: passive authentication not run", "cccd", "", NV, NV, NV, policy.CodePassiveAuthNotRun},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for pol, want := range map[string]string{"bank": c.bank, "conformance": c.conformance, "lenient": c.lenient} {
				args := []string{"read", "--sim", fx.cards[c.card], "--policy", pol, "--json"}
				if c.trust != "" {
					args = append(args, "--trust", fx.trust[c.trust])
				}
				code, stdout, stderr := runCmd(t, args...)
				var r report
				require.NoError(t, json.Unmarshal([]byte(stdout), &r), stderr)
				require.Equal(t, want, r.Verdict.String(), "%s: %v", pol, r.Reasons)
				require.Equal(t, pol, r.Policy)
				require.Equal(t, want == V, r.Verified)
				if want == V {
					require.Equal(t, exitOK, code, stderr)
				} else {
					require.Equal(t, exitFail, code, stderr)
				}
				if c.code != "" {
					found := false
					for _, reason := range r.Reasons {
						found = found || reason.Code == c.code
					}
					require.True(t, found, "%s: no %s in %v", pol, c.code, r.Reasons)
				}
				// The raw JSON names verdict and reasons as words.
				require.Contains(t, stdout, `"verdict": "`+want+`"`)
				require.Contains(t, stdout, `"reasons": [`)
			}
		})
	}
	// Text output names the policy and the reasons.
	code, stdout, _ := runCmd(t, "read", "--sim", fx.cards["cccd"], "--trust", fx.trust["absent"], "--policy", "bank")
	require.Equal(t, exitFail, code)
	require.Contains(t, stdout, "Verdict: NOT VERIFIED (policy bank)")
	require.Contains(t, stdout, "crl-absent")
	code, _, stderr := runCmd(t, "read", "--sim", fx.cards["cccd"], "--policy", "border")
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, "unknown policy")
}

// TestDemoPolicy: demo --policy decides under the preset named; --short
// (Active Authentication not run, Chip Authentication passed) is verified
// under bank.
func TestDemoPolicy(t *testing.T) {
	for _, args := range [][]string{{"demo", "--policy", "bank", "--json"}, {"demo", "--short", "--policy", "bank", "--json"}} {
		code, stdout, stderr := runCmd(t, args...)
		require.Equal(t, exitOK, code, stderr)
		var r report
		require.NoError(t, json.Unmarshal([]byte(stdout), &r))
		require.Equal(t, policy.Verified, r.Verdict)
		require.Equal(t, "bank", r.Policy)
	}
	code, stdout, _ := runCmd(t, "demo", "--policy", "lenient")
	require.Equal(t, exitOK, code)
	require.Contains(t, stdout, "Verdict: VERIFIED (policy lenient)")
}

// TestEvidenceBundle: 'read --evidence FILE' writes a bundle that 'verify
// FILE' re-verifies with the trust files alone; a changed byte fails it.
func TestEvidenceBundle(t *testing.T) {
	fx := newPolicyFixture(t)
	bundle := filepath.Join(t.TempDir(), "read.evidence.json")
	code, _, stderr := runCmd(t, "read", "--sim", fx.cards["cccd"], "--can", "012345", "--trust", fx.trust["fresh"],
		"--policy", "bank", "--evidence", bundle)
	require.Equal(t, exitOK, code, stderr)

	// "Another machine": only the trust folder and the bundle.
	other := t.TempDir()
	data, err := os.ReadFile(bundle)
	require.NoError(t, err)
	moved := filepath.Join(other, "bundle.json")
	require.NoError(t, os.WriteFile(moved, data, 0o600))
	code, stdout, stderr := runCmd(t, "verify", moved, "--trust", fx.trust["fresh"])
	require.Equal(t, exitOK, code, stderr+stdout)
	require.Contains(t, stdout, "Claims: consistent with re-verification")
	require.Contains(t, stdout, "Verdict: VERIFIED (policy bank)")
	require.Contains(t, stdout, "cannot be re-proven offline")
	code, stdout, _ = runCmd(t, "verify", moved, "--trust", fx.trust["fresh"], "--json")
	require.Equal(t, exitOK, code)
	var out struct {
		Verified   bool `json:"verified"`
		Consistent bool `json:"consistent"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	require.True(t, out.Verified)
	require.True(t, out.Consistent)

	// A changed byte anywhere: in a file, in the claims, in the digest.
	for _, at := range []int{len(data) / 5, len(data) / 2, len(data) - 40, strings.Index(string(data), `"verdict"`) + 13} {
		m := []byte(string(data))
		m[at] ^= 0x02
		require.NoError(t, os.WriteFile(moved, m, 0o600))
		code, _, _ := runCmd(t, "verify", moved, "--trust", fx.trust["fresh"])
		require.Equal(t, exitFail, code, "byte %d", at)
	}
	// No secret of the read in it.
	require.NotContains(t, string(data), "012345")
}

// TestReportJSONUnderPresets: the JSON that 'read --json' prints (the same
// report code) for the ways a read ends that need a misbehaving card: a
// clone (Chip Authentication failed), Active Authentication failed, Chip
// and Active Authentication not run, Active Authentication not run on a
// short link, PACE-CAM, and a card torn away (incomplete: printed through
// the error object with its decision).
func TestReportJSONUnderPresets(t *testing.T) {
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "cmd report", Now: now.Add(-24 * time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	issue := func(o *sim.PersonalizeConfig) *sim.Image {
		doc, err := sim.DemoCCCD()
		require.NoError(t, err)
		o.Profile, o.Issuer, o.Time = sim.ProfileCCCD, sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, func() time.Time { return now }
		img, err := sim.Personalize(doc, o)
		require.NoError(t, err)
		return img
	}
	cccd, cam := issue(&sim.PersonalizeConfig{}), issue(&sim.PersonalizeConfig{PACEMapping: secinfo.ChipAuthenticationMapping})
	V, NV, IN := "verified", "not verified", "incomplete"
	cases := []struct {
		name          string
		img           *sim.Image
		sim           sim.Config
		files         []chip.File
		bank, lenient string
		code          policy.Code
	}{
		{"CA failed (clone)", cccd, sim.Config{Faults: sim.Faults{Clone: true}}, nil, NV, NV, policy.CodeChipAuthFailed},
		{"AA failed, CA not run", cccd, sim.Config{Faults: sim.Faults{Clone: true}}, []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG15}, NV, NV, policy.CodeActiveAuthFailed},
		{"CA and AA not run", cccd, sim.Config{}, []chip.File{chip.EFDG1, chip.EFDG2}, NV, V, policy.CodeChipAuthenticityNotRun},
		{"AA not run (short), CA passed", cccd, sim.Config{ShortOnly: true}, nil, V, V, ""},
		{"PACE-CAM passed", cam, sim.Config{}, nil, V, V, ""},
		{"torn card", cccd, sim.Config{ShortOnly: true, Faults: sim.Faults{TearAfterAPDUs: 20}}, nil, IN, IN, policy.CodeSessionIncomplete},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for pol, want := range map[string]string{"bank": c.bank, "lenient": c.lenient} {
				pp, err := policy.ByName(pol)
				require.NoError(t, err)
				card, err := sim.New(c.img, &c.sim)
				require.NoError(t, err)
				res, rerr := reader.Read(context.Background(), card, reader.CANKey(c.img.Secrets.CAN),
					&reader.Config{Trust: p.Trust(), Time: func() time.Time { return now }, Policy: pp, Files: c.files})
				var out bytes.Buffer
				var got struct {
					Verdict string          `json:"verdict"`
					Policy  string          `json:"policy"`
					Reasons []policy.Reason `json:"reasons"`
				}
				if rerr != nil {
					d := res.Decision()
					_ = printJSONErrorDecided(&out, rerr, &d)
				} else {
					require.NoError(t, newReport(res).print(&out, true))
				}
				require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
				require.Equal(t, want, got.Verdict, "%s: %v", pol, got.Reasons)
				require.Equal(t, pol, got.Policy)
				if c.code != "" {
					found := false
					for _, r := range got.Reasons {
						found = found || r.Code == c.code
					}
					require.True(t, found, "%s: no %s in %v", pol, c.code, got.Reasons)
				}
			}
		})
	}
}

// TestVerifyDirWithoutChipFiles: 'verify DIR --policy bank' of files whose
// DG14 and DG15 were left out (EF.SOD lists them) is not verified: the
// chip offers Chip and Active Authentication, and files prove neither.
func TestVerifyDirWithoutChipFiles(t *testing.T) {
	fx := newPolicyFixture(t)
	out := filepath.Join(t.TempDir(), "read")
	code, _, stderr := runCmd(t, "read", "--sim", fx.cards["cccd"], "--can", "012345", "--trust", fx.trust["fresh"], "--out", out)
	require.Equal(t, exitOK, code, stderr)
	for _, drop := range []string{"DG15.bin", "DG14.bin"} {
		require.NoError(t, os.Remove(filepath.Join(out, drop)))
		for _, pol := range []string{"bank", "lenient"} {
			code, stdout, stderr := runCmd(t, "verify", out, "--trust", fx.trust["fresh"], "--policy", pol, "--json")
			var r report
			require.NoError(t, json.Unmarshal([]byte(stdout), &r), stderr)
			codes := map[policy.Code]policy.Severity{}
			for _, x := range r.Reasons {
				codes[x.Code] = x.Severity
			}
			require.NotContains(t, codes, policy.CodeChipAuthenticityNone, "without %s under %s", drop, pol)
			if pol == "bank" {
				require.Equal(t, exitFail, code, "without %s", drop)
				require.Equal(t, policy.NotVerified, r.Verdict)
				require.Equal(t, policy.Fatal, codes[policy.CodeChipAuthenticityNotRun], "without %s: %v", drop, r.Reasons)
			} else {
				require.Equal(t, exitOK, code, "without %s", drop)
				require.Equal(t, policy.Warning, codes[policy.CodeChipAuthenticityNotRun], "without %s: %v", drop, r.Reasons)
			}
		}
	}
}

// TestVerifyBundleUnderPolicy: an auditor's 'verify BUNDLE --policy bank'
// decides the re-verified facts under bank, whatever policy the reader
// used: a bundle read under lenient without a CRL is not verified under
// bank (it was VERIFIED, the flag silently ignored), and one whose facts
// meet bank is.
func TestVerifyBundleUnderPolicy(t *testing.T) {
	fx := newPolicyFixture(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		trust        string
		bank, stated int
	}{{"absent", exitFail, exitOK}, {"fresh", exitOK, exitOK}} {
		bundle := filepath.Join(dir, tc.trust+".json")
		code, _, stderr := runCmd(t, "read", "--sim", fx.cards["cccd"], "--can", "012345", "--trust", fx.trust[tc.trust],
			"--policy", "lenient", "--evidence", bundle)
		require.Equal(t, exitOK, code, stderr)
		code, stdout, stderr := runCmd(t, "verify", bundle, "--trust", fx.trust[tc.trust])
		require.Equal(t, tc.stated, code, stderr+stdout)
		require.Contains(t, stdout, "(policy lenient)")
		code, stdout, stderr = runCmd(t, "verify", bundle, "--trust", fx.trust[tc.trust], "--policy", "bank")
		require.Equal(t, tc.bank, code, "CRL %s: %s", tc.trust, stderr+stdout)
		require.Contains(t, stdout, "(policy bank)")
		code, stdout, _ = runCmd(t, "verify", bundle, "--trust", fx.trust[tc.trust], "--policy", "bank", "--json")
		require.Equal(t, tc.bank, code)
		var out struct {
			Verified bool            `json:"verified"`
			Decision policy.Decision `json:"decision"`
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &out))
		require.Equal(t, "bank", out.Decision.Policy.Name)
		require.Equal(t, tc.bank == exitOK, out.Verified)
		require.Equal(t, tc.bank != exitOK, out.Decision.Has(policy.CodeCRLAbsent), out.Decision.Reasons)
	}
}
