// Package cccd reads and writes EF.DG13 of Vietnam's chip-based citizen
// identity card (căn cước công dân gắn chip, CCCD, issued since 2021) and of
// the identity card (thẻ căn cước) of the Law on Identification 2023, and
// decodes the 12-digit personal identification number they carry.
//
// # What DG13 holds
//
// ICAO Doc 9303-10 leaves data group 13 to the issuing state ("optional
// details"). Vietnam puts there, in Vietnamese with diacritics, what the
// card prints and more: names of the parents and spouse, place of origin,
// place of residence, identifying marks, the old 9-digit ID number. The
// layout is not published; it is known from the cards and from public
// open-source readers (testdata/public-readers/README.md names them):
//
//	6D                                    [APPLICATION 13], EF.DG13
//	  30                                  SEQUENCE
//	    02 01 01                          INTEGER version 1
//	    06 06 28 D3 16 01 00 08           OID 1.0.10646.1.0.8 (UTF-8)
//	    31                                SET, one SEQUENCE per field:
//	      30 11 02 01 01 13 0C "0010..."  1  personal number (PrintableString)
//	      30 .. 02 01 02 0C .. "NGUYỄN.." 2  full name (UTF8String)
//	      ...
//	      30 .. 02 01 0D 30 .. 0C .. "father" 30 .. 0C .. "mother"
//	                                      13 parents
//	      30 03 02 01 0E                  14 spouse, here empty
//	      ...
//
// Fields 1 to 16 are: personal number, full name, date of birth, sex
// ("Nam"/"Nữ"), nationality, ethnicity, religion, place of origin (quê
// quán), place of residence (nơi thường trú), identifying features (đặc
// điểm nhận dạng), date of issue, date of expiry, parents, spouse, old ID
// number, and a 16-character value whose meaning is not published (kept
// raw). The FieldXxx constants name them.
//
// # Two views
//
// ParseDG13 returns a DG13: the version, the charset OID and every field
// in file order as a Field (its number, its values, its raw bytes). Fields
// are found by their number (DG13.Field), never by position: cards leave
// fields out (no spouse, no old ID number, no religion), and an absent field
// is not the same as a present, empty one (the spouse field of an unmarried
// holder is SEQUENCE { INTEGER 14 } with no value). Unknown field numbers
// are kept. Encode writes the DG13 back; on what ParseDG13 read it gives the
// same bytes, which the Document Security Object's hash needs.
//
// DG13.Citizen returns the typed view, Citizen: strings, Dates and the set
// of fields present. NewDG13 builds a DG13 from a Citizen as cards lay it
// out, for a personalization station or a card simulator; for the cards'
// own layout, ParseDG13, Citizen, NewDG13 and Encode give back the original
// bytes as well (the tests check it on every fixture).
//
// # Encoding details and tolerances
//
// Framing is DER: minimal lengths, the long form ('81 xx', '82 xx xx') for
// values over 127 bytes (addresses often are), no indefinite lengths. The
// parser walks the TLV structure with package tlv and decodes INTEGERs and
// the OID with cryptobyte; it never looks for byte patterns, so long values
// and absent fields cannot confuse it.
//
// The SET is not in DER's SET OF order (X.690 §11.6 sorts the encodings,
// which would put field 4, the shortest, first): cards list fields 1 to 16
// in ascending order. The parser does not demand DER order, and Encode keeps
// the order of DG13.Fields, so re-encoding is faithful.
//
// What real cards and readers show, and the parser accepts:
//
//   - Text as UTF8String, PrintableString or IA5String for any field: cards
//     use PrintableString for the number and two of the dates but
//     UTF8String for the expiry date, and readers must not care.
//   - A parents' field with the mother (or both names) missing, empty
//     SEQUENCEs, bare strings instead of SEQUENCE { string }, and the two
//     names inside one SEQUENCE (as one public reader describes it).
//   - A spouse's field with no value, an empty SEQUENCE or a bare string.
//   - A date of expiry that is text, not a date: NoExpiryText ("Không thời
//     hạn") on cards of holders aged 60 and over; Citizen.NoExpiry is set.
//   - Dates of birth with unknown parts ("00/00/1950", "1950").
//   - With Options.AllowTrailingPadding (Lenient), bytes '00' and 'FF' after
//     the '6D' object, left by reads in fixed-size blocks.
//
// Everything else is an error: an *Error naming the field number and byte
// offset, wrapping a sentinel (ErrMalformed, ErrFieldValue, ...) and, for
// framing problems, the *tlv.Error that found them. Input is limited to
// MaxSize (16 KiB) and copied once; no length is believed before its bytes
// are there.
//
// # Personal number and CAN
//
// ParsePersonalNumber decodes the 12-digit number as Circular 07/2016/TT-BCA
// lays it out: province of birth registration (3 digits), a digit for
// century of birth and sex, two digits of the year of birth, six random
// digits. Those last six digits are the card access number (CAN) that PACE
// uses on these cards; CAN returns them. Since the Law on Identification
// 2023 only "12 digits" is guaranteed, so an unknown province code is
// reported (Province.Known), not rejected.
//
// DG13 is personal data and contains the CAN: errors never include field
// values, and Citizen and PersonalNumber print redacted.
package cccd
