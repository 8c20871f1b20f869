package eac

import (
	"testing"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

// FuzzChipCA feeds the chip's Chip Authentication commands with arbitrary
// data: no panic, and a success only with a valid public key, in which
// case a new session comes with it.
func FuzzChipCA(f *testing.F) {
	k, err := ec.GenerateKey(ec.BrainpoolP256r1(), newSeedReader("fuzz chip"))
	if err != nil {
		f.Fatal(err)
	}
	eph, _ := ec.GenerateKey(ec.BrainpoolP256r1(), newSeedReader("fuzz eph"))
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
		if err != nil {
			t.Fatal(err)
		}
		var cmd apdu.Command
		switch which % 3 {
		case 0:
			cmd = apdu.MSESet(apdu.MSESetKAT, data)
		case 1:
			cmd = apdu.MSESet(apdu.MSESetATCA, data)
		default:
			// GA after a valid MSE:Set AT.
			if r, _ := chip.Handle(apdu.MSESet(apdu.MSESetATCA, tlv.AppendTLV(nil, 0x80, oid))); r.SW != apdu.SWSuccess {
				t.Fatal(r.SW)
			}
			cmd = apdu.Command{INS: apdu.INSGeneralAuthenticate, Data: data, Ne: 256}
		}
		resp, s := chip.Handle(cmd)
		if (s != nil) != (resp.SW == apdu.SWSuccess && which%3 != 1) {
			t.Fatalf("session %v with %s", s != nil, resp.SW)
		}
		if s != nil && !chip.ChipAuthenticated() {
			t.Fatal("session without CA state")
		}
		if s != nil && len(chip.CompressedTerminalKey()) != 32 {
			t.Fatal("compressed key")
		}
	})
}

// FuzzChipTA feeds PSO:Verify Certificate (after MSE:Set DST with the
// trust point) and MSE:Set AT with arbitrary data: no panic, and the
// terminal is never authorized without a valid signature.
func FuzzChipTA(f *testing.F) {
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: taDay, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: newSeedReader("fuzz ta")})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(byte(0), h.DV.VerifyData())
	f.Add(byte(0), h.IS.VerifyData())
	f.Add(byte(1), tlv.AppendTLV(nil, 0x83, []byte(h.IS.CHR)))
	f.Add(byte(2), make([]byte, 64))
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		chip, err := NewChip(nil, &ChipConfig{Rand: newSeedReader("r"), TrustPoints: []*cvc.Certificate{h.CVCA}, Date: taDay, IDPICC: idPICC})
		if err != nil {
			t.Fatal(err)
		}
		var resp apdu.Response
		switch which % 3 {
		case 0:
			chip.Handle(apdu.MSESetDSTRef([]byte(h.CVCA.CHR)))
			resp, _ = chip.Handle(apdu.PSOVerifyCertificate(data))
			if resp.SW == apdu.SWSuccess {
				// Only certificates signed by the CVCA key pass.
				c, err := cvc.Parse(tlv.AppendTLV(nil, 0x7F21, data))
				if err != nil {
					t.Fatalf("accepted a certificate that does not parse: %v", err)
				}
				cv, _ := h.CVCA.PublicKey.Verifier(nil)
				if c.CheckSignatureFrom(cv) != nil {
					t.Fatal("accepted a certificate with a bad signature")
				}
			}
		case 1:
			resp, _ = chip.Handle(apdu.MSESet(apdu.MSESetATTA, data))
			if resp.SW == apdu.SWSuccess {
				t.Fatal("MSE:Set AT accepted without a terminal certificate")
			}
		default:
			chip.Handle(apdu.GetChallenge(8))
			resp, _ = chip.Handle(apdu.ExternalAuthenticate(data, 0))
		}
		if chip.Authorized(3) || chip.Authorized(4) {
			t.Fatal("authorized without Terminal Authentication")
		}
		_ = resp
	})
}
