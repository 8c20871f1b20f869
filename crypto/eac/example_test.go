package eac_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/eac"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
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
	chip, _ := eac.NewChip([]eac.CAKey{{Protocol: secinfo.OIDCAECDHAES128, EC: chipKey}}, nil)
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

	res, err := eac.ChipAuthenticate(ctx, sm.NewTransmitter(c, pace), ca, &eac.Config{Rand: rand})
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

// Example_terminalAuthentication shows Extended Access Control end to end:
// Chip Authentication, then Terminal Authentication with a CVCA -> DV ->
// IS chain, after which the chip lets the terminal read DG3.
func Example_terminalAuthentication() {
	ctx := context.Background()
	rand := bytes.NewReader(bytes.Repeat([]byte{0x3C}, 4096)) // use crypto/rand
	day := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	h, _ := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: day, Access: cvc.ReadDG3, Rand: rand})

	chipKey, _ := ec.GenerateKey(ec.BrainpoolP256r1(), rand)
	idPICC := []byte("C01X00T478") // document number and check digit (BAC)
	chip, _ := eac.NewChip([]eac.CAKey{{Protocol: secinfo.OIDCAECDH3DES, EC: chipKey}}, &eac.ChipConfig{
		Rand:        rand,
		TrustPoints: []*cvc.Certificate{h.CVCA},
		Date:        day,
		IDPICC:      idPICC,
	})
	params, _ := ec.MarshalECParameters(chipKey.Curve(), false)
	desc, _ := secinfo.ParseCAProtocol(secinfo.OIDCAECDH3DES)
	ca := secinfo.ChipAuthentication{Protocol: secinfo.OIDCAECDH3DES, CA: desc, Version: 1,
		PublicKey: &secinfo.ChipAuthenticationPublicKeyInfo{Protocol: secinfo.OIDPKECDH,
			PublicKey: secinfo.SubjectPublicKeyInfo{
				Algorithm: secinfo.AlgorithmIdentifier{Algorithm: secinfo.OIDECPublicKey, Parameters: params},
				PublicKey: chipKey.PublicKey.Bytes()}}}

	k := bytes.Repeat([]byte{2}, 16) // session keys of BAC, fixed for the example
	bac, _ := sm.NewSession(sm.TDES, k, k, nil)
	chipSide, _ := sm.NewSession(sm.TDES, k, k, nil)
	c := &card{chip: chip, sess: chipSide}

	res, _ := eac.ChipAuthenticate(ctx, sm.NewTransmitter(c, bac), ca, &eac.Config{Rand: rand})
	s, _ := res.NewSession()
	t := sm.NewTransmitter(c, s)
	if err := eac.Verify(ctx, t); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("DG3 before TA:", chip.Authorized(3))
	err := eac.TerminalAuthenticate(ctx, t, idPICC, res.CompressedTerminalKey(), &eac.Config{
		Chain:  []*cvc.Certificate{h.DV, h.IS}, // the terminal's credentials
		Signer: h.ISKey,
		Rand:   rand,
	})
	fmt.Println("TA:", err)
	fmt.Println("DG3:", chip.Authorized(3), "DG4:", chip.Authorized(4))
	// Output:
	// DG3 before TA: false
	// TA: <nil>
	// DG3: true DG4: false
}
