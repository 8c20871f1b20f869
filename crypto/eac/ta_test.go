package eac

import (
	"context"
	"crypto"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

var (
	taDay  = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	idPICC = []byte("C01234567<8") // a document number with check digit (BAC)
)

// taEnv is a chip with a CA key and trust points, and a terminal session
// after Chip Authentication.
type taEnv struct {
	chip *Chip
	card *testCard
	t    apdu.Transmitter // under the CA session
	res  *CAResult
}

func newTAEnv(t *testing.T, chipDate time.Time, trust ...*cvc.Certificate) *taEnv {
	t.Helper()
	k := mustEC(t, ec.BrainpoolP256r1(), "ta chip")
	info, key := ecCA(t, secinfo.OIDCAECDHAES128, k, -1, false)
	chip, err := NewChip([]CAKey{key}, &ChipConfig{Rand: pkitest.SeedReader("chip rand"), TrustPoints: trust, Date: chipDate, IDPICC: idPICC})
	require.NoError(t, err)
	tr, card := smPair(t, chip, sm.AES128)
	ctx := context.Background()
	res, err := ChipAuthenticate(ctx, tr, info, &Config{Rand: pkitest.SeedReader("terminal eph")})
	require.NoError(t, err)
	s, err := res.NewSession()
	require.NoError(t, err)
	t2 := sm.NewTransmitter(card, s)
	require.NoError(t, Verify(ctx, t2))
	return &taEnv{chip: chip, card: card, t: t2, res: res}
}

func (e *taEnv) run(chain []*cvc.Certificate, signer crypto.Signer) error {
	return TerminalAuthenticate(context.Background(), e.t, idPICC, e.res.CompressedTerminalKey(), &Config{Chain: chain, Signer: signer, Rand: pkitest.SeedReader("sig")})
}

func hierarchy(t testing.TB, seed string, access byte) *cvc.Hierarchy {
	t.Helper()
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: taDay, Access: access, Rand: pkitest.SeedReader(seed)})
	require.NoError(t, err)
	return h
}

// issue makes a certificate for pub signed by the issuer's key.
func issue(t testing.TB, car, chr cvc.Reference, pub cvc.PublicKey, chat cvc.CHAT, eff, exp time.Time, issuerProto asn1.ObjectIdentifier, signer crypto.Signer) *cvc.Certificate {
	t.Helper()
	c, err := cvc.Create(&cvc.Template{CAR: car, CHR: chr, PublicKey: pub, CHAT: chat, Effective: eff, Expiry: exp}, issuerProto, signer, &cvc.SignConfig{Rand: pkitest.SeedReader(string(chr))})
	require.NoError(t, err)
	return c
}

func ecPub(k *ec.PrivateKey) cvc.PublicKey {
	return cvc.PublicKey{Protocol: secinfo.OIDTAECDSASHA256, Point: k.PublicKey.Bytes()}
}

func TestTerminalAuthentication(t *testing.T) {
	h := hierarchy(t, "full", cvc.ReadDG3|cvc.ReadDG4)
	e := newTAEnv(t, taDay, h.CVCA)
	require.True(t, e.chip.Authorized(1))
	require.True(t, e.chip.Authorized(2))
	require.False(t, e.chip.Authorized(3))
	require.False(t, e.chip.Authorized(4))
	e.card.log = nil
	require.NoError(t, e.run([]*cvc.Certificate{h.DV, h.IS}, h.ISKey))
	require.True(t, e.chip.Authorized(3))
	require.True(t, e.chip.Authorized(4))
	chat, ok := e.chip.TerminalAuthenticated()
	require.True(t, ok)
	require.Equal(t, cvc.RoleTerminal, chat.Role())

	// The exact commands of TR-03110-3 B.3 / ICAO Doc 9303-11 §7.1.
	l := e.card.log
	require.Len(t, l, 7)
	require.Equal(t, apdu.MSESetDSTRef([]byte("VNCVCA00001")), l[0])
	require.Equal(t, apdu.PSOVerifyCertificate(h.DV.VerifyData()), l[1])
	require.Equal(t, apdu.MSESetDSTRef([]byte("VNDV00001")), l[2])
	require.Equal(t, apdu.PSOVerifyCertificate(h.IS.VerifyData()), l[3])
	require.Equal(t, apdu.MSESet(apdu.MSESetATTA, tlv.AppendTLV(nil, 0x83, []byte("VNIS00001"))), l[4])
	require.Equal(t, apdu.GetChallenge(8), l[5])
	require.Equal(t, byte(apdu.INSExternalAuthenticate), l[6].INS)
	require.Len(t, l[6].Data, 64) // plain r || s on brainpoolP256r1

	// The signature covers ID_PICC || r_PICC || Comp(PK_DH,IFD): check it
	// with the IS key from outside the chip.
	cv, _ := h.CVCA.PublicKey.Verifier(nil)
	isv, err := h.IS.PublicKey.Verifier(cv.Curve())
	require.NoError(t, err)
	r := make([]byte, 8)
	_, _ = pkitest.SeedReader("chip rand").Read(r)
	msg := append(append(append([]byte(nil), idPICC...), r...), e.res.TerminalKey[1:33]...)
	require.True(t, isv.Verify(msg, l[6].Data))

	// A new Chip Authentication ends the rights.
	e2 := newTAEnvOnChip(t, e)
	require.False(t, e2.chip.Authorized(3))
}

