package aa

import (
	"crypto"
	"crypto/subtle"
	"hash"

	_ "crypto/sha1"   // SHA-1, the hash of the implicit trailer 'BC'
	_ "crypto/sha256" // SHA-224, SHA-256
	_ "crypto/sha512" // SHA-384, SHA-512, SHA-512/224, SHA-512/256
)

// The trailer of an ISO/IEC 9796-2 message representative: 'BC' when the
// hash function is implied (SHA-1 for Active Authentication, ICAO Doc
// 9303-11 §6.1), or a hash-function identifier followed by 'CC'.
const (
	trailerImplicit = 0xBC
	trailerExplicit = 0xCC
)

// hashIdentifiers are the identifiers of the dedicated hash-functions of
// ISO/IEC 10118-3 that the explicit trailer 'xxCC' carries: '3' followed by
// the number of the hash-function in that standard (1 RIPEMD-160,
// 2 RIPEMD-128, 3 SHA-1, 4 SHA-256, 5 SHA-512, 6 SHA-384, 7 WHIRLPOOL, 8
// SHA-224, 9 SHA-512/224, 10 SHA-512/256), with the length of their hash
// codes. RIPEMD-128 and WHIRLPOOL have no crypto.Hash: a representative
// naming them parses but does not verify. RIPEMD-160 verifies when the
// program links golang.org/x/crypto/ripemd160 in.
var hashIdentifiers = [...]struct {
	id   byte
	hash crypto.Hash
	size int
}{
	{0x31, crypto.RIPEMD160, 20},
	{0x32, 0, 16}, // RIPEMD-128
	{0x33, crypto.SHA1, 20},
	{0x34, crypto.SHA256, 32},
	{0x35, crypto.SHA512, 64},
	{0x36, crypto.SHA384, 48},
	{0x37, 0, 64}, // WHIRLPOOL
	{0x38, crypto.SHA224, 28},
	{0x39, crypto.SHA512_224, 28},
	{0x3A, crypto.SHA512_256, 32},
}

// HashIdentifier returns the ISO/IEC 10118-3 identifier of h, the first
// byte of the explicit trailer 'xxCC' of ISO/IEC 9796-2 ('34' for SHA-256).
func HashIdentifier(h crypto.Hash) (id byte, ok bool) {
	for _, e := range hashIdentifiers {
		if e.hash == h && h != 0 {
			return e.id, true
		}
	}
	return 0, false
}

// The header byte of the representative: the two bits '01', the more-data
// bit (set: partial recovery, part of the message is not in the signature)
// and a zero bit; its low nibble starts the padding field, 'A' alone when
// the recoverable part fills the capacity, otherwise 'B' nibbles up to a
// final 'A' ('6B BB .. BB BA').
const (
	headerPartial = 0x60
	headerFull    = 0x40
	padEnd        = 0x0A
	padMore       = 0x0B
)

// capacity returns how many bytes of the message a representative of k
// bytes carries (the length of M1 without padding), or a negative number
// when the hash and trailer do not fit.
func capacity(k int, h crypto.Hash, explicit bool) int {
	t := 1
	if explicit {
		t = 2
	}
	return k - 1 - h.Size() - t
}

// representative is the message representative F of ISO/IEC 9796-2
// digital signature scheme 1 (the one with a hash function and message
// recovery), which eMRTD Active Authentication uses with RSA:
//
//	F = header || padding || M1 || H(M) || trailer
//
// M1 is the recoverable part of the message M; with partial recovery the
// rest M2 (the terminal's challenge, for Active Authentication) travels
// separately and H covers M1 || M2.
type representative struct {
	partial bool
	m1      []byte
	digest  []byte
	// hash is the hash function, 0 when the trailer names one without a
	// crypto.Hash; id is the trailer's identifier, 0 for 'BC'.
	hash crypto.Hash
	id   byte
}

// encode writes F into k bytes. len(r.m1) must not exceed the capacity; a
// shorter M1 is preceded by padding.
func (r *representative) encode(k int) ([]byte, bool) {
	c := capacity(k, r.hash, r.id != 0)
	if c < len(r.m1) || len(r.digest) != r.hash.Size() {
		return nil, false
	}
	tr := []byte{trailerImplicit}
	if r.id != 0 {
		tr = []byte{r.id, trailerExplicit}
	}
	f := make([]byte, 0, k)
	hdr := byte(headerFull)
	if r.partial {
		hdr = headerPartial
	}
	if pad := c - len(r.m1); pad == 0 {
		f = append(f, hdr|padEnd)
	} else {
		f = append(f, hdr|padMore)
		for range pad - 1 {
			f = append(f, padMore<<4|padMore)
		}
		f = append(f, padMore<<4|padEnd)
	}
	f = append(f, r.m1...)
	f = append(f, r.digest...)
	f = append(f, tr...)
	return f, true
}

// parseRepresentative reads F. The hash of the implicit trailer 'BC' is
// implicit. On failure it returns the name of the field that is wrong.
// The result aliases f.
func parseRepresentative(f []byte, implicit crypto.Hash) (*representative, string) {
	if len(f) < 3 {
		return nil, "length"
	}
	r := &representative{}
	n := len(f)
	hl := 0
	switch f[n-1] {
	case trailerImplicit:
		r.hash, hl = implicit, implicit.Size()
		n--
	case trailerExplicit:
		r.id = f[n-2]
		for _, e := range hashIdentifiers {
			if e.id == r.id {
				r.hash, hl = e.hash, e.size
			}
		}
		if hl == 0 {
			return nil, "hash identifier in trailer"
		}
		n -= 2
	default:
		return nil, "trailer"
	}
	switch f[0] & 0xF0 {
	case headerPartial:
		r.partial = true
	case headerFull:
	default:
		return nil, "header"
	}
	start := 1
	switch f[0] & 0x0F {
	case padEnd:
	case padMore:
		for ; start < n && f[start] == padMore<<4|padMore; start++ {
		}
		if start == n || f[start] != padMore<<4|padEnd {
			return nil, "padding"
		}
		start++
	default:
		return nil, "header"
	}
	if n-start < hl {
		return nil, "length"
	}
	r.m1 = f[start : n-hl]
	r.digest = f[n-hl : n]
	return r, ""
}

// check verifies the representative against m2, the part of the message
// the verifier knows (the challenge): with partial recovery the digest
// must be H(M1 || M2); with full recovery M = M1 must end with m2 and the
// digest be H(M1). The digest comparison is constant time.
func (r *representative) check(m2 []byte) string {
	if r.hash == 0 || !r.hash.Available() {
		return "hash function not available"
	}
	var h hash.Hash = r.hash.New()
	h.Write(r.m1)
	if r.partial {
		h.Write(m2)
	} else if len(r.m1) < len(m2) ||
		subtle.ConstantTimeCompare(r.m1[len(r.m1)-len(m2):], m2) != 1 {
		return "recovered message"
	}
	if subtle.ConstantTimeCompare(h.Sum(nil), r.digest) != 1 {
		return "hash"
	}
	return ""
}
