package tlv

// MaxValueLen is the longest value the Builder encodes (four length bytes).
const MaxValueLen = 1<<32 - 1

// AppendLength appends the minimal BER encoding of length n to dst.
func AppendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		return append(dst, 0x82, byte(n>>8), byte(n))
	case n <= 0xFFFFFF:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(dst, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// LengthLen is the size of the minimal encoding of length n.
func LengthLen(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n <= 0xFF:
		return 2
	case n <= 0xFFFF:
		return 3
	case n <= 0xFFFFFF:
		return 4
	default:
		return 5
	}
}

// AppendTLV appends one primitive object to dst. The caller guarantees a
// valid tag and a value shorter than MaxValueLen; use a Builder to have them
// checked.
func AppendTLV(dst []byte, tag Tag, value []byte) []byte {
	dst = tag.AppendTo(dst)
	dst = AppendLength(dst, len(value))
	return append(dst, value...)
}

// A Builder writes nested objects with minimal lengths, so its output is
// valid DER framing. The zero value is ready to use. The first error (an
// invalid tag, a value that is too long) sticks and is returned by Bytes;
// later calls do nothing.
//
//	var b tlv.Builder
//	b.AddConstructed(0x61, func(b *tlv.Builder) {
//		b.Add(0x5F1F, mrz)
//	})
//	dg1, err := b.Bytes()
type Builder struct {
	buf []byte
	err error
}

// NewBuilder returns a Builder whose buffer starts with the given capacity.
func NewBuilder(capacity int) *Builder {
	return &Builder{buf: make([]byte, 0, capacity)}
}

func (b *Builder) checkTag(t Tag) bool {
	if b.err != nil {
		return false
	}
	if !t.Valid() {
		b.err = &Error{Offset: len(b.buf), Tag: t, Err: ErrInvalidTag}
		return false
	}
	return true
}

// Add writes a primitive object (or a constructed one whose encoded contents
// the caller already has).
func (b *Builder) Add(tag Tag, value []byte) {
	if !b.checkTag(tag) {
		return
	}
	if uint64(len(value)) > MaxValueLen {
		b.err = &Error{Offset: len(b.buf), Tag: tag, Err: ErrTooLarge}
		return
	}
	b.buf = AppendTLV(b.buf, tag, value)
}

// AddByte writes an object with a one-byte value.
func (b *Builder) AddByte(tag Tag, v byte) { b.Add(tag, []byte{v}) }

// AddString writes an object whose value is the bytes of s.
func (b *Builder) AddString(tag Tag, s string) {
	if !b.checkTag(tag) {
		return
	}
	b.buf = tag.AppendTo(b.buf)
	b.buf = AppendLength(b.buf, len(s))
	b.buf = append(b.buf, s...)
}

// AddConstructed writes an object whose contents are written by f on the
// same Builder. The length is fixed up once f returns.
func (b *Builder) AddConstructed(tag Tag, f func(*Builder)) {
	if !b.checkTag(tag) {
		return
	}
	b.buf = tag.AppendTo(b.buf)
	lenPos := len(b.buf)
	b.buf = append(b.buf, 0)
	f(b)
	if b.err != nil {
		return
	}
	n := len(b.buf) - lenPos - 1
	if uint64(n) > MaxValueLen {
		b.err = &Error{Offset: lenPos, Tag: tag, Err: ErrTooLarge}
		return
	}
	extra := LengthLen(n) - 1
	if extra > 0 {
		b.buf = append(b.buf, make([]byte, extra)...)
		copy(b.buf[lenPos+1+extra:], b.buf[lenPos+1:lenPos+1+n])
	}
	AppendLength(b.buf[lenPos:lenPos], n)
}

// AddRaw writes bytes that are already encoded objects.
func (b *Builder) AddRaw(raw []byte) {
	if b.err == nil {
		b.buf = append(b.buf, raw...)
	}
}

// Len is the number of bytes written so far.
func (b *Builder) Len() int { return len(b.buf) }

// Err returns the first error met, if any.
func (b *Builder) Err() error { return b.err }

// Bytes returns the encoded objects, or the first error met.
func (b *Builder) Bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.buf, nil
}
