package pace

import (
	"math/big"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

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
func VerifyCAM(r *Result, chipStaticPublicKey []byte) error {
	const op = "verify CAM"
	if r == nil || r.PACE.Mapping != secinfo.ChipAuthenticationMapping || len(r.CAData) == 0 {
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
