package pace

import (
	"bytes"
	"context"
	"encoding/hex"
	"math/big"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

func infoOf(oid []int, id int) secinfo.PACEInfo {
	return secinfo.PACEInfo{Protocol: oid, Version: 2, ParameterID: id, HasParameterID: true}
}

// ICAO Doc 9303-11 Appendix G.1, step by step.
func TestAppendixG1Steps(t *testing.T) {
	v := loadVectors(t, "g1-ecdh-gm.txt")
	require.Equal(t, []byte("T22000129364081251010318"), v["mrz_info"])
	pw, err := MRZPassword(v["mrz_info"])
	require.NoError(t, err)
	require.Equal(t, v["k"], pw.k)
	require.Equal(t, v["kpi"], pw.kpi(sm.AES128))
	s, err := sm.Decrypt(sm.AES128, v["kpi"], nil, v["z"])
	require.NoError(t, err)
	require.Equal(t, v["s"], s)

	p, err := resolve(infoOf(secinfo.OIDPACEECDHGMAES128, 13))
	require.NoError(t, err)
	d := p.dom
	tMap, err := d.generate(fixedRand(v["map_t_priv"]))
	require.NoError(t, err)
	require.Equal(t, v["map_t_pub"], tMap.pub)
	cMap, err := d.generate(fixedRand(v["map_c_priv"]))
	require.NoError(t, err)
	require.Equal(t, v["map_c_pub"], cMap.pub)
	peer, _, err := d.decode(cMap.pub)
	require.NoError(t, err)
	h, err := d.agree(tMap, peer)
	require.NoError(t, err)
	require.Equal(t, v["h"], h.(*ec.Point).Bytes())
	peer2, _, err := d.decode(tMap.pub)
	require.NoError(t, err)
	h2, err := d.agree(cMap, peer2)
	require.NoError(t, err)
	require.True(t, h2.(*ec.Point).Equal(h.(*ec.Point)))

	m, err := d.genericMap(new(big.Int).SetBytes(s), h)
	require.NoError(t, err)
	require.Equal(t, v["mapped"], m.(*ecDomain).generator().Bytes())

	tk, err := m.generate(fixedRand(v["t_priv"]))
	require.NoError(t, err)
	require.Equal(t, v["t_pub"], tk.pub)
	ck, err := m.generate(fixedRand(v["c_priv"]))
	require.NoError(t, err)
	require.Equal(t, v["c_pub"], ck.pub)
	cp, _, err := m.decode(ck.pub)
	require.NoError(t, err)
	z, err := m.agree(tk, cp)
	require.NoError(t, err)
	require.Equal(t, v["shared"], m.secret(z))
	kEnc, kMAC := sm.DeriveSessionKeys(sm.AES128, v["shared"])
	require.Equal(t, v["ksenc"], kEnc)
	require.Equal(t, v["ksmac"], kMAC)
	require.Equal(t, v["tifd_input"], publicKeyDO(p, m.keyTag(), v["c_pub"]))
	require.Equal(t, v["tic_input"], publicKeyDO(p, m.keyTag(), v["t_pub"]))
	tok, err := sm.AuthToken(sm.AES128, kMAC, v["tifd_input"])
	require.NoError(t, err)
	require.Equal(t, v["tifd"], tok)
}

// The terminal reproduces the G.1 exchange byte for byte.
func TestAppendixG1Terminal(t *testing.T) {
	v := loadVectors(t, "g1-ecdh-gm.txt")
	pw, err := NewPassword(MRZ, v["k"])
	require.NoError(t, err)
	sc := newScript(t, v, 5)
	res, err := Open(context.Background(), sc, pw, infoOf(secinfo.OIDPACEECDHGMAES128, 13),
		&Config{Rand: fixedRand(v["map_t_priv"], v["t_priv"]), OmitParameterID: true})
	require.NoError(t, err)
	require.Equal(t, 5, sc.n)
	kEnc, kMAC := res.Keys()
	require.Equal(t, v["ksenc"], kEnc)
	require.Equal(t, v["ksmac"], kMAC)
	require.Equal(t, v["c_pub"], res.ChipKey)
	require.Equal(t, v["t_pub"], res.TerminalKey)
	require.Equal(t, v["map_c_pub"], res.ChipMappingKey)
	require.Equal(t, v["c_pub"][1:33], res.IDPICC())
	require.Equal(t, sm.AES128, res.Cipher)
}

// The chip answers the G.1 commands byte for byte.
func TestAppendixG1Chip(t *testing.T) {
	v := loadVectors(t, "g1-ecdh-gm.txt")
	pw, err := NewPassword(MRZ, v["k"])
	require.NoError(t, err)
	replayChip(t, v, []secinfo.PACEInfo{infoOf(secinfo.OIDPACEECDHGMAES128, 13)}, []Password{pw}, &ChipConfig{Rand: fixedRand(v["s"], v["map_c_priv"], v["c_priv"])}, 5)
}

// replayChip sends the recorded commands to a chip and compares its
// responses with the recorded ones.
func replayChip(t *testing.T, v map[string][]byte, infos []secinfo.PACEInfo, passwords []Password, cfg *ChipConfig, steps int) *Chip {
	t.Helper()
	chip, err := NewChip(infos, passwords, cfg)
	require.NoError(t, err)
	for i := 1; i <= steps; i++ {
		n := string(rune('0' + i))
		cmd, err := apdu.ParseCommand(v["cmd"+n])
		require.NoError(t, err)
		got := chip.Handle(cmd).Bytes()
		require.Equal(t, hexs(v["resp"+n]), hexs(got), "response %d", i)
	}
	require.NotNil(t, chip.Session())
	require.NotNil(t, chip.Result())
	return chip
}

func hexs(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }

// ICAO Doc 9303-11 Appendix G.2 (DH, Generic Mapping): the terminal
// reproduces the exchange, the chip its answers.
func TestAppendixG2(t *testing.T) {
	v := loadVectors(t, "g2-dh-gm.txt")
	info := infoOf(secinfo.OIDPACEDHGMAES128, 0)
	pw, err := NewPassword(MRZ, v["k"])
	require.NoError(t, err)

	p, err := resolve(info)
	require.NoError(t, err)
	tMap, err := p.dom.generate(fixedRand(v["map_t_priv"]))
	require.NoError(t, err)
	require.Equal(t, v["map_t_pub"], tMap.pub)
	peer, _, err := p.dom.decode(v["map_c_pub"])
	require.NoError(t, err)
	h, err := p.dom.agree(tMap, peer)
	require.NoError(t, err)
	require.Equal(t, v["h"], p.dom.secret(h))
	m, err := p.dom.genericMap(new(big.Int).SetBytes(v["s"]), h)
	require.NoError(t, err)
	require.Equal(t, v["mapped"], m.(*dhDomain).g.G.FillBytes(make([]byte, 128)))
	require.Equal(t, v["tifd_input"], publicKeyDO(p, 0x84, v["c_pub"]))
	require.Equal(t, v["tic_input"], publicKeyDO(p, 0x84, v["t_pub"]))

	sc := newScript(t, v, 5)
	res, err := Open(context.Background(), sc, pw, info, &Config{Rand: fixedRand(v["map_t_priv"], v["t_priv"]), OmitParameterID: true})
	require.NoError(t, err)
	kEnc, kMAC := res.Keys()
	require.Equal(t, v["ksenc"], kEnc)
	require.Equal(t, v["ksmac"], kMAC)
	require.Equal(t, [][]byte{v["car"]}, res.CARs)
	require.Len(t, res.IDPICC(), 20)

	// The chip (which returns no CAR: no CHAT was sent).
	v["resp5"] = vectors.Unhex(t, "7C0A8608"+hexs(v["tic"])+"9000")
	replayChip(t, v, []secinfo.PACEInfo{info}, []Password{pw}, &ChipConfig{Rand: fixedRand(v["s"], v["map_c_priv"], v["c_priv"])}, 5)
}

// spy records the data objects the terminal and the chip exchange.
type spy struct {
	chip  *Chip
	sent  []authData
	reply []authData
}

func (s *spy) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	r := s.chip.Handle(cmd)
	if cmd.INS == apdu.INSGeneralAuthenticate {
		a, _ := parseAuthData(cmd.Data)
		s.sent = append(s.sent, a)
		b, _ := parseAuthData(r.Data)
		s.reply = append(s.reply, b)
	}
	return r, nil
}

