package main

import (
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/reader"
)

// keyOf is reader.KeyFromFlags on --mrz and --can (with neither, a
// simulated card's own DG1 from files), its flag errors bad usage (exit 2).
func keyOf(files map[chip.File][]byte, mrzFlag, canFlag string) (reader.Key, error) {
	k, err := reader.KeyFromFlags(mrzFlag, canFlag, files[chip.EFDG1])
	if _, ok := errors.AsType[*reader.KeyFlagsError](err); ok {
		err = fmt.Errorf("%w: %w", errUsage, err)
	}
	return k, err
}
