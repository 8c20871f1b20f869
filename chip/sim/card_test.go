package sim

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/bac"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// testImage is a card whose files hold recognisable bytes: file i's byte at
// offset k is byte(k*7 + i). The card does not parse its files.
func testImage(sizes map[chip.File]int) *Image {
	img := &Image{Files: map[chip.File][]byte{}}
	for f, n := range sizes {
		b := make([]byte, n)
		for k := range b {
			b[k] = byte(k*7 + int(f))
		}
		img.Files[f] = b
	}
	return img
}

func defaultSizes() map[chip.File]int {
	return map[chip.File]int{
		chip.EFCOM: 24, chip.EFDG1: 93, chip.EFDG2: 20000, chip.EFSOD: 1800,
		chip.EFCardAccess: 99, chip.EFATRInfo: 20,
	}
}

func newCard(t *testing.T, opts Config) *Card {
	t.Helper()
	c, err := New(testImage(defaultSizes()), &opts)
	require.NoError(t, err)
	return c
}

func send(t *testing.T, c *Card, cmd apdu.Command) apdu.Response {
	t.Helper()
	r, err := c.Transmit(context.Background(), cmd)
	require.NoError(t, err)
	return r
}

func sendRaw(t *testing.T, c *Card, raw []byte) apdu.Response {
	t.Helper()
	out, err := c.TransmitRaw(context.Background(), raw)
	require.NoError(t, err)
	r, err := apdu.ParseResponse(out)
	require.NoError(t, err)
	return r
}

func mustRead(t *testing.T, off, ne int) apdu.Command {
	t.Helper()
	cmd, err := apdu.ReadBinary(off, ne)
	require.NoError(t, err)
	return cmd
}

func TestSelectAndAccessRules(t *testing.T) {
	c := newCard(t, Config{})
	files := c.img.Files

	// EF.CardAccess is reachable right after reset, without SELECT MF.
	r := send(t, c, apdu.SelectEF(chip.EFCardAccess.FID()))
	require.Equal(t, apdu.SWSuccess, r.SW)
	r = send(t, c, mustRead(t, 0, 256))
	require.Equal(t, apdu.SWEndOfFile, r.SW)
	require.Equal(t, files[chip.EFCardAccess], r.Data)

	// The LDS1 application, then EF.COM: selectable but not readable
	// before the chip is opened.
	r = send(t, c, apdu.SelectAID(chip.LDS1AID, false))
	require.Equal(t, apdu.SWSuccess, r.SW)
	require.Empty(t, r.Data)
	r = send(t, c, apdu.SelectEF(chip.EFCOM.FID()))
	require.Equal(t, apdu.SWSuccess, r.SW)
	r = send(t, c, mustRead(t, 0, 4))
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, r.SW)
	require.Empty(t, r.Data)

	// An unknown AID and a missing EF.
	r = send(t, c, apdu.SelectAID([]byte{0xA0, 0, 0, 0, 0x47}, false))
	require.Equal(t, apdu.SWFileNotFound, r.SW)
	r = send(t, c, apdu.SelectEF(chip.EFDG3.FID()))
	require.Equal(t, apdu.SWFileNotFound, r.SW)

	// Inside the application, P1 '00' still reaches EF.CardAccess;
	// P1 '02' does not (it names files under the current DF).
	r = send(t, c, apdu.SelectAID(chip.LDS1AID, false))
	require.Equal(t, apdu.SWSuccess, r.SW)
	r = send(t, c, apdu.SelectFID(chip.EFCardAccess.FID(), 0x02, 0x0C))
	require.Equal(t, apdu.SWFileNotFound, r.SW)
	r = send(t, c, apdu.SelectFID(chip.EFCardAccess.FID(), 0x00, 0x0C))
	require.Equal(t, apdu.SWSuccess, r.SW)
}

