package mrz

import (
	"strings"
)

// Transliterate writes a name (or other text) in the MRZ character set, as
// Doc 9303 Part 3 §6 recommends for Latin-based national characters:
//
//   - letters are upper-cased; letters with diacritics lose them (É → E,
//     Ç → C, Ł → L); Ä, Å, Æ, Ö, Ø, Ü, Œ, Ĳ, Þ and ß become AE, AA, AE,
//     OE, OE, UE, OE, IJ, TH and SS (the first column of the Part 3 table;
//     some states use A, O, U instead, which this function does not guess);
//   - Vietnamese letters lose their tone marks and vowel modifiers: Đ → D,
//     Ă Â → A, Ê → E, Ô Ơ → O, Ư → U, Ầ Ẫ Ặ ... → A, and so on; combining
//     marks (text in decomposed form, NFD) are dropped;
//   - spaces, hyphens and commas separate words and become one filler '<';
//     apostrophes and full stops are left out (O'CONNOR → OCONNOR);
//     fillers at the ends are removed.
//
// Digits are kept. Any other character (non-Latin scripts, which need a
// national transcription first, or symbols) is an error wrapping
// ErrCharset, whose Column is the byte offset of the character plus one.
func Transliterate(s string) (string, error) {
	var b strings.Builder
	b.Grow(len(s))
	sep := false // a separator is pending
	for i, r := range s {
		var out string
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			out = string(r)
		case r >= 'a' && r <= 'z':
			out = string(r - 'a' + 'A')
		case r == ' ' || r == '-' || r == ',' || r == '\t' || r == Filler || r == '\u00A0' || r == '\u2010':
			sep = b.Len() > 0
			continue
		case r == '\'' || r == '.' || r == '\u2019' || r == '\u02BC':
			continue
		case r >= 0x0300 && r <= 0x036F: // combining diacritical marks
			continue
		default:
			out = latinBase(r)
			if out == "" {
				return "", &Error{Column: i + 1, Err: ErrCharset}
			}
		}
		if sep {
			b.WriteByte(Filler)
			sep = false
		}
		b.WriteString(out)
	}
	return b.String(), nil
}

// latin1 maps U+00C0..U+00DF (and, 0x20 higher, their lower-case forms).
var latin1 = [32]string{
	"A", "A", "A", "A", "AE", "AA", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "OE", "", "OE", "U", "U", "U", "UE", "Y", "TH", "SS",
}

// latinExtA maps U+0100..U+017F to base letters; '*' marks the ligatures
// Ĳ ĳ (IJ) and Œ œ (OE).
const latinExtA = "AAAAAACCCCCCCCDD" + "DDEEEEEEEEEEGGGG" + "GGGGHHHHIIIIIIII" + "II**JJKKKLLLLLLL" +
	"LLLNNNNNNNNNOOOO" + "OO**RRRRRRSSSSSS" + "SSTTTTTTUUUUUUUU" + "UUUUWWYYYZZZZZZS"

// vietnamese maps U+1EA0..U+1EF9 (Latin Extended Additional, the
// precomposed Vietnamese letters with tone marks) by pairs of capital and
// small letter.
const vietnamese = "AAAAAAAAAAAA" + "EEEEEEEE" + "II" + "OOOOOOOOOOOO" + "UUUUUUU" + "YYYY"

func latinBase(r rune) string {
	switch {
	case r >= 0xC0 && r <= 0xDF:
		return latin1[r-0xC0]
	case r == 0xFF:
		return "Y"
	case r >= 0xE0 && r <= 0xFE && r != 0xF7:
		return latin1[r-0xE0]
	case r >= 0x100 && r <= 0x17F:
		switch c := latinExtA[r-0x100]; c {
		case '*':
			if r < 0x140 {
				return "IJ"
			}
			return "OE"
		default:
			return latinExtA[r-0x100 : r-0x100+1]
		}
	case r == 0x1A0 || r == 0x1A1: // Ơ ơ
		return "O"
	case r == 0x1AF || r == 0x1B0: // Ư ư
		return "U"
	case r >= 0x1EA0 && r <= 0x1EF9:
		i := (r - 0x1EA0) / 2
		return vietnamese[i : i+1]
	}
	return ""
}
