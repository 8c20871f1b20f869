package eac

import (
	"context"
	"crypto/ecdh"
	"crypto/sha1"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

func mustEC(t testing.TB, c *ec.Curve, seed string) *ec.PrivateKey {
	t.Helper()
	k, err := ec.GenerateKey(c, pkitest.SeedReader(seed))
	require.NoError(t, err)
	return k
}

func mustDH(t testing.TB, id int, seed string) *dh.PrivateKey {
	t.Helper()
	g, err := dh.Standardized(id)
	require.NoError(t, err)
	k, err := g.GenerateKey(pkitest.SeedReader(seed))
	require.NoError(t, err)
	return k
}

// runCA runs Chip Authentication between the terminal and a chip holding
// key, then Verify under the new session.
func runCA(t *testing.T, info secinfo.ChipAuthentication, key CAKey, smCipher sm.Cipher) (*CAResult, *testCard, error) {
	t.Helper()
	chip, err := NewChip([]CAKey{key}, nil)
	require.NoError(t, err)
	tr, card := smPair(t, chip, smCipher)
	ctx := context.Background()
	res, err := ChipAuthenticate(ctx, tr, info, &Config{Rand: pkitest.SeedReader("terminal")})
	require.NoError(t, err)
	s, err := res.NewSession()
	require.NoError(t, err)
	return res, card, Verify(ctx, sm.NewTransmitter(card, s))
}

func TestChipAuthenticationProtocols(t *testing.T) {
	bp256 := mustEC(t, ec.BrainpoolP256r1(), "chip bp256")
	tests := []struct {
		name    string
		info    secinfo.ChipAuthentication
		key     CAKey
		cipher  sm.Cipher
		p1p2    uint16
		compLen int
	}{}
	add := func(name string, info secinfo.ChipAuthentication, key CAKey, c sm.Cipher, p1p2 uint16, compLen int) {
		tests = append(tests, struct {
			name    string
			info    secinfo.ChipAuthentication
			key     CAKey
			cipher  sm.Cipher
			p1p2    uint16
			compLen int
		}{name, info, key, c, p1p2, compLen})
	}
	i, k := ecCA(t, secinfo.OIDCAECDH3DES, bp256, -1, true)
	add("ECDH-3DES bP256 explicit", i, k, sm.TDES, apdu.MSESetKAT, 32)
	i, k = ecCA(t, secinfo.OIDCAECDHAES128, bp256, 1, false)
	add("ECDH-AES128 bP256 key id 1", i, k, sm.AES128, apdu.MSESetATCA, 32)
	add("ECDH-AES128 bP256 standardized 13", stdCA(t, secinfo.OIDCAECDHAES128, bp256, 13), CAKey{Protocol: secinfo.OIDCAECDHAES128, EC: bp256}, sm.AES128, apdu.MSESetATCA, 32)
	i, k = ecCA(t, secinfo.OIDCAECDHAES192, mustEC(t, ec.P384(), "chip p384"), 7, false)
	add("ECDH-AES192 P-384", i, k, sm.AES192, apdu.MSESetATCA, 48)
	i, k = ecCA(t, secinfo.OIDCAECDHAES256, mustEC(t, ec.BrainpoolP512r1(), "chip bp512"), -1, true)
	add("ECDH-AES256 bP512 explicit", i, k, sm.AES256, apdu.MSESetATCA, 64)
	i, k = ecCA(t, secinfo.OIDCAECDH3DES, mustEC(t, ec.P256(), "chip p256"), 3, false)
	add("ECDH-3DES P-256 key id 3", i, k, sm.TDES, apdu.MSESetKAT, 32)
	i, k = dhCA(t, secinfo.OIDCADH3DES, mustDH(t, 0, "chip dh0"))
	add("DH-3DES RFC 5114 1024", i, k, sm.TDES, apdu.MSESetKAT, 20)
	i, k = dhCA(t, secinfo.OIDCADHAES128, mustDH(t, 2, "chip dh2"))
	add("DH-AES128 RFC 5114 2048/256", i, k, sm.AES128, apdu.MSESetATCA, 20)
	// DH with standardized domain parameters (id 1: RFC 5114 2048/224).
	dh1 := mustDH(t, 1, "chip dh1")
	i = caInfo(t, secinfo.OIDCADHAES256, secinfo.OIDPKDH, secinfo.SubjectPublicKeyInfo{
		Algorithm: secinfo.AlgorithmIdentifier{Algorithm: secinfo.OIDStandardizedDomainParameters, Parameters: mustOIDDER(t, 1)},
		PublicKey: mustOIDDER(t, dh1.Y),
	}, 4)
	add("DH-AES256 standardized 1 key id 4", i, CAKey{Protocol: secinfo.OIDCADHAES256, DH: dh1, KeyID: 4, HasKeyID: true}, sm.AES256, apdu.MSESetATCA, 20)

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, card, err := runCA(t, tc.info, tc.key, sm.AES128)
			require.NoError(t, err)
			require.Equal(t, tc.cipher, res.Cipher)
			// The chip saw the exact commands of ICAO Doc 9303-11 §6.2.4.
			first := card.log[0]
			require.Equal(t, byte(apdu.INSManageSecurityEnv), first.INS)
			require.Equal(t, tc.p1p2, uint16(first.P1)<<8|uint16(first.P2))
			var want tlv.Builder
			if tc.p1p2 == apdu.MSESetKAT {
				want.Add(0x91, res.TerminalKey)
				if tc.info.HasKeyID {
					want.Add(0x84, []byte{byte(tc.info.KeyID)})
				}
				require.Len(t, card.log, 2) // KAT, then the probe
			} else {
				oid, _ := oidContents(tc.info.Protocol)
				want.Add(0x80, oid)
				if tc.info.HasKeyID {
					want.Add(0x84, []byte{byte(tc.info.KeyID)})
				}
				require.Len(t, card.log, 3) // Set AT, GA, probe
				ga := card.log[1]
				require.Equal(t, byte(apdu.INSGeneralAuthenticate), ga.INS)
				require.Equal(t, byte(0), ga.CLA)
				require.Equal(t, tlv.AppendTLV(nil, 0x7C, tlv.AppendTLV(nil, 0x80, res.TerminalKey)), ga.Data)
			}
			wb, err := want.Bytes()
			require.NoError(t, err)
			require.Equal(t, wb, first.Data)
			// Both sides compress the terminal key alike, for TA.
			comp := res.CompressedTerminalKey()
			require.Len(t, comp, tc.compLen)
			require.Equal(t, comp, card.chip.CompressedTerminalKey())
			require.True(t, card.chip.ChipAuthenticated())
			require.NotContains(t, res.String(), "keys:")
		})
	}
}

