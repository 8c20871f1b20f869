package sm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

func TestDeriveKeyAppendixD(t *testing.T) {
	v := vectors.LoadHex(t, "testdata/icao9303-11-appD/bac.txt")
	require.Equal(t, get(t, v, "kenc"), DeriveKey(TDES, get(t, v, "kseed"), CounterEnc))
	require.Equal(t, get(t, v, "kmac"), DeriveKey(TDES, get(t, v, "kseed"), CounterMAC))
	seed := make([]byte, 16)
	for i := range seed {
		seed[i] = get(t, v, "kifd")[i] ^ get(t, v, "kicc")[i]
	}
	require.Equal(t, get(t, v, "kseed_session"), seed)
	enc, mac := DeriveSessionKeys(TDES, seed)
	require.Equal(t, get(t, v, "ksenc"), enc)
	require.Equal(t, get(t, v, "ksmac"), mac)
}

func TestDeriveKeyAppendixG(t *testing.T) {
	v := vectors.LoadHex(t, "testdata/icao9303-11-appG/pace-ecdh-gm.txt")
	require.Equal(t, get(t, v, "kpi"), DeriveKey(AES128, get(t, v, "k"), CounterPi))
	enc, mac := DeriveSessionKeys(AES128, get(t, v, "shared_secret"))
	require.Equal(t, get(t, v, "ksenc"), enc)
	require.Equal(t, get(t, v, "ksmac"), mac)

	// AES-192 and AES-256 use SHA-256: the 192-bit key is the prefix of
	// the 256-bit one, and both differ from the SHA-1 based AES-128 key.
	k192 := DeriveKey(AES192, get(t, v, "shared_secret"), CounterEnc)
	k256 := DeriveKey(AES256, get(t, v, "shared_secret"), CounterEnc)
	require.Len(t, k192, 24)
	require.Len(t, k256, 32)
	require.Equal(t, k256[:24], k192)
	require.NotEqual(t, enc, k256[:16])
	require.Nil(t, DeriveKey(Cipher(9), nil, 1))
}

func TestPACENonceAndTokensAppendixG(t *testing.T) {
	v := vectors.LoadHex(t, "testdata/icao9303-11-appG/pace-ecdh-gm.txt")
	nonce, err := Decrypt(AES128, get(t, v, "kpi"), nil, get(t, v, "nonce_encrypted"))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "nonce"), nonce)
	z, err := Encrypt(AES128, get(t, v, "kpi"), nil, nonce)
	require.NoError(t, err)
	require.Equal(t, get(t, v, "nonce_encrypted"), z)

	mac := get(t, v, "ksmac")
	tok, err := AuthToken(AES128, mac, get(t, v, "tifd_input"))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "tifd"), tok)
	tok, err = AuthToken(AES128, mac, get(t, v, "tic_input"))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "tic"), tok)
	ok, err := VerifyAuthToken(AES128, mac, get(t, v, "tic_input"), get(t, v, "tic"))
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = VerifyAuthToken(AES128, mac, get(t, v, "tic_input"), get(t, v, "tifd"))
	require.NoError(t, err)
	require.False(t, ok)
	_, err = VerifyAuthToken(AES128, mac[:3], nil, nil)
	require.ErrorIs(t, err, ErrKeySize)
}

func TestAuthToken3DESPads(t *testing.T) {
	// For 3DES the token is the retail MAC over the padded object.
	key := vectors.Unhex(t, "F1CB1F1FB5ADF208806B89DC579DC1F8")
	data := []byte("7F49 public key object")
	tok, err := AuthToken(TDES, key, data)
	require.NoError(t, err)
	want, err := RetailMAC(key, Pad(nil, data, 8))
	require.NoError(t, err)
	require.Equal(t, want, tok)
}

func TestCMACRFC4493(t *testing.T) {
	v := vectors.LoadHex(t, "testdata/rfc4493/cmac.txt")
	key := get(t, v, "key")
	m, err := newMACKey(AES128, key)
	require.NoError(t, err)
	require.Equal(t, get(t, v, "k1"), m.s1[:])
	require.Equal(t, get(t, v, "k2"), m.s2[:])
	for _, n := range []string{"0", "16", "40", "64"} {
		tag, err := CMAC(key, get(t, v, "m"+n))
		require.NoError(t, err)
		require.Equal(t, get(t, v, "t"+n), tag, "message of %s bytes", n)
		short, err := MAC(AES128, key, get(t, v, "m"+n))
		require.NoError(t, err)
		require.Equal(t, get(t, v, "t"+n)[:8], short)
	}
	for _, c := range []struct{ key, m, t string }{
		{"key192", "m0", "t192_0"}, {"key192", "m64", "t192_64"},
		{"key256", "m0", "t256_0"}, {"key256", "m64", "t256_64"},
	} {
		tag, err := CMAC(get(t, v, c.key), get(t, v, c.m))
		require.NoError(t, err)
		require.Equal(t, get(t, v, c.t), tag, c.t)
	}
	_, err = CMAC(key[:15], nil)
	require.ErrorIs(t, err, ErrKeySize)
}

