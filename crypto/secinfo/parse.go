package secinfo

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"math"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/tlv"
)

// DefaultMaxSize bounds the input of Parse when Options.MaxSize is zero.
// Real EF.CardAccess files are tens of bytes, DG14 with explicit domain
// parameters under 2 KiB and EF.CardSecurity content a few KiB.
const DefaultMaxSize = 64 << 10

// DefaultMaxInfos bounds the number of SecurityInfo elements when
// Options.MaxInfos is zero.
const DefaultMaxInfos = 256

// TagDG14 is the tag of the DG14 data group template.
const TagDG14 tlv.Tag = 0x6E

// Options select how strictly SecurityInfos are parsed. Every element must
// be DER in every mode (definite minimal lengths, minimal INTEGERs and
// OBJECT IDENTIFIERs, no bytes after the SET); the options only relax what
// real documents are known to get wrong.
type Options struct {
	// AllowUnsorted accepts a SET OF whose elements are not in DER order
	// (X.690 §11.6). DG14 files of issued passports show this; the order
	// carries no meaning and the hash in EF.SOD covers the bytes as read.
	// SecurityInfos.Sorted records what was found.
	AllowUnsorted bool
	// AllowPadding accepts padding bytes '00' or 'FF' after the SET (in
	// Parse) or after the DG14 object (in ParseDG14): files padded to a
	// block size. SecurityInfos.Raw excludes them.
	AllowPadding bool
	// MaxSize bounds the input length; 0 means DefaultMaxSize.
	MaxSize int
	// MaxInfos bounds the number of elements; 0 means DefaultMaxInfos.
	MaxInfos int
}

// Strict is the default of Parse and ParseDG14: DER throughout.
var Strict = Options{}

// Lenient accepts the quirks of real documents: an unsorted SET OF, and
// padding after the SET or the DG14 object.
var Lenient = Options{AllowUnsorted: true, AllowPadding: true}

// SecurityInfos is the content of EF.CardAccess, of DG14 and of the signed
// content of EF.CardSecurity:
//
//	SecurityInfos ::= SET OF SecurityInfo
type SecurityInfos struct {
	// Infos in the order found in the input.
	Infos []Info
	// Raw is the SET as parsed (nil when built in Go).
	Raw []byte
	// Sorted tells whether the elements were in DER order.
	Sorted bool
}

// Parse parses DER-encoded SecurityInfos strictly: the whole content of
// EF.CardAccess, or the eContent of EF.CardSecurity once the CMS
// SignedData has been opened (crypto/pki does that).
func Parse(b []byte) (*SecurityInfos, error) { return Strict.Parse(b) }

// ParseDG14 parses a DG14 file ('6E' wrapping the SecurityInfos) strictly.
// Many issued passports have an unsorted SET in DG14: use Lenient.ParseDG14
// to read them.
func ParseDG14(b []byte) (*SecurityInfos, error) { return Strict.ParseDG14(b) }

// Parse parses DER-encoded SecurityInfos under these options.
func (o Options) Parse(b []byte) (*SecurityInfos, error) {
	b = b[:len(b):len(b)] // offsets are differences of capacities (errAt)
	b = b[:len(b):len(b)] // offsets are differences of capacities (errAt)
	p := parser{opts: o, full: b, index: -1}
	if err := p.checkSize(b); err != nil {
		return nil, err
	}
	if o.AllowPadding {
		b = trimPadding(b)
	}
	return p.parseSet(b)
}

// trimPadding drops the '00' and 'FF' bytes that follow a SET. Anything
// else is left for parseSet to report.
func trimPadding(b []byte) []byte {
	in := cryptobyte.String(b)
	var elem cryptobyte.String
	if !in.ReadASN1Element(&elem, cbasn1.SET) {
		return b
	}
	for _, c := range in {
		if c != 0x00 && c != 0xFF {
			return b
		}
	}
	return b[:len(elem)]
}

// ParseDG14 parses a DG14 file under these options. Offsets in errors count
// from the start of the file.
func (o Options) ParseDG14(b []byte) (*SecurityInfos, error) {
	b = b[:len(b):len(b)] // offsets are differences of capacities (errAt)
	b = b[:len(b):len(b)] // offsets are differences of capacities (errAt)
	p := parser{opts: o, full: b, index: -1}
	if err := p.checkSize(b); err != nil {
		return nil, err
	}
	topts := tlv.Strict
	topts.AllowPadding = o.AllowPadding
	t, err := topts.ParseOne(b)
	if err != nil {
		e := &Error{Offset: 0, Index: -1, Err: ErrSyntax}
		if te, ok := err.(*tlv.Error); ok {
			e.Offset = te.Offset
			if errors.Is(te, tlv.ErrTrailingData) {
				e.Err = ErrTrailingData
			}
		}
		return nil, e
	}
	if t.Tag != TagDG14 {
		return nil, &Error{Offset: t.Offset, Index: -1, Err: ErrNotDG14}
	}
	return p.parseSet(t.Value)
}

