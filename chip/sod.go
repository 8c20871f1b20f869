package chip

import (
	"crypto"
	_ "crypto/sha1" // hash functions of LDSSecurityObject
	_ "crypto/sha256"
	_ "crypto/sha512"
	encasn1 "encoding/asn1"
	"slices"

	"github.com/cancuoc/cancuoc/tlv"
	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"
)

// SOD is EF.SOD, the Document Security Object: '77' { ContentInfo }, a CMS
// SignedData (RFC 5652) whose encapsulated content is an LDSSecurityObject
// signed by the Document Signer. This package only unwraps it; package
// crypto/pki reads and verifies the CMS.
type SOD struct {
	// CMS is the ContentInfo, as stored: DER, or BER with indefinite
	// lengths as some issuers write it (crypto/pki reads both).
	CMS []byte
}

// ParseSOD checks the outer tag and size of EF.SOD and that its contents
// are one SEQUENCE (DER, or BER with indefinite lengths), and keeps them.
func ParseSOD(b []byte) (*SOD, error) {
	outer, _, err := open(EFSOD, b)
	if err != nil {
		return nil, err
	}
	if err := checkOneSequence(outer.Value); err != nil {
		return nil, &ParseError{File: EFSOD, Tag: outer.Tag, Offset: outer.ValueOffset(), Err: err}
	}
	return &SOD{CMS: clone(outer.Value)}, nil
}

// checkOneSequence checks that b is one SEQUENCE, in DER or in BER.
func checkOneSequence(b []byte) error {
	if checkOneDER(b, asn1.SEQUENCE) == nil {
		return nil
	}
	if len(b) == 0 || b[0] != 0x30 {
		return errorf(ErrInvalidValue, "not a SEQUENCE")
	}
	n, err := berElement(b, 0)
	if err != nil {
		return err
	}
	if n != len(b) {
		return errorf(ErrInvalidValue, "bytes after the SEQUENCE")
	}
	return nil
}

// maxBERDepth bounds the nesting of indefinite lengths berElement follows.
const maxBERDepth = 32

// berElement returns the size of the BER element at the start of b: a
// definite length as DER has it (any length form), or an indefinite one
// ('80', constructed only) whose contents end with '0000'. Every length is
// checked against the bytes there.
func berElement(b []byte, depth int) (int, error) {
	bad := errorf(ErrInvalidValue, "malformed BER")
	if depth > maxBERDepth || len(b) < 2 {
		return 0, bad
	}
	i := 1
	if b[0]&0x1F == 0x1F {
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
		i++
	}
	if i >= len(b) {
		return 0, bad
	}
	l := b[i]
	i++
	switch {
	case l < 0x80:
		if i+int(l) > len(b) {
			return 0, bad
		}
		return i + int(l), nil
	case l == 0x80:
		if b[0]&0x20 == 0 {
			return 0, bad
		}
		for {
			if i+2 <= len(b) && b[i] == 0 && b[i+1] == 0 {
				return i + 2, nil
			}
			if i >= len(b) {
				return 0, bad
			}
			n, err := berElement(b[i:], depth+1)
			if err != nil {
				return 0, err
			}
			i += n
		}
	default:
		k := int(l & 0x7F)
		if k > 4 || i+k > len(b) {
			return 0, bad
		}
		v := 0
		for _, c := range b[i : i+k] {
			v = v<<8 | int(c)
		}
		i += k
		if v > len(b)-i {
			return 0, bad
		}
		return i + v, nil
	}
}

// Encode returns EF.SOD as the chip stores it.
func (s *SOD) Encode() ([]byte, error) {
	if err := checkOneSequence(s.CMS); err != nil {
		return nil, &ParseError{File: EFSOD, Err: err}
	}
	return encodeFile(EFSOD, func(b *tlv.Builder) error {
		b.AddRaw(s.CMS)
		return nil
	})
}

// Hash algorithm identifiers of the LDSSecurityObject.
var (
	OIDSHA1   = encasn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	OIDSHA224 = encasn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	OIDSHA256 = encasn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDSHA384 = encasn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	OIDSHA512 = encasn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
)

var hashOIDs = []struct {
	h   crypto.Hash
	oid encasn1.ObjectIdentifier
}{
	{crypto.SHA1, OIDSHA1},
	{crypto.SHA224, OIDSHA224},
	{crypto.SHA256, OIDSHA256},
	{crypto.SHA384, OIDSHA384},
	{crypto.SHA512, OIDSHA512},
}

// HashOID returns the algorithm identifier of h (SHA-1, SHA-224, SHA-256,
// SHA-384 or SHA-512).
func HashOID(h crypto.Hash) (encasn1.ObjectIdentifier, bool) {
	for _, e := range hashOIDs {
		if e.h == h {
			return e.oid, true
		}
	}
	return nil, false
}

