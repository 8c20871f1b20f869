package conform_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
)

// facts are the facts of a read of files in which everything but the
// conformance findings went well, with passive authentication as the test
// PKI's trust store says.
func facts(t *testing.T, files map[chip.File][]byte, fs []conform.Finding) policy.Facts {
	t.Helper()
	pa := passive(t, files)
	f := policy.Facts{Session: policy.Passed, PassiveAuth: policy.Failed, CRL: pki.CRLFresh,
		ChipAuth: policy.Passed, PACECAM: policy.NotOffered, ActiveAuth: policy.Passed, Findings: fs}
	if pa.Valid {
		f.PassiveAuth = policy.Passed
	}
	for _, d := range pa.DataGroups {
		s := policy.DGVerified
		switch d.Status {
		case pki.DGNotRead:
			s = policy.DGNotRead
		case pki.DGMismatch:
			s = policy.DGMismatch
		case pki.DGNotInSOD:
			s = policy.DGNotInSOD
		}
		f.DataGroups = append(f.DataGroups, policy.DataGroup{Number: d.Number, State: s})
	}
	return f
}

// requireVerdicts checks the verdict of each preset on a document whose
// findings include one of rule, and whose passive authentication passes
// when pa: conformance fails on any finding; bank fails on a finding of a
// security rule and warns on the others; lenient warns.
func requireVerdicts(t *testing.T, files map[chip.File][]byte, fs []conform.Finding, rule conform.Rule, pa bool) {
	t.Helper()
	require.Contains(t, ids(fs), rule.ID)
	f := facts(t, files, fs)
	if !pa {
		for _, p := range policy.Presets() {
			require.Equal(t, policy.NotVerified, p.Decide(f).Verdict, p.Name)
		}
		return
	}
	require.Equal(t, policy.Passed, f.PassiveAuth, "passive authentication alone passes")
	bank := policy.Verified
	if rule.Security {
		bank = policy.NotVerified
	}
	require.Equal(t, bank, policy.Bank.Decide(f).Verdict, "bank")
	require.Equal(t, policy.Verified, policy.Lenient.Decide(f).Verdict, "lenient")
	require.Equal(t, policy.NotVerified, policy.Conformance.Decide(f).Verdict, "conformance")
	d := policy.Conformance.Decide(f)
	require.True(t, d.Has(policy.CodeFinding))
}