type parser struct {
	opts     Options
	full     []byte
	index    int
	protocol asn1.ObjectIdentifier
}

func (p *parser) checkSize(b []byte) error {
	max := p.opts.MaxSize
	if max == 0 {
		max = DefaultMaxSize
	}
	if len(b) > max {
		return &Error{Offset: max, Index: -1, Err: ErrTooLarge}
	}
	return nil
}

// errAt builds an error at the start of s, which must be a sub-slice of
// p.full: its offset is the difference of their capacities, as every
// sub-slice taken by cryptobyte runs to the end of the same array.
func (p *parser) errAt(s []byte, err error) error {
	off := cap(p.full) - cap(s)
	if s == nil || off < 0 || off > len(p.full) {
		off = len(p.full)
	}
	var proto asn1.ObjectIdentifier
	if p.index >= 0 {
		proto = p.protocol
	}
	return &Error{Offset: off, Index: p.index, Protocol: proto, Err: err}
}

func (p *parser) parseSet(b []byte) (*SecurityInfos, error) {
	in := cryptobyte.String(b)
	var body cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SET) {
		return nil, p.errAt(b, ErrSyntax)
	}
	if !in.Empty() {
		return nil, p.errAt(in, ErrTrailingData)
	}
	maxInfos := p.opts.MaxInfos
	if maxInfos == 0 {
		maxInfos = DefaultMaxInfos
	}
	out := &SecurityInfos{Raw: b[:len(b)-len(in)], Sorted: true}
	var prev []byte
	for !body.Empty() {
		p.index, p.protocol = len(out.Infos), nil
		if len(out.Infos) == maxInfos {
			return nil, p.errAt(body, ErrTooMany)
		}
		start := body
		var elem cryptobyte.String
		if !body.ReadASN1Element(&elem, cbasn1.SEQUENCE) {
			return nil, p.errAt(start, ErrSyntax)
		}
		if prev != nil && bytes.Compare(prev, elem) > 0 {
			out.Sorted = false
			if !p.opts.AllowUnsorted {
				return nil, p.errAt(start, ErrNotSorted)
			}
		}
		prev = elem
		info, err := p.parseInfo(elem)
		if err != nil {
			return nil, err
		}
		out.Infos = append(out.Infos, info)
	}
	p.index = -1
	return out, nil
}

func (p *parser) parseInfo(raw cryptobyte.String) (Info, error) {
	elem := raw
	var s cryptobyte.String
	elem.ReadASN1(&s, cbasn1.SEQUENCE) // checked by the caller
	var oid asn1.ObjectIdentifier
	if at := s; !s.ReadASN1ObjectIdentifier(&oid) {
		return nil, p.errAt(at, ErrSyntax)
	}
	p.protocol = oid
	r := []byte(raw)
	var info Info
	var err error
	if pace, perr := ParsePACEProtocol(oid); perr == nil {
		info, err = p.parsePACEInfo(&s, oid, pace, r)
	} else if ka, m, ok := parsePACEMapping(oid); ok {
		info, err = p.parsePACEDomainParameterInfo(&s, oid, ka, m, r)
	} else if ca, cerr := ParseCAProtocol(oid); cerr == nil {
		info, err = p.parseCAInfo(&s, oid, ca, r)
	} else if oid.Equal(OIDCADH) || oid.Equal(OIDCAECDH) {
		info, err = p.parseCADomainParameterInfo(&s, oid, r)
	} else if oid.Equal(OIDPKDH) || oid.Equal(OIDPKECDH) {
		info, err = p.parsePKInfo(&s, oid, r)
	} else if oid.Equal(OIDTA) {
		info, err = p.parseTAInfo(&s, oid, r)
	} else if oid.Equal(OIDAA) {
		info, err = p.parseAAInfo(&s, oid, r)
	} else {
		info, err = p.parseUnknown(&s, oid, r)
	}
	if err != nil {
		return nil, err
	}
	if !s.Empty() {
		return nil, p.errAt(s, ErrSyntax)
	}
	return info, nil
}