func TestRetailMACAppendixD(t *testing.T) {
	// D.4: N = SSC || padded header || DO87, padded; CC = BF8B92D635FF24F8.
	v := vectors.LoadHex(t, "testdata/icao9303-11-appD/sm.txt")
	n := vectors.Unhex(t, "887022120C06C227")
	n = append(n, vectors.Unhex(t, "0CA4020C80000000")...)
	n = Pad(n, get(t, v, "select_do87"), 8)
	require.Equal(t, vectors.Unhex(t, "887022120C06C2270CA4020C800000008709016375432908C044F680 00000000"), n)
	mac, err := RetailMAC(get(t, v, "ksmac"), n)
	require.NoError(t, err)
	require.Equal(t, get(t, v, "select_mac"), mac)
	mac2, err := MAC(TDES, get(t, v, "ksmac"), n)
	require.NoError(t, err)
	require.Equal(t, mac, mac2)

	_, err = RetailMAC(get(t, v, "ksmac"), n[:7])
	require.ErrorIs(t, err, ErrBlockSize)
	_, err = MAC(TDES, get(t, v, "ksmac"), n[:7])
	require.ErrorIs(t, err, ErrBlockSize)
	_, err = RetailMAC(n[:5], n)
	require.ErrorIs(t, err, ErrKeySize)
	_, err = MAC(Cipher(0), nil, nil)
	require.ErrorIs(t, err, ErrCipher)
}

func TestPadUnpad(t *testing.T) {
	require.Equal(t, vectors.Unhex(t, "0102 80 0000 0000 00"), Pad(nil, []byte{1, 2}, 8))
	require.Equal(t, vectors.Unhex(t, "0102030405060708 8000000000000000"), Pad(nil, vectors.Unhex(t, "0102030405060708"), 8))
	require.Equal(t, vectors.Unhex(t, "AA 80"+strings.Repeat("00", 14)), Pad(nil, []byte{0xAA}, 16))
	require.Equal(t, vectors.Unhex(t, "FF 80 0000 0000 0000 00"), Pad([]byte{0xFF}, nil, 8))

	for _, tc := range []struct {
		in, out string
		bs      int
	}{
		{"0102 80 0000 0000 00", "0102", 8},
		{"8000000000000000", "", 8},
		{"0102030405060708 8000000000000000", "0102030405060708", 8},
		{"80 80 00", "80", 8},
	} {
		got, err := Unpad(vectors.Unhex(t, tc.in), tc.bs)
		require.NoError(t, err)
		require.Equal(t, vectors.Unhex(t, tc.out), got)
	}
	for _, in := range []string{"", "00", "0102 0000", "0000000000000000 00", "01 00000000 00000000 0000000000"} {
		_, err := Unpad(vectors.Unhex(t, in), 8)
		require.ErrorIs(t, err, ErrPadding, in)
	}
}

func TestAdjustParity(t *testing.T) {
	k := vectors.Unhex(t, "00 01 FE FF 7F 80")
	AdjustParity(k)
	require.Equal(t, vectors.Unhex(t, "01 01 FE FE 7F 80"), k)
}

func TestCipher(t *testing.T) {
	for _, tc := range []struct {
		c       Cipher
		name    string
		key, bs int
	}{
		{TDES, "3DES", 16, 8}, {AES128, "AES-128", 16, 16}, {AES192, "AES-192", 24, 16}, {AES256, "AES-256", 32, 16},
		{Cipher(0), "Cipher(0)", 0, 0}, {Cipher(5), "Cipher(5)", 0, 0},
	} {
		require.Equal(t, tc.name, tc.c.String())
		require.Equal(t, tc.key, tc.c.KeySize())
		require.Equal(t, tc.bs, tc.c.BlockSize())
		require.Equal(t, tc.key != 0, tc.c.Valid())
	}
	_, err := NewBlock(Cipher(7), nil)
	require.ErrorIs(t, err, ErrCipher)
	_, err = NewBlock(AES256, make([]byte, 16))
	require.ErrorIs(t, err, ErrKeySize)
	_, err = Encrypt(AES128, make([]byte, 16), nil, make([]byte, 15))
	require.ErrorIs(t, err, ErrBlockSize)
	_, err = Decrypt(AES128, make([]byte, 16), make([]byte, 8), make([]byte, 16))
	require.ErrorIs(t, err, ErrBlockSize)
	_, err = Decrypt(AES128, make([]byte, 15), nil, make([]byte, 16))
	require.ErrorIs(t, err, ErrKeySize)
	out, err := Encrypt(TDES, make([]byte, 16), make([]byte, 8), make([]byte, 16))
	require.NoError(t, err)
	require.Len(t, out, 16)
}

