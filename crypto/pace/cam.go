package pace

import (
	"math/big"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// chipAuthenticationMapping is the Chip Authentication Mapping (ICAO Doc
// 9303-11 §4.4.3.5): the Generic Mapping, after which the chip also sends
// A_IC = E(K_Enc, SK_IC^-1·SK_Map,IC) ('8A' in the last step), which
// VerifyCAM checks against the chip's static key: it authenticates the
// chip. The chip needs its static Chip Authentication key on the curve.
type chipAuthenticationMapping struct{ genericMapping }

func (chipAuthenticationMapping) checkChip(p *protocol, config *ChipConfig) error {
	ecd, ok := p.dom.(*ecDomain)
	if config.CAKey == nil || !ok || !config.CAKey.Curve().Equal(ecd.c) {
		return newErr("chip", 0, ErrUnsupported)
	}
	return nil
}

// chipFinish computes CA_IC = SK_IC^-1 * SK_Map,IC mod n (§4.4.3.5.1) into
// res.CAData and returns '8A' A_IC = E(K_Enc, CA_IC).
func (chipAuthenticationMapping) chipFinish(config *ChipConfig, mapKey keyPair, res *Result) ([]byte, error) {
	const op = "mutual authentication"
	n := config.CAKey.Curve().N()
	skMap, ok := mapKey.priv.(*big.Int)
	if !ok {
		return nil, newErr(op, apdu.SWNoPreciseDiagnosis, ErrUnsupported)
	}
	inv := new(big.Int).SetBytes(config.CAKey.Bytes())
	inv.ModInverse(inv, n)
	ca := inv.Mul(inv, skMap)
	ca.Mod(ca, n)
	caBytes := ca.FillBytes(make([]byte, config.CAKey.Curve().OrderByteLen()))
	res.CAData = append([]byte(nil), caBytes...)
	enc, err := encryptCAData(res.kEnc, caBytes)
	if err != nil {
		return nil, newErr(op, apdu.SWNoPreciseDiagnosis, err)
	}
	return do(0x8A, enc), nil
}

// terminalFinish decrypts '8A' into res.CAData.
func (chipAuthenticationMapping) terminalFinish(a authData, res *Result) error {
	const op = "mutual authentication"
	enc, ok := a.get(0x8A)
	if !ok {
		return newErr(op, 0, ErrMalformed)
	}
	ca, err := decryptCAData(res.kEnc, enc)
	if err != nil {
		return newErr(op, 0, ErrMalformed)
	}
	res.CAData = ca
	return nil
}

func (chipAuthenticationMapping) authenticatesChip() bool { return true }

func (chipAuthenticationMapping) verifyChip(r *Result, chipStaticPublicKey []byte) error {
	return verifyCAM(r, chipStaticPublicKey)
}

// aesFor is the AES cipher of a key's length (CAM exists with AES only).
func aesFor(k []byte) sm.Cipher {
	switch len(k) {
	case 24:
		return sm.AES192
	case 32:
		return sm.AES256
	}
	return sm.AES128
}

// camIV is the IV of the chip authentication data: E(K_Enc, -1), the
// encryption of the all-ones block (ICAO Doc 9303-11 §4.4.3.5.4).
func camIV(kEnc []byte) ([]byte, error) {
	b, err := sm.NewBlock(aesFor(kEnc), kEnc)
	if err != nil {
		return nil, err
	}
	iv := make([]byte, 16)
	for i := range iv {
		iv[i] = 0xFF
	}
	b.Encrypt(iv, iv)
	return iv, nil
}

// encryptCAData is A_IC = E(K_Enc, CA_IC): AES-CBC with IV E(K_Enc, -1)
// over CA_IC padded by ISO/IEC 9797-1 method 2.
func encryptCAData(kEnc, ca []byte) ([]byte, error) {
	iv, err := camIV(kEnc)
	if err != nil {
		return nil, err
	}
	return sm.Encrypt(aesFor(kEnc), kEnc, iv, sm.Pad(nil, ca, 16))
}

// decryptCAData recovers CA_IC from A_IC.
func decryptCAData(kEnc, enc []byte) ([]byte, error) {
	if len(enc) == 0 || len(enc) > 128 {
		return nil, ErrMalformed
	}
	iv, err := camIV(kEnc)
	if err != nil {
		return nil, err
	}
	pt, err := sm.Decrypt(aesFor(kEnc), kEnc, iv, enc)
	if err != nil {
		return nil, ErrMalformed
	}
	ca, err := sm.Unpad(pt, 16)
	if err != nil {
		return nil, ErrMalformed
	}
	return append([]byte(nil), ca...), nil
}

// VerifyCAM checks the chip authentication data of a PACE-CAM result
// against the chip's static Chip Authentication public key (from
// EF.CardSecurity, given as an encoded point on the PACE curve): it
// verifies PK_Map,IC = CA_IC * PK_IC (ICAO Doc 9303-11 §4.4.3.5.2).
//
// The chip is authentic only once EF.CardSecurity itself has been verified
// (passive authentication) and the key taken from it.
//
// It answers ErrUnsupported for a Result of a mapping that does not
// authenticate the chip (see AuthenticatesChip).
func VerifyCAM(r *Result, chipStaticPublicKey []byte) error {
	if r == nil {
		return newErr("verify CAM", 0, ErrUnsupported)
	}
	m := mappingOf(r.PACE.Mapping)
	if m == nil {
		return newErr("verify CAM", 0, ErrUnsupported)
	}
	return m.verifyChip(r, chipStaticPublicKey)
}

// verifyCAM is VerifyCAM for the Chip Authentication Mapping.
func verifyCAM(r *Result, chipStaticPublicKey []byte) error {
	const op = "verify CAM"
	if len(r.CAData) == 0 {
		return newErr(op, 0, ErrUnsupported)
	}
	curve, err := ec.Standardized(r.ParameterID)
	if err != nil {
		return newErr(op, 0, ErrUnsupported)
	}
	pk, err := ec.NewPublicKey(curve, chipStaticPublicKey)
	if err != nil {
		return newErr(op, 0, ErrInvalidKey)
	}
	mapKey, err := curve.DecodePoint(r.ChipMappingKey)
	if err != nil {
		return newErr(op, 0, ErrInvalidKey)
	}
	ca := new(big.Int).SetBytes(r.CAData)
	if len(r.CAData) != curve.OrderByteLen() || ca.Sign() <= 0 || ca.Cmp(curve.N()) >= 0 {
		return newErr(op, 0, ErrCAM)
	}
	if !pk.Point().ScalarMult(ca).Equal(mapKey) {
		return newErr(op, 0, ErrCAM)
	}
	return nil
}
