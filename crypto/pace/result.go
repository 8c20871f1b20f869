package pace

import (
	"encoding/asn1"
	"fmt"

	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// Result is what a completed PACE gives either side: the secure messaging
// keys and the public values that later protocols need.
//
// The session keys are unexported: NewSession starts secure messaging with
// them, Keys returns copies. String and GoString never print them.
type Result struct {
	// Protocol is the PACE protocol identifier and PACE its description.
	Protocol asn1.ObjectIdentifier
	PACE     secinfo.PACEProtocol
	// ParameterID is the standardized domain parameter identifier.
	ParameterID int
	// Password is the password that was used.
	Password PasswordRef
	// Cipher is the secure messaging cipher.
	Cipher sm.Cipher
	// ChipKey is the chip's ephemeral public key PK_DH,IC as exchanged
	// (an uncompressed point, or the public value y as unsigned integer).
	// Terminal Authentication signs its compressed form: see IDPICC.
	ChipKey []byte
	// TerminalKey is the terminal's ephemeral public key PK_DH,IFD.
	TerminalKey []byte
	// ChipMappingKey is the chip's mapping public key PK_Map,IC of the
	// Generic and Chip Authentication Mappings (nil for Integrated).
	ChipMappingKey []byte
	// CAData is the decrypted chip authentication data CA_IC of PACE-CAM
	// (nil otherwise), to be checked with VerifyCAM against the chip's
	// static public key from EF.CardSecurity.
	CAData []byte
	// CARs are the certification authority references ('87', '88') the
	// chip returned for Terminal Authentication, if any.
	CARs [][]byte

	kEnc, kMAC []byte
}

// Keys returns copies of the session keys K_Enc and K_MAC. They are
// secrets: keep them out of logs.
func (r *Result) Keys() (kEnc, kMAC []byte) {
	return append([]byte(nil), r.kEnc...), append([]byte(nil), r.kMAC...)
}

// NewSession starts secure messaging with the session keys and a send
// sequence counter of zero, as PACE requires (ICAO Doc 9303-11 §9.8.6.3,
// §9.8.7.3). Each call starts a new session.
func (r *Result) NewSession() (*sm.Session, error) {
	return sm.NewSession(r.Cipher, r.kEnc, r.kMAC, make([]byte, r.Cipher.BlockSize()))
}

// IDPICC is ID_PICC, the compressed representation of the chip's ephemeral
// public key that Terminal Authentication signs and Chip Authentication
// checks (BSI TR-03110-3 A.2.2.3): the x-coordinate for ECDH, the SHA-1 hash
// of the public value for DH.
func (r *Result) IDPICC() []byte {
	p, err := resolve(secinfo.PACEInfo{Protocol: r.Protocol, ParameterID: r.ParameterID, HasParameterID: true})
	if err != nil {
		return nil
	}
	return p.dom.compressed(r.ChipKey)
}

// String names the protocol and password; keys are never printed.
func (r Result) String() string {
	return fmt.Sprintf("pace.Result(%s, parameters %d, %s, keys redacted)",
		secinfo.OIDName(r.Protocol), r.ParameterID, r.Password)
}

// GoString is String.
func (r Result) GoString() string { return r.String() }
