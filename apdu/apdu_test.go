package apdu

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

func requireFormatError(t *testing.T, err error, sentinel error, offset int) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var e *FormatError
	require.ErrorAs(t, err, &e)
	require.Equal(t, offset, e.Offset, "offset in %v", err)
}

// ICAO Doc 9303-11 Appendix D (worked example of BAC and secure
// messaging), the plain commands of D.3 and D.4.
const (
	appDGetChallenge = "00 84 00 00 08"
	appDExtAuth      = "00 82 00 00 28 72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2 5F1448EEA8AD90A7 28"
	appDSelectEFCOM  = "00 A4 02 0C 02 01 1E"
	appDReadBinary4  = "00 B0 00 00 04"
	appDReadBinary18 = "00 B0 00 04 12"
)

func TestCommandEncoding(t *testing.T) {
	data255 := bytes.Repeat([]byte{0xAB}, 255)
	data256 := bytes.Repeat([]byte{0xCD}, 256)
	tests := []struct {
		name string
		cmd  Command
		enc  string
		ext  bool
	}{
		// ICAO 9303-11 Appendix D.3 and D.4.
		{"9303-11 D.3 GET CHALLENGE", GetChallenge(8), appDGetChallenge, false},
		{"9303-11 D.3 EXTERNAL AUTHENTICATE", ExternalAuthenticate(vectors.Unhex(t, "72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7"), 40), appDExtAuth, false},
		{"9303-11 D.4 SELECT EF.COM", SelectEF(0x011E), appDSelectEFCOM, false},
		{"9303-11 D.4 READ BINARY 4", must(ReadBinary(0, 4)), appDReadBinary4, false},
		{"9303-11 D.4 READ BINARY 18", must(ReadBinary(4, 18)), appDReadBinary18, false},
		// ICAO 9303-10 §3.1: SELECT of the LDS1 application.
		{"9303-10 SELECT eMRTD application", SelectAID(LDS1AID, false), "00 A4 04 0C 07 A0000002471001", false},
		{"SELECT AID with FCI", SelectAID(LDS1AID, true), "00 A4 04 00 07 A0000002471001 00", false},
		{"SELECT MF", SelectMF(), "00 A4 00 0C 02 3F00", false},
		// ISO/IEC 7816-3 §12.1.3 cases.
		{"case 1", Command{CLA: 0x80, INS: 0x10, P1: 1, P2: 2}, "80 10 01 02", false},
		{"case 1 Extended ignored", Command{INS: 0x10, Extended: true}, "00 10 00 00", false},
		{"case 2S Ne=1", Command{INS: 0xB0, Ne: 1}, "00 B0 00 00 01", false},
		{"case 2S Ne=256", Command{INS: 0xB0, Ne: 256}, "00 B0 00 00 00", false},
		{"case 2E Ne=257", Command{INS: 0xB0, Ne: 257}, "00 B0 00 00 00 0101", true},
		{"case 2E Ne=65536", Command{INS: 0xB0, Ne: 65536}, "00 B0 00 00 00 0000", true},
		{"case 2E forced", Command{INS: 0xB0, Ne: 4, Extended: true}, "00 B0 00 00 00 0004", true},
		{"case 3S", Command{INS: 0xD6, Data: []byte{1, 2}}, "00 D6 00 00 02 0102", false},
		{"case 3S 255", Command{INS: 0xD6, Data: data255}, "00 D6 00 00 FF" + strings.Repeat("AB", 255), false},
		{"case 3E 256", Command{INS: 0xD6, Data: data256}, "00 D6 00 00 00 0100" + strings.Repeat("CD", 256), true},
		{"case 3E forced", Command{INS: 0xD6, Data: []byte{1}, Extended: true}, "00 D6 00 00 00 0001 01", true},
		{"case 4S", Command{INS: 0x88, Data: []byte{1}, Ne: 256}, "00 88 00 00 01 01 00", false},
		{"case 4E data", Command{INS: 0x88, Data: data256, Ne: 5}, "00 88 00 00 00 0100" + strings.Repeat("CD", 256) + "0005", true},
		{"case 4E Ne", Command{INS: 0x88, Data: []byte{9}, Ne: 65536}, "00 88 00 00 00 0001 09 0000", true},
		{"case 4E Ne 65535", Command{INS: 0x88, Data: []byte{9}, Ne: 65535}, "00 88 00 00 00 0001 09 FFFF", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := vectors.Unhex(t, tc.enc)
			got, err := tc.cmd.Bytes()
			require.NoError(t, err)
			require.Equal(t, want, got)
			require.Equal(t, len(want), tc.cmd.Len())
			require.Equal(t, tc.ext, tc.cmd.IsExtended())
			app, err := tc.cmd.AppendBinary([]byte{0xEE})
			require.NoError(t, err)
			require.Equal(t, append([]byte{0xEE}, want...), app)

			parsed, err := ParseCommand(want)
			require.NoError(t, err)
			require.Equal(t, tc.cmd.CLA, parsed.CLA)
			require.Equal(t, tc.cmd.INS, parsed.INS)
			require.Equal(t, tc.cmd.Ne, parsed.Ne)
			require.True(t, bytes.Equal(tc.cmd.Data, parsed.Data))
			again, err := parsed.Bytes()
			require.NoError(t, err)
			require.Equal(t, want, again)
		})
	}
}