// newTAEnvOnChip runs Chip Authentication again on the same chip.
func newTAEnvOnChip(t *testing.T, e *taEnv) *taEnv {
	t.Helper()
	k := mustEC(t, ec.BrainpoolP256r1(), "ta chip")
	info, _ := ecCA(t, secinfo.OIDCAECDHAES128, k, -1, false)
	ctx := context.Background()
	res, err := ChipAuthenticate(ctx, e.t, info, &Config{Rand: pkitest.SeedReader("again")})
	require.NoError(t, err)
	s, _ := res.NewSession()
	t2 := sm.NewTransmitter(e.card, s)
	require.NoError(t, Verify(ctx, t2))
	return &taEnv{chip: e.chip, card: e.card, t: t2, res: res}
}

func TestTerminalAuthenticationCHAT(t *testing.T) {
	// An IS granted DG3 only.
	h := hierarchy(t, "dg3", cvc.ReadDG3)
	e := newTAEnv(t, taDay, h.CVCA)
	require.NoError(t, e.run([]*cvc.Certificate{h.DV, h.IS}, h.ISKey))
	require.True(t, e.chip.Authorized(3))
	require.False(t, e.chip.Authorized(4))

	// An under-privileged DV: its CHAT grants DG4 only, the IS claims
	// both; the effective rights are the AND: DG4 only.
	end := taDay.Add(30 * 24 * time.Hour)
	dv := issue(t, h.CVCA.CHR, "VNDV00002", ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVDomestic, cvc.ReadDG4), taDay, end, secinfo.OIDTAECDSASHA256, h.CVCAKey)
	is := issue(t, dv.CHR, "VNIS00002", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, cvc.ReadDG3|cvc.ReadDG4), taDay, end, secinfo.OIDTAECDSASHA256, h.DVKey)
	e = newTAEnv(t, taDay, h.CVCA)
	require.NoError(t, e.run([]*cvc.Certificate{dv, is}, h.ISKey))
	require.False(t, e.chip.Authorized(3))
	require.True(t, e.chip.Authorized(4))

	// A CVCA that itself grants DG3 only caps everything below it.
	cvcaKey := mustEC(t, ec.BrainpoolP256r1(), "cvca dg3")
	cvcaPub := cvc.PublicKey{Protocol: secinfo.OIDTAECDSASHA256, Curve: cvcaKey.Curve(), Point: cvcaKey.PublicKey.Bytes()}
	cvca := issue(t, "VNCVCA00009", "VNCVCA00009", cvcaPub, cvc.NewISCHAT(cvc.RoleCVCA, cvc.ReadDG3), taDay, end, secinfo.OIDTAECDSASHA256, cvcaKey)
	dv = issue(t, cvca.CHR, "VNDV00009", ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVDomestic, cvc.ReadDG3|cvc.ReadDG4), taDay, end, secinfo.OIDTAECDSASHA256, cvcaKey)
	is = issue(t, dv.CHR, "VNIS00009", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, cvc.ReadDG3|cvc.ReadDG4), taDay, end, secinfo.OIDTAECDSASHA256, h.DVKey)
	e = newTAEnv(t, taDay, cvca)
	require.NoError(t, e.run([]*cvc.Certificate{dv, is}, h.ISKey))
	require.True(t, e.chip.Authorized(3))
	require.False(t, e.chip.Authorized(4))
}

