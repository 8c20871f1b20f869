package tlv

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

func requireTLVError(t *testing.T, err error, sentinel error, offset int) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, offset, e.Offset, "offset in %v", err)
}

func TestParseTag(t *testing.T) {
	tests := []struct {
		in          string
		tag         Tag
		n           int
		class       Class
		constructed bool
		number      uint32
		err         error
	}{
		{in: "61", tag: 0x61, n: 1, class: ClassApplication, constructed: true, number: 1},
		{in: "02", tag: 0x02, n: 1, class: ClassUniversal, number: 2},
		{in: "A1", tag: 0xA1, n: 1, class: ClassContextSpecific, constructed: true, number: 1},
		{in: "5F1F", tag: 0x5F1F, n: 2, class: ClassApplication, number: 31},
		{in: "5F2E", tag: 0x5F2E, n: 2, class: ClassApplication, number: 46},
		{in: "7F61", tag: 0x7F61, n: 2, class: ClassApplication, constructed: true, number: 97},
		{in: "7F2E", tag: 0x7F2E, n: 2, class: ClassApplication, constructed: true, number: 46},
		{in: "5F8101", tag: 0x5F8101, n: 3, class: ClassApplication, number: 129},
		{in: "DF7F", tag: 0xDF7F, n: 2, class: ClassPrivate, number: 127},
		{in: "5F1F58", tag: 0x5F1F, n: 2, class: ClassApplication, number: 31}, // following bytes ignored
		{in: "", err: ErrTruncated},
		{in: "5F", err: ErrTruncated},
		{in: "5F81", err: ErrTruncated},
		{in: "5F818101", err: ErrTagTooLong},
		{in: "5F01", tag: 0x5F01, n: 2, class: ClassApplication, number: 1}, // EF.COM LDS version
		{in: "5F1E", tag: 0x5F1E, n: 2, class: ClassApplication, number: 30},
		{in: "5F8001", err: ErrNonMinimalTag},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			tag, n, err := ParseTag(vectors.Unhex(t, tc.in))
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.tag, tag)
			require.Equal(t, tc.n, n)
			require.Equal(t, tc.n, tag.Len())
			require.Equal(t, tc.class, tag.Class())
			require.Equal(t, tc.constructed, tag.Constructed())
			require.Equal(t, tc.number, tag.Number())
			require.True(t, tag.Valid())
			require.Equal(t, strings.ToUpper(tc.in[:2*n]), tag.String())
			require.Equal(t, vectors.Unhex(t, tc.in[:2*n]), tag.AppendTo(nil))
		})
	}
}

func TestTagValidAndParseString(t *testing.T) {
	for _, bad := range []Tag{0x5F80, 0x5F8081, 0x5F81, 0x1F, 0x5F8181} {
		require.False(t, bad.Valid(), "%s", bad)
	}
	tag, err := ParseTagString("7f61")
	require.NoError(t, err)
	require.Equal(t, Tag(0x7F61), tag)
	for _, bad := range []string{"", "7", "0061", "5F81", "zz", "12345678", "5F80"} {
		_, err := ParseTagString(bad)
		require.Error(t, err, bad)
	}
	path, err := ParsePath("7F61/7F60/5F2E")
	require.NoError(t, err)
	require.Equal(t, []Tag{0x7F61, 0x7F60, 0x5F2E}, path)
	_, err = ParsePath("7F61//5F2E")
	require.Error(t, err)
}

