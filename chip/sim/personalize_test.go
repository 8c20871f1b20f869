package sim

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/cccd"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

func testPKI(t testing.TB) *pkitest.PKI {
	t.Helper()
	p, err := pkitest.New(pkitest.Config{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	return p
}

// openPACE runs PACE with pw on c and selects the LDS1 application under
// secure messaging; it returns the protected transmitter and PACE's result.
func openPACE(ctx context.Context, t *testing.T, c *Card, pw pace.Password, info secinfo.PACEInfo) (apdu.Transmitter, *pace.Result) {
	t.Helper()
	res, err := pace.Open(ctx, c, pw, info, nil)
	require.NoError(t, err)
	s, err := res.NewSession()
	require.NoError(t, err)
	st := sm.NewTransmitter(c, s)
	_, err = apdu.Transmit(ctx, st, apdu.SelectAID(chip.LDS1AID, false))
	require.NoError(t, err)
	return st, res
}

// openCA runs Chip Authentication with ca over st and returns the
// transmitter protected by its session keys and its result.
func openCA(ctx context.Context, t *testing.T, c *Card, st apdu.Transmitter, ca secinfo.ChipAuthentication) (apdu.Transmitter, *eac.CAResult) {
	t.Helper()
	car, err := eac.ChipAuthenticate(ctx, st, ca, nil)
	require.NoError(t, err)
	s2, err := car.NewSession()
	require.NoError(t, err)
	return sm.NewTransmitter(c, s2), car
}

// openForTA runs PACE with the card's CAN and Chip Authentication on a fresh
// card from img and returns the protected transmitter and the values
// Terminal Authentication signs.
func openForTA(ctx context.Context, t *testing.T, img *Image, access, dg14 *secinfo.SecurityInfos) (apdu.Transmitter, []byte, []byte) {
	t.Helper()
	c, err := New(img, nil)
	require.NoError(t, err)
	pw, err := pace.CANPassword(img.Secrets.CAN)
	require.NoError(t, err)
	st, res := openPACE(ctx, t, c, pw, *access.BestPACE())
	st2, car := openCA(ctx, t, c, st, dg14.ChipAuthentication()[0])
	return st2, res.IDPICC(), car.CompressedTerminalKey()
}

func TestPersonalizeCCCD(t *testing.T) {
	p := testPKI(t)
	doc, err := DemoCCCD()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{
		Profile: ProfileCCCD,
		Issuer:  Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time:    func() time.Time { return time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC) },
	})
	require.NoError(t, err)
	require.Equal(t, "012345", img.Secrets.CAN)
	require.Equal(t, "IDVNM0900123450001090012345<<<", doc.DG1.Text[:30])
	require.Greater(t, len(img.Files[chip.EFDG2]), 10000)

	com, err := chip.ParseCOM(img.Files[chip.EFCOM])
	require.NoError(t, err)
	for _, f := range []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG13, chip.EFDG15} {
		require.True(t, com.Has(f), f.String())
	}

	// The SOD verifies against the test PKI.
	dgs := map[int][]byte{}
	for f, b := range img.Files {
		if n := f.DataGroup(); n > 0 {
			dgs[n] = b
		}
	}
	res := pki.Verify(img.Files[chip.EFSOD], dgs, p.Trust(), &pki.VerifyConfig{Time: func() time.Time { return time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, res.Err())
	require.True(t, res.Valid)

	// Saved and loaded, the card opens with BAC and serves DG13.
	path := filepath.Join(t.TempDir(), "cccd.card")
	require.NoError(t, img.Save(path))
	img2, err := Load(path)
	require.NoError(t, err)
	c, err := New(img2, nil)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = apdu.Transmit(ctx, c, apdu.SelectAID(chip.LDS1AID, false))
	require.NoError(t, err)
	s, err := openBAC(ctx, c, img.Secrets.MRZInfo)
	require.NoError(t, err)
	st := sm.NewTransmitter(c, s)
	var dg13 []byte
	for off := 0; ; off += 200 {
		cmd, err := apdu.ReadBinarySFI(chip.EFDG13.SFI(), 0, 200)
		if off > 0 {
			cmd, err = apdu.ReadBinary(off, 200)
		}
		require.NoError(t, err)
		r, err := st.Transmit(ctx, cmd)
		require.NoError(t, err)
		dg13 = append(dg13, r.Data...)
		if r.SW == apdu.SWEndOfFile {
			break
		}
	}
	require.Equal(t, img.Files[chip.EFDG13], dg13)
	d, err := cccd.ParseDG13(dg13)
	require.NoError(t, err)
	cit, err := d.Citizen()
	require.NoError(t, err)
	require.Equal(t, "Nguyễn Văn An", cit.FullName)
}

func TestPersonalizePassport(t *testing.T) {
	p := testPKI(t)
	doc, err := DemoPassport()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileICAOPassport, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}})
	require.NoError(t, err)
	require.Equal(t, "L898902C36", img.Secrets.MRZInfo[:10])
	require.Len(t, img.Secrets.MRZInfo, 24)
	require.NotNil(t, img.Files[chip.EFDG11])
}