func TestTerminalAuthenticationRefused(t *testing.T) {
	h := hierarchy(t, "refused", cvc.ReadDG3|cvc.ReadDG4)
	other := hierarchy(t, "other country", cvc.ReadDG3|cvc.ReadDG4) // same references, other keys

	t.Run("expired IS", func(t *testing.T) {
		e := newTAEnv(t, taDay.Add(cvc.ISValidity+24*time.Hour), h.CVCA)
		err := e.run([]*cvc.Certificate{h.DV, h.IS}, h.ISKey)
		require.ErrorIs(t, err, ErrCertificate)
		require.ErrorIs(t, err, apdu.ErrVerificationFailed)
		require.False(t, e.chip.Authorized(3))
	})
	t.Run("expired DV", func(t *testing.T) {
		e := newTAEnv(t, taDay.Add(cvc.DVValidity+24*time.Hour), h.CVCA)
		require.ErrorIs(t, e.run([]*cvc.Certificate{h.DV, h.IS}, h.ISKey), ErrCertificate)
		require.False(t, e.chip.Authorized(4))
	})
	t.Run("DV of another CVCA key", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		err := e.run([]*cvc.Certificate{other.DV, other.IS}, other.ISKey)
		require.ErrorIs(t, err, ErrCertificate)
		require.ErrorIs(t, err, apdu.ErrVerificationFailed)
		require.False(t, e.chip.Authorized(3))
	})
	t.Run("IS of another DV", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		require.ErrorIs(t, e.run([]*cvc.Certificate{h.DV, other.IS}, other.ISKey), ErrCertificate)
		require.False(t, e.chip.Authorized(3))
	})
	t.Run("unknown CVCA", func(t *testing.T) {
		e := newTAEnv(t, taDay, other.CVCA)
		dv := issue(t, "VNCVCA00077", "VNDV00001", ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVDomestic, 3), taDay, taDay.Add(cvc.DVValidity), secinfo.OIDTAECDSASHA256, h.CVCAKey)
		err := e.run([]*cvc.Certificate{dv, h.IS}, h.ISKey)
		require.ErrorIs(t, err, apdu.ErrReferenceDataNotFound)
	})
	t.Run("IS directly under the CVCA", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		is := issue(t, h.CVCA.CHR, "VNIS00003", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, 3), taDay, taDay.Add(cvc.ISValidity), secinfo.OIDTAECDSASHA256, h.CVCAKey)
		err := e.run([]*cvc.Certificate{is}, h.ISKey)
		require.ErrorIs(t, err, apdu.ErrWrongData)
	})
	t.Run("DV certificate used as terminal", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		err := e.run([]*cvc.Certificate{h.DV}, h.DVKey)
		require.ErrorIs(t, err, apdu.ErrReferenceDataNotFound)
	})
	t.Run("DV issuing a DV", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		dv2 := issue(t, h.DV.CHR, "VNDV00005", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleDVDomestic, 3), taDay, taDay.Add(cvc.ISValidity), secinfo.OIDTAECDSASHA256, h.DVKey)
		require.ErrorIs(t, e.run([]*cvc.Certificate{h.DV, dv2}, h.ISKey), apdu.ErrWrongData)
	})
	t.Run("wrong terminal key", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		err := e.run([]*cvc.Certificate{h.DV, h.IS}, other.ISKey)
		require.ErrorIs(t, err, ErrAuthentication)
		require.ErrorIs(t, err, apdu.ErrVerificationFailed)
		require.False(t, e.chip.Authorized(3))
		require.False(t, e.chip.Authorized(4))
	})
	t.Run("wrong ID_PICC", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		err := TerminalAuthenticate(context.Background(), e.t, []byte("C98765432<1"), e.res.CompressedTerminalKey(), &Config{Chain: []*cvc.Certificate{h.DV, h.IS}, Signer: h.ISKey})
		require.ErrorIs(t, err, ErrAuthentication)
	})
	t.Run("other ephemeral key", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		err := TerminalAuthenticate(context.Background(), e.t, idPICC, make([]byte, 32), &Config{Chain: []*cvc.Certificate{h.DV, h.IS}, Signer: h.ISKey})
		require.ErrorIs(t, err, ErrAuthentication)
	})
	t.Run("foreign IS certificate type", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		at := cvc.CHAT{Type: cvc.OIDAuthenticationTerminal, Authorization: []byte{0x80, 0, 0, 0, 0}}
		dv := issue(t, h.CVCA.CHR, "VNDV00006", ecPub(h.DVKey), at, taDay, taDay.Add(cvc.DVValidity), secinfo.OIDTAECDSASHA256, h.CVCAKey)
		require.ErrorIs(t, e.run([]*cvc.Certificate{dv}, h.DVKey), apdu.ErrWrongData)
	})
	t.Run("missing parameters", func(t *testing.T) {
		e := newTAEnv(t, taDay, h.CVCA)
		require.ErrorIs(t, TerminalAuthenticate(context.Background(), e.t, idPICC, []byte{1}, &Config{Signer: h.ISKey}), ErrSequence)
	})
}