func appDSession(t testing.TB) (*Session, map[string][]byte) {
	v := vectors.LoadHex(t, "testdata/icao9303-11-appD/sm.txt")
	s, err := NewSession(TDES, get(t, v, "ksenc"), get(t, v, "ksmac"), get(t, v, "ssc"))
	require.NoError(t, err)
	return s, v
}

func parseCmd(t testing.TB, b []byte) apdu.Command {
	c, err := apdu.ParseCommand(b)
	require.NoError(t, err)
	return c
}

func parseResp(t testing.TB, b []byte) apdu.Response {
	r, err := apdu.ParseResponse(b)
	require.NoError(t, err)
	return r
}

func encode(t testing.TB, c apdu.Command) []byte {
	b, err := c.Bytes()
	require.NoError(t, err)
	return b
}

// The terminal side reproduces Appendix D.4 byte for byte.
func TestTerminalAppendixD(t *testing.T) {
	s, v := appDSession(t)
	for _, step := range []string{"select", "read1", "read2"} {
		w, err := s.Wrap(parseCmd(t, get(t, v, step+"_plain")))
		require.NoError(t, err, step)
		require.Equal(t, get(t, v, step+"_protected"), encode(t, w), step)
		r, err := s.Unwrap(parseResp(t, get(t, v, step+"_response")))
		require.NoError(t, err, step)
		require.Equal(t, get(t, v, step+"_response_plain"), r.Bytes(), step)
	}
	require.Equal(t, vectors.Unhex(t, "887022120C06C22C"), s.SSC())
}

// The chip side reproduces Appendix D.4 byte for byte.
func TestChipAppendixD(t *testing.T) {
	s, v := appDSession(t)
	for _, step := range []string{"select", "read1", "read2"} {
		c, err := s.UnwrapCommand(parseCmd(t, get(t, v, step+"_protected")))
		require.NoError(t, err, step)
		require.Equal(t, get(t, v, step+"_plain"), encode(t, c), step)
		r, err := s.WrapResponse(parseResp(t, get(t, v, step+"_response_plain")))
		require.NoError(t, err, step)
		require.Equal(t, get(t, v, step+"_response"), r.Bytes(), step)
	}
}

func TestAESVectorsGmrtd(t *testing.T) {
	v := vectors.LoadHex(t, "testdata/gmrtd-aes/aes128-mse.txt")
	s, err := NewSession(AES128, get(t, v, "ksenc"), get(t, v, "ksmac"), get(t, v, "ssc"))
	require.NoError(t, err)
	w, err := s.Wrap(parseCmd(t, get(t, v, "plain")))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "protected"), encode(t, w))

	chip, err := NewSession(AES128, get(t, v, "ksenc"), get(t, v, "ksmac"), get(t, v, "ssc"))
	require.NoError(t, err)
	c, err := chip.UnwrapCommand(parseCmd(t, get(t, v, "protected")))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "plain"), encode(t, c))

	v = vectors.LoadHex(t, "testdata/gmrtd-aes/aes128-response.txt")
	// The SSC of the file is the one before the response; start one lower
	// so that Wrap brings it there.
	ssc := get(t, v, "ssc")
	ssc[15]--
	s, err = NewSession(AES128, get(t, v, "ksenc"), get(t, v, "ksmac"), ssc)
	require.NoError(t, err)
	_, err = s.Wrap(apdu.Command{INS: 0xB0, Ne: 225})
	require.NoError(t, err)
	r, err := s.Unwrap(parseResp(t, get(t, v, "protected")))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "plain"), r.Bytes())

	// The chip side gives the same protected response.
	chip, err = NewSession(AES128, get(t, v, "ksenc"), get(t, v, "ksmac"), ssc)
	require.NoError(t, err)
	chip.role, chip.busy = roleChip, true // as if the command had been unwrapped
	chip.incSSC()
	r, err = chip.WrapResponse(parseResp(t, get(t, v, "plain")))
	require.NoError(t, err)
	require.Equal(t, get(t, v, "protected"), r.Bytes())

	v = vectors.LoadHex(t, "testdata/gmrtd-aes/aes256-do87.txt")
	s, err = NewSession(AES256, get(t, v, "ksenc"), get(t, v, "ksmac"), get(t, v, "ssc"))
	require.NoError(t, err)
	pt, err := s.decryptDO("test", tlv.TLV{Tag: 0x87, Value: get(t, v, "do87_value")})
	require.NoError(t, err)
	require.Equal(t, get(t, v, "plain"), pt)
}