// readInt reads a non-negative INTEGER no larger than max.
func (p *parser) readInt(s *cryptobyte.String, max int64) (int64, error) {
	at := *s
	var v int64
	if !s.ReadASN1Integer(&v) {
		return 0, p.errAt(at, ErrSyntax)
	}
	if v < 0 || v > max {
		return 0, p.errAt(at, ErrValue)
	}
	return v, nil
}

// readOptionalInt reads an INTEGER if the next element is one.
func (p *parser) readOptionalInt(s *cryptobyte.String, max int64) (int64, bool, error) {
	if !s.PeekASN1Tag(cbasn1.INTEGER) {
		return 0, false, nil
	}
	v, err := p.readInt(s, max)
	return v, err == nil, err
}

func (p *parser) readAlgorithmIdentifier(s *cryptobyte.String) (AlgorithmIdentifier, error) {
	at := *s
	var whole, body cryptobyte.String
	if !s.ReadASN1Element(&whole, cbasn1.SEQUENCE) {
		return AlgorithmIdentifier{}, p.errAt(at, ErrSyntax)
	}
	inner := whole
	inner.ReadASN1(&body, cbasn1.SEQUENCE)
	a := AlgorithmIdentifier{Raw: whole}
	if algAt := body; !body.ReadASN1ObjectIdentifier(&a.Algorithm) {
		return AlgorithmIdentifier{}, p.errAt(algAt, ErrSyntax)
	}
	if !body.Empty() {
		var params cryptobyte.String
		var tag cbasn1.Tag
		if paramsAt := body; !body.ReadAnyASN1Element(&params, &tag) {
			return AlgorithmIdentifier{}, p.errAt(paramsAt, ErrSyntax)
		}
		a.Parameters = params
		if !body.Empty() {
			return AlgorithmIdentifier{}, p.errAt(body, ErrSyntax)
		}
	}
	return a, nil
}

func (p *parser) readSubjectPublicKeyInfo(s *cryptobyte.String) (SubjectPublicKeyInfo, error) {
	at := *s
	var whole, body cryptobyte.String
	if !s.ReadASN1Element(&whole, cbasn1.SEQUENCE) {
		return SubjectPublicKeyInfo{}, p.errAt(at, ErrSyntax)
	}
	inner := whole
	inner.ReadASN1(&body, cbasn1.SEQUENCE)
	alg, err := p.readAlgorithmIdentifier(&body)
	if err != nil {
		return SubjectPublicKeyInfo{}, err
	}
	keyAt := body
	var bits asn1.BitString
	if !body.ReadASN1BitString(&bits) {
		return SubjectPublicKeyInfo{}, p.errAt(keyAt, ErrSyntax)
	}
	if bits.BitLength%8 != 0 {
		return SubjectPublicKeyInfo{}, p.errAt(keyAt, ErrValue)
	}
	if !body.Empty() {
		return SubjectPublicKeyInfo{}, p.errAt(body, ErrSyntax)
	}
	return SubjectPublicKeyInfo{Algorithm: alg, PublicKey: bits.Bytes, Raw: whole}, nil
}

func (p *parser) readFileID(s *cryptobyte.String) (FileID, error) {
	at := *s
	var body cryptobyte.String
	if !s.ReadASN1(&body, cbasn1.SEQUENCE) {
		return FileID{}, p.errAt(at, ErrSyntax)
	}
	var f FileID
	fidAt := body
	var fid, sfid []byte
	if !body.ReadASN1Bytes(&fid, cbasn1.OCTET_STRING) {
		return FileID{}, p.errAt(fidAt, ErrSyntax)
	}
	if len(fid) != 2 {
		return FileID{}, p.errAt(fidAt, ErrValue)
	}
	copy(f.FID[:], fid)
	if !body.Empty() {
		sfidAt := body
		if !body.ReadASN1Bytes(&sfid, cbasn1.OCTET_STRING) {
			return FileID{}, p.errAt(sfidAt, ErrSyntax)
		}
		if len(sfid) != 1 {
			return FileID{}, p.errAt(sfidAt, ErrValue)
		}
		f.SFID, f.HasSFID = sfid[0], true
	}
	if !body.Empty() {
		return FileID{}, p.errAt(body, ErrSyntax)
	}
	return f, nil
}