// TestChipAuthenticationKnownAnswer recomputes the session keys on P-256
// with the standard library's crypto/ecdh and the KDF of ICAO Doc 9303-11
// §9.7.1 written out (SHA-1 for AES-128), independently of this package.
func TestChipAuthenticationKnownAnswer(t *testing.T) {
	chipKey := mustEC(t, ec.P256(), "chip kat")
	info, key := ecCA(t, secinfo.OIDCAECDHAES128, chipKey, -1, false)
	res, _, err := runCA(t, info, key, sm.TDES)
	require.NoError(t, err)

	// The terminal's ephemeral key is the first draw of its seeded reader.
	eph := mustEC(t, ec.P256(), "terminal")
	require.Equal(t, eph.PublicKey.Bytes(), res.TerminalKey)
	sp, err := ecdh.P256().NewPrivateKey(eph.Bytes())
	require.NoError(t, err)
	cp, err := ecdh.P256().NewPublicKey(chipKey.PublicKey.Bytes())
	require.NoError(t, err)
	z, err := sp.ECDH(cp)
	require.NoError(t, err)
	enc := sha1.Sum(append(append([]byte(nil), z...), 0, 0, 0, 1))
	mac := sha1.Sum(append(append([]byte(nil), z...), 0, 0, 0, 2))
	kEnc, kMAC := res.Keys()
	require.Equal(t, enc[:16], kEnc)
	require.Equal(t, mac[:16], kMAC)
	require.Equal(t, eph.PublicKey.Bytes()[1:33], res.CompressedTerminalKey())
}

