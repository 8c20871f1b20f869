package policy_test

import (
	"encoding/json"
	"testing"

	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/stretchr/testify/require"
)

// good is a complete CCCD read: PACE, Chip Authentication and Active
// Authentication passed, every data group hashed, a fresh CRL.
func good() policy.Facts {
	return policy.Facts{
		Session: policy.Passed, PassiveAuth: policy.Passed,
		DataGroups: []policy.DataGroup{{Number: 1, State: policy.DGVerified}, {Number: 2, State: policy.DGVerified},
			{Number: 13, State: policy.DGVerified}, {Number: 14, State: policy.DGVerified}, {Number: 15, State: policy.DGVerified},
			{Number: 3, State: policy.DGNotRead}},
		CRL:      pki.CRLFresh,
		ChipAuth: policy.Passed, PACECAM: policy.NotOffered, ActiveAuth: policy.Passed,
		Checks: []policy.Check{{Name: "EF.COM", Outcome: policy.Passed}},
	}
}

var (
	V  = policy.Verified
	NV = policy.NotVerified
	IN = policy.Incomplete
)

var dsCountry = *conform.CheckDSCountry("VN", "UTO")

var encodingSlip = conform.Finding{Rule: conform.Rule{ID: "dg2.header-version", Source: "ISO/IEC 19794-5 §5.4", Text: "version"},
	Object: "DG2", Offset: 4, Detail: "version 010 instead of 020"}