func TestSelectFCIAndFCP(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true})
	r := send(t, c, apdu.SelectAID(chip.LDS1AID, true))
	require.Equal(t, apdu.SWSuccess, r.SW)
	require.Equal(t, append([]byte{0x6F, 0x09, 0x84, 0x07}, chip.LDS1AID...), r.Data)

	r = send(t, c, apdu.SelectFID(chip.EFDG2.FID(), 0x02, 0x04))
	require.Equal(t, apdu.SWSuccess, r.SW)
	fcp, err := apdu.ParseFCP(r.Data)
	require.NoError(t, err)
	require.EqualValues(t, 20000, fcp.Size)
	require.Equal(t, []byte{0x62, 0x0B, 0x80, 0x02, 0x4E, 0x20, 0x82, 0x01, 0x01, 0x83, 0x02, 0x01, 0x02}, r.Data)

	r = send(t, c, apdu.Command{CLA: 0, INS: 0xA4, P1: 0x02, P2: 0x08, Data: []byte{1, 2}})
	require.Equal(t, apdu.SWWrongP1P2, r.SW)
	r = send(t, c, apdu.Command{CLA: 0, INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{1}})
	require.Equal(t, apdu.SWWrongData, r.SW)
}

func TestSelectMF(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectMF()).SW)
	// Back in the MF: DG1 is not there, EF.CardAccess is.
	require.Equal(t, apdu.SWFileNotFound, send(t, c, apdu.SelectEF(chip.EFDG1.FID())).SW)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectEF(chip.EFCardAccess.FID())).SW)

	q := newCard(t, Config{SelectMFQuirk: true})
	require.Equal(t, apdu.SWINSNotSupported, send(t, q, apdu.SelectMF()).SW)
	require.Equal(t, apdu.SWSuccess, send(t, q, apdu.SelectEF(chip.EFCardAccess.FID())).SW)
}

func TestSelectPath(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	cmd, err := apdu.SelectPath([]uint16{chip.EFCardAccess.FID()}, true, 0x0C)
	require.NoError(t, err)
	require.Equal(t, apdu.SWSuccess, send(t, c, cmd).SW)
	r := send(t, c, mustRead(t, 0, 5))
	require.Equal(t, c.img.Files[chip.EFCardAccess][:5], r.Data)
	cmd, err = apdu.SelectPath([]uint16{0x0101, 0x0102}, true, 0x0C)
	require.NoError(t, err)
	require.Equal(t, apdu.SWFileNotFound, send(t, c, cmd).SW)
}

func TestReadBinary(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true})
	dg2 := c.img.Files[chip.EFDG2]
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)

	// No current EF yet.
	require.Equal(t, apdu.SWCommandNotAllowed, send(t, c, mustRead(t, 0, 4)).SW)

	// READ BINARY with a short EF identifier selects the file.
	cmd, err := apdu.ReadBinarySFI(chip.EFDG2.SFI(), 0, 4)
	require.NoError(t, err)
	r := send(t, c, cmd)
	require.Equal(t, apdu.SWSuccess, r.SW)
	require.Equal(t, dg2[:4], r.Data)

	// Offsets, short Le 256 ('00'), extended Le.
	r = send(t, c, mustRead(t, 1000, 256))
	require.Equal(t, dg2[1000:1256], r.Data)
	r = send(t, c, mustRead(t, 4, 65536))
	require.Equal(t, apdu.SWEndOfFile, r.SW)
	require.Equal(t, dg2[4:], r.Data)

	// End of file: 6282 with what is left, 6B00 past it.
	r = send(t, c, mustRead(t, 19990, 100))
	require.Equal(t, apdu.SWEndOfFile, r.SW)
	require.Equal(t, dg2[19990:], r.Data)
	require.Equal(t, apdu.SWWrongP1P2Offset, send(t, c, mustRead(t, 20000, 1)).SW)
	require.Equal(t, apdu.SWWrongP1P2Offset, send(t, c, mustRead(t, 30000, 1)).SW)

	// No Le.
	require.Equal(t, apdu.SWWrongLength, send(t, c, apdu.Command{INS: 0xB0}).SW)

	// 'B1' with offset DO '54' above 32767 is not needed for 20 KB, but
	// the form works at any offset.
	cmd, err = apdu.ReadBinaryOdd(15000, 100)
	require.NoError(t, err)
	r = send(t, c, cmd)
	require.Equal(t, apdu.SWSuccess, r.SW)
	data, err := apdu.ParseReadBinaryOdd(r.Data)
	require.NoError(t, err)
	require.Equal(t, dg2[15000:15000+100-3], data)
}

