package reader

import (
	"context"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/tlv"
)

// This file: the link, short or extended length, from the caller, the ATR or EF.ATR/INFO.

// extendedLength decides whether to send extended length APDUs; known is
// false when neither the caller nor the transport's ATR tells.
func extendedLength(t apdu.Transmitter, e Extended) (ext, known bool) {
	switch e {
	case ExtendedOn:
		return true, true
	case ExtendedOff:
		return false, true
	}
	if a, ok := t.(interface{ ATR() []byte }); ok {
		return ATRCapabilities(a.ATR())
	}
	return false, false
}

// learnExtendedLength reads EF.ATR/INFO (ISO/IEC 7816-4 §12.7.1, in the MF,
// by its short EF identifier, before access control) when the ATR said
// nothing: its extended length information '7F66' gives the largest
// response the card sends. PC/SC readers build contactless ATRs from the
// card's historical bytes, which often omit the card capabilities; without
// this a card that takes extended length would be read in short APDUs (91
// instead of 17 for a CCCD). A card without the file stays short.
func (s *session) learnExtendedLength(ctx context.Context) error {
	fr := &fileReader{t: s.link, c: chunker{limit: 256, short: true}}
	b, err := fr.read(ctx, chip.EFATRInfo)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// No usable EF.ATR/INFO: short APDUs. A transport failure shows
		// again, typed, in what comes next.
		s.logf("no extended length information", "err", err)
		return nil
	}
	s.atrInfo = b
	if maxLe, ok := atrInfoMaxLe(b); ok && maxLe > 256 {
		s.ch = chunker{limit: min(maxLe, s.maxLimit)}
	}
	return nil
}

// atrInfoMaxLe finds the maximum Le of the extended length information
// '7F66' { '02' max Lc, '02' max Le } in EF.ATR/INFO.
func atrInfoMaxLe(b []byte) (int, bool) {
	do, err := tlv.Lenient.Find(b, 0x7F66)
	if err != nil {
		return 0, false
	}
	r := tlv.NewReader(do.Value)
	var ints []int
	for r.Next() {
		t := r.TLV()
		if t.Tag != 0x02 || len(t.Value) == 0 || len(t.Value) > 3 {
			return 0, false
		}
		v := 0
		for _, c := range t.Value {
			v = v<<8 | int(c)
		}
		ints = append(ints, v)
	}
	if r.Err() != nil || len(ints) < 2 {
		return 0, false
	}
	return ints[1], true
}

// ExtendedFromATR turns what an ATR says into Config.Extended: On or Off
// when it has card capabilities, Auto when it does not (Read then asks
// EF.ATR/INFO). Transports that give no ATR() method to Read pass this.
func ExtendedFromATR(atr []byte) Extended {
	ext, known := ATRCapabilities(atr)
	switch {
	case !known:
		return ExtendedAuto
	case ext:
		return ExtendedOn
	}
	return ExtendedOff
}

// ATRCapabilities reads the card capabilities of an ATR's historical bytes:
// extended tells whether extended Lc and Le fields are supported, known
// whether the ATR says at all (compact-TLV historical bytes with a
// card capabilities object of 3 bytes: ISO/IEC 7816-4 §12.1.1.9, the third
// software function table byte, bit '40'). Readers pass Extended accordingly,
// and leave it Auto when the ATR does not know (Read then asks EF.ATR/INFO).
func ATRCapabilities(atr []byte) (extended, known bool) {
	hist := historicalBytes(atr)
	if len(hist) == 0 || hist[0] != 0x80 {
		return false, false
	}
	for i := 1; i < len(hist); {
		tag, n := hist[i]>>4, int(hist[i]&0x0F)
		i++
		if i+n > len(hist) {
			return false, false
		}
		if tag == 7 && n >= 3 {
			return hist[i+2]&0x40 != 0, true
		}
		i += n
	}
	return false, false
}

// historicalBytes returns the historical bytes of an ATR.
func historicalBytes(atr []byte) []byte {
	if len(atr) < 2 {
		return nil
	}
	k := int(atr[1] & 0x0F)
	i := 2
	td := atr[1]
	for {
		for bit := byte(0x10); bit <= 0x40; bit <<= 1 {
			if td&bit != 0 {
				i++
			}
		}
		if td&0x80 == 0 {
			break
		}
		if i >= len(atr) {
			return nil
		}
		td = atr[i]
		i++
	}
	if i+k > len(atr) {
		return nil
	}
	return atr[i : i+k]
}