func TestParseLength(t *testing.T) {
	tests := []struct {
		in       string
		length   int
		size     int
		err      error
		lenient  bool
		lenientN int
	}{
		{in: "00", length: 0, size: 1},
		{in: "7F", length: 127, size: 1},
		{in: "8180", length: 128, size: 2},
		{in: "81FF", length: 255, size: 2},
		{in: "820100", length: 256, size: 3},
		{in: "82FFFF", length: 65535, size: 3},
		{in: "83010000", length: 65536, size: 4},
		{in: "8401000000", length: 1 << 24, size: 5},
		{in: "80", err: ErrIndefiniteLength},
		{in: "85", err: ErrLengthTooLong},
		{in: "FF", err: ErrLengthTooLong},
		{in: "", err: ErrTruncated},
		{in: "82", err: ErrTruncated},
		{in: "8201", err: ErrTruncated},
		{in: "817F", err: ErrNonMinimalLength, lenient: true, lenientN: 127},
		{in: "820080", err: ErrNonMinimalLength, lenient: true, lenientN: 128},
		{in: "8400000005", err: ErrNonMinimalLength, lenient: true, lenientN: 5},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			n, size, err := ParseLength(vectors.Unhex(t, tc.in))
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				if tc.lenient {
					n, _, err := parseLength(vectors.Unhex(t, tc.in), true)
					require.NoError(t, err)
					require.Equal(t, tc.lenientN, n)
				}
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.length, n)
			require.Equal(t, tc.size, size)
			require.Equal(t, tc.size, LengthLen(n))
			require.Equal(t, vectors.Unhex(t, tc.in), AppendLength(nil, n))
		})
	}
}

func TestAppendLengthBoundaries(t *testing.T) {
	for _, n := range []int{0, 1, 127, 128, 255, 256, 65535, 65536, 1<<24 - 1, 1 << 24, 1<<32 - 1} {
		enc := AppendLength(nil, n)
		require.Len(t, enc, LengthLen(n))
		got, size, err := ParseLength(enc)
		require.NoError(t, err, "n=%d", n)
		require.Equal(t, n, got)
		require.Equal(t, len(enc), size)
	}
}

// efCOM is the EF.COM of ICAO Doc 9303 Part 10 §4.6.1: LDS version 1.7,
// Unicode 4.0.0, data groups DG1, DG2, DG4 and DG12.
var efCOM = "60 16 5F01 04 30313037 5F36 06 303430303030 5C 04 6175766C"

func TestReaderEFCOM(t *testing.T) {
	b := vectors.Unhex(t, efCOM)
	top, err := ParseOne(b)
	require.NoError(t, err)
	require.Equal(t, Tag(0x60), top.Tag)
	require.Equal(t, 2, top.HeaderLen())
	require.Equal(t, b, top.Raw)

	r := NewReader(top.Value)
	r.base = top.ValueOffset()
	type seen struct {
		tag    Tag
		value  string
		offset int
	}
	var got []seen
	for r.Next() {
		got = append(got, seen{r.TLV().Tag, hex.EncodeToString(r.TLV().Value), r.TLV().Offset})
	}
	require.NoError(t, r.Err())
	require.Equal(t, []seen{
		{0x5F01, "30313037", 2},
		{0x5F36, "303430303030", 9},
		{0x5C, "6175766c", 18},
	}, got)
}

func TestChildrenOffsets(t *testing.T) {
	b := vectors.Unhex(t, efCOM)
	r := NewReader(b)
	require.True(t, r.Next())
	c := r.Children()
	var offs []int
	for c.Next() {
		offs = append(offs, c.TLV().Offset)
		require.Equal(t, c.TLV().Raw, b[c.TLV().Offset:c.TLV().Offset+len(c.TLV().Raw)])
	}
	require.NoError(t, c.Err())
	require.Equal(t, []int{2, 9, 18}, offs)
	require.False(t, r.Next())
	require.NoError(t, r.Err())
}

func TestStrictErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		err    error
		offset int
		tag    Tag
	}{
		{"value past end", "5F1F 05 4142", ErrTruncated, 3, 0x5F1F},
		{"nested value past end", "60 05 5F01 04 3031", ErrTruncated, 5, 0x5F01},
		{"indefinite", "60 80 0000", ErrIndefiniteLength, 1, 0x60},
		{"non-minimal length", "5C 81 02 6175", ErrNonMinimalLength, 1, 0x5C},
		{"length too long", "5C 85 0000000002 6175", ErrLengthTooLong, 1, 0x5C},
		{"trailing data", "5C 02 6175 01", ErrTrailingData, 4, 0},
		{"zero padding", "5C 02 6175 0000", ErrTrailingData, 4, 0},
		{"tag cut", "5F", ErrTruncated, 0, 0},
		{"length cut", "5F1F", ErrTruncated, 2, 0x5F1F},
		{"long length cut", "5F1F 82 01", ErrTruncated, 2, 0x5F1F},
		{"empty", "", ErrTruncated, 0, 0},
		{"ff where tag starts", "FF 01 00", ErrInvalidTag, 0, 0},
		{"huge length", "5C 84 FFFFFFFF 00", ErrTruncated, 6, 0x5C},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOne(vectors.Unhex(t, tc.in))
			if tc.name == "nested value past end" {
				// The outer object is fine; the error is inside.
				_, err = Decode(vectors.Unhex(t, tc.in))
			}
			requireTLVError(t, err, tc.err, tc.offset)
			var e *Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, tc.tag, e.Tag)
			require.Contains(t, err.Error(), "offset")
		})
	}
}

func TestStrictRejectsPaddingBetweenObjects(t *testing.T) {
	b := vectors.Unhex(t, "5C02 6175 00 5C01 61")
	r := NewReader(b)
	require.True(t, r.Next())
	require.False(t, r.Next())
	requireTLVError(t, r.Err(), ErrInvalidTag, 4)
	require.False(t, r.Next(), "a Reader stays stopped after an error")
}

func TestLenient(t *testing.T) {
	// A file padded to a block size with 00 and FF, with padding between
	// objects and a non-minimal length inside.
	b := vectors.Unhex(t, "00 FF 60 0C 5F01 81 04 30313037 00 5C 01 61 FF FF 00 00")
	_, err := ParseOne(b)
	require.Error(t, err)

	top, err := Lenient.ParseOne(b)
	require.NoError(t, err)
	require.Equal(t, 2, top.Offset)
	nodes, err := Lenient.Decode(b)
	require.NoError(t, err)
	require.Len(t, nodes, 1)
	require.Len(t, nodes[0].Children, 2)
	require.Equal(t, []byte("0107"), nodes[0].Children[0].Value)
	require.Equal(t, 4, nodes[0].Children[0].Offset)
	require.Equal(t, []byte{0x61}, nodes[0].Children[1].Value)
	require.Equal(t, 13, nodes[0].Children[1].Offset)

	// Only those two quirks: truncation is still an error.
	_, err = Lenient.Decode(vectors.Unhex(t, "00 60 05 5F01 04 3031"))
	requireTLVError(t, err, ErrTruncated, 6)
	_, err = Lenient.ParseOne(vectors.Unhex(t, "00 00"))
	requireTLVError(t, err, ErrTruncated, 2)
	_, err = Lenient.ParseOne(vectors.Unhex(t, "60 80 0000"))
	require.ErrorIs(t, err, ErrIndefiniteLength)
}

// dg2Like builds a DG2-shaped file: a biometric information group template
// holding one face whose image is imageLen bytes.
func dg2Like(t testing.TB, imageLen int) []byte {
	img := make([]byte, imageLen)
	for i := range img {
		img[i] = byte(i * 7)
	}
	var b Builder
	b.AddConstructed(0x75, func(b *Builder) {
		b.AddConstructed(0x7F61, func(b *Builder) {
			b.AddByte(0x02, 1)
			b.AddConstructed(0x7F60, func(b *Builder) {
				b.AddConstructed(0xA1, func(b *Builder) {
					b.Add(0x80, []byte{0x01, 0x01})
					b.Add(0x81, []byte{0x02})
					b.Add(0x87, []byte{0x01, 0x01})
					b.Add(0x88, []byte{0x00, 0x08})
				})
				b.Add(0x5F2E, img)
			})
		})
	})
	out, err := b.Bytes()
	require.NoError(t, err)
	return out
}

