package conform

import (
	"encoding/asn1"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Raw-encoding helpers: what the parsers of crypto/pki decode away (string
// and time types, the presence of optional fields) is read again here with
// cryptobyte. Every helper returns false on malformed input; callers then
// report nothing more for that part (the parsers have refused it already,
// or a finding names the malformed part).

func tagged(n uint8) cbasn1.Tag   { return cbasn1.Tag(n).ContextSpecific().Constructed() }
func implicit(n uint8) cbasn1.Tag { return cbasn1.Tag(n).ContextSpecific() }

// rawTime is a UTCTime or GeneralizedTime as encoded, and where.
type rawTime struct {
	tag    cbasn1.Tag
	value  string
	offset int
}

// readRawTime reads a time element from s; base is the offset of s within
// the object.
func readRawTime(s *cryptobyte.String, whole []byte) (rawTime, bool) {
	off := len(whole) - len(*s)
	var v cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1(&v, &tag) || (tag != cbasn1.UTCTime && tag != cbasn1.GeneralizedTime) {
		return rawTime{}, false
	}
	return rawTime{tag: tag, value: string(v), offset: off}, true
}

// checkTime returns "" when t follows RFC 5280 §4.1.2.5: UTCTime
// YYMMDDHHMMSSZ for years 1950 to 2049, GeneralizedTime YYYYMMDDHHMMSSZ
// (no fraction) from 2050; or else what is wrong.
func checkTime(t rawTime) string {
	switch t.tag {
	case cbasn1.UTCTime:
		if len(t.value) != 13 || t.value[12] != 'Z' || !allDigits(t.value[:12]) {
			return "UTCTime not of the form YYMMDDHHMMSSZ"
		}
		if _, err := time.Parse("060102150405Z", t.value); err != nil {
			return "UTCTime is not a valid date"
		}
		return ""
	case cbasn1.GeneralizedTime:
		if len(t.value) != 15 || t.value[14] != 'Z' || !allDigits(t.value[:14]) {
			return "GeneralizedTime not of the form YYYYMMDDHHMMSSZ"
		}
		tm, err := time.Parse("20060102150405Z", t.value)
		if err != nil {
			return "GeneralizedTime is not a valid date"
		}
		if tm.Year() < 2050 {
			return fmt.Sprintf("GeneralizedTime for a date in %d (UTCTime through 2049)", tm.Year())
		}
		return ""
	}
	return "not a time"
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// nameAttr is one attribute of a Name with its string type.
type nameAttr struct {
	oid   asn1.ObjectIdentifier
	tag   cbasn1.Tag
	value string
}

// readRawName reads a Name (RDNSequence) element keeping the string types.
func readRawName(s *cryptobyte.String) ([]nameAttr, bool) {
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return nil, false
	}
	var out []nameAttr
	for len(seq) > 0 {
		var set cryptobyte.String
		if !seq.ReadASN1(&set, cbasn1.SET) {
			return nil, false
		}
		for len(set) > 0 {
			var atv cryptobyte.String
			var a nameAttr
			var v cryptobyte.String
			if !set.ReadASN1(&atv, cbasn1.SEQUENCE) || !atv.ReadASN1ObjectIdentifier(&a.oid) || !atv.ReadAnyASN1(&v, &a.tag) || len(atv) != 0 {
				return nil, false
			}
			a.value = string(v)
			out = append(out, a)
			if len(out) > 256 {
				return nil, false
			}
		}
	}
	return out, true
}

var (
	oidCountry      = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidCommonName   = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidSerialNumber = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidLocality     = asn1.ObjectIdentifier{2, 5, 4, 7}
)

func findAttr(attrs []nameAttr, oid asn1.ObjectIdentifier) (nameAttr, bool) {
	for _, a := range attrs {
		if a.oid.Equal(oid) {
			return a, true
		}
	}
	return nameAttr{}, false
}

// checkCountry returns "" when the name's countryName is a PrintableString
// of two upper-case letters (and its serialNumber, if any, a
// PrintableString), or what is wrong.
func checkCountry(attrs []nameAttr) string {
	c, ok := findAttr(attrs, oidCountry)
	switch {
	case !ok:
		return "no countryName"
	case c.tag != cbasn1.PrintableString:
		return "countryName is not a PrintableString"
	case len(c.value) != 2 || !upper(c.value):
		return "countryName is not two upper-case letters"
	}
	if sn, ok := findAttr(attrs, oidSerialNumber); ok && sn.tag != cbasn1.PrintableString {
		return "serialNumber is not a PrintableString"
	}
	return ""
}

func upper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// hasDirectoryNameWithLocality reports whether a GeneralNames value holds
// a directoryName whose Name has a localityName.
func hasDirectoryNameWithLocality(v []byte) (ok, wellFormed bool) {
	s := cryptobyte.String(v)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || len(s) != 0 {
		return false, false
	}
	for len(seq) > 0 {
		var gn cryptobyte.String
		var tag cbasn1.Tag
		if !seq.ReadAnyASN1(&gn, &tag) {
			return false, false
		}
		if tag != tagged(4) {
			continue
		}
		attrs, good := readRawName(&gn)
		if !good || len(gn) != 0 {
			return false, false
		}
		if _, has := findAttr(attrs, oidLocality); has {
			ok = true
		}
	}
	return ok, true
}
