package eac_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip/secinfo"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// card is a chip under secure messaging, as a simulator runs it.
type card struct {
	chip *eac.Chip
	sess *sm.Session
}

func (c *card) Transmit(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
	plain, err := c.sess.UnwrapCommand(cmd)
	if err != nil {
		return apdu.Response{SW: sm.ChipStatus(err)}, nil
	}
	resp, next := c.chip.Handle(plain)
	if plain.INS == apdu.INSSelect {
		resp = apdu.Response{SW: apdu.SWSuccess}
	}
	w, err := c.sess.WrapResponse(resp) // the old keys protect this response
	if next != nil {
		c.sess = next
	}
	return w, err
}

func Example() {
	ctx := context.Background()
	rand := bytes.NewReader(bytes.Repeat([]byte{0x5A}, 256)) // use crypto/rand
	chipKey, _ := ec.GenerateKey(ec.BrainpoolP256r1(), rand)

	// The chip and what its (verified) DG14 announces.
	chip, _ := eac.NewChip(eac.ChipConfig{CAKeys: []eac.CAKey{{Protocol: secinfo.OIDCAECDHAES128, EC: chipKey}}})
	params, _ := ec.MarshalECParameters(chipKey.Curve(), false)
	desc, _ := secinfo.ParseCAProtocol(secinfo.OIDCAECDHAES128)
	ca := secinfo.ChipAuthentication{
		Protocol: secinfo.OIDCAECDHAES128, CA: desc, Version: 1,
		PublicKey: &secinfo.ChipAuthenticationPublicKeyInfo{
			Protocol: secinfo.OIDPKECDH,
			PublicKey: secinfo.SubjectPublicKeyInfo{
				Algorithm: secinfo.AlgorithmIdentifier{Algorithm: secinfo.OIDECPublicKey, Parameters: params},
				PublicKey: chipKey.PublicKey.Bytes(),
			},
		},
	}

	// Secure messaging from PACE or BAC (keys shown fixed for the example).
	k := bytes.Repeat([]byte{1}, 16)
	pace, _ := sm.NewSession(sm.AES128, k, k, nil)
	chipSide, _ := sm.NewSession(sm.AES128, k, k, nil)
	c := &card{chip: chip, sess: chipSide}

	res, err := eac.ChipAuthenticate(ctx, sm.NewTransmitter(c, pace), ca, rand)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := res.NewSession()
	t := sm.NewTransmitter(c, s)
	if err := eac.Verify(ctx, t); err != nil {
		fmt.Println(err) // errors.Is(err, eac.ErrCloneSuspected)
		return
	}
	fmt.Println("chip authenticated with", res.Cipher)
	// Output: chip authenticated with AES-128
}
