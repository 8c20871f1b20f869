package policy_test

import (
	"fmt"

	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/policy"
)

// A read whose CRL is past its next update, and whose chip did not run
// Active Authentication (it offers nothing else): a bank does not accept
// it, an inspection does, with warnings.
func ExamplePolicy_Decide() {
	f := policy.Facts{
		Session: policy.Passed, PassiveAuth: policy.Passed,
		DataGroups: []policy.DataGroup{{Number: 1, State: policy.DGVerified}, {Number: 2, State: policy.DGVerified}},
		CRL:        pki.CRLStale,
		ChipAuth:   policy.NotOffered, PACECAM: policy.NotOffered,
		ActiveAuth: policy.NotRun, ActiveAuthDetail: "the reader takes short APDUs only",
	}
	for _, name := range []string{"bank", "lenient"} {
		p, err := policy.ByName(name)
		if err != nil {
			panic(err)
		}
		d := p.Decide(f)
		fmt.Println(p.Name+":", d.Verdict)
		for _, r := range d.Reasons {
			fmt.Println("  ", r.Severity, r.Code)
		}
	}
	// Output:
	// bank: not verified
	//    fatal crl-stale
	//    fatal chip-authenticity-unproven
	// lenient: verified
	//    warning crl-stale
	//    warning chip-authenticity-unproven
}