func obj(t *testing.T, a authData, tag byte) []byte {
	t.Helper()
	v, ok := a.get(tag)
	require.True(t, ok, "object %X", tag)
	return v
}

// ICAO Doc 9303-11 Appendix H.1 (ECDH, Integrated Mapping): the pseudo-random
// function, the point encoding, and a terminal and a chip fed the example's
// random values exchanging the example's values.
func TestAppendixH1(t *testing.T) {
	v := loadVectors(t, "h1-ecdh-im.txt")
	info := infoOf(secinfo.OIDPACEECDHIMAES128, 13)
	pw, err := CANPassword("123456")
	require.NoError(t, err)
	require.Equal(t, v["kpi"], pw.kpi(sm.AES128))

	p, err := resolve(info)
	require.NoError(t, err)
	r, err := prf(sm.AES128, v["s"], v["t"], p.dom.prime())
	require.NoError(t, err)
	require.Equal(t, v["r"], r)
	x, err := mapNonceIM(sm.AES128, v["s"], v["t"], p.dom.prime())
	require.NoError(t, err)
	require.Equal(t, v["rp"], x.Bytes())
	m, err := p.dom.integratedMap(x)
	require.NoError(t, err)
	require.Equal(t, v["mapped"], m.(*ecDomain).generator().Bytes())
	require.Equal(t, v["tic_input"], publicKeyDO(p, 0x86, v["t_pub"]))
	require.Equal(t, v["tifd_input"], publicKeyDO(p, 0x86, v["c_pub"]))

	chip, err := NewChip([]secinfo.PACEInfo{info}, []Password{pw}, &ChipConfig{Rand: fixedRand(v["s"], v["c_priv"])})
	require.NoError(t, err)
	sp := &spy{chip: chip}
	res, err := Open(context.Background(), sp, pw, info, &Config{Rand: fixedRand(v["t"], v["t_priv"])})
	require.NoError(t, err)
	require.Equal(t, v["z"], obj(t, sp.reply[0], 0x80))
	require.Equal(t, v["t"], obj(t, sp.sent[1], 0x81))
	require.Empty(t, obj(t, sp.reply[1], 0x82))
	require.Equal(t, v["t_pub"], obj(t, sp.sent[2], 0x83))
	require.Equal(t, v["c_pub"], obj(t, sp.reply[2], 0x84))
	require.Equal(t, v["tifd"], obj(t, sp.sent[3], 0x85))
	require.Equal(t, v["tic"], obj(t, sp.reply[3], 0x86))
	kEnc, kMAC := res.Keys()
	require.Equal(t, v["ksenc"], kEnc)
	require.Equal(t, v["ksmac"], kMAC)
	require.Nil(t, res.ChipMappingKey)
}