func TestPersonalizeErrors(t *testing.T) {
	p := testPKI(t)
	doc, err := DemoCCCD()
	require.NoError(t, err)
	_, err = Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD})
	require.ErrorIs(t, err, ErrPersonalize)
	_, err = Personalize(doc, &PersonalizeConfig{Profile: "nope", Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}})
	require.ErrorIs(t, err, ErrPersonalize)
	_, err = Personalize(&chip.Document{}, &PersonalizeConfig{Profile: ProfileCCCD, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}})
	require.ErrorIs(t, err, ErrPersonalize)
}

func TestATRInfo(t *testing.T) {
	require.Equal(t, []byte{0x7F, 0x66, 0x0A, 0x02, 0x03, 0x00, 0xFF, 0xFF, 0x02, 0x03, 0x01, 0x00, 0x00}, ATRInfo(65535, 65536))
	require.Equal(t, []byte{0x7F, 0x66, 0x08, 0x02, 0x02, 0x04, 0x00, 0x02, 0x02, 0x04, 0x00}, ATRInfo(1024, 1024))
}

func TestPACE(t *testing.T) {
	p := testPKI(t)
	doc, err := DemoCCCD()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	infos, err := secinfo.Parse(img.Files[chip.EFCardAccess])
	require.NoError(t, err)
	best := infos.BestPACE()
	require.NotNil(t, best)
	require.Equal(t, 13, best.ParameterID)

	mrzPW, err := pace.MRZPassword(doc.DG1.MRZ.Info().Bytes())
	require.NoError(t, err)
	canPW, err := pace.CANPassword("012345")
	require.NoError(t, err)
	wrongPW, err := pace.CANPassword("012346")
	require.NoError(t, err)
	ctx := context.Background()
	for name, pw := range map[string]pace.Password{"MRZ": mrzPW, "CAN": canPW} {
		t.Run(name, func(t *testing.T) {
			c, err := New(img, nil)
			require.NoError(t, err)
			st, _ := openPACE(ctx, t, c, pw, *best)
			cmd, err := apdu.ReadBinarySFI(chip.EFDG1.SFI(), 0, 200)
			require.NoError(t, err)
			r, err := st.Transmit(ctx, cmd)
			require.NoError(t, err)
			require.Equal(t, img.Files[chip.EFDG1], r.Data)
		})
	}
	c, err := New(img, nil)
	require.NoError(t, err)
	_, err = pace.Open(ctx, c, wrongPW, *best, nil)
	require.ErrorIs(t, err, pace.ErrAuthentication)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, send(t, c, readSFI(t, chip.EFDG1)).SW)

	d, err := New(img, &Config{DisablePACE: true})
	require.NoError(t, err)
	_, err = pace.Open(ctx, d, canPW, *best, nil)
	require.Error(t, err)
}

