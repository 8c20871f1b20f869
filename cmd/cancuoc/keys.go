package main

import (
	"fmt"
	"strings"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
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
		return reader.CANKey(canFlag), nil
	case mrzFlag != "":
		parts := strings.Split(mrzFlag, ",")
		if len(parts) != 3 {
			return reader.Key{}, fmt.Errorf("%w: --mrz wants DOCUMENT_NUMBER,YYMMDD,YYMMDD (birth, expiry)", errUsage)
		}
		info, err := mrz.NewInfo(strings.TrimSpace(parts[0]), mrz.Date(strings.TrimSpace(parts[1])), mrz.Date(strings.TrimSpace(parts[2])))
		if err != nil {
			return reader.Key{}, fmt.Errorf("%w: --mrz: %v", errUsage, err)
		}
		return reader.MRZKey(info), nil
	}
	if files == nil || files[chip.EFDG1] == nil {
		return reader.Key{}, fmt.Errorf("%w: give --mrz or --can", errUsage)
	}
	dg1, err := chip.ParseDG1(files[chip.EFDG1])
	if err != nil {
		return reader.Key{}, err
	}
	return reader.MRZKey(dg1.MRZ.Info()), nil
}