func TestBuilderAndFind(t *testing.T) {
	b := dg2Like(t, 20000)
	// 7F60 holds A1 (2+15) and 5F2E 82 4E20 with the image.
	require.Equal(t, vectors.Unhex(t, "75 82 4E43 7F61 82 4E3E 02 01 01 7F60 82 4E36 A1 0F 80"), b[:20])

	img, err := Find(b, 0x75, 0x7F61, 0x7F60, 0x5F2E)
	require.NoError(t, err)
	require.Len(t, img.Value, 20000)
	require.Equal(t, byte(7), img.Value[1])
	require.Equal(t, img.Raw, b[img.Offset:img.Offset+len(img.Raw)])
	require.Equal(t, len(b)-20000, img.ValueOffset())

	_, err = Find(b, 0x75, 0x7F61, 0x7F60, 0x5F2F)
	require.ErrorIs(t, err, ErrNotFound)
	require.Contains(t, err.Error(), "5F2F")
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, Tag(0x7F60), e.Tag)

	nodes, err := Decode(b)
	require.NoError(t, err)
	n := FindNode(nodes, 0x75, 0x7F61, 0x7F60, 0x5F2E)
	require.NotNil(t, n)
	require.Equal(t, img, n.TLV)
	require.Nil(t, FindNode(nodes, 0x61))
	require.Nil(t, FindNode(nodes))
	hdr := nodes[0].Find(0x7F61, 0x7F60, 0xA1)
	require.Len(t, hdr.Children, 4)
	require.Len(t, hdr.All(0x87), 1)
	require.Nil(t, (*Node)(nil).Find(0x01))
}

func TestBuilderDG1(t *testing.T) {
	// DG1 of the ICAO Doc 9303 Part 4 specimen passport: 61 5B 5F1F 58 <88 MRZ characters>.
	mrz := "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<" + "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	var b Builder
	b.AddConstructed(0x61, func(b *Builder) { b.AddString(0x5F1F, mrz) })
	out, err := b.Bytes()
	require.NoError(t, err)
	require.Equal(t, vectors.Unhex(t, "615B5F1F58"), out[:5])
	require.Equal(t, mrz, string(out[5:]))
	got, err := Find(out, 0x61, 0x5F1F)
	require.NoError(t, err)
	require.Equal(t, mrz, string(got.Value))
}

func TestBuilderLengthFixups(t *testing.T) {
	for _, n := range []int{0, 127, 128, 255, 256, 65535, 65536} {
		var b Builder
		b.AddConstructed(0x30, func(b *Builder) {
			b.AddConstructed(0x31, func(b *Builder) { b.Add(0x04, make([]byte, n)) })
			b.AddByte(0x02, 9)
		})
		out, err := b.Bytes()
		require.NoError(t, err)
		top, err := ParseOne(out)
		require.NoError(t, err, "n=%d", n)
		inner := 1 + LengthLen(n) + n
		require.Len(t, top.Value, 1+LengthLen(inner)+inner+3)
		v, err := Find(out, 0x30, 0x02)
		require.NoError(t, err)
		require.Equal(t, []byte{9}, v.Value)
	}
}

func TestBuilderErrors(t *testing.T) {
	var b Builder
	b.Add(0x5F80, nil)
	b.Add(0x02, []byte{1})
	_, err := b.Bytes()
	require.ErrorIs(t, err, ErrInvalidTag)
	require.Equal(t, err, b.Err())

	var c Builder
	c.AddConstructed(0x30, func(c *Builder) { c.AddString(0x5F80, "x") })
	_, err = c.Bytes()
	require.ErrorIs(t, err, ErrInvalidTag)

	d := NewBuilder(16)
	d.AddRaw(vectors.Unhex(t, "0201 05"))
	out, err := d.Bytes()
	require.NoError(t, err)
	require.Equal(t, 3, d.Len())
	require.Equal(t, vectors.Unhex(t, "020105"), out)
}