// TestCloneDetected: a chip with a copied DG14 but its own private key
// derives other keys, and the first protected exchange fails. This chip
// side checks our MAC as a chip must and answers a plain 6988: the clone is
// not proven genuine, but two status bytes are no evidence of a clone
// either (a spoiled command gets the same answer from a genuine chip).
// A whole response whose MAC fails is (TestCheckResponseDistinguishes).
func TestCloneDetected(t *testing.T) {
	for _, proto := range []asn1.ObjectIdentifier{secinfo.OIDCAECDH3DES, secinfo.OIDCAECDHAES128} {
		genuine := mustEC(t, ec.BrainpoolP256r1(), "genuine")
		info, _ := ecCA(t, proto, genuine, -1, false)
		clone := CAKey{Protocol: proto, EC: mustEC(t, ec.BrainpoolP256r1(), "clone")}
		_, _, err := runCA(t, info, clone, sm.AES128)
		require.ErrorIs(t, err, sm.ErrCardSM) // the clone cannot even read the command
		require.NotErrorIs(t, err, ErrCloneSuspected)
		// The genuine key passes the same exchange.
		_, _, err = runCA(t, info, CAKey{Protocol: proto, EC: genuine}, sm.AES128)
		require.NoError(t, err)
	}
	g := mustDH(t, 1, "genuine dh")
	info, _ := dhCA(t, secinfo.OIDCADHAES128, g)
	_, _, err := runCA(t, info, CAKey{Protocol: secinfo.OIDCADHAES128, DH: mustDH(t, 1, "clone dh")}, sm.AES128)
	require.ErrorIs(t, err, sm.ErrCardSM)
	require.NotErrorIs(t, err, ErrCloneSuspected)
}

// TestRealDG14 reads the Chip Authentication keys of real documents: the
// terminal side takes each one (explicit brainpool parameters), and a chip
// that cannot hold the document's private key is detected.
func TestRealDG14(t *testing.T) {
	for _, name := range []string{"gmrtd/dg14_at.hex", "gmrtd/dg14_my.hex", "gmrtd/dg14_bp384.hex"} {
		t.Run(name, func(t *testing.T) {
			infos, err := secinfo.Lenient.ParseDG14(vectors.Hex(t, "testdata/"+name))
			require.NoError(t, err)
			cas := infos.ChipAuthentication()
			require.NotEmpty(t, cas)
			ca := cas[0]
			require.NotNil(t, ca.PublicKey)
			dom, pk, err := staticKey(ca.PublicKey.PublicKey)
			require.NoError(t, err)
			require.NotNil(t, dom.curve)
			require.Equal(t, ca.PublicKey.PublicKey.PublicKey, pk.enc)
			// A clone on the same curve.
			var key CAKey
			key.Protocol, key.KeyID, key.HasKeyID = ca.Protocol, ca.KeyID, ca.HasKeyID
			key.EC = mustEC(t, dom.curve, "clone of "+name)
			_, _, err = runCA(t, ca, key, sm.TDES)
			require.ErrorIs(t, err, sm.ErrCardSM, "not proven")
			require.NotErrorIs(t, err, ErrCloneSuspected, "a plain 6988 is no evidence")
		})
	}
}

