package bac

import (
	"context"
	cryptorand "crypto/rand"
	"crypto/subtle"
	"errors"
	"io"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/sm"
)

// Sizes of the protocol (ICAO Doc 9303-11 §4.3.4).
const (
	NonceSize      = 8  // RND.IFD, RND.ICC
	KeyMaterialLen = 16 // K.IFD, K.ICC
	cryptogramLen  = 32 // E_IFD, E_ICC
	authDataLen    = cryptogramLen + sm.MACSize
)

// Config configures the terminal side of BAC beyond its key (the argument
// of Open). A nil *Config means all defaults.
type Config struct {
	// Rand gives RND.IFD (8 bytes) then K.IFD (16 bytes). Nil means
	// crypto/rand.Reader.
	Rand io.Reader
}

func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

// Open runs BAC as the terminal over t with the document's key k (NewKey
// from the MRZ information, or NewKeyFromParts) and returns the secure
// messaging session it establishes. config may be nil for all defaults.
//
// The steps: GET CHALLENGE gives RND.ICC; the terminal sends EXTERNAL
// AUTHENTICATE with E_IFD = 3DES-CBC(K_Enc, RND.IFD || RND.ICC || K.IFD)
// and M_IFD = MAC(K_MAC, E_IFD); the chip answers E_ICC || M_ICC over
// RND.ICC || RND.IFD || K.ICC. The MAC is verified in constant time before
// decryption, the random numbers are checked, and the session keys are
// derived from K.IFD xor K.ICC with SSC = RND.ICC[4:8] || RND.IFD[4:8].
func Open(ctx context.Context, t apdu.Transmitter, k *Key, config *Config) (*sm.Session, error) {
	if k == nil {
		return nil, &Error{Op: "key", Err: ErrKey}
	}
	rand := config.rand()
	r, err := t.Transmit(ctx, apdu.GetChallenge(NonceSize))
	if err != nil {
		return nil, err
	}
	if r.SW != apdu.SWSuccess {
		return nil, &Error{Op: "GET CHALLENGE", SW: r.SW, Err: ErrChallenge}
	}
	if len(r.Data) != NonceSize {
		return nil, &Error{Op: "GET CHALLENGE", Err: ErrChallenge}
	}
	var rndICC [NonceSize]byte
	copy(rndICC[:], r.Data)

	// S = RND.IFD || RND.ICC || K.IFD
	var s [cryptogramLen]byte
	defer clear(s[:])
	if _, err := io.ReadFull(rand, s[0:8]); err != nil {
		return nil, &Error{Op: "random", Err: errors.Join(ErrRandom, err)}
	}
	if _, err := io.ReadFull(rand, s[16:32]); err != nil {
		return nil, &Error{Op: "random", Err: errors.Join(ErrRandom, err)}
	}
	copy(s[8:16], rndICC[:])
	kEnc, kMAC := k.Enc(), k.MAC()
	defer clear(kEnc)
	defer clear(kMAC)
	auth, err := seal(kEnc, kMAC, s[:])
	if err != nil {
		return nil, err
	}
	r, err = t.Transmit(ctx, apdu.ExternalAuthenticate(auth, authDataLen))
	if err != nil {
		return nil, err
	}
	if r.SW != apdu.SWSuccess {
		return nil, &Error{Op: "EXTERNAL AUTHENTICATE", SW: r.SW, Err: ErrAccessDenied}
	}
	if len(r.Data) != authDataLen {
		return nil, &Error{Op: "EXTERNAL AUTHENTICATE", Err: ErrResponse}
	}
	// R = RND.ICC || RND.IFD || K.ICC
	rr, err := open(kEnc, kMAC, r.Data, "EXTERNAL AUTHENTICATE response")
	if err != nil {
		return nil, err
	}
	defer clear(rr)
	if subtle.ConstantTimeCompare(rr[0:8], rndICC[:]) != 1 || subtle.ConstantTimeCompare(rr[8:16], s[0:8]) != 1 {
		return nil, &Error{Op: "EXTERNAL AUTHENTICATE response", Err: ErrNonce}
	}
	return session(s[16:32], rr[16:32], rndICC[:], s[0:8])
}

// seal returns E || M: the 32 bytes of s encrypted with 3DES-CBC (zero
// IV) and the retail MAC of the padded cryptogram.
func seal(kEnc, kMAC, s []byte) ([]byte, error) {
	e, err := sm.Encrypt(sm.TDES, kEnc, nil, s)
	if err != nil {
		return nil, err
	}
	m, err := sm.MAC(sm.TDES, kMAC, sm.Pad(nil, e, 8))
	if err != nil {
		return nil, err
	}
	return append(e, m...), nil
}

// open verifies the MAC of E || M in constant time, then decrypts E.
func open(kEnc, kMAC, em []byte, op string) ([]byte, error) {
	e, m := em[:cryptogramLen], em[cryptogramLen:]
	want, err := sm.MAC(sm.TDES, kMAC, sm.Pad(nil, e, 8))
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare(want, m) != 1 {
		return nil, &Error{Op: op, Err: ErrMAC}
	}
	return sm.Decrypt(sm.TDES, kEnc, nil, e)
}

// session derives the session keys from K.IFD xor K.ICC and starts the
// session with SSC = RND.ICC[4:8] || RND.IFD[4:8].
func session(kIFD, kICC, rndICC, rndIFD []byte) (*sm.Session, error) {
	var seed [16]byte
	defer clear(seed[:])
	subtle.XORBytes(seed[:], kIFD, kICC)
	enc, mac := sm.DeriveSessionKeys(sm.TDES, seed[:])
	defer clear(enc)
	defer clear(mac)
	ssc := make([]byte, 0, 8)
	ssc = append(ssc, rndICC[4:8]...)
	ssc = append(ssc, rndIFD[4:8]...)
	return sm.NewSession(sm.TDES, enc, mac, ssc)
}
