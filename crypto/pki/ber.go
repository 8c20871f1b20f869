package pki

import "errors"

// BER: ICAO requires DER for EF.SOD and master lists, but documents in
// circulation carry SignedData with indefinite lengths, non-minimal
// lengths or a constructed eContent OCTET STRING. ParseSignedData reads
// those by first rewriting them to DER (berToDER): lengths become definite
// and minimal, constructed OCTET STRINGs become primitive (the CMS content
// digest covers the octets, not their encoding). Nothing else changes: the
// order of SET elements is kept, so signed attributes keep the bytes they
// were signed as.

var errBER = errors.New("invalid BER")

const maxBERDepth = 32

// berToDER converts one BER element (and nothing after it) to DER.
func berToDER(in []byte) ([]byte, error) {
	out := make([]byte, 0, len(in))
	out, rest, err := berElement(out, in, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) != 0 {
		return nil, errBER
	}
	return out, nil
}

// berHeader reads a tag and a length; length -1 is indefinite.
func berHeader(in []byte) (tag []byte, constructed bool, length int, rest []byte, err error) {
	if len(in) < 2 {
		return nil, false, 0, nil, errBER
	}
	n := 1
	if in[0]&0x1f == 0x1f {
		for {
			if n >= len(in) || n > 4 {
				return nil, false, 0, nil, errBER
			}
			n++
			if in[n-1]&0x80 == 0 {
				break
			}
		}
	}
	tag, constructed = in[:n], in[0]&0x20 != 0
	if n >= len(in) {
		return nil, false, 0, nil, errBER
	}
	l := in[n]
	n++
	switch {
	case l < 0x80:
		length = int(l)
	case l == 0x80:
		if !constructed {
			return nil, false, 0, nil, errBER
		}
		length = -1
	default:
		k := int(l & 0x7f)
		if k > 4 || n+k > len(in) {
			return nil, false, 0, nil, errBER
		}
		for _, c := range in[n : n+k] {
			length = length<<8 | int(c)
		}
		n += k
	}
	if length > len(in)-n {
		return nil, false, 0, nil, errBER
	}
	return tag, constructed, length, in[n:], nil
}

func appendDERLength(out []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(out, byte(n))
	case n < 0x100:
		return append(out, 0x81, byte(n))
	case n < 0x10000:
		return append(out, 0x82, byte(n>>8), byte(n))
	case n < 0x1000000:
		return append(out, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(out, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// berElement converts the element at the start of in, appending to out.
func berElement(out, in []byte, depth int) ([]byte, []byte, error) {
	if depth > maxBERDepth {
		return nil, nil, errBER
	}
	tag, constructed, length, rest, err := berHeader(in)
	if err != nil {
		return nil, nil, err
	}
	if !constructed {
		out = append(out, tag...)
		out = appendDERLength(out, length)
		return append(out, rest[:length]...), rest[length:], nil
	}
	// Constructed: convert the children into a scratch buffer first.
	var body, after []byte
	if length >= 0 {
		body, after = rest[:length], rest[length:]
	} else {
		body = rest
	}
	var kids []byte
	octets := len(tag) == 1 && tag[0] == 0x24 // constructed OCTET STRING
	for {
		if length < 0 {
			if len(body) >= 2 && body[0] == 0 && body[1] == 0 {
				after = body[2:]
				break
			}
			if len(body) == 0 {
				return nil, nil, errBER // no end-of-contents
			}
		} else if len(body) == 0 {
			break
		}
		if octets {
			// Segments of a constructed OCTET STRING are OCTET STRINGs
			// (primitive or constructed); keep their octets only.
			var seg []byte
			seg, body, err = berElement(nil, body, depth+1)
			if err != nil {
				return nil, nil, err
			}
			if seg[0] != 0x04 {
				return nil, nil, errBER
			}
			_, _, l, v, err := berHeader(seg)
			if err != nil {
				return nil, nil, err
			}
			kids = append(kids, v[:l]...)
			continue
		}
		kids, body, err = berElement(kids, body, depth+1)
		if err != nil {
			return nil, nil, err
		}
	}
	if octets {
		out = append(out, 0x04)
	} else {
		out = append(out, tag...)
	}
	out = appendDERLength(out, len(kids))
	return append(out, kids...), after, nil
}
