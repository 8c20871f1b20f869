package conform_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

var testNow = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)

var fixture struct {
	once sync.Once
	pki  *pkitest.PKI
	err  error
}

// testPKI is the project's test PKI on P-256, made once.
func testPKI(t testing.TB) *pkitest.PKI {
	t.Helper()
	fixture.once.Do(func() {
		fixture.pki, fixture.err = pkitest.New(pkitest.Config{Seed: "conform tests", Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), CSCA: pkitest.P256, DS: pkitest.P256})
	})
	require.NoError(t, fixture.err)
	return fixture.pki
}

// issue personalizes a demo document of profile with the test PKI's DS,
// as the project issues cards.
func issue(t testing.TB, profile string, mapping secinfo.Mapping) *sim.Image {
	t.Helper()
	p := testPKI(t)
	var doc *chip.Document
	var err error
	if profile == sim.ProfileCCCD {
		doc, err = sim.DemoCCCD()
	} else {
		doc, err = sim.DemoPassport()
	}
	require.NoError(t, err)
	aaKey, err := pkitest.NewKey(pkitest.P256, pkitest.SeedReader("aa"))
	require.NoError(t, err)
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{
		Profile: profile, PACE: profile == sim.ProfileICAOPassport, PACEMapping: mapping, CAN: "123456",
		Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, AAKey: aaKey, Time: func() time.Time { return testNow },
		Rand: pkitest.SeedReader("issue"),
	})
	require.NoError(t, err)
	return img
}

// passive runs passive authentication on the files with the test PKI's
// trust store.
func passive(t testing.TB, files map[chip.File][]byte) *pki.Result {
	t.Helper()
	dgs := map[int][]byte{}
	for f, b := range files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	return pki.Verify(files[chip.EFSOD], dgs, testPKI(t).Trust(), &pki.VerifyConfig{Time: func() time.Time { return testNow }})
}