func TestReadBinaryOddLargeOffset(t *testing.T) {
	sizes := defaultSizes()
	sizes[chip.EFDG3] = 40000
	c, err := New(testImage(sizes), &Config{OpenAccess: true})
	require.NoError(t, err)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectEF(chip.EFDG3.FID())).SW)
	cmd, err := apdu.ReadBinaryOdd(39000, 2000)
	require.NoError(t, err)
	r := send(t, c, cmd)
	require.Equal(t, apdu.SWEndOfFile, r.SW)
	data, err := apdu.ParseReadBinaryOdd(r.Data)
	require.NoError(t, err)
	require.Equal(t, c.img.Files[chip.EFDG3][39000:], data)
}

func TestShortOnlyAndLimits(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true, ShortOnly: true})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectEF(chip.EFDG2.FID())).SW)
	require.Equal(t, apdu.SWWrongLength, send(t, c, mustRead(t, 0, 1000)).SW)
	require.Equal(t, 256, len(send(t, c, mustRead(t, 0, 256)).Data))
	require.NotEqual(t, c.ATR(), DefaultATR(true))

	m := newCard(t, Config{OpenAccess: true, MaxResponse: 1024})
	require.Equal(t, apdu.SWSuccess, send(t, m, apdu.SelectAID(chip.LDS1AID, false)).SW)
	require.Equal(t, apdu.SWSuccess, send(t, m, apdu.SelectEF(chip.EFDG2.FID())).SW)
	require.Equal(t, apdu.SWWrongLength, send(t, m, mustRead(t, 0, 65536)).SW)
	require.Len(t, send(t, m, mustRead(t, 0, 1024)).Data, 1024)

	_, err := New(testImage(nil), &Config{MaxResponse: 70000})
	require.Error(t, err)
}

func TestWrongLe6C(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true, WrongLe6C: true})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectEF(chip.EFDG1.FID())).SW)
	require.Equal(t, apdu.StatusWord(0x6C00|93), send(t, c, mustRead(t, 0, 256)).SW)
	r := send(t, c, mustRead(t, 0, 93))
	require.Equal(t, apdu.SWSuccess, r.SW)
	require.Len(t, r.Data, 93)
}

func TestMalformedCommands(t *testing.T) {
	c := newCard(t, Config{})
	require.Equal(t, apdu.SWWrongLength, sendRaw(t, c, []byte{0x00, 0xA4}).SW)
	require.Equal(t, apdu.SWCLANotSupported, sendRaw(t, c, []byte{0x80, 0xA4, 0x04, 0x0C}).SW)
	require.Equal(t, apdu.SWINSNotSupported, sendRaw(t, c, []byte{0x00, 0xCA, 0x00, 0x00, 0x00}).SW)
	// A protected command before any session: no keys.
	require.Equal(t, apdu.SWSMDataObjectsMissing, sendRaw(t, c, []byte{0x0C, 0xB0, 0x00, 0x00, 0x00}).SW)
}

func TestTearAndPowerOn(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true, Faults: Faults{TearAfterAPDUs: 2}})
	send(t, c, apdu.SelectAID(chip.LDS1AID, false))
	send(t, c, apdu.SelectEF(chip.EFDG1.FID()))
	_, err := c.Transmit(context.Background(), mustRead(t, 0, 10))
	require.ErrorIs(t, err, ErrRemoved)
	_, err = c.Transmit(context.Background(), mustRead(t, 0, 10))
	require.ErrorIs(t, err, ErrRemoved)
	// Back in the field: a fresh card state (no application selected).
	c.PowerOn()
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)

	b := newCard(t, Config{OpenAccess: true, Faults: Faults{TearAfterBytes: 300}})
	send(t, b, apdu.SelectAID(chip.LDS1AID, false))
	send(t, b, apdu.SelectEF(chip.EFDG2.FID()))
	send(t, b, mustRead(t, 0, 256))
	send(t, b, mustRead(t, 256, 256))
	_, err = b.Transmit(context.Background(), mustRead(t, 512, 256))
	require.ErrorIs(t, err, ErrRemoved)
	require.Equal(t, 4, b.Stats().APDUs)
}

