package main

import (
	"fmt"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/reader"
)

// keyOf returns the key that opens a chip: from --mrz "DOC,YYMMDD,YYMMDD",
// from --can, or, for a simulated card with neither, from the card's own
// DG1 (the way a kiosk's document scanner reads the printed MRZ).
func keyOf(files map[chip.File][]byte, mrzFlag, canFlag string) (reader.Key, error) {
	switch {
	case mrzFlag != "" && canFlag != "":
		return reader.Key{}, fmt.Errorf("%w: give --mrz or --can, not both", errUsage)
	case canFlag != "":
		// The CAN is a secret: the message never repeats it.
		if _, err := pace.CANPassword(canFlag); err != nil {
			return reader.Key{}, fmt.Errorf("%w: --can: want the digits of the card access number printed on the card (6 on a CCCD)", errUsage)
		}
		return reader.CANKey(canFlag), nil
	case mrzFlag != "":
		k, err := reader.ParseMRZKey(mrzFlag)
		if err != nil {
			return reader.Key{}, fmt.Errorf("%w: --mrz: %v", errUsage, err)
		}
		return k, nil
	}
	if files == nil || files[chip.EFDG1] == nil {
		return reader.Key{}, fmt.Errorf("%w: give --mrz or --can", errUsage)
	}
	return reader.KeyFromDG1(files[chip.EFDG1])
}