func must(c Command, err error) Command {
	if err != nil {
		panic(err)
	}
	return c
}

func TestCommandEncodingErrors(t *testing.T) {
	tests := []struct {
		name string
		cmd  Command
		err  error
		off  int
	}{
		{"data too long", Command{INS: 0xD6, Data: make([]byte, 65536)}, ErrDataTooLong, 4},
		{"Ne negative", Command{INS: 0xB0, Ne: -1}, ErrNe, 4},
		{"Ne too large", Command{INS: 0xB0, Ne: 65537}, ErrNe, 4},
		{"INS 6X", Command{INS: 0x61}, ErrInvalidINS, 1},
		{"INS 9X", Command{INS: 0x9F}, ErrInvalidINS, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.cmd.Bytes()
			requireFormatError(t, err, tc.err, tc.off)
			b, err := tc.cmd.AppendBinary([]byte{1})
			requireFormatError(t, err, tc.err, tc.off)
			require.Equal(t, []byte{1}, b)
			require.Equal(t, -1, tc.cmd.Len())
		})
	}
}

func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		err  error
		off  int
	}{
		{"empty", nil, ErrTooShort, 0},
		{"3 bytes", vectors.Unhex(t, "00 A4 02"), ErrTooShort, 3},
		{"too long", make([]byte, MaxCommandLen+1), ErrTooLong, MaxCommandLen},
		{"INS 60", vectors.Unhex(t, "00 60 00 00"), ErrInvalidINS, 1},
		{"short Lc too big", vectors.Unhex(t, "00 A4 02 0C 03 01 1E"), ErrLength, 4},
		{"short Lc too small", vectors.Unhex(t, "00 A4 02 0C 01 01 1E 00"), ErrLength, 4},
		{"extended 6 bytes", vectors.Unhex(t, "00 B0 00 00 00 01"), ErrLength, 4},
		{"extended Lc zero", vectors.Unhex(t, "00 B0 00 00 00 0000 01"), ErrLength, 5},
		{"extended Lc zero with Le", vectors.Unhex(t, "00 B0 00 00 00 0000 0000"), ErrLength, 5},
		{"extended Lc mismatch", vectors.Unhex(t, "00 D6 00 00 00 0003 0102"), ErrLength, 5},
		{"extended Lc mismatch with one Le byte", vectors.Unhex(t, "00 D6 00 00 00 0002 0102 00"), ErrLength, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCommand(tc.in)
			requireFormatError(t, err, tc.err, tc.off)
			require.Contains(t, err.Error(), "apdu: command")
		})
	}
}

