package sim

// DefaultATR returns the ATR the simulator presents: the form PC/SC
// contactless readers give ISO/IEC 14443-4 cards (3B 8n 80 01, historical
// bytes, TCK), with historical bytes in compact-TLV: category '80', card
// service data '31 80' (selection by full DF name) and card capabilities
// '73 80 21 xx', where xx has bit '40' (extended Lc and Le fields) when
// extended is true and bit '80' (command chaining) always.
func DefaultATR(extended bool) []byte {
	caps := byte(0x80)
	if extended {
		caps |= 0x40
	}
	hist := []byte{0x80, 0x31, 0x80, 0x73, 0x80, 0x21, caps}
	atr := []byte{0x3B, 0x80 | byte(len(hist)), 0x80, 0x01}
	atr = append(atr, hist...)
	var tck byte
	for _, b := range atr[1:] {
		tck ^= b
	}
	return append(atr, tck)
}