func TestChipAuthentication(t *testing.T) {
	p := testPKI(t)
	doc, err := DemoCCCD()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Time: func() time.Time { return time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC) }})
	require.NoError(t, err)
	infos, err := secinfo.ParseDG14(img.Files[chip.EFDG14])
	require.NoError(t, err)
	cas := infos.ChipAuthentication()
	require.Len(t, cas, 1)
	require.NotNil(t, cas[0].PublicKey)
	access, err := secinfo.Parse(img.Files[chip.EFCardAccess])
	require.NoError(t, err)
	require.Len(t, access.Infos, 3, "PACE, CA and TA, as the CCCD's EF.CardAccess")

	ctx := context.Background()
	for _, clone := range []bool{false, true} {
		c, err := New(img, &Config{Faults: Faults{Clone: clone}})
		require.NoError(t, err)
		pw, err := pace.CANPassword(img.Secrets.CAN)
		require.NoError(t, err)
		st, _ := openPACE(ctx, t, c, pw, *access.BestPACE())
		st2, _ := openCA(ctx, t, c, st, cas[0])
		err = eac.Verify(ctx, st2)
		if clone {
			require.ErrorIs(t, err, eac.ErrCloneSuspected)
			continue
		}
		require.NoError(t, err)
		cmd, err := apdu.ReadBinarySFI(chip.EFDG1.SFI(), 0, 200)
		require.NoError(t, err)
		r, err := st2.Transmit(ctx, cmd)
		require.NoError(t, err)
		require.Equal(t, img.Files[chip.EFDG1], r.Data)
	}
}

func TestTerminalAuthentication(t *testing.T) {
	p := testPKI(t)
	issued := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	full, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: issued, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	doc, err := DemoCCCD()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time: func() time.Time { return issued }, TrustPoints: [][]byte{full.CVCA.Raw}})
	require.NoError(t, err)
	require.NotNil(t, img.Files[chip.EFDG3])
	access, err := secinfo.Parse(img.Files[chip.EFCardAccess])
	require.NoError(t, err)
	dg14, err := secinfo.ParseDG14(img.Files[chip.EFDG14])
	require.NoError(t, err)
	ctx := context.Background()

	open := func(t *testing.T) (apdu.Transmitter, []byte, []byte) {
		return openForTA(ctx, t, img, access, dg14)
	}
	readDG3 := func(t *testing.T, st apdu.Transmitter) (apdu.Response, error) {
		cmd, err := apdu.ReadBinarySFI(chip.EFDG3.SFI(), 0, 200)
		require.NoError(t, err)
		return st.Transmit(ctx, cmd)
	}

	// Without Terminal Authentication DG3 stays closed.
	st, _, _ := open(t)
	r, err := readDG3(t, st)
	require.NoError(t, err)
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, r.SW)

	// With the right chain, DG3 opens.
	st, id, comp := open(t)
	require.NoError(t, eac.TerminalAuthenticate(ctx, st, id, comp, &eac.Config{Chain: []*cvc.Certificate{full.DV, full.IS}, Signer: full.ISKey, Rand: rand.Reader}))
	r, err = readDG3(t, st)
	require.NoError(t, err)
	require.True(t, r.SW.OK(), "%v", r.SW)
	require.Equal(t, img.Files[chip.EFDG3][:len(r.Data)], r.Data)

	// An inspection system with the right to DG4 only: TA passes, DG3 is
	// refused.
	dg4only, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: issued, Access: cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	img.Secrets.CVCA = [][]byte{dg4only.CVCA.Raw}
	st, id, comp = open(t)
	require.NoError(t, eac.TerminalAuthenticate(ctx, st, id, comp, &eac.Config{Chain: []*cvc.Certificate{dg4only.DV, dg4only.IS}, Signer: dg4only.ISKey, Rand: rand.Reader}))
	r, err = readDG3(t, st)
	require.NoError(t, err)
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, r.SW)

	// A chain the chip does not trust fails.
	st, id, comp = open(t)
	err = eac.TerminalAuthenticate(ctx, st, id, comp, &eac.Config{Chain: []*cvc.Certificate{full.DV, full.IS}, Signer: full.ISKey, Rand: rand.Reader})
	require.Error(t, err)
}