func TestDecodeOpaqueAndDepth(t *testing.T) {
	// 7F2E is constructed by its tag but holds enciphered bytes.
	b := vectors.Unhex(t, "7F2E 03 010203")
	_, err := Decode(b)
	require.Error(t, err)
	nodes, err := Options{Opaque: []Tag{0x7F2E}}.Decode(b)
	require.NoError(t, err)
	require.Empty(t, nodes[0].Children)
	require.Equal(t, []byte{1, 2, 3}, nodes[0].Value)

	deep := []byte{}
	for i := 0; i < 40; i++ {
		deep = append([]byte{0x30, byte(len(deep))}, deep...)
	}
	_, err = Decode(deep)
	require.ErrorIs(t, err, ErrTooDeep)
	_, err = Options{MaxDepth: 41}.Decode(deep)
	require.NoError(t, err)
}

// reencode writes nodes back with a Builder from their tags and values.
func reencode(b *Builder, nodes []*Node) {
	for _, n := range nodes {
		if n.Children != nil || (n.Tag.Constructed() && len(n.Value) == 0) {
			b.AddConstructed(n.Tag, func(b *Builder) { reencode(b, n.Children) })
		} else {
			b.Add(n.Tag, n.Value)
		}
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	for _, in := range [][]byte{vectors.Unhex(t, efCOM), dg2Like(t, 300), dg2Like(t, 70000)} {
		nodes, err := Decode(in)
		require.NoError(t, err)
		var b Builder
		reencode(&b, nodes)
		out, err := b.Bytes()
		require.NoError(t, err)
		require.True(t, bytes.Equal(in, out))
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{Offset: 3, Tag: 0x5F1F, Err: ErrTruncated}
	require.Equal(t, "tlv: tag 5F1F at offset 3: truncated", e.Error())
	require.True(t, errors.Is(e, ErrTruncated))
	require.Equal(t, "tlv: offset 0: trailing data", (&Error{Err: ErrTrailingData}).Error())
	require.Equal(t, "context-specific", ClassContextSpecific.String())
	require.Equal(t, "private", ClassPrivate.String())
	require.Equal(t, "universal", ClassUniversal.String())
	require.Equal(t, "application", ClassApplication.String())
}

func TestParse(t *testing.T) {
	b := vectors.Unhex(t, "5C02 6175 0201 05")
	first, rest, err := Parse(b)
	require.NoError(t, err)
	require.Equal(t, Tag(0x5C), first.Tag)
	require.Equal(t, vectors.Unhex(t, "020105"), rest)
	_, rest, err = Parse(vectors.Unhex(t, "5C05 61"))
	require.ErrorIs(t, err, ErrTruncated)
	require.Len(t, rest, 3)
}

func TestReaderDoesNotAllocate(t *testing.T) {
	b := dg2Like(t, 20000)
	allocs := testing.AllocsPerRun(100, func() {
		_ = walk(b)
	})
	require.Zero(t, allocs)
	allocs = testing.AllocsPerRun(100, func() {
		_, _ = Find(b, 0x75, 0x7F61, 0x7F60, 0x5F2E)
	})
	require.Zero(t, allocs)
	allocs = testing.AllocsPerRun(100, func() {
		_, _ = Decode(b)
	})
	require.Equal(t, 2.0, allocs)
}

// walk visits every object depth-first and returns how many it saw.
func walk(b []byte) int {
	return walkReader(NewReader(b))
}

// walkReader takes its Reader by value so that it stays on the stack.
func walkReader(r Reader) int {
	n := 0
	for r.Next() {
		n++
		if r.TLV().Tag.Constructed() {
			n += walkReader(r.Children())
		}
	}
	return n
}
