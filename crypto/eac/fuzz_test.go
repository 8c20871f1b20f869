package eac

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

// FuzzChipCA feeds the chip's Chip Authentication commands with arbitrary
// data: no panic, and a success only with a valid public key, in which
// case a new session comes with it.
func FuzzChipCA(f *testing.F) {
	k, err := ec.GenerateKey(ec.BrainpoolP256r1(), pkitest.SeedReader("fuzz chip"))
	require.NoError(f, err)
	eph, _ := ec.GenerateKey(ec.BrainpoolP256r1(), pkitest.SeedReader("fuzz eph"))
	oid, _ := oidContents(secinfo.OIDCAECDHAES128)
	f.Add(byte(0), append(tlv.AppendTLV(nil, 0x91, eph.PublicKey.Bytes()), 0x84, 1, 2))
	f.Add(byte(1), append(tlv.AppendTLV(nil, 0x80, oid), 0x84, 1, 1))
	f.Add(byte(2), tlv.AppendTLV(nil, 0x7C, tlv.AppendTLV(nil, 0x80, eph.PublicKey.Bytes())))
	f.Add(byte(2), tlv.AppendTLV(nil, 0x7C, tlv.AppendTLV(nil, 0x80, eph.PublicKey.Point().BytesCompressed())))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		chip, err := NewChip([]CAKey{
			{Protocol: secinfo.OIDCAECDHAES128, KeyID: 1, HasKeyID: true, EC: k},
			{Protocol: secinfo.OIDCAECDH3DES, KeyID: 2, HasKeyID: true, EC: k},
		}, nil)
		require.NoError(t, err)
		var cmd apdu.Command
		switch which % 3 {
		case 0:
			cmd = apdu.MSESet(apdu.MSESetKAT, data)
		case 1:
			cmd = apdu.MSESet(apdu.MSESetATCA, data)
		default:
			// GA after a valid MSE:Set AT.
			r, _ := chip.Handle(apdu.MSESet(apdu.MSESetATCA, tlv.AppendTLV(nil, 0x80, oid)))
			require.True(t, r.SW == apdu.SWSuccess, "%v", r.SW)
			cmd = apdu.Command{INS: apdu.INSGeneralAuthenticate, Data: data, Ne: 256}
		}
		resp, s := chip.Handle(cmd)
		require.False(t, (s != nil) != (resp.SW == apdu.SWSuccess && which%3 != 1), "session %v with %s", s != nil, resp.SW)
		require.False(t, s != nil && !chip.ChipAuthenticated(), "session without CA state")
		require.False(t, s != nil && len(chip.CompressedTerminalKey()) != 32, "compressed key")
	})
}

// FuzzChipTA feeds PSO:Verify Certificate (after MSE:Set DST with the
// trust point) and MSE:Set AT with arbitrary data: no panic, and the
// terminal is never authorized without a valid signature.
func FuzzChipTA(f *testing.F) {
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: taDay, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: pkitest.SeedReader("fuzz ta")})
	require.NoError(f, err)
	f.Add(byte(0), h.DV.VerifyData())
	f.Add(byte(0), h.IS.VerifyData())
	f.Add(byte(1), tlv.AppendTLV(nil, 0x83, []byte(h.IS.CHR)))
	f.Add(byte(2), make([]byte, 64))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		chip, err := NewChip(nil, &ChipConfig{Rand: pkitest.SeedReader("r"), TrustPoints: []*cvc.Certificate{h.CVCA}, Date: taDay, IDPICC: idPICC})
		require.NoError(t, err)
		var resp apdu.Response
		switch which % 3 {
		case 0:
			chip.Handle(apdu.MSESetDSTRef([]byte(h.CVCA.CHR)))
			resp, _ = chip.Handle(apdu.PSOVerifyCertificate(data))
			if resp.SW == apdu.SWSuccess {
				// Only certificates signed by the CVCA key pass.
				c, err := cvc.Parse(tlv.AppendTLV(nil, 0x7F21, data))
				require.NoError(t, err, "accepted a certificate that does not parse")
				cv, _ := h.CVCA.PublicKey.Verifier(nil)
				require.True(t, c.CheckSignatureFrom(cv) == nil, "accepted a certificate with a bad signature")
			}
		case 1:
			resp, _ = chip.Handle(apdu.MSESet(apdu.MSESetATTA, data))
			require.NotEqual(t, apdu.SWSuccess, resp.SW, "MSE:Set AT accepted without a terminal certificate")
		default:
			chip.Handle(apdu.GetChallenge(8))
			resp, _ = chip.Handle(apdu.ExternalAuthenticate(data, 0))
		}
		require.False(t, chip.Authorized(3), "authorized without Terminal Authentication")
		require.False(t, chip.Authorized(4), "authorized without Terminal Authentication")
		_ = resp
	})
}
