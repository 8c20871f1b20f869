package mrz

import (
	"fmt"
	"time"
)

// Date is an MRZ date field as it stands in the zone: six characters YYMMDD
// (Doc 9303 Part 3). In a date of birth, a part that is not known is
// written as two fillers, so "74<<<<" is a birth in 1874, 1974 or 2074 on an
// unknown day.
//
// The zone holds only two digits of the year; Birth and Expiry resolve the
// century against a reference date given by the caller.
type Date string

// NewDate writes year, month and day as a Date. The year is reduced modulo
// 100; a negative year, or a month or day of 0, stands for an unknown part
// (allowed in dates of birth only, see Date.Validate).
func NewDate(year, month, day int) (Date, error) {
	if month < 0 || month > 12 || day < 0 || day > 31 {
		return "", &Error{Err: ErrDate}
	}
	if month > 0 && day > daysIn(month) {
		return "", &Error{Err: ErrDate}
	}
	var b [6]byte
	put := func(i, v int) {
		if v < 0 || (i > 0 && v == 0) {
			b[2*i], b[2*i+1] = Filler, Filler
			return
		}
		b[2*i], b[2*i+1] = byte('0'+v/10%10), byte('0'+v%10)
	}
	put(0, year%100)
	if year < 0 {
		put(0, -1)
	}
	put(1, month)
	put(2, day)
	return Date(b[:]), nil
}

// daysIn is the largest day of month m in any year (29 for February).
func daysIn(m int) int {
	switch m {
	case 2:
		return 29
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// part reads the two characters at i as a number, or -1 for "<<".
func (d Date) part(i int) (int, bool) {
	a, b := d[2*i], d[2*i+1]
	if a == Filler && b == Filler {
		return -1, true
	}
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0, false
	}
	return int(a-'0')*10 + int(b-'0'), true
}

// Validate checks that d is six characters YYMMDD naming a possible day:
// month 01 to 12, day 01 to the month's last day (29 February is accepted,
// the century being unknown). With allowUnknown, any of the three parts may
// be "<<" instead, as a date of birth may. The error wraps ErrDate; its
// Column is the 1-based position in d of the part at fault.
func (d Date) Validate(allowUnknown bool) error {
	if len(d) != 6 {
		return &Error{Err: ErrDate}
	}
	var v [3]int
	for i := range v {
		n, ok := d.part(i)
		if !ok || (n < 0 && !allowUnknown) {
			return &Error{Column: 2*i + 1, Err: ErrDate}
		}
		v[i] = n
	}
	if v[1] == 0 || v[1] > 12 {
		return &Error{Column: 3, Err: ErrDate}
	}
	max := 31
	if v[1] > 0 {
		max = daysIn(v[1])
	}
	if v[2] == 0 || v[2] > max {
		return &Error{Column: 5, Err: ErrDate}
	}
	return nil
}

// CivilDate is a calendar date without time or zone. A part that is not
// known is 0.
type CivilDate struct {
	Year, Month, Day int
}

// String formats c as YYYY-MM-DD, with "XX" (or "XXXX") for unknown parts.
func (c CivilDate) String() string {
	y, m, d := "XXXX", "XX", "XX"
	if c.Year != 0 {
		y = fmt.Sprintf("%04d", c.Year)
	}
	if c.Month != 0 {
		m = fmt.Sprintf("%02d", c.Month)
	}
	if c.Day != 0 {
		d = fmt.Sprintf("%02d", c.Day)
	}
	return y + "-" + m + "-" + d
}

// Time returns the date at midnight UTC; ok is false when a part is unknown.
func (c CivilDate) Time() (t time.Time, ok bool) {
	if c.Year == 0 || c.Month == 0 || c.Day == 0 {
		return time.Time{}, false
	}
	return time.Date(c.Year, time.Month(c.Month), c.Day, 0, 0, 0, 0, time.UTC), true
}

func (d Date) civil(allowUnknown bool) (CivilDate, error) {
	if err := d.Validate(allowUnknown); err != nil {
		return CivilDate{}, err
	}
	y, _ := d.part(0)
	m, _ := d.part(1)
	dd, _ := d.part(2)
	c := CivilDate{Year: y, Month: max(m, 0), Day: max(dd, 0)}
	return c, nil
}

// Birth resolves the century of a date of birth: the latest date that is
// not after ref (only the known parts are compared). An unknown year gives
// Year 0. The error wraps ErrDate, also for 29 February in a year that
// turns out not to be a leap year.
func (d Date) Birth(ref time.Time) (CivilDate, error) {
	c, err := d.civil(true)
	if err != nil {
		return c, err
	}
	if c.Year < 0 {
		c.Year = 0
		return c, nil
	}
	ry, rm, rd := ref.Date()
	c.Year += ry - ry%100
	after := c.Year > ry ||
		(c.Year == ry && c.Month > int(rm)) ||
		(c.Year == ry && c.Month == int(rm) && c.Day > rd)
	if after {
		c.Year -= 100
	}
	return c, c.checkLeap()
}

// Expiry resolves the century of a date of expiry: the year within 49
// years before and 50 years after the year of ref. Unknown parts are
// rejected (ErrDate).
func (d Date) Expiry(ref time.Time) (CivilDate, error) {
	c, err := d.civil(false)
	if err != nil {
		return c, err
	}
	ry := ref.Year()
	c.Year += ry - ry%100
	switch {
	case c.Year > ry+50:
		c.Year -= 100
	case c.Year < ry-49:
		c.Year += 100
	}
	return c, c.checkLeap()
}

func (c CivilDate) checkLeap() error {
	if c.Month == 2 && c.Day == 29 && c.Year != 0 {
		if y := c.Year; !(y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
			return &Error{Column: 5, Err: ErrDate}
		}
	}
	return nil
}