// TestDecide: each way a read can end, under each preset, gives the verdict
// and the reasons.
func TestDecide(t *testing.T) {
	cases := []struct {
		name   string
		change func(f *policy.Facts)
		// verdicts under bank, conformance, lenient
		bank, conformance, lenient policy.Verdict
		// code the decision must hold under bank (and under lenient, with
		// the severity each gives it)
		code                policy.Code
		bankSev, lenientSev policy.Severity
	}{
		{"all passed", func(f *policy.Facts) {}, V, V, V, "", 0, 0},

		// Chip Authentication.
		{"CA passed, AA not run (short APDUs)", func(f *policy.Facts) { f.ActiveAuth = policy.NotRun; f.ActiveAuthDetail = "short APDUs only" }, V, V, V, "", 0, 0},
		{"CA not offered, AA passed", func(f *policy.Facts) { f.ChipAuth = policy.NotOffered }, V, V, V, "", 0, 0},
		{"CA failed", func(f *policy.Facts) { f.ChipAuth = policy.Failed }, NV, NV, NV, policy.CodeChipAuthFailed, policy.Fatal, policy.Fatal},
		{"CA not run, AA not run", func(f *policy.Facts) { f.ChipAuth, f.ActiveAuth = policy.NotRun, policy.NotRun },
			NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
		{"CA interrupted", func(f *policy.Facts) { f.ChipAuth = policy.Interrupted; f.Session = policy.Interrupted },
			IN, IN, IN, policy.CodeChipAuthIncomplete, policy.Unfinished, policy.Unfinished},

		// Active Authentication.
		{"AA passed, CA not offered", func(f *policy.Facts) { f.ChipAuth = policy.NotOffered }, V, V, V, "", 0, 0},
		{"AA not offered, CA passed", func(f *policy.Facts) { f.ActiveAuth = policy.NotOffered }, V, V, V, "", 0, 0},
		{"AA failed", func(f *policy.Facts) { f.ActiveAuth = policy.Failed }, NV, NV, NV, policy.CodeActiveAuthFailed, policy.Fatal, policy.Fatal},
		{"AA not run, CA not offered", func(f *policy.Facts) { f.ActiveAuth, f.ChipAuth = policy.NotRun, policy.NotOffered },
			NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
		{"AA interrupted", func(f *policy.Facts) { f.ActiveAuth = policy.Interrupted; f.Session = policy.Interrupted },
			IN, IN, IN, policy.CodeChipAuthIncomplete, policy.Unfinished, policy.Unfinished},

		// PACE-CAM.
		{"PACE-CAM passed alone", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.Passed, policy.NotOffered, policy.NotOffered
		}, V, V, V, "", 0, 0},
		{"PACE-CAM failed", func(f *policy.Facts) { f.PACECAM = policy.Failed }, NV, NV, NV, policy.CodePACECAMFailed, policy.Fatal, policy.Fatal},
		{"PACE-CAM not run alone", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.NotRun, policy.NotOffered, policy.NotOffered
		}, NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
		{"PACE-CAM interrupted", func(f *policy.Facts) { f.PACECAM = policy.Interrupted; f.Session = policy.Interrupted },
			IN, IN, IN, policy.CodeChipAuthIncomplete, policy.Unfinished, policy.Unfinished},
		{"no chip authenticity offered", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.NotOffered, policy.NotOffered, policy.NotOffered
			f.DataGroups = f.DataGroups[:3] // no DG14, no DG15
		}, V, V, V, policy.CodeChipAuthenticityNone, policy.Warning, policy.Info},
		// Facts that call a protocol not offered while EF.SOD lists its
		// key's data group (an upload or a read that left DG14/DG15 out).
		{"AA 'not offered' but DG15 listed, not read", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.NotOffered, policy.NotOffered, policy.NotOffered
			f.DataGroups = append(f.DataGroups[:3], policy.DataGroup{Number: 15, State: policy.DGNotRead})
		}, NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
		{"AA 'not offered' but DG15 read", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.NotOffered, policy.NotOffered, policy.NotOffered
			f.DataGroups = f.DataGroups[:5]
		}, NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
		{"CA 'not offered' but DG14 listed, not read", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.NotOffered, policy.NotOffered, policy.NotOffered
			f.DataGroups = append(f.DataGroups[:3], policy.DataGroup{Number: 14, State: policy.DGNotRead})
		}, NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
		{"CA not offered in a DG14 read, no DG15", func(f *policy.Facts) {
			f.PACECAM, f.ChipAuth, f.ActiveAuth = policy.NotOffered, policy.NotOffered, policy.NotOffered
			f.DataGroups = f.DataGroups[:4]
		}, V, V, V, policy.CodeChipAuthenticityNone, policy.Warning, policy.Info},

		// CRLs.
		{"CRL stale", func(f *policy.Facts) { f.CRL = pki.CRLStale }, NV, NV, V, policy.CodeCRLStale, policy.Fatal, policy.Warning},
		{"CRL absent", func(f *policy.Facts) { f.CRL = pki.CRLAbsent }, NV, NV, V, policy.CodeCRLAbsent, policy.Fatal, policy.Warning},
		{"CRL invalid", func(f *policy.Facts) { f.CRL = pki.CRLInvalid }, NV, NV, V, policy.CodeCRLInvalid, policy.Fatal, policy.Warning},
		{"CRL revoking the DS", func(f *policy.Facts) { f.CRL = pki.CRLRevoking }, NV, NV, NV, policy.CodeCRLRevoking, policy.Fatal, policy.Fatal},

		// Data groups and passive authentication.
		{"DG read but not hashed", func(f *policy.Facts) { f.DataGroups[1].State = policy.DGNotHashed },
			NV, NV, V, policy.CodeDGNotHashed, policy.Fatal, policy.Warning},
		{"DG altered", func(f *policy.Facts) { f.DataGroups[1].State = policy.DGMismatch; f.PassiveAuth = policy.Failed },
			NV, NV, NV, policy.CodeDGMismatch, policy.Fatal, policy.Fatal},
		{"DG not in SOD", func(f *policy.Facts) {
			f.DataGroups = append(f.DataGroups, policy.DataGroup{Number: 11, State: policy.DGNotInSOD})
		},
			NV, NV, NV, policy.CodeDGNotInSOD, policy.Fatal, policy.Fatal},
		{"passive authentication not run", func(f *policy.Facts) {
			f.PassiveAuth, f.CRL = policy.NotRun, pki.RevocationUnknown
			for i := range f.DataGroups {
				if f.DataGroups[i].State == policy.DGVerified {
					f.DataGroups[i].State = policy.DGNotHashed
				}
			}
		}, NV, NV, NV, policy.CodePassiveAuthNotRun, policy.Fatal, policy.Fatal},
		{"passive authentication failed", func(f *policy.Facts) { f.PassiveAuth = policy.Failed },
			NV, NV, NV, policy.CodePassiveAuthFailed, policy.Fatal, policy.Fatal},

		// Findings.
		{"DG1 and DS countries differ", func(f *policy.Facts) { f.Findings = []conform.Finding{dsCountry} },
			NV, NV, V, policy.CodeFinding, policy.Fatal, policy.Warning},
		{"encoding slip", func(f *policy.Facts) { f.Findings = []conform.Finding{encodingSlip} },
			V, NV, V, policy.CodeFinding, policy.Warning, policy.Warning},
		{"known deviation", func(f *policy.Facts) {
			k := dsCountry
			k.Known = &conform.KnownDeviation{Issuer: "VN", Description: "DS of 2020 names UTO"}
			f.Findings = []conform.Finding{k}
		}, V, V, V, policy.CodeKnownDeviation, policy.Info, policy.Info},

		// The session.
		{"torn card while reading", func(f *policy.Facts) {
			f.Session, f.SessionDetail = policy.Interrupted, "card removed while reading DG2"
			f.PassiveAuth, f.CRL = policy.Interrupted, pki.RevocationUnknown
			f.DataGroups[1].State = policy.DGNotHashed
			f.ActiveAuth = policy.NotRun
		}, IN, IN, IN, policy.CodeSessionIncomplete, policy.Unfinished, policy.Unfinished},
		{"torn card after an altered DG", func(f *policy.Facts) {
			f.Session = policy.Interrupted
			f.DataGroups[0].State = policy.DGMismatch
			f.PassiveAuth = policy.Failed
		}, NV, NV, NV, policy.CodeDGMismatch, policy.Fatal, policy.Fatal},
		{"access refused", func(f *policy.Facts) {
			*f = policy.Facts{Session: policy.Failed, SessionDetail: "PACE: wrong CAN"}
		}, NV, NV, NV, policy.CodeAccessRefused, policy.Fatal, policy.Fatal},
		{"other check failed", func(f *policy.Facts) { f.Checks[0].Outcome = policy.Failed },
			NV, NV, NV, policy.CodeCheckFailed, policy.Fatal, policy.Fatal},
		{"other check interrupted", func(f *policy.Facts) { f.Checks[0].Outcome = policy.Interrupted },
			IN, IN, IN, policy.CodeCheckIncomplete, policy.Unfinished, policy.Unfinished},

		// Uploads (no session: AA on the server's challenge is all).
		{"upload with AA", func(f *policy.Facts) { f.Session, f.ChipAuth = policy.NotRun, policy.NotRun }, V, V, V, "", 0, 0},
		{"upload without AA", func(f *policy.Facts) {
			f.Session, f.ChipAuth, f.ActiveAuth = policy.NotRun, policy.NotRun, policy.NotRun
		},
			NV, NV, V, policy.CodeChipAuthenticityNotRun, policy.Fatal, policy.Warning},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := map[string]policy.Verdict{"bank": c.bank, "conformance": c.conformance, "lenient": c.lenient}
			for _, p := range policy.Presets() {
				f := good()
				c.change(&f)
				d := p.Decide(f)
				require.Equal(t, want[p.Name], d.Verdict, "%s: %v", p.Name, d.Reasons)
				require.Equal(t, p, d.Policy)
				// The verdict follows from the reasons.
				fatal, unfinished := false, false
				for _, r := range d.Reasons {
					fatal = fatal || r.Severity == policy.Fatal
					unfinished = unfinished || r.Severity == policy.Unfinished
				}
				switch d.Verdict {
				case V:
					require.False(t, fatal || unfinished, "%s: %v", p.Name, d.Reasons)
				case NV:
					require.True(t, fatal, "%s: %v", p.Name, d.Reasons)
				case IN:
					require.True(t, unfinished, "%s: %v", p.Name, d.Reasons)
				}
				if c.code == "" {
					require.Empty(t, d.Codes(policy.Warning), "%s", p.Name)
					continue
				}
				var sev policy.Severity
				switch p.Name {
				case "bank":
					sev = c.bankSev
				case "lenient":
					sev = c.lenientSev
				default:
					continue
				}
				found := false
				for _, r := range d.Reasons {
					if r.Code == c.code {
						found = true
						require.Equal(t, sev, r.Severity, "%s: %v", p.Name, r)
					}
				}
				require.True(t, found, "%s: no %s in %v", p.Name, c.code, d.Reasons)
			}
		})
	}
}