// TestCCCD2023 issues the Identity Law 2023 card: EF.COM and EF.SOD list
// DG3 and DG4; without Terminal Authentication the chip refuses both, with
// it both are served whole and match the signed hashes.
func TestCCCD2023(t *testing.T) {
	p := testPKI(t)
	issued := time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: issued, Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	doc, err := DemoCCCD2023()
	require.NoError(t, err)
	img, err := Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD2023, Issuer: Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time: func() time.Time { return issued }, TrustPoints: [][]byte{h.CVCA.Raw}})
	require.NoError(t, err)
	require.Equal(t, ProfileCCCD2023, img.Profile)
	require.Equal(t, "012345", img.Secrets.CAN)
	com, err := chip.ParseCOM(img.Files[chip.EFCOM])
	require.NoError(t, err)
	for _, f := range []chip.File{chip.EFDG1, chip.EFDG2, chip.EFDG3, chip.EFDG4, chip.EFDG13, chip.EFDG14, chip.EFDG15} {
		require.True(t, com.Has(f), "EF.COM lists %v", f)
	}
	sod, err := pki.ParseSOD(img.Files[chip.EFSOD])
	require.NoError(t, err)
	for _, n := range []int{3, 4} {
		want := sha256.Sum256(img.Files[chip.DataGroup(n)])
		got, ok := sod.SecurityObject.HashOf(n)
		require.True(t, ok, "EF.SOD hashes DG%d", n)
		require.Equal(t, want[:], got)
	}
	dg4, err := chip.ParseBiometric(chip.EFDG4, img.Files[chip.EFDG4])
	require.NoError(t, err)
	require.Len(t, dg4.Group.Templates, 2)

	access, err := secinfo.Parse(img.Files[chip.EFCardAccess])
	require.NoError(t, err)
	dg14, err := secinfo.ParseDG14(img.Files[chip.EFDG14])
	require.NoError(t, err)
	ctx := context.Background()
	open := func(t *testing.T) (apdu.Transmitter, []byte, []byte) {
		return openForTA(ctx, t, img, access, dg14)
	}
	read := func(t *testing.T, st apdu.Transmitter, f chip.File) apdu.Response {
		cmd, err := apdu.ReadBinarySFI(f.SFI(), 0, 65536)
		require.NoError(t, err)
		r, err := st.Transmit(ctx, cmd)
		require.NoError(t, err)
		return r
	}
	st, _, _ := open(t)
	r1 := read(t, st, chip.EFDG1)
	require.Contains(t, []apdu.StatusWord{apdu.SWSuccess, apdu.SWEndOfFile}, r1.SW)
	require.Equal(t, img.Files[chip.EFDG1], r1.Data)
	for _, f := range []chip.File{chip.EFDG3, chip.EFDG4} {
		r := read(t, st, f)
		require.Equal(t, apdu.SWSecurityStatusNotSatisfied, r.SW, "%v without TA", f)
		require.Empty(t, r.Data)
	}

	st, id, comp := open(t)
	require.NoError(t, eac.TerminalAuthenticate(ctx, st, id, comp, &eac.Config{Chain: []*cvc.Certificate{h.DV, h.IS}, Signer: h.ISKey, Rand: rand.Reader}))
	for _, f := range []chip.File{chip.EFDG3, chip.EFDG4} {
		r := read(t, st, f)
		require.Contains(t, []apdu.StatusWord{apdu.SWSuccess, apdu.SWEndOfFile}, r.SW, "%v after TA", f)
		require.Equal(t, img.Files[f], r.Data)
	}
}

func TestCCCD2023Errors(t *testing.T) {
	p := testPKI(t)
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: time.Now(), Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	is := Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}
	doc, err := DemoCCCD() // no DG4
	require.NoError(t, err)
	_, err = Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD2023, Issuer: is, TrustPoints: [][]byte{h.CVCA.Raw}})
	require.ErrorIs(t, err, ErrPersonalize)
	require.ErrorContains(t, err, "iris images (DG4)")
	doc, err = DemoCCCD2023()
	require.NoError(t, err)
	_, err = Personalize(doc, &PersonalizeConfig{Profile: ProfileCCCD2023, Issuer: is})
	require.ErrorContains(t, err, "needs the CVCA")
}