func TestParseCommandCases(t *testing.T) {
	// 2S with Le 00, 3S/4S, 2E, 3E, 4E with Le 0000.
	c, err := ParseCommand(vectors.Unhex(t, "00 B0 00 00 00"))
	require.NoError(t, err)
	require.Equal(t, Command{INS: 0xB0, Ne: 256}, c)
	c, err = ParseCommand(vectors.Unhex(t, "00 B0 00 00 00 0000"))
	require.NoError(t, err)
	require.Equal(t, Command{INS: 0xB0, Ne: 65536, Extended: true}, c)
	c, err = ParseCommand(vectors.Unhex(t, "0C B0 00 00 00 0001 AA 0000"))
	require.NoError(t, err)
	require.Equal(t, Command{CLA: 0x0C, INS: 0xB0, Data: []byte{0xAA}, Ne: 65536, Extended: true}, c)
	c, err = ParseCommand(vectors.Unhex(t, "0C B0 00 00 00 0001 AA"))
	require.NoError(t, err)
	require.Equal(t, Command{CLA: 0x0C, INS: 0xB0, Data: []byte{0xAA}, Extended: true}, c)
}

func TestCommandString(t *testing.T) {
	secret := vectors.Unhex(t, "DEADBEEFCAFE")
	c := ExternalAuthenticate(secret, 40)
	s := c.String()
	require.Equal(t, "C-APDU 00 82 00 00 Nc=6 Ne=40", s)
	require.NotContains(t, strings.ToUpper(s), "DEADBEEF")
	require.Equal(t, "C-APDU 00 B0 00 00 Ne=65536 extended", Command{INS: 0xB0, Ne: 65536}.String())
	r := Response{Data: secret, SW: 0x9000}
	require.Equal(t, "R-APDU 6 bytes, SW 9000 (success)", r.String())
}

func TestResponse(t *testing.T) {
	// 9303-11 Appendix D.4: the plain response to READ BINARY of 4 bytes
	// (the start of EF.COM) is 60 14 5F 01 90 00.
	b := vectors.Unhex(t, "60145F01 9000")
	r, err := ParseResponse(b)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "60145F01"), r.Data)
	require.Equal(t, StatusWord(0x9000), r.SW)
	require.True(t, r.SW.OK())
	require.NoError(t, r.Err())
	require.Equal(t, b, r.Bytes())
	require.Equal(t, []byte{7, 0x60, 0x14, 0x5F, 0x01, 0x90, 0x00}, r.AppendTo([]byte{7}))

	// Appending to the parsed Data must not overwrite the status word.
	_ = append(r.Data, 0xFF)
	require.Equal(t, byte(0x90), b[4])

	r, err = ParseResponse(vectors.Unhex(t, "6A82"))
	require.NoError(t, err)
	require.Empty(t, r.Data)
	require.ErrorIs(t, r.Err(), ErrFileNotFound)
	require.ErrorIs(t, r.ErrFor(SelectEF(0x0101)), ErrFileNotFound)
	var se *StatusError
	require.ErrorAs(t, r.ErrFor(SelectEF(0x0101)), &se)
	require.Equal(t, byte(0xA4), se.INS)
	require.NoError(t, Response{SW: 0x9000}.ErrFor(GetChallenge(8)))

	r, err = ParseResponse(vectors.Unhex(t, "0102 6282"))
	require.NoError(t, err)
	require.NoError(t, r.Err(), "end of file is a usable answer")
	require.False(t, r.SW.OK())
	require.True(t, r.SW.IsWarning())
	for _, sw := range []StatusWord{0x6110, 0x6C10, 0x63C2, 0x6300, 0x6281} {
		require.Error(t, Response{SW: sw}.Err(), "%s", sw)
	}

	_, err = ParseResponse([]byte{0x90})
	requireFormatError(t, err, ErrTooShort, 1)
	_, err = ParseResponse(nil)
	requireFormatError(t, err, ErrTooShort, 0)
	_, err = ParseResponse(make([]byte, MaxResponseLen+1))
	requireFormatError(t, err, ErrTooLong, MaxResponseLen)
	r, err = ParseResponse(make([]byte, MaxResponseLen))
	require.NoError(t, err)
	require.Len(t, r.Data, MaxNe)
}