// HashFromOID returns the hash function an algorithm identifier names.
func HashFromOID(oid encasn1.ObjectIdentifier) (crypto.Hash, bool) {
	for _, e := range hashOIDs {
		if e.oid.Equal(oid) {
			return e.h, true
		}
	}
	return 0, false
}

// LDSSecurityObject is the content EF.SOD signs (Doc 9303-10 §4.6.2.2):
//
//	LDSSecurityObject ::= SEQUENCE {
//	  version             INTEGER (v0(0), v1(1)),
//	  hashAlgorithm       AlgorithmIdentifier,
//	  dataGroupHashValues SEQUENCE OF DataGroupHash,
//	  ldsVersionInfo      LDSVersionInfo OPTIONAL } -- v1 only
//	DataGroupHash ::= SEQUENCE { dataGroupNumber INTEGER, dataGroupHashValue OCTET STRING }
//	LDSVersionInfo ::= SEQUENCE { ldsVersion PrintableString, unicodeVersion PrintableString }
type LDSSecurityObject struct {
	// Version is 0, or 1 when LDSVersion and UnicodeVersion are present.
	Version int
	// HashAlgorithm is the OID of the hash function (see HashFromOID).
	HashAlgorithm encasn1.ObjectIdentifier
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

// NewLDSSecurityObject hashes the given data groups with h and returns a
// version 0 object listing them in data group order. Files other than data
// groups are an error. Set Version to 1 with LDSVersion and UnicodeVersion
// for LDS 1.8.
func NewLDSSecurityObject(h crypto.Hash, dataGroups map[File][]byte) (*LDSSecurityObject, error) {
	oid, ok := HashOID(h)
	if !ok || !h.Available() {
		return nil, &ParseError{File: EFSOD, Err: errorf(ErrInvalidValue, "unsupported hash function")}
	}
	o := &LDSSecurityObject{HashAlgorithm: oid, HashParameters: []byte{0x05, 0x00}}
	for f, b := range dataGroups {
		if f.DataGroup() == 0 {
			return nil, &ParseError{File: f, Err: errorf(ErrUnknownFile, "not a data group")}
		}
		hh := h.New()
		hh.Write(b)
		o.DataGroupHashes = append(o.DataGroupHashes, DataGroupHash{DataGroup: f.DataGroup(), Hash: hh.Sum(nil)})
	}
	slices.SortFunc(o.DataGroupHashes, func(a, b DataGroupHash) int { return a.DataGroup - b.DataGroup })
	return o, nil
}

// Hash returns the hash function of the object.
func (o *LDSSecurityObject) Hash() (crypto.Hash, bool) { return HashFromOID(o.HashAlgorithm) }

// HashOf returns the stored hash of data group f.
func (o *LDSSecurityObject) HashOf(f File) ([]byte, bool) {
	for _, h := range o.DataGroupHashes {
		if h.DataGroup == f.DataGroup() && h.DataGroup != 0 {
			return h.Hash, true
		}
	}
	return nil, false
}

// ParseLDSSecurityObject parses the DER of an LDSSecurityObject (the
// eContent of EF.SOD's SignedData). Errors name EF.SOD and the byte offset
// in b. It checks the structure, not the hashes: version 0 without
// version info or version 1 with it, 1 to 16 data groups numbered 1 to 16,
// each once.
func ParseLDSSecurityObject(b []byte) (*LDSSecurityObject, error) {
	if len(b) > SmallFileLimit {
		return nil, &ParseError{File: EFSOD, Offset: SmallFileLimit, Err: ErrTooLarge}
	}
	fail := func(rest cryptobyte.String, msg string) error {
		return &ParseError{File: EFSOD, Offset: len(b) - len(rest), Err: errorf(ErrInvalidValue, "%s", msg)}
	}
	in := cryptobyte.String(b)
	var seq cryptobyte.String
	if !in.ReadASN1(&seq, asn1.SEQUENCE) {
		return nil, fail(in, "not a DER SEQUENCE")
	}
	if !in.Empty() {
		return nil, fail(in, "bytes after the SEQUENCE")
	}
	o := &LDSSecurityObject{}
	var version int64
	if !seq.ReadASN1Int64WithTag(&version, asn1.INTEGER) || (version != 0 && version != 1) {
		return nil, fail(seq, "version must be 0 or 1")
	}
	o.Version = int(version)
	var algo cryptobyte.String
	var oid encasn1.ObjectIdentifier
	if !seq.ReadASN1(&algo, asn1.SEQUENCE) || !algo.ReadASN1ObjectIdentifier(&oid) {
		return nil, fail(seq, "bad hashAlgorithm")
	}
	o.HashAlgorithm = oid
	if !algo.Empty() {
		var params cryptobyte.String
		var tag asn1.Tag
		if !algo.ReadAnyASN1Element(&params, &tag) || !algo.Empty() {
			return nil, fail(seq, "bad hashAlgorithm parameters")
		}
		o.HashParameters = clone(params)
	}
	var hashes cryptobyte.String
	if !seq.ReadASN1(&hashes, asn1.SEQUENCE) {
		return nil, fail(seq, "bad dataGroupHashValues")
	}
	var have [17]bool
	for !hashes.Empty() {
		var dgh, value cryptobyte.String
		var n int64
		if !hashes.ReadASN1(&dgh, asn1.SEQUENCE) ||
			!dgh.ReadASN1Int64WithTag(&n, asn1.INTEGER) ||
			!dgh.ReadASN1(&value, asn1.OCTET_STRING) || !dgh.Empty() {
			return nil, fail(hashes, "bad DataGroupHash")
		}
		if n < 1 || n > 16 {
			return nil, fail(hashes, "data group number out of 1..16")
		}
		if have[n] {
			return nil, &ParseError{File: EFSOD, Offset: len(b) - len(hashes), Err: ErrDuplicateField}
		}
		have[n] = true
		o.DataGroupHashes = append(o.DataGroupHashes, DataGroupHash{DataGroup: int(n), Hash: clone(value)})
	}
	if len(o.DataGroupHashes) == 0 {
		return nil, &ParseError{File: EFSOD, Offset: len(b) - len(seq), Err: errorf(ErrMissingField, "no data group hash")}
	}
	if !seq.Empty() {
		var info cryptobyte.String
		var lds, uni cryptobyte.String
		if !seq.ReadASN1(&info, asn1.SEQUENCE) ||
			!info.ReadASN1(&lds, asn1.PrintableString) ||
			!info.ReadASN1(&uni, asn1.PrintableString) || !info.Empty() {
			return nil, fail(seq, "bad ldsVersionInfo")
		}
		if !seq.Empty() {
			return nil, fail(seq, "bytes after ldsVersionInfo")
		}
		o.LDSVersion, o.UnicodeVersion = string(lds), string(uni)
		if !printable(o.LDSVersion) || !printable(o.UnicodeVersion) {
			return nil, fail(seq, "versions must be PrintableString")
		}
		if o.Version != 1 {
			return nil, fail(seq, "ldsVersionInfo in a version 0 object")
		}
	} else if o.Version == 1 {
		return nil, &ParseError{File: EFSOD, Offset: len(b), Err: errorf(ErrMissingField, "version 1 without ldsVersionInfo")}
	}
	return o, nil
}

// Encode returns the DER of the object.
func (o *LDSSecurityObject) Encode() ([]byte, error) {
	bad := func(msg string) error {
		return &ParseError{File: EFSOD, Err: errorf(ErrInvalidValue, "%s", msg)}
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
		if err := checkAnyDER(o.HashParameters); err != nil {
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
	if !printable(o.LDSVersion) || !printable(o.UnicodeVersion) {
		return nil, bad("versions must be PrintableString")
	}
	var b cryptobyte.Builder
	b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(int64(o.Version))
		b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(o.HashAlgorithm)
			if o.HashParameters != nil {
				b.AddBytes(o.HashParameters)
			}
		})
		b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, h := range o.DataGroupHashes {
				b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1Int64(int64(h.DataGroup))
					b.AddASN1OctetString(h.Hash)
				})
			}
		})
		if o.Version == 1 {
			b.AddASN1(asn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(asn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(o.LDSVersion)) })
				b.AddASN1(asn1.PrintableString, func(b *cryptobyte.Builder) { b.AddBytes([]byte(o.UnicodeVersion)) })
			})
		}
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, &ParseError{File: EFSOD, Err: errorf(ErrInvalidValue, "%v", err)}
	}
	return out, nil
}

// checkAnyDER checks that b is exactly one DER element.
func checkAnyDER(b []byte) error {
	s := cryptobyte.String(b)
	var el cryptobyte.String
	var tag asn1.Tag
	if !s.ReadAnyASN1Element(&el, &tag) || !s.Empty() {
		return ErrInvalidValue
	}
	return nil
}

// printable reports whether s holds only PrintableString characters.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == ' ', c == '\'', c == '(', c == ')', c == '+', c == ',', c == '-', c == '.', c == '/', c == ':', c == '=', c == '?':
		default:
			return false
		}
	}
	return true
}