func (p *parser) parsePACEInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, pace PACEProtocol, raw []byte) (Info, error) {
	v, err := p.readInt(s, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	id, has, err := p.readOptionalInt(s, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	return &PACEInfo{Protocol: oid, PACE: pace, Version: int(v), ParameterID: int(id), HasParameterID: has, Raw: raw}, nil
}

func (p *parser) parsePACEDomainParameterInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, ka KeyAgreement, m Mapping, raw []byte) (Info, error) {
	alg, err := p.readAlgorithmIdentifier(s)
	if err != nil {
		return nil, err
	}
	id, has, err := p.readOptionalInt(s, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	return &PACEDomainParameterInfo{Protocol: oid, KeyAgreement: ka, Mapping: m, DomainParameter: alg, ParameterID: int(id), HasParameterID: has, Raw: raw}, nil
}

func (p *parser) parseCAInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, ca CAProtocol, raw []byte) (Info, error) {
	v, err := p.readInt(s, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	id, has, err := p.readOptionalInt(s, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	return &ChipAuthenticationInfo{Protocol: oid, CA: ca, Version: int(v), KeyID: id, HasKeyID: has, Raw: raw}, nil
}

func keyAgreementOf(oid asn1.ObjectIdentifier) KeyAgreement {
	return KeyAgreement(oid[len(oid)-1]) // id-CA-DH/id-PK-DH end in 1, ECDH in 2
}

func (p *parser) parseCADomainParameterInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, raw []byte) (Info, error) {
	alg, err := p.readAlgorithmIdentifier(s)
	if err != nil {
		return nil, err
	}
	id, has, err := p.readOptionalInt(s, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	return &ChipAuthenticationDomainParameterInfo{Protocol: oid, KeyAgreement: keyAgreementOf(oid), DomainParameter: alg, KeyID: id, HasKeyID: has, Raw: raw}, nil
}

func (p *parser) parsePKInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, raw []byte) (Info, error) {
	key, err := p.readSubjectPublicKeyInfo(s)
	if err != nil {
		return nil, err
	}
	id, has, err := p.readOptionalInt(s, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	return &ChipAuthenticationPublicKeyInfo{Protocol: oid, KeyAgreement: keyAgreementOf(oid), PublicKey: key, KeyID: id, HasKeyID: has, Raw: raw}, nil
}

func (p *parser) parseTAInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, raw []byte) (Info, error) {
	v, err := p.readInt(s, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	ta := &TerminalAuthenticationInfo{Protocol: oid, Version: int(v), Raw: raw}
	if !s.Empty() {
		if ta.EFCVCA, err = p.readFileID(s); err != nil {
			return nil, err
		}
		ta.HasEFCVCA = true
	}
	return ta, nil
}

func (p *parser) parseAAInfo(s *cryptobyte.String, oid asn1.ObjectIdentifier, raw []byte) (Info, error) {
	v, err := p.readInt(s, math.MaxInt32)
	if err != nil {
		return nil, err
	}
	at := *s
	aa := &ActiveAuthenticationInfo{Protocol: oid, Version: int(v), Raw: raw}
	if !s.ReadASN1ObjectIdentifier(&aa.SignatureAlgorithm) {
		return nil, p.errAt(at, ErrSyntax)
	}
	return aa, nil
}

// parseUnknown checks the generic shape: one requiredData element and at
// most one optionalData element.
func (p *parser) parseUnknown(s *cryptobyte.String, oid asn1.ObjectIdentifier, raw []byte) (Info, error) {
	for n := 0; n < 2 && (n == 0 || !s.Empty()); n++ {
		at := *s
		var e cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&e, &tag) {
			return nil, p.errAt(at, ErrSyntax)
		}
	}
	return &UnknownInfo{Protocol: oid, Raw: raw}, nil
}

// ParseSubjectPublicKeyInfo parses b as one DER SubjectPublicKeyInfo
// (RFC 5280 §4.1.2.7) and nothing after it: SEQUENCE { AlgorithmIdentifier,
// BIT STRING with no unused bits }. It is the form of a Chip Authentication
// key and of DG15's Active Authentication key, so chip (DG15) and crypto/aa
// parse keys with it. The result's slices alias b; offsets in errors count
// from its start.
func ParseSubjectPublicKeyInfo(b []byte) (SubjectPublicKeyInfo, error) {
	b = b[:len(b):len(b)] // offsets are differences of capacities (errAt)
	p := parser{opts: Strict, full: b, index: -1}
	if err := p.checkSize(b); err != nil {
		return SubjectPublicKeyInfo{}, err
	}
	s := cryptobyte.String(b)
	k, err := p.readSubjectPublicKeyInfo(&s)
	if err != nil {
		return SubjectPublicKeyInfo{}, err
	}
	if !s.Empty() {
		return SubjectPublicKeyInfo{}, p.errAt(s, ErrTrailingData)
	}
	return k, nil
}