// TestChipDate: the chip's date advances with the effective dates of DV
// certificates and of terminal certificates of domestic DVs, and an IS
// certificate expired at the advanced date is refused.
func TestChipDate(t *testing.T) {
	h := hierarchy(t, "date", cvc.ReadDG3)
	old := taDay.Add(-400 * 24 * time.Hour)
	e := newTAEnv(t, old, h.CVCA)
	require.Equal(t, old, e.chip.Date())
	require.NoError(t, e.run([]*cvc.Certificate{h.DV, h.IS}, h.ISKey))
	require.Equal(t, taDay, e.chip.Date())

	// A DV certificate that took effect later than the IS certificate
	// expired: once the DV advanced the date, the IS is refused.
	late := taDay.Add(60 * 24 * time.Hour)
	dv := issue(t, h.CVCA.CHR, "VNDV00002", ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVDomestic, 3), late, late.Add(cvc.DVValidity), secinfo.OIDTAECDSASHA256, h.CVCAKey)
	is := issue(t, dv.CHR, "VNIS00002", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, 3), taDay, taDay.Add(cvc.ISValidity), secinfo.OIDTAECDSASHA256, h.DVKey)
	e = newTAEnv(t, taDay, h.CVCA)
	require.ErrorIs(t, e.run([]*cvc.Certificate{dv, is}, h.ISKey), ErrCertificate)
	require.Equal(t, late, e.chip.Date())

	// A foreign DV's terminal certificate does not advance the date; a
	// domestic DV's does.
	fdv := issue(t, h.CVCA.CHR, "XXDV00001", ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVForeign, 3), taDay, taDay.Add(cvc.DVValidity), secinfo.OIDTAECDSASHA256, h.CVCAKey)
	fis := issue(t, fdv.CHR, "XXIS00001", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, 3), taDay.Add(5*24*time.Hour), taDay.Add(cvc.ISValidity), secinfo.OIDTAECDSASHA256, h.DVKey)
	e = newTAEnv(t, taDay, h.CVCA)
	require.NoError(t, e.run([]*cvc.Certificate{fdv, fis}, h.ISKey))
	require.Equal(t, taDay, e.chip.Date())
	require.True(t, e.chip.Authorized(3))
	dis := issue(t, h.DV.CHR, "VNIS00007", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, 3), taDay.Add(5*24*time.Hour), taDay.Add(cvc.ISValidity), secinfo.OIDTAECDSASHA256, h.DVKey)
	e = newTAEnv(t, taDay, h.CVCA)
	require.NoError(t, e.run([]*cvc.Certificate{h.DV, dis}, h.ISKey))
	require.Equal(t, taDay.Add(5*24*time.Hour), e.chip.Date())
}

