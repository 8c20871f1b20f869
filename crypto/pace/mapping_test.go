package pace

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// TestMappingTable ties the table of mappings to crypto/secinfo's: every
// mapping a PACE protocol identifier can name has its row here, and no row
// is for a mapping without identifiers; the rows say which mapping
// authenticates the chip (CAM only), and resolve gives each protocol its
// mapping.
func TestMappingTable(t *testing.T) {
	named := map[secinfo.Mapping]bool{}
	for m := secinfo.Mapping(0); m < 32; m++ {
		for _, ka := range []secinfo.KeyAgreement{secinfo.DH, secinfo.ECDH} {
			for _, c := range []secinfo.PACEProtocol{{Cipher: secinfo.TripleDES, KeyLength: 16}, {Cipher: secinfo.AES, KeyLength: 16}} {
				c.KeyAgreement, c.Mapping = ka, m
				oid := c.OID()
				if oid == nil {
					continue
				}
				named[m] = true
				require.NotNil(t, mappingOf(m), "%v has identifiers and no row", m)
				id := 13
				if ka == secinfo.DH {
					id = 0
				}
				p, err := resolve(infoOf(oid, id))
				require.NoError(t, err, "%v", c)
				require.Equal(t, mappingOf(m), p.mapping)
			}
		}
	}
	require.Len(t, named, len(mappings))
	for _, e := range mappings {
		require.True(t, named[e.id], "%v has a row and no identifier", e.id)
	}

	require.False(t, AuthenticatesChip(secinfo.GenericMapping))
	require.False(t, AuthenticatesChip(secinfo.IntegratedMapping))
	require.True(t, AuthenticatesChip(secinfo.ChipAuthenticationMapping))
	require.False(t, AuthenticatesChip(0))
	require.False(t, AuthenticatesChip(5))
	require.Nil(t, mappingOf(0))
}

// TestVerifyCAMOtherMappings: only a mapping that authenticates the chip
// has anything for VerifyCAM to check.
func TestVerifyCAMOtherMappings(t *testing.T) {
	curve, err := ec.Standardized(13)
	require.NoError(t, err)
	key, err := ec.GenerateKey(curve, seeded(7))
	require.NoError(t, err)
	mrzPw, _ := testPasswords(t)
	for _, oid := range []secinfo.PACEProtocol{
		{KeyAgreement: secinfo.ECDH, Mapping: secinfo.GenericMapping, Cipher: secinfo.AES, KeyLength: 16},
		{KeyAgreement: secinfo.ECDH, Mapping: secinfo.IntegratedMapping, Cipher: secinfo.AES, KeyLength: 16},
		{KeyAgreement: secinfo.ECDH, Mapping: secinfo.ChipAuthenticationMapping, Cipher: secinfo.AES, KeyLength: 16},
	} {
		info := infoOf(oid.OID(), 13)
		chip, err := NewChip([]secinfo.PACEInfo{info}, []Password{mrzPw}, &ChipConfig{Rand: seeded(1), CAKey: key})
		require.NoError(t, err)
		res, err := Open(context.Background(), wire(t, chip), mrzPw, info, &Config{Rand: seeded(2)})
		require.NoError(t, err)
		if AuthenticatesChip(oid.Mapping) {
			require.NotEmpty(t, res.CAData)
			require.NoError(t, VerifyCAM(res, key.PublicKey.Bytes()))
			// Without chip authentication data there is nothing to verify.
			res.CAData = nil
		} else {
			require.Nil(t, res.CAData)
		}
		var pe *Error
		require.ErrorAs(t, VerifyCAM(res, key.PublicKey.Bytes()), &pe)
		require.Equal(t, "verify CAM", pe.Op)
		require.ErrorIs(t, pe, ErrUnsupported)
	}
	require.ErrorIs(t, VerifyCAM(nil, key.PublicKey.Bytes()), ErrUnsupported)
}