func TestCorruptAndDelay(t *testing.T) {
	c := newCard(t, Config{OpenAccess: true, Faults: Faults{CorruptResponse: 3}})
	send(t, c, apdu.SelectAID(chip.LDS1AID, false))
	send(t, c, apdu.SelectEF(chip.EFDG1.FID()))
	r := send(t, c, mustRead(t, 0, 8))
	want := bytes.Clone(c.img.Files[chip.EFDG1][:8])
	require.NotEqual(t, want, r.Data)
	want[0] ^= 1
	require.Equal(t, want, r.Data)
	// The card's own file is untouched.
	r = send(t, c, mustRead(t, 0, 8))
	require.Equal(t, c.img.Files[chip.EFDG1][:8], r.Data)

	d := newCard(t, Config{Faults: Faults{Delay: time.Hour}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := d.Transmit(ctx, apdu.SelectAID(chip.LDS1AID, false))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 5*time.Second)
}

func TestImageSaveLoad(t *testing.T) {
	img := testImage(defaultSizes())
	img.Profile = "cccd"
	img.Secrets = Secrets{MRZInfo: "L898902C<369080619406236", CAN: "012345", AAKey: []byte{1, 2, 3}, CAKeyID: 7}
	path := filepath.Join(t.TempDir(), "card.json")
	require.NoError(t, img.Save(path))
	st, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	got, err := Load(path)
	require.NoError(t, err)
	require.Equal(t, img, got)

	require.NotContains(t, img.Secrets.String(), "L898902C")
	require.NotContains(t, fmtV(img), "L898902C")

	for _, bad := range []string{
		`{"format":"other","version":1,"files":{}}`,
		`{"format":"cancuoc-card-image","version":2,"files":{}}`,
		`{"format":"cancuoc-card-image","version":1,"files":{"DG99":""}}`,
		`{"format":"cancuoc-card-image","version":1,"files":{},"extra":1}`,
		`not json`,
	} {
		_, err := Decode(bytes.NewReader([]byte(bad)))
		require.ErrorIs(t, err, ErrImage, bad)
	}
}

func TestDefaultATR(t *testing.T) {
	atr := DefaultATR(true)
	require.Equal(t, []byte{0x3B, 0x87, 0x80, 0x01, 0x80, 0x31, 0x80, 0x73, 0x80, 0x21, 0xC0}, atr[:len(atr)-1])
	var x byte
	for _, b := range atr[1:] {
		x ^= b
	}
	require.Zero(t, x, "TCK makes the XOR of T0..TCK zero")
	require.Equal(t, byte(0x80), DefaultATR(false)[10])
}

func TestVPCDAdapter(t *testing.T) {
	c := newCard(t, Config{Faults: Faults{TearAfterAPDUs: 1}})
	v := c.VPCD()
	require.Equal(t, c.ATR(), v.ATR())
	cmd, _ := apdu.SelectAID(chip.LDS1AID, false).Bytes()
	require.Equal(t, []byte{0x90, 0x00}, v.Transmit(context.Background(), cmd))
	require.Equal(t, []byte{0x6F, 0x00}, v.Transmit(context.Background(), cmd))
	v.PowerOn()
	require.Equal(t, []byte{0x90, 0x00}, v.Transmit(context.Background(), cmd))
}

func fmtV(img *Image) string {
	var b bytes.Buffer
	for _, s := range []string{img.Secrets.GoString(), img.Secrets.String()} {
		b.WriteString(s)
	}
	return b.String()
}

// mrzInfo is the MRZ information of ICAO Doc 9303-11 Appendix D.
const mrzInfo = "L898902C<369080619406236"

func bacCard(t *testing.T, opts Config) *Card {
	t.Helper()
	img := testImage(defaultSizes())
	img.Secrets.MRZInfo = mrzInfo
	c, err := New(img, &opts)
	require.NoError(t, err)
	return c
}

func TestBAC(t *testing.T) {
	ctx := context.Background()
	c := bacCard(t, Config{})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	s, err := openBAC(ctx, c, mrzInfo)
	require.NoError(t, err)
	st := sm.NewTransmitter(c, s)
	r, err := st.Transmit(ctx, apdu.SelectEF(chip.EFDG1.FID()))
	require.NoError(t, err)
	require.Equal(t, apdu.SWSuccess, r.SW)
	r, err = st.Transmit(ctx, mustRead(t, 0, 200))
	require.NoError(t, err)
	require.Equal(t, apdu.SWEndOfFile, r.SW)
	require.Equal(t, c.img.Files[chip.EFDG1], r.Data)

	// A short response under SM carries at most 231 plain bytes with 3DES.
	r, err = st.Transmit(ctx, apdu.SelectEF(chip.EFDG2.FID()))
	require.NoError(t, err)
	require.Equal(t, apdu.SWSuccess, r.SW)
	r, err = st.Transmit(ctx, mustRead(t, 0, 231))
	require.NoError(t, err)
	require.Len(t, r.Data, 231)

	// A plain command ends the session: the chip is closed again.
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, send(t, c, mustRead(t, 0, 4)).SW)
	_, err = st.Transmit(ctx, mustRead(t, 0, 4))
	require.Error(t, err)
}