// TestCVCALink: a chip that trusts the old CVCA key accepts a chain that
// starts with a link certificate to the new key, and keeps the new key.
func TestCVCALink(t *testing.T) {
	h := hierarchy(t, "link old", cvc.ReadDG3|cvc.ReadDG4)
	newKey := mustEC(t, ec.BrainpoolP256r1(), "cvca new")
	newPub := cvc.PublicKey{Protocol: secinfo.OIDTAECDSASHA256, Curve: newKey.Curve(), Point: newKey.PublicKey.Bytes()}
	end := taDay.Add(cvc.CVCAValidity)
	later := taDay.Add(10 * 24 * time.Hour)
	link := issue(t, h.CVCA.CHR, "VNCVCA00002", newPub, cvc.NewISCHAT(cvc.RoleCVCA, cvc.ReadDG3|cvc.ReadDG4), later, end, secinfo.OIDTAECDSASHA256, h.CVCAKey)
	dv := issue(t, link.CHR, "VNDV00002", ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVDomestic, cvc.ReadDG3|cvc.ReadDG4), later, later.Add(cvc.DVValidity), secinfo.OIDTAECDSASHA256, newKey)
	is := issue(t, dv.CHR, "VNIS00002", ecPub(h.ISKey), cvc.NewISCHAT(cvc.RoleTerminal, cvc.ReadDG4), later, later.Add(cvc.ISValidity), secinfo.OIDTAECDSASHA256, h.DVKey)
	e := newTAEnv(t, taDay, h.CVCA)
	require.NoError(t, e.run([]*cvc.Certificate{link, dv, is}, h.ISKey))
	require.True(t, e.chip.Authorized(4))
	require.False(t, e.chip.Authorized(3))
	require.Equal(t, []cvc.Reference{"VNCVCA00001", "VNCVCA00002"}, e.chip.TrustPoints())
	require.Equal(t, later, e.chip.Date())
	// The new trust point persists over sessions.
	e2 := newTAEnvOnChip(t, e)
	require.NoError(t, e2.run([]*cvc.Certificate{dv, is}, h.ISKey))
	require.True(t, e2.chip.Authorized(4))
}

// TestTerminalAuthenticationRSA runs the protocol with an RSA chain: PKCS
// #1 v1.5 certificates and a PSS terminal key.
func TestTerminalAuthenticationRSA(t *testing.T) {
	cvcaKey, err := rsa.GenerateKey(pkitest.SeedReader("rsa cvca"), 2048)
	require.NoError(t, err)
	isKey, err := rsa.GenerateKey(pkitest.SeedReader("rsa is"), 2048)
	require.NoError(t, err)
	end := taDay.Add(cvc.DVValidity)
	v15 := secinfo.OIDTARSAv15SHA256
	pss := secinfo.OIDTARSAPSSSHA256
	cvca := issue(t, "VNCVCARSA0001", "VNCVCARSA0001", cvc.PublicKey{Protocol: v15, N: cvcaKey.N, E: cvcaKey.E}, cvc.NewISCHAT(cvc.RoleCVCA, 3), taDay, end, v15, cvcaKey)
	dv := issue(t, cvca.CHR, "VNDVRSA0001", cvc.PublicKey{Protocol: v15, N: cvcaKey.N, E: cvcaKey.E}, cvc.NewISCHAT(cvc.RoleDVDomestic, 3), taDay, end, v15, cvcaKey)
	is := issue(t, dv.CHR, "VNISRSA0001", cvc.PublicKey{Protocol: pss, N: isKey.N, E: isKey.E}, cvc.NewISCHAT(cvc.RoleTerminal, cvc.ReadDG3), taDay, end, v15, cvcaKey)
	e := newTAEnv(t, taDay, cvca)
	require.NoError(t, e.run([]*cvc.Certificate{dv, is}, isKey))
	require.True(t, e.chip.Authorized(3))
	require.False(t, e.chip.Authorized(4))
}

