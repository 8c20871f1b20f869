package eac

import (
	"testing"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/ec"
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
		chip, err := NewChip(ChipConfig{CAKeys: []CAKey{
			{Protocol: secinfo.OIDCAECDHAES128, KeyID: 1, HasKeyID: true, EC: k},
			{Protocol: secinfo.OIDCAECDH3DES, KeyID: 2, HasKeyID: true, EC: k},
		}})
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
