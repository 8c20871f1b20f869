package chip

import (
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/chip/internal/ascii"
)

// Date is a date or date-time field of a data group: the full date of birth
// of DG11, the date of issue and the personalization time of DG12, the date
// recorded of DG16. Doc 9303 writes them as ASCII digits, "YYYYMMDD" or
// "YYYYMMDDhhmmss"; some documents write the same digits in BCD (4 or 7
// bytes) or leave the month or day unknown ("00"). Date keeps the bytes as
// stored in Raw, so that a file encodes back exactly, and the numbers when
// they could be read; Year is 0 when they could not.
type Date struct {
	// Raw is the field's value as stored on the chip.
	Raw []byte
	// Year, Month and Day, when Raw could be read; Month and Day are 0 when
	// the document says they are unknown.
	Year, Month, Day int
	// Hour, Minute and Second of a date-time.
	Hour, Minute, Second int
	// HasTime reports a date-time ("YYYYMMDDhhmmss").
	HasTime bool
}

// NewDate returns a date stored as "YYYYMMDD" (month or day 0 for unknown).
func NewDate(year, month, day int) *Date {
	d := &Date{Year: year, Month: month, Day: day}
	d.Raw = d.format()
	return d
}

// NewDateTime returns a date-time stored as "YYYYMMDDhhmmss", taken from t
// as it is (no time zone conversion).
func NewDateTime(t time.Time) *Date {
	d := &Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day(),
		Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(), HasTime: true}
	d.Raw = d.format()
	return d
}

// ParseDate reads a stored date field leniently: ASCII "YYYYMMDD" or
// "YYYYMMDDhhmmss", or the same digits in BCD. Anything else is kept in
// Raw with Year 0. It never fails.
func ParseDate(raw []byte) *Date {
	d := &Date{Raw: clone(raw)}
	var digs []byte
	switch len(raw) {
	case 8, 14:
		digs = raw
	case 4, 7:
		digs = make([]byte, 0, 2*len(raw))
		for _, c := range raw {
			digs = append(digs, '0'+c>>4, '0'+c&0x0F)
		}
	default:
		return d
	}
	if !ascii.Digits(string(digs), len(digs)) {
		return d
	}
	y, mo, dd := atoi(string(digs[0:4])), atoi(string(digs[4:6])), atoi(string(digs[6:8]))
	if y == 0 || mo > 12 || dd > 31 || (mo == 0 && dd != 0) {
		return d
	}
	if len(digs) == 14 {
		h, mi, s := atoi(string(digs[8:10])), atoi(string(digs[10:12])), atoi(string(digs[12:14]))
		if h > 23 || mi > 59 || s > 59 {
			return d
		}
		d.Hour, d.Minute, d.Second, d.HasTime = h, mi, s, true
	}
	d.Year, d.Month, d.Day = y, mo, dd
	return d
}

// Valid reports whether the numbers could be read from Raw.
func (d *Date) Valid() bool { return d != nil && d.Year != 0 }

// Time returns the date (at midnight) or date-time in UTC, when it was read
// and its month and day are known.
func (d *Date) Time() (time.Time, bool) {
	if !d.Valid() || d.Month == 0 || d.Day == 0 {
		return time.Time{}, false
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, d.Hour, d.Minute, d.Second, 0, time.UTC)
	if t.Day() != d.Day {
		return time.Time{}, false // 31 February and the like
	}
	return t, true
}

// String is "YYYY-MM-DD" (with " hh:mm:ss" for a date-time), or the raw
// bytes in hex when they could not be read.
func (d *Date) String() string {
	if d == nil {
		return "<nil>"
	}
	if !d.Valid() {
		return fmt.Sprintf("raw %X", d.Raw)
	}
	if d.HasTime {
		return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", d.Year, d.Month, d.Day, d.Hour, d.Minute, d.Second)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// format writes the numbers as ASCII digits.
func (d *Date) format() []byte {
	if d.HasTime {
		return fmt.Appendf(nil, "%04d%02d%02d%02d%02d%02d", d.Year, d.Month, d.Day, d.Hour, d.Minute, d.Second)
	}
	return fmt.Appendf(nil, "%04d%02d%02d", d.Year, d.Month, d.Day)
}

// value is what an encoder writes: Raw when set, otherwise the numbers as
// ASCII digits; nil when there is nothing to write.
func (d *Date) value() []byte {
	switch {
	case d == nil:
		return nil
	case len(d.Raw) > 0:
		return d.Raw
	case d.Year > 0 && d.Year <= 9999:
		return d.format()
	}
	return nil
}
