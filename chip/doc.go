// Package chip reads and writes the files of an eMRTD chip, the Logical
// Data Structure (LDS) of ICAO Doc 9303 Part 10 (LDS 1.7 and 1.8), as
// passports and the Vietnamese citizen identity card (CCCD) store them.
//
// # Files
//
// A chip holds an LDS1 application (selected by LDS1AID) with up to
// nineteen elementary files, and a few files in its master file:
//
//	EF.COM      '60'  LDS version and the list of data groups present
//	DG1         '61'  the MRZ                                  ParseDG1
//	DG2         '75'  encoded face (ISO/IEC 19794-5)           ParseDG2, chip/bio
//	DG3, DG4    '63', '76'  fingerprints, irises (EAC only)    ParseBiometric
//	DG5 to DG7  '65'-'67'  displayed portrait, signature       ParseDG5, ParseDG7
//	DG11        '6B'  additional personal details              ParseDG11
//	DG12        '6C'  additional document details              ParseDG12
//	DG13        '6D'  national data (CCCD: chip/cccd)          ParseDG13
//	DG14        '6E'  SecurityInfos for Chip Authentication    ParseDG14
//	DG15        '6F'  Active Authentication public key         ParseDG15
//	DG16        '70'  persons to notify                        ParseDG16
//	EF.SOD      '77'  Document Security Object (CMS)           ParseSOD
//	EF.CardAccess, EF.CardSecurity, EF.ATR/INFO, EF.DIR in the master file
//
// File names each of them, with its tag, file identifier (FID) and short
// file identifier (SFI); FileByTag, FileByFID, FileBySFI and FileByName
// look them up.
//
// # Data groups
//
// Every data group is a BER-TLV object whose tag names it and whose
// contents are fields with tags of their own. Each has a Go type with a
// Parse function and an Encode method; Encode writes the fields in the
// order Doc 9303 gives and parses back to an equal value. Parsers accept
// the framing quirks of real documents (padding, non-minimal lengths) but
// check structure: wrong tags, missing mandatory fields, duplicates and
// counts that do not match are errors. Fields this package does not know
// are kept as encoded (Unknown) and written back. Dates are kept as stored
// and read leniently (see Date): documents write them as ASCII or BCD,
// sometimes with unknown parts.
//
// # Security objects
//
// EF.SOD wraps a CMS SignedData whose content is an LDSSecurityObject: the
// hash of every data group (the whole file, tag included). This package
// unwraps EF.SOD; package crypto/pki reads and builds the LDSSecurityObject
// (keyed by data group number: DataGroupFiles gives the files that way),
// signs and verifies. A verifier compares the hash of each
// file's bytes as read, never of a re-encoding.
//
// # Documents
//
// A Document gathers the files of one chip: ParseDocument keeps the bytes
// of every file and parses what it can, reporting each failure without
// losing the rest; FullName, DocumentNumber, PersonalNumber, DateOfBirth,
// DateOfExpiry and FaceImage answer the first questions users ask. For
// issuance, set the typed values, call Encode for the bytes of each file
// and give DataGroupFiles of them to crypto/pki.NewSOD for the Document
// Signer to sign.
//
// # Adding a data group
//
// One table, fileTypes in filetypes.go, drives Document: Set and
// ParseDocument parse each file through its row, Encode encodes through
// it, DataGroups and the EF.COM that Encode builds list what it holds.
// Every file has its File (file.go: name, tag, FID, SFI, size limit);
// a file without a row is kept as bytes only. To give a data group (DG8,
// say) a typed value:
//
//  1. Write its type in a file of its own (dg8.go): ParseDG8(b []byte)
//     (*DG8, error), which opens the file with open(EFDG8, b) and
//     returns *ParseError values, and (*DG8).Encode() ([]byte, error)
//     through encodeFile; Encode parses back to an equal value.
//  2. Add the field DG8 *DG8 to Document.
//  3. Add its row to fileTypes: where its value lives, its parse and
//     its encode function (below).
//  4. Test it: a round trip, a fixture under testdata/synthetic (the
//     synthetic document of document_test.go), a Fuzz target in
//     fuzz_test.go; then list it in the table of files above and in the
//     README's package table.
//
// The row of step 3:
//
//	EFDG8: typed(func(d *Document) **DG8 { return &d.DG8 }, ParseDG8, (*DG8).Encode),
//
// Nothing else in this package names the data groups one by one.
// TestAddDataGroupByTable adds a DG8 through one row.
//
// # Errors and limits
//
// Parsers return *ParseError values naming the file, the tag and the byte
// offset, wrapping a sentinel (ErrWrongTag, ErrMissingField ...) or the
// error of package tlv, chip/mrz or chip/bio underneath. They never carry
// field values: data groups are personal data, and the MRZ is the BAC key
// seed. Files are bounded by File.MaxSize: 64 KiB (SmallFileLimit) for
// text, keys and signatures, 1 MiB (LargeFileLimit) for DG2 to DG13, which
// may hold images and biometric records. No length read from a file is
// believed before its bytes are there.
package chip
