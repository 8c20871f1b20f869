package pace_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// A Vietnamese CCCD offers PACE with ECDH, the Generic Mapping and AES-128
// on brainpoolP256r1, with the MRZ or the CAN as password. Here the chip
// side runs in process; a reader passes a PC/SC card's Transmitter instead.
func Example() {
	info := secinfo.PACEInfo{
		Protocol:       secinfo.OIDPACEECDHGMAES128,
		Version:        2,
		ParameterID:    13, // brainpoolP256r1
		HasParameterID: true,
	}
	// The MRZ information: document number, date of birth, date of expiry,
	// each with its check digit (chip/mrz.Info.Bytes builds it).
	mrzPw, _ := pace.MRZPassword([]byte("T22000129364081251010318"))
	canPw, _ := pace.CANPassword("123456")

	// The chip side: its protocols and passwords; nil: default ChipConfig.
	chip, _ := pace.NewChip([]secinfo.PACEInfo{info}, []pace.Password{mrzPw, canPw}, nil)
	card := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		return chip.Handle(cmd), nil
	})

	res, err := pace.Open(context.Background(), card, canPw, info, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	sess, _ := res.NewSession()
	fmt.Println(res.Password, res.Cipher, len(res.IDPICC()), sess != nil, chip.Session() != nil)
	fmt.Println(canPw)

	// The wrong CAN: the chip refuses the terminal's token.
	wrong, _ := pace.CANPassword("000000")
	_, err = pace.Open(context.Background(), card, wrong, info, nil)
	fmt.Println(errors.Is(err, pace.ErrAuthentication), errors.Is(err, apdu.ErrVerificationFailed))
	fmt.Println(err)
	// Output:
	// CAN AES-128 32 true true
	// pace.Password(CAN, redacted)
	// true true
	// pace: mutual authentication: status 6300 (warning: verification failed): authentication failed (wrong password?)
}

// Every protocol package takes its options the same way, as crypto/tls
// does: the protocol's inputs (keys, passwords, protocol infos) are
// arguments, and tunables, credentials and randomness come in one config
// struct passed by pointer last, Config on the terminal side and
// ChipConfig on the chip side; nil means all defaults (Rand nil is
// crypto/rand.Reader).
func Example_config() {
	info := secinfo.PACEInfo{Protocol: secinfo.OIDPACEECDHGMAES128, Version: 2, ParameterID: 13, HasParameterID: true}
	can, _ := pace.CANPassword("123456")

	// The chip side: protocols and passwords, then a *pace.ChipConfig.
	chip, err := pace.NewChip([]secinfo.PACEInfo{info}, []pace.Password{can}, &pace.ChipConfig{
		CARs: [][]byte{[]byte("VNCVCA00001")}, // its Terminal Authentication trust anchor
	})
	if err != nil {
		panic(err)
	}
	card := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		return chip.Handle(cmd), nil
	})

	// The terminal side: password and protocol, then a *pace.Config.
	chat, _ := cvc.NewISCHAT(cvc.RoleTerminal, cvc.ReadDG3|cvc.ReadDG4).Marshal()
	res, err := pace.Open(context.Background(), card, can, info, &pace.Config{CHAT: chat})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Password, string(res.CARs[0]))
	// Output:
	// CAN VNCVCA00001
}
