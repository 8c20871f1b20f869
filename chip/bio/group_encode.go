package bio

import (
	"github.com/cancuoc/cancuoc/tlv"
)

func tlvSize(tag tlv.Tag, n int) int { return tag.Len() + tlv.LengthLen(n) + n }

func encErr(field string, err error) error { return newErr(RecordGroup, field, 0, err) }

// elements returns the header's data objects in encoding order: the known
// ones in ascending tag order, with Other merged in by tag.
func (h *Header) elements() ([]Element, error) {
	known := make([]Element, 0, 8+len(h.Other))
	if h.Version != nil {
		known = append(known, Element{TagHeaderVersion, appendU16(nil, *h.Version)})
	}
	if h.Type != nil {
		v := uint32(*h.Type)
		min := 1
		for min < 3 && v >= 1<<(8*min) {
			min++
		}
		if v > 0xFFFFFF {
			return nil, encErr("biometric type", ErrValue)
		}
		n := min
		if h.TypeSize != 0 {
			if h.TypeSize < min || h.TypeSize > 3 {
				return nil, encErr("biometric type", ErrValue)
			}
			n = h.TypeSize
		}
		b := make([]byte, n)
		for i := n - 1; i >= 0; i-- {
			b[i] = byte(v)
			v >>= 8
		}
		known = append(known, Element{TagBiometricType, b})
	}
	if h.Subtype != nil {
		known = append(known, Element{TagBiometricSubtype, []byte{byte(*h.Subtype)}})
	}
	if h.CreationTime != nil {
		if len(h.CreationTime) != 7 {
			return nil, encErr("creation date and time", ErrValue)
		}
		known = append(known, Element{TagCreationTime, h.CreationTime})
	}
	if h.ValidityPeriod != nil {
		if len(h.ValidityPeriod) != 8 {
			return nil, encErr("validity period", ErrValue)
		}
		known = append(known, Element{TagValidityPeriod, h.ValidityPeriod})
	}
	if h.Creator != nil {
		known = append(known, Element{TagCreator, appendU16(nil, *h.Creator)})
	}
	known = append(known,
		Element{TagFormatOwner, appendU16(nil, h.FormatOwner)},
		Element{TagFormatType, appendU16(nil, h.FormatType)})
	for _, o := range h.Other {
		if !o.Tag.Valid() {
			return nil, encErr("biometric header template", ErrTag)
		}
		if o.Tag >= 0x80 && o.Tag <= 0x88 && o.Tag != 0x84 {
			return nil, encErr("biometric header template", ErrDuplicate)
		}
		if len(o.Value) > MaxBlockSize {
			return nil, encErr("biometric header template", ErrTooLarge)
		}
	}
	if len(h.Other) == 0 {
		return known, nil
	}
	out := make([]Element, 0, len(known)+len(h.Other))
	i, j := 0, 0
	for i < len(known) || j < len(h.Other) {
		if j == len(h.Other) || (i < len(known) && known[i].Tag < h.Other[j].Tag) {
			out = append(out, known[i])
			i++
		} else {
			out = append(out, h.Other[j])
			j++
		}
	}
	return out, nil
}

func (h *Header) tag() tlv.Tag {
	if h.Tag == 0 {
		return TagHeader
	}
	return h.Tag
}

// Encode returns the DER encoding of the group template '7F61'.
func (g *Group) Encode() ([]byte, error) { return g.AppendBinary(nil) }

// MarshalBinary is Encode, for encoding.BinaryMarshaler.
func (g *Group) MarshalBinary() ([]byte, error) { return g.Encode() }

// AppendBinary appends the encoding of the group template '7F61' to b,
// for encoding.BinaryAppender. The count '02' is the number of templates.
func (g *Group) AppendBinary(b []byte) ([]byte, error) {
	n := len(g.Templates)
	if n == 0 {
		return b, encErr("number of instances", ErrCount)
	}
	if n > MaxTemplates {
		return b, encErr("number of instances", ErrTooLarge)
	}
	elems := make([][]Element, n)
	hdrLens := make([]int, n)
	tplLens := make([]int, n)
	body := tlvSize(TagCount, 1)
	for i := range g.Templates {
		t := &g.Templates[i]
		if t.Header.Tag != 0 && (t.Header.Tag < TagHeader || t.Header.Tag > maxHeaderTagSequence || t.Header.Tag&0xE0 != 0xA0) {
			return b, encErr("biometric header template", ErrTag)
		}
		if len(t.Data) > MaxBlockSize {
			return b, encErr("biometric data block", ErrTooLarge)
		}
		es, err := t.Header.elements()
		if err != nil {
			return b, err
		}
		elems[i] = es
		for _, e := range es {
			hdrLens[i] += tlvSize(e.Tag, len(e.Value))
		}
		tplLens[i] = tlvSize(t.Header.tag(), hdrLens[i]) + tlvSize(TagData, len(t.Data))
		body += tlvSize(TagTemplate, tplLens[i])
	}
	b = growBytes(b, tlvSize(TagGroup, body))
	b = TagGroup.AppendTo(b)
	b = tlv.AppendLength(b, body)
	b = tlv.AppendTLV(b, TagCount, []byte{byte(n)})
	for i := range g.Templates {
		t := &g.Templates[i]
		b = TagTemplate.AppendTo(b)
		b = tlv.AppendLength(b, tplLens[i])
		b = t.Header.tag().AppendTo(b)
		b = tlv.AppendLength(b, hdrLens[i])
		for _, e := range elems[i] {
			b = tlv.AppendTLV(b, e.Tag, e.Value)
		}
		dt := TagData
		if t.Enciphered {
			dt = TagDataEnciphered
		}
		b = tlv.AppendTLV(b, dt, t.Data)
	}
	return b, nil
}

// growBytes makes room for n more bytes in b.
func growBytes(b []byte, n int) []byte {
	if cap(b)-len(b) < n {
		nb := make([]byte, len(b), len(b)+n)
		copy(nb, b)
		return nb
	}
	return b
}