func TestStatusWord(t *testing.T) {
	tests := []struct {
		sw   StatusWord
		want string
	}{
		{0x9000, "9000 (success)"},
		{0x6282, "6282 (warning: end of file or record reached before reading Ne bytes)"},
		{0x6110, "6110 (16 more bytes available (GET RESPONSE))"},
		{0x6100, "6100 (256 more bytes available (GET RESPONSE))"},
		{0x6C08, "6C08 (error: wrong Le, 8 bytes available)"},
		{0x6700, "6700 (error: wrong length)"},
		{0x6982, "6982 (error: security status not satisfied)"},
		{0x6985, "6985 (error: conditions of use not satisfied)"},
		{0x6986, "6986 (error: command not allowed (no current EF))"},
		{0x6987, "6987 (error: expected secure messaging data objects missing)"},
		{0x6988, "6988 (error: incorrect secure messaging data objects)"},
		{0x6A80, "6A80 (error: incorrect parameters in the command data field)"},
		{0x6A82, "6A82 (error: file or application not found)"},
		{0x6A86, "6A86 (error: incorrect parameters P1-P2)"},
		{0x6A88, "6A88 (error: referenced data or reference data not found)"},
		{0x6B00, "6B00 (error: wrong parameters P1-P2 (offset outside the EF))"},
		{0x6D00, "6D00 (error: instruction code not supported or invalid)"},
		{0x6E00, "6E00 (error: class not supported)"},
		{0x6300, "6300 (warning: verification failed)"},
		{0x63C3, "63C3 (warning: counter 3)"},
		{0x6310, "6310 (warning: state changed)"},
		{0x6581, "6581 (error: memory failure)"},
		{0x6883, "6883 (error: last command of the chain expected)"},
		{0x6884, "6884 (error: command chaining not supported)"},
		{0x6F00, "6F00 (error: no precise diagnosis)"},
		{0x6F12, "6F12 (unknown)"},
		{0x6A99, "6A99 (error: wrong parameters P1-P2)"},
		{0x6299, "6299 (warning: state unchanged)"},
		{0x6401, "6401 (error: immediate response required by the card)"},
		{0x6402, "6402 (error: execution error, state unchanged)"},
		{0x6502, "6502 (error: execution error, state changed)"},
		{0x6601, "6601 (error: security-related issue)"},
		{0x6701, "6701 (error: wrong length)"},
		{0x6801, "6801 (error: functions in CLA not supported)"},
		{0x6999, "6999 (error: command not allowed)"},
		{0x9001, "9001 (success (proprietary qualifier))"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, tc.sw.String())
	}
	sw := StatusWord(0x6C1F)
	require.Equal(t, byte(0x6C), sw.SW1())
	require.Equal(t, byte(0x1F), sw.SW2())
	require.False(t, sw.OK())
	require.False(t, sw.IsWarning())
}