func TestTAChipSequence(t *testing.T) {
	h := hierarchy(t, "seq", cvc.ReadDG3)
	k := mustEC(t, ec.BrainpoolP256r1(), "ta chip")
	_, key := ecCA(t, secinfo.OIDCAECDHAES128, k, -1, false)
	chip, err := NewChip([]CAKey{key}, &ChipConfig{Rand: pkitest.SeedReader("r"), TrustPoints: []*cvc.Certificate{h.CVCA}, Date: taDay, IDPICC: idPICC})
	require.NoError(t, err)
	do := func(c apdu.Command) apdu.Response {
		r, s := chip.Handle(c)
		require.Nil(t, s)
		return r
	}
	// Certificates without MSE:Set DST, unknown references.
	require.Equal(t, apdu.SWConditionsNotSatisfied, do(apdu.PSOVerifyCertificate(h.DV.VerifyData())).SW)
	require.Equal(t, apdu.SWReferenceDataNotFound, do(apdu.MSESetDSTRef([]byte("VNCVCA00099"))).SW)
	require.Equal(t, apdu.SWWrongData, do(apdu.MSESet(apdu.MSESetDST, []byte{0x84, 1, 1})).SW)
	require.Equal(t, apdu.SWWrongData, do(apdu.MSESet(apdu.MSESetDST, nil)).SW)
	require.Equal(t, apdu.SWSuccess, do(apdu.MSESetDSTRef([]byte("VNCVCA00001"))).SW)
	require.Equal(t, apdu.SWWrongData, do(apdu.PSOVerifyCertificate([]byte{0x7F, 0x4E, 0x00})).SW)
	require.Equal(t, apdu.SWConditionsNotSatisfied, do(apdu.PSOVerifyCertificate(h.DV.VerifyData())).SW, "the DST key serves one certificate")
	require.Equal(t, apdu.SWWrongP1P2, do(apdu.Command{INS: apdu.INSPerformSecurityOp, P1: 0x9E, P2: 0x9A}).SW)
	// A wrong CAR for the key set.
	require.Equal(t, apdu.SWSuccess, do(apdu.MSESetDSTRef([]byte("VNCVCA00001"))).SW)
	require.Equal(t, apdu.SWWrongData, do(apdu.PSOVerifyCertificate(h.IS.VerifyData())).SW)
	// Import the chain.
	for _, c := range []*cvc.Certificate{h.DV, h.IS} {
		require.Equal(t, apdu.SWSuccess, do(apdu.MSESetDSTRef([]byte(c.CAR))).SW)
		require.Equal(t, apdu.SWSuccess, do(apdu.PSOVerifyCertificate(c.VerifyData())).SW)
	}
	require.Equal(t, apdu.SWReferenceDataNotFound, do(apdu.MSESet(apdu.MSESetATTA, tlv.AppendTLV(nil, 0x83, []byte("VNCVCA00001")))).SW)
	require.Equal(t, apdu.SWWrongData, do(apdu.MSESet(apdu.MSESetATTA, tlv.AppendTLV(nil, 0x80, []byte{1}))).SW)
	at, _ := apdu.MSESetTA([]byte{4, 0, 0x7F, 0, 7, 2, 2, 2, 2, 3}, []byte("VNIS00001"), []byte{0x73, 0}, []byte{1, 2})
	require.Equal(t, apdu.SWSuccess, do(at).SW, "version 2 objects are ignored")
	// Challenges: 8 bytes only.
	require.Equal(t, apdu.SWWrongLength, do(apdu.GetChallenge(16)).SW)
	require.Equal(t, apdu.SWWrongP1P2, do(apdu.Command{INS: apdu.INSGetChallenge, P1: 1, Ne: 8}).SW)
	// EXTERNAL AUTHENTICATE without a challenge, and before Chip
	// Authentication (no Comp(PK_DH,IFD)).
	require.Equal(t, apdu.SWConditionsNotSatisfied, do(apdu.ExternalAuthenticate(make([]byte, 64), 0)).SW)
	r := do(apdu.GetChallenge(8))
	require.Equal(t, apdu.SWSuccess, r.SW)
	require.Len(t, r.Data, 8)
	require.Equal(t, apdu.SWConditionsNotSatisfied, do(apdu.ExternalAuthenticate(make([]byte, 64), 0)).SW)
	require.Equal(t, apdu.SWWrongP1P2, do(apdu.Command{INS: apdu.INSExternalAuthenticate, P2: 1}).SW)
	require.False(t, chip.Authorized(3))

	// A chip whose random source fails cannot issue challenges (nil Rand
	// is crypto/rand.Reader, the default of ChipConfig).
	norand, err := NewChip([]CAKey{key}, &ChipConfig{Rand: failingReader{}})
	require.NoError(t, err)
	r, _ = norand.Handle(apdu.GetChallenge(8))
	require.Equal(t, apdu.SWNoPreciseDiagnosis, r.SW)
	// Trust points must be CVCA certificates with domain parameters.
	_, err = NewChip(nil, &ChipConfig{TrustPoints: []*cvc.Certificate{h.DV}})
	require.ErrorIs(t, err, ErrCertificate)
	_, err = NewChip(nil, &ChipConfig{TrustPoints: []*cvc.Certificate{h.CVCA, h.CVCA, h.CVCA}})
	require.ErrorIs(t, err, ErrCertificate)
}