var allCiphers = []Cipher{TDES, AES128, AES192, AES256}

func pair(t testing.TB, c Cipher) (term, chip *Session) {
	kEnc := bytes.Repeat([]byte{0x11}, c.KeySize())
	kMAC := bytes.Repeat([]byte{0x22}, c.KeySize())
	ssc := bytes.Repeat([]byte{0xFF}, c.BlockSize()) // wraps to zero on first use
	term, err := NewSession(c, kEnc, kMAC, ssc)
	require.NoError(t, err)
	chip, err = NewSession(c, kEnc, kMAC, ssc)
	require.NoError(t, err)
	return term, chip
}

// Both sides agree on every command case, with short and extended lengths
// and odd INS, for every cipher.
func TestRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte{0x5A}, 1000)
	cmds := []apdu.Command{
		{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{1, 0x1E}},
		{INS: 0xB0, Ne: 4},
		{INS: 0xB0, Ne: 256},
		{INS: 0xB0, Ne: 65536},
		{INS: 0xB0, Ne: 300},
		{INS: 0xB0, Ne: 4, Extended: true},
		{INS: 0x22, P1: 0xC1, P2: 0xA4},
		{CLA: 0x10, INS: 0x86, Data: []byte{0x7C, 0}, Ne: 256},
		{INS: 0xB1, Data: []byte{0x54, 2, 0x80, 0}, Ne: 256},
		{INS: 0x2A, P2: 0xBE, Data: big},
		{INS: 0xD6, Data: bytes.Repeat([]byte{1}, 16)},
	}
	resps := [][]byte{nil, {1}, bytes.Repeat([]byte{2}, 16), bytes.Repeat([]byte{3}, 223), big}
	for _, c := range allCiphers {
		term, chip := pair(t, c)
		for i, cmd := range cmds {
			name := fmt.Sprintf("%s command %d", c, i)
			w, err := term.Wrap(cmd)
			require.NoError(t, err, name)
			require.Equal(t, cmd.CLA|0x0C, w.CLA)
			// Through the wire format and back.
			got, err := chip.UnwrapCommand(parseCmd(t, encode(t, w)))
			require.NoError(t, err, name)
			require.Equal(t, encode(t, cmd), encode(t, got), name)
			require.Equal(t, term.SSC(), chip.SSC())

			plain := apdu.Response{Data: resps[i%len(resps)], SW: 0x9000}
			if i == 3 {
				plain.SW = 0x6282
			}
			pr, err := chip.WrapResponse(plain)
			require.NoError(t, err, name)
			back, err := term.Unwrap(parseResp(t, pr.Bytes()))
			require.NoError(t, err, name)
			require.Equal(t, plain.Bytes(), back.Bytes(), name)
			if cmd.INS&1 == 1 && len(plain.Data) > 0 {
				require.Equal(t, byte(0x85), pr.Data[0], "odd INS uses DO 85")
			}
		}
	}
}

func TestSessionErrors(t *testing.T) {
	_, err := NewSession(Cipher(0), nil, nil, nil)
	require.ErrorIs(t, err, ErrCipher)
	_, err = NewSession(TDES, make([]byte, 16), make([]byte, 16), make([]byte, 16))
	require.ErrorIs(t, err, ErrSSCSize)
	_, err = NewSession(TDES, make([]byte, 8), make([]byte, 16), make([]byte, 8))
	require.ErrorIs(t, err, ErrKeySize)
	_, err = NewSession(TDES, make([]byte, 16), make([]byte, 8), make([]byte, 8))
	require.ErrorIs(t, err, ErrKeySize)
}

// flip returns a copy of b with one bit changed at i.
func flip(b []byte, i int) []byte {
	c := append([]byte(nil), b...)
	c[i] ^= 0x01
	return c
}

func requireDead(t *testing.T, s *Session) {
	t.Helper()
	require.Error(t, s.Err())
	require.Contains(t, s.String(), "dead")
	_, err := s.Wrap(apdu.Command{INS: 0xB0, Ne: 1})
	require.ErrorIs(t, err, ErrSessionDead)
	_, err = s.Unwrap(apdu.Response{SW: 0x9000})
	require.ErrorIs(t, err, ErrSessionDead)
	_, err = s.UnwrapCommand(apdu.Command{CLA: 0x0C, INS: 0xB0})
	require.ErrorIs(t, err, ErrSessionDead)
	_, err = s.WrapResponse(apdu.Response{SW: 0x9000})
	require.ErrorIs(t, err, ErrSessionDead)
}