func TestBACRefused(t *testing.T) {
	ctx := context.Background()
	c := bacCard(t, Config{})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	_, err := openBAC(ctx, c, "L898902C<369080619406237")
	require.Error(t, err)
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, send(t, c, readSFI(t, chip.EFDG1)).SW)

	d := bacCard(t, Config{DisableBAC: true})
	_, err = openBAC(ctx, d, mrzInfo)
	require.Error(t, err)

	// EXTERNAL AUTHENTICATE without GET CHALLENGE.
	e := bacCard(t, Config{})
	r := send(t, e, apdu.ExternalAuthenticate(make([]byte, 40), 40))
	require.Equal(t, apdu.SWConditionsNotSatisfied, r.SW)
}

func TestSMFaultsEndSession(t *testing.T) {
	ctx := context.Background()
	// The fourth response (the first protected one) has a wrong MAC.
	c := bacCard(t, Config{Faults: Faults{WrongMAC: 4}})
	require.Equal(t, apdu.SWSuccess, send(t, c, apdu.SelectAID(chip.LDS1AID, false)).SW)
	s, err := openBAC(ctx, c, mrzInfo)
	require.NoError(t, err)
	st := sm.NewTransmitter(c, s)
	_, err = st.Transmit(ctx, apdu.SelectEF(chip.EFDG1.FID()))
	require.ErrorIs(t, err, sm.ErrMAC)
	_, err = st.Transmit(ctx, mustRead(t, 0, 4))
	require.ErrorIs(t, err, sm.ErrSessionDead)

	// A command with a wrong MAC: the card answers 6988 in plain and
	// forgets its keys.
	d := bacCard(t, Config{})
	require.Equal(t, apdu.SWSuccess, send(t, d, apdu.SelectAID(chip.LDS1AID, false)).SW)
	s, err = openBAC(ctx, d, mrzInfo)
	require.NoError(t, err)
	w, err := s.Wrap(apdu.SelectEF(chip.EFDG1.FID()))
	require.NoError(t, err)
	w.Data[len(w.Data)-1] ^= 1
	r := send(t, d, w)
	require.Equal(t, apdu.SWSMDataObjectsIncorrect, r.SW)
	require.Equal(t, apdu.SWSecurityStatusNotSatisfied, send(t, d, readSFI(t, chip.EFDG1)).SW)
}

func readSFI(t *testing.T, f chip.File) apdu.Command {
	t.Helper()
	cmd, err := apdu.ReadBinarySFI(f.SFI(), 0, 4)
	require.NoError(t, err)
	return cmd
}

func TestImageStringRedacted(t *testing.T) {
	img := testImage(defaultSizes())
	img.Profile = "cccd"
	img.Secrets.MRZInfo = "L898902C<369080619406236"
	for _, s := range []string{fmt.Sprint(img), fmt.Sprintf("%v %+v %#v", img, img, img)} {
		require.NotContains(t, s, "L898902C")
		require.Contains(t, s, "DG1")
	}
}

// openBAC runs BAC as a terminal would from the MRZ information: the key,
// then the protocol with the default configuration.
func openBAC(ctx context.Context, t apdu.Transmitter, mrzInfo string) (*sm.Session, error) {
	k, err := bac.NewKey(mrzInfo)
	if err != nil {
		return nil, err
	}
	return bac.Open(ctx, t, k, nil)
}
