package eac

import (
	"context"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// CAResult is what Chip Authentication gives the terminal: the protocol
// that ran, the public keys exchanged and the new secure messaging keys.
//
// Chip Authentication version 1 is implicit: nothing in the exchange shows
// that the chip knows its private key. The chip is authenticated once a
// response protected with the new keys verifies; see Verify.
//
// The session keys are unexported: NewSession starts secure messaging with
// them, Keys returns copies. String and GoString never print them.
type CAResult struct {
	// Protocol is the Chip Authentication protocol identifier and CA its
	// description.
	Protocol asn1.ObjectIdentifier
	CA       secinfo.CAProtocol
	// KeyID is the key identifier sent to the chip, when HasKeyID.
	KeyID    int64
	HasKeyID bool
	// Cipher is the secure messaging cipher of the new session.
	Cipher sm.Cipher
	// ChipKey is the chip's static public key from DG14 (an uncompressed
	// point, or the DH public value as an unsigned integer).
	ChipKey []byte
	// TerminalKey is the terminal's ephemeral public key PK_DH,IFD as sent.
	TerminalKey []byte

	dom        domain
	kEnc, kMAC []byte
}

// Keys returns copies of the session keys K_Enc and K_MAC. They are
// secrets: keep them out of logs.
func (r *CAResult) Keys() (kEnc, kMAC []byte) {
	return append([]byte(nil), r.kEnc...), append([]byte(nil), r.kMAC...)
}

// NewSession starts secure messaging with the Chip Authentication keys and
// a send sequence counter of zero (ICAO Doc 9303-11 §9.8.6.3, §9.8.7.3).
// The terminal switches to it for the command after the last Chip
// Authentication command.
func (r *CAResult) NewSession() (*sm.Session, error) {
	return sm.NewSession(r.Cipher, r.kEnc, r.kMAC, nil)
}

// CompressedTerminalKey is Comp(PK_DH,IFD), the compressed ephemeral key
// that Terminal Authentication signs (BSI TR-03110-3 A.2.2.3): its
// x-coordinate for ECDH, the SHA-1 hash of the public value for DH.
func (r *CAResult) CompressedTerminalKey() []byte { return r.dom.compress(r.TerminalKey) }

// String names the protocol; keys are never printed.
func (r CAResult) String() string {
	return fmt.Sprintf("eac.CAResult(%s, key id %s, keys redacted)", secinfo.OIDName(r.Protocol), keyIDString(r.KeyID, r.HasKeyID))
}

// GoString is String.
func (r CAResult) GoString() string { return r.String() }

func keyIDString(id int64, ok bool) string {
	if !ok {
		return "none"
	}
	return fmt.Sprint(id)
}

// cipherOf maps a CA protocol to the secure messaging cipher.
func cipherOf(p secinfo.CAProtocol) (sm.Cipher, bool) {
	switch p.Cipher {
	case secinfo.TripleDES:
		return sm.TDES, true
	case secinfo.AES:
		switch p.KeyLength {
		case 16:
			return sm.AES128, true
		case 24:
			return sm.AES192, true
		case 32:
			return sm.AES256, true
		}
	}
	return 0, false
}

// ChipAuthenticate runs Chip Authentication version 1 (ICAO Doc 9303-11
// §6.2, BSI TR-03110-1/-3) as the terminal, with the protocol and static
// public key announced in DG14 (secinfo.SecurityInfos.ChipAuthentication
// pairs them). t must be the transmitter of the current secure messaging
// session (BAC or PACE): the Chip Authentication commands travel under it.
//
// The terminal generates an ephemeral key pair on the domain parameters of
// the chip's key (config.Rand supplies it; config may be nil for all defaults) and sends the public key: with 3DES in
// MSE:Set KAT ('91' the key, '84' the key identifier), with AES in MSE:Set
// AT ('80' the protocol, '84' the key identifier) and GENERAL AUTHENTICATE
// ('7C' { '80' the key }). Both sides then derive new keys from the shared
// secret.
//
// On success the caller switches to CAResult.NewSession at once and
// checks, with Verify or with its next command, that the first protected
// response verifies: only then is the chip authenticated. The verified
// DG14 (passive authentication) must be where ca came from.
func ChipAuthenticate(ctx context.Context, t apdu.Transmitter, ca secinfo.ChipAuthentication, config *Config) (*CAResult, error) {
	const op = "chip authentication"
	if ca.PublicKey == nil {
		return nil, newErr(op, 0, ErrUnsupported)
	}
	if ca.Version != 1 {
		return nil, newErr(op, 0, ErrUnsupported)
	}
	c, ok := cipherOf(ca.CA)
	if !ok {
		return nil, newErr(op, 0, ErrUnsupported)
	}
	dom, chipKey, err := staticKey(ca.PublicKey.PublicKey)
	if err != nil {
		return nil, newErr("static public key", 0, err)
	}
	if (dom.curve != nil) != (ca.CA.KeyAgreement == secinfo.ECDH) {
		return nil, newErr("static public key", 0, ErrUnsupported)
	}
	keyID := -1
	if ca.HasKeyID {
		if ca.KeyID < 0 || ca.KeyID > 1<<31-1 {
			return nil, newErr(op, 0, ErrUnsupported)
		}
		keyID = int(ca.KeyID)
	}
	eph, err := dom.generate(config.rand())
	if err != nil {
		return nil, newErr("ephemeral key", 0, err)
	}
	secret, err := agree(eph.ec, eph.dh, chipKey)
	if err != nil {
		return nil, newErr("key agreement", 0, err)
	}
	defer clear(secret)

	if c == sm.TDES {
		cmd, err := apdu.MSESetCAKAT(eph.pub, keyID)
		if err != nil {
			return nil, newErr("MSE:Set KAT", 0, ErrMalformed)
		}
		if err := send(ctx, t, "MSE:Set KAT", cmd); err != nil {
			return nil, err
		}
	} else {
		oid, ok := oidContents(ca.Protocol)
		if !ok {
			return nil, newErr(op, 0, ErrUnsupported)
		}
		cmd, err := apdu.MSESetCA(oid, keyID)
		if err != nil {
			return nil, newErr("MSE:Set AT", 0, ErrMalformed)
		}
		if err := send(ctx, t, "MSE:Set AT", cmd); err != nil {
			return nil, err
		}
		ga := apdu.GeneralAuthenticate(tlv.AppendTLV(nil, 0x80, eph.pub), true)
		data, err := transmit(ctx, t, "GENERAL AUTHENTICATE", ga)
		if err != nil {
			return nil, err
		}
		// The response is '7C' with no contents (ICAO Doc 9303-11
		// §6.2.4.2); anything inside is ignored.
		if _, err := apdu.ParseDynamicAuthData(data); err != nil {
			return nil, newErr("GENERAL AUTHENTICATE", 0, ErrMalformed)
		}
	}
	kEnc, kMAC := sm.DeriveSessionKeys(c, secret)
	return &CAResult{
		Protocol:    append(asn1.ObjectIdentifier(nil), ca.Protocol...),
		CA:          ca.CA,
		KeyID:       ca.KeyID,
		HasKeyID:    ca.HasKeyID,
		Cipher:      c,
		ChipKey:     chipKey.enc,
		TerminalKey: eph.pub,
		dom:         dom,
		kEnc:        kEnc,
		kMAC:        kMAC,
	}, nil
}

// send transmits cmd and requires 9000.
func send(ctx context.Context, t apdu.Transmitter, op string, cmd apdu.Command) error {
	_, err := transmit(ctx, t, op, cmd)
	return err
}

// transmit sends cmd and returns the data of a 9000 response. A refusal is
// an *Error with the status word; a transport or secure messaging failure
// is returned wrapped as it is.
func transmit(ctx context.Context, t apdu.Transmitter, op string, cmd apdu.Command) ([]byte, error) {
	resp, err := t.Transmit(ctx, cmd)
	if err != nil {
		return nil, fmt.Errorf("eac: %s: %w", op, err)
	}
	if resp.SW != apdu.SWSuccess {
		e := ErrChip
		switch {
		case resp.SW == swVerificationFailed && cmd.INS == apdu.INSPerformSecurityOp:
			e = ErrCertificate
		case resp.SW == swVerificationFailed:
			e = ErrAuthentication
		}
		return nil, newErr(op, resp.SW, e)
	}
	return resp.Data, nil
}

// verifyProbe is the command Verify sends: SELECT EF.COM
// (00 A4 02 0C 02 011E), which changes nothing the terminal relies on and
// which every LDS application answers.
var verifyProbe = apdu.SelectEF(0x011E)

// Verify completes Chip Authentication version 1: it sends SELECT EF.COM
// (00 A4 02 0C 02 011E, which changes nothing the terminal relies on and
// which every LDS application answers) through t, the transmitter of the
// new session (sm.NewTransmitter with CAResult.NewSession), and checks
// that the protected response verifies. Only a chip that holds the private
// key of the DG14 public key can protect it, so a failure (a wrong MAC) is
// ErrCloneSuspected. Any status word inside a verified response (even
// 6A82) proves the keys.
//
// Callers that read a file next may skip Verify and treat a secure
// messaging failure of that read as ErrCloneSuspected with CheckResponse.
func Verify(ctx context.Context, t apdu.Transmitter) error {
	_, err := t.Transmit(ctx, verifyProbe)
	return CheckResponse(err)
}

// CheckResponse classifies the error of the first exchange under the Chip
// Authentication session. Only cryptographic evidence counts: a response
// that came back whole whose MAC does not verify under the new keys
// (sm.ErrMAC) becomes an *Error wrapping ErrCloneSuspected, with the secure
// messaging error as its Cause. Everything else is returned unchanged: a
// transport error (a card gone from the field), a status word in plain, a
// response without DO '99' or '8E' says nothing about the key. That
// includes a plain 6987/6988 (sm.ErrCardSM): a clone without the private
// key answers so, but so does a genuine chip whose command was spoiled on
// the way in, and anyone on the link can forge two status bytes. Such a
// chip is never proven, so never verified; it is not called a clone
// either. nil stays nil.
//
// One such failure may still be a transmission error the link did not
// catch, or a session a weak field killed: a reader that can should run
// Chip Authentication again and call the chip a clone only when the first
// exchange fails so again (package reader does).
func CheckResponse(err error) error {
	if err != nil && errors.Is(err, sm.ErrMAC) {
		return &Error{Op: "verify chip authentication", Err: ErrCloneSuspected, Cause: err}
	}
	return err
}