func TestUnwrapErrors(t *testing.T) {
	_, v := appDSession(t)
	good := get(t, v, "read1_response") // 87 09 .. 99 02 9000 8E 08 ..
	tests := []struct {
		name string
		resp string
		err  error
		tag  tlv.Tag
		sw   apdu.StatusWord
	}{
		{"MAC flipped", fmt.Sprintf("%X", flip(good, len(good)-4)), ErrMAC, 0x8E, 0},
		{"cryptogram flipped", fmt.Sprintf("%X", flip(good, 4)), ErrMAC, 0x8E, 0},
		{"SW in DO99 changed", fmt.Sprintf("%X", flip(good, 14)), ErrMAC, 0x8E, 0},
		{"plain 6988", "6988", ErrCardSM, 0, 0x6988},
		{"plain 6987", "6987", ErrCardSM, 0, 0x6987},
		{"plain 6A82", "6A82", ErrNotProtected, 0, 0x6A82},
		{"plain 9000", "9000", ErrNotProtected, 0, 0x9000},
		{"no MAC", "990290009000", ErrMissingDO, 0x8E, 0},
		{"no DO99", "8E08AD55CC17140B2DED9000", ErrMissingDO, 0x99, 0},
		{"DO after MAC", "990290008E08AD55CC17140B2DED 990290009000", ErrUnexpectedDO, 0x99, 0},
		{"unknown DO", "53 01 00 990290008E08AD55CC17140B2DED9000", ErrUnexpectedDO, 0x53, 0},
		{"DO87 after DO99", "99029000 870901 9FF0EC34F9922651 8E08AD55CC17140B2DED9000", ErrUnexpectedDO, 0x87, 0},
		{"two DO99", "99029000 99029000 8E08AD55CC17140B2DED9000", ErrUnexpectedDO, 0x99, 0},
		{"DO99 one byte", "990190 8E08AD55CC17140B2DED9000", ErrMalformedDO, 0x99, 0},
		{"MAC 4 bytes", "99029000 8E04AD55CC17 9000", ErrMalformedDO, 0x8E, 0},
		{"truncated TLV", "99059000 9000", ErrMalformedDO, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, v := appDSession(t)
			_, err := s.Wrap(parseCmd(t, get(t, v, "read1_plain")))
			require.NoError(t, err)
			_, err = s.Unwrap(parseResp(t, vectors.Unhex(t, tc.resp)))
			require.ErrorIs(t, err, tc.err)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, "unwrap", e.Op)
			require.Equal(t, tc.tag, e.Tag)
			require.Equal(t, tc.sw, e.SW)
			if tc.sw != 0 {
				require.ErrorIs(t, err, apdu.SW(tc.sw))
			}
			require.Equal(t, err, s.Err())
			requireDead(t, s)
		})
	}
}

// A response whose MAC is right but whose cryptogram is malformed: the
// chip side is used to produce valid MACs over crafted objects.
func TestUnwrapMalformedCryptogram(t *testing.T) {
	for _, tc := range []struct {
		name string
		do   string
		err  error
	}{
		{"no padding indicator", "8709 02 9FF0EC34F9922651", ErrMalformedDO},
		{"empty DO87", "8700", ErrMalformedDO},
		{"DO87 indicator only", "8701 01", ErrMalformedDO},
		{"partial block", "8708 01 9FF0EC34F99226", ErrMalformedDO},
		{"bad padding", "8709 01 0000000000000000", ErrPadding},
		{"DO85 partial block", "8507 9FF0EC34F99226", ErrMalformedDO},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, v := appDSession(t)
			_, err := s.Wrap(parseCmd(t, get(t, v, "read1_plain")))
			require.NoError(t, err)
			objects := append(vectors.Unhex(t, tc.do), vectors.Unhex(t, "99029000")...)
			forged := forgeMAC(t, s, objects)
			_, err = s.Unwrap(apdu.Response{Data: forged, SW: 0x9000})
			require.ErrorIs(t, err, tc.err)
			requireDead(t, s)
		})
	}
}

// forgeMAC appends a valid DO 8E to objects for the response that s
// (terminal, a command in flight) expects next.
func forgeMAC(t *testing.T, s *Session, objects []byte) []byte {
	t.Helper()
	bs := s.c.BlockSize()
	ssc := s.SSC()
	for i := len(ssc) - 1; i >= 0; i-- {
		ssc[i]++
		if ssc[i] != 0 {
			break
		}
	}
	n := append(append([]byte(nil), ssc...), objects...)
	n = Pad(nil, n, bs)
	var sum [16]byte
	s.mac.sum(&sum, n)
	return append(append(objects, 0x8E, 8), sum[:8]...)
}