func TestStatusErrorIs(t *testing.T) {
	err := error(&StatusError{SW: 0x6982, INS: 0xB0})
	require.ErrorIs(t, err, ErrSecurityStatusNotSatisfied)
	require.ErrorIs(t, err, SW(0x6982))
	require.ErrorIs(t, err, &StatusError{SW: 0x6982, INS: 0xB0})
	require.NotErrorIs(t, err, &StatusError{SW: 0x6982, INS: 0xA4})
	require.NotErrorIs(t, err, ErrFileNotFound)
	require.NotErrorIs(t, err, errors.New("x"))
	require.Equal(t, "apdu: INS B0: status 6982 (error: security status not satisfied)", err.Error())
	require.Equal(t, "apdu: status 6A82 (error: file or application not found)", ErrFileNotFound.Error())

	wrapped := errors.Join(errors.New("reading DG1"), &StatusError{SW: 0x6C12})
	require.ErrorIs(t, wrapped, ErrWrongLe)
	require.ErrorIs(t, &StatusError{SW: 0x6105}, SW(0x6100))
	require.ErrorIs(t, &StatusError{SW: 0x63C1}, ErrCounter)
	require.NotErrorIs(t, &StatusError{SW: 0x6300}, ErrCounter)
	require.NotErrorIs(t, &StatusError{SW: 0x6A80}, SW(0x6A00))
}

func TestFormatError(t *testing.T) {
	err := error(&FormatError{What: "command", Offset: 4, Err: ErrLength})
	require.Equal(t, "apdu: command: offset 4: length field does not match the data", err.Error())
	require.ErrorIs(t, err, ErrLength)
}

// rawFunc adapts a function to RawTransport.
type rawFunc func(ctx context.Context, b []byte) ([]byte, error)

func (f rawFunc) TransmitRaw(ctx context.Context, b []byte) ([]byte, error) { return f(ctx, b) }

