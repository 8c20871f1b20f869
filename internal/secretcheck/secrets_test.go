package secretcheck_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha1"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/hsm"
	"github.com/cancuoc/cancuoc/internal/secretcheck"
	"github.com/cancuoc/cancuoc/issuance"
	"github.com/cancuoc/cancuoc/reader"
)

// TestSecretsNeverPrint prints every secret-bearing type of the module with
// every fmt verb, inside structs and slices, through json.Marshal and
// through slog's JSON and text handlers, and finds none of its secrets in
// the output. (pace.Result and eac.CAResult, whose session keys only a
// protocol run sets, have the same check in their packages.)
func TestSecretsNeverPrint(t *testing.T) {
	const (
		can        = "482913"
		mrzInfo    = "L898902C<369080619406236"
		docNumber  = "L898902C3"
		personalNo = "001074482913"
		pin        = "8246139"
	)
	rnd := pkitest.SeedReader("secretcheck")
	random := func(n int) []byte {
		b := make([]byte, n)
		_, err := rnd.Read(b)
		require.NoError(t, err)
		return b
	}
	str := func(s string) []string { return secretcheck.Forms([]byte(s)) }
	join := func(fs ...[]string) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f...)
		}
		return out
	}

	canKey := reader.CANKey(can)
	mrzKey, err := reader.ParseMRZKey("L898902C3,740812,120415")
	require.NoError(t, err)
	info, err := mrz.NewInfo(docNumber, "740812", "120415")
	require.NoError(t, err)

	aaKey, caKey := random(32), random(32)
	secrets := sim.Secrets{MRZInfo: mrzInfo, CAN: can, AAKey: aaKey, CAKey: caKey, CAKeyID: 1, ChipDate: "2025-01-01"}
	simForms := join(str(mrzInfo), str(can), secretcheck.Forms(aaKey), secretcheck.Forms(caKey))
	img := &sim.Image{Profile: sim.ProfileCCCD, Files: map[chip.File][]byte{chip.EFDG1: []byte("\x61\x1b\x5f\x1f\x18" + mrzInfo)}, Secrets: secrets}

	holder := issuance.Holder{Profile: "cccd", FullName: "Nguyễn Văn Bímật", PersonalNumber: personalNo, DateOfBirth: "1974-08-12", DocumentNumber: docNumber}
	citizen := cccd.Citizen{FullName: "Nguyễn Văn Bímật", PersonalNumber: personalNo}

	pw, err := pace.CANPassword(can)
	require.NoError(t, err)

	bacKey, err := bac.NewKey(mrzInfo)
	require.NoError(t, err)
	seed := sha1.Sum([]byte(mrzInfo))

	kEnc, kMAC := random(16), random(16)
	sess, err := sm.NewSession(sm.AES128, kEnc, kMAC, nil)
	require.NoError(t, err)

	d := random(32)
	d[0] &= 0x7F
	ecKey, err := ec.NewPrivateKey(ec.BrainpoolP256r1(), d)
	require.NoError(t, err)
	g, err := dh.Standardized(2)
	require.NoError(t, err)
	x := random(28)
	dhKey, err := g.NewPrivateKey(x)
	require.NoError(t, err)
	caKeyEAC := eac.CAKey{Protocol: secinfo.OIDCAECDHAES128, KeyID: 1, HasKeyID: true, EC: ecKey}
	eacChip, err := eac.NewChip([]eac.CAKey{caKeyEAC}, &eac.ChipConfig{Rand: rnd})
	require.NoError(t, err)

	aaSigner, err := ecdsa.GenerateKey(elliptic.P256(), rnd)
	require.NoError(t, err)
	aaChip, err := aa.NewChip(aaSigner, &aa.ChipConfig{Hash: crypto.SHA256, Rand: rnd})
	require.NoError(t, err)
	aaD, err := aaSigner.Bytes()
	require.NoError(t, err)

	// A PACE run between the two sides in process: a real pace.Result and
	// secure messaging session, with the chip objects of PACE and BAC.
	paceInfo := secinfo.PACEInfo{Protocol: secinfo.OIDPACEECDHGMAES128, Version: 2, ParameterID: 13, HasParameterID: true}
	paceChip, err := pace.NewChip([]secinfo.PACEInfo{paceInfo}, []pace.Password{pw}, &pace.ChipConfig{Rand: rnd})
	require.NoError(t, err)
	card := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		return paceChip.Handle(cmd), nil
	})
	res, err := pace.Open(context.Background(), card, pw, paceInfo, &pace.Config{Rand: rnd})
	require.NoError(t, err)
	paceEnc, paceMAC := res.Keys()
	paceForms := join(secretcheck.Forms(paceEnc), secretcheck.Forms(paceMAC), str(can))
	paceSess, err := res.NewSession()
	require.NoError(t, err)
	bacChip, err := bac.NewChip(bacKey, &bac.ChipConfig{Rand: rnd})
	require.NoError(t, err)

	for _, c := range []struct {
		name  string
		v     any
		forms []string
	}{
		{"reader.Key (CAN)", canKey, str(can)},
		{"*reader.Key (CAN)", &canKey, str(can)},
		{"reader.Key (MRZ)", mrzKey, join(str(docNumber), str("740812"), str("120415"), secretcheck.Forms(info.Bytes()))},
		{"mrz.Info", info, join(str(docNumber), secretcheck.Forms(info.Bytes()))},
		{"sim.Secrets", secrets, simForms},
		{"*sim.Secrets", &secrets, simForms},
		{"*sim.Image", img, simForms},
		{"sim.Image", *img, simForms},
		{"issuance.Holder", holder, join(str(personalNo), str("Bímật"), str(docNumber))},
		{"*issuance.Holder", &holder, join(str(personalNo), str("Bímật"))},
		{"cccd.Citizen", citizen, join(str(personalNo), str("Bímật"))},
		{"pace.Password", pw, str(can)},
		{"pace.ChipConfig", pace.ChipConfig{CAKey: ecKey}, secretcheck.Forms(d)},
		{"*bac.Key", bacKey, secretcheck.Forms(seed[:16])},
		{"bac.Key", *bacKey, secretcheck.Forms(seed[:16])},
		{"*sm.Session", sess, join(secretcheck.Forms(kEnc), secretcheck.Forms(kMAC))},
		{"pace.Result", *res, paceForms},
		{"*pace.Result", res, paceForms},
		{"*sm.Session (PACE)", paceSess, paceForms},
		{"*pace.Chip (after PACE)", paceChip, paceForms},
		{"*bac.Chip", bacChip, join(str(mrzInfo), secretcheck.Forms(seed[:16]))},
		{"*ec.PrivateKey", ecKey, secretcheck.Forms(d)},
		{"ec.PrivateKey", *ecKey, secretcheck.Forms(d)},
		{"*dh.PrivateKey", dhKey, secretcheck.Forms(x)},
		{"dh.PrivateKey", *dhKey, secretcheck.Forms(x)},
		{"eac.CAKey", caKeyEAC, secretcheck.Forms(d)},
		{"[]eac.CAKey", []eac.CAKey{caKeyEAC}, secretcheck.Forms(d)},
		{"*eac.Chip", eacChip, secretcheck.Forms(d)},
		{"*aa.Chip", aaChip, secretcheck.Forms(aaD)},
		{"hsm.PIN", hsm.PIN(pin), str(pin)},
		{"hsm.Config", hsm.Config{Module: "/usr/lib/softhsm/libsofthsm2.so", Token: "t", PIN: hsm.PIN(pin)}, str(pin)},
	} {
		secretcheck.NoSecret(t, c.name, c.v, c.forms...)
	}
}
