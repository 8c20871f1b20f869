package conform_test

import (
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/mrz"
	"github.com/cancuoc/cancuoc/chip/sim"
)

// readerKey is the MRZ information a reader opens img's chip with.
func readerKey(img *sim.Image) (mrz.Info, error) {
	d, err := chip.ParseDG1(img.Files[chip.EFDG1])
	if err != nil {
		return mrz.Info{}, err
	}
	return d.MRZ.Info(), nil
}
