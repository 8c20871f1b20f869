package sim

import (
	"slices"

	"github.com/cancuoc/cancuoc/apdu"
)

// Quirks are ways in which real cards differ from the letter of ICAO Doc
// 9303 and ISO/IEC 7816-4, each documented in public reader projects'
// trackers (gmrtd, JMRTD, NFCPassportReader). A reader must read through
// every one of them; Profiles names them for tests.
type Quirks struct {
	// BACStatus answers BAC (GET CHALLENGE, EXTERNAL AUTHENTICATE) with
	// this status word: 6D00 or 6985, as PACE-only cards do.
	BACStatus apdu.StatusWord
	// SelectMFStatus answers SELECT of the master file with this status
	// word: 6A86, 6985 or 6700 (the CCCD's 6D00 is Config.SelectMFQuirk).
	SelectMFStatus apdu.StatusWord
	// RefuseLe256 answers a READ BINARY with Le '00' (256 bytes) with
	// 6700, as cards and readers that take less than 256 bytes per
	// response do; they take 224.
	RefuseLe256 bool
	// PlainWrongLengthExtendedSM answers every protected command in
	// extended length with a plain 6700, before secure messaging sees it
	// (its send sequence counter does not move): gmrtd issue 457, Chinese
	// passports.
	PlainWrongLengthExtendedSM bool
	// CardAccessDenied answers 6982 to EF.CardAccess before PACE, as
	// CCCDs do to iPhones: the reader needs the PACE parameters from
	// elsewhere (reader.Config.CardAccess).
	CardAccessDenied bool
	// StrayPadding answers a READ BINARY that asks past the end of a file
	// with the data, then up to that many stray padding bytes, and '6282'
	// (end of file reached): the reader must cut the file at its TLV
	// length.
	StrayPadding int
}

// quirk answers cmd as the quirks say, before anything else looks at it;
// ok is false when no quirk applies.
func (c *Card) quirk(cmd apdu.Command) (apdu.Response, bool) {
	q := &c.opts.Quirks
	if q.PlainWrongLengthExtendedSM && cmd.CLA&0x0C == 0x0C && cmd.IsExtended() {
		return status(apdu.SWWrongLength), true
	}
	return apdu.Response{}, false
}

// A Profile is a named set of real-world card behaviours: Config (with
// Quirks) and, for those that live in the data, a change to the image's
// files made by the test that uses it.
type Profile struct {
	Name string
	// Doc says what the behaviour is and where it is documented.
	Doc string
	// Apply sets the configuration.
	Apply func(*Config)
}

// Profiles lists the real-world behaviours the simulator reproduces
// through Config, by name.
var Profiles = []Profile{
	{"well-behaved", "a card that does everything by the book", func(*Config) {}},
	{"pace-only-6d00", "BAC answered 6D00 (PACE-only cards)", func(o *Config) { o.Quirks.BACStatus = apdu.SWINSNotSupported }},
	{"pace-only-6985", "BAC answered 6985 (PACE-only cards)", func(o *Config) { o.Quirks.BACStatus = apdu.SWConditionsNotSatisfied }},
	{"select-mf-6a86", "SELECT MF answered 6A86", func(o *Config) { o.Quirks.SelectMFStatus = apdu.SWWrongP1P2 }},
	{"select-mf-6985", "SELECT MF answered 6985", func(o *Config) { o.Quirks.SelectMFStatus = apdu.SWConditionsNotSatisfied }},
	{"select-mf-6700", "SELECT MF answered 6700", func(o *Config) { o.Quirks.SelectMFStatus = apdu.SWWrongLength }},
	{"le256-refused", "short READ BINARY with Le '00' answered 6700", func(o *Config) { o.ShortOnly, o.Quirks.RefuseLe256 = true, true }},
	{"max-response-160", "at most 160 bytes per response (short link)", func(o *Config) { o.ShortOnly, o.MaxResponse = true, 160 }},
	{"extended-sm-plain-6700", "plain 6700 to every extended protected command (gmrtd #457)", func(o *Config) { o.Quirks.PlainWrongLengthExtendedSM = true }},
	{"6cxx", "READ BINARY past the end answered 6CXX, protected too", func(o *Config) { o.WrongLe6C = true }},
	{"6282-stray-padding", "READ BINARY past the end answered with stray padding after the data and 6282", func(o *Config) { o.Quirks.StrayPadding = 16 }},
	{"short-only", "short APDUs only: an RSA-2048 signature comes with 61XX and GET RESPONSE", func(o *Config) { o.ShortOnly = true }},
}

// ProfileByName returns the profile of that name.
func ProfileByName(name string) (Profile, bool) {
	i := slices.IndexFunc(Profiles, func(p Profile) bool { return p.Name == name })
	if i < 0 {
		return Profile{}, false
	}
	return Profiles[i], true
}
