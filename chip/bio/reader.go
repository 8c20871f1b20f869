package bio

// cursor reads big-endian fields from a record, checking each read against
// the bytes present. On the first short read it records an *Error naming
// the field and every later read returns zero values, so parsers read a
// whole header and check c.err once.
type cursor struct {
	b      []byte
	pos    int
	record string
	err    error
}

func (c *cursor) fail(field string, err error) {
	if c.err == nil {
		c.err = newErr(c.record, field, c.pos, err)
	}
}

func (c *cursor) remaining() int { return len(c.b) - c.pos }

func (c *cursor) bytes(field string, n int) []byte {
	if c.err != nil {
		return nil
	}
	if n < 0 || n > c.remaining() {
		c.fail(field, ErrTruncated)
		return nil
	}
	v := c.b[c.pos : c.pos+n : c.pos+n]
	c.pos += n
	return v
}

func (c *cursor) u8(field string) uint8 {
	v := c.bytes(field, 1)
	if v == nil {
		return 0
	}
	return v[0]
}

func (c *cursor) u16(field string) uint16 {
	v := c.bytes(field, 2)
	if v == nil {
		return 0
	}
	return uint16(v[0])<<8 | uint16(v[1])
}

func (c *cursor) u24(field string) uint32 {
	v := c.bytes(field, 3)
	if v == nil {
		return 0
	}
	return uint32(v[0])<<16 | uint32(v[1])<<8 | uint32(v[2])
}

func (c *cursor) u32(field string) uint32 {
	v := c.bytes(field, 4)
	if v == nil {
		return 0
	}
	return uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
}

func (c *cursor) u48(field string) uint64 {
	v := c.bytes(field, 6)
	if v == nil {
		return 0
	}
	var n uint64
	for _, x := range v {
		n = n<<8 | uint64(x)
	}
	return n
}

func appendU16(b []byte, v uint16) []byte { return append(b, byte(v>>8), byte(v)) }

func appendU24(b []byte, v uint32) []byte { return append(b, byte(v>>16), byte(v>>8), byte(v)) }

func appendU32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func appendU48(b []byte, v uint64) []byte {
	return append(b, byte(v>>40), byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}