// ICAO Doc 9303-11 Appendix H.2 (DH, Integrated Mapping), step by step: its
// private keys are 1024-bit exponents, which no compliant key generation
// draws, so the exchange is computed directly.
func TestAppendixH2(t *testing.T) {
	v := loadVectors(t, "h2-dh-im.txt")
	info := infoOf(secinfo.OIDPACEDHIMAES128, 0)
	pw, err := CANPassword("123456")
	require.NoError(t, err)
	s, err := sm.Decrypt(sm.AES128, pw.kpi(sm.AES128), nil, v["z"])
	require.NoError(t, err)
	require.Equal(t, v["s"], s)

	p, err := resolve(info)
	require.NoError(t, err)
	r, err := prf(sm.AES128, v["s"], v["t"], p.dom.prime())
	require.NoError(t, err)
	require.Equal(t, v["r"], r)
	x, err := mapNonceIM(sm.AES128, v["s"], v["t"], p.dom.prime())
	require.NoError(t, err)
	require.Equal(t, v["rp"], x.FillBytes(make([]byte, 128)))
	m, err := p.dom.integratedMap(x)
	require.NoError(t, err)
	g := m.(*dhDomain).g
	require.Equal(t, v["mapped"], g.G.FillBytes(make([]byte, 128)))

	pub := func(priv []byte) []byte {
		return new(big.Int).Exp(g.G, new(big.Int).SetBytes(priv), g.P).FillBytes(make([]byte, 128))
	}
	require.Equal(t, v["t_pub"], pub(v["t_priv"]))
	require.Equal(t, v["c_pub"], pub(v["c_priv"]))
	peer, _, err := m.decode(v["c_pub"])
	require.NoError(t, err)
	k := new(big.Int).Exp(peer.(*big.Int), new(big.Int).SetBytes(v["t_priv"]), g.P)
	require.Equal(t, v["shared"], m.secret(k))
	kEnc, kMAC := sm.DeriveSessionKeys(sm.AES128, v["shared"])
	require.Equal(t, v["ksenc"], kEnc)
	require.Equal(t, v["ksmac"], kMAC)
	require.Equal(t, v["tic_input"], publicKeyDO(p, m.keyTag(), v["t_pub"]))
	require.Equal(t, v["tifd_input"], publicKeyDO(p, m.keyTag(), v["c_pub"]))
	for _, c := range []struct{ in, tok string }{{"tic_input", "tic"}, {"tifd_input", "tifd"}} {
		tok, err := sm.AuthToken(sm.AES128, kMAC, v[c.in])
		require.NoError(t, err)
		require.Equal(t, v[c.tok], tok)
	}
}

