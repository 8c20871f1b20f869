package tlv

// MaxLengthBytes is the largest number of bytes a long-form length may use
// after its first byte ('84' followed by four bytes). It bounds a single
// value to 4 GiB; the real bound is always the input at hand, since no
// length is believed before the bytes it announces are present.
const MaxLengthBytes = 4

// DefaultMaxDepth bounds the nesting of constructed objects that Decode
// follows when Options.MaxDepth is zero.
const DefaultMaxDepth = 32

// DefaultMaxNodes bounds the objects Decode lays out when Options.MaxNodes
// is zero. A Node takes about 96 bytes, so a tree costs at most about
// 6 MiB whatever the input: a file of two-byte empty objects would
// otherwise cost 48 times its size. The largest eMRTD files hold a few
// thousand objects.
const DefaultMaxNodes = 1 << 16

// Options select how strictly input is decoded. The zero value is strict
// DER-like BER-TLV as ICAO Doc 9303 prescribes.
type Options struct {
	// AllowPadding accepts the padding bytes '00' and 'FF' before, between
	// and after objects, as ISO/IEC 7816-4 §5.2.2 permits. Real documents
	// pad files to a block size with them. Without it, such a byte where a
	// tag should start is an ErrInvalidTag.
	AllowPadding bool
	// AllowNonMinimalLength accepts lengths written in more bytes than
	// needed, such as '81 05' or '82 00 7F'. Some issuers' encoders do this.
	AllowNonMinimalLength bool
	// Opaque lists constructed tags whose value Decode keeps as bytes
	// instead of decoding it as nested objects, for data objects such as
	// the enciphered biometric data block '7F2E'.
	Opaque []Tag
	// MaxDepth bounds nesting for Decode; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxNodes bounds the number of objects Decode returns in its tree
	// (ErrTooManyNodes past it); 0 means DefaultMaxNodes.
	MaxNodes int
}

// Strict is the default: every deviation is an error.
var Strict = Options{}

// Lenient accepts the two quirks met on real documents: padding with '00'
// or 'FF', and non-minimal length encodings. Indefinite lengths, truncated
// values and malformed tags remain errors in every mode.
var Lenient = Options{AllowPadding: true, AllowNonMinimalLength: true}

// TLV is one decoded data object. Value and Raw alias the input: no bytes
// are copied.
type TLV struct {
	Tag Tag
	// Value is the object's contents.
	Value []byte
	// Raw is the whole object as encoded: tag, length and value.
	Raw []byte
	// Offset is where Raw starts in the outermost input given to a Reader,
	// Decode or Find, so that errors and callers can point at bytes.
	Offset int
}

// HeaderLen is the number of bytes taken by the tag and the length.
func (t TLV) HeaderLen() int { return len(t.Raw) - len(t.Value) }

// ValueOffset is where Value starts in the outermost input.
func (t TLV) ValueOffset() int { return t.Offset + t.HeaderLen() }

// ParseLength decodes a BER length at the start of b (strictly: minimal
// encoding, no indefinite form). It returns the length and the number of
// bytes the length field took. It does not check that the announced bytes
// follow.
func ParseLength(b []byte) (length, size int, err error) {
	return parseLength(b, false)
}

func parseLength(b []byte, allowNonMinimal bool) (int, int, error) {
	if len(b) == 0 {
		return 0, 0, ErrTruncated
	}
	first := b[0]
	if first < 0x80 {
		return int(first), 1, nil
	}
	if first == 0x80 {
		return 0, 0, ErrIndefiniteLength
	}
	n := int(first & 0x7F)
	if n > MaxLengthBytes {
		return 0, 0, ErrLengthTooLong
	}
	if len(b) < 1+n {
		return 0, 0, ErrTruncated
	}
	var v uint64
	for _, c := range b[1 : 1+n] {
		v = v<<8 | uint64(c)
	}
	if !allowNonMinimal && (v < 0x80 || b[1] == 0) {
		return 0, 0, ErrNonMinimalLength
	}
	if v > uint64(maxInt) {
		return 0, 0, ErrTruncated
	}
	return int(v), 1 + n, nil
}

const maxInt = int(^uint(0) >> 1)

// parseAt decodes one object at b[pos:], reporting offsets relative to base.
func (o *Options) parseAt(b []byte, pos, base int) (TLV, error) {
	start := pos
	// Fast path: a one-byte tag with a short-form length, the common case.
	if pos+2 <= len(b) {
		t, l := b[pos], b[pos+1]
		if t&0x1F != 0x1F && t != 0x00 && l < 0x80 {
			end := pos + 2 + int(l)
			if end <= len(b) {
				return TLV{Tag: Tag(t), Value: b[pos+2 : end : end], Raw: b[start:end:end], Offset: base + start}, nil
			}
		}
	}
	tag, tn, err := ParseTag(b[pos:])
	if err != nil {
		return TLV{}, &Error{Offset: base + start, Err: err}
	}
	if first := b[pos]; first == 0x00 || first == 0xFF {
		return TLV{}, &Error{Offset: base + start, Err: ErrInvalidTag}
	}
	pos += tn
	length, ln, err := parseLength(b[pos:], o.AllowNonMinimalLength)
	if err != nil {
		return TLV{}, &Error{Offset: base + pos, Tag: tag, Err: err}
	}
	pos += ln
	if length > len(b)-pos {
		return TLV{}, &Error{Offset: base + pos, Tag: tag, Err: ErrTruncated}
	}
	end := pos + length
	return TLV{Tag: tag, Value: b[pos:end:end], Raw: b[start:end:end], Offset: base + start}, nil
}

