package cvc

// MaxReferenceLen is the longest certification authority or holder
// reference: a country code (2), a holder mnemonic (up to 9) and a
// sequence number (5), TR-03110-3 A.6.1.
const MaxReferenceLen = 16

// Reference is a certification authority reference (CAR) or certificate
// holder reference (CHR): an ISO 3166-1 alpha-2 country code, a holder
// mnemonic and a sequence number of five characters, such as
// "VNCVCA00001" (BSI TR-03110-3 A.6.1).
type Reference string

// Check verifies the length (2 to 16) and that every character is
// printable ISO/IEC 8859-1.
func (r Reference) Check() error {
	if len(r) < 2 || len(r) > MaxReferenceLen {
		return ErrReference
	}
	for i := 0; i < len(r); i++ {
		if c := r[i]; c < 0x20 || (c >= 0x7F && c < 0xA0) {
			return ErrReference
		}
	}
	return nil
}

// Country returns the country code (the first two characters).
func (r Reference) Country() string {
	if len(r) < 2 {
		return ""
	}
	return string(r[:2])
}

// Mnemonic returns the holder mnemonic: what lies between the country code
// and the five-character sequence number.
func (r Reference) Mnemonic() string {
	if len(r) < 7 {
		return ""
	}
	return string(r[2 : len(r)-5])
}

// Sequence returns the sequence number (the last five characters).
func (r Reference) Sequence() string {
	if len(r) < 7 {
		return ""
	}
	return string(r[len(r)-5:])
}

// parseReference reads a reference as ISO/IEC 8859-1 bytes (kept as the
// bytes: the characters of real references are ASCII).
func parseReference(v []byte) (Reference, error) {
	r := Reference(v)
	if err := r.Check(); err != nil {
		return "", err
	}
	return r, nil
}