func TestNewTransmitter(t *testing.T) {
	var sent []byte
	tr := NewTransmitter(rawFunc(func(_ context.Context, b []byte) ([]byte, error) {
		sent = append([]byte(nil), b...)
		return vectors.Unhex(t, "4608F91988702212 9000"), nil
	}))
	r, err := tr.Transmit(context.Background(), GetChallenge(8))
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, appDGetChallenge), sent)
	require.Equal(t, vectors.Unhex(t, "4608F91988702212"), r.Data)

	data, err := Transmit(context.Background(), tr, GetChallenge(8))
	require.NoError(t, err)
	require.Len(t, data, 8)

	// Encoding errors stop before the transport.
	sent = nil
	_, err = tr.Transmit(context.Background(), Command{INS: 0x6A})
	require.ErrorIs(t, err, ErrInvalidINS)
	require.Nil(t, sent)

	transportErr := errors.New("card removed")
	bad := NewTransmitter(rawFunc(func(context.Context, []byte) ([]byte, error) { return nil, transportErr }))
	_, err = bad.Transmit(context.Background(), GetChallenge(8))
	require.ErrorIs(t, err, transportErr)
	_, err = Transmit(context.Background(), bad, GetChallenge(8))
	require.ErrorIs(t, err, transportErr)

	short := NewTransmitter(rawFunc(func(context.Context, []byte) ([]byte, error) { return []byte{0x90}, nil }))
	_, err = short.Transmit(context.Background(), GetChallenge(8))
	require.ErrorIs(t, err, ErrTooShort)

	denied := NewTransmitter(rawFunc(func(context.Context, []byte) ([]byte, error) { return []byte{0x69, 0x82}, nil }))
	_, err = Transmit(context.Background(), denied, must(ReadBinary(0, 4)))
	require.ErrorIs(t, err, ErrSecurityStatusNotSatisfied)
	require.ErrorIs(t, err, &StatusError{SW: 0x6982, INS: 0xB0})
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		name string
		cmd  Command
		enc  string
	}{
		{"SELECT by FID with FCP", SelectFID(0x011E, SelectByFID, ReturnFCP), "00 A4 00 04 02 011E 00"},
		{"SELECT child DF", SelectFID(0x5F00, SelectChildDF, ReturnNone), "00 A4 01 0C 02 5F00"},
		{"SELECT parent", Select(SelectParentDF, ReturnNone, nil), "00 A4 03 0C"},
		{"SELECT path from MF", must(SelectPath([]uint16{0x5F00, 0x011E}, true, ReturnFCP)), "00 A4 08 04 04 5F00011E 00"},
		{"SELECT path from DF", must(SelectPath([]uint16{0x011E}, false, ReturnNone)), "00 A4 09 0C 02 011E"},
		{"READ BINARY max offset", must(ReadBinary(0x7FFF, 256)), "00 B0 7F FF 00"},
		{"READ BINARY extended", must(ReadBinary(0x0100, 65536)), "00 B0 01 00 00 0000"},
		// ISO 7816-4 §11.3.3: P1 = 100xxxxx selects the EF by SFI; SFI 1 is EF.DG1.
		{"READ BINARY SFI 1", must(ReadBinarySFI(1, 0, 4)), "00 B0 81 00 04"},
		{"READ BINARY SFI 30 offset 255", must(ReadBinarySFI(30, 255, 256)), "00 B0 9E FF 00"},
		// ICAO 9303-10 §3.6.4 / ISO 7816-4: odd INS with offset DO '54'.
		{"READ BINARY B1", must(ReadBinaryOdd(0x8000, 256)), "00 B1 00 00 04 54 02 8000 00"},
		{"READ BINARY B1 3-byte offset", must(ReadBinaryOdd(0x010000, 65536)), "00 B1 00 00 00 0005 54 03 010000 0000"},
		{"GET RESPONSE", GetResponse(0x10), "00 C0 00 00 10"},
		{"INTERNAL AUTHENTICATE", InternalAuthenticate(vectors.Unhex(t, "0102030405060708")), "00 88 00 00 08 0102030405060708 00"},
		{"EXTERNAL AUTHENTICATE (TA)", ExternalAuthenticate(vectors.Unhex(t, "AABB"), 0), "00 82 00 00 02 AABB"},
		// ICAO 9303-11 Appendix G.1: the first and the last General Authenticate.
		{"GENERAL AUTHENTICATE first", GeneralAuthenticate(nil, false), "10 86 00 00 02 7C00 00"},
		{"GENERAL AUTHENTICATE last", GeneralAuthenticate(vectors.Unhex(t, "8508 C2B0BD78D94BA866"), true), "00 86 00 00 0C 7C0A 8508C2B0BD78D94BA866 00"},
		{"PSO VERIFY CERTIFICATE", PSOVerifyCertificate(vectors.Unhex(t, "7F4E00 5F3700")), "00 2A 00 BE 06 7F4E005F3700"},
		// TR-03110-3 B.11.1: MSE:Set DST with the CAR.
		{"MSE SET DST", MSESetDSTRef([]byte("DETESTCVCA00001")), "00 22 81 B6 11 830F" + hex.EncodeToString([]byte("DETESTCVCA00001"))},
		{"MSE SET raw", MSESet(0x41A4, vectors.Unhex(t, "8001 00")), "00 22 41 A4 03 800100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cmd.Bytes()
			require.NoError(t, err)
			require.Equal(t, vectors.Unhex(t, tc.enc), got)
		})
	}
}

// PACE with ECDH generic mapping and AES-128 (id-PACE-ECDH-GM-AES-CBC-CMAC-128,
// 0.4.0.127.0.7.2.2.4.2.2), MRZ password, brainpoolP256r1 (parameter id 13):
// the MSE:Set AT of the worked example of ICAO 9303-11 Appendix G.1.
func TestMSESetPACE(t *testing.T) {
	oid := vectors.Unhex(t, "04007F00070202040202")
	c, err := MSESetPACE(oid, PACEPasswordMRZ, 0x0D, nil)
	require.NoError(t, err)
	got, err := c.Bytes()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "00 22 C1 A4 12 80 0A 04007F00070202040202 83 01 01 84 01 0D"), got)

	chat := vectors.Unhex(t, "7F4C 0E 060904007F00070301020253 01 03")
	chat[1] = byte(len(chat) - 2)
	c, err = MSESetPACE(oid, PACEPasswordCAN, -1, chat)
	require.NoError(t, err)
	got, err = c.Bytes()
	require.NoError(t, err)
	want := append(vectors.Unhex(t, "00 22 C1 A4"), byte(12+3+len(chat)))
	want = append(want, vectors.Unhex(t, "80 0A 04007F00070202040202 83 01 02")...)
	want = append(want, chat...)
	require.Equal(t, want, got)

	c, err = MSESetPACE(oid, PACEPasswordCAN, 0x0100, nil)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "84 02 0100"), c.Data[len(c.Data)-4:])
}

