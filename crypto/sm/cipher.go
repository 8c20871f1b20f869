package sm

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Cipher is the block cipher of a secure messaging session, which fixes
// the key sizes, the MAC (retail MAC for 3DES, CMAC for AES) and the hash
// of the key derivation function.
type Cipher uint8

// The ciphers of ICAO Doc 9303-11 §9.8: two-key 3DES with the retail MAC
// (BAC, PACE and Chip Authentication with 3DES) and AES with CMAC.
const (
	TDES Cipher = iota + 1
	AES128
	AES192
	AES256
)

// Counters of the key derivation function, ICAO Doc 9303-11 §9.7.1.
const (
	CounterEnc uint32 = 1 // K_Enc, the encryption key
	CounterMAC uint32 = 2 // K_MAC, the MAC key
	CounterPi  uint32 = 3 // K_π, PACE's key derived from the password
)

func (c Cipher) String() string {
	switch c {
	case TDES:
		return "3DES"
	case AES128:
		return "AES-128"
	case AES192:
		return "AES-192"
	case AES256:
		return "AES-256"
	}
	return fmt.Sprintf("Cipher(%d)", uint8(c))
}

// Valid reports whether c is one of the four ciphers.
func (c Cipher) Valid() bool { return c >= TDES && c <= AES256 }

// KeySize is the length of the keys: 16 (two-key 3DES and AES-128), 24 or
// 32.
func (c Cipher) KeySize() int {
	switch c {
	case TDES, AES128:
		return 16
	case AES192:
		return 24
	case AES256:
		return 32
	}
	return 0
}

// BlockSize is 8 for 3DES and 16 for AES; it is also the length of the
// send sequence counter.
func (c Cipher) BlockSize() int {
	if c == TDES {
		return 8
	}
	if c.Valid() {
		return 16
	}
	return 0
}

// DeriveKey is the key derivation function of ICAO Doc 9303-11 §9.7.1:
// the hash of secret || counter (a 32-bit big-endian integer), with SHA-1
// for 3DES and AES-128 and SHA-256 for AES-192 and AES-256, cut to the key
// size. A 3DES key (K_a || K_b, two-key 3DES) has its DES parity bits
// adjusted, as the specification's examples print it. secret is the BAC
// key seed, the PACE or Chip Authentication shared secret, or the password
// for K_π. It returns nil for an invalid cipher.
func DeriveKey(c Cipher, secret []byte, counter uint32) []byte {
	var ctr [4]byte
	binary.BigEndian.PutUint32(ctr[:], counter)
	var sum []byte
	switch c {
	case TDES, AES128:
		h := sha1.New()
		h.Write(secret)
		h.Write(ctr[:])
		sum = h.Sum(nil)
	case AES192, AES256:
		h := sha256.New()
		h.Write(secret)
		h.Write(ctr[:])
		sum = h.Sum(nil)
	default:
		return nil
	}
	key := sum[:c.KeySize():c.KeySize()]
	if c == TDES {
		AdjustParity(key)
	}
	return key
}

// DeriveSessionKeys derives K_Enc and K_MAC from a shared secret.
func DeriveSessionKeys(c Cipher, secret []byte) (kEnc, kMAC []byte) {
	return DeriveKey(c, secret, CounterEnc), DeriveKey(c, secret, CounterMAC)
}

// AdjustParity sets the low bit of each byte so that the byte has an odd
// number of one bits, the DES parity convention.
func AdjustParity(key []byte) {
	for i, b := range key {
		b &^= 1
		p := b ^ b>>4
		p ^= p >> 2
		p ^= p >> 1
		key[i] = b | (^p & 1)
	}
}

// NewBlock returns the block cipher for key: two-key 3DES (K1, K2, K1) for
// TDES, AES otherwise.
func NewBlock(c Cipher, key []byte) (cipher.Block, error) {
	if !c.Valid() {
		return nil, &Error{Op: "new cipher", Err: ErrCipher}
	}
	if len(key) != c.KeySize() {
		return nil, &Error{Op: "new cipher", Err: ErrKeySize}
	}
	if c == TDES {
		k := make([]byte, 24)
		copy(k, key)
		copy(k[16:], key[:8])
		return des.NewTripleDESCipher(k)
	}
	return aes.NewCipher(key)
}

// Encrypt encrypts data, whose length must be a multiple of the block
// size (pad it with Pad first), in CBC mode with the given IV (nil for the
// zero IV, as BAC, 3DES secure messaging and PACE nonces use).
func Encrypt(c Cipher, key, iv, data []byte) ([]byte, error) {
	return cbc(c, key, iv, data, true)
}

// Decrypt decrypts data in CBC mode with the given IV (nil for zero): the
// PACE nonce is Decrypt(c, K_π, nil, z). No padding is removed.
func Decrypt(c Cipher, key, iv, data []byte) ([]byte, error) {
	return cbc(c, key, iv, data, false)
}

func cbc(c Cipher, key, iv, data []byte, enc bool) ([]byte, error) {
	b, err := NewBlock(c, key)
	if err != nil {
		return nil, err
	}
	bs := b.BlockSize()
	if len(data)%bs != 0 {
		return nil, &Error{Op: "cbc", Err: ErrBlockSize}
	}
	if iv == nil {
		iv = make([]byte, bs)
	} else if len(iv) != bs {
		return nil, &Error{Op: "cbc", Err: ErrBlockSize}
	}
	out := make([]byte, len(data))
	if enc {
		cipher.NewCBCEncrypter(b, iv).CryptBlocks(out, data)
	} else {
		cipher.NewCBCDecrypter(b, iv).CryptBlocks(out, data)
	}
	return out, nil
}