// TestIncompleteNeverCloneNorVerified: whatever else a read says, an
// interrupted session is never Verified, and without a conclusive failure
// it is Incomplete, never NotVerified.
func TestIncompleteNeverCloneNorVerified(t *testing.T) {
	outcomes := []policy.Outcome{policy.NotRun, policy.NotOffered, policy.Passed, policy.Interrupted}
	for _, p := range policy.Presets() {
		for _, ca := range outcomes {
			for _, aa := range outcomes {
				for _, pa := range outcomes {
					f := good()
					f.Session, f.ChipAuth, f.ActiveAuth, f.PassiveAuth = policy.Interrupted, ca, aa, pa
					d := p.Decide(f)
					require.Equal(t, policy.Incomplete, d.Verdict, "%s ca=%v aa=%v pa=%v: %v", p.Name, ca, aa, pa, d.Reasons)
					for _, c := range []policy.Code{policy.CodeChipAuthFailed, policy.CodeActiveAuthFailed, policy.CodePACECAMFailed} {
						require.False(t, d.Has(c))
					}
				}
			}
		}
	}
}

func TestByName(t *testing.T) {
	for _, n := range []string{"bank", "BANK", "lenient", "conformance"} {
		p, err := policy.ByName(n)
		require.NoError(t, err)
		require.NotEmpty(t, p.Description)
	}
	_, err := policy.ByName("border")
	require.ErrorIs(t, err, policy.ErrUnknownPolicy)
	require.Equal(t, []string{"bank", "conformance", "lenient"}, policy.Names())
	require.Equal(t, policy.Lenient, policy.Default)
	require.True(t, policy.Policy{}.IsZero())
}

