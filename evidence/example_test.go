package evidence_test

import (
	"context"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/evidence"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

// A bank reads a CCCD, keeps the evidence bundle, and an auditor
// re-verifies it later with the trust files alone.
func Example() {
	now := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Now: now.AddDate(0, 0, -30), CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		panic(err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD,
		Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return now.AddDate(0, 0, -7) }})
	if err != nil {
		panic(err)
	}
	card, err := sim.New(img, nil)
	if err != nil {
		panic(err)
	}
	res, err := reader.Read(context.Background(), card, reader.CANKey(img.Secrets.CAN),
		&reader.Config{Trust: p.Trust(), Time: func() time.Time { return now }, Policy: policy.Bank})
	if err != nil {
		panic(err)
	}
	b, err := evidence.New(res, now)
	if err != nil {
		panic(err)
	}
	data, err := b.Marshal()
	if err != nil {
		panic(err)
	}

	// Later, elsewhere: the bundle and the trust files.
	rep, err := evidence.Verify(data, p.Trust())
	if err != nil {
		panic(err)
	}
	fmt.Println("claims consistent:", rep.Err() == nil)
	fmt.Println("verdict:", rep.Decision.Verdict, "under", rep.Decision.Policy.Name)
	fmt.Println("active authentication re-verified:", rep.Facts.ActiveAuth)
	// Output:
	// claims consistent: true
	// verdict: verified under bank
	// active authentication re-verified: passed
}