// skipPadding returns the position of the next byte that is not padding.
func (o *Options) skipPadding(b []byte, pos int) int {
	if !o.AllowPadding {
		return pos
	}
	for pos < len(b) && (b[pos] == 0x00 || b[pos] == 0xFF) {
		pos++
	}
	return pos
}

// Parse decodes the first object of b strictly and returns it with the bytes
// that follow it.
func Parse(b []byte) (TLV, []byte, error) {
	t, err := Strict.parseAt(b, 0, 0)
	if err != nil {
		return TLV{}, b, err
	}
	return t, b[len(t.Raw):], nil
}

// ParseOne decodes b as exactly one object: anything after it is an
// ErrTrailingData.
func ParseOne(b []byte) (TLV, error) { return Strict.ParseOne(b) }

// ParseOne decodes b as exactly one object under these options; with
// AllowPadding, padding bytes may surround it.
func (o Options) ParseOne(b []byte) (TLV, error) {
	pos := o.skipPadding(b, 0)
	if pos == len(b) {
		return TLV{}, &Error{Offset: pos, Err: ErrTruncated}
	}
	t, err := o.parseAt(b, pos, 0)
	if err != nil {
		return TLV{}, err
	}
	end := o.skipPadding(b, pos+len(t.Raw))
	if end != len(b) {
		return TLV{}, &Error{Offset: end, Err: ErrTrailingData}
	}
	return t, nil
}

// Reader iterates over a sequence of objects without allocating:
//
//	r := tlv.NewReader(b)
//	for r.Next() {
//		obj := r.TLV()
//		...
//	}
//	if err := r.Err(); err != nil { ... }
//
// The zero Reader has nothing to read.
type Reader struct {
	data []byte
	base int
	pos  int
	opts Options
	cur  TLV
	err  error
}

// NewReader returns a strict Reader over b.
func NewReader(b []byte) Reader { return Reader{data: b} }

// NewReader returns a Reader over b that decodes under these options.
func (o Options) NewReader(b []byte) Reader { return Reader{data: b, opts: o} }

// Next advances to the next object. It returns false at the end of the
// input or at the first error, which Err then returns.
func (r *Reader) Next() bool {
	if r.err != nil {
		return false
	}
	r.pos = r.opts.skipPadding(r.data, r.pos)
	if r.pos >= len(r.data) {
		return false
	}
	t, err := r.opts.parseAt(r.data, r.pos, r.base)
	if err != nil {
		r.err = err
		return false
	}
	r.cur = t
	r.pos += len(t.Raw)
	return true
}

// TLV returns the current object.
func (r *Reader) TLV() TLV { return r.cur }

// Err returns the error that stopped the iteration, if any.
func (r *Reader) Err() error { return r.err }

// Children returns a Reader over the value of the current object, with the
// same options and offsets that keep counting from the outermost input.
func (r *Reader) Children() Reader {
	return Reader{data: r.cur.Value, base: r.cur.ValueOffset(), opts: r.opts}
}

// Find returns the object reached by following path from the top level of
// b: Find(b, 0x7F61, 0x7F60, 0x5F2E) looks for '7F61' among the top-level
// objects, then for '7F60' inside it, and so on, taking the first match at
// each level. It allocates nothing. A missing tag is an ErrNotFound.
func Find(b []byte, path ...Tag) (TLV, error) { return Strict.Find(b, path...) }

// Find is Find under these options.
func (o Options) Find(b []byte, path ...Tag) (TLV, error) {
	r := o.NewReader(b)
	var cur TLV
	for depth, want := range path {
		found := false
		for r.Next() {
			if r.cur.Tag == want {
				found = true
				break
			}
		}
		if err := r.Err(); err != nil {
			return TLV{}, err
		}
		if !found {
			off, parent := r.base, Tag(0)
			if depth > 0 {
				off, parent = cur.Offset, cur.Tag
			}
			return TLV{}, &Error{Offset: off, Tag: parent, Err: notFound(want)}
		}
		cur = r.cur
		r = r.Children()
	}
	return cur, nil
}

// notFoundError keeps the missing tag while matching ErrNotFound.
type notFoundError struct{ tag Tag }

func (e notFoundError) Error() string        { return "tag " + e.tag.String() + " not found" }
func (e notFoundError) Is(target error) bool { return target == ErrNotFound }

func notFound(t Tag) error { return notFoundError{t} }
