package bio

import "time"

// The creation date and time ('83') and the validity period ('85') are
// BCD digits (ISO/IEC 7816-11 Table C.1): CCYYMMDDhhmmss in 7 bytes, and
// two CCYYMMDD dates (from, to) in 8 bytes. No time zone is encoded; the
// functions below read and write them as UTC. Issuers often write zeros
// for "not given".

// CreationDateTime decodes CreationTime. It returns the zero Time and no
// error when the field is absent or all zeros, and an ErrValue for digits
// that are not BCD or do not form a valid date and time.
func (h *Header) CreationDateTime() (time.Time, error) {
	if h.CreationTime == nil || allZero(h.CreationTime) {
		return time.Time{}, nil
	}
	if len(h.CreationTime) != 7 {
		return time.Time{}, encErr("creation date and time", ErrValue)
	}
	t, ok := bcdTime(h.CreationTime)
	if !ok {
		return time.Time{}, encErr("creation date and time", ErrValue)
	}
	return t, nil
}

// SetCreationDateTime sets CreationTime to t in UTC, to the second. Years
// outside 0000-9999 are an ErrValue.
func (h *Header) SetCreationDateTime(t time.Time) error {
	t = t.UTC()
	if t.Year() < 0 || t.Year() > 9999 {
		return encErr("creation date and time", ErrValue)
	}
	b := appendBCDDate(make([]byte, 0, 7), t)
	b = append(b, bcd(t.Hour()), bcd(t.Minute()), bcd(t.Second()))
	h.CreationTime = b
	return nil
}

// Validity decodes ValidityPeriod into its first and last days (UTC
// midnight). Both are zero, with no error, when the field is absent or all
// zeros; a half that is all zeros is returned as the zero Time.
func (h *Header) Validity() (from, to time.Time, err error) {
	if h.ValidityPeriod == nil || allZero(h.ValidityPeriod) {
		return time.Time{}, time.Time{}, nil
	}
	if len(h.ValidityPeriod) != 8 {
		return time.Time{}, time.Time{}, encErr("validity period", ErrValue)
	}
	var out [2]time.Time
	for i := range out {
		half := h.ValidityPeriod[4*i : 4*i+4]
		if allZero(half) {
			continue
		}
		t, ok := bcdTime(append(append([]byte{}, half...), 0, 0, 0))
		if !ok {
			return time.Time{}, time.Time{}, encErr("validity period", ErrValue)
		}
		out[i] = t
	}
	return out[0], out[1], nil
}

// SetValidity sets ValidityPeriod to the dates of from and to (in UTC).
// Years outside 0000-9999 are an ErrValue.
func (h *Header) SetValidity(from, to time.Time) error {
	from, to = from.UTC(), to.UTC()
	for _, t := range []time.Time{from, to} {
		if t.Year() < 0 || t.Year() > 9999 {
			return encErr("validity period", ErrValue)
		}
	}
	h.ValidityPeriod = appendBCDDate(appendBCDDate(make([]byte, 0, 8), from), to)
	return nil
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func bcd(v int) byte { return byte(v/10<<4 | v%10) }

func appendBCDDate(b []byte, t time.Time) []byte {
	return append(b, bcd(t.Year()/100), bcd(t.Year()%100), bcd(int(t.Month())), bcd(t.Day()))
}

// bcdTime decodes CCYYMMDDhhmmss, rejecting non-BCD digits and dates that
// do not exist.
func bcdTime(b []byte) (time.Time, bool) {
	var v [7]int
	for i, c := range b[:7] {
		hi, lo := int(c>>4), int(c&0x0F)
		if hi > 9 || lo > 9 {
			return time.Time{}, false
		}
		v[i] = hi*10 + lo
	}
	year, month, day := v[0]*100+v[1], v[2], v[3]
	t := time.Date(year, time.Month(month), day, v[4], v[5], v[6], 0, time.UTC)
	if t.Year() != year || int(t.Month()) != month || t.Day() != day ||
		t.Hour() != v[4] || t.Minute() != v[5] || t.Second() != v[6] {
		return time.Time{}, false
	}
	return t, true
}
