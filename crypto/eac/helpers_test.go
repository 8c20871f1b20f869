package eac

import (
	"bytes"
	"context"
	"encoding/asn1"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/dh"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// testCard is a chip under secure messaging: it unwraps each command with
// its session, lets the eac.Chip answer (SELECT gets 9000, other
// instructions the chip's answer), wraps the response with the same
// session and switches to the new one when Chip Authentication completed.
type testCard struct {
	chip *Chip
	sess *sm.Session
	log  []apdu.Command // plain commands received
}

func (c *testCard) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	plain, err := c.sess.UnwrapCommand(cmd)
	if err != nil {
		return apdu.Response{SW: sm.ChipStatus(err)}, nil
	}
	c.log = append(c.log, plain)
	var resp apdu.Response
	var ns *sm.Session
	if plain.INS == apdu.INSSelect {
		resp = apdu.Response{SW: apdu.SWSuccess}
	} else {
		resp, ns = c.chip.Handle(plain)
	}
	w, err := c.sess.WrapResponse(resp)
	if err != nil {
		return apdu.Response{}, err
	}
	if ns != nil {
		c.sess = ns
	}
	return w, nil
}

// smPair returns a terminal transmitter and a card sharing fresh session
// keys, as after PACE.
func smPair(t testing.TB, chip *Chip, c sm.Cipher) (apdu.Transmitter, *testCard) {
	t.Helper()
	kEnc := bytes.Repeat([]byte{0x11}, c.KeySize())
	kMAC := bytes.Repeat([]byte{0x22}, c.KeySize())
	ts, err := sm.NewSession(c, kEnc, kMAC, nil)
	require.NoError(t, err)
	cs, err := sm.NewSession(c, kEnc, kMAC, nil)
	require.NoError(t, err)
	card := &testCard{chip: chip, sess: cs}
	return sm.NewTransmitter(card, ts), card
}

func mustOIDDER(t testing.TB, v any) []byte {
	t.Helper()
	b, err := asn1.Marshal(v)
	require.NoError(t, err)
	return b
}

// ecCA returns what DG14 announces for an EC key (named-curve or explicit
// parameters, or a standardized id when std > 0) and the chip's CAKey.
func ecCA(t testing.TB, proto asn1.ObjectIdentifier, k *ec.PrivateKey, keyID int64, explicit bool) (secinfo.ChipAuthentication, CAKey) {
	t.Helper()
	params, err := ec.MarshalECParameters(k.Curve(), explicit)
	require.NoError(t, err)
	spki := secinfo.SubjectPublicKeyInfo{
		Algorithm: secinfo.AlgorithmIdentifier{Algorithm: secinfo.OIDECPublicKey, Parameters: params},
		PublicKey: k.PublicKey.Bytes(),
	}
	return caInfo(t, proto, secinfo.OIDPKECDH, spki, keyID), CAKey{Protocol: proto, KeyID: keyID, HasKeyID: keyID >= 0, EC: k}
}

// stdCA is ecCA with standardized domain parameters.
func stdCA(t testing.TB, proto asn1.ObjectIdentifier, k *ec.PrivateKey, id int) secinfo.ChipAuthentication {
	spki := secinfo.SubjectPublicKeyInfo{
		Algorithm: secinfo.AlgorithmIdentifier{Algorithm: secinfo.OIDStandardizedDomainParameters, Parameters: mustOIDDER(t, id)},
		PublicKey: k.PublicKey.Bytes(),
	}
	return caInfo(t, proto, secinfo.OIDPKECDH, spki, -1)
}

// dhCA is ecCA for a DH key with X9.42 domain parameters.
func dhCA(t testing.TB, proto asn1.ObjectIdentifier, k *dh.PrivateKey) (secinfo.ChipAuthentication, CAKey) {
	t.Helper()
	params, err := dh.MarshalDomainParameters(k.Group)
	require.NoError(t, err)
	spki := secinfo.SubjectPublicKeyInfo{
		Algorithm: secinfo.AlgorithmIdentifier{Algorithm: secinfo.OIDDHPublicNumber, Parameters: params},
		PublicKey: mustOIDDER(t, k.Y),
	}
	return caInfo(t, proto, secinfo.OIDPKDH, spki, -1), CAKey{Protocol: proto, DH: k}
}

func caInfo(t testing.TB, proto, pk asn1.ObjectIdentifier, spki secinfo.SubjectPublicKeyInfo, keyID int64) secinfo.ChipAuthentication {
	t.Helper()
	desc, err := secinfo.ParseCAProtocol(proto)
	require.NoError(t, err)
	return secinfo.ChipAuthentication{
		Protocol: proto, CA: desc, Version: 1, KeyID: keyID, HasKeyID: keyID >= 0,
		PublicKey: &secinfo.ChipAuthenticationPublicKeyInfo{Protocol: pk, PublicKey: spki, KeyID: keyID, HasKeyID: keyID >= 0},
	}
}