// TestDecisionJSON: a decision round-trips through JSON with its names.
func TestDecisionJSON(t *testing.T) {
	f := good()
	f.CRL = pki.CRLStale
	f.Findings = []conform.Finding{dsCountry}
	d := policy.Bank.Decide(f)
	b, err := json.Marshal(d)
	require.NoError(t, err)
	require.Contains(t, string(b), `"verdict":"not verified"`)
	require.Contains(t, string(b), `"code":"crl-stale"`)
	require.Contains(t, string(b), `"severity":"fatal"`)
	require.Contains(t, string(b), `"findings":"security"`)
	var back policy.Decision
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, d, back)

	fb, err := json.Marshal(f)
	require.NoError(t, err)
	require.Contains(t, string(fb), `"crl":"stale"`)
	var fback policy.Facts
	require.NoError(t, json.Unmarshal(fb, &fback))
	require.Equal(t, f, fback)
}

// TestUnknownValuesProveNothing: an outcome, data group state or CRL state
// outside the package's constants (a caller's own Facts) never counts as
// passed, fresh or not offered under bank.
func TestUnknownValuesProveNothing(t *testing.T) {
	for name, change := range map[string]func(f *policy.Facts){
		"CRL state":       func(f *policy.Facts) { f.CRL = pki.Revocation(42) },
		"DG state":        func(f *policy.Facts) { f.DataGroups[1].State = policy.DGState(42) },
		"AA outcome":      func(f *policy.Facts) { f.ChipAuth, f.ActiveAuth = policy.NotOffered, policy.Outcome(42) },
		"CA outcome":      func(f *policy.Facts) { f.ChipAuth, f.ActiveAuth = policy.Outcome(-1), policy.NotOffered },
		"PACE-CAM, no DG": func(f *policy.Facts) { f.DataGroups = f.DataGroups[:3]; f.PACECAM, f.ChipAuth, f.ActiveAuth = 7, 1, 1 },
	} {
		f := good()
		change(&f)
		d := policy.Bank.Decide(f)
		require.Equal(t, policy.NotVerified, d.Verdict, "%s: %v", name, d.Reasons)
	}
}