func TestUnwrapCommandErrors(t *testing.T) {
	_, v := appDSession(t)
	good := get(t, v, "select_protected")
	tests := []struct {
		name string
		cmd  []byte
		err  error
		sw   apdu.StatusWord
	}{
		{"MAC flipped", flip(good, len(good)-3), ErrMAC, 0x6988},
		{"header changed", flip(good, 2), ErrMAC, 0x6988},
		{"cryptogram flipped", flip(good, 8), ErrMAC, 0x6988},
		{"plain command", get(t, v, "select_plain"), ErrNotProtected, 0x6987},
		{"no MAC", vectors.Unhex(t, "0CA4020C0B8709016375432908C044F600"), ErrMissingDO, 0x6987},
		{"empty", vectors.Unhex(t, "0CA4020C"), ErrMissingDO, 0x6987},
		{"DO97 3 bytes", vectors.Unhex(t, "0CB00000 0F 9703000004 8E08ED6705417E96BA55 00"), ErrMalformedDO, 0x6988},
		{"DO97 empty", vectors.Unhex(t, "0CB00000 0C 9700 8E08ED6705417E96BA55 00"), ErrMalformedDO, 0x6988},
		{"DO87 after DO97", vectors.Unhex(t, "0CB00000 18 970104 8709016375432908C044F6 8E08ED6705417E96BA55 00"), ErrUnexpectedDO, 0x6988},
		{"DO after MAC", vectors.Unhex(t, "0CB00000 0D 8E08ED6705417E96BA55 970104 00"), ErrUnexpectedDO, 0x6988},
		{"MAC short", vectors.Unhex(t, "0CB00000 07 970104 8E02ED67 00"), ErrMalformedDO, 0x6988},
		{"DO99 in a command", vectors.Unhex(t, "0CB00000 0E 99029000 8E08ED6705417E96BA55 00"), ErrUnexpectedDO, 0x6988},
		{"bad TLV", vectors.Unhex(t, "0CB00000 02 9705 00"), ErrMalformedDO, 0x6988},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := appDSession(t)
			_, err := s.UnwrapCommand(parseCmd(t, tc.cmd))
			require.ErrorIs(t, err, tc.err)
			require.Equal(t, tc.sw, ChipStatus(err))
			requireDead(t, s)
		})
	}
	require.Equal(t, apdu.SWSMDataObjectsIncorrect, ChipStatus(errors.New("other")))
}

func TestSequenceErrors(t *testing.T) {
	// Unwrap before Wrap.
	s, _ := appDSession(t)
	_, err := s.Unwrap(apdu.Response{SW: 0x9000})
	require.ErrorIs(t, err, ErrSequence)
	requireDead(t, s)

	// Wrap twice.
	s, _ = appDSession(t)
	_, err = s.Wrap(apdu.Command{INS: 0xB0, Ne: 1})
	require.NoError(t, err)
	_, err = s.Wrap(apdu.Command{INS: 0xB0, Ne: 1})
	require.ErrorIs(t, err, ErrSequence)
	requireDead(t, s)

	// Terminal call on a chip session.
	s, v := appDSession(t)
	_, err = s.UnwrapCommand(parseCmd(t, get(t, v, "select_protected")))
	require.NoError(t, err)
	_, err = s.Unwrap(apdu.Response{SW: 0x9000})
	require.ErrorIs(t, err, ErrSequence)
	requireDead(t, s)

	// WrapResponse without a command.
	s, _ = appDSession(t)
	_, err = s.WrapResponse(apdu.Response{SW: 0x9000})
	require.ErrorIs(t, err, ErrSequence)

	// A command that is already protected, or too long.
	s, _ = appDSession(t)
	_, err = s.Wrap(apdu.Command{CLA: 0x0C, INS: 0xB0, Ne: 1})
	require.ErrorIs(t, err, ErrUnexpectedDO)
	s, _ = appDSession(t)
	_, err = s.Wrap(apdu.Command{INS: 0xD6, Data: make([]byte, 65530)})
	require.ErrorIs(t, err, ErrTooLong)
	s, _ = appDSession(t)
	_, err = s.Wrap(apdu.Command{INS: 0xD6, Data: make([]byte, 65536)})
	require.ErrorIs(t, err, ErrTooLong)

	// A response too large for an APDU.
	s, v = appDSession(t)
	_, err = s.UnwrapCommand(parseCmd(t, get(t, v, "select_protected")))
	require.NoError(t, err)
	_, err = s.WrapResponse(apdu.Response{Data: make([]byte, 65530), SW: 0x9000})
	require.ErrorIs(t, err, ErrTooLong)
	s, v = appDSession(t)
	_, err = s.UnwrapCommand(parseCmd(t, get(t, v, "select_protected")))
	require.NoError(t, err)
	_, err = s.WrapResponse(apdu.Response{Data: make([]byte, 65537), SW: 0x9000})
	require.ErrorIs(t, err, ErrTooLong)

	s, _ = appDSession(t)
	s.Close()
	requireDead(t, s)
}