func TestMSESetCATA(t *testing.T) {
	// id-CA-ECDH-AES-CBC-CMAC-128 = 0.4.0.127.0.7.2.2.3.2.2.
	oid := vectors.Unhex(t, "04007F00070202030202")
	c, err := MSESetCA(oid, 1)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "00 22 41 A4 0F 80 0A 04007F00070202030202 84 01 01"), mustBytes(c))
	c, err = MSESetCA(oid, -1)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "00 22 41 A4 0C 80 0A 04007F00070202030202"), mustBytes(c))

	c, err = MSESetCAKAT(vectors.Unhex(t, "04AABB"), 2)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "00 22 41 A6 08 91 03 04AABB 84 01 02"), mustBytes(c))
	c, err = MSESetCAKAT(vectors.Unhex(t, "04AABB"), -1)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "00 22 41 A6 05 91 03 04AABB"), mustBytes(c))

	taOID := vectors.Unhex(t, "04007F00070202020203")
	c, err = MSESetTA(taOID, []byte("DETESTTERM1"), vectors.Unhex(t, "7303 060100"), vectors.Unhex(t, "0102"))
	require.NoError(t, err)
	want := vectors.Unhex(t, "80 0A 04007F00070202020203 83 0B"+hex.EncodeToString([]byte("DETESTTERM1"))+" 67 05 7303060100 91 02 0102")
	require.Equal(t, want, c.Data)
	require.Equal(t, byte(0x81), c.P1)
	require.Equal(t, byte(0xA4), c.P2)
	c, err = MSESetTA(nil, []byte("T"), nil, nil)
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "83 01 54"), c.Data)

	_, err = MSESetBuild(0x81A4, func(b *tlv.Builder) { b.Add(0x1F, nil) })
	require.ErrorIs(t, err, tlv.ErrInvalidTag)
}

func mustBytes(c Command) []byte {
	b, err := c.Bytes()
	if err != nil {
		panic(err)
	}
	return b
}

