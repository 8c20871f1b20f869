package sm

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/subtle"
)

// MACSize is the length of the cryptographic checksums of secure
// messaging and of PACE and Chip Authentication tokens: 8 bytes (the
// whole retail MAC, the first half of a CMAC).
const MACSize = 8

// Pad appends data padded by ISO/IEC 9797-1 padding method 2 (a byte 80,
// then 00 bytes up to a multiple of blockSize) to dst. Data that is
// already a multiple of the block size gets a whole block of padding.
func Pad(dst, data []byte, blockSize int) []byte {
	dst = append(dst, data...)
	return padTo(dst, len(data), blockSize)
}

// padTo pads dst, of which the last n bytes are the data to pad.
func padTo(dst []byte, n, blockSize int) []byte {
	dst = append(dst, 0x80)
	for n++; n%blockSize != 0; n++ {
		dst = append(dst, 0)
	}
	return dst
}

// Unpad removes ISO/IEC 9797-1 padding method 2: trailing 00 bytes and
// the 80 before them. It returns a subslice of data, or ErrPadding when
// there is no 80 byte within the last block.
func Unpad(data []byte, blockSize int) ([]byte, error) {
	for i := len(data) - 1; i >= 0 && i >= len(data)-blockSize; i-- {
		switch data[i] {
		case 0x00:
			continue
		case 0x80:
			return data[:i], nil
		}
		break
	}
	return nil, ErrPadding
}

// macKey holds the prepared key of one of the two MACs.
type macKey struct {
	c      Cipher
	k1, k2 cipher.Block // DES with K_a and K_b (retail MAC)
	b      cipher.Block // AES (CMAC)
	s1, s2 [16]byte     // CMAC subkeys
}

func newMACKey(c Cipher, key []byte) (*macKey, error) {
	if !c.Valid() {
		return nil, &Error{Op: "new MAC", Err: ErrCipher}
	}
	if len(key) != c.KeySize() {
		return nil, &Error{Op: "new MAC", Err: ErrKeySize}
	}
	m := &macKey{c: c}
	if c == TDES {
		m.k1, _ = des.NewCipher(key[:8])
		m.k2, _ = des.NewCipher(key[8:16])
		return m, nil
	}
	m.b, _ = aes.NewCipher(key)
	var l [16]byte
	m.b.Encrypt(l[:], l[:])
	dbl(&m.s1, &l)
	dbl(&m.s2, &m.s1)
	return m, nil
}

// dbl is the doubling of RFC 4493 §2.3 in GF(2^128).
func dbl(dst, src *[16]byte) {
	carry := src[0] >> 7
	for i := 0; i < 15; i++ {
		dst[i] = src[i]<<1 | src[i+1]>>7
	}
	dst[15] = src[15] << 1
	dst[15] ^= 0x87 * carry
}

// sum computes the MAC of data into out (16 bytes; the retail MAC fills
// the first 8). For the retail MAC, data must be a whole number of 8-byte
// blocks.
func (m *macKey) sum(out *[16]byte, data []byte) {
	*out = [16]byte{}
	if m.c == TDES {
		h := out[:8]
		for len(data) >= 8 {
			subtle.XORBytes(h, h, data[:8])
			m.k1.Encrypt(h, h)
			data = data[8:]
		}
		m.k2.Decrypt(h, h)
		m.k1.Encrypt(h, h)
		return
	}
	x := out[:]
	n := (len(data) + 15) / 16
	if n == 0 {
		n = 1
	}
	for i := 0; i < n-1; i++ {
		subtle.XORBytes(x, x, data[16*i:16*i+16])
		m.b.Encrypt(x, x)
	}
	var last [16]byte
	rest := data[16*(n-1):]
	copy(last[:], rest)
	if len(rest) == 16 {
		subtle.XORBytes(last[:], last[:], m.s1[:])
	} else {
		last[len(rest)] = 0x80
		subtle.XORBytes(last[:], last[:], m.s2[:])
	}
	subtle.XORBytes(x, x, last[:])
	m.b.Encrypt(x, x)
}

// RetailMAC is ISO/IEC 9797-1 MAC algorithm 3 with DES and a 16-byte key
// K_a || K_b (the "retail MAC" of ICAO Doc 9303-11 §9.8.6.1), without
// padding: data must be a whole number of 8-byte blocks, padded by the
// caller (Pad). It returns 8 bytes.
func RetailMAC(key, data []byte) ([]byte, error) {
	if len(data)%8 != 0 {
		return nil, &Error{Op: "retail MAC", Err: ErrBlockSize}
	}
	m, err := newMACKey(TDES, key)
	if err != nil {
		return nil, err
	}
	var out [16]byte
	m.sum(&out, data)
	return out[:8], nil
}

// CMAC is AES-CMAC (RFC 4493, NIST SP 800-38B) with a 16, 24 or 32-byte
// key. It returns the whole 16-byte tag; secure messaging and the PACE
// tokens use its first MACSize bytes.
func CMAC(key, data []byte) ([]byte, error) {
	var c Cipher
	switch len(key) {
	case 16:
		c = AES128
	case 24:
		c = AES192
	case 32:
		c = AES256
	default:
		return nil, &Error{Op: "CMAC", Err: ErrKeySize}
	}
	m, _ := newMACKey(c, key)
	var out [16]byte
	m.sum(&out, data)
	return out[:], nil
}

// MAC is the cryptographic checksum of secure messaging (ICAO Doc 9303-11
// §9.8.6.1): the retail MAC for 3DES, AES-CMAC cut to 8 bytes for AES.
// The caller pads data (Pad) before: secure messaging pads its MAC input
// for both ciphers; for 3DES an unpadded length is ErrBlockSize.
func MAC(c Cipher, key, data []byte) ([]byte, error) {
	m, err := newMACKey(c, key)
	if err != nil {
		return nil, err
	}
	if c == TDES && len(data)%8 != 0 {
		return nil, &Error{Op: "MAC", Err: ErrBlockSize}
	}
	var out [16]byte
	m.sum(&out, data)
	return out[:MACSize], nil
}

// AuthToken computes the authentication token of PACE (ICAO Doc 9303-11
// §4.4.3.4) and Chip Authentication 2/3: the MAC with K_MAC of data, the
// encoded public key data object ('7F49'). Padding is part of the 3DES MAC
// definition but not of CMAC, so this function pads data itself for 3DES
// (retail MAC over Pad(data)) and runs CMAC over data unpadded for AES.
// It returns 8 bytes.
func AuthToken(c Cipher, key, data []byte) ([]byte, error) {
	if c == TDES {
		return MAC(c, key, Pad(nil, data, 8))
	}
	return MAC(c, key, data)
}

// VerifyAuthToken checks a token received from the peer in constant time.
func VerifyAuthToken(c Cipher, key, data, token []byte) (bool, error) {
	want, err := AuthToken(c, key, data)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(want, token) == 1, nil
}