// TestChallengeOnce: a signature cannot be replayed: the challenge serves
// one EXTERNAL AUTHENTICATE.
func TestChallengeOnce(t *testing.T) {
	h := hierarchy(t, "once", cvc.ReadDG3)
	e := newTAEnv(t, taDay, h.CVCA)
	require.NoError(t, e.run([]*cvc.Certificate{h.DV, h.IS}, h.ISKey))
	ea := e.card.log[len(e.card.log)-1]
	require.Equal(t, byte(apdu.INSExternalAuthenticate), ea.INS)
	resp, err := e.t.Transmit(context.Background(), ea)
	require.NoError(t, err)
	require.Equal(t, apdu.SWConditionsNotSatisfied, resp.SW)
	require.True(t, e.chip.Authorized(3), "a refused replay does not revoke")
	require.Equal(t, "eac.Chip(1 CA keys, 1 trust points, date 2026-11-25, keys redacted)", e.chip.String())
	require.Equal(t, e.chip.String(), fmt.Sprintf("%#v", e.chip))
}

// TestTemporaryKeyLimit: a session keeps at most MaxTemporaryKeys imported
// keys; importing the same holder again replaces its key.
func TestTemporaryKeyLimit(t *testing.T) {
	h := hierarchy(t, "limit", cvc.ReadDG3)
	chip, err := NewChip(nil, &ChipConfig{TrustPoints: []*cvc.Certificate{h.CVCA}, Date: taDay})
	require.NoError(t, err)
	imp := func(c *cvc.Certificate) apdu.StatusWord {
		r, _ := chip.Handle(apdu.MSESetDSTRef([]byte(c.CAR)))
		require.Equal(t, apdu.SWSuccess, r.SW)
		r, _ = chip.Handle(apdu.PSOVerifyCertificate(c.VerifyData()))
		return r.SW
	}
	for i := 0; i < MaxTemporaryKeys; i++ {
		dv := issue(t, h.CVCA.CHR, cvc.Reference(fmt.Sprintf("VNDX%05d", i)), ecPub(h.DVKey), cvc.NewISCHAT(cvc.RoleDVDomestic, 3), taDay, taDay.Add(cvc.DVValidity), secinfo.OIDTAECDSASHA256, h.CVCAKey)
		require.Equal(t, apdu.SWSuccess, imp(dv))
		require.Equal(t, apdu.SWSuccess, imp(dv), "again: replaced")
	}
	require.Equal(t, apdu.SWConditionsNotSatisfied, imp(h.DV))
}

// TestOpenPACEChain: the chip imports a chain made by OpenPACE's
// cvc-create (crypto/cvc/testdata/openpace): CVCA as trust point, then the
// DV and IS certificates by PSO:Verify Certificate, and MSE:Set AT accepts
// the IS reference. (The IS private key is not kept, so the chain stops
// before EXTERNAL AUTHENTICATE.)
func TestOpenPACEChain(t *testing.T) {
	load := func(name string) *cvc.Certificate {
		b, err := os.ReadFile(filepath.Join("..", "cvc", "testdata", "openpace", name))
		require.NoError(t, err)
		c, err := cvc.Parse(b)
		require.NoError(t, err)
		return c
	}
	cvca, dv, is := load("cvca.cvcert"), load("dv.cvcert"), load("is.cvcert")
	chip, err := NewChip(nil, &ChipConfig{TrustPoints: []*cvc.Certificate{cvca}, Date: time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	for _, c := range []*cvc.Certificate{dv, is} {
		r, _ := chip.Handle(apdu.MSESetDSTRef([]byte(c.CAR)))
		require.Equal(t, apdu.SWSuccess, r.SW)
		r, _ = chip.Handle(apdu.PSOVerifyCertificate(c.VerifyData()))
		require.Equal(t, apdu.SWSuccess, r.SW, "%s", c.CHR)
	}
	require.Equal(t, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), chip.Date(), "advanced by the domestic DV's IS certificate")
	r, _ := chip.Handle(apdu.MSESet(apdu.MSESetATTA, tlv.AppendTLV(nil, 0x83, []byte(is.CHR))))
	require.Equal(t, apdu.SWSuccess, r.SW)
	// The same IS certificate with a flipped signature bit is refused.
	bad := append([]byte(nil), is.VerifyData()...)
	bad[len(bad)-1] ^= 0x01
	chip.Handle(apdu.MSESetDSTRef([]byte(is.CAR)))
	r, _ = chip.Handle(apdu.PSOVerifyCertificate(bad))
	require.Equal(t, apdu.StatusWord(0x6300), r.SW)
}
