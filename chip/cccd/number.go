package cccd

import (
	"strconv"

	"github.com/cancuoc/cancuoc/chip/internal/ascii"
)

// Sex is the holder's sex as the personal number encodes it.
type Sex uint8

// The values of Sex.
const (
	SexUnknown Sex = iota
	Male
	Female
)

func (s Sex) String() string {
	switch s {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return "unknown"
}

// Province is the three-digit code that starts a personal number: under
// Circular 07/2016/TT-BCA (Appendix I) and the circulars that followed it,
// the province or centrally-run city where the holder's birth was
// registered.
type Province uint16

// Name returns the province's name in the list of Circular 07/2016/TT-BCA
// (the 63 provinces and cities of 2016), or "" for a code not in it.
func (p Province) Name() string { return provinces[p] }

// Known reports whether the code is in the list of Circular 07/2016/TT-BCA.
// Numbers with other codes exist (for births registered abroad, and the
// list is no longer part of the law since the Law on Identification 2023),
// so an unknown code is not an error.
func (p Province) Known() bool { _, ok := provinces[p]; return ok }

// String returns the three digits.
func (p Province) String() string {
	s := strconv.Itoa(int(p))
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// PersonalNumber is a 12-digit personal identification number (số định
// danh cá nhân) decoded as Circular 07/2016/TT-BCA, Article 7, lays it out:
//
//	PPP C YY NNNNNN
//	001 0 90 012345
//
// PPP is the Province code, C encodes the century of birth and the sex
// (0/1: 20th century, i.e. 1900-1999, male/female; 2/3: 2000-2099; 4/5:
// 2100-2199; 6/7: 2200-2299; 8/9: 2300-2399; even is male, odd female),
// YY are the last two digits of the year of birth and NNNNNN are random.
// The last six digits are also the card access number (CAN) printed on the
// card, a secret for PACE: String does not print them.
type PersonalNumber struct {
	Province  Province
	Sex       Sex
	BirthYear int
	// Random is the last six digits.
	Random string
}

// ParsePersonalNumber decodes a 12-digit personal number. It fails with an
// *Error wrapping ErrPersonalNumber when s is not 12 ASCII digits; an
// unknown province code is not an error (see Province.Known). The error
// does not include s.
func ParsePersonalNumber(s string) (PersonalNumber, error) {
	if !ascii.Digits(s, 12) {
		return PersonalNumber{}, errAt(FieldPersonalNumber, -1, ErrPersonalNumber)
	}
	p, _ := strconv.Atoi(s[:3])
	c := int(s[3] - '0')
	yy, _ := strconv.Atoi(s[4:6])
	n := PersonalNumber{
		Province:  Province(p),
		BirthYear: 1900 + 100*(c/2) + yy,
		Random:    s[6:],
		Sex:       Male,
	}
	if c%2 == 1 {
		n.Sex = Female
	}
	return n, nil
}

// Century is the century of birth, 20 for years 1900 to 1999.
func (n PersonalNumber) Century() int { return n.BirthYear/100 + 1 }

// String prints the number with its last six digits (the CAN) masked.
func (n PersonalNumber) String() string {
	c := 2 * ((n.BirthYear - 1900) / 100)
	if n.Sex == Female {
		c++
	}
	return n.Province.String() + strconv.Itoa(c) + pad2(n.BirthYear%100) + "******"
}

// ValidPersonalNumber reports whether s is 12 ASCII digits, the only rule
// every number follows (Law on Identification 2023, Article 12).
func ValidPersonalNumber(s string) bool { return ascii.Digits(s, 12) }

// CAN returns the card access number of a CCCD: the last six digits of the
// holder's 12-digit personal number, which is the CAN that PACE uses on
// these cards. It fails with an *Error wrapping ErrPersonalNumber when the
// number is not 12 digits; the error does not include the number.
func CAN(personalNumber string) (string, error) {
	if !ascii.Digits(personalNumber, 12) {
		return "", errAt(FieldPersonalNumber, -1, ErrPersonalNumber)
	}
	return personalNumber[6:], nil
}

// provinces is Appendix I of Circular 07/2016/TT-BCA (codes of the
// provinces and centrally-run cities), as testdata/circular-07-2016 records.
var provinces = map[Province]string{
	1: "Hà Nội", 2: "Hà Giang", 4: "Cao Bằng", 6: "Bắc Kạn", 8: "Tuyên Quang",
	10: "Lào Cai", 11: "Điện Biên", 12: "Lai Châu", 14: "Sơn La", 15: "Yên Bái",
	17: "Hòa Bình", 19: "Thái Nguyên", 20: "Lạng Sơn", 22: "Quảng Ninh", 24: "Bắc Giang",
	25: "Phú Thọ", 26: "Vĩnh Phúc", 27: "Bắc Ninh", 30: "Hải Dương", 31: "Hải Phòng",
	33: "Hưng Yên", 34: "Thái Bình", 35: "Hà Nam", 36: "Nam Định", 37: "Ninh Bình",
	38: "Thanh Hóa", 40: "Nghệ An", 42: "Hà Tĩnh", 44: "Quảng Bình", 45: "Quảng Trị",
	46: "Thừa Thiên Huế", 48: "Đà Nẵng", 49: "Quảng Nam", 51: "Quảng Ngãi", 52: "Bình Định",
	54: "Phú Yên", 56: "Khánh Hòa", 58: "Ninh Thuận", 60: "Bình Thuận", 62: "Kon Tum",
	64: "Gia Lai", 66: "Đắk Lắk", 67: "Đắk Nông", 68: "Lâm Đồng", 70: "Bình Phước",
	72: "Tây Ninh", 74: "Bình Dương", 75: "Đồng Nai", 77: "Bà Rịa - Vũng Tàu", 79: "Hồ Chí Minh",
	80: "Long An", 82: "Tiền Giang", 83: "Bến Tre", 84: "Trà Vinh", 86: "Vĩnh Long",
	87: "Đồng Tháp", 89: "An Giang", 91: "Kiên Giang", 92: "Cần Thơ", 93: "Hậu Giang",
	94: "Sóc Trăng", 95: "Bạc Liêu", 96: "Cà Mau",
}

// CheckPersonalNumber checks that c's personal number is 12 digits and
// agrees with the year of birth (field 3, when it has a year) and the sex
// (field 4, when it reads "Nam" or "Nữ"), as Circular 07/2016/TT-BCA's
// layout makes it encode them. A mismatch is an *Error wrapping
// ErrInconsistent naming the field that disagrees; it is a reason to look
// closer at a card, not proof of forgery (numbers issued before a
// correction of the date of birth keep their digits).
func (c Citizen) CheckPersonalNumber() error {
	n, err := ParsePersonalNumber(c.PersonalNumber)
	if err != nil {
		return err
	}
	if c.DateOfBirth.Year != 0 && c.DateOfBirth.Year != n.BirthYear {
		return errAt(FieldDateOfBirth, -1, ErrInconsistent)
	}
	if s := c.SexCode(); s != SexUnknown && s != n.Sex {
		return errAt(FieldSex, -1, ErrInconsistent)
	}
	return nil
}
