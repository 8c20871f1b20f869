package mrz

// charValue returns the value Doc 9303 Part 3 §4.9 gives a character for
// check digit computation: '0'..'9' are 0..9, 'A'..'Z' are 10..35 and the
// filler '<' is 0. ok is false for any other byte.
func charValue(c byte) (v int, ok bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10, true
	case c == Filler:
		return 0, true
	}
	return 0, false
}

// validChar reports whether c belongs to the MRZ character set.
func validChar(c byte) bool {
	_, ok := charValue(c)
	return ok
}

// CheckDigit computes the check digit of s (Doc 9303 Part 3 §4.9): each
// character's value is multiplied by the weights 7, 3, 1, 7, 3, 1, ... and
// the sum is taken modulo 10. The result is the ASCII digit '0'..'9'. An
// error wrapping ErrCharset reports a character outside 0-9, A-Z and '<';
// its Column is the 1-based index of that character in s.
func CheckDigit(s string) (byte, error) {
	sum := 0
	for i := 0; i < len(s); i++ {
		v, ok := charValue(s[i])
		if !ok {
			return 0, &Error{Column: i + 1, Err: ErrCharset}
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10), nil
}

var weights = [3]int{7, 3, 1}

// checkDigitParts computes the check digit over the concatenation of parts
// (the composite check digit), which must be valid already.
func checkDigitParts(parts ...string) byte {
	sum, n := 0, 0
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			v, _ := charValue(p[i])
			sum += v * weights[n%3]
			n++
		}
	}
	return byte('0' + sum%10)
}
