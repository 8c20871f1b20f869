package sm

import (
	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/tlv"
)

// MaxPlainResponse returns the largest number of plain bytes that a
// response protected by secure messaging carries in a data field of at most
// limit bytes, for a cipher of the given block size (8 for 3DES, 16 for
// AES): the data go into DO '87' (tag, length, padding-content indicator,
// data padded to a full block with at least one byte), followed by DO '99'
// (4 bytes) and DO '8E' (10 bytes). For a short response (256 bytes) it is
// 223 with AES and 231 with 3DES.
func MaxPlainResponse(limit, block int) int {
	limit = min(limit, apdu.MaxNe)
	for lenLen := 1; lenLen <= 3; lenLen++ {
		// Room for the padded data with this DO '87' header.
		room := limit - 14 - 1 - lenLen - 1
		if room < block {
			return 0
		}
		padded := room - room%block
		value := padded + 1
		if tlv.LengthLen(value) == lenLen {
			return padded - 1
		}
	}
	return 0
}