func TestChipRefusals(t *testing.T) {
	k := mustEC(t, ec.BrainpoolP256r1(), "chip")
	chip, err := NewChip([]CAKey{
		{Protocol: secinfo.OIDCAECDHAES128, KeyID: 1, HasKeyID: true, EC: k},
		{Protocol: secinfo.OIDCAECDH3DES, KeyID: 2, HasKeyID: true, EC: k},
	}, nil)
	require.NoError(t, err)
	oid, _ := oidContents(secinfo.OIDCAECDHAES128)
	eph := mustEC(t, ec.BrainpoolP256r1(), "eph").PublicKey.Bytes()
	bad := append([]byte(nil), eph...)
	bad[len(bad)-1] ^= 1
	ga := func(key []byte) apdu.Command {
		return apdu.GeneralAuthenticate(tlv.AppendTLV(nil, 0x80, key), true)
	}
	setAT := func(objs ...[]byte) apdu.Command {
		var d []byte
		for _, o := range objs {
			d = append(d, o...)
		}
		return apdu.MSESet(apdu.MSESetATCA, d)
	}
	do80 := tlv.AppendTLV(nil, 0x80, oid)
	tests := []struct {
		name string
		cmds []apdu.Command
		sw   apdu.StatusWord
	}{
		{"GA without MSE", []apdu.Command{ga(eph)}, apdu.SWConditionsNotSatisfied},
		{"unknown key id", []apdu.Command{setAT(do80, []byte{0x84, 1, 9})}, apdu.SWReferenceDataNotFound},
		{"protocol of another key id", []apdu.Command{setAT(do80, []byte{0x84, 1, 2})}, apdu.SWReferenceDataNotFound},
		{"not a CA OID", []apdu.Command{setAT(tlv.AppendTLV(nil, 0x80, []byte{0x2A, 0x03}))}, apdu.SWWrongData},
		{"no OID", []apdu.Command{setAT([]byte{0x84, 1, 1})}, apdu.SWWrongData},
		{"duplicate object", []apdu.Command{setAT(do80, do80)}, apdu.SWWrongData},
		{"truncated object", []apdu.Command{setAT([]byte{0x80, 5, 1})}, apdu.SWWrongData},
		{"invalid point", []apdu.Command{setAT(do80), ga(bad)}, apdu.SWWrongData},
		{"chained GA", []apdu.Command{setAT(do80), apdu.GeneralAuthenticate(tlv.AppendTLV(nil, 0x80, eph), false)}, apdu.SWConditionsNotSatisfied},
		{"GA without 7C", []apdu.Command{setAT(do80), {INS: apdu.INSGeneralAuthenticate, Data: []byte{0x80, 1, 4}}}, apdu.SWWrongData},
		{"GA selection consumed", []apdu.Command{setAT(do80), ga(bad), ga(eph)}, apdu.SWConditionsNotSatisfied},
		{"GA wrong P1-P2", []apdu.Command{{INS: apdu.INSGeneralAuthenticate, P1: 1}}, apdu.SWWrongP1P2},
		{"KAT without key", []apdu.Command{apdu.MSESet(apdu.MSESetKAT, []byte{0x84, 1, 2})}, apdu.SWWrongData},
		{"KAT for the AES key id", []apdu.Command{apdu.MSESet(apdu.MSESetKAT, append(tlv.AppendTLV(nil, 0x91, eph), 0x84, 1, 1))}, apdu.SWReferenceDataNotFound},
		{"KAT key id too long", []apdu.Command{apdu.MSESet(apdu.MSESetKAT, append(tlv.AppendTLV(nil, 0x91, eph), 0x84, 5, 1, 1, 1, 1, 1))}, apdu.SWWrongData},
		{"KAT invalid point", []apdu.Command{apdu.MSESet(apdu.MSESetKAT, tlv.AppendTLV(nil, 0x91, bad))}, apdu.SWWrongData},
		{"other MSE", []apdu.Command{apdu.MSESet(0x41B6, nil)}, apdu.SWWrongP1P2},
		{"other INS", []apdu.Command{{INS: 0xB0}}, apdu.SWINSNotSupported},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var resp apdu.Response
			var s *sm.Session
			for _, c := range tc.cmds {
				resp, s = chip.Handle(c)
			}
			require.Equal(t, tc.sw, resp.SW)
			require.Nil(t, s)
		})
	}
	// And the good paths of the same chip.
	resp, s := chip.Handle(apdu.MSESet(apdu.MSESetKAT, append(tlv.AppendTLV(nil, 0x91, eph), 0x84, 1, 2)))
	require.Equal(t, apdu.SWSuccess, resp.SW)
	require.NotNil(t, s)
	resp, _ = chip.Handle(setAT(do80, []byte{0x84, 1, 1}))
	require.Equal(t, apdu.SWSuccess, resp.SW)
	resp, s = chip.Handle(ga(eph))
	require.Equal(t, apdu.SWSuccess, resp.SW)
	require.Equal(t, []byte{0x7C, 0x00}, resp.Data)
	require.NotNil(t, s)
}

func TestNewChipConfig(t *testing.T) {
	k := mustEC(t, ec.BrainpoolP256r1(), "chip")
	d := mustDH(t, 0, "chip")
	for _, keys := range [][]CAKey{
		{{Protocol: secinfo.OIDPACEECDHGMAES128, EC: k}},
		{{Protocol: secinfo.OIDCADHAES128, EC: k}},
		{{Protocol: secinfo.OIDCAECDHAES128, DH: d}},
		{{Protocol: secinfo.OIDCAECDHAES128}},
		{{Protocol: secinfo.OIDCAECDHAES128, EC: k, DH: d}},
		{{Protocol: secinfo.OIDCAECDHAES128, EC: k, KeyID: 1, HasKeyID: true}, {Protocol: secinfo.OIDCAECDH3DES, EC: k, KeyID: 1, HasKeyID: true}},
		{{Protocol: secinfo.OIDCAECDHAES128, EC: k, KeyID: -1, HasKeyID: true}},
	} {
		_, err := NewChip(keys, nil)
		require.Error(t, err)
		var e *Error
		require.True(t, errors.As(err, &e))
	}
	require.NotContains(t, CAKey{Protocol: secinfo.OIDCAECDHAES128, EC: k}.String(), "D:")
}

