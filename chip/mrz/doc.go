// Package mrz reads and writes the machine readable zone (MRZ) of travel
// and identity documents, as ICAO Doc 9303 Parts 3 to 7 define it, and
// derives from it the "MRZ information" that opens the chip (Part 11).
//
// # The zone
//
// An MRZ is two or three lines of OCR-B text in a 37-character set: the
// digits, the capital letters A to Z and the filler '<'. Its Format is
// fixed by its size:
//
//	TD1    3 lines of 30   identity cards (Part 5), the Vietnamese CCCD
//	TD2    2 lines of 36   official travel documents (Part 6)
//	TD3    2 lines of 44   passports (Part 4)
//	MRV-A  2 lines of 44   visas (Part 7), document code 'V...'
//	MRV-B  2 lines of 36   visas (Part 7), document code 'V...'
//
// Every format holds the same data elements in different places: a
// document code, the issuing state, the document number, the date of birth
// (YYMMDD), the sex, the date of expiry, the nationality, the name and
// optional data. Fields are padded on the right with fillers. The name is
// the primary identifier (surname), two fillers, then the secondary
// identifier (given names) with single fillers between its words.
//
// Check digits protect the document number, both dates, the TD3 personal
// number and, except on visas, the zone as a whole (the composite check
// digit). CheckDigit computes one: the values of the characters (digits
// 0-9, letters 10-35, filler 0) weighted 7, 3, 1, 7, 3, 1, ... and summed,
// modulo 10.
//
// On TD1 and TD2 a document number longer than 9 characters is written as
// its first 9 characters, a filler where the check digit would be, and the
// rest followed by the check digit (of the whole number) and a filler at
// the start of the optional data. Fields.DocumentNumber holds the whole
// number and Fields.OptionalData1 what follows the continuation.
//
// # Reading
//
// Parse takes the lines, joined or separated by line breaks, and returns an
// *MRZ whose Fields are decoded (padding removed, the name split and its
// fillers turned into spaces) and whose CheckDigits are those written.
// Parse is strict: a wrong check digit is an error. Some real documents were
// issued with wrong check digits; ParseLenient returns them along with the
// list of failures. Errors are *Error values with the line and column
// (1-based, as Doc 9303 counts positions); check digit failures wrap a
// *CheckDigitError. No error message contains characters of the zone.
//
// MRZ.String and MRZ.Lines write the zone back, byte for byte; MRZ.Bytes
// writes it without line breaks, as DG1 stores it.
//
// # Writing
//
// New builds an MRZ from human-style fields: it transliterates names to the
// MRZ character set (Part 3 §6, including Vietnamese: "Nguyễn Văn Đức"
// becomes NGUYEN<<VAN<DUC), truncates names that are too long (Parts 3 and 4),
// and computes the check digits. NewVNMID builds the zone of a Vietnamese
// citizen identity card (CCCD) from the 12-digit personal number.
//
// # Dates
//
// The zone writes years with two digits. Date keeps the six characters;
// Date.Birth and Date.Expiry resolve the century against a reference date
// the caller passes (usually the time of reading), a birth never after it,
// an expiry at most 50 years ahead.
//
// # The key seed
//
// Basic Access Control, and PACE with the MRZ as password, derive the
// chip's access keys from the document number, date of birth and date of
// expiry with their check digits: MRZ.Info or NewInfo build that Info. It
// is a secret (whoever has it reads the chip), so it prints as a redacted
// placeholder; Info.Bytes gives the value for key derivation.
//
// The card access number (CAN) used by PACE is not part of the zone; the
// Vietnamese rule deriving it from the personal number belongs to the CCCD
// profile, not to this package.
package mrz
