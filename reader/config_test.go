package reader

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestConfigAccessors: a nil Config, or nil fields, mean crypto/rand and
// time.Now; set fields are what the accessors give.
func TestConfigAccessors(t *testing.T) {
	var nilCfg *Config
	require.Equal(t, rand.Reader, nilCfg.rand())
	require.Equal(t, rand.Reader, (&Config{}).rand())
	before := time.Now()
	got := nilCfg.time()
	require.False(t, got.Before(before) || got.After(time.Now()))
	r := pkitest.SeedReader("config")
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	c := &Config{Rand: r, Time: func() time.Time { return at }}
	require.Equal(t, r, c.rand())
	require.Equal(t, at, c.time())
}

// TestReadKeepsConfig: Read does not change the caller's Config (its
// defaults go into a copy), so one Config serves many reads.
func TestReadKeepsConfig(t *testing.T) {
	p, imgs := fixtures(t)
	cfg := &Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }}
	want := *cfg
	for range 2 {
		card, err := sim.New(imgs[sim.ProfileCCCD], nil)
		require.NoError(t, err)
		res, err := Read(context.Background(), card, CANKey(imgs[sim.ProfileCCCD].Secrets.CAN), cfg)
		require.NoError(t, err)
		require.True(t, res.Verified())
	}
	require.Zero(t, cfg.Retries, "the default of Retries stays in Read's copy")
	require.Nil(t, cfg.Rand)
	require.Equal(t, want.Trust, cfg.Trust)
}

// TestAccessText: Access shows as reports always showed it, in text and
// in JSON.
func TestAccessText(t *testing.T) {
	cccd := secinfo.PACEProtocol{KeyAgreement: secinfo.ECDH, Mapping: secinfo.GenericMapping, Cipher: secinfo.AES, KeyLength: 16}
	for _, tc := range []struct {
		a    Access
		want string
	}{
		{Access{}, ""},
		{Access{Method: BAC}, "BAC"},
		{Access{Method: PACE, PACE: cccd, ParameterID: 13}, "PACE id-PACE-ECDH-GM-AES-CBC-CMAC-128 (13)"},
	} {
		require.Equal(t, tc.want, tc.a.String())
		b, err := json.Marshal(tc.a)
		require.NoError(t, err)
		want, err := json.Marshal(tc.want)
		require.NoError(t, err)
		require.Equal(t, string(want), string(b))
	}
	require.Equal(t, "PACE", PACE.String())
	require.Equal(t, "BAC", BAC.String())
	require.Equal(t, "", NoAccess.String())
}
