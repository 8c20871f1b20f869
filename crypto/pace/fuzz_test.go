package pace

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/vectors"
)

// splitMessages cuts fuzz input into messages, each preceded by a one-byte
// length (a length of 255 takes the rest).
func splitMessages(b []byte, max int) [][]byte {
	var out [][]byte
	for len(b) > 0 && len(out) < max {
		n := int(b[0])
		b = b[1:]
		if n == 255 || n > len(b) {
			n = len(b)
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

func joinMessages(msgs ...[]byte) []byte {
	var out []byte
	for _, m := range msgs {
		if len(m) >= 255 {
			out = append(out, 255)
		} else {
			out = append(out, byte(len(m)))
		}
		out = append(out, m...)
	}
	return out
}

// FuzzChip feeds the chip an MSE:Set AT and GENERAL AUTHENTICATE commands
// made from the input: it must never panic, must answer one of the status
// words it documents, and its successful answers must be '7C' templates.
func FuzzChip(f *testing.F) {
	v := loadVectors(f, "g1-ecdh-gm.txt")
	data := func(name string) []byte {
		c, err := apdu.ParseCommand(v[name])
		require.NoError(f, err)
		return c.Data
	}
	f.Add(joinMessages(data("cmd1"), data("cmd2"), data("cmd3"), data("cmd4"), data("cmd5")))
	f.Add(joinMessages(vectors.Unhex(f, "800A04007F00070202040402830102"), data("cmd2"), vectors.Unhex(f, "7C1281105DD4CBFC96F5453B130D890A1CDBAE32"), data("cmd4")))
	f.Add(joinMessages(vectors.Unhex(f, "800A04007F0007020204060283010184010D"), data("cmd2"), data("cmd3")))
	f.Add(joinMessages(vectors.Unhex(f, "800A04007F00070202040102830101840100"), data("cmd2"), vectors.Unhex(f, "7C0481020102")))
	f.Add([]byte{0})

	mrzPw, err := NewPassword(MRZ, v["k"])
	require.NoError(f, err)
	canPw, _ := CANPassword("123456")
	caKey, err := ec.GenerateKey(ec.BrainpoolP256r1(), seeded(3))
	require.NoError(f, err)
	infos := []secinfo.PACEInfo{
		infoOf(secinfo.OIDPACEECDHGMAES128, 13),
		infoOf(secinfo.OIDPACEECDHIMAES128, 13),
		infoOf(secinfo.OIDPACEECDHCAMAES128, 13),
		infoOf(secinfo.OIDPACEDHGMAES128, 0),
	}
	allowed := map[apdu.StatusWord]bool{0x9000: true, 0x6A80: true, 0x6A88: true, 0x6985: true, 0x6300: true}
	f.Fuzz(func(t *testing.T, in []byte) {
		chip, err := NewChip(infos, []Password{mrzPw, canPw}, &ChipConfig{CAKey: caKey, Rand: seeded(1)})
		require.NoError(t, err)
		msgs := splitMessages(in, 6)
		for i, m := range msgs {
			var cmd apdu.Command
			if i == 0 {
				cmd = apdu.Command{INS: 0x22, P1: 0xC1, P2: 0xA4, Data: m}
			} else {
				cmd = apdu.Command{CLA: 0x10, INS: 0x86, Data: m, Ne: 256}
				if i == len(msgs)-1 {
					cmd.CLA = 0
				}
			}
			r := chip.Handle(cmd)
			require.True(t, allowed[r.SW], "status %s", r.SW)
			if r.SW == 0x9000 && i > 0 {
				_, err := parseAuthData(r.Data)
				require.NoError(t, err, "response %d not a 7C template", i)
			}
		}
	})
}

// FuzzTerminal answers the terminal with responses made from the input: it
// must never panic and must fail with a *Error, never succeed on garbage
// unless the responses are the recorded ones.
func FuzzTerminal(f *testing.F) {
	v := loadVectors(f, "g1-ecdh-gm.txt")
	f.Add(joinMessages(v["resp1"], v["resp2"], v["resp3"], v["resp4"], v["resp5"]))
	f.Add(joinMessages(v["resp1"], v["resp2"], v["resp3"], v["resp4"], vectors.Unhex(f, "6300")))
	f.Add(joinMessages(v["resp1"], vectors.Unhex(f, "7C0280009000")))
	f.Add(joinMessages(v["resp1"], v["resp2"], vectors.Unhex(f, "7C0382010090 00")))
	pw, err := NewPassword(MRZ, v["k"])
	require.NoError(f, err)
	info := infoOf(secinfo.OIDPACEECDHGMAES128, 13)
	f.Fuzz(func(t *testing.T, in []byte) {
		resps := splitMessages(in, 5)
		n := 0
		tx := apdu.TransmitterFunc(func(context.Context, apdu.Command) (apdu.Response, error) {
			if n >= len(resps) {
				return apdu.Response{}, errors.New("no more responses")
			}
			r, err := apdu.ParseResponse(resps[n])
			n++
			if err != nil {
				return apdu.Response{}, err
			}
			return r, nil
		})
		res, err := Open(context.Background(), tx, pw, info, &Config{Rand: fixedRand(v["map_t_priv"], v["t_priv"]), OmitParameterID: true})
		if err != nil {
			var pe *Error
			require.ErrorAs(t, err, &pe, "untyped error %v", err)
			return
		}
		kEnc, _ := res.Keys()
		require.True(t, bytes.Equal(kEnc, v["ksenc"]), "success with other keys")
	})
}

// FuzzParseAuthData checks the '7C' decoder: no panic, and every object it
// keeps lies inside the input.
func FuzzParseAuthData(f *testing.F) {
	v := loadVectors(f, "g1-ecdh-gm.txt")
	for _, k := range []string{"resp2", "resp3", "resp4", "resp5"} {
		f.Add(v[k][:len(v[k])-2])
	}
	f.Add(vectors.Unhex(f, "7C00"))
	f.Add(vectors.Unhex(f, "7C0480008000"))
	f.Fuzz(func(t *testing.T, in []byte) {
		a, err := parseAuthData(in)
		if err != nil {
			return
		}
		for tag := byte(0x80); tag <= 0x8F; tag++ {
			if o, ok := a.get(tag); ok && len(o) > 0 {
				require.True(t, bytes.Contains(in, o), "object %X not from the input", tag)
			}
		}
	})
}
