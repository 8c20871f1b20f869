package pki

import (
	"crypto"
	_ "crypto/sha1" // hash functions of the LDSSecurityObject
	_ "crypto/sha256"
	_ "crypto/sha512"
	"encoding/asn1"
	"fmt"
	"maps"
	"slices"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// MaxLDSSecurityObjectSize bounds the DER LDSSecurityObject
// ParseLDSSecurityObject reads (64 KiB: sixteen SHA-512 hashes take about
// 1.3 KB).
const MaxLDSSecurityObjectSize = 64 << 10

// LDSSecurityObject is the list of hashes EF.SOD signs (Doc 9303-10
// §4.6.2.2), one per data group, keyed by data group number:
//
//	LDSSecurityObject ::= SEQUENCE {
//	  version             INTEGER (v0(0), v1(1)),
//	  hashAlgorithm       AlgorithmIdentifier,
//	  dataGroupHashValues SEQUENCE OF DataGroupHash,
//	  ldsVersionInfo      LDSVersionInfo OPTIONAL } -- v1 only
//	DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING }
//	LDSVersionInfo ::= SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString }
//
// The data groups themselves are the LDS's (package chip); this package
// knows only their numbers and the bytes hashed.
type LDSSecurityObject struct {
	// Version is 0, or 1 when LDSVersion and UnicodeVersion are present.
	Version int
	// HashAlgorithm is the OID of the hash function (see HashFromOID).
	HashAlgorithm asn1.ObjectIdentifier
	// HashParameters is the DER of the algorithm parameters (usually NULL,
	// '05 00'), nil when absent.
	HashParameters []byte
	// DataGroupHashes are the hashes of the data groups, in stored order.
	DataGroupHashes []DataGroupHash
	// LDSVersion ("0108") and UnicodeVersion ("040000") of a version 1 object.
	LDSVersion, UnicodeVersion string
}

// DataGroupHash is the hash of one data group.
type DataGroupHash struct {
	// DataGroup is the data group number, 1 to 16.
	DataGroup int
	// Hash is the hash of the whole file, outer tag included.
	Hash []byte
}

// ldsError is a *ParseError of the LDSSecurityObject at byte offset off.
func ldsError(off int, sentinel error, msg string) error {
	return &ParseError{Kind: "LDSSecurityObject", Field: fmt.Sprintf("offset %d", off), Err: fmt.Errorf("%w: %s", sentinel, msg)}
}

// NewLDSSecurityObject hashes the given data groups (number, 1 to 16, to
// the file's bytes as the chip stores them, tag included) with h and
// returns a version 0 object listing them in data group order. Set Version
// to 1 with LDSVersion and UnicodeVersion for LDS 1.8.
func NewLDSSecurityObject(h crypto.Hash, dataGroups map[int][]byte) (*LDSSecurityObject, error) {
	oid := HashOID(h)
	if oid == nil || !h.Available() {
		return nil, &ParseError{Kind: "LDSSecurityObject", Field: "hash " + h.String(), Err: ErrUnsupportedAlgorithm}
	}
	if len(dataGroups) == 0 {
		return nil, &ParseError{Kind: "LDSSecurityObject", Err: fmt.Errorf("%w: no data group", ErrMalformed)}
	}
	o := &LDSSecurityObject{HashAlgorithm: oid, HashParameters: []byte{0x05, 0x00}}
	for _, n := range slices.Sorted(maps.Keys(dataGroups)) {
		if n < 1 || n > 16 {
			return nil, &ParseError{Kind: "LDSSecurityObject", Field: fmt.Sprintf("data group %d", n), Err: fmt.Errorf("%w: data group number out of 1..16", ErrMalformed)}
		}
		hh := h.New()
		hh.Write(dataGroups[n])
		o.DataGroupHashes = append(o.DataGroupHashes, DataGroupHash{DataGroup: n, Hash: hh.Sum(nil)})
	}
	return o, nil
}

// Hash returns the hash function of the object; ok is false when this
// package does not know its algorithm identifier.
func (o *LDSSecurityObject) Hash() (h crypto.Hash, ok bool) {
	h = HashFromOID(o.HashAlgorithm)
	return h, h != 0
}

// HashOf returns the stored hash of data group n.
func (o *LDSSecurityObject) HashOf(n int) ([]byte, bool) {
	for _, h := range o.DataGroupHashes {
		if h.DataGroup == n && n != 0 {
			return h.Hash, true
		}
	}
	return nil, false
}

// ParseLDSSecurityObject parses the DER of an LDSSecurityObject (the
// eContent of EF.SOD's SignedData). It checks the structure, not the
// hashes: version 0 without version info or version 1 with it, 1 to 16
// data groups numbered 1 to 16, each once. Errors are *ParseError values
// naming the byte offset in b and wrapping ErrMalformed or ErrTooLarge.
func ParseLDSSecurityObject(b []byte) (*LDSSecurityObject, error) {
	if len(b) > MaxLDSSecurityObjectSize {
		return nil, ldsError(MaxLDSSecurityObjectSize, ErrTooLarge, fmt.Sprintf("%d bytes", len(b)))
	}
	fail := func(rest cryptobyte.String, msg string) error {
		return ldsError(len(b)-len(rest), ErrMalformed, msg)
	}
	in := cryptobyte.String(b)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return nil, fail(in, "not a DER SEQUENCE")
	}
	if !in.Empty() {
		return nil, fail(in, "bytes after the SEQUENCE")
	}
	o := &LDSSecurityObject{}
	var version int64
	if !seq.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) || (version != 0 && version != 1) {
		return nil, fail(seq, "version must be 0 or 1")
	}
	o.Version = int(version)
	var algo cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !seq.ReadASN1(&algo, cbasn1.SEQUENCE) || !algo.ReadASN1ObjectIdentifier(&oid) {
		return nil, fail(seq, "bad hashAlgorithm")
	}
	o.HashAlgorithm = oid
	if !algo.Empty() {
		var params cryptobyte.String
		var tag cbasn1.Tag
		if !algo.ReadAnyASN1Element(&params, &tag) || !algo.Empty() {
			return nil, fail(seq, "bad hashAlgorithm parameters")
		}
		o.HashParameters = slices.Clone([]byte(params))
	}
	var hashes cryptobyte.String
	if !seq.ReadASN1(&hashes, cbasn1.SEQUENCE) {
		return nil, fail(seq, "bad dataGroupHashValues")
	}
	var have [17]bool
	for !hashes.Empty() {
		var dgh, value cryptobyte.String
		var n int64
		if !hashes.ReadASN1(&dgh, cbasn1.SEQUENCE) ||
			!dgh.ReadASN1Int64WithTag(&n, cbasn1.INTEGER) ||
			!dgh.ReadASN1(&value, cbasn1.OCTET_STRING) || !dgh.Empty() {
			return nil, fail(hashes, "bad DataGroupHash")
		}
		if n < 1 || n > 16 {
			return nil, fail(hashes, "data group number out of 1..16")
		}
		if have[n] {
			return nil, fail(hashes, fmt.Sprintf("duplicate hash of DG%d", n))
		}
		have[n] = true
		o.DataGroupHashes = append(o.DataGroupHashes, DataGroupHash{DataGroup: int(n), Hash: slices.Clone([]byte(value))})
	}
	if len(o.DataGroupHashes) == 0 {
		return nil, fail(seq, "no data group hash")
	}
	if !seq.Empty() {
		var info cryptobyte.String
		var lds, uni cryptobyte.String
		if !seq.ReadASN1(&info, cbasn1.SEQUENCE) ||
			!info.ReadASN1(&lds, cbasn1.PrintableString) ||
			!info.ReadASN1(&uni, cbasn1.PrintableString) || !info.Empty() {
			return nil, fail(seq, "bad ldsVersionInfo")
		}
		if !seq.Empty() {
			return nil, fail(seq, "bytes after ldsVersionInfo")
		}
		o.LDSVersion, o.UnicodeVersion = string(lds), string(uni)
		if !isPrintable(o.LDSVersion) || !isPrintable(o.UnicodeVersion) {
			return nil, fail(seq, "versions must be PrintableString")
		}
		if o.Version != 1 {
			return nil, fail(seq, "ldsVersionInfo in a version 0 object")
		}
	} else if o.Version == 1 {
		return nil, fail(seq, "version 1 without ldsVersionInfo")
	}
	return o, nil
}