func TestChipAuthenticateTerminalErrors(t *testing.T) {
	ctx := context.Background()
	k := mustEC(t, ec.BrainpoolP256r1(), "chip")
	info, key := ecCA(t, secinfo.OIDCAECDHAES128, k, 5, false)
	chip, err := NewChip([]CAKey{{Protocol: key.Protocol, EC: k, KeyID: 6, HasKeyID: true}}, nil)
	require.NoError(t, err)
	tr, _ := smPair(t, chip, sm.AES128)

	// The chip does not know key 5.
	_, err = ChipAuthenticate(ctx, tr, info, &Config{Rand: pkitest.SeedReader("t")})
	require.ErrorIs(t, err, ErrChip)
	require.ErrorIs(t, err, apdu.ErrReferenceDataNotFound)

	v2 := info
	v2.Version = 2
	_, err = ChipAuthenticate(ctx, tr, v2, &Config{Rand: pkitest.SeedReader("t")})
	require.ErrorIs(t, err, ErrUnsupported)
	noKey := info
	noKey.PublicKey = nil
	_, err = ChipAuthenticate(ctx, tr, noKey, &Config{Rand: pkitest.SeedReader("t")})
	require.ErrorIs(t, err, ErrUnsupported)
	mismatch := info
	mismatch.CA.KeyAgreement = secinfo.DH
	_, err = ChipAuthenticate(ctx, tr, mismatch, &Config{Rand: pkitest.SeedReader("t")})
	require.ErrorIs(t, err, ErrUnsupported)
	badKey := info
	pk := *info.PublicKey
	pk.PublicKey.PublicKey = []byte{4, 1, 2}
	badKey.PublicKey = &pk
	_, err = ChipAuthenticate(ctx, tr, badKey, &Config{Rand: pkitest.SeedReader("t")})
	require.ErrorIs(t, err, ErrInvalidKey)
	_, err = ChipAuthenticate(ctx, tr, info, &Config{Rand: failingReader{}})
	require.ErrorIs(t, err, ErrRandom)
	// A transport failure is passed through, not called a clone.
	require.Equal(t, errTransport, CheckResponse(errTransport))
	require.NoError(t, CheckResponse(nil))
}

// Only cryptographic evidence says clone: a MAC that fails on a whole
// response. A plain 6988 (what a clone that could not verify our command
// answers, but also a genuine chip whose command was spoiled), a transport error
// wrapped by secure messaging, a session that died in plain with another
// status, a response without DO '99' are returned as they are.
func TestCheckResponseDistinguishes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		err   error
		clone bool
	}{
		{"MAC", &sm.Error{Op: "unwrap", Tag: 0x8E, Err: sm.ErrMAC}, true},
		{"6988 in plain", &sm.Error{Op: "unwrap", SW: 0x6988, Err: sm.ErrCardSM}, false},
		{"transport", fmt.Errorf("sm: transmit: %w", errTransport), false},
		{"6A82 in plain", &sm.Error{Op: "unwrap", SW: 0x6A82, Err: sm.ErrNotProtected}, false},
		{"no DO 99", &sm.Error{Op: "unwrap", Tag: 0x99, Err: sm.ErrMissingDO}, false},
		{"length refused", &sm.Error{Op: "unwrap", SW: 0x6700, Err: sm.ErrLengthRejected}, false},
		{"dead session", &sm.Error{Op: "wrap", Err: sm.ErrSessionDead}, false},
		{"status", &apdu.StatusError{SW: 0x6982}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := CheckResponse(tc.err)
			require.Equal(t, tc.clone, errors.Is(got, ErrCloneSuspected), "%v", got)
			if !tc.clone {
				require.Equal(t, tc.err, got)
			} else {
				require.ErrorIs(t, got, tc.err)
			}
		})
	}
}

var errTransport = errors.New("card removed")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errTransport }

// A DG14 Chip Authentication key over a DH group without q whose p is not
// a safe prime is refused: ErrInvalidKey, and dh's reason with errors.Is.
func TestStaticKeyDHWithoutQ(t *testing.T) {
	g, err := dh.Standardized(0)
	require.NoError(t, err)
	g2 := new(big.Int).Exp(g.G, big.NewInt(2), g.P)
	params, err := dh.MarshalDHParameter(&dh.Group{P: g.P, G: g2})
	require.NoError(t, err)
	y := new(big.Int).Exp(g2, big.NewInt(12345), g.P)
	var b cryptobyte.Builder
	b.AddASN1BigInt(y)
	spki := secinfo.SubjectPublicKeyInfo{
		Algorithm: secinfo.AlgorithmIdentifier{Algorithm: dh.OIDDHKeyAgreement, Parameters: params},
		PublicKey: b.BytesOrPanic(),
	}
	_, _, err = staticKey(spki)
	require.ErrorIs(t, err, ErrInvalidKey)
	require.ErrorIs(t, err, dh.ErrNoSubgroupOrder)
}
