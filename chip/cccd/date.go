package cccd

import (
	"strconv"
	"strings"
	"time"
)

// Date is a date as DG13 writes it, "dd/mm/yyyy", with the text kept as
// read (Raw) and the parts decoded from it. Cards write dates of birth that
// are only partly known with the unknown parts as "00" or left out
// ("00/00/1950", "03/1950", "1950"); such dates decode with the unknown
// parts zero. Text that is no date at all (the expiry "Không thời hạn")
// decodes with every part zero, Raw keeping the text.
type Date struct {
	Raw   string
	Year  int // 0 when the text is not a date
	Month int // 1 to 12, 0 when unknown
	Day   int // 1 to 31, 0 when unknown
}

// NewDate returns the date y-m-d written as cards write it, "dd/mm/yyyy".
func NewDate(year, month, day int) Date {
	return Date{Raw: pad2(day) + "/" + pad2(month) + "/" + pad4(year), Year: year, Month: month, Day: day}
}

// ParseDate decodes a complete date written "dd/mm/yyyy" (exactly ten
// characters, a real calendar date), the form of dates of issue and expiry.
// It returns an *Error wrapping ErrDate otherwise.
func ParseDate(s string) (Date, error) {
	d := dateFromText(s)
	if len(s) != 10 || !d.Complete() {
		return Date{}, errAt(0, -1, ErrDate)
	}
	return d, nil
}

// IsDate reports whether the text has a year: a full or partial date.
func (d Date) IsDate() bool { return d.Year != 0 }

// Complete reports whether day, month and year are all known.
func (d Date) Complete() bool { return d.Year != 0 && d.Month != 0 && d.Day != 0 }

// Time returns the date at midnight in loc (UTC when nil), when Complete.
func (d Date) Time(loc *time.Location) (time.Time, bool) {
	if !d.Complete() {
		return time.Time{}, false
	}
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, loc), true
}

// String returns the text as read.
func (d Date) String() string { return d.Raw }

// dateFromText decodes s leniently: "dd/mm/yyyy", "mm/yyyy" or "yyyy",
// where "00" (or "0") stands for an unknown day or month, surrounding
// spaces ignored. Anything else gives a Date with only Raw set.
func dateFromText(s string) Date {
	d := Date{Raw: s}
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) > 3 {
		return d
	}
	nums := make([]int, 3) // day, month, year
	for i, p := range parts {
		max := 2
		if i == len(parts)-1 {
			max = 4 // the year
		}
		if len(p) == 0 || len(p) > max {
			return d
		}
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || strings.ContainsAny(p, "+-") {
			return d
		}
		nums[3-len(parts)+i] = v
	}
	day, month, year := nums[0], nums[1], nums[2]
	if len(parts[len(parts)-1]) != 4 || year == 0 || month > 12 || day > 31 {
		return d
	}
	if day != 0 && month == 0 {
		return d
	}
	if day != 0 && day > daysIn(month, year) {
		return d
	}
	d.Year, d.Month, d.Day = year, month, day
	return d
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func pad2(v int) string {
	if v >= 0 && v < 10 {
		return "0" + strconv.Itoa(v)
	}
	return strconv.Itoa(v)
}

func pad4(v int) string {
	s := strconv.Itoa(v)
	for v >= 0 && len(s) < 4 {
		s = "0" + s
	}
	return s
}
