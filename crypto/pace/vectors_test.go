package pace

import (
	"context"
	"encoding/hex"
	"strings"

	"github.com/cancuoc/cancuoc/apdu"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

func infoOf(oid []int, id int) secinfo.PACEInfo {
	return secinfo.PACEInfo{Protocol: oid, Version: 2, ParameterID: id, HasParameterID: true}
}

// ICAO Doc 9303-11 Appendix G.1, step by step.
func TestAppendixG1Steps(t *testing.T) {
	v := loadVectors(t, "g1-ecdh-gm.txt")
	info, err := mrz.NewInfo("T22000129", "640812", "101031")
	require.NoError(t, err)
	require.Equal(t, v["mrz_info"], info.Bytes())
	pw, err := MRZPassword(info)
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
		fixedRand(v["map_t_priv"], v["t_priv"]), WithoutParameterID())
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
	replayChip(t, v, ChipConfig{
		Infos:     []secinfo.PACEInfo{infoOf(secinfo.OIDPACEECDHGMAES128, 13)},
		Passwords: []Password{pw},
		Rand:      fixedRand(v["s"], v["map_c_priv"], v["c_priv"]),
	}, 5)
}

// replayChip sends the recorded commands to a chip and compares its
// responses with the recorded ones.
func replayChip(t *testing.T, v map[string][]byte, cfg ChipConfig, steps int) *Chip {
	t.Helper()
	chip, err := NewChip(cfg)
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
