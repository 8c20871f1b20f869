//go:build cgo

package hsm_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/hsm/hsmtest"
	"github.com/cancuoc/cancuoc/reader"
)

// TestDocumentSignerInToken: for each key type the token takes, a CCCD
// whose EF.SOD is signed in SoftHSM2 (and, for one, whose DS certificate
// was signed by a CSCA key in the same token) reads back verified.
func TestDocumentSignerInToken(t *testing.T) {
	tok := hsmtest.New(t, "ds-e2e", testPIN)
	h := open(t, tok)
	now := time.Now()
	for _, tc := range []struct {
		hsm         hsm.KeyType
		pkitest     pkitest.KeyType
		cscaInToken bool
	}{
		{hsm.P256, pkitest.P256, false},
		{hsm.P384, pkitest.P384, true},
		{hsm.RSA2048, pkitest.RSA2048, false},
		{hsm.BrainpoolP256r1, pkitest.BrainpoolP256r1, true},
	} {
		t.Run(tc.hsm.String(), func(t *testing.T) {
			ds, err := h.GenerateKey("ds-"+tc.hsm.String(), tc.hsm)
			require.NoError(t, err)
			cfg := pkitest.Config{Seed: "hsm e2e", Now: now.Add(-time.Hour), CSCA: tc.pkitest, DS: tc.pkitest, DSKey: ds}
			if tc.cscaInToken {
				csca, err := h.GenerateKey("csca-"+tc.hsm.String(), tc.hsm)
				require.NoError(t, err)
				cfg.CSCAKey = csca
			}
			p, err := pkitest.New(cfg)
			require.NoError(t, err)
			doc, err := sim.DemoCCCD()
			require.NoError(t, err)
			img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD,
				Issuer: sim.Issuer{Signer: ds, Cert: p.DS.Cert}, Time: func() time.Time { return now }})
			require.NoError(t, err)
			card, err := sim.New(img, nil)
			require.NoError(t, err)
			key, err := reader.KeyFromDG1(img.Files[chip.EFDG1])
			require.NoError(t, err)
			res, err := reader.Read(context.Background(), card, key, &reader.Config{Trust: p.Trust(), Time: func() time.Time { return now }})
			require.NoError(t, err)
			require.True(t, res.Verified(), "%v", res.Err())
		})
	}
}