// Encode returns the DER of the object.
func (o *LDSSecurityObject) Encode() ([]byte, error) {
	bad := func(msg string) error {
		return &ParseError{Kind: "LDSSecurityObject", Err: fmt.Errorf("%w: %s", ErrMalformed, msg)}
	}
	switch {
	case o.Version != 0 && o.Version != 1:
		return nil, bad("version must be 0 or 1")
	case o.Version == 1 && (o.LDSVersion == "" || o.UnicodeVersion == ""):
		return nil, bad("version 1 needs LDSVersion and UnicodeVersion")
	case o.Version == 0 && (o.LDSVersion != "" || o.UnicodeVersion != ""):
		return nil, bad("LDSVersion and UnicodeVersion need version 1")
	case len(o.HashAlgorithm) < 2:
		return nil, bad("no hash algorithm")
	case len(o.DataGroupHashes) == 0 || len(o.DataGroupHashes) > 16:
		return nil, bad("1 to 16 data group hashes")
	}
	if o.HashParameters != nil {
		s := cryptobyte.String(o.HashParameters)
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&el, &tag) || !s.Empty() {
			return nil, bad("bad hash parameters")
		}
	}
	var have [17]bool
	for _, h := range o.DataGroupHashes {
		if h.DataGroup < 1 || h.DataGroup > 16 || have[h.DataGroup] {
			return nil, bad("data group numbers must be 1..16, each once")
		}
		have[h.DataGroup] = true
	}
	if !isPrintable(o.LDSVersion) || !isPrintable(o.UnicodeVersion) {
		return nil, bad("versions must be PrintableString")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(int64(o.Version))
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(o.HashAlgorithm)
			if o.HashParameters != nil {
				b.AddBytes(o.HashParameters)
			}
		})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, h := range o.DataGroupHashes {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1Int64(int64(h.DataGroup))
					b.AddASN1OctetString(h.Hash)
				})
			}
		})
		if o.Version == 1 {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(o.LDSVersion)) })
				b.AddASN1(cbasn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(o.UnicodeVersion)) })
			})
		}
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, bad(err.Error())
	}
	return out, nil
}