func TestConstructorErrors(t *testing.T) {
	_, err := ReadBinary(-1, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinary(0x8000, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinary(0, 0)
	require.ErrorIs(t, err, ErrNe)
	_, err = ReadBinary(0, 65537)
	require.ErrorIs(t, err, ErrNe)
	_, err = ReadBinarySFI(0, 0, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinarySFI(31, 0, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinarySFI(1, 256, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinarySFI(1, 0, 0)
	require.ErrorIs(t, err, ErrNe)
	_, err = ReadBinaryOdd(-1, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinaryOdd(0x1000000, 1)
	require.ErrorIs(t, err, ErrArgument)
	_, err = ReadBinaryOdd(0, 0)
	require.ErrorIs(t, err, ErrNe)
	_, err = SelectPath(nil, true, ReturnNone)
	require.ErrorIs(t, err, ErrArgument)
	_, err = SelectPath(make([]uint16, 128), true, ReturnNone)
	require.ErrorIs(t, err, ErrArgument)
}

func TestParseReadBinaryOdd(t *testing.T) {
	v, err := ParseReadBinaryOdd(vectors.Unhex(t, "53 04 60145F01"))
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "60145F01"), v)
	v, err = ParseReadBinaryOdd(vectors.Unhex(t, "53 82 0100"+strings.Repeat("00", 256)))
	require.NoError(t, err)
	require.Len(t, v, 256)

	_, err = ParseReadBinaryOdd(vectors.Unhex(t, "54 01 00"))
	require.ErrorIs(t, err, tlv.ErrNotFound)
	_, err = ParseReadBinaryOdd(vectors.Unhex(t, "53 05 0102"))
	require.ErrorIs(t, err, tlv.ErrTruncated)
	var fe *FormatError
	require.ErrorAs(t, err, &fe)
	_, err = ParseReadBinaryOdd(nil)
	require.ErrorIs(t, err, tlv.ErrTruncated)
	_, err = ParseReadBinaryOdd(vectors.Unhex(t, "53 01 00 00"))
	require.ErrorIs(t, err, tlv.ErrTrailingData)
}

func TestParseDynamicAuthData(t *testing.T) {
	v, err := ParseDynamicAuthData(vectors.Unhex(t, "7C 0A 8008 0102030405060708"))
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "8008 0102030405060708"), v)
	_, err = ParseDynamicAuthData(vectors.Unhex(t, "7D 00"))
	require.ErrorIs(t, err, tlv.ErrNotFound)
	_, err = ParseDynamicAuthData(vectors.Unhex(t, "7C 05"))
	require.ErrorIs(t, err, tlv.ErrTruncated)
}

func TestParseFCP(t *testing.T) {
	// An FCP as a card returns it to SELECT EF.COM with P2 '04':
	// file size 0x001E, descriptor 01 (transparent EF), FID 011E, SFI 1e.
	fcp := vectors.Unhex(t, "62 15 80 02 001E 81 02 0030 82 01 01 83 02 011E 88 01 F0 8A 01 05")
	f, err := ParseFCP(fcp)
	require.NoError(t, err)
	want := FCP{Size: 0x1E, TotalSize: 0x30, Descriptor: []byte{1}, FID: 0x011E, HasFID: true, SFI: 0x1E, Raw: fcp}
	require.Equal(t, want, f)

	// Inside an FCI, with a DF name; no size.
	fci := vectors.Unhex(t, "6F 10 62 0E 82 01 38 84 07 A0000002471001 88 00")
	f, err = ParseFCP(fci)
	require.NoError(t, err)
	require.Equal(t, FCP{Size: -1, TotalSize: -1, Descriptor: []byte{0x38}, DFName: LDS1AID, Raw: fci[2:]}, f)

	// Four-byte size.
	f, err = ParseFCP(vectors.Unhex(t, "62 06 80 04 00010000"))
	require.NoError(t, err)
	require.Equal(t, 65536, f.Size)

	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"not a template", "63 00", ErrFCP},
		{"empty", "", tlv.ErrTruncated},
		{"size 5 bytes", "62 07 80 05 0000000001", ErrFCP},
		{"size empty", "62 02 80 00", ErrFCP},
		{"total size 5 bytes", "62 07 81 05 0000000001", ErrFCP},
		{"FID 1 byte", "62 03 83 01 01", ErrFCP},
		{"descriptor empty", "62 02 82 00", ErrFCP},
		{"descriptor long", "62 09 82 07 01020304050607", ErrFCP},
		{"DF name empty", "62 02 84 00", ErrFCP},
		{"DF name too long", "62 13 84 11 " + strings.Repeat("AA", 17), ErrFCP},
		{"SFI 2 bytes", "62 04 88 02 0101", ErrFCP},
		{"inner truncated", "62 04 80 05 0001", tlv.ErrTruncated},
		{"FCI without FCP", "6F 03 84 01 01", tlv.ErrNotFound},
		{"FCI truncated", "6F 05 62 01", tlv.ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFCP(vectors.Unhex(t, tc.in))
			require.ErrorIs(t, err, tc.err)
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
		})
	}
	_, err = ParseFCP(make([]byte, MaxFCPLen+1))
	requireFormatError(t, err, ErrTooLong, MaxFCPLen)
}
