package eac

import (
	"context"
	"testing"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// plainCard answers with the chip directly, without secure messaging, so
// that the benchmark measures Chip Authentication itself.
type plainCard struct{ chip *Chip }

func (c plainCard) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	r, _ := c.chip.Handle(cmd)
	return r, nil
}

// BenchmarkChipAuthenticationTerminal: the terminal side on
// brainpoolP256r1 (ephemeral key generation, ECDH, KDF, two commands).
func BenchmarkChipAuthenticationTerminal(b *testing.B) {
	k := mustEC(b, ec.BrainpoolP256r1(), "chip")
	info, _ := ecCA(b, secinfo.OIDCAECDHAES128, k, -1, false)
	// Let the chip answer without computing, so that only the terminal
	// is measured.
	var t apdu.TransmitterFunc = func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		if cmd.INS == apdu.INSGeneralAuthenticate {
			return apdu.Response{Data: []byte{0x7C, 0}, SW: apdu.SWSuccess}, nil
		}
		return apdu.Response{SW: apdu.SWSuccess}, nil
	}
	r := pkitest.SeedReader("bench")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ChipAuthenticate(ctx, t, info, &Config{Rand: r}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChipAuthenticationChip: the chip side on brainpoolP256r1
// (MSE:Set AT, GENERAL AUTHENTICATE: key validation, ECDH, KDF, session).
func BenchmarkChipAuthenticationChip(b *testing.B) {
	k := mustEC(b, ec.BrainpoolP256r1(), "chip")
	_, key := ecCA(b, secinfo.OIDCAECDHAES128, k, -1, false)
	chip, err := NewChip([]CAKey{key}, nil)
	if err != nil {
		b.Fatal(err)
	}
	eph := mustEC(b, ec.BrainpoolP256r1(), "eph")
	oid, _ := oidContents(secinfo.OIDCAECDHAES128)
	set := apdu.MSESet(apdu.MSESetATCA, tlv.AppendTLV(nil, 0x80, oid))
	ga := apdu.GeneralAuthenticate(tlv.AppendTLV(nil, 0x80, eph.PublicKey.Bytes()), true)
	b.ReportAllocs()
	for b.Loop() {
		chip.Handle(set)
		if r, s := chip.Handle(ga); r.SW != apdu.SWSuccess || s == nil {
			b.Fatal(r.SW)
		}
	}
}

// BenchmarkChipAuthenticationBoth: a whole exchange, both sides, under
// AES secure messaging, with Verify.
func BenchmarkChipAuthenticationBoth(b *testing.B) {
	k := mustEC(b, ec.BrainpoolP256r1(), "chip")
	info, key := ecCA(b, secinfo.OIDCAECDHAES128, k, -1, false)
	chip, err := NewChip([]CAKey{key}, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := pkitest.SeedReader("bench")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		tr, card := smPair(b, chip, sm.AES128)
		res, err := ChipAuthenticate(ctx, tr, info, &Config{Rand: r})
		if err != nil {
			b.Fatal(err)
		}
		s, _ := res.NewSession()
		if err := Verify(ctx, sm.NewTransmitter(card, s)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTerminalAuthentication: one full chain (DV, IS) on
// brainpoolP256r1, both sides in process without secure messaging: the
// terminal signs once, the chip verifies two certificates and the
// signature.
func BenchmarkTerminalAuthentication(b *testing.B) {
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: taDay, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: pkitest.SeedReader("bench ta")})
	if err != nil {
		b.Fatal(err)
	}
	k := mustEC(b, ec.BrainpoolP256r1(), "chip")
	_, key := ecCA(b, secinfo.OIDCAECDHAES128, k, -1, false)
	chip, err := NewChip([]CAKey{key}, &ChipConfig{Rand: pkitest.SeedReader("r"), TrustPoints: []*cvc.Certificate{h.CVCA}, Date: taDay, IDPICC: idPICC})
	if err != nil {
		b.Fatal(err)
	}
	eph := mustEC(b, ec.BrainpoolP256r1(), "eph")
	if r, _ := chip.Handle(apdu.MSESet(apdu.MSESetKAT, nil)); r.SW == apdu.SWSuccess {
		b.Fatal("KAT without key accepted")
	}
	oid, _ := oidContents(secinfo.OIDCAECDHAES128)
	chip.Handle(apdu.MSESet(apdu.MSESetATCA, tlv.AppendTLV(nil, 0x80, oid)))
	if r, _ := chip.Handle(apdu.GeneralAuthenticate(tlv.AppendTLV(nil, 0x80, eph.PublicKey.Bytes()), true)); r.SW != apdu.SWSuccess {
		b.Fatal(r.SW)
	}
	cfg := &Config{Chain: []*cvc.Certificate{h.DV, h.IS}, Signer: h.ISKey, Rand: pkitest.SeedReader("sig")}
	comp := eph.PublicKey.Bytes()[1:33]
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := TerminalAuthenticate(ctx, plainCard{chip}, idPICC, comp, cfg); err != nil {
			b.Fatal(err)
		}
	}
}