func TestSessionRedacts(t *testing.T) {
	s, v := appDSession(t)
	for _, out := range []string{s.String(), fmt.Sprintf("%v %+v %#v %s", s, s, s, s)} {
		up := strings.ToUpper(out)
		require.NotContains(t, up, "979EC13B")
		require.NotContains(t, up, "F1CB1F1F")
		require.NotContains(t, up, "887022")
	}
	require.Equal(t, "sm.Session(3DES, keys redacted)", s.String())
	require.Equal(t, TDES, s.Cipher())
	require.NoError(t, s.Err())

	_, err := s.Wrap(parseCmd(t, get(t, v, "read1_plain")))
	require.NoError(t, err)
	_, err = s.Unwrap(apdu.Response{Data: flip(get(t, v, "read1_response")[:25], 3), SW: 0x9000})
	require.Error(t, err)
	require.NotContains(t, strings.ToUpper(err.Error()), "979EC13B")
	require.Equal(t, "sm: unwrap: DO 8E: MAC verification failed", err.Error())
	require.Equal(t, "sm: unwrap: status 6988 (error: incorrect secure messaging data objects): card reported a secure messaging error",
		(&Error{Op: "unwrap", SW: 0x6988, Err: ErrCardSM}).Error())
}

// fakeCard is a chip that unwraps with its session and answers a file.
type fakeCard struct {
	s    *Session
	file []byte
	fail error
}

func (c *fakeCard) TransmitRaw(_ context.Context, b []byte) ([]byte, error) {
	if c.fail != nil {
		return nil, c.fail
	}
	cmd, err := apdu.ParseCommand(b)
	if err != nil {
		return nil, err
	}
	plain, err := c.s.UnwrapCommand(cmd)
	if err != nil {
		sw := ChipStatus(err)
		return []byte{sw.SW1(), sw.SW2()}, nil
	}
	off := int(plain.P1)<<8 | int(plain.P2)
	end := min(off+plain.Ne, len(c.file))
	r, err := c.s.WrapResponse(apdu.Response{Data: c.file[off:end], SW: 0x9000})
	if err != nil {
		return nil, err
	}
	return r.Bytes(), nil
}

func TestTransmitter(t *testing.T) {
	term, chip := pair(t, AES128)
	card := &fakeCard{s: chip, file: bytes.Repeat([]byte("CCCD"), 100)}
	tr := NewTransmitter(apdu.NewTransmitter(card), term)
	rb, err := apdu.ReadBinary(0, 223)
	require.NoError(t, err)
	data, err := apdu.Transmit(context.Background(), tr, rb)
	require.NoError(t, err)
	require.Equal(t, card.file[:223], data)

	// A transport failure kills the session.
	boom := errors.New("card removed")
	card.fail = boom
	_, err = tr.Transmit(context.Background(), rb)
	require.ErrorIs(t, err, boom)
	var se *Error
	require.False(t, errors.As(err, &se), "a transport failure is no secure messaging failure: %v", err)
	require.NotErrorIs(t, err, ErrMAC)
	requireDead(t, term)
	_, err = tr.Transmit(context.Background(), rb)
	require.ErrorIs(t, err, ErrSessionDead)

	// The card rejecting our MAC: a plain 6988, typed.
	term, chip = pair(t, TDES)
	card = &fakeCard{s: chip, file: []byte{1, 2, 3}}
	chip.macOver(new([16]byte), nil, nil) // no effect on state
	tr = NewTransmitter(apdu.NewTransmitter(card), term)
	term.ssc[7]++ // desynchronize
	_, err = tr.Transmit(context.Background(), rb)
	require.ErrorIs(t, err, ErrCardSM)
	require.ErrorIs(t, err, apdu.ErrSMDataObjectsIncorrect)
	requireDead(t, term)
	requireDead(t, chip)
}

