package pace

import (
	"io"

	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// mapping is one way of mapping the nonce s to the ephemeral generator
// (ICAO Doc 9303-11 §4.4.3.3): step 2 of the protocol on either side, what
// it adds to the last step, and whether it authenticates the chip. Each is
// a stateless value in a file of its own (gm.go, im.go, cam.go) with its
// row in mappings; see "Adding a PACE mapping" in the package
// documentation. It works on the protocol's domain (see domain), which
// stays as it is; the mapped domain is a new one.
//
// Errors are *Error values naming the step; on the chip side they carry the
// status word to answer.
type mapping interface {
	// terminalStart begins step 2 on the terminal: what it sends in '81'
	// (pub) and what it keeps for terminalMap (priv, nil when nothing).
	terminalStart(p *protocol, rand io.Reader) (keyPair, error)
	// terminalMap ends step 2 on the terminal with the objects of the
	// chip's answer: the mapped domain and the chip's mapping public key
	// (for Result.ChipMappingKey; nil when the mapping has none).
	terminalMap(p *protocol, s []byte, sent keyPair, chip authData) (mapped domain, chipMapKey []byte, err error)
	// chipMap is step 2 on the chip, given the terminal's '81': the
	// mapped domain, the chip's mapping key pair (the zero keyPair when it
	// has none) and the contents of its '82'.
	chipMap(p *protocol, s, terminal []byte, rand io.Reader) (mapped domain, mapKey keyPair, reply []byte, err error)

	// checkChip checks that the chip side has what the mapping needs
	// (NewChip), such as CAM's static key.
	checkChip(p *protocol, cfg *ChipConfig) error
	// chipFinish returns the data objects the chip adds to its answer of
	// the last step after '86' (and '87', '88'): CAM's '8A'. It may fill
	// in res.
	chipFinish(cfg *ChipConfig, mapKey keyPair, res *Result) ([]byte, error)
	// terminalFinish reads what the chip added to its answer of the last
	// step into res.
	terminalFinish(chip authData, res *Result) error

	// authenticatesChip reports whether the mapping also authenticates
	// the chip, as CAM does; verifyChip then checks a Result against the
	// chip's static public key (VerifyCAM).
	authenticatesChip() bool
	verifyChip(r *Result, chipStaticPublicKey []byte) error
}

// mappings is the table of PACE mappings, by the secinfo.Mapping that
// protocol identifiers name (crypto/secinfo's table of mappings gives
// their identifiers). resolve gives each protocol its mapping from here;
// Open, Chip and VerifyCAM run it, and AuthenticatesChip answers reader
// and chip/sim from it.
var mappings = []struct {
	id secinfo.Mapping
	m  mapping
}{
	{secinfo.GenericMapping, genericMapping{}},
	{secinfo.IntegratedMapping, integratedMapping{}},
	{secinfo.ChipAuthenticationMapping, chipAuthenticationMapping{}},
}

// mappingOf returns the mapping of id, or nil when this package has none.
func mappingOf(id secinfo.Mapping) mapping {
	for _, e := range mappings {
		if e.id == id {
			return e.m
		}
	}
	return nil
}

// AuthenticatesChip reports whether PACE with mapping m also authenticates
// the chip, as the Chip Authentication Mapping does: the Result then holds
// chip authentication data, which VerifyCAM checks against the Chip
// Authentication public key of the chip's EF.CardSecurity (which the
// issuer signs for such a chip), and Chip Authentication need not run.
func AuthenticatesChip(m secinfo.Mapping) bool {
	mp := mappingOf(m)
	return mp != nil && mp.authenticatesChip()
}

// noFinish is the part of a mapping that adds nothing to the last step and
// does not authenticate the chip.
type noFinish struct{}

func (noFinish) checkChip(*protocol, *ChipConfig) error                   { return nil }
func (noFinish) chipFinish(*ChipConfig, keyPair, *Result) ([]byte, error) { return nil, nil }
func (noFinish) terminalFinish(authData, *Result) error                   { return nil }
func (noFinish) authenticatesChip() bool                                  { return false }
func (noFinish) verifyChip(*Result, []byte) error {
	return newErr("verify CAM", 0, ErrUnsupported)
}