// ICAO Doc 9303-11 Appendix I.1 (ECDH, Chip Authentication Mapping): the
// terminal reproduces the exchange and verifies the chip against its static
// key; the chip, whose static private key follows from the example as
// SK_IC = SK_Map,IC * CA_IC^-1 mod n, reproduces its answers.
func TestAppendixI1(t *testing.T) {
	v := loadVectors(t, "i1-ecdh-cam.txt")
	info := infoOf(secinfo.OIDPACEECDHCAMAES128, 13)
	// The MRZ information of C11T002JM, 960812, 231031 with its check
	// digits (chip/mrz's TestInfo builds the same bytes).
	pw, err := MRZPassword([]byte("C11T002JM496081222310314"))
	require.NoError(t, err)
	require.Equal(t, v["k"], pw.k)
	require.Equal(t, v["kpi"], pw.kpi(sm.AES128))
	iv, err := camIV(v["ksenc"])
	require.NoError(t, err)
	require.Equal(t, v["cam_iv"], iv)
	require.True(t, bytes.HasSuffix(v["ca_pk_info"], append(append([]byte{}, v["pk_ic"]...), 0x02, 0x01, 0x0D)))

	sc := newScript(t, v, 5)
	res, err := Open(context.Background(), sc, pw, info, &Config{Rand: fixedRand(v["map_t_priv"], v["t_priv"]), OmitParameterID: true})
	require.NoError(t, err)
	kEnc, kMAC := res.Keys()
	require.Equal(t, v["ksenc"], kEnc)
	require.Equal(t, v["ksmac"], kMAC)
	require.Equal(t, v["ca_ic"], res.CAData)
	require.Equal(t, v["map_c_pub"], res.ChipMappingKey)
	require.NoError(t, VerifyCAM(res, v["pk_ic"]))
	require.ErrorIs(t, VerifyCAM(res, v["c_pub"]), ErrCAM)

	curve := ec.BrainpoolP256r1()
	n := curve.N()
	sk := new(big.Int).ModInverse(new(big.Int).SetBytes(v["ca_ic"]), n)
	sk.Mul(sk, new(big.Int).SetBytes(v["map_c_priv"])).Mod(sk, n)
	caKey, err := ec.NewPrivateKey(curve, sk.Bytes())
	require.NoError(t, err)
	require.Equal(t, v["pk_ic"], caKey.PublicKey.Bytes())
	// The example's ephemeral private key of the chip, CD626EF3..., is
	// above n: a key generation drawing in [1, n-1] gives it reduced mod n,
	// which is the same key.
	cPriv := new(big.Int).SetBytes(v["c_priv"])
	require.Positive(t, cPriv.Cmp(n))
	cPriv.Mod(cPriv, n)
	replayChip(t, v, []secinfo.PACEInfo{info}, []Password{pw}, &ChipConfig{CAKey: caKey, Rand: fixedRand(v["s"], v["map_c_priv"], cPriv.FillBytes(make([]byte, 32)))}, 5)
}