// Extended length under secure messaging: Ne above 256 goes in a two-byte
// DO '97' ('0000' for 65536) and the protected command asks for 65536
// bytes in extended form.
func TestExtendedLength(t *testing.T) {
	term, chip := pair(t, AES128)
	w, err := term.Wrap(apdu.Command{INS: 0xB0, P1: 0x01, Ne: 65536})
	require.NoError(t, err)
	require.True(t, w.IsExtended())
	require.Equal(t, apdu.MaxNe, w.Ne)
	require.Equal(t, vectors.Unhex(t, "97020000"), w.Data[:4])
	b := encode(t, w)
	require.Equal(t, vectors.Unhex(t, "0CB00100 00000E"), b[:7])
	require.Equal(t, vectors.Unhex(t, "0000"), b[len(b)-2:])
	c, err := chip.UnwrapCommand(parseCmd(t, b))
	require.NoError(t, err)
	require.Equal(t, apdu.MaxNe, c.Ne)
	require.True(t, c.Extended)

	data := bytes.Repeat([]byte{7}, 65000)
	r, err := chip.WrapResponse(apdu.Response{Data: data, SW: 0x9000})
	require.NoError(t, err)
	require.LessOrEqual(t, len(r.Bytes()), apdu.MaxResponseLen)
	got, err := term.Unwrap(parseResp(t, r.Bytes()))
	require.NoError(t, err)
	require.Equal(t, data, got.Data)

	// A short command stays short: Le '00'.
	w, err = term.Wrap(apdu.Command{INS: 0xB0, Ne: 223})
	require.NoError(t, err)
	require.False(t, w.IsExtended())
	require.Equal(t, apdu.MaxShortNe, w.Ne)
	require.Equal(t, vectors.Unhex(t, "9701DF"), w.Data[:3])
}

func TestNewSessionZeroSSC(t *testing.T) {
	s, err := NewSession(AES256, make([]byte, 32), make([]byte, 32), nil)
	require.NoError(t, err)
	require.Equal(t, make([]byte, 16), s.SSC())
	_, err = NewSession(AES128, make([]byte, 16), make([]byte, 16), []byte{})
	require.ErrorIs(t, err, ErrSSCSize)
}

// chainCard is a chip behind secure messaging that accepts command
// chaining: each piece is protected on its own (BSI TR-03110-3 §F), and
// the chip answers the last with the length of what it received.
type chainCard struct {
	s    *Session
	got  []byte
	clas []byte
}

func (c *chainCard) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	plain, err := c.s.UnwrapCommand(cmd)
	if err != nil {
		return apdu.Response{SW: ChipStatus(err)}, nil
	}
	c.clas = append(c.clas, plain.CLA)
	c.got = append(c.got, plain.Data...)
	var data []byte
	if plain.CLA&0x10 == 0 {
		data = []byte{byte(len(c.got) >> 8), byte(len(c.got))}
	}
	return c.s.WrapResponse(apdu.Response{Data: data, SW: 0x9000})
}

func TestChainingOverSM(t *testing.T) {
	term, chip := pair(t, AES128)
	card := &chainCard{s: chip}
	tr := apdu.WithChaining(NewTransmitter(card, term), &apdu.ChainingConfig{MaxCommandData: 200})
	cert := bytes.Repeat([]byte{0xCE}, 450)
	r, err := tr.Transmit(context.Background(), apdu.PSOVerifyCertificate(cert))
	require.NoError(t, err)
	require.Equal(t, []byte{0x01, 0xC2}, r.Data)
	require.Equal(t, cert, card.got)
	require.Equal(t, []byte{0x10, 0x10, 0x00}, card.clas)
}

// A card that refuses an extended protected command in plain with 6700
// before its secure messaging sees it (gmrtd issue 457): the session lives,
// the counter goes back, and the next (short) command verifies.
func TestLengthRejectedKeepsCounter(t *testing.T) {
	for _, c := range []Cipher{TDES, AES128} {
		term, chip := pair(t, c)
		before := term.SSC()
		w, err := term.Wrap(apdu.Command{INS: 0xB0, Ne: 65536})
		require.NoError(t, err)
		require.True(t, w.IsExtended())
		_, err = term.Unwrap(apdu.Response{SW: 0x6700})
		require.ErrorIs(t, err, ErrLengthRejected)
		require.ErrorIs(t, err, apdu.ErrWrongLength)
		require.NotErrorIs(t, err, ErrMAC)
		require.NoError(t, term.Err(), "the session lives")
		require.Equal(t, before, term.SSC(), "the counter is back in step with the card's")

		w, err = term.Wrap(apdu.Command{INS: 0xB0, Ne: 200})
		require.NoError(t, err)
		plain, err := chip.UnwrapCommand(w)
		require.NoError(t, err)
		require.Equal(t, 200, plain.Ne)
		r, err := chip.WrapResponse(apdu.Response{Data: []byte{1, 2, 3}, SW: 0x9000})
		require.NoError(t, err)
		got, err := term.Unwrap(r)
		require.NoError(t, err)
		require.Equal(t, []byte{1, 2, 3}, got.Data)

		// A command with data is never rolled back: its cryptogram must
		// not go out twice under one counter value.
		_, err = term.Wrap(apdu.Command{INS: 0xA4, P1: 2, P2: 0x0C, Data: []byte{1, 0x1E}, Ne: 65536})
		require.NoError(t, err)
		_, err = term.Unwrap(apdu.Response{SW: 0x6700})
		require.ErrorIs(t, err, ErrNotProtected)
		requireDead(t, term)
	}
}
